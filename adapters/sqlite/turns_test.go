package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// TestConversationCacheTwoHandles: two handles on one file stand for two
// processes. Each caches what it read; a turn appended through the other
// must show up at the next read all the same, and appends through both
// must all be kept, in order, so a stale cache fails here.
func TestConversationCacheTwoHandles(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "two.db")
	a, b := openTemp(t, path), openTemp(t, path)
	const key = "slack/T1/C1/user:U1"
	turn := func(q string) bot.Turn {
		return bot.Turn{Question: q, Answer: briefs.Answer{Question: q, Answered: true, Answer: "answer to " + q}}
	}
	questions := func(s *Store) []string {
		t.Helper()
		turns, err := s.Conversation(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		var qs []string
		for _, tr := range turns {
			qs = append(qs, tr.Question)
		}
		return qs
	}
	steps := []struct {
		via  *Store
		q    string
		want []string
	}{
		{a, "q1", []string{"q1"}},
		{b, "q2", []string{"q1", "q2"}},
		{a, "q3", []string{"q1", "q2", "q3"}}, // a's cache held only q1
		{a, "q4", []string{"q1", "q2", "q3", "q4"}},
		{b, "q5", []string{"q1", "q2", "q3", "q4", "q5"}},
	}
	for _, st := range steps {
		// Both read first, so both have the conversation cached.
		questions(a)
		questions(b)
		if err := st.via.AppendTurn(ctx, key, turn(st.q)); err != nil {
			t.Fatal(err)
		}
		for name, s := range map[string]*Store{"a": a, "b": b} {
			if got := questions(s); !slices.Equal(got, st.want) {
				t.Errorf("after %s: handle %s reads %v, want %v", st.q, name, got, st.want)
			}
		}
	}
}

// TestConversationCacheBounded: past MaxTurns the cached history keeps the
// last turns, as the file does, and the cache stays within its byte limit.
func TestConversationCacheBounded(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t, filepath.Join(t.TempDir(), "bounded.db"))
	s.turns.limit = 4 << 10
	for i := range bot.MaxTurns + 5 {
		q := string(rune('a' + i))
		if err := s.AppendTurn(ctx, "k", bot.Turn{Question: q}); err != nil {
			t.Fatal(err)
		}
		got, err := s.Conversation(ctx, "k")
		if err != nil {
			t.Fatal(err)
		}
		if want := min(i+1, bot.MaxTurns); len(got) != want || got[len(got)-1].Question != q {
			t.Fatalf("after %d appends: %d turns ending %q, want %d ending %q", i+1, len(got), got[len(got)-1].Question, want, q)
		}
	}
	for i := range 200 {
		key := "user" + string(rune('A'+i%26)) + string(rune('a'+i/26))
		if err := s.AppendTurn(ctx, key, bot.Turn{Question: "a question long enough to count for something"}); err != nil {
			t.Fatal(err)
		}
	}
	if s.turns.bytes > s.turns.limit {
		t.Errorf("cache holds %d bytes, limit %d", s.turns.bytes, s.turns.limit)
	}
}

// TestGroupCommit: concurrent appends, committed in batches, are all
// kept in the file, and what the cache of the appending handle holds is
// what a fresh handle reads from the file.
func TestGroupCommit(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "group.db")
	s := openTemp(t, path)
	const workers, each = 16, 8
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				key := fmt.Sprintf("k%d", w%4)
				if err := s.AppendTurn(ctx, key, bot.Turn{Question: fmt.Sprintf("%d.%d", w, i)}); err != nil {
					t.Error(err)
				}
				if _, err := s.Conversation(ctx, key); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	fresh := openTemp(t, path)
	var total int
	if err := s.reader.QueryRowContext(ctx, "SELECT count(*) FROM conversation_turns").Scan(&total); err != nil {
		t.Fatal(err)
	}
	// Each key keeps at least its last bot.MaxTurns; older ones go at one
	// append in bot.MaxTurns, so some may still be there.
	if lo, hi := 4*min(bot.MaxTurns, workers/4*each), workers*each; total < lo || total > hi {
		t.Errorf("%d turns stored, want %d to %d", total, lo, hi)
	}
	for k := range 4 {
		key := fmt.Sprintf("k%d", k)
		got, err := s.Conversation(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		want, err := fresh.Conversation(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the appending handle reads %d turns, a fresh one %d (or other turns)", key, len(got), len(want))
		}
	}
}

// Old turns are dropped now and then, not at every append: a conversation
// appended to a thousand times keeps under twice bot.MaxTurns rows.
func TestTurnsTrimmed(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t, filepath.Join(t.TempDir(), "trim.db"))
	for i := range 1000 {
		if err := s.AppendTurn(ctx, "k", bot.Turn{Question: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := s.reader.QueryRowContext(ctx, "SELECT count(*) FROM conversation_turns WHERE key = 'k'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n < bot.MaxTurns || n >= 2*bot.MaxTurns {
		t.Errorf("%d rows kept after 1,000 appends, want %d to %d", n, bot.MaxTurns, 2*bot.MaxTurns-1)
	}
	got, err := s.Conversation(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != bot.MaxTurns || got[len(got)-1].Question != "999" {
		t.Errorf("conversation holds %d turns ending %q, want %d ending %q", len(got), got[len(got)-1].Question, bot.MaxTurns, "999")
	}
}
