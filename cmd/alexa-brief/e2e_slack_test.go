package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/slack/slacktest"
)

// End-to-end tests of `alexa-brief serve` for Slack: the real binary as a
// subprocess, the fake Slack Web API (slacktest) in the test process, real
// HTTP on 127.0.0.1 in between.

// e2eSlackSecret is the signing secret of Slack's published example.
const e2eSlackSecret = "8f742231b10e8888abcd99yyyzzz85a5"

// e2eMaxWait bounds every wait for asynchronous work of the child process.
// It only decides when to give up: nothing asserts how fast things are.
const e2eMaxWait = 60 * time.Second

// noPlatformEnv blanks the platform settings a developer's shell may hold,
// so only what a test sets reaches the child (empty means unset).
var noPlatformEnv = []string{
	"SLACK_SIGNING_SECRET=", "SLACK_BOT_TOKEN=", "SLACK_APP_TOKEN=", "SLACK_CLIENT_ID=", "SLACK_CLIENT_SECRET=",
	"SLACK_API_URL=", "DISCORD_APP_ID=", "DISCORD_PUBLIC_KEY=", "DISCORD_BOT_TOKEN=", "DISCORD_API_URL=",
	"DISCORD_SHARD_ID=", "DISCORD_SHARD_COUNT=", "ALEXA_BRIEF_CORPUS=", "ALEXA_BRIEF_CATCHUP=", "ALEXA_BRIEF_MIN_INTERVAL=",
}

// waitUntil polls cond until it holds or e2eMaxWait passes.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(e2eMaxWait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s after %s", what, e2eMaxWait)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// metricSum adds up the samples of a counter whose labels include every
// one of labels (e.g. `platform="slack"`), read from GET /metrics.
func metricSum(t *testing.T, base, name string, labels ...string) float64 {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sum := 0.0
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name+"{") {
			continue
		}
		ok := true
		for _, l := range labels {
			ok = ok && strings.Contains(line, l)
		}
		if !ok {
			continue
		}
		f := strings.Fields(line)
		v, err := strconv.ParseFloat(f[len(f)-1], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		sum += v
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return sum
}

// runCLI runs the binary to completion with a clean environment plus env.
func runCLI(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	// A generous bound, so that a hang fails the test instead of the run.
	ctx, cancel := context.WithTimeout(context.Background(), 2*e2eMaxWait)
	defer cancel()
	cmd := exec.CommandContext(ctx, cliBinary(t), args...)
	cmd.Env = append([]string{"HOME=" + t.TempDir(), "LOG_FORMAT=json"}, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("run %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

// slackSign is Slack's v0 request signature.
func slackSign(secret, ts string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("v0:" + ts + ":"))
	m.Write(body)
	return "v0=" + hex.EncodeToString(m.Sum(nil))
}

// slackPost sends body to path. sign: "now" signs with the current time,
// "stale"/"future" with a timestamp six minutes off, "bad" with the wrong
// secret, "" not at all.
func slackPost(t *testing.T, base, path, contentType, body, sign string, header http.Header) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	now := time.Now()
	secret := e2eSlackSecret
	switch sign {
	case "stale":
		now = now.Add(-6 * time.Minute)
	case "future":
		now = now.Add(6 * time.Minute)
	case "bad":
		secret = "not-the-signing-secret"
	}
	if sign != "" {
		ts := strconv.FormatInt(now.Unix(), 10)
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", slackSign(secret, ts, []byte(body)))
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(out)
}

// slackBlockTexts returns every text of a blocks array (header, section,
// fields, context), decoded from JSON: the raw JSON hides "<" as \u003c.
func slackBlockTexts(t *testing.T, raw []byte) []string {
	t.Helper()
	if len(raw) == 0 {
		return nil
	}
	type text struct {
		Text string `json:"text"`
	}
	var blocks []struct {
		Type     string            `json:"type"`
		Text     *text             `json:"text"`
		Fields   []text            `json:"fields"`
		Elements []json.RawMessage `json:"elements"`
	}
	if err := json.Unmarshal(raw, &blocks); err != nil {
		t.Fatalf("blocks: %v\n%s", err, raw)
	}
	var out []string
	for _, b := range blocks {
		if b.Text != nil {
			out = append(out, b.Text.Text)
		}
		for _, f := range b.Fields {
			out = append(out, f.Text)
		}
		for _, raw := range b.Elements {
			var el struct {
				Text json.RawMessage `json:"text"`
			}
			if err := json.Unmarshal(raw, &el); err != nil || len(el.Text) == 0 {
				continue
			}
			var s string
			var obj text
			switch {
			case json.Unmarshal(el.Text, &s) == nil: // a context element
				out = append(out, s)
			case json.Unmarshal(el.Text, &obj) == nil: // a button's label
				out = append(out, obj.Text)
			}
		}
	}
	return out
}

// slackReply is what a user sees for one slash command or DM: the
// notification text and the blocks' texts.
type slackReply struct {
	responseType string
	text         string
	blocks       json.RawMessage
	texts        []string
}

func (r slackReply) all() string { return r.text + "\n" + strings.Join(r.texts, "\n") }

var (
	slackRefs   = regexp.MustCompile(`(?: \[\d+\])+$`)
	slackUnesc  = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")
	slackCiteRe = regexp.MustCompile(`^\[\d+\] `)
)

// checkSlackCited checks a reply to a question: every bullet is a
// sentence found verbatim in an article, and the sources are listed.
func checkSlackCited(t *testing.T, r slackReply, texts map[string]string) {
	t.Helper()
	bullets, cites := 0, 0
	for _, block := range r.texts {
		for _, line := range strings.Split(block, "\n") {
			if slackCiteRe.MatchString(line) {
				cites++
			}
			s, ok := strings.CutPrefix(line, "• ")
			if !ok {
				continue
			}
			bullets++
			if !slackRefs.MatchString(s) {
				t.Errorf("cited sentence without a [n] reference: %q", s)
			}
			s = slackUnesc.Replace(slackRefs.ReplaceAllString(s, ""))
			found := false
			for _, text := range texts {
				found = found || strings.Contains(text, s)
			}
			if !found {
				t.Errorf("cited sentence is not verbatim in any article: %q", s)
			}
		}
	}
	if bullets == 0 || cites == 0 {
		t.Errorf("answer has %d cited sentences and %d sources, want both:\n%s", bullets, cites, r.all())
	}
}

type slackServe struct {
	base string
	api  *slacktest.Server
}

// command sends a signed /alexa-brief and returns the answer: inline when
// the bot was quick, else the post to response_url that follows
// "Working on it…".
func (s slackServe) command(t *testing.T, channel, text string) slackReply {
	t.Helper()
	ru := s.api.ResponseURL(slacktest.DefaultTeam, channel)
	form := url.Values{
		"token": {"deprecated"}, "team_id": {slacktest.DefaultTeam}, "team_domain": {"test"},
		"channel_id": {channel}, "channel_name": {"general"}, "user_id": {"U1"}, "user_name": {"reader"},
		"command": {"/alexa-brief"}, "text": {text}, "response_url": {ru},
		"trigger_id": {fmt.Sprintf("trig.%d", time.Now().UnixNano())}, "api_app_id": {"A1"},
	}
	status, body := slackPost(t, s.base, "/slack/commands", "application/x-www-form-urlencoded", form.Encode(), "now", nil)
	if status != http.StatusOK {
		t.Fatalf("/alexa-brief %s: status %d %s", text, status, body)
	}
	var p struct {
		ResponseType string          `json:"response_type"`
		Text         string          `json:"text"`
		Blocks       json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatalf("/alexa-brief %s: %v\n%s", text, err, body)
	}
	if p.Text == "Working on it…" {
		var m slacktest.Message
		waitUntil(t, "the answer at response_url", func() bool {
			for _, x := range s.api.Messages() {
				if x.ResponseURL == ru {
					m = x
					return true
				}
			}
			return false
		})
		p.ResponseType, p.Text, p.Blocks = m.ResponseType, m.Text, m.Blocks
	}
	if code := slacktest.CheckBlocks(p.Blocks); len(p.Blocks) > 0 && code != "" {
		t.Errorf("/alexa-brief %s: blocks break Slack's limits (%s)", text, code)
	}
	return slackReply{responseType: p.ResponseType, text: p.Text, blocks: p.Blocks, texts: slackBlockTexts(t, p.Blocks)}
}

// dmEvent is a message.im event callback as Slack sends it.
func dmEvent(eventID, channel, text string) string {
	b, _ := json.Marshal(map[string]any{
		"token": "deprecated", "team_id": slacktest.DefaultTeam, "api_app_id": "A1", "type": "event_callback",
		"event_id": eventID, "event_time": time.Now().Unix(),
		"event": map[string]any{
			"type": "message", "channel_type": "im", "channel": channel, "user": "U1", "text": text,
			"ts": fmt.Sprintf("%d.000100", time.Now().Unix()), "event_ts": fmt.Sprintf("%d.000100", time.Now().Unix()),
		},
		"authorizations": []map[string]any{{"team_id": slacktest.DefaultTeam, "user_id": slacktest.DefaultBotUserID, "is_bot": true}},
	})
	return string(b)
}

func TestE2ESlackServe(t *testing.T) {
	api := slacktest.New(slacktest.Options{})
	defer api.Close()
	db := filepath.Join(t.TempDir(), "slack.db")
	env := append(append([]string{}, noPlatformEnv...),
		"SLACK_SIGNING_SECRET="+e2eSlackSecret, "SLACK_BOT_TOKEN="+slacktest.DefaultToken,
		"SLACK_API_URL="+api.URL(), "DATABASE_URL="+db, "LOG_LEVEL=debug")
	base, cmd, stderr := startServe(t, env...)
	s := slackServe{base: base, api: api}
	texts := articleTexts(t)

	t.Run("ready", func(t *testing.T) {
		// At start serve checks the bot token with auth.test, at
		// SLACK_API_URL; the fake accepted it, so serve is ready.
		waitUntil(t, "auth.test at the fake", func() bool { return api.Calls("auth.test") > 0 })
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("/readyz: got %d, want 200", resp.StatusCode)
		}
	})

	t.Run("url_verification", func(t *testing.T) {
		const challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
		body := `{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"` + challenge + `","type":"url_verification"}`
		status, got := slackPost(t, base, "/slack/events", "application/json", body, "now", nil)
		if status != http.StatusOK || got != challenge {
			t.Errorf("got %d %q, want 200 %q", status, got, challenge)
		}
		if status, _ := slackPost(t, base, "/slack/events", "application/json", body, "", nil); status != http.StatusUnauthorized {
			t.Errorf("unsigned url_verification: got %d, want 401", status)
		}
	})

	t.Run("slash commands", func(t *testing.T) {
		tests := []struct {
			name, channel, text string
			want                []string
			cited               bool // an answer: its sentences must be verbatim
		}{
			{"brief", "C1", "", []string{"$25 billion", "Share in channel"}, false},
			{"quotes", "C1", "quotes", []string{"smart timer", "A former Amazon employee"}, false},
			{"ask", "C1", "ask how much did Amazon lose on devices?", []string{"$25 billion"}, true},
			{"unknown", "C1", "qoutes", []string{"Unknown command", "Did you mean `/alexa-brief quotes`?", "/alexa-brief ask &lt;question&gt;"}, false},
			{"subscribe", "CSUB", "subscribe @every 1m", []string{"Subscribed", "`@every 1m`", "Next runs"}, false},
			{"schedule", "CSUB", "schedule", []string{"Schedule: `@every 1m`", "Next run:"}, false},
			{"schedule elsewhere", "C1", "schedule", []string{"No digest scheduled"}, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := s.command(t, tt.channel, tt.text)
				if r.responseType != "ephemeral" {
					t.Errorf("response_type %q, want ephemeral", r.responseType)
				}
				for _, w := range tt.want {
					if !strings.Contains(r.all(), w) {
						t.Errorf("reply lacks %q:\n%s", w, r.all())
					}
				}
				if tt.cited {
					checkSlackCited(t, r, texts)
				}
			})
		}
		// The subscription is in the store the binary uses.
		out, errOut, code := runCLI(t, []string{"DATABASE_URL=" + db}, "subscriptions", "list", "--json")
		if code != 0 {
			t.Fatalf("subscriptions list: exit %d %s", code, errOut)
		}
		var subs []struct {
			Platform, Team, Channel, Schedule string
		}
		if err := json.Unmarshal([]byte(out), &subs); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if len(subs) != 1 || subs[0].Platform != "slack" || subs[0].Team != slacktest.DefaultTeam ||
			subs[0].Channel != "CSUB" || subs[0].Schedule != "@every 1m" {
			t.Errorf("stored subscriptions %+v, want slack/%s/CSUB @every 1m", subs, slacktest.DefaultTeam)
		}
		// Unsubscribe again, so no digest lands at the fake while the
		// other subtests count messages.
		if r := s.command(t, "CSUB", "unsubscribe"); !strings.Contains(r.all(), "Unsubscribed") {
			t.Errorf("unsubscribe: %s", r.all())
		}
		if r := s.command(t, "CSUB", "schedule"); !strings.Contains(r.all(), "No digest scheduled") {
			t.Errorf("schedule after unsubscribe: %s", r.all())
		}
	})

	t.Run("button and ssl_check", func(t *testing.T) {
		status, body := slackPost(t, base, "/slack/commands", "application/x-www-form-urlencoded", "ssl_check=1&token=deprecated", "now", nil)
		if status != http.StatusOK || body != "" {
			t.Errorf("ssl_check: got %d %q, want 200 and no body", status, body)
		}
		// Press "More quotes" under a brief.
		ru := api.ResponseURL(slacktest.DefaultTeam, "C1")
		payload, _ := json.Marshal(map[string]any{
			"type": "block_actions", "team": map[string]any{"id": slacktest.DefaultTeam}, "user": map[string]any{"id": "U1"},
			"channel": map[string]any{"id": "C1"}, "container": map[string]any{"type": "message", "channel_id": "C1"},
			"trigger_id": "trig.button", "response_url": ru,
			"actions": []map[string]any{{"type": "button", "action_id": "quotes", "block_id": "b1", "value": ""}},
		})
		form := url.Values{"payload": {string(payload)}}.Encode()
		if status, body := slackPost(t, base, "/slack/interactivity", "application/x-www-form-urlencoded", form, "now", nil); status != http.StatusOK {
			t.Fatalf("button: got %d %q, want 200", status, body)
		}
		var m slacktest.Message
		waitUntil(t, "the button's answer at response_url", func() bool {
			for _, x := range api.Messages() {
				if x.ResponseURL == ru {
					m = x
					return true
				}
			}
			return false
		})
		if got := strings.Join(slackBlockTexts(t, m.Blocks), "\n"); !strings.Contains(got, "smart timer") || m.ResponseType != "ephemeral" {
			t.Errorf("button answer (%s):\n%s", m.ResponseType, got)
		}
	})

	t.Run("unverified requests", func(t *testing.T) {
		handled := metricSum(t, base, "alexa_brief_commands_total", `platform="slack"`)
		posts := len(api.Messages())
		cmdForm := url.Values{"team_id": {slacktest.DefaultTeam}, "channel_id": {"C1"}, "user_id": {"U1"},
			"command": {"/alexa-brief"}, "text": {"quotes"}, "response_url": {api.ResponseURL(slacktest.DefaultTeam, "C1")}}.Encode()
		action := url.Values{"payload": {`{"type":"block_actions","team":{"id":"` + slacktest.DefaultTeam +
			`"},"user":{"id":"U1"},"channel":{"id":"C1"},"actions":[{"action_id":"quotes","value":""}]}`}}.Encode()
		for _, tc := range []struct{ path, ctype, body string }{
			{"/slack/commands", "application/x-www-form-urlencoded", cmdForm},
			{"/slack/events", "application/json", dmEvent("EvUnverified", "D9", "how much did Amazon lose?")},
			{"/slack/interactivity", "application/x-www-form-urlencoded", action},
		} {
			for _, sign := range []string{"", "bad", "stale", "future"} {
				status, body := slackPost(t, base, tc.path, tc.ctype, tc.body, sign, nil)
				if status != http.StatusUnauthorized {
					t.Errorf("%s signed %q: got %d %q, want 401", tc.path, sign, status, body)
				}
			}
		}
		// A valid signature over another body: the body was tampered with.
		req, _ := http.NewRequest(http.MethodPost, base+"/slack/commands", strings.NewReader(cmdForm+"x"))
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", slackSign(e2eSlackSecret, ts, []byte(cmdForm)))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("tampered body: got %d, want 401", resp.StatusCode)
		}
		// Nothing happened: the bot handled nothing, Slack saw nothing.
		// (Work would have been started before the 401 was written.)
		if got := metricSum(t, base, "alexa_brief_commands_total", `platform="slack"`); got != handled {
			t.Errorf("the bot handled %v requests for unverified ones", got-handled)
		}
		if got, want := len(api.Messages()), posts; got != want {
			t.Errorf("%d messages at Slack after unverified requests, want %d", got, want)
		}
	})

	t.Run("oversized bodies", func(t *testing.T) {
		big := strings.Repeat("x", 1<<20+1)
		status, _ := slackPost(t, base, "/slack/commands", "application/x-www-form-urlencoded", big, "now", nil)
		if status != http.StatusRequestEntityTooLarge {
			t.Errorf("1 MiB + 1 with Content-Length: got %d, want 413", status)
		}
		// Chunked: no Content-Length, so the limit applies while reading.
		req, _ := http.NewRequest(http.MethodPost, base+"/slack/events", io.MultiReader(strings.NewReader(big)))
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", slackSign(e2eSlackSecret, ts, []byte(big)))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if req.ContentLength != 0 || resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("1 MiB + 1 chunked (length %d): got %d, want 413", req.ContentLength, resp.StatusCode)
		}
		// Exactly 1 MiB is within the limit: it reaches verification.
		status, _ = slackPost(t, base, "/slack/commands", "application/x-www-form-urlencoded", big[1:], "bad", nil)
		if status != http.StatusUnauthorized {
			t.Errorf("1 MiB badly signed: got %d, want 401", status)
		}
	})

	t.Run("DM retried by Slack is answered once", func(t *testing.T) {
		const eventID, channel = "Ev0E2ERETRY", "D0RETRY"
		body := dmEvent(eventID, channel, "How much did Amazon lose on devices?")
		for retry := 0; retry <= 3; retry++ {
			h := http.Header{}
			if retry > 0 {
				h.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
				h.Set("X-Slack-Retry-Reason", "http_timeout")
			}
			if status, got := slackPost(t, base, "/slack/events", "application/json", body, "now", h); status != http.StatusOK {
				t.Fatalf("delivery %d: got %d %q, want 200", retry+1, status, got)
			}
		}
		// Done when the answer is at Slack and each of the three
		// retries was recognised as a duplicate, or at a second answer.
		waitUntil(t, "the DM answer and three duplicates", func() bool {
			n := len(api.ChannelMessages(channel))
			return n > 1 || n == 1 && countLogLines(stderr.String(), "slack: duplicate event ignored", eventID) >= 3
		})
		msgs := api.ChannelMessages(channel)
		if len(msgs) != 1 {
			t.Fatalf("%d replies to one DM delivered 4 times, want 1", len(msgs))
		}
		m := msgs[0]
		if m.Method != "chat.postMessage" || m.Token != slacktest.DefaultToken || m.ThreadTS != "" {
			t.Errorf("reply %s with token %q in thread %q, want chat.postMessage with the bot token, not threaded", m.Method, m.Token, m.ThreadTS)
		}
		r := slackReply{text: m.Text, blocks: m.Blocks, texts: slackBlockTexts(t, m.Blocks)}
		if !strings.Contains(r.all(), "$25 billion") {
			t.Errorf("DM answer lacks the $25 billion loss:\n%s", r.all())
		}
		checkSlackCited(t, r, texts)
	})

	t.Run("channel mention in a DM stays inert", func(t *testing.T) {
		const channel = "D0MENTION"
		body := dmEvent("Ev0E2EMENTION", channel, "<!channel> how much did Amazon lose on devices?")
		if status, got := slackPost(t, base, "/slack/events", "application/json", body, "now", nil); status != http.StatusOK {
			t.Fatalf("got %d %q, want 200", status, got)
		}
		waitUntil(t, "the DM answer", func() bool { return len(api.ChannelMessages(channel)) >= 1 })
		m := api.ChannelMessages(channel)[0]
		if !strings.Contains(m.Form.Get("text"), "&lt;!channel&gt;") {
			t.Errorf("posted text %q lacks &lt;!channel&gt;", m.Form.Get("text"))
		}
		for _, s := range append([]string{m.Form.Get("text")}, slackBlockTexts(t, m.Blocks)...) {
			if strings.Contains(s, "<!channel>") {
				t.Errorf("posted a live <!channel>: %q", s)
			}
		}
		if v := m.Form.Get("link_names"); v == "1" || v == "true" {
			t.Errorf("link_names=%s would turn @channel into a mention", v)
		}
	})

	t.Run("own messages and edits are not answered", func(t *testing.T) {
		const channel = "D0ECHO"
		var ev map[string]any
		_ = json.Unmarshal([]byte(dmEvent("Ev0E2EECHO1", channel, "How much did Amazon lose on devices?")), &ev)
		variants := []func(e map[string]any){
			func(e map[string]any) { e["bot_id"], e["user"] = slacktest.DefaultBotID, slacktest.DefaultBotUserID }, // our reply, echoed
			func(e map[string]any) { e["user"] = slacktest.DefaultBotUserID },                                      // our bot user, no bot_id
			func(e map[string]any) { e["subtype"] = "message_changed" },                                            // an edit
			func(e map[string]any) { e["bot_id"], e["user"] = "BOTHER", "UOTHER" },                                 // another bot
		}
		for i, mutate := range variants {
			e := map[string]any{}
			for k, v := range ev["event"].(map[string]any) {
				e[k] = v
			}
			mutate(e)
			ev["event"], ev["event_id"] = e, fmt.Sprintf("Ev0E2EECHO%d", i+2)
			b, _ := json.Marshal(ev)
			if status, got := slackPost(t, base, "/slack/events", "application/json", string(b), "now", nil); status != http.StatusOK {
				t.Fatalf("variant %d: got %d %q, want 200", i, status, got)
			}
		}
		// A person's DM afterwards is answered: by then the others would
		// have been too.
		body := dmEvent("Ev0E2EECHOLAST", channel, "What did Dave Limp say?")
		if status, got := slackPost(t, base, "/slack/events", "application/json", body, "now", nil); status != http.StatusOK {
			t.Fatalf("got %d %q, want 200", status, got)
		}
		waitUntil(t, "the answer to the person", func() bool {
			for _, m := range api.ChannelMessages(channel) {
				if strings.Contains(m.Text, "Dave Limp") {
					return true
				}
			}
			return false
		})
		if msgs := api.ChannelMessages(channel); len(msgs) != 1 {
			t.Errorf("%d messages in the DM, want only the answer to the person: %+v", len(msgs), msgs)
		}
		for i := range variants {
			if n := countLogLines(stderr.String(), `"msg":"request"`, fmt.Sprintf(`"Ev0E2EECHO%d"`, i+2)); n != 0 {
				t.Errorf("variant %d reached the bot", i)
			}
		}
	})

	t.Run("DMs in a row keep to Slack's rate", func(t *testing.T) {
		const channel = "D0RATE"
		for i, q := range []string{"What did Dave Limp say?", "How many Alexa devices has Amazon sold?", "When did the Echo debut?"} {
			body := dmEvent(fmt.Sprintf("Ev0E2ERATE%d", i), channel, q)
			if status, got := slackPost(t, base, "/slack/events", "application/json", body, "now", nil); status != http.StatusOK {
				t.Fatalf("got %d %q, want 200", status, got)
			}
		}
		waitUntil(t, "three answers", func() bool { return len(api.ChannelMessages(channel)) >= 3 })
		if n := len(api.ChannelMessages(channel)); n != 3 {
			t.Errorf("%d answers to 3 DMs, want 3", n)
		}
		// The fake answers 429 to a second message within a second in
		// one channel: the poster paced itself instead of finding out.
		if n := api.RateLimited(); n != 0 {
			t.Errorf("Slack rate-limited the bot %d times", n)
		}
	})

	// The unverified DM of an earlier subtest was never answered; the
	// DMs answered since show that it would have been by now.
	if msgs := api.ChannelMessages("D9"); len(msgs) != 0 {
		t.Errorf("an unverified DM was answered: %+v", msgs)
	}
	// Secrets never reach the log, even at debug level.
	for _, secret := range []string{e2eSlackSecret, slacktest.DefaultToken} {
		if strings.Contains(stderr.String(), secret) {
			t.Errorf("the log contains a secret (%.6s…)", secret)
		}
	}
	stopServe(t, cmd, stderr)
	checkJSONLog(t, stderr.String())

	// Slack's last retry comes minutes later: a restarted server, on the
	// same database, still knows the event.
	t.Run("retry after a restart", func(t *testing.T) {
		base, cmd, stderr := startServe(t, env...)
		h := http.Header{"X-Slack-Retry-Num": {"3"}, "X-Slack-Retry-Reason": {"http_timeout"}}
		body := dmEvent("Ev0E2ERETRY", "D0RETRY", "How much did Amazon lose on devices?")
		if status, got := slackPost(t, base, "/slack/events", "application/json", body, "now", h); status != http.StatusOK {
			t.Fatalf("got %d %q, want 200", status, got)
		}
		waitUntil(t, "the duplicate to be recognised", func() bool {
			return len(api.ChannelMessages("D0RETRY")) > 1 || countLogLines(stderr.String(), "slack: duplicate event ignored", "Ev0E2ERETRY") == 1
		})
		if n := len(api.ChannelMessages("D0RETRY")); n != 1 {
			t.Errorf("%d replies after a retry to a restarted server, want 1", n)
		}
		// SIGTERM right after Slack got its 200: the answer still goes
		// out before the process exits.
		body = dmEvent("Ev0E2EDRAIN", "D0DRAIN", "What did Dave Limp say?")
		if status, got := slackPost(t, base, "/slack/events", "application/json", body, "now", nil); status != http.StatusOK {
			t.Fatalf("got %d %q, want 200", status, got)
		}
		stopServe(t, cmd, stderr)
		if n := len(api.ChannelMessages("D0DRAIN")); n != 1 {
			t.Errorf("%d answers to a DM acknowledged before SIGTERM, want 1\n%s", n, stderr)
		}
	})

	// Every line of the adapter and the bot names its platform once.
	adapterLines := 0
	for _, line := range strings.Split(stderr.String(), "\n") {
		if strings.Contains(line, `"msg":"slack: `) {
			adapterLines++
		}
		if n := strings.Count(line, `"platform":`); n > 1 {
			t.Errorf("a log line names its platform %d times: %s", n, line)
			break
		}
	}
	if adapterLines == 0 {
		t.Error("no log line of the Slack adapter: the check above checked nothing")
	}
}

// TestE2ESlackRejectedToken: a bot token Slack rejects when serve starts
// stops it with exit 2 (a configuration error, which systemd does not
// restart), naming the variable without showing the token.
func TestE2ESlackRejectedToken(t *testing.T) {
	api := slacktest.New(slacktest.Options{})
	defer api.Close()
	const wrong = "xoxb-revoked-token"
	env := append(append([]string{}, noPlatformEnv...), "ALEXA_BRIEF_ADDR="+freeAddr(t),
		"DATABASE_URL="+filepath.Join(t.TempDir(), "rejected.db"),
		"SLACK_SIGNING_SECRET="+e2eSlackSecret, "SLACK_BOT_TOKEN="+wrong, "SLACK_API_URL="+api.URL())
	_, errOut, code := runCLI(t, env, "serve")
	if code != 2 || !strings.Contains(errOut, "SLACK_BOT_TOKEN") || !strings.Contains(errOut, "invalid_auth") {
		t.Errorf("exit %d, want 2 with an error naming SLACK_BOT_TOKEN and invalid_auth:\n%s", code, errOut)
	}
	if strings.Contains(errOut, wrong) {
		t.Error("the rejected token was shown")
	}
	if api.Calls("auth.test") == 0 {
		t.Error("the token was never presented to the fake")
	}
}

// countLogLines counts JSON log lines holding every one of parts.
func countLogLines(log string, parts ...string) int {
	n := 0
	for _, line := range strings.Split(log, "\n") {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(line, p)
		}
		if ok {
			n++
		}
	}
	return n
}

// checkJSONLog fails unless every line of log is a JSON object: with
// LOG_FORMAT=json nothing, a library included, may write plain text.
func checkJSONLog(t *testing.T, log string) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Errorf("LOG_FORMAT=json, but a log line is not JSON: %q", line)
		}
	}
}

// stopServe sends SIGTERM and expects a clean exit.
func stopServe(t *testing.T, cmd *exec.Cmd, stderr *syncWriter) {
	t.Helper()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("serve exit: %v, want 0\n%s", err, stderr)
	}
}

// TestE2EDigestSlack runs `digest run` twice for the same instant against
// the fake Slack: one message, carrying its slot key.
func TestE2EDigestSlack(t *testing.T) {
	api := slacktest.New(slacktest.Options{})
	defer api.Close()
	db := filepath.Join(t.TempDir(), "digest.db")
	env := append(append([]string{}, noPlatformEnv...),
		"DATABASE_URL="+db, "SLACK_BOT_TOKEN="+slacktest.DefaultToken, "SLACK_API_URL="+api.URL())

	out, errOut, code := runCLI(t, env, "subscriptions", "add", "--platform", "slack", "--team", slacktest.DefaultTeam,
		"--channel", "C1", "--schedule", "@every 1h")
	if code != 0 || !strings.Contains(out, "subscribed slack/"+slacktest.DefaultTeam+"/C1") {
		t.Fatalf("subscriptions add: exit %d\n%s%s", code, out, errOut)
	}
	now := time.Now().UTC().Add(90 * time.Minute).Truncate(time.Second).Format(time.RFC3339)
	runDigestTwice(t, env, now)
	msgs := api.ChannelMessages("C1")
	if len(msgs) != 1 {
		t.Fatalf("%d messages in C1 after two passes at the same instant, want 1", len(msgs))
	}
	m := msgs[0]
	if len(slackBlockTexts(t, m.Blocks)) == 0 || !strings.Contains(strings.Join(slackBlockTexts(t, m.Blocks), "\n"), "$25 billion") {
		t.Errorf("the digest lacks the brief:\n%s", m.Blocks)
	}

	// The metadata names the slot the store recorded as posted.
	out, errOut, code = runCLI(t, env, "subscriptions", "list", "--json")
	if code != 0 {
		t.Fatalf("subscriptions list: exit %d %s", code, errOut)
	}
	var subs []struct {
		ID           int64
		LastDelivery *struct {
			Slot      time.Time `json:"slot"`
			State     string    `json:"state"`
			MessageID string    `json:"message_id"`
		} `json:"last_delivery"`
	}
	if err := json.Unmarshal([]byte(out), &subs); err != nil || len(subs) != 1 || subs[0].LastDelivery == nil {
		t.Fatalf("subscriptions list: %v\n%s", err, out)
	}
	d := subs[0].LastDelivery
	wantKey := fmt.Sprintf("sub%d-%d", subs[0].ID, d.Slot.Unix())
	if m.Metadata == nil || m.Metadata.EventType != "alexa_brief_digest" || m.Metadata.EventPayload["slot"] != wantKey {
		t.Errorf("metadata %+v, want alexa_brief_digest with slot %q", m.Metadata, wantKey)
	}
	if d.State != "posted" || d.MessageID != m.TS {
		t.Errorf("delivery %+v, want posted with message id %s", d, m.TS)
	}
}

// runDigestTwice runs `digest run --now now` twice: the first pass posts
// the one due slot, the second, for the same instant, posts nothing. Each
// prints one summary line.
func runDigestTwice(t *testing.T, env []string, now string) {
	t.Helper()
	for i, want := range []string{"posted=1", "posted=0"} {
		out, errOut, code := runCLI(t, env, "digest", "run", "--now", now)
		line := strings.TrimSuffix(out, "\n")
		if code != 0 || strings.Contains(line, "\n") || !strings.HasPrefix(line, "digest run: due=") ||
			!strings.Contains(line, " "+want+" ") || !strings.Contains(line, " failed=0 ") {
			t.Fatalf("digest run %d: exit %d, stdout %q, want 0 and one summary line with %s failed=0\n%s", i+1, code, out, want, errOut)
		}
		t.Logf("pass %d: %s", i+1, line)
	}
}
