package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/internal/sqlstore"
)

// Conversations are read on every question and appended to after it. The
// turns are kept decoded in memory too (turnCache), so that a question
// costs one indexed lookup of the newest turn's id instead of reading and
// JSON-decoding the whole history. The lookup is what keeps the cache
// right when another process writes the same file (serve and a shell, or
// two serves): any append elsewhere changes the newest turn, and the
// history is then read again.

// turnCacheBytes bounds the cache by the stored size of the turns it
// holds; past it, some conversations are dropped and read again when
// next asked for.
const turnCacheBytes = 8 << 20

// turnVersion names the newest turn of a conversation. The id alone could
// come back after its row was pruned (ids are rowids, reused above the
// greatest one left), so the insertion second goes with it: a row is
// pruned only after 30 days, and then its successor is newer.
type turnVersion struct{ id, at int64 }

type cachedTurns struct {
	ver   turnVersion
	turns []bot.Turn // never changed once cached: replaced whole
	size  int
}

type turnCache struct {
	mu    sync.Mutex
	m     map[string]*cachedTurns
	bytes int
	limit int
}

func (c *turnCache) get(key string, ver turnVersion) ([]bot.Turn, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.m[key]
	if e == nil || e.ver != ver {
		return nil, false
	}
	return e.turns, true
}

// put caches what a read found, unless a newer version is cached already
// (an append that committed while the read ran).
func (c *turnCache) put(key string, e *cachedTurns) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.m[key]; old != nil {
		if old.ver.id > e.ver.id {
			return
		}
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

// appended records an append committed as ver whose conversation was at
// prev just before (read under the write lock): the cached history grows
// by t when it was at prev, else it is dropped, being older than the file.
func (c *turnCache) appended(key string, prev, ver turnVersion, t bot.Turn, size int) {
	c.mu.Lock()
	old := c.m[key]
	var e *cachedTurns
	switch {
	case prev == (turnVersion{}):
		e = &cachedTurns{ver: ver, turns: []bot.Turn{t}, size: size}
	case old != nil && old.ver == prev:
		turns := append(slices.Clone(old.turns), t)
		e = &cachedTurns{ver: ver, turns: turns, size: old.size + size}
		if n := len(turns) - bot.MaxTurns; n > 0 {
			e.turns = turns[n:]
			e.size = e.size * bot.MaxTurns / len(turns) // an estimate: sizes are not kept per turn
		}
	}
	if old != nil {
		delete(c.m, key)
		c.bytes -= old.size
	}
	c.mu.Unlock()
	if e != nil {
		c.put(key, e)
	}
}

func (c *turnCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m, c.bytes = nil, 0
}

const (
	newestTurnQuery = "SELECT id, created_at FROM conversation_turns WHERE key = ? ORDER BY id DESC LIMIT 1"
	turnsQuery      = "SELECT id, created_at, turn FROM (SELECT id, created_at, turn FROM conversation_turns WHERE key = ? ORDER BY id DESC LIMIT ?) ORDER BY id"
	insertTurnQuery = "INSERT INTO conversation_turns (key, turn, created_at) VALUES (?, ?, ?)"
	trimTurnsQuery  = `DELETE FROM conversation_turns WHERE key = ? AND id <=
		(SELECT id FROM conversation_turns WHERE key = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`
)

// newestTurn is the version of key's conversation, zero when it has none.
func newestTurn(ctx context.Context, stmt *sql.Stmt, key string) (turnVersion, error) {
	var v turnVersion
	err := stmt.QueryRowContext(ctx, key).Scan(&v.id, &v.at)
	if errors.Is(err, sql.ErrNoRows) {
		return turnVersion{}, nil
	}
	return v, err
}

// Conversation returns the last bot.MaxTurns turns, oldest first; empty
// when none. Callers must not change the turns: they may be shared.
func (s *Store) Conversation(ctx context.Context, key string) ([]bot.Turn, error) {
	// On the writer's connection: after every commit a reader's page cache
	// is stale and the lookup re-reads its pages from the WAL, while the
	// writer's is current (it made the change), which made the lookup a
	// third of its cost. It waits for a commit in progress, a millisecond.
	newest, err := s.stmt(ctx, s.writer.DB, newestTurnQuery)
	if err != nil {
		return nil, fmt.Errorf("sqlite: conversation: %w", err)
	}
	ver, err := newestTurn(ctx, newest, key)
	if err != nil {
		return nil, fmt.Errorf("sqlite: conversation: %w", err)
	}
	if ver == (turnVersion{}) {
		return nil, nil
	}
	if turns, ok := s.turns.get(key, ver); ok {
		return slices.Clone(turns), nil
	}
	read, err := s.stmt(ctx, s.reader, turnsQuery)
	if err != nil {
		return nil, fmt.Errorf("sqlite: conversation: %w", err)
	}
	rows, err := read.QueryContext(ctx, key, bot.MaxTurns)
	if err != nil {
		return nil, fmt.Errorf("sqlite: conversation: %w", err)
	}
	e := &cachedTurns{}
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&e.ver.id, &e.ver.at, &data); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: conversation: %w", err)
		}
		t, err := sqlstore.DecodeTurn(data)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: conversation: %w", err)
		}
		e.turns = append(e.turns, t)
		e.size += len(data)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: conversation: %w", err)
	}
	if len(e.turns) > 0 {
		s.turns.put(key, e)
	}
	return slices.Clone(e.turns), nil
}

// AppendTurn adds a turn (and now and then drops those beyond the last
// bot.MaxTurns), in one transaction under the write lock. Appends that arrive while
// another commits wait and are committed together, in the order they
// came, in the next transaction (group commit): one writer takes them one
// transaction at a time anyway, and a transaction's fixed cost (the lock,
// the WAL frames, the commit) was most of an append's. AppendTurn returns
// once its turn is committed.
func (s *Store) AppendTurn(ctx context.Context, key string, t bot.Turn) error {
	data, err := sqlstore.EncodeTurn(t)
	if err != nil {
		return fmt.Errorf("sqlite: append turn: %w", err)
	}
	// What a read of the file will return, not t itself: the caller keeps
	// t, and decoding normalises it as a read would.
	stored, err := sqlstore.DecodeTurn([]byte(data))
	if err != nil {
		return fmt.Errorf("sqlite: append turn: %w", err)
	}
	r := &pendingTurn{key: key, data: data, stored: stored, done: make(chan error, 1)}
	g := &s.appends
	g.mu.Lock()
	g.queue = append(g.queue, r)
	if g.busy {
		g.mu.Unlock()
		if err := <-r.done; err != errLead {
			return err
		}
	} else {
		g.busy = true
		g.mu.Unlock()
	}
	// This call leads: it commits what is queued (its own turn first
	// among them), then hands the lead to the next waiting append.
	g.mu.Lock()
	n := min(len(g.queue), maxTurnBatch)
	batch := slices.Clone(g.queue[:n])
	g.queue = slices.Delete(g.queue, 0, n)
	g.mu.Unlock()
	// The batch holds other callers' turns: the leader's cancellation
	// must not fail them (the busy timeout bounds the wait).
	err = s.commitTurns(context.WithoutCancel(ctx), batch)
	for _, p := range batch {
		p.done <- err
	}
	g.mu.Lock()
	if len(g.queue) > 0 {
		g.queue[0].done <- errLead
	} else {
		g.busy = false
	}
	g.mu.Unlock()
	return <-r.done
}

// maxTurnBatch bounds a group commit, so that one transaction stays short.
const maxTurnBatch = 64

// errLead tells a waiting append to commit the queue itself.
var errLead = errors.New("sqlite: lead the next group commit")

type pendingTurn struct {
	key, data string
	stored    bot.Turn
	done      chan error
}

// turnAppends is the queue of appends waiting for a group commit.
type turnAppends struct {
	mu    sync.Mutex
	queue []*pendingTurn
	busy  bool // an append is committing; the next waits for the lead
}

func (s *Store) commitTurns(ctx context.Context, batch []*pendingTurn) error {
	s.prune(ctx)
	stmts := make([]*sql.Stmt, 3)
	var err error
	for i, q := range []string{newestTurnQuery, insertTurnQuery, trimTurnsQuery} {
		if stmts[i], err = s.stmt(ctx, s.writer.DB, q); err != nil {
			return fmt.Errorf("sqlite: append turn: %w", err)
		}
	}
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: append turn: %w", err)
	}
	defer tx.Rollback()
	newest, insert, trim := tx.StmtContext(ctx, stmts[0]), tx.StmtContext(ctx, stmts[1]), tx.StmtContext(ctx, stmts[2])
	at := s.now().Unix()
	vers := make([][2]turnVersion, len(batch))
	for i, p := range batch {
		// Under the write lock (BEGIN IMMEDIATE): nobody else appends in
		// between, and an earlier turn of the batch counts.
		prev, err := newestTurn(ctx, newest, p.key)
		if err != nil {
			return fmt.Errorf("sqlite: append turn: %w", err)
		}
		res, err := insert.ExecContext(ctx, p.key, p.data, at)
		if err != nil {
			return fmt.Errorf("sqlite: append turn: %w", err)
		}
		id, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("sqlite: append turn: %w", err)
		}
		// Reads take the last bot.MaxTurns anyway, so older turns are
		// dropped at one append in bot.MaxTurns (by row id, so across
		// processes too): the delete cost as much as the insert, and a
		// conversation keeps about twice its turns at most in between.
		if id%bot.MaxTurns == 0 {
			if _, err := trim.ExecContext(ctx, p.key, p.key, bot.MaxTurns); err != nil {
				return fmt.Errorf("sqlite: append turn: %w", err)
			}
		}
		vers[i] = [2]turnVersion{prev, {id, at}}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: append turn: %w", err)
	}
	for i, p := range batch {
		s.turns.appended(p.key, vers[i][0], vers[i][1], p.stored, len(p.data))
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
