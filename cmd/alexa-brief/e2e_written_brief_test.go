package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/alexa-brief/alexa-brief/adapters/slack/slacktest"
)

// gatedModel is an OpenAI-compatible server on 127.0.0.1 that answers
// GET /v1/models, and chat completions with claim citing the sentence
// containing cite once open is closed (at once when it is nil).
type gatedModel struct {
	*httptest.Server
	open  chan struct{}
	mu    sync.Mutex
	chats int
}

func newGatedModel(t *testing.T, claim, cite string, gated bool) *gatedModel {
	t.Helper()
	m := &gatedModel{}
	if gated {
		m.open = make(chan struct{})
	}
	inner := newModelServer(t, claim, cite)
	m.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/v1/models" {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"object":"list","data":[{"id":"tiny-instruct","object":"model"}]}`)
			return
		}
		m.mu.Lock()
		m.chats++
		m.mu.Unlock()
		if m.open != nil {
			select {
			case <-m.open:
			case <-r.Context().Done():
				return
			}
		}
		inner.Config.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(m.Close)
	return m
}

func (m *gatedModel) calls() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.chats
}

func TestBriefSummaryThroughTheBinary(t *testing.T) {
	bin := cliBinary(t)
	plain, _, code := runEnv(t, bin, t.TempDir(), "", []string{"DATABASE_URL=" + t.TempDir() + "/x.db"}, "brief", "--json")
	if code != 0 || strings.Contains(plain, `"summary"`) {
		t.Fatalf("exit %d: without a model the brief has a summary: %s", code, plain)
	}

	srv := newGatedModel(t, lossClaim, "$25 billion due to investments", false)
	out, stderr, code := runEnv(t, bin, t.TempDir(), "", llmEnv(t, srv.URL), "brief", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Summary *struct {
			Text      string
			Citations []struct{ Source, Text string }
			Dropped   *int
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.Summary == nil {
		t.Fatalf("%v: %s", err, out)
	}
	if s := got.Summary; s.Text != lossClaim || s.Dropped == nil || *s.Dropped != 0 || len(s.Citations) != 1 ||
		s.Citations[0].Text != lossSentence || s.Citations[0].Source != "000_c1f63e7485ba089f" {
		t.Fatalf("summary = %+v, want the claim with its one verbatim sentence", s)
	}
	// Additive: the brief's fields as without a model, byte for byte.
	i := strings.Index(out, ",\n  \"summary\": ")
	if i < 0 || out[:i]+"\n}\n" != plain {
		t.Fatalf("brief --json with a model is not the brief plus \"summary\":\n%s\nwithout:\n%s", out, plain)
	}
	text, _, _ := runEnv(t, bin, t.TempDir(), "", llmEnv(t, srv.URL), "brief")
	if !strings.Contains(text, "Summary written by a language model") || !strings.Contains(text, lossClaim) || !strings.Contains(text, "Key points") {
		t.Fatalf("text brief:\n%s", text)
	}

	// A fabrication: "summary": null and the brief as without a model.
	bad := newGatedModel(t, "Amazon lost over $52 billion on its devices.", "$25 billion due to investments", false)
	out, _, code = runEnv(t, bin, t.TempDir(), "", llmEnv(t, bad.URL), "brief", "--json")
	if code != 0 || out != strings.TrimSuffix(plain, "\n}\n")+",\n  \"summary\": null\n}\n" {
		t.Fatalf("exit %d, fabricated summary: %s", code, out)
	}
	text, _, _ = runEnv(t, bin, t.TempDir(), "", llmEnv(t, bad.URL), "brief")
	if strings.Contains(text, "language model") || strings.Contains(text, "$52") {
		t.Fatalf("text brief shows a dropped summary:\n%s", text)
	}
}

// TestSlackBriefWaitsForTheModelAfterAcknowledging: a brief whose summary
// waits on the model is acknowledged at once ("Working on it…", within
// Slack's 3 s) and completed through response_url.
func TestSlackBriefWaitsForTheModelAfterAcknowledging(t *testing.T) {
	model := newGatedModel(t, lossClaim, "$25 billion due to investments", true)
	api := slacktest.New(slacktest.Options{})
	defer api.Close()
	env := append(append([]string{}, noPlatformEnv...),
		"SLACK_SIGNING_SECRET="+e2eSlackSecret, "SLACK_BOT_TOKEN="+slacktest.DefaultToken, "SLACK_API_URL="+api.URL(),
		"ALEXA_BRIEF_LLM_URL="+model.URL+"/v1", "ALEXA_BRIEF_LLM_MODEL=tiny-instruct")
	base, cmd, stderr := startServe(t, env...)
	defer stopServe(t, cmd, stderr)
	waitUntil(t, "auth.test at the fake", func() bool { return api.Calls("auth.test") > 0 })

	// The model answers only once the acknowledgement is in, so the
	// brief cannot come inline.
	acked := make(chan struct{})
	go func() {
		<-acked
		close(model.open)
	}()
	ru := api.ResponseURL(slacktest.DefaultTeam, "C1")
	form := url.Values{
		"team_id": {slacktest.DefaultTeam}, "channel_id": {"C1"}, "user_id": {"U1"}, "command": {"/alexa-brief"},
		"text": {"brief"}, "response_url": {ru}, "trigger_id": {"trig.brief"},
	}
	status, body := slackPost(t, base, "/slack/commands", "application/x-www-form-urlencoded", form.Encode(), "now", nil)
	close(acked)
	if status != http.StatusOK || !strings.Contains(body, "Working on it") {
		t.Fatalf("slash command answered %d %s, want 200 and the acknowledgement", status, body)
	}
	var m slacktest.Message
	waitUntil(t, "the brief at response_url", func() bool {
		for _, x := range api.Messages() {
			if x.ResponseURL == ru {
				m = x
				return true
			}
		}
		return false
	})
	all := m.Text + "\n" + strings.Join(slackBlockTexts(t, m.Blocks), "\n")
	if !strings.Contains(all, "Summary written by a language model") || !strings.Contains(all, "Key points") {
		t.Fatalf("brief at response_url lacks the summary or the points:\n%s", all)
	}
}

// TestReadyzReportsTheModel: /readyz says whether the model answers, and
// stays 200 when it does not; the gauge says the same.
func TestReadyzReportsTheModel(t *testing.T) {
	up := newGatedModel(t, lossClaim, "$25 billion", false)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + ln.Addr().String()
	ln.Close()
	for _, tt := range []struct {
		name, url, body, gauge string
	}{
		{"up", up.URL, `"llm":"reachable"`, "alexa_brief_llm_reachable 1"},
		{"down", down, `"llm":"unreachable (connection refused or unreachable)"`, "alexa_brief_llm_reachable 0"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			base, cmd, stderr := startServe(t, "DISCORD_PUBLIC_KEY="+testDiscordPub, "DISCORD_APP_ID=1234",
				"DATABASE_URL="+filepath.Join(t.TempDir(), "r.db"),
				"ALEXA_BRIEF_LLM_URL="+tt.url+"/v1", "ALEXA_BRIEF_LLM_MODEL=tiny-instruct", "ALEXA_BRIEF_LLM_API_KEY=sk-ready")
			defer stopServe(t, cmd, stderr)
			for path, want := range map[string]string{"/readyz": tt.body, "/metrics": tt.gauge} {
				resp, err := http.Get(base + path)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
					t.Errorf("GET %s = %d %s, want 200 containing %s", path, resp.StatusCode, body, want)
				}
				if strings.Contains(string(body), "sk-ready") || (path == "/readyz" && strings.Contains(string(body), "127.0.0.1")) {
					t.Errorf("GET %s names the key or the model's address: %s", path, body)
				}
			}
		})
	}
}
