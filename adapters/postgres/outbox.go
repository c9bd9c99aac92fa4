package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/internal/sqlstore"
)

// The outbox. Each operation is one statement; times are the server's
// now(), so replicas with skewed clocks agree on leases and ages.

func scanOutbox(row pgx.Row) (bot.OutboxEvent, error) {
	return sqlstore.ScanOutboxEvent(row, pgTimes{})
}

// nowMilli is the server's now() at the millisecond precision created_at
// and leases are read back with, so that the order claims use is the order
// callers see.
const nowMilli = "date_trunc('milliseconds', now())"

// EnqueueEvent records the event id and stores the event pending in one
// statement: the outbox row is inserted only when the events row was.
func (s *Store) EnqueueEvent(ctx context.Context, e bot.OutboxEvent) (bool, error) {
	if err := sqlstore.CheckOutboxEvent(e); err != nil {
		return false, s.wrap("enqueue event", err)
	}
	s.prune(ctx)
	// DO NOTHING on the outbox: a row left from an id the events table
	// has forgotten (pruned) is the same event again, not a new one.
	tag, err := s.pool.Exec(ctx, `
		WITH seen AS (
			INSERT INTO events (platform, event_id, seen_at) VALUES ($1, $2, now())
			ON CONFLICT DO NOTHING RETURNING platform, event_id)
		INSERT INTO outbox (platform, event_id, payload, state, created_at, updated_at)
		SELECT platform, event_id, $3, 'pending', `+nowMilli+`, `+nowSec+` FROM seen
		ON CONFLICT DO NOTHING`,
		e.Platform, e.EventID, string(e.Payload))
	if err != nil {
		return false, s.wrap("enqueue event", err)
	}
	return tag.RowsAffected() == 1, nil
}

// openEvents is the condition on an event nobody is answering: pending, or
// claimed under a lapsed lease.
const openEvents = "state IN ('pending', 'claimed') AND (state = 'pending' OR lease_until <= now())"

// ClaimEvents takes the oldest open events in one UPDATE. FOR UPDATE SKIP
// LOCKED lets concurrent claimers pass over each other's rows instead of
// queueing on them, and PostgreSQL re-checks the condition on a row another
// claimer has just committed, so no two get the same event.
func (s *Store) ClaimEvents(ctx context.Context, platform, owner string, lease time.Duration, limit int) ([]bot.OutboxEvent, error) {
	if err := sqlstore.CheckOutboxClaim(platform, owner, lease, limit); err != nil {
		return nil, s.wrap("claim events", err)
	}
	es, err := queryAll(ctx, s, "claim events", scanOutbox, `
		UPDATE outbox o SET state = 'claimed', owner = $2,
			lease_until = date_trunc('milliseconds', now() + $3 * interval '1 millisecond'),
			attempts = o.attempts + 1, updated_at = `+nowSec+`
		FROM (SELECT event_id AS id FROM outbox WHERE platform = $1 AND `+openEvents+`
			ORDER BY created_at, event_id LIMIT $4 FOR UPDATE SKIP LOCKED) c
		WHERE o.platform = $1 AND o.event_id = c.id
		RETURNING `+sqlstore.OutboxCols,
		platform, owner, lease.Milliseconds(), limit)
	if err != nil {
		return nil, err
	}
	sqlstore.SortOutbox(es)
	return es, nil
}

// FinishEvent marks the event done if owner still holds it.
func (s *Store) FinishEvent(ctx context.Context, platform, eventID, owner string) error {
	tag, err := s.pool.Exec(ctx, `UPDATE outbox SET state = 'done', updated_at = `+nowSec+`
		WHERE platform = $1 AND event_id = $2 AND state = 'claimed' AND owner = $3`, platform, eventID, owner)
	if err != nil {
		return s.wrap("finish event", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: %w", sqlstore.LostEvent(platform, eventID, owner))
	}
	return nil
}

// ReleaseEvents puts owner's claims back as pending.
func (s *Store) ReleaseEvents(ctx context.Context, platform, owner string) error {
	_, err := s.pool.Exec(ctx, `UPDATE outbox SET state = 'pending', owner = '', lease_until = NULL, updated_at = `+nowSec+`
		WHERE platform = $1 AND state = 'claimed' AND owner = $2`, platform, owner)
	if err != nil {
		return s.wrap("release events", err)
	}
	return nil
}

// ExpireEvents marks the open events stored before now()-olderThan expired.
func (s *Store) ExpireEvents(ctx context.Context, platform string, olderThan time.Duration) (int, error) {
	if err := sqlstore.CheckOutboxAge(olderThan); err != nil {
		return 0, s.wrap("expire events", err)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE outbox SET state = 'expired', owner = '', updated_at = `+nowSec+`
		WHERE platform = $1 AND `+openEvents+` AND created_at < now() - $2 * interval '1 millisecond'`,
		platform, olderThan.Milliseconds())
	if err != nil {
		return 0, s.wrap("expire events", err)
	}
	return int(tag.RowsAffected()), nil
}

// PendingCount counts the open events, claimed ones included.
func (s *Store) PendingCount(ctx context.Context, platform string) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, "SELECT COUNT(*) FROM outbox WHERE platform = $1 AND state IN ('pending', 'claimed')", platform).Scan(&n)
	if err != nil {
		return 0, s.wrap("pending count", err)
	}
	return n, nil
}
