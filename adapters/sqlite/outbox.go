package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/internal/sqlstore"
)

// The outbox. Every write is one statement or one transaction under
// SQLite's write lock, which is what keeps two claimers (threads or
// processes) from taking the same event; times are the process clock,
// SQLite being one host.

func scanOutbox(row sqlstore.Row) (bot.OutboxEvent, error) {
	return sqlstore.ScanOutboxEvent(row, unixTimes{})
}

// EnqueueEvent records the event id and stores the event pending, in one
// transaction.
func (s *Store) EnqueueEvent(ctx context.Context, e bot.OutboxEvent) (bool, error) {
	if err := sqlstore.CheckOutboxEvent(e); err != nil {
		return false, fmt.Errorf("sqlite: enqueue event: %w", err)
	}
	s.prune(ctx)
	now := s.now()
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("sqlite: enqueue event: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, "INSERT INTO events (platform, event_id, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
		e.Platform, e.EventID, now.Unix())
	if err != nil {
		return false, fmt.Errorf("sqlite: enqueue event: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, wrapErr("enqueue event", err)
	}
	// DO NOTHING: a row left from an id the events table has forgotten
	// (pruned) is the same event again, not a new one.
	res, err = tx.ExecContext(ctx, `INSERT INTO outbox (platform, event_id, payload, state, created_at, updated_at)
		VALUES (?, ?, ?, 'pending', ?, ?) ON CONFLICT DO NOTHING`,
		e.Platform, e.EventID, string(e.Payload), now.UnixMilli(), now.Unix())
	if err != nil {
		return false, fmt.Errorf("sqlite: enqueue event: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("sqlite: enqueue event: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("sqlite: enqueue event: %w", err)
	}
	return n == 1, nil
}

// wrapErr wraps err for op, and is nil for nil.
func wrapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("sqlite: %s: %w", op, err)
}

// openEvents is the condition on an event nobody is answering: pending, or
// claimed under a lapsed lease (the one parameter, in milliseconds). The
// state IN (…) lets SQLite use the partial index outbox_open.
const openEvents = "state IN ('pending', 'claimed') AND (state = 'pending' OR lease_until <= ?)"

// ClaimEvents takes the oldest open events in one UPDATE … RETURNING.
func (s *Store) ClaimEvents(ctx context.Context, platform, owner string, lease time.Duration, limit int) ([]bot.OutboxEvent, error) {
	if err := sqlstore.CheckOutboxClaim(platform, owner, lease, limit); err != nil {
		return nil, fmt.Errorf("sqlite: claim events: %w", err)
	}
	now := s.now()
	es, err := queryAll(ctx, s.writer, "claim events", scanOutbox, `
		UPDATE outbox SET state = 'claimed', owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
		WHERE platform = ? AND event_id IN (
			SELECT event_id FROM outbox WHERE platform = ? AND `+openEvents+`
			ORDER BY created_at, event_id LIMIT ?)
		RETURNING `+sqlstore.OutboxCols,
		owner, now.Add(lease).UnixMilli(), now.Unix(), platform, platform, now.UnixMilli(), limit)
	if err != nil {
		return nil, err
	}
	sqlstore.SortOutbox(es)
	return es, nil
}

// FinishEvent marks the event done if owner still holds it.
func (s *Store) FinishEvent(ctx context.Context, platform, eventID, owner string) error {
	res, err := s.writer.ExecContext(ctx, `UPDATE outbox SET state = 'done', updated_at = ?
		WHERE platform = ? AND event_id = ? AND state = 'claimed' AND owner = ?`,
		s.now().Unix(), platform, eventID, owner)
	if err != nil {
		return fmt.Errorf("sqlite: finish event: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlite: finish event: %w", err)
	} else if n == 0 {
		return fmt.Errorf("sqlite: %w", sqlstore.LostEvent(platform, eventID, owner))
	}
	return nil
}

// ReleaseEvents puts owner's claims back as pending.
func (s *Store) ReleaseEvents(ctx context.Context, platform, owner string) error {
	_, err := s.writer.ExecContext(ctx, `UPDATE outbox SET state = 'pending', owner = '', lease_until = 0, updated_at = ?
		WHERE platform = ? AND state = 'claimed' AND owner = ?`, s.now().Unix(), platform, owner)
	return wrapErr("release events", err)
}

// ExpireEvents marks the open events stored before now-olderThan expired.
func (s *Store) ExpireEvents(ctx context.Context, platform string, olderThan time.Duration) (int, error) {
	if err := sqlstore.CheckOutboxAge(olderThan); err != nil {
		return 0, fmt.Errorf("sqlite: expire events: %w", err)
	}
	now := s.now()
	res, err := s.writer.ExecContext(ctx, `UPDATE outbox SET state = 'expired', owner = '', updated_at = ?
		WHERE platform = ? AND `+openEvents+` AND created_at < ?`,
		now.Unix(), platform, now.UnixMilli(), now.Add(-olderThan).UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("sqlite: expire events: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlite: expire events: %w", err)
	}
	return int(n), nil
}

// PendingCount counts the open events, claimed ones included.
func (s *Store) PendingCount(ctx context.Context, platform string) (int, error) {
	var n int
	err := s.reader.QueryRowContext(ctx, "SELECT COUNT(*) FROM outbox WHERE platform = ? AND state IN ('pending', 'claimed')", platform).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqlite: pending count: %w", err)
	}
	return n, nil
}
