package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// TestConversationCacheTwoHandles: two handles on one file stand for two
// processes. Each caches what it read; a turn appended and written
// through the other must show up at the next read all the same (here each
// read looks at data_version), and appends through both must all be kept,
// in order, so a stale cache fails here.
func TestConversationCacheTwoHandles(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "two.db")
	a, b := openTemp(t, path), openTemp(t, path)
	a.turnsFresh, b.turnsFresh = 0, 0
	const key = "slack/T1/C1/user:U1"
	turn := func(q string) bot.Turn {
		return bot.Turn{Question: q, Answer: briefs.Answer{Question: q, Answered: true, Answer: "answer to " + q}}
	}
	questions := func(s *Store) []string { t.Helper(); return readQuestions(t, s, key) }
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
		if err := st.via.Sync(ctx); err != nil {
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
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
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

// TestConversationOtherWriterSeen: with the default freshness, another
// handle's written turn is read once a look at data_version is due, even
// when nothing is appended here in between (so nothing else looks).
func TestConversationOtherWriterSeen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "seen.db")
	a, b := openTemp(t, path), openTemp(t, path)
	if err := a.AppendTurn(ctx, "k", bot.Turn{Question: "q1"}); err != nil {
		t.Fatal(err)
	}
	if got := readQuestions(t, b, "k"); !slices.Equal(got, []string{"q1"}) && len(got) != 0 {
		t.Fatalf("b reads %v before a's turn is written, want [q1] or nothing", got)
	}
	if err := a.AppendTurn(ctx, "k", bot.Turn{Question: "q2"}); err != nil {
		t.Fatal(err)
	}
	if err := a.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(b.turnsFresh + 10*time.Millisecond)
	if got, want := readQuestions(t, b, "k"), []string{"q1", "q2"}; !slices.Equal(got, want) {
		t.Errorf("b reads %v after its look was due, want %v", got, want)
	}
}

func readQuestions(t *testing.T, s *Store, key string) []string {
	t.Helper()
	turns, err := s.Conversation(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	var qs []string
	for _, tr := range turns {
		qs = append(qs, tr.Question)
	}
	return qs
}

// TestAppendsWrittenBehind: an append is read back at once, before it is
// written; Close writes what is queued; a transaction that fails is
// reported by the next append, and its turns are not read back from the
// cache as if they had been kept.
func TestAppendsWrittenBehind(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "behind.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		if err := s.AppendTurn(ctx, fmt.Sprintf("k%d", i%3), bot.Turn{Question: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if got := readQuestions(t, s, "k0"); len(got) != bot.MaxTurns || got[len(got)-1] != "297" {
		t.Errorf("k0 reads %v before Close, want %d turns ending 297", got, bot.MaxTurns)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.AppendTurn(ctx, "k0", bot.Turn{Question: "late"}); err == nil {
		t.Errorf("an append after Close succeeded")
	}
	s = openTemp(t, path)
	if got := readQuestions(t, s, "k2"); len(got) != bot.MaxTurns || got[len(got)-1] != "299" {
		t.Errorf("k2 reads %v after a reopen, want %d turns ending 299", got, bot.MaxTurns)
	}

	// The file refuses the turns of one key; the batch they are in fails.
	if _, err := s.writer.ExecContext(ctx, `CREATE TRIGGER refuse BEFORE INSERT ON conversation_turns
		WHEN NEW.key = 'bad' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`); err != nil {
		t.Fatal(err)
	}
	readQuestions(t, s, "bad") // cached, empty
	if err := s.AppendTurn(ctx, "bad", bot.Turn{Question: "lost"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := readQuestions(t, s, "bad"); len(got) != 0 {
		t.Errorf("after a failed write, bad reads %v, want nothing", got)
	}
	err = s.AppendTurn(ctx, "k0", bot.Turn{Question: "next"})
	if err == nil || !strings.Contains(err.Error(), "1 earlier turns were not saved") || !strings.Contains(err.Error(), "refused by the test") {
		t.Errorf("the append after a failed write returned %v, want the failure reported", err)
	}
	if err := s.AppendTurn(ctx, "k0", bot.Turn{Question: "after"}); err != nil {
		t.Errorf("a failure was reported twice: %v", err)
	}
}

// TestAppendQueueBounded: while another process holds the write lock, the
// queue fills to its bound and the next append waits (here until its
// context ends) instead of holding more; once the lock is released every
// queued turn is written.
func TestAppendQueueBounded(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bounded-queue.db")
	s, other := openTemp(t, path), openTemp(t, path)
	conn, err := other.writer.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	queued := 0
	for {
		short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		err := s.AppendTurn(short, fmt.Sprintf("k%d", queued%50), bot.Turn{Question: fmt.Sprint(queued)})
		cancel()
		if err != nil {
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatal(err)
			}
			break
		}
		queued++
		if queued > maxQueuedTurns+maxTurnBatch {
			t.Fatalf("%d appends queued while the file was locked, want at most %d", queued, maxQueuedTurns+maxTurnBatch)
		}
	}
	if queued < maxQueuedTurns {
		t.Errorf("only %d appends queued before one waited, want %d", queued, maxQueuedTurns)
	}
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.reader.QueryRowContext(ctx, "SELECT count(*) FROM conversation_turns").Scan(&n); err != nil {
		t.Fatal(err)
	}
	// Trimming keeps at least the last bot.MaxTurns of each of 50 keys.
	if n < 50*bot.MaxTurns {
		t.Errorf("%d turns written after the lock was released, want at least %d", n, 50*bot.MaxTurns)
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
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
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

// TestConversationSharedSlices: Conversation hands out the cache's turns
// without copying them, and the cache appends in place, so neither side's
// append may show through the other: a caller's append must leave the
// cache as it was, and a later turn must not appear in a slice read
// before it.
func TestConversationSharedSlices(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t, filepath.Join(t.TempDir(), "shared.db"))
	const key = "k"
	turn := func(q string) bot.Turn { return bot.Turn{Question: q} }
	// Three turns, so that the slice built from them has room for a
	// fourth.
	for _, q := range []string{"q1", "q2", "q3"} {
		if err := s.AppendTurn(ctx, key, turn(q)); err != nil {
			t.Fatal(err)
		}
	}
	before, err := s.Conversation(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	// The caller's append, then the store's: with a shared spare capacity
	// one would overwrite the other.
	mine := append(before, turn("caller's"))
	if err := s.AppendTurn(ctx, key, turn("q4")); err != nil {
		t.Fatal(err)
	}
	if got, want := readQuestions(t, s, key), []string{"q1", "q2", "q3", "q4"}; !slices.Equal(got, want) {
		t.Errorf("after the caller's append the store reads %v, want %v", got, want)
	}
	if got, want := mine[len(mine)-1].Question, "caller's"; got != want {
		t.Errorf("the caller's appended turn reads %q, want %q", got, want)
	}
	if got := len(before); got != 3 {
		t.Errorf("a slice read before the fourth turn has %d turns, want 3", got)
	}
}

// TestFillStaleKeepsPending: a read of the file that raced a commit is not
// cached, but what it returns still holds this process's queued turns, so
// a Conversation that gives up retrying does not drop them.
func TestFillStaleKeepsPending(t *testing.T) {
	var c turnCache
	c.limit = turnCacheBytes
	_, gen, _ := c.get("k")
	c.queued(&pendingTurn{key: "k", data: "{}", stored: bot.Turn{Question: "queued"}})
	c.clear() // a commit, as far as gen is concerned
	got, cached := c.fill("k", gen, []storedTurn{{id: 1, turn: bot.Turn{Question: "stored"}, size: 2}})
	if cached {
		t.Errorf("fill after a change of gen cached its merge")
	}
	var qs []string
	for _, tr := range got {
		qs = append(qs, tr.Question)
	}
	if want := []string{"stored", "queued"}; !slices.Equal(qs, want) {
		t.Errorf("fill after a change of gen = %v, want %v", qs, want)
	}
	if _, _, ok := c.get("k"); ok {
		t.Errorf("the stale merge is in the cache")
	}
}
