package llm

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestProbeUpAndDown: a server answering GET /models is reachable; a
// closed port, an error status or no answer within the probe's timeout is
// unreachable with a reason that names neither the URL nor the key.
func TestProbeUpAndDown(t *testing.T) {
	var auth atomic.Value
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth.Store(r.Header.Get("Authorization"))
		if r.Method != http.MethodGet || r.URL.Path != "/v1/models" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"object":"list","data":[{"id":"tiny-instruct","object":"model"}]}`))
	}))
	t.Cleanup(up.Close)
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	t.Cleanup(failing.Close)
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	t.Cleanup(hang.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()

	tests := []struct {
		name, url, want string
	}{
		{"up", up.URL + "/v1", "reachable"},
		{"up, base with slash", up.URL + "/v1/", "reachable"},
		{"error status", failing.URL + "/v1", "unreachable (HTTP 503)"},
		{"closed port", closed + "/v1", "unreachable (connection refused or unreachable)"},
		{"no answer", hang.URL + "/v1", "unreachable (no answer within the probe's timeout)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			c, err := New(Config{BaseURL: tt.url, Model: "m", APIKey: "sk-probe", Metrics: rec})
			if err != nil {
				t.Fatal(err)
			}
			r := NewReachability(c, 0, 100*time.Millisecond)
			if got := r.Status(context.Background()); got != tt.want {
				t.Fatalf("status = %q, want %q", got, tt.want)
			}
			if got := r.Status(context.Background()); strings.Contains(got, "127.0.0.1") || strings.Contains(got, "sk-probe") {
				t.Errorf("status %q names the server or the key", got)
			}
			if r.Reachable() != (tt.want == "reachable") {
				t.Errorf("Reachable() = %v", r.Reachable())
			}
			if len(rec.statuses) != 1 {
				t.Errorf("%d probes for three checks, want 1 (cached)", len(rec.statuses))
			}
		})
	}
	if got, _ := auth.Load().(string); got != "Bearer sk-probe" {
		t.Errorf("probe Authorization = %q, want the key as Bearer", got)
	}
}

// TestReachabilityCachesThenProbesAgain: within the period the last answer
// is reused; after it the model is asked again and a recovery shows.
func TestReachabilityCachesThenProbesAgain(t *testing.T) {
	var down atomic.Bool
	var probes atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		probes.Add(1)
		if down.Load() {
			http.Error(w, "down", http.StatusBadGateway)
			return
		}
		w.Write([]byte(`{"object":"list","data":[]}`))
	}))
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, Model: "m"})
	if err != nil {
		t.Fatal(err)
	}
	down.Store(true)
	cached := NewReachability(c, time.Hour, 0)
	if cached.Reachable() {
		t.Fatal("a 502 probe reads as reachable")
	}
	down.Store(false)
	if cached.Reachable() || probes.Load() != 1 {
		t.Fatalf("within the period: reachable %v after %d probes, want the cached false after 1", cached.Reachable(), probes.Load())
	}
	// A period so short every check probes.
	fresh := NewReachability(c, time.Nanosecond, 0)
	down.Store(true)
	if fresh.Reachable() {
		t.Fatal("down: reachable")
	}
	down.Store(false)
	if !fresh.Reachable() {
		t.Fatal("back up: still unreachable")
	}
}
