package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/internal/sqlstore"
)

// Conversations are read on every question and appended to after it, and
// at load these two were most of a question's cost, so both stay off the
// file where they can:
//
//   - Appends are written behind. AppendTurn queues the turn and returns;
//     one goroutine (flushTurns) commits what is queued, many turns a
//     transaction, so the answer never waits for the disk and a
//     transaction's fixed cost (the lock, the WAL frames, the commit) is
//     shared. A conversation is best-effort history, the answer is what
//     must not fail (issue 13), so a crash may lose the turns of its last
//     moments; Close and Sync write everything queued first.
//   - Reads come from memory. A conversation read once is kept decoded,
//     and this process's appends are added to it as they are queued, so a
//     follow-up costs no query. Another process writing the file (a second
//     serve, or a shell, on the same file) is noticed through PRAGMA
//     data_version, which changes when any other connection commits: the
//     flusher reads it in every transaction, and a read reads it when the
//     last look is older than turnsFresh, so another process's committed
//     turn is seen within that time.

// turnCacheBytes bounds the cache by the stored size of the turns it
// holds; past it, some conversations are dropped and read again when
// next asked for.
const turnCacheBytes = 8 << 20

// turnsFresh is how long a look at data_version vouches for the cache.
const turnsFresh = 100 * time.Millisecond

// maxQueuedTurns bounds the turns waiting to be written: past it, an
// append waits for the flusher, so a stalled file (another process holding
// the write lock) holds memory to this and no more.
const maxQueuedTurns = 4096

// maxTurnBatch bounds a transaction, so that one stays short.
const maxTurnBatch = 1024

// turnFlushEvery spaces the flusher's transactions: under load the turns
// of that time share one, which writes each page they touch (the table's
// last leaf, the key index's leaves) once instead of once a turn. A turn
// arriving after a quiet spell is written at once.
const turnFlushEvery = 100 * time.Millisecond

type pendingTurn struct {
	key, data string
	stored    bot.Turn // what a read of the file will return
	id        int64    // its row, once inserted (under turnCache.mu)
}

// cachedTurns is shared with the callers of Conversation, who get turns
// clipped to its length (so their appends copy) and do not change what
// it holds. queued appends in place: what it writes lies past the length
// of every slice handed out, and only the entry in the cache's map is
// appended to, under the cache's lock. Copying instead was a sixth of
// the bytes a question allocated.
type cachedTurns struct {
	turns []bot.Turn
	size  int
}

// turnCache holds, for each conversation it has, the turns of the file
// followed by this process's turns not committed yet: what a read of the
// file will return once they are.
type turnCache struct {
	mu      sync.Mutex
	m       map[string]*cachedTurns
	bytes   int
	limit   int
	pending map[string][]*pendingTurn // queued or being committed, in order
	// gen changes whenever queued turns are committed or the cache is
	// cleared: a read of the file that saw no change of gen while it ran
	// can be merged with pending and cached (fill).
	gen uint64
	// version is the last data_version seen, checked when it was seen.
	version int64
	checked time.Time
}

func (c *turnCache) get(key string) ([]bot.Turn, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.m[key]; e != nil {
		return slices.Clip(e.turns), c.gen, true
	}
	return nil, c.gen, false
}

// storedTurn is a row of conversation_turns, decoded.
type storedTurn struct {
	id   int64
	turn bot.Turn
	size int
}

// fill merges what a read of the file found, begun at gen, with the
// pending turns of key, and caches the result. cached is false when turns
// were committed meanwhile: the read may have missed one that pending no
// longer has, so the merge is not cached and the caller may read again.
func (c *turnCache) fill(key string, gen uint64, rows []storedTurn) (turns []bot.Turn, cached bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := &cachedTurns{}
	ids := map[int64]bool{}
	for _, r := range rows {
		e.turns = append(e.turns, r.turn)
		e.size += r.size
		ids[r.id] = true
	}
	for _, p := range c.pending[key] {
		// Committed and read, but not yet taken off pending.
		if p.id != 0 && ids[p.id] {
			continue
		}
		e.turns = append(e.turns, p.stored)
		e.size += len(p.data)
	}
	e.trim()
	if c.gen != gen {
		return e.turns, false
	}
	if len(e.turns) > 0 {
		c.put(key, e)
	}
	return slices.Clip(e.turns), true
}

func (e *cachedTurns) trim() {
	if n := len(e.turns) - bot.MaxTurns; n > 0 {
		e.size = e.size * bot.MaxTurns / len(e.turns) // an estimate: sizes are not kept per turn
		e.turns = e.turns[n:]
	}
}

// put caches e for key; under mu.
func (c *turnCache) put(key string, e *cachedTurns) {
	if old := c.m[key]; old != nil {
		c.bytes -= old.size
	}
	if c.m == nil {
		c.m = map[string]*cachedTurns{}
	}
	c.m[key] = e
	c.bytes += e.size
	if c.bytes > c.limit {
		// Map order is as good as any here: a dropped conversation is only
		// read from the file again.
		for k, old := range c.m {
			if c.bytes <= c.limit*3/4 {
				break
			}
			delete(c.m, k)
			c.bytes -= old.size
		}
	}
}

// queued adds a turn about to be written, after all queued before it.
func (c *turnCache) queued(p *pendingTurn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pending == nil {
		c.pending = map[string][]*pendingTurn{}
	}
	c.pending[p.key] = append(c.pending[p.key], p)
	if old := c.m[p.key]; old != nil {
		e := &cachedTurns{turns: append(old.turns, p.stored), size: old.size + len(p.data)}
		e.trim()
		c.put(p.key, e)
	}
}

// inserted records the rows of a batch, before its commit.
func (c *turnCache) inserted(batch []*pendingTurn, ids []int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, p := range batch {
		p.id = ids[i]
	}
}

// committed takes a batch off pending once its transaction ended. A batch
// that failed was not written: its conversations are dropped from the
// cache, to be read from the file as it is.
func (c *turnCache) committed(batch []*pendingTurn, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for _, p := range batch {
		q := c.pending[p.key]
		if i := slices.Index(q, p); i >= 0 {
			q = slices.Delete(q, i, i+1)
		}
		if len(q) == 0 {
			delete(c.pending, p.key)
		} else {
			c.pending[p.key] = q
		}
		if err != nil {
			if old := c.m[p.key]; old != nil {
				delete(c.m, p.key)
				c.bytes -= old.size
			}
		}
	}
}

// clear forgets every cached conversation (pending turns stay).
func (c *turnCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m, c.bytes = nil, 0
	c.gen++
}

// seen records data_version v, looked at when at: a change means another
// connection committed, which may have been to a cached conversation.
func (c *turnCache) seen(v int64, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v != c.version {
		c.version = v
		c.m, c.bytes = nil, 0
		c.gen++
	}
	if at.After(c.checked) {
		c.checked = at
	}
}

func (c *turnCache) fresh(now time.Time, within time.Duration) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return now.Sub(c.checked) < within
}

const (
	dataVersionQuery = "PRAGMA data_version"
	turnsQuery       = "SELECT id, turn FROM (SELECT id, turn FROM conversation_turns WHERE key = ? ORDER BY id DESC LIMIT ?) ORDER BY id"
	insertTurnQuery  = "INSERT INTO conversation_turns (key, turn, created_at) VALUES (?, ?, ?)"
	trimTurnsQuery   = `DELETE FROM conversation_turns WHERE key = ? AND id <=
		(SELECT id FROM conversation_turns WHERE key = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`
)

// Conversation returns the last bot.MaxTurns turns, oldest first, with
// this process's appends not yet written; empty when none.
func (s *Store) Conversation(ctx context.Context, key string) ([]bot.Turn, error) {
	if err := s.lookForWriters(ctx); err != nil {
		return nil, fmt.Errorf("sqlite: conversation: %w", err)
	}
	var turns []bot.Turn
	// A read of the file races only the flusher's commits, a few a
	// millisecond at most: a handful of tries, then the last merge
	// uncached.
	for range 8 {
		cached, gen, ok := s.turns.get(key)
		if ok {
			return cached, nil
		}
		rows, err := s.readTurns(ctx, key)
		if err != nil {
			return nil, fmt.Errorf("sqlite: conversation: %w", err)
		}
		if turns, ok = s.turns.fill(key, gen, rows); ok {
			return turns, nil
		}
	}
	return turns, nil
}

func (s *Store) readTurns(ctx context.Context, key string) ([]storedTurn, error) {
	read, err := s.stmt(ctx, s.reader, turnsQuery)
	if err != nil {
		return nil, err
	}
	rows, err := read.QueryContext(ctx, key, bot.MaxTurns)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []storedTurn
	for rows.Next() {
		var r storedTurn
		var data []byte
		if err := rows.Scan(&r.id, &data); err != nil {
			return nil, err
		}
		if r.turn, err = sqlstore.DecodeTurn(data); err != nil {
			return nil, err
		}
		r.size = len(data)
		out = append(out, r)
	}
	return out, rows.Err()
}

// lookForWriters reads data_version when the last look is too old to
// vouch for the cache; one caller looks, others wait for it.
func (s *Store) lookForWriters(ctx context.Context) error {
	if s.turns.fresh(time.Now(), s.turnsFresh) {
		return nil
	}
	s.looking.Lock()
	defer s.looking.Unlock()
	at := time.Now()
	if s.turns.fresh(at, s.turnsFresh) {
		return nil
	}
	st, err := s.stmt(ctx, s.writer.DB, dataVersionQuery)
	if err != nil {
		return err
	}
	var v int64
	if err := st.QueryRowContext(ctx).Scan(&v); err != nil {
		return err
	}
	s.turns.seen(v, at)
	return nil
}

// turnWriter is the queue of turns the flusher writes.
type turnWriter struct {
	mu       sync.Mutex
	queue    []*pendingTurn
	queued   uint64        // turns queued since Open
	written  uint64        // turns whose transaction ended, committed or not
	progress chan struct{} // closed (and replaced) when a transaction ends
	wake     chan struct{} // one token: there is work
	closed   bool
	done     chan struct{} // the flusher returned
	// failed is the last failed transaction's error, lost the turns it
	// and others since took, until an append reports them.
	failed error
	lost   int
}

// errClosed is an append to a closed store.
var errClosed = errors.New("the store is closed")

// AppendTurn queues a turn to be written behind (see above), after the
// turns queued before it, and returns. It fails at once when the file is
// gone, and reports turns an earlier transaction failed to write (the
// answer they belong to was given; only follow-ups to it lose context).
// It waits only when maxQueuedTurns are queued already.
func (s *Store) AppendTurn(ctx context.Context, key string, t bot.Turn) error {
	if err := s.alive(); err != nil {
		return fmt.Errorf("sqlite: append turn: %w", err)
	}
	data, err := sqlstore.EncodeTurn(t)
	if err != nil {
		return fmt.Errorf("sqlite: append turn: %w", err)
	}
	// What a read of the file will return, not t itself: the caller keeps t.
	stored, ok := sqlstore.StoredTurn(t)
	if !ok {
		if stored, err = sqlstore.DecodeTurn([]byte(data)); err != nil {
			return fmt.Errorf("sqlite: append turn: %w", err)
		}
	}
	p := &pendingTurn{key: key, data: data, stored: stored}
	w := &s.appends
	w.mu.Lock()
	if err := w.waitFor(ctx, func() bool { return len(w.queue) < maxQueuedTurns || w.closed }); err != nil {
		return fmt.Errorf("sqlite: append turn: %w", err)
	}
	if w.closed {
		w.mu.Unlock()
		return fmt.Errorf("sqlite: append turn: %w", errClosed)
	}
	// Under w.mu, so the cache and the queue take turns in one order.
	s.turns.queued(p)
	w.queue = append(w.queue, p)
	w.queued++
	failed, lost := w.failed, w.lost
	w.failed, w.lost = nil, 0
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
	if failed != nil {
		return fmt.Errorf("sqlite: append turn: %d earlier turns were not saved: %w", lost, failed)
	}
	return nil
}

// Sync returns once every turn queued before it has been written (or
// failed to be: that is reported by the next AppendTurn).
func (s *Store) Sync(ctx context.Context) error {
	w := &s.appends
	w.mu.Lock()
	target := w.queued
	if err := w.waitFor(ctx, func() bool { return w.written >= target }); err != nil {
		return fmt.Errorf("sqlite: sync: %w", err)
	}
	w.mu.Unlock()
	return nil
}

// waitFor waits, with w.mu held, until ok holds, rechecking whenever a
// transaction ends. It returns with w.mu held, or unlocked with ctx's error.
func (w *turnWriter) waitFor(ctx context.Context, ok func() bool) error {
	for !ok() {
		ch := w.progress
		w.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
		w.mu.Lock()
	}
	return nil
}

func (s *Store) startTurnWriter() {
	w := &s.appends
	w.progress = make(chan struct{})
	w.wake = make(chan struct{}, 1)
	w.done = make(chan struct{})
	go s.flushTurns()
}

// flushTurns writes what is queued until the store closes, then what is
// left.
func (s *Store) flushTurns() {
	w := &s.appends
	defer close(w.done)
	var last time.Time
	for {
		w.mu.Lock()
		for len(w.queue) == 0 {
			if w.closed {
				w.mu.Unlock()
				return
			}
			w.mu.Unlock()
			<-w.wake
			w.mu.Lock()
		}
		if wait := turnFlushEvery - time.Since(last); wait > 0 && len(w.queue) < maxTurnBatch && !w.closed {
			w.mu.Unlock()
			time.Sleep(wait)
			w.mu.Lock()
		}
		last = time.Now()
		n := min(len(w.queue), maxTurnBatch)
		batch := slices.Clone(w.queue[:n])
		w.queue = slices.Delete(w.queue, 0, n)
		w.mu.Unlock()

		// Nobody waits on the batch: the busy timeout bounds the lock.
		err := s.commitTurns(context.Background(), batch)
		s.turns.committed(batch, err)

		w.mu.Lock()
		w.written += uint64(n)
		if err != nil {
			w.failed = err
			w.lost += n
		}
		close(w.progress)
		w.progress = make(chan struct{})
		w.mu.Unlock()
	}
}

// closeTurnWriter writes what is queued and stops the flusher.
func (s *Store) closeTurnWriter() {
	w := &s.appends
	if w.done == nil {
		return // Open failed before starting it
	}
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
	<-w.done
}

// commitTurns writes a batch in one transaction under the write lock.
func (s *Store) commitTurns(ctx context.Context, batch []*pendingTurn) error {
	s.prune(ctx)
	stmts := make([]*sql.Stmt, 3)
	var err error
	for i, q := range []string{dataVersionQuery, insertTurnQuery, trimTurnsQuery} {
		if stmts[i], err = s.stmt(ctx, s.writer.DB, q); err != nil {
			return fmt.Errorf("sqlite: append turn: %w", err)
		}
	}
	at := time.Now()
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: append turn: %w", err)
	}
	defer tx.Rollback()
	version, insert, trim := tx.StmtContext(ctx, stmts[0]), tx.StmtContext(ctx, stmts[1]), tx.StmtContext(ctx, stmts[2])
	// Holding the write lock (BEGIN IMMEDIATE), nobody else commits until
	// ours: a change of data_version seen now covers every other writer
	// until this transaction's end.
	var v int64
	if err := version.QueryRowContext(ctx).Scan(&v); err != nil {
		return fmt.Errorf("sqlite: append turn: %w", err)
	}
	s.turns.seen(v, at)
	created := s.now().Unix()
	ids := make([]int64, len(batch))
	for i, p := range batch {
		if i > 0 && i%64 == 0 {
			// A full batch is milliseconds of CPU: let the requests
			// waiting on this core run in between, or their latency
			// takes the whole batch.
			runtime.Gosched()
		}
		res, err := insert.ExecContext(ctx, p.key, p.data, created)
		if err != nil {
			return fmt.Errorf("sqlite: append turn: %w", err)
		}
		if ids[i], err = res.LastInsertId(); err != nil {
			return fmt.Errorf("sqlite: append turn: %w", err)
		}
		// Reads take the last bot.MaxTurns anyway, so older turns are
		// dropped at one append in bot.MaxTurns (by row id, so across
		// processes too): the delete cost as much as the insert, and a
		// conversation keeps about twice its turns at most in between.
		if ids[i]%bot.MaxTurns == 0 {
			if _, err := trim.ExecContext(ctx, p.key, p.key, bot.MaxTurns); err != nil {
				return fmt.Errorf("sqlite: append turn: %w", err)
			}
		}
	}
	s.turns.inserted(batch, ids)
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: append turn: %w", err)
	}
	return nil
}

// stmt returns query prepared on db, preparing it once: parsing the SQL
// cost as much as running these small queries.
func (s *Store) stmt(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	k := stmtKey{db, query}
	if v, ok := s.stmts.Load(k); ok {
		return v.(*sql.Stmt), nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if v, loaded := s.stmts.LoadOrStore(k, st); loaded {
		st.Close()
		return v.(*sql.Stmt), nil
	}
	return st, nil
}

type stmtKey struct {
	db    *sql.DB
	query string
}
