package discord

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/alexa-brief/alexa-brief/adapters/discord/discordtest"
	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/bot/bottest"
)

// Direct messages through the outbox. Nothing here asserts on wall-clock
// time; waits are polls whose bound only stops a broken test.

// outboxMetrics counts the outbox's outcomes.
type outboxMetrics struct {
	bot.NopMetrics
	mu sync.Mutex
	n  map[string]int
}

func (m *outboxMetrics) OutboxEvents(_, outcome string, n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.n == nil {
		m.n = map[string]int{}
	}
	m.n[outcome] += n
}

func (m *outboxMetrics) outcome(o string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.n[o]
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); !cond(); time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
	}
}

func dmChannelID(i int) string { return fmt.Sprint(610000000000000000 + i) }

func dmMessage(i int) *discordgo.Message {
	m := dm(fmt.Sprint(710000000000000000+i), "300000000000000003", fmt.Sprint("question ", i))
	m.ChannelID = dmChannelID(i)
	return m
}

// outboxEnv is one process: an adapter over a shared store and fake,
// running until stop.
type outboxEnv struct {
	a       *Adapter
	h       *stubHandler
	metrics *outboxMetrics
	stop    func()
}

func startOutbox(t *testing.T, fake *discordtest.Server, st *bottest.Store, h *stubHandler, mutate func(*Config)) *outboxEnv {
	t.Helper()
	m := &outboxMetrics{}
	cfg := Config{AppID: fake.AppID(), BotToken: fake.Token(), APIURL: fake.URL(), Metrics: m}
	if mutate != nil {
		mutate(&cfg)
	}
	a, err := New(cfg, h, st)
	if err != nil {
		t.Fatal(err)
	}
	if a.outbox == nil {
		t.Fatal("no outbox over a store that keeps one")
	}
	a.rest.backoff = time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	// The fake refuses the gateway's websocket: Run retries it while the
	// outbox works, as in a gateway outage.
	go func() { done <- a.Run(ctx) }()
	var once sync.Once
	e := &outboxEnv{a: a, h: h, metrics: m, stop: func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run = %v", err)
			}
		})
	}}
	t.Cleanup(e.stop)
	return e
}

// A DM accepted and then the process stopping before answering it is
// answered by the next start; one that has gone stale meanwhile is
// expired and counted instead. None is answered twice.
func TestDMOutboxResumesAfterStop(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	clock := bottest.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	st := bottest.NewStore(clock.Now)
	gate := make(chan struct{}) // never opened: the first process answers nothing
	first := startOutbox(t, fake, st, &stubHandler{gate: gate}, func(c *Config) {
		c.ShutdownTimeout = time.Nanosecond // the drain gives up at once
		// One worker, busy with message 0 from here on: none is idle to
		// take it over when the clock jump below lapses its lease.
		c.Workers = 1
	})
	first.a.acceptDM(t.Context(), dmMessage(0))
	waitFor(t, "the worker to take message 0", func() bool { return len(first.h.requests()) == 1 })
	clock.Add(bot.DefaultOutboxFreshness + time.Minute) // message 0 is now too old to answer
	first.a.acceptDM(t.Context(), dmMessage(1))
	first.a.acceptDM(t.Context(), dmMessage(2))
	first.stop()
	if n, err := st.PendingCount(t.Context(), bot.PlatformDiscord); err != nil || n != 3 {
		t.Fatalf("after the stop the backlog is %d, %v; want 3 stored", n, err)
	}
	if n := len(fake.Messages()); n != 0 {
		t.Fatalf("%d answers from the stopped process, want 0", n)
	}

	next := startOutbox(t, fake, st, &stubHandler{}, nil)
	waitFor(t, "the answers", func() bool { return len(fake.Messages()) >= 2 })
	next.a.outbox.Wait()
	next.stop()
	for i, want := range []int{0, 1, 1} {
		if got := len(fake.ChannelMessages(dmChannelID(i))); got != want {
			t.Errorf("message %d: %d answers, want %d", i, got, want)
		}
	}
	states := map[string]bot.OutboxState{}
	for _, ev := range st.OutboxEvents() {
		states[ev.EventID] = ev.State
	}
	for i, want := range []bot.OutboxState{bot.OutboxExpired, bot.OutboxDone, bot.OutboxDone} {
		if got := states[dmEventID(dmMessage(i).ID)]; got != want {
			t.Errorf("message %d: state %q, want %q", i, got, want)
		}
	}
	if a, x := next.metrics.outcome(bot.OutcomeAnswered), next.metrics.outcome(bot.OutcomeExpired); a != 2 || x != 1 {
		t.Errorf("metrics: answered %d, expired %d; want 2 and 1", a, x)
	}
}

// The gateway delivering the same message twice (a resume, two replicas)
// gets one answer.
func TestDMOutboxDuplicateDelivery(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	st := bottest.NewStore(nil)
	e := startOutbox(t, fake, st, &stubHandler{}, nil)
	m := dmMessage(0)
	e.a.acceptDM(t.Context(), m)
	e.a.acceptDM(t.Context(), m)
	waitFor(t, "the answer", func() bool { return len(fake.Messages()) > 0 })
	e.a.outbox.Wait()
	e.a.acceptDM(t.Context(), m) // and once more after it was answered
	e.a.outbox.Wait()
	e.stop()
	if n := len(fake.ChannelMessages(dmChannelID(0))); n != 1 {
		t.Errorf("%d answers, want 1", n)
	}
	if n := len(e.h.requests()); n != 1 {
		t.Errorf("the bot was asked %d times, want 1", n)
	}
	if evs := st.OutboxEvents(); len(evs) != 1 || evs[0].State != bot.OutboxDone {
		t.Errorf("outbox %+v, want one event done", evs)
	}
}

// Past the backlog limit a DM is not held but answered at once with a
// short busy reply, and never reaches the bot.
func TestDMOutboxBacklogBusyReply(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	st := bottest.NewStore(nil)
	gate := make(chan struct{})
	e := startOutbox(t, fake, st, &stubHandler{gate: gate}, func(c *Config) { c.Workers, c.Backlog = 1, 2 })
	e.a.acceptDM(t.Context(), dmMessage(0))
	e.a.acceptDM(t.Context(), dmMessage(1))
	waitFor(t, "the worker to take one", func() bool { return len(e.h.requests()) == 1 })
	busy := dmMessage(9)
	e.a.acceptDM(t.Context(), busy)
	e.a.acceptDM(t.Context(), busy) // delivered again: still one busy reply
	waitFor(t, "the busy reply", func() bool { return len(fake.ChannelMessages(dmChannelID(9))) > 0 })
	close(gate)
	waitFor(t, "the answers", func() bool { return len(fake.Messages()) >= 3 })
	e.a.outbox.Wait()
	e.stop()

	msgs := fake.ChannelMessages(dmChannelID(9))
	if len(msgs) != 1 || len(msgs[0].Embeds) == 0 || !strings.Contains(msgs[0].Embeds[0].Description, bot.OutboxBusyText) {
		t.Errorf("busy replies %+v, want one saying %q", msgs, bot.OutboxBusyText)
	}
	for _, r := range e.h.requests() {
		if r.Channel == dmChannelID(9) {
			t.Errorf("the refused message reached the bot: %+v", r)
		}
	}
	for i := range 2 {
		if n := len(fake.ChannelMessages(dmChannelID(i))); n != 1 {
			t.Errorf("message %d: %d answers, want 1", i, n)
		}
	}
	if b, a := e.metrics.outcome(bot.OutcomeBusy), e.metrics.outcome(bot.OutcomeAnswered); b != 1 || a != 2 {
		t.Errorf("metrics: busy %d, answered %d; want 1 and 2", b, a)
	}
}
