// Package postgres is the bot.Store that replicas share (jackc/pgx/v5).
// Every guarantee between replicas comes from the database: claims are one
// INSERT … ON CONFLICT DO UPDATE … WHERE statement on the ledger's primary
// key, leases are measured with the server's now(), migrations run under a
// transaction-scoped advisory lock. Nothing relies on an in-process lock.
package postgres

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/internal/sqlstore"
)

var _ bot.Store = (*Store)(nil)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLock is the advisory lock key replicas take to migrate one at a
// time ("alexa-brief" in ASCII, as a number).
const migrationLock int64 = 0x616c657861627266

// Store is a bot.Store in a PostgreSQL database.
type Store struct {
	pool   *pgxpool.Pool
	secret string // the URL's password, scrubbed from every error
	pruner sqlstore.Pruner
	id     string // names this handle's heartbeat row
}

// Open connects to the database at rawURL (postgres:// or postgresql://)
// and migrates it. Errors never contain the URL's password.
func Open(ctx context.Context, rawURL string) (*Store, error) {
	return open(ctx, rawURL, SchemaVersion())
}

// open is Open migrating up to version only (tests of upgrades open a
// database as an older binary left it).
func open(ctx context.Context, rawURL string, version int) (*Store, error) {
	secret := password(rawURL)
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("postgres: bad DATABASE_URL (want postgres://user:password@host:5432/db): %s", scrub(err, secret))
	}
	target := fmt.Sprintf("%s@%s:%d/%s", cfg.ConnConfig.User, cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open %s: %s", target, scrub(err, secret))
	}
	s := &Store{pool: pool, secret: secret, id: handleID()}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open %s: %s", target, scrub(err, secret))
	}
	if err := s.migrate(ctx, version); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: migrate %s: %w", target, s.clean(err))
	}
	return s, nil
}

// password finds the URL's password even in a URL that does not parse, so
// that it can be scrubbed from the parser's own error.
func password(rawURL string) string {
	if u, err := url.Parse(rawURL); err == nil && u.User != nil {
		pw, _ := u.User.Password()
		return pw
	}
	rest := rawURL
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return ""
	}
	if _, pw, ok := strings.Cut(rest[:at], ":"); ok {
		return pw
	}
	return ""
}

// scrub returns err's text without the password, as given or escaped.
func scrub(err error, secret string) string {
	msg := err.Error()
	if secret != "" {
		msg = strings.ReplaceAll(msg, secret, "xxxxx")
		msg = strings.ReplaceAll(msg, url.QueryEscape(secret), "xxxxx")
		msg = strings.ReplaceAll(msg, url.PathEscape(secret), "xxxxx")
	}
	return msg
}

// scrubbed is an error whose text had the password removed; it still
// unwraps to the original for errors.Is.
type scrubbed struct {
	msg string
	err error
}

func (e scrubbed) Error() string { return e.msg }
func (e scrubbed) Unwrap() error { return e.err }

// clean returns err with the password scrubbed from its text.
func (s *Store) clean(err error) error {
	if err == nil {
		return nil
	}
	if msg := scrub(err, s.secret); msg != err.Error() {
		return scrubbed{msg: msg, err: err}
	}
	return err
}

func migrations() ([]sqlstore.Migration, error) { return sqlstore.Migrations(migrationFiles) }

// SchemaVersion is the newest migration this binary knows (its number:
// numbers may have gaps, see sqlstore.Migrations).
func SchemaVersion() int {
	ms, _ := migrations()
	return sqlstore.Newest(ms)
}

// migrate applies pending migrations up to version, one transaction each;
// the advisory lock makes replicas starting together take turns, and each
// re-reads the applied versions once it holds the lock.
func (s *Store) migrate(ctx context.Context, version int) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	ms = sqlstore.UpTo(ms, version)
	for {
		done, err := s.migrateOne(ctx, ms)
		if err != nil || done {
			return err
		}
	}
}

func (s *Store) migrateOne(ctx context.Context, ms []sqlstore.Migration) (bool, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLock); err != nil {
		return false, err
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER     PRIMARY KEY,
		name       TEXT        NOT NULL,
		applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`); err != nil {
		return false, err
	}
	rows, err := tx.Query(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return false, err
	}
	applied, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return false, err
	}
	m, done, err := sqlstore.Pending(ms, applied)
	if err != nil {
		return false, err
	}
	if done {
		return true, tx.Commit(ctx)
	}
	if _, err := tx.Exec(ctx, m.SQL); err != nil {
		return false, fmt.Errorf("%s: %w", m.Name, err)
	}
	if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.Version, m.Name); err != nil {
		return false, err
	}
	return false, tx.Commit(ctx)
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: ping: %w", s.clean(err))
	}
	return nil
}

// Heartbeat writes this handle's heartbeat row and reads it back: the
// database takes writes and returns them. Each handle has its own row, so
// replicas never read each other's.
func (s *Store) Heartbeat(ctx context.Context) error {
	nonce := handleID()
	if _, err := s.pool.Exec(ctx, `INSERT INTO heartbeats (id, nonce, at) VALUES ($1, $2, now())
		ON CONFLICT (id) DO UPDATE SET nonce = excluded.nonce, at = excluded.at`, s.id, nonce); err != nil {
		return s.wrap("heartbeat", err)
	}
	var got string
	if err := s.pool.QueryRow(ctx, "SELECT nonce FROM heartbeats WHERE id = $1", s.id).Scan(&got); err != nil {
		return s.wrap("heartbeat: read back", err)
	}
	if got != nonce {
		return errors.New("postgres: heartbeat: the database does not read back what was written to it")
	}
	return nil
}

func handleID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Close closes the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// wrap adds the operation to err, scrubbed of the password.
func (s *Store) wrap(op string, err error) error {
	return fmt.Errorf("postgres: %s: %w", op, s.clean(err))
}

func isForeignKey(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23503"
}

func isNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

// pgTimes reads TIMESTAMPTZ columns as UTC times; a NULL lease reads as
// the zero time.
type pgTimes struct{}

func (pgTimes) Instant(t *time.Time) any { return &utcTime{t: t} }
func (pgTimes) Stamp(t *time.Time) any   { return &utcTime{t: t} }
func (pgTimes) Lease(t *time.Time) any {
	return &utcTime{t: t, nullable: true, precision: time.Millisecond}
}

// utcTime is a pgtype.TimestamptzScanner that sets *t in UTC.
type utcTime struct {
	t         *time.Time
	nullable  bool
	precision time.Duration // 0: as stored
}

func (u *utcTime) ScanTimestamptz(v pgtype.Timestamptz) error {
	switch {
	case !v.Valid && u.nullable:
		*u.t = time.Time{}
		return nil
	case !v.Valid:
		return errors.New("cannot scan NULL into a time")
	case v.InfinityModifier != pgtype.Finite:
		return errors.New("cannot scan an infinite timestamp into a time")
	}
	t := v.Time.UTC()
	if u.precision > 0 {
		t = t.Truncate(u.precision)
	}
	*u.t = t
	return nil
}
