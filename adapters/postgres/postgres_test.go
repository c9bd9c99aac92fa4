package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/bot/storetest"
	"github.com/alexa-brief/alexa-brief/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func openURL(t testing.TB, url string) *Store {
	t.Helper()
	s, err := Open(context.Background(), url)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) bot.Store { return openURL(t, pgtest.URL(t)) })
}

// Several pools on one database are several replicas.
func TestReplicas(t *testing.T) {
	storetest.RunReplicas(t, func(t *testing.T, n int) []bot.Store {
		url := pgtest.URL(t)
		var stores []bot.Store
		for range n {
			stores = append(stores, openURL(t, url))
		}
		return stores
	})
}

// Replicas starting at once migrate once, taking turns on the advisory lock.
func TestConcurrentMigration(t *testing.T) {
	url := pgtest.URL(t)
	var wg sync.WaitGroup
	errs := make([]error, 5)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(context.Background(), url)
			if err == nil {
				s.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("replica %d: %v", i, err)
		}
	}
	s := openURL(t, url)
	var n, max int
	if err := s.pool.QueryRow(context.Background(), "SELECT COUNT(*), MAX(version) FROM schema_migrations").Scan(&n, &max); err != nil {
		t.Fatal(err)
	}
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	// Numbers may have gaps (sqlstore.Migrations): one row per file, up to the newest.
	if n != len(ms) || max != SchemaVersion() {
		t.Errorf("schema_migrations: %d rows up to %d, want %d up to %d", n, max, len(ms), SchemaVersion())
	}
}

func TestSchemaTooNew(t *testing.T) {
	url := pgtest.URL(t)
	s := openURL(t, url)
	newer := SchemaVersion() + 1
	if _, err := s.pool.Exec(context.Background(), "INSERT INTO schema_migrations (version, name) VALUES ($1, 'future.sql')", newer); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), url)
	if !errors.Is(err, bot.ErrSchemaTooNew) {
		t.Fatalf("got %v, want ErrSchemaTooNew", err)
	}
	for _, want := range []string{fmt.Sprintf("version %d", newer), fmt.Sprintf("up to %d", SchemaVersion())} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

// No error of Open shows the password, whatever goes wrong.
func TestOpenErrorsHidePassword(t *testing.T) {
	const pw = "s3cret-Passw0rd"
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := l.Addr().(*net.TCPAddr).Port
	l.Close()
	// A server that accepts and hangs up at once.
	hang, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer hang.Close()
	go func() {
		for {
			c, err := hang.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	tests := []struct{ name, url string }{
		{"closed port", fmt.Sprintf("postgres://alice:%s@127.0.0.1:%d/db?sslmode=disable&connect_timeout=5", pw, closedPort)},
		{"hangs up", fmt.Sprintf("postgres://alice:%s@%s/db?sslmode=disable&connect_timeout=5", pw, hang.Addr())},
		{"bad port", fmt.Sprintf("postgres://alice:%s@127.0.0.1:notaport/db", pw)},
		{"bad option", fmt.Sprintf("postgres://alice:%s@127.0.0.1:5432/db?sslmode=bogus", pw)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			s, err := Open(ctx, tt.url)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded, want an error")
			}
			t.Log(err)
			if strings.Contains(err.Error(), pw) {
				t.Errorf("error shows the password: %v", err)
			}
			if !strings.HasPrefix(err.Error(), "postgres: ") {
				t.Errorf("got %q, want a postgres: prefix", err)
			}
		})
	}
	// A wrong password on the real server: refused, and not echoed.
	url := pgtest.URL(t)
	if s, err := Open(context.Background(), strings.Replace(url, "postgres://postgres@", "postgres://nosuchuser:"+pw+"@", 1)); err == nil {
		s.Close()
		t.Errorf("unknown user accepted")
	} else if strings.Contains(err.Error(), pw) {
		t.Errorf("error shows the password: %v", err)
	}
}

// The claim benchmarks are bot/storetest's, so both stores measure the
// same work (figures in docs/operations.md “Where alexa-brief keeps its state”).
func BenchmarkClaimSlot(b *testing.B) {
	storetest.BenchClaimSlot(b, openURL(b, pgtest.URL(b)))
}

func BenchmarkClaimSlotContended(b *testing.B) {
	storetest.BenchClaimSlotContended(b, openURL(b, pgtest.URL(b)))
}

func TestPassword(t *testing.T) {
	tests := []struct{ url, want string }{
		{"postgres://u:p%40ss@h:5432/db", "p@ss"},
		{"postgres://u:pw@h:notaport/db", "pw"},
		{"postgresql://u@h/db", ""},
		{"postgres://h/db", ""},
	}
	for _, tt := range tests {
		if got := password(tt.url); got != tt.want {
			t.Errorf("password(%q) = %q, want %q", tt.url, got, tt.want)
		}
	}
}

func TestPGTimes(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	at := time.Date(2026, 7, 1, 18, 30, 15, 987654321, tokyo)
	tests := []struct {
		name    string
		dest    func(*time.Time) any
		src     pgtype.Timestamptz
		want    time.Time
		wantErr bool
	}{
		{"instant", pgTimes{}.Instant, pgtype.Timestamptz{Time: at, Valid: true}, at.UTC(), false},
		{"stamp", pgTimes{}.Stamp, pgtype.Timestamptz{Time: at, Valid: true}, at.UTC(), false},
		{"lease to the millisecond", pgTimes{}.Lease, pgtype.Timestamptz{Time: at, Valid: true}, at.UTC().Truncate(time.Millisecond), false},
		{"lease NULL", pgTimes{}.Lease, pgtype.Timestamptz{}, time.Time{}, false},
		{"stamp NULL", pgTimes{}.Stamp, pgtype.Timestamptz{}, time.Time{}, true},
		{"instant infinite", pgTimes{}.Instant, pgtype.Timestamptz{InfinityModifier: pgtype.Infinity, Valid: true}, time.Time{}, true},
	}
	for _, tt := range tests {
		var got time.Time
		err := tt.dest(&got).(pgtype.TimestamptzScanner).ScanTimestamptz(tt.src)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err %v, want error %v", tt.name, err, tt.wantErr)
			continue
		}
		if !tt.wantErr && (!got.Equal(tt.want) || got.Location() != time.UTC) {
			t.Errorf("%s: got %v, want %v in UTC", tt.name, got, tt.want)
		}
	}
}
