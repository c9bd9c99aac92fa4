package bot_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
)

// barrierStore holds every Conversation read until n readers are in, so
// that concurrent requests all read before any writes: the interleaving
// that loses a turn with read-modify-write.
type barrierStore struct {
	bot.Store
	mu      sync.Mutex
	n       int
	arrived chan struct{}
}

func (s *barrierStore) Conversation(ctx context.Context, key string) ([]bot.Turn, error) {
	turns, err := s.Store.Conversation(ctx, key)
	s.mu.Lock()
	s.n--
	if s.n == 0 {
		close(s.arrived)
	}
	s.mu.Unlock()
	select {
	case <-s.arrived:
	case <-time.After(10 * time.Second):
	}
	return turns, err
}

// Two messages in one thread at once: both exchanges are remembered.
func TestConversationConcurrentMessagesKeepBothTurns(t *testing.T) {
	f := newFixture(t)
	st := &barrierStore{Store: f.store, n: 2, arrived: make(chan struct{})}
	b := bot.New(bot.Config{Corpus: testCorpus(t), Store: st})
	questions := []string{"What did Dave Limp say?", "How many Alexa devices has Amazon sold?"}
	var wg sync.WaitGroup
	for _, q := range questions {
		wg.Go(func() { b.Handle(context.Background(), dm(q)) })
	}
	wg.Wait()
	keys := f.store.Conversations()
	if len(keys) != 1 {
		t.Fatalf("got %d conversations, want 1", len(keys))
	}
	turns, err := f.store.Conversation(context.Background(), keys[0])
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, tr := range turns {
		got[tr.Question] = true
	}
	for _, q := range questions {
		if !got[q] {
			t.Errorf("turn %q lost; stored %d turns", q, len(turns))
		}
	}
}

// Share posts what the asker saw. When that answer is no longer in the
// conversation the bot says so; it never asks again (which would add a
// turn and could give another answer).
func TestShareWithoutTheAnswerRefuses(t *testing.T) {
	tests := []struct {
		name    string
		history []string // asked first, in the same conversation
		value   string
	}{
		{"never asked", nil, "ask What did Dave Limp say?"},
		{"asked something else", []string{"How many Alexa devices has Amazon sold?"}, "ask What did Dave Limp say?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			for _, q := range tt.history {
				f.bot.Handle(ctx, dm(q))
			}
			before := conversationTurns(t, f)
			req := dm("")
			req.Kind, req.Action, req.Value = bot.KindAction, bot.ActionShare, tt.value
			got := f.bot.Handle(ctx, req)
			if !got.Failure || got.InChannel || strings.Contains(text(got), "make money") {
				t.Errorf("share of an answer not in the conversation:\n%s\nwant a polite refusal to the asker only", text(got))
			}
			if after := conversationTurns(t, f); after != before {
				t.Errorf("share changed the conversation: %d turns, want %d", after, before)
			}
		})
	}
}

func conversationTurns(t *testing.T, f *fixture) int {
	t.Helper()
	n := 0
	for _, k := range f.store.Conversations() {
		turns, err := f.store.Conversation(context.Background(), k)
		if err != nil {
			t.Fatal(err)
		}
		n += len(turns)
	}
	return n
}

// unsavedStore refuses to save conversations.
type unsavedStore struct{ bot.Store }

var errDiskFull = errors.New("disk full")

func (unsavedStore) AppendTurn(context.Context, string, bot.Turn) error { return errDiskFull }

// savesMetrics counts conversations not saved.
type savesMetrics struct {
	metrics
	lost map[string]int
}

func (m *savesMetrics) ConversationNotSaved(platform string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.lost == nil {
		m.lost = map[string]int{}
	}
	m.lost[platform]++
}

// The answer is computed before the conversation is saved: a failed save
// loses the follow-up context, not the answer. It is logged once and
// counted.
func TestAnswerDespiteUnsavedConversation(t *testing.T) {
	f := newFixture(t)
	m := &savesMetrics{}
	b := bot.New(bot.Config{Corpus: testCorpus(t), Store: unsavedStore{f.store}, Metrics: m,
		Logger: slog.New(slog.NewTextHandler(&syncWriter{w: f.logs}, nil))})
	got := b.Handle(context.Background(), dm("What did Dave Limp say?"))
	if got.Failure || !strings.Contains(text(got), "make money") {
		t.Errorf("reply:\n%s\nwant the answer", text(got))
	}
	if got := m.last(t).outcome; got != "ok" {
		t.Errorf("outcome = %q, want ok", got)
	}
	if got := m.lost[bot.PlatformSlack]; got != 1 {
		t.Errorf("ConversationNotSaved(slack) counted %d, want 1", got)
	}
	if n := strings.Count(f.logs.String(), "disk full"); n != 1 {
		t.Errorf("log mentions the save error %d times, want once:\n%s", n, f.logs.String())
	}
}

// lossyStore accepts subscriptions but cannot prove they persist: its
// heartbeat fails, as a SQLite file deleted under the running bot does.
type lossyStore struct{ bot.Store }

func (lossyStore) Heartbeat(context.Context) error {
	return errors.New(`sqlite: heartbeat: database file "/data/bot.db" is missing`)
}

// "Subscribed" is said only of a subscription the store keeps.
func TestSubscribeNeedsAPersistentStore(t *testing.T) {
	f := newFixture(t)
	b := bot.New(bot.Config{Corpus: testCorpus(t), Store: lossyStore{f.store}, Metrics: f.metrics})
	got := b.Handle(context.Background(), cmd("subscribe daily 09:00"))
	if !got.Failure || strings.Contains(text(got), "Subscribed") {
		t.Errorf("subscribe on a store that does not persist:\n%s\nwant an error", text(got))
	}
	if got := f.metrics.last(t).outcome; got != "error" {
		t.Errorf("outcome = %q, want error", got)
	}
}
