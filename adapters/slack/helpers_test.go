package slack

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/slack/slacktest"
	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/bot/bottest"
)

// countMetrics counts what the adapter reports.
type countMetrics struct {
	bot.NopMetrics
	mu                      sync.Mutex
	rateLimited, retried    int
	waits                   []time.Duration
	calls                   map[string]int
	connectionsUp, connDown int
	outbox                  map[string]int // outcome → events
}

func (m *countMetrics) OutboxEvents(_, outcome string, n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.outbox == nil {
		m.outbox = map[string]int{}
	}
	m.outbox[outcome] += n
}

func (m *countMetrics) outcomes(outcome string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.outbox[outcome]
}

func (m *countMetrics) APICall(_, method string, status int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.calls == nil {
		m.calls = map[string]int{}
	}
	m.calls[method+" "+strconv.Itoa(status)]++
}
func (m *countMetrics) RateLimited(string) { m.mu.Lock(); m.rateLimited++; m.mu.Unlock() }
func (m *countMetrics) Retried(string)     { m.mu.Lock(); m.retried++; m.mu.Unlock() }
func (m *countMetrics) Waited(_ string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.waits = append(m.waits, d)
}

// handlerFunc adapts a function to Handler and records the requests.
type recorder struct {
	mu   sync.Mutex
	reqs []bot.Request
	fn   func(ctx context.Context, req bot.Request) bot.Reply
}

func (r *recorder) Handle(ctx context.Context, req bot.Request) bot.Reply {
	r.mu.Lock()
	r.reqs = append(r.reqs, req)
	r.mu.Unlock()
	if r.fn != nil {
		return r.fn(ctx, req)
	}
	return bot.Reply{Sections: []bot.Section{{Text: "You said: " + req.Text}}}
}

func (r *recorder) requests() []bot.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Request(nil), r.reqs...)
}

const testSecret = "8f742231b10e8888abcd99yyyzzz85a5"

// fakeClock is a manual clock; sleeping on it advances it.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is an adapter wired to a fake Web API and served over real HTTP.
type env struct {
	t       *testing.T
	api     *slacktest.Server
	a       *Adapter
	h       *recorder
	st      *bottest.Store
	metrics *countMetrics
	srv     *httptest.Server
	clock   *fakeClock
	// storeClock is the store's: it judges leases and ages, and stands
	// still unless a test moves it.
	storeClock *bottest.Clock
	cfg        Config // as given to New, before defaults
	slept      []time.Duration
	sleptMu    sync.Mutex
}

// newEnv starts the fake API and the adapter's endpoints on 127.0.0.1,
// over an empty in-memory store, with the outbox's workers running (the
// part of Run the HTTP endpoints need; Socket Mode tests call Run, which
// starts them only once). The poster sleeps on a fake clock shared with
// the fake API, so rate limits are enforced without the test waiting for
// them.
func newEnv(t *testing.T, h *recorder, mutate func(*Config, *slacktest.Options)) *env {
	t.Helper()
	clock := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	opts := slacktest.Options{Now: clock.Now}
	cfg := Config{SigningSecret: testSecret, BotToken: slacktest.DefaultToken}
	if mutate != nil {
		mutate(&cfg, &opts)
	}
	api := slacktest.New(opts)
	t.Cleanup(api.Close)
	cfg.APIURL = api.URL()
	sc := bottest.NewClock(time.Unix(1_800_000_000, 0).UTC())
	return startEnv(t, h, cfg, api, bottest.NewStore(sc.Now), sc, clock)
}

// restart is another adapter (a new process, or another replica) over the
// same fake API, store and clock, configured as e was and then by mutate.
func (e *env) restart(h *recorder, mutate func(*Config)) *env {
	e.t.Helper()
	cfg := e.cfg
	cfg.Owner = ""
	if mutate != nil {
		mutate(&cfg)
	}
	return startEnv(e.t, h, cfg, e.api, e.st, e.storeClock, e.clock)
}

func startEnv(t *testing.T, h *recorder, cfg Config, api *slacktest.Server, st *bottest.Store, sc *bottest.Clock, clock *fakeClock) *env {
	t.Helper()
	m := &countMetrics{}
	given := cfg
	cfg.Metrics = m
	if h == nil {
		h = &recorder{}
	}
	a, err := New(cfg, h, st)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, api: api, a: a, h: h, st: st, metrics: m, clock: clock, storeClock: sc, cfg: given}
	a.limits = newLimiter(clock.Now)
	a.sleep = func(ctx context.Context, d time.Duration) error {
		e.sleptMu.Lock()
		e.slept = append(e.slept, d)
		e.sleptMu.Unlock()
		clock.Advance(d)
		return ctx.Err()
	}
	a.jitter = func(d time.Duration) time.Duration { return d }
	mux := http.NewServeMux()
	a.Routes(mux)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	a.startOutbox()
	e.srv = &httptest.Server{Listener: l, Config: &http.Server{Handler: mux}}
	e.srv.Start()
	t.Cleanup(func() { e.srv.Close(); a.Wait(); a.drain() })
	return e
}

// post sends a request signed now (the real clock, as the adapter's
// verifier uses it unless a test sets Now).
func (e *env) post(path, contentType, body string, header http.Header) *http.Response {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sign([]byte(testSecret), ts, []byte(body)))
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
