package llm

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/briefs/written"
)

func newClient(t *testing.T, url, key string, m Metrics) *Client {
	t.Helper()
	c, err := New(Config{BaseURL: url, Model: "tiny-instruct", APIKey: key, MaxTokens: 300, Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRequestFollowsTheContract(t *testing.T) {
	srv := newScripted(t, func(int, chatRequest) reply { return reply{content: claimsJSON()} })
	c := newClient(t, srv.URL+"/v1", "sk-test", nil)
	sents := []string{"Amazon lost over $25 billion.", "[Editor’s note] It said\nso."}
	if _, err := c.Write(context.Background(), "[How] much\ndid it lose?", sents); err != nil {
		t.Fatal(err)
	}
	r := srv.requests()[0]
	if r.Path != "POST /v1/chat/completions" {
		t.Errorf("path = %q, want POST /v1/chat/completions", r.Path)
	}
	if r.Auth != "Bearer sk-test" {
		t.Errorf("Authorization = %q, want Bearer sk-test", r.Auth)
	}
	if r.Model != "tiny-instruct" {
		t.Errorf("model = %q", r.Model)
	}
	if len(r.Messages) != 2 || r.Messages[0].Role != "system" || r.Messages[1].Role != "user" {
		t.Fatalf("messages = %+v, want system then user", r.Messages)
	}
	want := "Question: [How] much did it lose?\n[1] Amazon lost over $25 billion.\n[2] [Editor’s note] It said so."
	if got := r.last(); got != want {
		t.Errorf("last user message =\n%s\nwant\n%s", got, want)
	}
	for i, line := range strings.Split(r.last(), "\n") {
		if strings.HasPrefix(line, "[") != (i > 0) {
			t.Errorf("line %d %q: only sentence lines may start with [", i, line)
		}
	}
	if r.MaxTokens == nil || *r.MaxTokens != 300 {
		t.Errorf("max_tokens = %v, want 300", r.MaxTokens)
	}
	if r.Temperature == nil || *r.Temperature != 0 {
		t.Errorf("temperature = %v, want 0", r.Temperature)
	}
	var rf struct {
		Type       string `json:"type"`
		JSONSchema struct {
			Name string `json:"name"`
		} `json:"json_schema"`
	}
	if err := json.Unmarshal(r.ResponseFormat, &rf); err != nil || rf.Type != "json_schema" || rf.JSONSchema.Name != "claims" {
		t.Errorf("response_format = %s", r.ResponseFormat)
	}
}

func TestNoKeyNoAuthorization(t *testing.T) {
	// The SDK's client would read these; the adapter must not.
	t.Setenv("OPENAI_API_KEY", "sk-from-env")
	t.Setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/")
	srv := newScripted(t, func(int, chatRequest) reply { return reply{content: claimsJSON()} })
	c := newClient(t, srv.URL, "", nil)
	if _, err := c.Write(context.Background(), "q?", []string{"A sentence."}); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) != 1 || reqs[0].Auth != "" {
		t.Fatalf("requests %d, Authorization %q; want one request without it", len(reqs), reqs[0].Auth)
	}
}

func TestParseClaims(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    []written.Claim
		err     bool
	}{
		{"plain", `{"claims":[{"text":"A.","cites":[1,2]}]}`, []written.Claim{{Text: "A.", Cites: []int{1, 2}}}, false},
		{"fenced", "```json\n{\"claims\":[{\"text\":\"A.\",\"cites\":[1]}]}\n```", []written.Claim{{Text: "A.", Cites: []int{1}}}, false},
		{"preamble", `Here is the JSON: {"claims":[{"text":"A.","cites":["[2]"]}]}`, []written.Claim{{Text: "A.", Cites: []int{2}}}, false},
		{"bad cite", `{"claims":[{"text":"A.","cites":["x"]}]}`, []written.Claim{{Text: "A.", Cites: []int{0}}}, false},
		{"empty", `{"claims":[]}`, []written.Claim{}, false},
		{"no claims key", `{"answer":"A."}`, nil, true},
		{"truncated", `{"claims":[{"text":"A.","ci`, nil, true},
		{"prose", `The bridge costs $4.2 billion.`, nil, true},
		{"text not a string", `{"claims":[{"text":5,"cites":[1]}]}`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseClaims(tt.content)
			if (err != nil) != tt.err {
				t.Fatalf("err = %v, want error %v", err, tt.err)
			}
			if err != nil {
				if !errors.Is(err, ErrMalformed) {
					t.Errorf("err = %v, want ErrMalformed", err)
				}
				if strings.Contains(err.Error(), "bridge") {
					t.Errorf("error %q quotes the content", err)
				}
				return
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i].Text != tt.want[i].Text || len(got[i].Cites) != len(tt.want[i].Cites) {
					t.Fatalf("got %+v, want %+v", got, tt.want)
				}
				for j := range got[i].Cites {
					if got[i].Cites[j] != tt.want[i].Cites[j] {
						t.Fatalf("got %+v, want %+v", got, tt.want)
					}
				}
			}
		})
	}
}

// recorder counts what the client reports.
type recorder struct {
	nopMetrics
	limited, retried int
	waited           []time.Duration
	statuses         []int
}

func (r *recorder) APICall(_, _ string, status int)  { r.statuses = append(r.statuses, status) }
func (r *recorder) RateLimited(string)               { r.limited++ }
func (r *recorder) Retried(string)                   { r.retried++ }
func (r *recorder) Waited(_ string, d time.Duration) { r.waited = append(r.waited, d) }

func TestRateLimitWaitsRetryAfterThenRetriesOnce(t *testing.T) {
	srv := newScripted(t, func(n int, r chatRequest) reply {
		if n == 1 {
			return reply{status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": "0.05"}}
		}
		return reply{content: claimsJSON("A.", []int{1})}
	})
	rec := &recorder{}
	c := newClient(t, srv.URL, "", rec)
	claims, err := c.Write(context.Background(), "q?", []string{"A."})
	if err != nil || len(claims) != 1 {
		t.Fatalf("Write = %v, %v; want one claim", claims, err)
	}
	if len(srv.requests()) != 2 || rec.limited != 1 || rec.retried != 1 {
		t.Fatalf("requests %d, limited %d, retried %d; want 2, 1, 1", len(srv.requests()), rec.limited, rec.retried)
	}
	if len(rec.waited) != 1 || rec.waited[0] != 50*time.Millisecond {
		t.Errorf("waited %v, want [50ms] as Retry-After said", rec.waited)
	}
}

func TestRateLimitPastDeadlineGivesUp(t *testing.T) {
	srv := newScripted(t, func(int, chatRequest) reply {
		return reply{status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": "120"}}
	})
	c := newClient(t, srv.URL, "", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := c.Write(ctx, "q?", []string{"A."})
	if !errors.Is(err, ErrRateLimited) || len(srv.requests()) != 1 {
		t.Fatalf("err = %v after %d requests; want ErrRateLimited after 1", err, len(srv.requests()))
	}
}

func TestServerErrorIsNotRetried(t *testing.T) {
	srv := newScripted(t, func(int, chatRequest) reply { return reply{status: http.StatusInternalServerError} })
	rec := &recorder{}
	c := newClient(t, srv.URL, "sk-secret", rec)
	_, err := c.Write(context.Background(), "q?", []string{"A."})
	if err == nil || len(srv.requests()) != 1 {
		t.Fatalf("err = %v after %d requests; want an error after 1", err, len(srv.requests()))
	}
	if strings.Contains(err.Error(), "sk-secret") {
		t.Errorf("error %q holds the key", err)
	}
	if len(rec.statuses) != 1 || rec.statuses[0] != 500 {
		t.Errorf("statuses %v, want [500]", rec.statuses)
	}
}

func TestTimeout(t *testing.T) {
	srv := newScripted(t, func(int, chatRequest) reply { return reply{block: true} })
	c := newClient(t, srv.URL, "", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Write(ctx, "q?", []string{"A."}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"2":   2 * time.Second,
		"0.5": 500 * time.Millisecond,
		now.Add(3 * time.Second).Format(http.TimeFormat): 3 * time.Second,
	} {
		if got, ok := retryAfter(v, now); !ok || got != want {
			t.Errorf("retryAfter(%q) = %v, %v; want %v", v, got, ok, want)
		}
	}
	for _, v := range []string{"", "soon", "-1"} {
		if _, ok := retryAfter(v, now); ok {
			t.Errorf("retryAfter(%q) ok", v)
		}
	}
}
