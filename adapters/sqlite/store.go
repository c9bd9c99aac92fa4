package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// Retention of the housekeeping tables, pruned at most once per pruneEvery.
const (
	eventRetention        = 48 * time.Hour
	conversationRetention = 30 * 24 * time.Hour
	pruneEvery            = time.Hour
)

func checkScope(sc bot.Scope) error {
	if sc.Platform == "" || sc.Team == "" || sc.Channel == "" {
		return fmt.Errorf("incomplete scope %q/%q/%q", sc.Platform, sc.Team, sc.Channel)
	}
	return nil
}

// PutSubscription creates or replaces the subscription of s.Scope.
func (s *Store) PutSubscription(ctx context.Context, sub bot.Subscription) (bot.Subscription, error) {
	if err := checkScope(sub.Scope); err != nil {
		return bot.Subscription{}, fmt.Errorf("sqlite: put subscription: %w", err)
	}
	created := sub.CreatedAt.UTC().Truncate(time.Second)
	if sub.CreatedAt.IsZero() {
		created = s.now().UTC().Truncate(time.Second)
	}
	err := s.writer.QueryRowContext(ctx, `
		INSERT INTO subscriptions (platform, team, channel, schedule, only_new, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (platform, team, channel) DO UPDATE SET
			schedule = excluded.schedule, only_new = excluded.only_new,
			created_by = excluded.created_by, created_at = excluded.created_at
		RETURNING id`,
		sub.Platform, sub.Team, sub.Channel, sub.Schedule, b2i(sub.OnlyNew), sub.CreatedBy, unix(created)).Scan(&sub.ID)
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

const subCols = "id, platform, team, channel, schedule, only_new, created_by, created_at"

func scanSub(sc interface{ Scan(...any) error }) (bot.Subscription, error) {
	var sub bot.Subscription
	var onlyNew int
	var created int64
	err := sc.Scan(&sub.ID, &sub.Platform, &sub.Team, &sub.Channel, &sub.Schedule, &onlyNew, &sub.CreatedBy, &created)
	sub.OnlyNew = onlyNew != 0
	sub.CreatedAt = fromUnix(created)
	return sub, err
}

// Subscription returns the scope's subscription or bot.ErrNotFound.
func (s *Store) Subscription(ctx context.Context, sc bot.Scope) (bot.Subscription, error) {
	sub, err := scanSub(s.reader.QueryRowContext(ctx, "SELECT "+subCols+" FROM subscriptions WHERE platform = ? AND team = ? AND channel = ?",
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
	rows, err := s.reader.QueryContext(ctx, "SELECT "+subCols+" FROM subscriptions ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("sqlite: subscriptions: %w", err)
	}
	defer rows.Close()
	var subs []bot.Subscription
	for rows.Next() {
		sub, err := scanSub(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: subscriptions: %w", err)
		}
		subs = append(subs, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: subscriptions: %w", err)
	}
	return subs, nil
}

// Conversation returns the stored turns, oldest first; empty when none.
func (s *Store) Conversation(ctx context.Context, key string) ([]bot.Turn, error) {
	var data string
	err := s.reader.QueryRowContext(ctx, "SELECT turns FROM conversations WHERE key = ?", key).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: conversation: %w", err)
	}
	var turns []bot.Turn
	if err := json.Unmarshal([]byte(data), &turns); err != nil {
		return nil, fmt.Errorf("sqlite: conversation: %w", err)
	}
	return turns, nil
}

// PutConversation stores the last bot.MaxTurns turns; no turns deletes it.
func (s *Store) PutConversation(ctx context.Context, key string, turns []bot.Turn) error {
	if len(turns) > bot.MaxTurns {
		turns = turns[len(turns)-bot.MaxTurns:]
	}
	s.prune(ctx)
	if len(turns) == 0 {
		if _, err := s.writer.ExecContext(ctx, "DELETE FROM conversations WHERE key = ?", key); err != nil {
			return fmt.Errorf("sqlite: put conversation: %w", err)
		}
		return nil
	}
	data, err := json.Marshal(turns)
	if err != nil {
		return fmt.Errorf("sqlite: put conversation: %w", err)
	}
	_, err = s.writer.ExecContext(ctx, `INSERT INTO conversations (key, turns, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET turns = excluded.turns, updated_at = excluded.updated_at`,
		key, string(data), s.now().Unix())
	if err != nil {
		return fmt.Errorf("sqlite: put conversation: %w", err)
	}
	return nil
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

// prune forgets old event ids and idle conversations, at most hourly; a
// failure only delays it.
func (s *Store) prune(ctx context.Context) {
	now := s.now()
	s.pruneMu.Lock()
	due := now.Sub(s.lastPrune) >= pruneEvery
	if due {
		s.lastPrune = now
	}
	s.pruneMu.Unlock()
	if !due {
		return
	}
	s.writer.ExecContext(ctx, "DELETE FROM events WHERE seen_at < ?", now.Add(-eventRetention).Unix())
	s.writer.ExecContext(ctx, "DELETE FROM conversations WHERE updated_at < ?", now.Add(-conversationRetention).Unix())
}

const deliveryCols = "subscription_id, slot, state, owner, lease_until, attempts, message_id, error, late, corpus_version, updated_at"

func scanDelivery(sc interface{ Scan(...any) error }) (bot.Delivery, error) {
	var d bot.Delivery
	var slot, lease, updated int64
	var late int
	var state string
	err := sc.Scan(&d.SubscriptionID, &slot, &state, &d.Owner, &lease, &d.Attempts, &d.MessageID, &d.Error, &late, &d.CorpusVersion, &updated)
	d.Slot = time.Unix(slot, 0).UTC()
	d.State = bot.DeliveryState(state)
	d.LeaseUntil = fromUnixMilli(lease)
	d.Late = late != 0
	d.UpdatedAt = fromUnix(updated)
	return d, err
}

func slotKey(t time.Time) int64 { return t.UTC().Truncate(time.Second).Unix() }

// ClaimSlot inserts the claim or takes over an expired one, in one
// statement under SQLite's write lock, so of concurrent claimers (threads or
// processes) exactly one wins.
func (s *Store) ClaimSlot(ctx context.Context, subID int64, slot time.Time, owner string, lease time.Duration) (bot.Delivery, bool, error) {
	if owner == "" || lease <= 0 {
		return bot.Delivery{}, false, fmt.Errorf("sqlite: claim slot: need an owner and a positive lease")
	}
	now := s.now()
	d, err := scanDelivery(s.writer.QueryRowContext(ctx, `
		INSERT INTO deliveries (subscription_id, slot, state, owner, lease_until, attempts, updated_at)
		VALUES (?, ?, 'claimed', ?, ?, 1, ?)
		ON CONFLICT (subscription_id, slot) DO UPDATE SET
			owner = excluded.owner, lease_until = excluded.lease_until,
			attempts = deliveries.attempts + 1, updated_at = excluded.updated_at
		WHERE deliveries.state = 'claimed' AND deliveries.lease_until <= ?
		RETURNING `+deliveryCols,
		subID, slotKey(slot), owner, now.Add(lease).UnixMilli(), now.Unix(), now.UnixMilli()))
	switch {
	case err == nil:
		return d, true, nil
	case isForeignKey(err):
		return bot.Delivery{}, false, fmt.Errorf("sqlite: claim slot: subscription %d: %w", subID, bot.ErrNotFound)
	case !errors.Is(err, sql.ErrNoRows):
		return bot.Delivery{}, false, fmt.Errorf("sqlite: claim slot: %w", err)
	}
	d, err = scanDelivery(s.writer.QueryRowContext(ctx, "SELECT "+deliveryCols+" FROM deliveries WHERE subscription_id = ? AND slot = ?",
		subID, slotKey(slot)))
	if err != nil {
		return bot.Delivery{}, false, fmt.Errorf("sqlite: claim slot: %w", err)
	}
	return d, false, nil
}

// FinishSlot records a claim's outcome if d.Owner still holds it.
func (s *Store) FinishSlot(ctx context.Context, d bot.Delivery) error {
	if d.State != bot.StatePosted && d.State != bot.StateFailed {
		return fmt.Errorf("sqlite: finish slot: state %q is not posted or failed", d.State)
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
		return fmt.Errorf("sqlite: finish slot %d@%s for %s: %w", d.SubscriptionID, d.Slot.UTC().Format(time.RFC3339), d.Owner, bot.ErrClaimLost)
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
		return fmt.Errorf("sqlite: skip slot: subscription %d: %w", subID, bot.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("sqlite: skip slot: %w", err)
	}
	return nil
}

func (s *Store) oneDelivery(ctx context.Context, what, where string, subID int64) (bot.Delivery, error) {
	d, err := scanDelivery(s.reader.QueryRowContext(ctx, "SELECT "+deliveryCols+" FROM deliveries WHERE subscription_id = ?"+where+" ORDER BY slot DESC LIMIT 1", subID))
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Delivery{}, fmt.Errorf("sqlite: %s: %w", what, bot.ErrNotFound)
	}
	if err != nil {
		return bot.Delivery{}, fmt.Errorf("sqlite: %s: %w", what, err)
	}
	return d, nil
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
	rows, err := s.reader.QueryContext(ctx, "SELECT "+deliveryCols+" FROM deliveries WHERE subscription_id = ? ORDER BY slot DESC LIMIT ?", subID, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: deliveries: %w", err)
	}
	defer rows.Close()
	var ds []bot.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: deliveries: %w", err)
		}
		ds = append(ds, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: deliveries: %w", err)
	}
	return ds, nil
}

// PutInstall creates or replaces the install of (platform, team).
func (s *Store) PutInstall(ctx context.Context, in bot.Install) error {
	if in.Platform == "" || in.Team == "" {
		return errors.New("sqlite: put install: platform and team are required")
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
	in := bot.Install{Platform: platform, Team: team}
	var at int64
	err := s.reader.QueryRowContext(ctx, "SELECT enterprise, bot_token, bot_user_id, installed_at FROM installs WHERE platform = ? AND team = ?",
		platform, team).Scan(&in.Enterprise, &in.BotToken, &in.BotUserID, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Install{}, fmt.Errorf("sqlite: install: %w", bot.ErrNotFound)
	}
	if err != nil {
		return bot.Install{}, fmt.Errorf("sqlite: install: %w", err)
	}
	in.InstalledAt = fromUnix(at)
	return in, nil
}

func textHash(text string) string {
	h := sha256.Sum256([]byte(text))
	return hex.EncodeToString(h[:])
}

// AddArticle stores a, unless its id or its exact text is already stored.
func (s *Store) AddArticle(ctx context.Context, a briefs.Article) (bool, error) {
	if a.ID == "" {
		return false, errors.New("sqlite: add article: empty id")
	}
	res, err := s.writer.ExecContext(ctx, `
		INSERT INTO articles (id, text_hash, title, source, url, published, author, body, added_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		a.ID, textHash(a.Text), a.Title, a.Source, a.URL, a.Published, a.Author, a.Text, s.now().Unix())
	if err != nil {
		return false, fmt.Errorf("sqlite: add article %s: %w", a.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("sqlite: add article %s: %w", a.ID, err)
	}
	return n == 1, nil
}

// Articles lists the stored articles in the order they were added.
func (s *Store) Articles(ctx context.Context) ([]briefs.Article, error) {
	rows, err := s.reader.QueryContext(ctx, "SELECT id, title, source, url, published, author, body FROM articles ORDER BY seq")
	if err != nil {
		return nil, fmt.Errorf("sqlite: articles: %w", err)
	}
	defer rows.Close()
	var as []briefs.Article
	for rows.Next() {
		var a briefs.Article
		if err := rows.Scan(&a.ID, &a.Title, &a.Source, &a.URL, &a.Published, &a.Author, &a.Text); err != nil {
			return nil, fmt.Errorf("sqlite: articles: %w", err)
		}
		as = append(as, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: articles: %w", err)
	}
	return as, nil
}
