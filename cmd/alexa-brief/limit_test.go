package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestLimitBody: a body declared over 1 MiB is refused before any handler
// reads it. On Slack's endpoints the 413 says X-Slack-No-Retry: 1, as the
// adapter's own 413 for a chunked body does: resending the same body
// cannot succeed, and Slack counts failed deliveries against the app.
func TestLimitBody(t *testing.T) {
	var reached []string
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			w.Header().Set("X-Slack-No-Retry", "1") // as the Slack adapter refuses
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		}
		reached = append(reached, r.URL.Path)
	})
	h := limitBody(next)
	tests := []struct {
		name        string
		path        string
		length      int64 // the declared Content-Length; -1: chunked
		body        int   // bytes actually sent
		wantStatus  int
		wantNoRetry string
		wantReached bool
	}{
		{"slack commands over the limit", "/slack/commands", maxBody + 1, maxBody + 1, 413, "1", false},
		{"slack events over the limit", "/slack/events", maxBody + 1, maxBody + 1, 413, "1", false},
		{"slack interactivity over the limit", "/slack/interactivity", 10 << 20, 0, 413, "1", false},
		{"slack chunked over the limit", "/slack/events", -1, maxBody + 1, 413, "1", false},
		{"slack at the limit", "/slack/events", maxBody, maxBody, 200, "", true},
		{"discord over the limit", "/discord/interactions", maxBody + 1, maxBody + 1, 413, "", false},
		{"discord small", "/discord/interactions", 10, 10, 200, "", true},
	}
	for _, tt := range tests {
		reached = nil
		req := httptest.NewRequest(http.MethodPost, tt.path, strings.NewReader(strings.Repeat("x", tt.body)))
		req.ContentLength = tt.length
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if got := rec.Code; got != tt.wantStatus {
			t.Errorf("%s: status %d, want %d", tt.name, got, tt.wantStatus)
		}
		if got := rec.Header().Get("X-Slack-No-Retry"); got != tt.wantNoRetry {
			t.Errorf("%s: X-Slack-No-Retry %q, want %q", tt.name, got, tt.wantNoRetry)
		}
		if got := len(reached) > 0; got != tt.wantReached {
			t.Errorf("%s: handler reached %v, want %v", tt.name, got, tt.wantReached)
		}
	}
}
