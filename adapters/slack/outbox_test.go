package slack

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/slack/slacktest"
	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/bot/bottest"
)

// The outbox: what happens to events between the 200 and the answer.
// Nothing here asserts on wall-clock time; waits are generous polls.

func evID(i int) string      { return fmt.Sprintf("EvF%05d", i) }
func dmChannel(i int) string { return fmt.Sprintf("D%05d", i) }

// flood posts signed DM events from..to-1, each from its own user in its
// own DM channel (Slack's posting limit is per channel), 8 at a time, and
// checks that every one got a 200.
func flood(t *testing.T, e *env, from, to int) {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	defer client.CloseIdleConnections()
	ids := make(chan int)
	errs := make(chan error, to-from)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range ids {
				body := dmEvent(evID(i), dmChannel(i), fmt.Sprintf("U%05d", i), fmt.Sprintf("question %d", i), "")
				req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/slack/events", strings.NewReader(body))
				if err != nil {
					errs <- err
					continue
				}
				ts := strconv.FormatInt(time.Now().Unix(), 10)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Slack-Request-Timestamp", ts)
				req.Header.Set("X-Slack-Signature", sign([]byte(testSecret), ts, []byte(body)))
				resp, err := client.Do(req)
				if err != nil {
					errs <- err
					continue
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errs <- fmt.Errorf("event %d: status %d", i, resp.StatusCode)
				}
			}
		}()
	}
	for i := from; i < to; i++ {
		ids <- i
	}
	close(ids)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// waitFor polls cond until it holds; the bound only stops a broken test.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); !cond(); time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
	}
}

// perChannel counts the fake's messages by channel.
func perChannel(e *env) map[string]int {
	n := map[string]int{}
	for _, m := range e.api.Messages() {
		n[m.Channel]++
	}
	return n
}

// gated is a handler whose answers wait for a token (or the work's
// cancellation), counting the requests that reached it.
type gated struct {
	tokens  chan struct{}
	entered atomic.Int32
}

func newGated(tokens int) *gated {
	g := &gated{tokens: make(chan struct{}, 1<<16)}
	for range tokens {
		g.tokens <- struct{}{}
	}
	return g
}

func (g *gated) recorder() *recorder {
	return &recorder{fn: func(ctx context.Context, req bot.Request) bot.Reply {
		g.entered.Add(1)
		select {
		case <-g.tokens:
		case <-ctx.Done():
		}
		return bot.Reply{Sections: []bot.Section{{Text: "Answer to " + req.Text}}}
	}}
}

// open lets every waiting and later answer through.
func (g *gated) open() { close(g.tokens) }

// TestOutboxFloodBoundsGoroutines is the regression test of issue 13: a
// flood of DMs whose answers are slow used to start a goroutine per event
// (12,000 DMs, 11,988 goroutines). Now every event is acknowledged after
// it is stored, a fixed pool of workers holds a few, and the goroutine
// count stays where it was; once the answers come, each DM gets one.
func TestOutboxFloodBoundsGoroutines(t *testing.T) {
	const events = 2000
	g := newGated(0)
	e := newEnv(t, g.recorder(), func(c *Config, _ *slacktest.Options) { c.Backlog = 2 * events })
	base := runtime.NumGoroutine()

	flood(t, e, 0, events)
	waitFor(t, "the workers to take events", func() bool { return g.entered.Load() >= defaultWorkers })
	const slack = 64 // HTTP connections winding down, timers; far below one per event
	got := runtime.NumGoroutine()
	t.Logf("goroutines: %d before, %d with %d events acknowledged and held back", base, got, events)
	if got > base+defaultWorkers+slack {
		t.Errorf("%d goroutines after %d events held back, %d before: want at most %d more", got, events, base, defaultWorkers+slack)
	}
	if got := g.entered.Load(); got != defaultWorkers {
		t.Errorf("%d answers started while held back, want %d (one per worker)", got, defaultWorkers)
	}
	if n, err := e.st.PendingCount(context.Background(), platform); err != nil || n != events {
		t.Errorf("backlog %d, %v; want all %d stored", n, err, events)
	}

	g.open()
	e.a.Wait()
	replies := perChannel(e)
	for i := range events {
		if replies[dmChannel(i)] != 1 {
			t.Fatalf("%s has %d replies, want 1", dmChannel(i), replies[dmChannel(i)])
		}
	}
	if n := e.metrics.outcomes(outcomeAnswered); n != events {
		t.Errorf("answered %d, want %d", n, events)
	}
}

// TestOutboxResumesAfterShutdown: a process stopped mid-flood answers what
// it can within its shutdown timeout and leaves the rest stored; the next
// process over the same store answers every event still fresh and counts
// the stale ones expired. None is lost, none answered twice.
func TestOutboxResumesAfterShutdown(t *testing.T) {
	const part = 150 // events per part; the first part goes stale
	g := newGated(10)
	e := newEnv(t, g.recorder(), nil)
	e.a.after = func(time.Duration) <-chan time.Time { // the shutdown timeout, reached at once
		c := make(chan time.Time)
		close(c)
		return c
	}

	flood(t, e, 0, part)
	// 10 answered; each worker then holds one more, blocked.
	waitFor(t, "10 answers and every worker busy", func() bool {
		return len(e.api.Messages()) == 10 && g.entered.Load() == 10+defaultWorkers
	})
	e.storeClock.Add(defaultFreshness + time.Minute) // the first part is now too old to answer
	flood(t, e, part, 2*part)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.a.Run(ctx) }()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
	if n, err := e.st.PendingCount(context.Background(), platform); err != nil || n != 2*part-10 {
		t.Fatalf("after the shutdown the backlog is %d, %v; want %d stored", n, err, 2*part-10)
	}
	if got := len(e.api.Messages()); got != 10 {
		t.Errorf("%d replies from the stopped process, want 10 (its cancelled answers are not posted)", got)
	}

	next := e.restart(nil, nil) // answers at once
	next.a.Wait()
	got := perChannel(e)
	states := map[string]bot.OutboxState{}
	for _, ev := range e.st.OutboxEvents() {
		states[ev.EventID] = ev.State
	}
	answered, expired := 0, 0
	for i := range 2 * part {
		switch n, st := got[dmChannel(i)], states[evID(i)]; {
		case n == 1 && st == bot.OutboxDone:
			answered++
		case n == 0 && st == bot.OutboxExpired && i < part:
			expired++
		default:
			t.Errorf("%s: %d replies, state %q; want one reply and done, or (stale) none and expired", evID(i), n, st)
		}
	}
	if answered != 10+part || expired != part-10 {
		t.Errorf("answered %d, expired %d; want %d and %d", answered, expired, 10+part, part-10)
	}
	if a, b, x := e.metrics.outcomes(outcomeAnswered), next.metrics.outcomes(outcomeAnswered), next.metrics.outcomes(outcomeExpired); a+b+x != 2*part || x != part-10 {
		t.Errorf("metrics: answered %d + %d, expired %d; want every one of %d counted, %d expired", a, b, x, 2*part, part-10)
	}
}

// TestOutboxBacklogBusyReply: past the backlog limit an event is not held
// but answered at once with a short busy reply, once, retries included.
func TestOutboxBacklogBusyReply(t *testing.T) {
	g := newGated(0)
	e := newEnv(t, g.recorder(), func(c *Config, _ *slacktest.Options) { c.Workers, c.Backlog = 1, 3 })
	for i := range 3 {
		readBody(t, e.post("/slack/events", "application/json", dmEvent(evID(i), dmChannel(i), "U1", "question", ""), nil))
	}
	waitFor(t, "the worker to take one", func() bool { return g.entered.Load() == 1 })
	busy := dmEvent("EvBusy", "D9", "U9", "one too many", "1799999999.000009")
	for retry := range 3 {
		hdr := http.Header{}
		if retry > 0 {
			hdr.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
		}
		resp := e.post("/slack/events", "application/json", busy, hdr)
		if readBody(t, resp); resp.StatusCode != http.StatusOK {
			t.Errorf("busy event delivery %d: status %d, want 200", retry, resp.StatusCode)
		}
	}
	waitFor(t, "the busy reply", func() bool { return len(e.api.ChannelMessages("D9")) > 0 })
	g.open()
	e.a.Wait()

	msgs := e.api.ChannelMessages("D9")
	if len(msgs) != 1 || msgs[0].Text != busyText || msgs[0].ThreadTS != "1799999999.000009" {
		t.Errorf("busy replies = %+v, want one %q in the question's thread", msgs, busyText)
	}
	for _, r := range e.h.requests() {
		if r.Channel == "D9" {
			t.Errorf("the refused event reached the bot: %+v", r)
		}
	}
	for i := range 3 {
		if n := len(e.api.ChannelMessages(dmChannel(i))); n != 1 {
			t.Errorf("%s: %d replies, want 1", dmChannel(i), n)
		}
	}
	if b, a := e.metrics.outcomes(outcomeBusy), e.metrics.outcomes(outcomeAnswered); b != 1 || a != 3 {
		t.Errorf("metrics: busy %d, answered %d; want 1 and 3", b, a)
	}
}

// TestDrainHonoursShutdownTimeout: the drain waits as long as the
// configured timeout says (here injected: cmd passes
// ALEXA_BRIEF_SHUTDOWN_TIMEOUT), not a fixed 15 s; past it the answer in
// hand is cancelled, and its event is released for the next start.
func TestDrainHonoursShutdownTimeout(t *testing.T) {
	cancelled := make(chan struct{})
	var entered atomic.Int32
	h := &recorder{fn: func(ctx context.Context, req bot.Request) bot.Reply {
		entered.Add(1)
		<-ctx.Done()
		close(cancelled)
		return sorry
	}}
	e := newEnv(t, h, func(c *Config, _ *slacktest.Options) { c.ShutdownTimeout = 3 * time.Hour })
	asked := make(chan time.Duration, 4)
	fire := make(chan time.Time)
	e.a.after = func(d time.Duration) <-chan time.Time {
		asked <- d
		return fire
	}
	readBody(t, e.post("/slack/events", "application/json", dmEvent("EvSlow", "D1", "U1", "slow one", ""), nil))
	waitFor(t, "the answer to start", func() bool { return entered.Load() == 1 })

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.a.Run(ctx) }()
	cancel()
	if d := <-asked; d != 3*time.Hour {
		t.Errorf("drain waits %s, want the configured 3h", d)
	}
	select {
	case <-cancelled:
		t.Fatal("the answer was cancelled before the shutdown timeout")
	case err := <-done:
		t.Fatalf("Run returned (%v) before the shutdown timeout with work in flight", err)
	default:
	}
	close(fire)
	<-cancelled
	if err := <-done; err != nil {
		t.Errorf("Run = %v", err)
	}
	evs := e.st.OutboxEvents()
	if len(evs) != 1 || evs[0].State != bot.OutboxPending || evs[0].Owner != "" || evs[0].Attempts != 1 {
		t.Fatalf("after the drain: %+v; want the event pending again, unowned", evs)
	}
	if n := len(e.api.Messages()); n != 0 {
		t.Errorf("%d replies posted for a cancelled answer", n)
	}

	next := e.restart(nil, nil)
	next.a.Wait()
	if n := len(e.api.ChannelMessages("D1")); n != 1 {
		t.Errorf("the next start posted %d replies, want 1", n)
	}
}

// TestDrainAnswersAcknowledged: SIGTERM stops the taking of new events,
// not the answering of those Slack already got its 200 for: the drain
// answers what is stored, then returns.
func TestDrainAnswersAcknowledged(t *testing.T) {
	g := newGated(0)
	e := newEnv(t, g.recorder(), func(c *Config, _ *slacktest.Options) { c.Workers = 1 })
	for i := range 3 {
		readBody(t, e.post("/slack/events", "application/json", dmEvent(evID(i), dmChannel(i), "U1", "question", ""), nil))
	}
	waitFor(t, "the worker to take one", func() bool { return g.entered.Load() == 1 })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.a.Run(ctx) }()
	cancel()
	g.open()
	if err := <-done; err != nil {
		t.Errorf("Run = %v", err)
	}
	for i := range 3 {
		if n := len(e.api.ChannelMessages(dmChannel(i))); n != 1 {
			t.Errorf("%s: %d replies when the drain returned, want 1", dmChannel(i), n)
		}
	}
}

func TestShutdownTimeoutDefault(t *testing.T) {
	for _, tt := range []struct{ in, want time.Duration }{{0, defaultShutdown}, {20 * time.Second, 20 * time.Second}} {
		a, err := New(Config{ShutdownTimeout: tt.in}, &recorder{}, bottest.NewStore(nil))
		if err != nil || a.outbox.Shutdown() != tt.want {
			t.Errorf("ShutdownTimeout %s: got %s, %v; want %s", tt.in, a.outbox.Shutdown(), err, tt.want)
		}
	}
	if _, err := New(Config{Workers: -1}, &recorder{}, bottest.NewStore(nil)); err == nil {
		t.Errorf("New with -1 workers: no error")
	}
}

// TestEventNotStored: an event the store cannot take is not acknowledged
// (503, and no X-Slack-No-Retry), so Slack's retry can deliver it later.
func TestEventNotStored(t *testing.T) {
	e := newEnv(t, nil, nil)
	body := dmEvent("EvDown", "D1", "U1", "hello?", "")
	e.st.SetErr(errors.New("database is locked"))
	resp := e.post("/slack/events", "application/json", body, nil)
	readBody(t, resp)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("X-Slack-No-Retry") != "" {
		t.Errorf("status %d, X-Slack-No-Retry %q; want 503 without it", resp.StatusCode, resp.Header.Get("X-Slack-No-Retry"))
	}
	e.st.SetErr(nil)
	resp = e.post("/slack/events", "application/json", body, http.Header{"X-Slack-Retry-Num": {"1"}})
	if readBody(t, resp); resp.StatusCode != http.StatusOK {
		t.Errorf("retry: status %d, want 200", resp.StatusCode)
	}
	e.a.Wait()
	if n := len(e.api.ChannelMessages("D1")); n != 1 {
		t.Errorf("%d replies, want 1", n)
	}
}
