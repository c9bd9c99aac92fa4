package bot_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/bot/bottest"
)

// The outbox's workers with a handler of their own: the platform-neutral
// part Slack and Discord share (their adapters' tests cover the rest).

type outboxHandler struct {
	mu       sync.Mutex
	answered []string
	busy     []string
	answer   func(ev bot.OutboxEvent) string
}

func (h *outboxHandler) AnswerEvent(_ context.Context, ev bot.OutboxEvent) string {
	h.mu.Lock()
	h.answered = append(h.answered, ev.EventID)
	h.mu.Unlock()
	return h.answer(ev)
}

func (h *outboxHandler) AnswerBusy(_ context.Context, p json.RawMessage) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.busy = append(h.busy, string(p))
	return nil
}

type outcomeCounts struct {
	bot.NopMetrics
	mu sync.Mutex
	n  map[string]int
}

func (m *outcomeCounts) OutboxEvents(_, outcome string, n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.n[outcome] += n
}

// An event is answered once however often it is accepted; a handler that
// panics has its event finished as failed rather than claimed again; a
// store that cannot take an event leaves it unacknowledged.
func TestOutboxWorkers(t *testing.T) {
	st := bottest.NewStore(nil)
	h := &outboxHandler{answer: func(ev bot.OutboxEvent) string {
		if ev.EventID == "panics" {
			panic("handler bug")
		}
		return bot.OutcomeAnswered
	}}
	m := &outcomeCounts{n: map[string]int{}}
	w, err := bot.NewOutboxWorkers(bot.OutboxConfig{Platform: "test", Store: st, Handler: h, Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	w.Start()
	for _, id := range []string{"a", "a", "panics", "b"} {
		if !w.Accept(t.Context(), id, json.RawMessage(`{}`)) {
			t.Errorf("Accept(%s) refused", id)
		}
	}
	w.Wait()
	st.SetErr(errors.New("database is locked"))
	if w.Accept(t.Context(), "c", json.RawMessage(`{}`)) {
		t.Error("Accept acknowledged an event the store could not take")
	}
	st.SetErr(nil)
	w.Stop()

	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.answered) != 3 {
		t.Errorf("answered %v, want a, panics and b once each", h.answered)
	}
	for _, ev := range st.OutboxEvents() {
		if ev.State != bot.OutboxDone {
			t.Errorf("%s: state %q, want done", ev.EventID, ev.State)
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.n[bot.OutcomeAnswered] != 2 || m.n[bot.OutcomeFailed] != 1 {
		t.Errorf("outcomes %v, want 2 answered and 1 failed", m.n)
	}
}

// Past the backlog an event gets the busy reply instead of a place in the
// queue, once per id.
func TestOutboxWorkersBusy(t *testing.T) {
	st := bottest.NewStore(nil)
	release := make(chan struct{})
	h := &outboxHandler{answer: func(bot.OutboxEvent) string { <-release; return bot.OutcomeAnswered }}
	w, err := bot.NewOutboxWorkers(bot.OutboxConfig{Platform: "test", Store: st, Handler: h, Workers: 1, Backlog: 1})
	if err != nil {
		t.Fatal(err)
	}
	w.Start()
	w.Accept(t.Context(), "first", json.RawMessage(`{"n":1}`))
	w.Accept(t.Context(), "second", json.RawMessage(`{"n":2}`))
	w.Accept(t.Context(), "second", json.RawMessage(`{"n":2}`))
	close(release)
	w.Wait()
	w.Stop()
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.busy) != 1 || h.busy[0] != `{"n":2}` || len(h.answered) != 1 || h.answered[0] != "first" {
		t.Errorf("busy %v, answered %v; want the second refused once, the first answered", h.busy, h.answered)
	}
}
