package llm

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// chatRequest is what the scripted server reads of a request.
type chatRequest struct {
	Model    string `json:"model"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
	MaxTokens      *int            `json:"max_tokens"`
	Temperature    *float64        `json:"temperature"`
	ResponseFormat json.RawMessage `json:"response_format"`

	Auth string `json:"-"`
	Path string `json:"-"`
}

// last is the last user message.
func (r chatRequest) last() string {
	for i := len(r.Messages) - 1; i >= 0; i-- {
		if r.Messages[i].Role == "user" {
			return r.Messages[i].Content
		}
	}
	return ""
}

var numbered = regexp.MustCompile(`^\[(\d+)\] (.*)$`)

// sentences are the "[n] sentence" lines of the last user message, by n.
func (r chatRequest) sentences() map[int]string {
	out := map[int]string{}
	for _, line := range strings.Split(r.last(), "\n") {
		if m := numbered.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[1])
			out[n] = m[2]
		}
	}
	return out
}

// cite is the number the request gave the sentence containing part, 0 when
// none does.
func (r chatRequest) cite(part string) int {
	for n, s := range r.sentences() {
		if strings.Contains(s, part) {
			return n
		}
	}
	return 0
}

// reply is one scripted answer: an HTTP status, headers, and the message
// content of a 200.
type reply struct {
	status  int
	header  map[string]string
	content string
	block   bool // wait until the client gives up
}

// scripted is an OpenAI-compatible server on 127.0.0.1 whose replies a test
// writes from the request it receives.
type scripted struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []chatRequest
}

func newScripted(t *testing.T, script func(n int, r chatRequest) reply) *scripted {
	t.Helper()
	s := &scripted{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, hr *http.Request) {
		body, _ := io.ReadAll(hr.Body)
		var r chatRequest
		if err := json.Unmarshal(body, &r); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		r.Auth, r.Path = hr.Header.Get("Authorization"), hr.Method+" "+hr.URL.Path
		s.mu.Lock()
		s.reqs = append(s.reqs, r)
		n := len(s.reqs)
		s.mu.Unlock()
		rep := script(n, r)
		if rep.block {
			<-hr.Context().Done()
			return
		}
		for k, v := range rep.header {
			w.Header().Set(k, v)
		}
		if rep.status != 0 && rep.status != http.StatusOK {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(rep.status)
			io.WriteString(w, `{"error":{"message":"scripted","type":"server_error"}}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": r.Model,
			"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
				"message": map[string]any{"role": "assistant", "content": rep.content}}},
			"usage": map[string]any{"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
		})
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *scripted) requests() []chatRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]chatRequest(nil), s.reqs...)
}

// claimsJSON is a reply content with the claims given as text, cites pairs.
func claimsJSON(claims ...any) string {
	var cs []map[string]any
	for i := 0; i+1 < len(claims); i += 2 {
		cs = append(cs, map[string]any{"text": claims[i], "cites": claims[i+1]})
	}
	if cs == nil {
		cs = []map[string]any{}
	}
	b, _ := json.Marshal(map[string]any{"claims": cs})
	return string(b)
}
