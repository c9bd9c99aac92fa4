package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/internal/sqlstore"
)

// nowSec is the server's now() at second precision, for stored times.
const nowSec = "date_trunc('second', now())"

// zeroNil maps a zero time to NULL so that SQL can choose now().
func zeroNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return sqlstore.Second(t)
}

// PutSubscription creates or replaces the subscription of s.Scope.
func (s *Store) PutSubscription(ctx context.Context, sub bot.Subscription) (bot.Subscription, error) {
	if err := sqlstore.CheckScope(sub.Scope); err != nil {
		return bot.Subscription{}, s.wrap("put subscription", err)
	}
	err := s.pool.QueryRow(ctx, `
		INSERT INTO subscriptions (platform, team, channel, schedule, only_new, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7, `+nowSec+`))
		ON CONFLICT (platform, team, channel) DO UPDATE SET
			schedule = excluded.schedule, only_new = excluded.only_new,
			created_by = excluded.created_by, created_at = excluded.created_at
		RETURNING id, created_at`,
		sub.Platform, sub.Team, sub.Channel, sub.Schedule, sub.OnlyNew, sub.CreatedBy, zeroNil(sub.CreatedAt)).Scan(&sub.ID, pgTimes{}.Stamp(&sub.CreatedAt))
	if err != nil {
		return bot.Subscription{}, s.wrap("put subscription", err)
	}
	return sub, nil
}

// DeleteSubscription removes the scope's subscription and its ledger.
func (s *Store) DeleteSubscription(ctx context.Context, sc bot.Scope) (bool, error) {
	tag, err := s.pool.Exec(ctx, "DELETE FROM subscriptions WHERE platform = $1 AND team = $2 AND channel = $3",
		sc.Platform, sc.Team, sc.Channel)
	if err != nil {
		return false, s.wrap("delete subscription", err)
	}
	return tag.RowsAffected() > 0, nil
}

func scanSub(row pgx.Row) (bot.Subscription, error) { return sqlstore.ScanSubscription(row, pgTimes{}) }

func scanDelivery(row pgx.Row) (bot.Delivery, error) { return sqlstore.ScanDelivery(row, pgTimes{}) }

// queryAll runs a query and scans every row; what names the records in the
// error.
func queryAll[T any](ctx context.Context, s *Store, what string, scan func(pgx.Row) (T, error), query string, args ...any) ([]T, error) {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, s.wrap(what, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) { return scan(r) })
	if err != nil {
		return nil, s.wrap(what, err)
	}
	return out, nil
}

// Subscription returns the scope's subscription or bot.ErrNotFound.
func (s *Store) Subscription(ctx context.Context, sc bot.Scope) (bot.Subscription, error) {
	sub, err := scanSub(s.pool.QueryRow(ctx, "SELECT "+sqlstore.SubscriptionCols+" FROM subscriptions WHERE platform = $1 AND team = $2 AND channel = $3",
		sc.Platform, sc.Team, sc.Channel))
	if isNoRows(err) {
		return bot.Subscription{}, s.wrap("subscription", bot.ErrNotFound)
	}
	if err != nil {
		return bot.Subscription{}, s.wrap("subscription", err)
	}
	return sub, nil
}

// Subscriptions lists every subscription by id.
func (s *Store) Subscriptions(ctx context.Context) ([]bot.Subscription, error) {
	return queryAll(ctx, s, "subscriptions", scanSub, "SELECT "+sqlstore.SubscriptionCols+" FROM subscriptions ORDER BY id")
}

// Conversation returns the last bot.MaxTurns turns, oldest first; empty
// when none.
func (s *Store) Conversation(ctx context.Context, key string) ([]bot.Turn, error) {
	return queryAll(ctx, s, "conversation", scanTurn,
		"SELECT turn FROM (SELECT id, turn FROM conversation_turns WHERE key = $1 ORDER BY id DESC LIMIT $2) t ORDER BY id", key, bot.MaxTurns)
}

func scanTurn(row pgx.Row) (bot.Turn, error) {
	var data []byte
	if err := row.Scan(&data); err != nil {
		return bot.Turn{}, err
	}
	return sqlstore.DecodeTurn(data)
}

// AppendTurn adds a turn and drops those beyond the last bot.MaxTurns.
// Concurrent appends never conflict (each row has its own id); a trim
// racing another may keep a turn too many for a moment, which Conversation
// does not return.
func (s *Store) AppendTurn(ctx context.Context, key string, t bot.Turn) error {
	data, err := sqlstore.EncodeTurn(t)
	if err != nil {
		return s.wrap("append turn", err)
	}
	s.prune(ctx)
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "INSERT INTO conversation_turns (key, turn, created_at) VALUES ($1, $2, now())", key, data); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM conversation_turns WHERE key = $1 AND id <=
			(SELECT id FROM conversation_turns WHERE key = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)`, key, bot.MaxTurns)
		return err
	})
	if err != nil {
		return s.wrap("append turn", err)
	}
	return nil
}

// FirstSeen records the event id; true only for the first caller of any
// replica (the primary key decides).
func (s *Store) FirstSeen(ctx context.Context, platform, eventID string) (bool, error) {
	s.prune(ctx)
	tag, err := s.pool.Exec(ctx, "INSERT INTO events (platform, event_id, seen_at) VALUES ($1, $2, now()) ON CONFLICT DO NOTHING",
		platform, eventID)
	if err != nil {
		return false, s.wrap("first seen", err)
	}
	return tag.RowsAffected() == 1, nil
}

// prune forgets old event ids with their finished outbox rows, conversation turns and heartbeats of
// handles gone, at most hourly per replica; a failure only delays it.
func (s *Store) prune(ctx context.Context) {
	if !s.pruner.Due(time.Now()) {
		return
	}
	s.pool.Exec(ctx, "DELETE FROM events WHERE seen_at < now() - $1 * interval '1 second'", int64(sqlstore.EventRetention.Seconds()))
	s.pool.Exec(ctx, "DELETE FROM outbox WHERE state IN ('done', 'expired') AND updated_at < now() - $1 * interval '1 second'", int64(sqlstore.EventRetention.Seconds()))
	s.pool.Exec(ctx, "DELETE FROM conversation_turns WHERE created_at < now() - $1 * interval '1 second'", int64(sqlstore.ConversationRetention.Seconds()))
	s.pool.Exec(ctx, "DELETE FROM heartbeats WHERE at < now() - $1 * interval '1 second'", int64(sqlstore.HeartbeatRetention.Seconds()))
}

func slotKey(t time.Time) time.Time { return sqlstore.Second(t) }

// ClaimSlot inserts the claim or takes over an expired one in a single
// statement: PostgreSQL locks the conflicting row and re-checks the WHERE
// on its latest version, so of concurrent claimers exactly one wins.
func (s *Store) ClaimSlot(ctx context.Context, subID int64, slot time.Time, owner string, lease time.Duration) (bot.Delivery, bool, error) {
	if err := sqlstore.CheckClaim(owner, lease); err != nil {
		return bot.Delivery{}, false, s.wrap("claim slot", err)
	}
	d, err := scanDelivery(s.pool.QueryRow(ctx, `
		INSERT INTO deliveries (subscription_id, slot, state, owner, lease_until, attempts, updated_at)
		VALUES ($1, $2, 'claimed', $3, date_trunc('milliseconds', now() + $4 * interval '1 millisecond'), 1, `+nowSec+`)
		ON CONFLICT (subscription_id, slot) DO UPDATE SET
			owner = excluded.owner, lease_until = excluded.lease_until,
			attempts = deliveries.attempts + 1, updated_at = excluded.updated_at
		WHERE deliveries.state = 'claimed' AND deliveries.lease_until <= now()
		RETURNING `+sqlstore.DeliveryCols,
		subID, slotKey(slot), owner, lease.Milliseconds()))
	switch {
	case err == nil:
		return d, true, nil
	case isForeignKey(err):
		return bot.Delivery{}, false, s.wrap("claim slot", sqlstore.UnknownSubscription(subID))
	case !isNoRows(err):
		return bot.Delivery{}, false, s.wrap("claim slot", err)
	}
	d, err = scanDelivery(s.pool.QueryRow(ctx, "SELECT "+sqlstore.DeliveryCols+" FROM deliveries WHERE subscription_id = $1 AND slot = $2",
		subID, slotKey(slot)))
	if err != nil {
		return bot.Delivery{}, false, s.wrap("claim slot", err)
	}
	return d, false, nil
}

// FinishSlot records a claim's outcome if d.Owner still holds it.
func (s *Store) FinishSlot(ctx context.Context, d bot.Delivery) error {
	if err := sqlstore.CheckFinish(d.State); err != nil {
		return s.wrap("finish slot", err)
	}
	tag, err := s.pool.Exec(ctx, `
		UPDATE deliveries SET state = $1, message_id = $2, error = $3, late = $4, corpus_version = $5, updated_at = `+nowSec+`
		WHERE subscription_id = $6 AND slot = $7 AND state = 'claimed' AND owner = $8`,
		string(d.State), d.MessageID, d.Error, d.Late, d.CorpusVersion, d.SubscriptionID, slotKey(d.Slot), d.Owner)
	if err != nil {
		return s.wrap("finish slot", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: %w", sqlstore.LostClaim(d))
	}
	return nil
}

// SkipSlot marks a missed slot skipped unless something else happened to it.
func (s *Store) SkipSlot(ctx context.Context, subID int64, slot time.Time, reason string) error {
	_, err := s.pool.Exec(ctx, `
		INSERT INTO deliveries (subscription_id, slot, state, error, updated_at)
		VALUES ($1, $2, 'skipped', $3, `+nowSec+`)
		ON CONFLICT (subscription_id, slot) DO UPDATE SET
			state = 'skipped', owner = '', error = excluded.error, updated_at = excluded.updated_at
		WHERE deliveries.state = 'claimed' AND deliveries.lease_until <= now()`,
		subID, slotKey(slot), reason)
	if isForeignKey(err) {
		return s.wrap("skip slot", sqlstore.UnknownSubscription(subID))
	}
	if err != nil {
		return s.wrap("skip slot", err)
	}
	return nil
}

func (s *Store) oneDelivery(ctx context.Context, what, where string, subID int64) (bot.Delivery, error) {
	d, err := scanDelivery(s.pool.QueryRow(ctx, "SELECT "+sqlstore.DeliveryCols+" FROM deliveries WHERE subscription_id = $1"+where+" ORDER BY slot DESC LIMIT 1", subID))
	if isNoRows(err) {
		return bot.Delivery{}, s.wrap(what, bot.ErrNotFound)
	}
	if err != nil {
		return bot.Delivery{}, s.wrap(what, err)
	}
	return d, nil
}

// ExpiredClaims lists the subscription's claims whose lease ran out,
// oldest slot first.
func (s *Store) ExpiredClaims(ctx context.Context, subID int64, limit int) ([]bot.Delivery, error) {
	var lim any // NULL: no limit
	if limit > 0 {
		lim = limit
	}
	return queryAll(ctx, s, "expired claims", scanDelivery, "SELECT "+sqlstore.DeliveryCols+
		" FROM deliveries WHERE subscription_id = $1 AND state = 'claimed' AND lease_until <= now() ORDER BY slot LIMIT $2", subID, lim)
}

// LastDelivery is the row with the newest slot.
func (s *Store) LastDelivery(ctx context.Context, subID int64) (bot.Delivery, error) {
	return s.oneDelivery(ctx, "last delivery", "", subID)
}

// LastPosted is the posted row with the newest slot.
func (s *Store) LastPosted(ctx context.Context, subID int64) (bot.Delivery, error) {
	return s.oneDelivery(ctx, "last posted", " AND state = 'posted'", subID)
}

// ReleaseClaims gives back owner's live claims: a first claim is deleted, a
// takeover is expired with its earlier attempts kept. One transaction.
func (s *Store) ReleaseClaims(ctx context.Context, owner string) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM deliveries WHERE state = 'claimed' AND owner = $1 AND lease_until > now() AND attempts <= 1", owner); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE deliveries SET owner = '', lease_until = date_trunc('milliseconds', now()), attempts = attempts - 1, updated_at = `+nowSec+`
			WHERE state = 'claimed' AND owner = $1 AND lease_until > now()`, owner)
		return err
	})
	if err != nil {
		return s.wrap("release claims", err)
	}
	return nil
}

// Deliveries lists the subscription's rows, newest slot first.
func (s *Store) Deliveries(ctx context.Context, subID int64, limit int) ([]bot.Delivery, error) {
	var lim any // NULL: no limit
	if limit > 0 {
		lim = limit
	}
	return queryAll(ctx, s, "deliveries", scanDelivery, "SELECT "+sqlstore.DeliveryCols+" FROM deliveries WHERE subscription_id = $1 ORDER BY slot DESC LIMIT $2", subID, lim)
}

// PutInstall creates or replaces the install of (platform, team).
func (s *Store) PutInstall(ctx context.Context, in bot.Install) error {
	if err := sqlstore.CheckInstall(in); err != nil {
		return s.wrap("put install", err)
	}
	_, err := s.pool.Exec(ctx, `
		INSERT INTO installs (platform, team, enterprise, bot_token, bot_user_id, installed_at)
		VALUES ($1, $2, $3, $4, $5, COALESCE($6, `+nowSec+`))
		ON CONFLICT (platform, team) DO UPDATE SET enterprise = excluded.enterprise, bot_token = excluded.bot_token,
			bot_user_id = excluded.bot_user_id, installed_at = excluded.installed_at`,
		in.Platform, in.Team, in.Enterprise, in.BotToken, in.BotUserID, zeroNil(in.InstalledAt))
	if err != nil {
		return s.wrap("put install", err)
	}
	return nil
}

// Install returns the install of (platform, team) or bot.ErrNotFound.
func (s *Store) Install(ctx context.Context, platform, team string) (bot.Install, error) {
	in, err := sqlstore.ScanInstall(s.pool.QueryRow(ctx, "SELECT "+sqlstore.InstallCols+" FROM installs WHERE platform = $1 AND team = $2",
		platform, team), pgTimes{}, platform, team)
	if isNoRows(err) {
		return bot.Install{}, s.wrap("install", bot.ErrNotFound)
	}
	if err != nil {
		return bot.Install{}, s.wrap("install", err)
	}
	return in, nil
}
