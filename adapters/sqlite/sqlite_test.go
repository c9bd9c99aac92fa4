package sqlite

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/bot/storetest"
	"github.com/alexa-brief/alexa-brief/briefs"
)

func openTemp(t testing.TB, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) bot.Store {
		return openTemp(t, filepath.Join(t.TempDir(), "alexa-brief.db"))
	})
}

// Several handles on one file behave as several processes would.
func TestReplicas(t *testing.T) {
	storetest.RunReplicas(t, func(t *testing.T, n int) []bot.Store {
		path := filepath.Join(t.TempDir(), "shared.db")
		var stores []bot.Store
		for range n {
			stores = append(stores, openTemp(t, path))
		}
		return stores
	})
}

func TestOpenPragmas(t *testing.T) {
	s := openTemp(t, filepath.Join(t.TempDir(), "p.db"))
	ctx := context.Background()
	tests := []struct {
		db     string
		pragma string
		want   string
	}{
		{"writer", "journal_mode", "wal"},
		{"writer", "foreign_keys", "1"},
		{"writer", "busy_timeout", strconv.Itoa(int(busyTimeout.Milliseconds()))},
		{"reader", "foreign_keys", "1"},
		{"reader", "query_only", "1"},
		{"reader", "busy_timeout", strconv.Itoa(int(busyTimeout.Milliseconds()))},
	}
	for _, tt := range tests {
		db := s.writer.DB
		if tt.db == "reader" {
			db = s.reader
		}
		var got string
		if err := db.QueryRowContext(ctx, "PRAGMA "+tt.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("%s PRAGMA %s = %q, want %q", tt.db, tt.pragma, got, tt.want)
		}
	}
	if got := s.writer.Stats().MaxOpenConnections; got != 1 {
		t.Errorf("writer pool allows %d connections, want 1", got)
	}
	if _, err := s.reader.ExecContext(ctx, "DELETE FROM subscriptions"); err == nil {
		t.Errorf("a write through the reader pool succeeded, want it refused")
	}
}

func TestOpenFailures(t *testing.T) {
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.db")
	garbage := strings.Repeat("this is not a SQLite database\n", 400)
	if err := os.WriteFile(corrupt, []byte(garbage), 0o600); err != nil {
		t.Fatal(err)
	}
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		want string // in the error, after the path
	}{
		{"corrupt file", corrupt, "not a SQLite database"},
		{"parent is a file", filepath.Join(notDir, "x.db"), "cannot open or create"},
		{"missing folder", filepath.Join(dir, "no", "such", "x.db"), "cannot open or create"},
		{"a directory", dir, "is a directory"},
		{"query in path", filepath.Join(dir, "a?b.db"), "may not contain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(context.Background(), tt.path)
			if err == nil {
				s.Close()
				t.Fatalf("Open(%s) succeeded, want an error", tt.path)
			}
			if !strings.Contains(err.Error(), strconv.Quote(tt.path)) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %q, want the path %q and %q", err, tt.path, tt.want)
			}
		})
	}
	if b, _ := os.ReadFile(corrupt); string(b) != garbage {
		t.Errorf("Open changed the corrupt file")
	}
}

func TestMigrationsRecorded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	s := openTemp(t, path)
	var n, max int
	if err := s.reader.QueryRow("SELECT COUNT(*), MAX(version) FROM schema_migrations").Scan(&n, &max); err != nil {
		t.Fatal(err)
	}
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	// Numbers may have gaps (sqlstore.Migrations): one row per file, up to the newest.
	if n != len(ms) || max != SchemaVersion() || SchemaVersion() < 1 {
		t.Errorf("schema_migrations has %d rows up to %d, want %d up to %d", n, max, len(ms), SchemaVersion())
	}
	// Reopening migrates nothing more.
	s2 := openTemp(t, path)
	if err := s2.reader.QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil || n != len(ms) {
		t.Errorf("after reopen %d rows, %v; want %d", n, err, len(ms))
	}
}

func TestSchemaTooNew(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	s := openTemp(t, path)
	newer := SchemaVersion() + 1
	if _, err := s.writer.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future.sql', 0)", newer); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), path)
	if !errors.Is(err, bot.ErrSchemaTooNew) {
		t.Fatalf("got %v, want ErrSchemaTooNew", err)
	}
	for _, want := range []string{path, fmt.Sprintf("version %d", newer), fmt.Sprintf("up to %d", SchemaVersion())} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

// The crash test: a child process (this test binary, re-executed) writes in
// a loop and reports each committed round on stdout; the parent SIGKILLs it
// mid-loop, reopens the file and checks that every reported round is whole
// and no round is half there.
const crashEnv = "ALEXA_BRIEF_SQLITE_CRASH_CHILD"

func TestCrashSafety(t *testing.T) {
	if os.Getenv(crashEnv) != "" {
		return // the child's work happens in TestMain
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	for round := range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashEnv+"="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		last := -1
		killAt := 30 + 17*round // a different point in the loop each time
		for sc.Scan() {
			n, err := strconv.Atoi(sc.Text())
			if err != nil {
				t.Fatalf("child said %q", sc.Text())
			}
			last = n
			if n >= killAt {
				cmd.Process.Signal(syscall.SIGKILL)
				break
			}
		}
		cmd.Wait()
		if last < killAt {
			t.Fatalf("child stopped at round %d before the kill", last)
		}
		checkCrashDB(t, path, last)
	}
}

// crashChild writes rounds forever: each is PutSubscription, a claim, a
// finish and an article, then a conversation and a release, so a kill can
// land between or inside any of them.
func crashChild(path string) {
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	// Resume where the killed child stopped: its claims are released, a
	// round cut short is redone (every step is idempotent).
	if err := s.ReleaseClaims(ctx, "child"); err != nil {
		os.Exit(4)
	}
	var start int
	s.reader.QueryRow("SELECT COUNT(*) FROM articles").Scan(&start)
	for i := start; ; i++ {
		sc := bot.Scope{Platform: "slack", Team: "T", Channel: fmt.Sprintf("C%d", i)}
		sub, err := s.PutSubscription(ctx, bot.Subscription{Scope: sc, Schedule: "@hourly"})
		if err != nil {
			os.Exit(4)
		}
		slot := time.Unix(int64(i)*3600, 0)
		d, ok, err := s.ClaimSlot(ctx, sub.ID, slot, "child", time.Hour)
		if err != nil || !ok && d.State != bot.StatePosted {
			os.Exit(5)
		}
		if ok {
			d.State, d.MessageID = bot.StatePosted, fmt.Sprintf("m%d", i)
			if err := s.FinishSlot(ctx, d); err != nil {
				os.Exit(6)
			}
		}
		a := briefs.Article{ID: fmt.Sprintf("a%06d", i), Title: "t", Text: strings.Repeat(fmt.Sprintf("body %d. ", i), 50)}
		if _, _, err := s.AddArticle(ctx, bot.StoredArticle{Article: a, Origin: bot.OriginFile}); err != nil {
			os.Exit(7)
		}
		if err := s.AppendTurn(ctx, "k", bot.Turn{Question: fmt.Sprintf("q%d", i)}); err != nil {
			os.Exit(8)
		}
		// Turns are written behind: a round counts once its turn is.
		if err := s.Sync(ctx); err != nil {
			os.Exit(8)
		}
		s.ClaimSlot(ctx, sub.ID, slot.Add(time.Minute), "child", time.Hour)
		if err := s.ReleaseClaims(ctx, "child"); err != nil {
			os.Exit(9)
		}
		fmt.Println(i)
	}
}

func checkCrashDB(t *testing.T, path string, lastReported int) {
	t.Helper()
	s := openTemp(t, path)
	ctx := context.Background()
	var check string
	if err := s.reader.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	rows, err := s.reader.Query("PRAGMA foreign_key_check")
	if err != nil {
		t.Fatal(err)
	}
	if rows.Next() {
		t.Errorf("foreign_key_check found violations")
	}
	rows.Close()
	subs, err := s.Subscriptions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) < lastReported+1 {
		t.Fatalf("%d subscriptions, but the child reported round %d committed", len(subs), lastReported)
	}
	for _, sub := range subs {
		ds, err := s.Deliveries(ctx, sub.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			// A posted row always has its message id; a claim never lingers
			// half-released (attempts 0) and every first claim is whole.
			if d.State == bot.StatePosted && d.MessageID == "" || d.Attempts < 1 && d.State == bot.StateClaimed {
				t.Errorf("inconsistent row %+v", d)
			}
		}
	}
	arts, err := s.Articles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) < lastReported+1 {
		t.Errorf("%d articles, want at least %d", len(arts), lastReported+1)
	}
	for i, a := range arts {
		if a.ID != fmt.Sprintf("a%06d", i) || !strings.HasPrefix(a.Text, fmt.Sprintf("body %d. ", i)) {
			t.Fatalf("article %d is %q %.20q, want whole and in order", i, a.ID, a.Text)
		}
	}
	// One turn per round, whole and in round order: a redone round may
	// append its turn twice, a round killed after its article but before
	// its turn is not redone (the next child starts after the articles).
	// The newest is at least the last reported round.
	turns, err := s.Conversation(ctx, "k")
	if err != nil || len(turns) != bot.MaxTurns {
		t.Fatalf("conversation has %d turns, %v; want %d", len(turns), err, bot.MaxTurns)
	}
	prev := -1
	for _, tr := range turns {
		n, err := strconv.Atoi(strings.TrimPrefix(tr.Question, "q"))
		if err != nil || n < prev {
			t.Fatalf("conversation turns out of round order at %q after q%d", tr.Question, prev)
		}
		prev = n
	}
	if prev < lastReported {
		t.Errorf("newest turn q%d, but the child reported round %d committed", prev, lastReported)
	}
}

func TestMain(m *testing.M) {
	if path := os.Getenv(crashEnv); path != "" {
		crashChild(path)
		return
	}
	os.Exit(m.Run())
}

// The claim benchmarks are bot/storetest's, so both stores measure the
// same work (figures in docs/operations.md “Where alexa-brief keeps its state”).
func BenchmarkClaimSlot(b *testing.B) {
	storetest.BenchClaimSlot(b, openTemp(b, filepath.Join(b.TempDir(), "bench.db")))
}

func BenchmarkClaimSlotContended(b *testing.B) {
	storetest.BenchClaimSlotContended(b, openTemp(b, filepath.Join(b.TempDir(), "bench.db")))
}

func TestUnixTimes(t *testing.T) {
	tests := []struct {
		name string
		dest func(*time.Time) any
		src  any
		want time.Time
	}{
		{"instant at the epoch", unixTimes{}.Instant, int64(0), time.Unix(0, 0).UTC()},
		{"instant", unixTimes{}.Instant, int64(1700000000), time.Unix(1700000000, 0).UTC()},
		{"stamp unset", unixTimes{}.Stamp, int64(0), time.Time{}},
		{"stamp", unixTimes{}.Stamp, int64(1700000000), time.Unix(1700000000, 0).UTC()},
		{"lease unset", unixTimes{}.Lease, int64(0), time.Time{}},
		{"lease in milliseconds", unixTimes{}.Lease, int64(1700000000123), time.UnixMilli(1700000000123).UTC()},
	}
	for _, tt := range tests {
		got := time.Date(1999, 1, 1, 0, 0, 0, 0, time.Local) // overwritten, or the test fails
		if err := tt.dest(&got).(sql.Scanner).Scan(tt.src); err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("%s: got %v, want %v in UTC", tt.name, got, tt.want)
		}
	}
	var got time.Time
	if err := (unixTimes{}).Stamp(&got).(sql.Scanner).Scan(nil); err == nil {
		t.Errorf("a NULL time scanned without an error")
	}
}
