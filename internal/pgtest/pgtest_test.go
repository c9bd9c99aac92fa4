package pgtest

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { Main(m) }

// Each URL is its own database: a table made in one is absent in another.
func TestURLIsolated(t *testing.T) {
	ctx := context.Background()
	a, b := URL(t), URL(t)
	if a == b {
		t.Fatalf("got the same URL twice: %s", a)
	}
	ca, err := pgx.Connect(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close(ctx)
	if _, err := ca.Exec(ctx, "CREATE TABLE only_in_a (x int)"); err != nil {
		t.Fatal(err)
	}
	cb, err := pgx.Connect(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close(ctx)
	var n int
	if err := cb.QueryRow(ctx, "SELECT COUNT(*) FROM pg_tables WHERE tablename = 'only_in_a'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("a table of one test's database is visible in another's")
	}
	var version string
	if err := cb.QueryRow(ctx, "SHOW server_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	t.Logf("PostgreSQL %s at %s", version, b)
	if srv != nil && !strings.HasPrefix(b, "postgres://postgres@127.0.0.1:") {
		t.Errorf("throwaway server URL %s, want 127.0.0.1", b)
	}
}

func TestRedact(t *testing.T) {
	got := redact(errString("connect to postgres://u:hunter2@h/db failed: hunter2"), "postgres://u:hunter2@h/db")
	if strings.Contains(got, "hunter2") {
		t.Errorf("redact left the password: %q", got)
	}
}

type errString string

func (e errString) Error() string { return string(e) }
