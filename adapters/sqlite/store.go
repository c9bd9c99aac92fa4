package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/internal/sqlstore"
)

// PutSubscription creates or replaces the subscription of s.Scope.
func (s *Store) PutSubscription(ctx context.Context, sub bot.Subscription) (bot.Subscription, error) {
	if err := sqlstore.CheckScope(sub.Scope); err != nil {
		return bot.Subscription{}, fmt.Errorf("sqlite: put subscription: %w", err)
	}
	if err := s.alive(); err != nil {
		return bot.Subscription{}, fmt.Errorf("sqlite: put subscription: %w", err)
	}
	created := sqlstore.Second(sub.CreatedAt)
	if sub.CreatedAt.IsZero() {
		created = sqlstore.Second(s.now())
	}
	err := s.writer.QueryRowContext(ctx, `
		INSERT INTO subscriptions (platform, team, channel, schedule, only_new, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (platform, team, channel) DO UPDATE SET
			schedule = excluded.schedule, only_new = excluded.only_new,
			created_by = excluded.created_by, created_at = excluded.created_at
		RETURNING id`,
		sub.Platform, sub.Team, sub.Channel, sub.Schedule, b2i(sub.OnlyNew), sub.CreatedBy, created.Unix()).Scan(&sub.ID)
	if err != nil {
		return bot.Subscription{}, fmt.Errorf("sqlite: put subscription: %w", err)
	}
	sub.CreatedAt = created
	return sub, nil
}

// DeleteSubscription removes the scope's subscription and its ledger.
func (s *Store) DeleteSubscription(ctx context.Context, sc bot.Scope) (bool, error) {
	res, err := s.writer.ExecContext(ctx, "DELETE FROM subscriptions WHERE platform = ? AND team = ? AND channel = ?",
		sc.Platform, sc.Team, sc.Channel)
	if err != nil {
		return false, fmt.Errorf("sqlite: delete subscription: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("sqlite: delete subscription: %w", err)
	}
	return n > 0, nil
}

func scanSub(row sqlstore.Row) (bot.Subscription, error) {
	return sqlstore.ScanSubscription(row, unixTimes{})
}

func scanDelivery(row sqlstore.Row) (bot.Delivery, error) {
	return sqlstore.ScanDelivery(row, unixTimes{})
}

// collect reads every row with scan and closes rows.
// queryAll runs a query on the reader and scans every row; what names the
// records in the error.
func queryAll[T any](ctx context.Context, db interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, what string, scan func(sqlstore.Row) (T, error), query string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", what, err)
	}
	out, err := collect(rows, scan)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", what, err)
	}
	return out, nil
}

func collect[T any](rows *sql.Rows, scan func(sqlstore.Row) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Subscription returns the scope's subscription or bot.ErrNotFound.
func (s *Store) Subscription(ctx context.Context, sc bot.Scope) (bot.Subscription, error) {
	sub, err := scanSub(s.reader.QueryRowContext(ctx, "SELECT "+sqlstore.SubscriptionCols+" FROM subscriptions WHERE platform = ? AND team = ? AND channel = ?",
		sc.Platform, sc.Team, sc.Channel))
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Subscription{}, fmt.Errorf("sqlite: subscription: %w", bot.ErrNotFound)
	}
	if err != nil {
		return bot.Subscription{}, fmt.Errorf("sqlite: subscription: %w", err)
	}
	return sub, nil
}

// Subscriptions lists every subscription by id.
func (s *Store) Subscriptions(ctx context.Context) ([]bot.Subscription, error) {
	return queryAll(ctx, s.reader, "subscriptions", scanSub, "SELECT "+sqlstore.SubscriptionCols+" FROM subscriptions ORDER BY id")
}

// FirstSeen records the event id; true only for the first caller.
func (s *Store) FirstSeen(ctx context.Context, platform, eventID string) (bool, error) {
	s.prune(ctx)
	res, err := s.writer.ExecContext(ctx, "INSERT INTO events (platform, event_id, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
		platform, eventID, s.now().Unix())
	if err != nil {
		return false, fmt.Errorf("sqlite: first seen: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("sqlite: first seen: %w", err)
	}
	return n == 1, nil
}

// prune forgets old event ids with their finished outbox rows, conversation turns and other handles'
// heartbeats, at most hourly; a failure only delays it.
func (s *Store) prune(ctx context.Context) {
	now := s.now()
	if !s.pruner.Due(now) {
		return
	}
	s.writer.ExecContext(ctx, "DELETE FROM events WHERE seen_at < ?", now.Add(-sqlstore.EventRetention).Unix())
	s.writer.ExecContext(ctx, "DELETE FROM outbox WHERE state IN ('done', 'expired') AND updated_at < ?", now.Add(-sqlstore.EventRetention).Unix())
	s.writer.ExecContext(ctx, "DELETE FROM conversation_turns WHERE created_at < ?", now.Add(-sqlstore.ConversationRetention).Unix())
	s.turns.clear() // the cache may hold what was just forgotten
	s.writer.ExecContext(ctx, "DELETE FROM heartbeats WHERE at < ?", now.Add(-sqlstore.HeartbeatRetention).Unix())
}

func slotKey(t time.Time) int64 { return sqlstore.Second(t).Unix() }

// ClaimSlot inserts the claim or takes over an expired one, in one
// statement under SQLite's write lock, so of concurrent claimers (threads or
// processes) exactly one wins.
func (s *Store) ClaimSlot(ctx context.Context, subID int64, slot time.Time, owner string, lease time.Duration) (bot.Delivery, bool, error) {
	if err := sqlstore.CheckClaim(owner, lease); err != nil {
		return bot.Delivery{}, false, fmt.Errorf("sqlite: claim slot: %w", err)
	}
	if err := s.alive(); err != nil {
		return bot.Delivery{}, false, fmt.Errorf("sqlite: claim slot: %w", err)
	}
	now := s.now()
	d, err := scanDelivery(s.writer.QueryRowContext(ctx, `
		INSERT INTO deliveries (subscription_id, slot, state, owner, lease_until, attempts, updated_at)
		VALUES (?, ?, 'claimed', ?, ?, 1, ?)
		ON CONFLICT (subscription_id, slot) DO UPDATE SET
			owner = excluded.owner, lease_until = excluded.lease_until,
			attempts = deliveries.attempts + 1, updated_at = excluded.updated_at
		WHERE deliveries.state = 'claimed' AND deliveries.lease_until <= ?
		RETURNING `+sqlstore.DeliveryCols,
		subID, slotKey(slot), owner, now.Add(lease).UnixMilli(), now.Unix(), now.UnixMilli()))
	switch {
	case err == nil:
		return d, true, nil
	case isForeignKey(err):
		return bot.Delivery{}, false, fmt.Errorf("sqlite: claim slot: %w", sqlstore.UnknownSubscription(subID))
	case !errors.Is(err, sql.ErrNoRows):
		return bot.Delivery{}, false, fmt.Errorf("sqlite: claim slot: %w", err)
	}
	d, err = scanDelivery(s.writer.QueryRowContext(ctx, "SELECT "+sqlstore.DeliveryCols+" FROM deliveries WHERE subscription_id = ? AND slot = ?",
		subID, slotKey(slot)))
	if err != nil {
		return bot.Delivery{}, false, fmt.Errorf("sqlite: claim slot: %w", err)
	}
	return d, false, nil
}

// FinishSlot records a claim's outcome if d.Owner still holds it.
func (s *Store) FinishSlot(ctx context.Context, d bot.Delivery) error {
	if err := sqlstore.CheckFinish(d.State); err != nil {
		return fmt.Errorf("sqlite: finish slot: %w", err)
	}
	res, err := s.writer.ExecContext(ctx, `
		UPDATE deliveries SET state = ?, message_id = ?, error = ?, late = ?, corpus_version = ?, updated_at = ?
		WHERE subscription_id = ? AND slot = ? AND state = 'claimed' AND owner = ?`,
		string(d.State), d.MessageID, d.Error, b2i(d.Late), d.CorpusVersion, s.now().Unix(),
		d.SubscriptionID, slotKey(d.Slot), d.Owner)
	if err != nil {
		return fmt.Errorf("sqlite: finish slot: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlite: finish slot: %w", err)
	} else if n == 0 {
		return fmt.Errorf("sqlite: %w", sqlstore.LostClaim(d))
	}
	return nil
}

// SkipSlot marks a missed slot skipped unless something else happened to it.
func (s *Store) SkipSlot(ctx context.Context, subID int64, slot time.Time, reason string) error {
	now := s.now()
	_, err := s.writer.ExecContext(ctx, `
		INSERT INTO deliveries (subscription_id, slot, state, error, updated_at)
		VALUES (?, ?, 'skipped', ?, ?)
		ON CONFLICT (subscription_id, slot) DO UPDATE SET
			state = 'skipped', owner = '', error = excluded.error, updated_at = excluded.updated_at
		WHERE deliveries.state = 'claimed' AND deliveries.lease_until <= ?`,
		subID, slotKey(slot), reason, now.Unix(), now.UnixMilli())
	if isForeignKey(err) {
		return fmt.Errorf("sqlite: skip slot: %w", sqlstore.UnknownSubscription(subID))
	}
	if err != nil {
		return fmt.Errorf("sqlite: skip slot: %w", err)
	}
	return nil
}

func (s *Store) oneDelivery(ctx context.Context, what, where string, subID int64) (bot.Delivery, error) {
	d, err := scanDelivery(s.reader.QueryRowContext(ctx, "SELECT "+sqlstore.DeliveryCols+" FROM deliveries WHERE subscription_id = ?"+where+" ORDER BY slot DESC LIMIT 1", subID))
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Delivery{}, fmt.Errorf("sqlite: %s: %w", what, bot.ErrNotFound)
	}
	if err != nil {
		return bot.Delivery{}, fmt.Errorf("sqlite: %s: %w", what, err)
	}
	return d, nil
}

// ExpiredClaims lists the subscription's claims whose lease ran out,
// oldest slot first.
func (s *Store) ExpiredClaims(ctx context.Context, subID int64, limit int) ([]bot.Delivery, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	return queryAll(ctx, s.reader, "expired claims", scanDelivery, "SELECT "+sqlstore.DeliveryCols+
		" FROM deliveries WHERE subscription_id = ? AND state = 'claimed' AND lease_until <= ? ORDER BY slot LIMIT ?", subID, s.now().UnixMilli(), limit)
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
	nowMS := s.now().UnixMilli()
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: release claims: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM deliveries WHERE state = 'claimed' AND owner = ? AND lease_until > ? AND attempts <= 1",
		owner, nowMS); err != nil {
		return fmt.Errorf("sqlite: release claims: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET owner = '', lease_until = ?, attempts = attempts - 1, updated_at = ?
		WHERE state = 'claimed' AND owner = ? AND lease_until > ?`, nowMS, nowMS/1000, owner, nowMS); err != nil {
		return fmt.Errorf("sqlite: release claims: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: release claims: %w", err)
	}
	return nil
}

// Deliveries lists the subscription's rows, newest slot first.
func (s *Store) Deliveries(ctx context.Context, subID int64, limit int) ([]bot.Delivery, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	return queryAll(ctx, s.reader, "deliveries", scanDelivery, "SELECT "+sqlstore.DeliveryCols+" FROM deliveries WHERE subscription_id = ? ORDER BY slot DESC LIMIT ?", subID, limit)
}

// PutInstall creates or replaces the install of (platform, team).
func (s *Store) PutInstall(ctx context.Context, in bot.Install) error {
	if err := sqlstore.CheckInstall(in); err != nil {
		return fmt.Errorf("sqlite: put install: %w", err)
	}
	at := in.InstalledAt
	if at.IsZero() {
		at = s.now()
	}
	_, err := s.writer.ExecContext(ctx, `
		INSERT INTO installs (platform, team, enterprise, bot_token, bot_user_id, installed_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (platform, team) DO UPDATE SET enterprise = excluded.enterprise, bot_token = excluded.bot_token,
			bot_user_id = excluded.bot_user_id, installed_at = excluded.installed_at`,
		in.Platform, in.Team, in.Enterprise, in.BotToken, in.BotUserID, at.Unix())
	if err != nil {
		return fmt.Errorf("sqlite: put install: %w", err)
	}
	return nil
}

// Install returns the install of (platform, team) or bot.ErrNotFound.
func (s *Store) Install(ctx context.Context, platform, team string) (bot.Install, error) {
	in, err := sqlstore.ScanInstall(s.reader.QueryRowContext(ctx, "SELECT "+sqlstore.InstallCols+" FROM installs WHERE platform = ? AND team = ?",
		platform, team), unixTimes{}, platform, team)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Install{}, fmt.Errorf("sqlite: install: %w", bot.ErrNotFound)
	}
	if err != nil {
		return bot.Install{}, fmt.Errorf("sqlite: install: %w", err)
	}
	return in, nil
}
