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
)

// memStore is the adapter's Store subset in memory.
type memStore struct {
	mu       sync.Mutex
	seen     map[string]bool
	installs map[string]bot.Install
}

func newMemStore() *memStore {
	return &memStore{seen: map[string]bool{}, installs: map[string]bot.Install{}}
}

func (s *memStore) FirstSeen(_ context.Context, platform, id string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := platform + "/" + id
	if s.seen[k] {
		return false, nil
	}
	s.seen[k] = true
	return true, nil
}

func (s *memStore) PutInstall(_ context.Context, in bot.Install) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.installs[in.Platform+"/"+in.Team] = in
	return nil
}

func (s *memStore) Install(_ context.Context, platform, team string) (bot.Install, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.installs[platform+"/"+team]
	if !ok {
		return bot.Install{}, bot.ErrNotFound
	}
	return in, nil
}

// countMetrics counts what the adapter reports.
type countMetrics struct {
	bot.NopMetrics
	mu                      sync.Mutex
	rateLimited, retried    int
	waits                   []time.Duration
	calls                   map[string]int
	connectionsUp, connDown int
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
	st      *memStore
	metrics *countMetrics
	srv     *httptest.Server
	slept   []time.Duration
	sleptMu sync.Mutex
}

// newEnv starts the fake API and the adapter's endpoints on 127.0.0.1.
// The poster sleeps on a fake clock shared with the fake API, so rate
// limits are enforced without the test waiting for them.
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
	m := &countMetrics{}
	cfg.Metrics = m
	if h == nil {
		h = &recorder{}
	}
	st := newMemStore()
	a, err := New(cfg, h, st)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, api: api, a: a, h: h, st: st, metrics: m}
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
	e.srv = &httptest.Server{Listener: l, Config: &http.Server{Handler: mux}}
	e.srv.Start()
	t.Cleanup(func() { e.srv.Close(); a.Wait() })
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
