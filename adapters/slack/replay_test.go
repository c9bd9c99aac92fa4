package slack

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/slack/slacktest"
	"github.com/alexa-brief/alexa-brief/bot/bottest"
)

// slashForm is a slash command payload with its own trigger_id.
func slashForm(e *env, text, trigger string) string {
	return url.Values{
		"token": {"deprecated"}, "team_id": {slacktest.DefaultTeam}, "team_domain": {"test"},
		"channel_id": {"C1"}, "channel_name": {"general"}, "user_id": {"U1"}, "user_name": {"ada"},
		"command": {"/alexa-brief"}, "text": {text}, "response_url": {e.api.ResponseURL(slacktest.DefaultTeam, "C1")},
		"trigger_id": {trigger}, "api_app_id": {"A0TEST"},
	}.Encode()
}

// TestSlashCommandReplay: Slack signs a request, not a use of it, so a
// captured slash command replayed within the 5-minute window passes the
// signature check. A command that changes state runs once per trigger_id;
// the replay gets a 200 with a short ephemeral note. Read-only commands
// may run again.
func TestSlashCommandReplay(t *testing.T) {
	h := &recorder{}
	e := newEnv(t, h, nil)
	tests := []struct {
		text     string
		wantOnce bool // the replay is refused; else it runs again
	}{
		{"subscribe @daily", true},
		{"sub weekdays 09:00", true},
		{"unsubscribe", true},
		{"unsub", true},
		{"stop", true},
		{"follow default", true},
		{"add https://example.com/a.html", true},
		{"ingest https://example.com/a.html", true},
		{"UNSUBSCRIBE", true},
		{"  subscribe   @daily ", true},
		{"\u200bunsubscribe", true},       // the core drops the zero-width space
		{"\u202eunsubscribe\u202c", true}, // and bidi controls
		{"\tunsubscribe", true},
		{"brief", false},
		{"", false},
		{"ask who is Andy Jassy?", false},
		{"schedule", false},
		{"quotes", false},
	}
	for i, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.text), func(t *testing.T) {
			before := len(h.requests())
			form := slashForm(e, tt.text, fmt.Sprintf("%d.456.replay", 100+i))
			var answers []inlineResponse
			for range 2 {
				resp := e.post("/slack/commands", "application/x-www-form-urlencoded", form, nil)
				body := readBody(t, resp)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("status %d: %s", resp.StatusCode, body)
				}
				var got inlineResponse
				if err := json.Unmarshal([]byte(body), &got); err != nil {
					t.Fatalf("%v: %s", err, body)
				}
				answers = append(answers, got)
			}
			e.a.Wait()
			want := 2
			if tt.wantOnce {
				want = 1
			}
			if got := len(h.requests()) - before; got != want {
				t.Errorf("handler ran %d times, want %d", got, want)
			}
			replay := answers[1].Text == alreadyDone && answers[1].ResponseType == "ephemeral"
			if replay != tt.wantOnce {
				t.Errorf("second answer %+v: replay note %v, want %v", answers[1], replay, tt.wantOnce)
			}
		})
	}
	// A new trigger (the user typing the command again) runs again.
	before := len(h.requests())
	for i := range 2 {
		resp := e.post("/slack/commands", "application/x-www-form-urlencoded", slashForm(e, "unsubscribe", fmt.Sprintf("9%d.456.again", i)), nil)
		readBody(t, resp)
	}
	e.a.Wait()
	if got := len(h.requests()) - before; got != 2 {
		t.Errorf("two triggers ran %d times, want 2", got)
	}
	if n := len(e.api.Messages()); n != 0 {
		t.Errorf("%d messages posted for replays, want 0", n)
	}
}

// TestSlashCommandReplayKey: the ledger key is the trigger_id under its own
// prefix, so it never collides with an Events API event_id.
func TestSlashCommandReplayKey(t *testing.T) {
	e := newEnv(t, nil, nil)
	readBody(t, e.post("/slack/commands", "application/x-www-form-urlencoded", slashForm(e, "unsubscribe", "123.456.key"), nil))
	e.a.Wait()
	if first, err := e.st.FirstSeen(context.Background(), "slack", "slack-trigger:123.456.key"); err != nil || first {
		t.Errorf("ledger lacks slack/slack-trigger:123.456.key (FirstSeen = %v, %v)", first, err)
	}
}

// brokenLedger fails every FirstSeen.
type brokenLedger struct{ *bottest.Store }

func (brokenLedger) FirstSeen(context.Context, string, string) (bool, error) {
	return false, errors.New("database is locked")
}

// TestSlashCommandReplayStoreDown: without the ledger a state change could
// run twice, so it is refused with an apology; read-only commands still run.
func TestSlashCommandReplayStoreDown(t *testing.T) {
	h := &recorder{}
	e := newEnv(t, h, nil)
	e.a.drain() // slash commands only: stop the outbox's workers, which read a.st
	e.a.st = brokenLedger{e.st}
	for _, tt := range []struct {
		text    string
		wantRan int
	}{{"unsubscribe", 0}, {"brief", 1}} {
		before := len(h.requests())
		resp := e.post("/slack/commands", "application/x-www-form-urlencoded", slashForm(e, tt.text, "1.2."+tt.text), nil)
		body := readBody(t, resp)
		e.a.Wait()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", tt.text, resp.StatusCode)
		}
		if got := len(h.requests()) - before; got != tt.wantRan {
			t.Errorf("%s: handler ran %d times, want %d (%s)", tt.text, got, tt.wantRan, body)
		}
	}
}

// records is a slog handler keeping every record.
type records struct {
	mu   sync.Mutex
	list []slog.Record
}

func (r *records) Enabled(context.Context, slog.Level) bool { return true }
func (r *records) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	r.list = append(r.list, rec)
	r.mu.Unlock()
	return nil
}
func (r *records) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *records) WithGroup(string) slog.Handler      { return r }

// matching returns the records whose message contains s.
func (r *records) matching(s string) []slog.Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []slog.Record
	for _, rec := range r.list {
		if strings.Contains(rec.Message, s) {
			out = append(out, rec)
		}
	}
	return out
}

func intAttr(rec slog.Record, key string) (int64, bool) {
	var n int64
	found := false
	rec.Attrs(func(a slog.Attr) bool {
		if a.Key == key {
			n, found = a.Value.Int64(), true
			return false
		}
		return true
	})
	return n, found
}

// unverifiedCount counts Metrics.Unverified.
type unverifiedCount struct {
	countMetrics
	umu sync.Mutex
	n   map[string]int
}

func (m *unverifiedCount) Unverified(platform string) {
	m.umu.Lock()
	defer m.umu.Unlock()
	if m.n == nil {
		m.n = map[string]int{}
	}
	m.n[platform]++
}

func (m *unverifiedCount) count(platform string) int {
	m.umu.Lock()
	defer m.umu.Unlock()
	return m.n[platform]
}

// TestRejectedSignaturesSampled: 1,000 bad signatures from one client write
// a line or so per endpoint per second, each saying how many it stands
// for; the metric counts all 1,000.
func TestRejectedSignaturesSampled(t *testing.T) {
	logs := &records{}
	clock := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	m := &unverifiedCount{}
	a, err := New(Config{SigningSecret: testSecret, BotToken: "xoxb-test", Logger: slog.New(logs), Metrics: m, Now: clock.Now},
		&recorder{}, bottest.NewStore(nil))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	a.Routes(mux)
	bad := func(path, ts string) int {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader("text=x"))
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", "v0="+strings.Repeat("00", 32))
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		return rec.Code
	}
	now := strconv.FormatInt(clock.Now().Unix(), 10)
	for i := range 1000 {
		if code := bad("/slack/commands", now); code != http.StatusUnauthorized {
			t.Fatalf("request %d: status %d, want 401", i, code)
		}
	}
	if got, want := m.count("slack"), 1000; got != want {
		t.Errorf("metric = %d, want %d", got, want)
	}
	if got := len(logs.matching("rejected unverified request")); got < 1 || got > 3 {
		t.Errorf("%d log lines for 1000 rejections, want 1 to 3", got)
	}
	// Endpoints are sampled apart: the first bad event still shows.
	bad("/slack/events", now)
	if got := len(logs.matching("rejected unverified request")); got < 2 || got > 4 {
		t.Errorf("%d log lines after a bad event, want one more", got)
	}
	// A second on, the next line counts the 999 it left out.
	clock.Advance(1100 * time.Millisecond)
	bad("/slack/commands", "1531420618") // stale: the same kind of rejection
	lines := logs.matching("rejected unverified request")
	last := lines[len(lines)-1]
	if n, ok := intAttr(last, "suppressed"); !ok || n != 999 {
		t.Errorf("last line suppressed = %d (%v), want 999", n, ok)
	}
	if got, want := m.count("slack"), 1002; got != want {
		t.Errorf("metric = %d, want %d", got, want)
	}
}

// stalledBody is a request body whose read fails as a read deadline does.
type stalledBody struct{ err error }

func (b stalledBody) Read([]byte) (int, error) { return 0, b.err }
func (b stalledBody) Close() error             { return nil }

// TestBodyReadErrors: a body still arriving at the read timeout is a
// network problem a retry may fix, so it gets 408 without
// X-Slack-No-Retry; a body over the limit or one that ends early is
// refused for good.
func TestBodyReadErrors(t *testing.T) {
	e := newEnv(t, nil, nil)
	timeout := &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
	tests := []struct {
		name        string
		body        io.ReadCloser
		wantStatus  int
		wantNoRetry string
	}{
		{"read deadline", stalledBody{timeout}, http.StatusRequestTimeout, ""},
		{"deadline wrapped", stalledBody{fmt.Errorf("http: body: %w", timeout)}, http.StatusRequestTimeout, ""},
		{"cut short", stalledBody{io.ErrUnexpectedEOF}, http.StatusBadRequest, "1"},
		{"too large", io.NopCloser(strings.NewReader(strings.Repeat("a", maxBody+1))), http.StatusRequestEntityTooLarge, "1"},
	}
	for _, tt := range tests {
		ran := false
		h := e.a.verified(func(http.ResponseWriter, *http.Request, []byte) { ran = true })
		req := httptest.NewRequest(http.MethodPost, "/slack/events", nil)
		req.Body, req.ContentLength = tt.body, -1
		rec := httptest.NewRecorder()
		h(rec, req)
		if rec.Code != tt.wantStatus || rec.Header().Get("X-Slack-No-Retry") != tt.wantNoRetry || ran {
			t.Errorf("%s: status %d, X-Slack-No-Retry %q, handled %v; want %d, %q, false",
				tt.name, rec.Code, rec.Header().Get("X-Slack-No-Retry"), ran, tt.wantStatus, tt.wantNoRetry)
		}
	}
}

// TestBodyReadTimeoutOverHTTP: the same through a real server whose read
// timeout expires while the body is still arriving.
func TestBodyReadTimeoutOverHTTP(t *testing.T) {
	e := newEnv(t, nil, nil)
	mux := http.NewServeMux()
	e.a.Routes(mux)
	srv := httptest.NewUnstartedServer(mux)
	srv.Config.ReadTimeout = 100 * time.Millisecond
	srv.Start()
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Headers and half the body; the rest never comes.
	fmt.Fprintf(conn, "POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"type\":")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestTimeout || resp.Header.Get("X-Slack-No-Retry") != "" {
		t.Errorf("status %d, X-Slack-No-Retry %q; want 408 and retries allowed", resp.StatusCode, resp.Header.Get("X-Slack-No-Retry"))
	}
}
