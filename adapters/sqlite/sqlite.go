// Package sqlite is the embedded bot.Store: one file, pure Go
// (modernc.org/sqlite, so CGO_ENABLED=0 builds), WAL mode, one writer
// connection and a pool of readers. It is the default store and is safe for
// several processes on one host (serve and an operator's `digest run`):
// every write takes SQLite's write lock up front (BEGIN IMMEDIATE) and waits
// for it up to the busy timeout. Conversation turns are the exception:
// they are queued and written behind the reply in batches (turns.go), and
// Close writes what is queued.
package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/internal/sqlstore"
)

var _ bot.Store = (*Store)(nil)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// busyTimeout is how long a write waits for another process's write lock.
const busyTimeout = 10 * time.Second

// Store is a bot.Store in one SQLite file.
type Store struct {
	path   string
	writer writeDB // exactly one connection: SQLite has one writer anyway
	reader *sql.DB // query_only connections, in parallel thanks to WAL
	now    func() time.Time
	pruner sqlstore.Pruner
	// file is the database file as opened; id names this handle's
	// heartbeat row.
	file os.FileInfo
	id   string
	// stmts holds the prepared hot queries (stmt); turns the decoded
	// conversations, appends the turns being written behind, looking
	// the one look at data_version at a time (turns.go).
	stmts      sync.Map
	turns      turnCache
	appends    turnWriter
	looking    sync.Mutex
	turnsFresh time.Duration
}

// Open opens (creating if needed) the database file at path and migrates it.
// A corrupt file, an unwritable path or a schema newer than this binary
// fails here, with the path and the reason.
func Open(ctx context.Context, path string) (*Store, error) {
	return open(ctx, path, SchemaVersion())
}

// open is Open migrating up to version only (tests of upgrades open a
// database as an older binary left it).
func open(ctx context.Context, path string, version int) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("sqlite: open %q: the path may not contain ? or #", path)
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("sqlite: open %q: is a directory, not a database file", path)
	}
	pragmas := "?_pragma=busy_timeout(" + strconv.Itoa(int(busyTimeout.Milliseconds())) + ")&_pragma=foreign_keys(1)"
	// temp_store(MEMORY): a statement journal (a DELETE inside a batch of
	// turns needs one) stays in memory rather than spilling to a temporary
	// file, which was a tenth of the flusher's writes. cache_size(-8192):
	// 8 MiB of pages rather than 2, so that the pages a trim deletes from
	// (turns of a few seconds before) are still cached and not read again.
	writer, err := sql.Open("sqlite", path+pragmas+"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-8192)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %q: %w", path, err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)
	s := &Store{path: path, now: time.Now, id: handleID(), turns: turnCache{limit: turnCacheBytes}, turnsFresh: turnsFresh}
	s.writer = writeDB{DB: writer, alive: s.alive}
	// The first connection sets WAL, which reads the header: a file that is
	// not a database, or a path that cannot be created, fails here.
	if err := writer.PingContext(ctx); err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlite: open %q: %s", path, reason(err))
	}
	// The connection holds the file open now (and keeps it: one connection,
	// never recycled), so this is the file every write goes to.
	if s.file, err = os.Stat(path); err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlite: open %q: %w", path, err)
	}
	var mode string
	if err := writer.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlite: open %q: %s", path, reason(err))
	}
	if !strings.EqualFold(mode, "wal") {
		writer.Close()
		return nil, fmt.Errorf("sqlite: open %q: cannot switch to WAL mode (journal mode is %s); is the file on a network share?", path, mode)
	}
	if err := s.migrate(ctx, version); err != nil {
		writer.Close()
		return nil, err
	}
	s.reader, err = sql.Open("sqlite", path+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlite: open %q: %w", path, err)
	}
	s.reader.SetMaxOpenConns(4)
	s.reader.SetMaxIdleConns(4)
	if err := s.reader.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite: open %q: %s", path, reason(err))
	}
	s.startTurnWriter()
	return s, nil
}

// reason is the driver's message without its numeric code, with the
// numeric code's meaning added where the message alone is cryptic.
func reason(err error) string {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
			return "the file is not a SQLite database or is corrupt (" + se.Error() + ")"
		case sqlite3.SQLITE_CANTOPEN:
			return "cannot open or create the file: check that the folder exists and is writable (" + se.Error() + ")"
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM:
			return "the file or its folder is not writable (" + se.Error() + ")"
		}
	}
	return err.Error()
}

func migrations() ([]sqlstore.Migration, error) {
	ms, err := sqlstore.Migrations(migrationFiles)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return ms, nil
}

// SchemaVersion is the newest migration this binary knows (its number:
// numbers may have gaps, see sqlstore.Migrations).
func SchemaVersion() int {
	ms, _ := migrations()
	return sqlstore.Newest(ms)
}

// migrate applies the pending migrations up to version, each in its own transaction with
// the version it records, so a crash leaves the schema at a whole version.
// BEGIN IMMEDIATE serialises processes migrating the same file.
func (s *Store) migrate(ctx context.Context, version int) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	ms = sqlstore.UpTo(ms, version)
	for {
		done, err := s.migrateOne(ctx, ms)
		if err != nil {
			return fmt.Errorf("sqlite: migrate %q: %w", s.path, err)
		}
		if done {
			return nil
		}
	}
}

func (s *Store) migrateOne(ctx context.Context, ms []sqlstore.Migration) (done bool, err error) {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return false, errors.New(reason(err))
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT    NOT NULL,
		applied_at INTEGER NOT NULL)`); err != nil {
		return false, errors.New(reason(err))
	}
	rows, err := tx.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return false, err
	}
	applied, err := collect(rows, func(r sqlstore.Row) (int, error) {
		var v int
		return v, r.Scan(&v)
	})
	if err != nil {
		return false, err
	}
	m, done, err := sqlstore.Pending(ms, applied)
	if err != nil {
		return false, err
	}
	if done {
		return true, tx.Commit()
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return false, fmt.Errorf("%s: %w", m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
		m.Version, m.Name, s.now().Unix()); err != nil {
		return false, err
	}
	return false, tx.Commit()
}

// writeDB is the writer pool; every write first checks that the file is
// still the one opened. SQLite itself would not notice: an unlinked file
// lives on while open, so writes would succeed and vanish at exit.
type writeDB struct {
	*sql.DB
	alive func() error
}

func (w writeDB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := w.alive(); err != nil {
		return nil, err
	}
	return w.DB.ExecContext(ctx, query, args...)
}

func (w writeDB) BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error) {
	if err := w.alive(); err != nil {
		return nil, err
	}
	return w.DB.BeginTx(ctx, opts)
}

// QueryRowContext is for INSERT … RETURNING: a *sql.Row cannot carry an
// error of ours, so callers check alive themselves (writeRow).
func (w writeDB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return w.DB.QueryRowContext(ctx, query, args...)
}

// alive reports a database file deleted, moved or replaced since Open: one
// stat, cheap enough for every write.
func (s *Store) alive() error {
	fi, err := os.Stat(s.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("database file %q is missing (deleted or moved while running): nothing written now would be kept; restore it, or restart to start an empty database", s.path)
	case err != nil:
		return fmt.Errorf("database file %q: %w", s.path, err)
	case !os.SameFile(fi, s.file):
		return fmt.Errorf("database file %q was replaced while running: this process still writes to the old one; restart to use the new file", s.path)
	}
	return nil
}

func handleID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Heartbeat writes this handle's heartbeat row and reads it back through
// the readers: the file is the one opened, it takes writes, and what is
// written can be read.
func (s *Store) Heartbeat(ctx context.Context) error {
	nonce := handleID()
	if _, err := s.writer.ExecContext(ctx, `INSERT INTO heartbeats (id, nonce, at) VALUES (?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET nonce = excluded.nonce, at = excluded.at`, s.id, nonce, s.now().Unix()); err != nil {
		return fmt.Errorf("sqlite: heartbeat: %w", err)
	}
	var got string
	if err := s.reader.QueryRowContext(ctx, "SELECT nonce FROM heartbeats WHERE id = ?", s.id).Scan(&got); err != nil {
		return fmt.Errorf("sqlite: heartbeat: read back: %w", err)
	}
	if got != nonce {
		return fmt.Errorf("sqlite: heartbeat: %q does not read back what was written to it", s.path)
	}
	return nil
}

// Ping checks that both pools answer.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.reader.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	if err := s.writer.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	return nil
}

// Close writes the turns still queued, then closes the readers and the
// writer (which checkpoints the WAL).
func (s *Store) Close() error {
	s.closeTurnWriter()
	s.stmts.Range(func(_, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
	var errR error
	if s.reader != nil {
		errR = s.reader.Close()
	}
	errW := s.writer.Close()
	if err := errors.Join(errR, errW); err != nil {
		return fmt.Errorf("sqlite: close: %w", err)
	}
	return nil
}

// isForeignKey reports a foreign key violation: a ledger row for a
// subscription that does not exist.
func isForeignKey(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// unixTimes reads the INTEGER time columns (Unix seconds; lease_until in
// milliseconds) into UTC times; 0 in a stamp or a lease means unset.
type unixTimes struct{}

func (unixTimes) Instant(t *time.Time) any {
	return &unixTime{t: t, unit: time.Second, zeroIsUnset: false}
}
func (unixTimes) Stamp(t *time.Time) any {
	return &unixTime{t: t, unit: time.Second, zeroIsUnset: true}
}
func (unixTimes) Lease(t *time.Time) any {
	return &unixTime{t: t, unit: time.Millisecond, zeroIsUnset: true}
}

// unixTime is a sql.Scanner of one INTEGER time column.
type unixTime struct {
	t           *time.Time
	unit        time.Duration // time.Second or time.Millisecond
	zeroIsUnset bool
}

func (u *unixTime) Scan(src any) error {
	n, ok := src.(int64)
	if !ok {
		return fmt.Errorf("converting %T to a Unix time is unsupported", src)
	}
	switch {
	case n == 0 && u.zeroIsUnset:
		*u.t = time.Time{}
	case u.unit == time.Millisecond:
		*u.t = time.UnixMilli(n).UTC()
	default:
		*u.t = time.Unix(n, 0).UTC()
	}
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
