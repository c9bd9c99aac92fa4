package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// modelServer is an OpenAI-compatible server on 127.0.0.1 that answers
// every question with claim, citing the numbered sentence containing cite
// (0 when none does), and records the requests it receives.
type modelServer struct {
	*httptest.Server
	mu   sync.Mutex
	auth []string
	last []string
}

var sentenceLine = regexp.MustCompile(`(?m)^\[(\d+)\] (.*)$`)

func newModelServer(t *testing.T, claim, cite string) *modelServer {
	t.Helper()
	s := &modelServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Model    string `json:"model"`
			Messages []struct{ Role, Content string }
		}
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &req); err != nil || r.URL.Path != "/v1/chat/completions" || len(req.Messages) == 0 {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		last := req.Messages[len(req.Messages)-1].Content
		s.mu.Lock()
		s.auth = append(s.auth, r.Header.Get("Authorization")+" "+req.Model)
		s.last = append(s.last, last)
		s.mu.Unlock()
		n := "0"
		for _, m := range sentenceLine.FindAllStringSubmatch(last, -1) {
			if strings.Contains(m[2], cite) {
				n = m[1]
				break
			}
		}
		content := `{"claims":[{"text":` + mustJSON(claim) + `,"cites":[` + n + `]}]}`
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":`+mustJSON(content)+`}}]}`)
	}))
	t.Cleanup(s.Close)
	return s
}

func mustJSON(v string) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func (s *modelServer) calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.last)
}

// first returns the first request's auth+model and last message. The
// handler ran on the server's goroutine; the binary exiting is no
// synchronisation the race detector can see, so read under the lock.
func (s *modelServer) first() (auth, last string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.auth) == 0 {
		return "", ""
	}
	return s.auth[0], s.last[0]
}

const (
	lossClaim    = "Amazon lost over $25 billion on its devices from 2017 to 2021."
	lossSentence = "From 2017 to 2021, Amazon lost over $25 billion due to investments in its Echo, Kindle, and other devices, according to internal documents and sources familiar with the situation, as reported by the Wall Street Journal."
	lossQuestion = "How much did Amazon lose on devices?"
)

func llmEnv(t *testing.T, url string) []string {
	return []string{"DATABASE_URL=" + t.TempDir() + "/x.db", "ALEXA_BRIEF_LLM_URL=" + url + "/v1",
		"ALEXA_BRIEF_LLM_MODEL=tiny-instruct", "ALEXA_BRIEF_LLM_API_KEY=sk-e2e"}
}

func TestAskWrittenThroughTheBinary(t *testing.T) {
	bin := cliBinary(t)
	srv := newModelServer(t, lossClaim, "$25 billion due to investments")
	out, stderr, code := runEnv(t, bin, t.TempDir(), "", llmEnv(t, srv.URL), "ask", "--json", lossQuestion)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var a struct {
		Answered  bool
		Answer    string
		Citations []struct{ Source, Text string }
		Mode      *string
		Dropped   *int
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if a.Mode == nil || *a.Mode != "written" || a.Dropped == nil || *a.Dropped != 0 || !a.Answered || a.Answer != lossClaim {
		t.Fatalf("got %s, want a written answer with dropped 0", out)
	}
	if len(a.Citations) != 1 || a.Citations[0].Text != lossSentence {
		t.Fatalf("citations = %+v, want exactly the cited sentence", a.Citations)
	}
	if auth, last := srv.first(); auth != "Bearer sk-e2e tiny-instruct" || !strings.HasPrefix(last, lossQuestion+"\n[1] ") {
		t.Fatalf("request: auth+model %q, last message %q", auth, last)
	}
	if strings.Contains(stderr, "sk-e2e") {
		t.Fatalf("stderr holds the key: %s", stderr)
	}

	// The chat rendering marks the model's text and shows its sources.
	out, _, _ = runEnv(t, bin, t.TempDir(), "", llmEnv(t, srv.URL), "ask", lossQuestion)
	if !strings.Contains(out, "Written by a language model") || !strings.Contains(out, lossSentence) {
		t.Fatalf("text reply:\n%s", out)
	}
}

func TestAskFabricationFallsBackThroughTheBinary(t *testing.T) {
	bin := cliBinary(t)
	srv := newModelServer(t, "Amazon lost over $52 billion on its devices.", "$25 billion due to investments")
	out, stderr, code := runEnv(t, bin, t.TempDir(), lossQuestion+"\n", llmEnv(t, srv.URL), "ask", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, `"mode":"extractive","dropped":1`) || strings.Contains(out, "$52") {
		t.Fatalf("got %s, want the extractive answer with dropped 1", out)
	}
}

func TestAskWithoutModelHasNoModeThroughTheBinary(t *testing.T) {
	bin := cliBinary(t)
	out, _, code := runEnv(t, bin, t.TempDir(), "", []string{"DATABASE_URL=" + t.TempDir() + "/x.db"}, "ask", "--json", lossQuestion)
	if code != 0 || strings.Contains(out, `"mode"`) || strings.Contains(out, `"dropped"`) {
		t.Fatalf("exit %d: %s; want the JSON without mode and dropped", code, out)
	}
}

func TestAskDeclinesWithoutCallingTheModel(t *testing.T) {
	bin := cliBinary(t)
	srv := newModelServer(t, "Ulaanbaatar is the capital of Mongolia.", "")
	out, _, code := runEnv(t, bin, t.TempDir(), "", llmEnv(t, srv.URL), "ask", "--json", "What is the capital of Mongolia?")
	if code != 0 || !strings.Contains(out, `"answered":false`) || !strings.Contains(out, `"mode":"extractive","dropped":0`) || srv.calls() != 0 {
		t.Fatalf("exit %d, %d model calls: %s", code, srv.calls(), out)
	}
}

func TestShellWrittenAnswer(t *testing.T) {
	bin := cliBinary(t)
	srv := newModelServer(t, lossClaim, "$25 billion due to investments")
	out, stderr, code := runEnv(t, bin, t.TempDir(), lossQuestion+"\n", llmEnv(t, srv.URL), "shell")
	if code != 0 || !strings.Contains(out, "Written by a language model") || !strings.Contains(out, lossClaim) {
		t.Fatalf("exit %d: %s\n%s", code, out, stderr)
	}
}

func TestServeCheckModelSettings(t *testing.T) {
	bin := cliBinary(t)
	tests := []struct {
		name     string
		env      []string
		wantCode int
		wantText string
	}{
		{"ok", []string{"ALEXA_BRIEF_LLM_URL=http://127.0.0.1:11434/v1", "ALEXA_BRIEF_LLM_MODEL=m"}, 0, "configuration ok"},
		{"no model", []string{"ALEXA_BRIEF_LLM_URL=http://127.0.0.1:11434/v1"}, 2, "ALEXA_BRIEF_LLM_MODEL"},
		{"bad url", []string{"ALEXA_BRIEF_LLM_URL=localhost:11434", "ALEXA_BRIEF_LLM_MODEL=m"}, 2, "ALEXA_BRIEF_LLM_URL"},
		{"timeout too long", []string{"ALEXA_BRIEF_LLM_URL=http://127.0.0.1:1/v1", "ALEXA_BRIEF_LLM_MODEL=m", "ALEXA_BRIEF_LLM_TIMEOUT=1m"}, 2, "ALEXA_BRIEF_LLM_TIMEOUT"},
		{"bad timeout", []string{"ALEXA_BRIEF_LLM_TIMEOUT=soon"}, 2, "ALEXA_BRIEF_LLM_TIMEOUT"},
		{"bad max tokens", []string{"ALEXA_BRIEF_LLM_MAX_TOKENS=-3"}, 2, "ALEXA_BRIEF_LLM_MAX_TOKENS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// --check needs a platform and a free address.
			env := append([]string{"DATABASE_URL=" + t.TempDir() + "/c.db", "ALEXA_BRIEF_ADDR=127.0.0.1:0",
				"DISCORD_PUBLIC_KEY=" + testDiscordPub, "DISCORD_APP_ID=1234"}, tt.env...)
			out, stderr, code := runEnv(t, bin, t.TempDir(), "", env, "serve", "--check")
			if code != tt.wantCode || !strings.Contains(out+stderr, tt.wantText) {
				t.Errorf("exit %d %q %q, want %d containing %q", code, out, stderr, tt.wantCode, tt.wantText)
			}
		})
	}
}
