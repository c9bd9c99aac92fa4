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

// Feeds and their item ledgers.

func scanFeed(row sqlstore.Row) (bot.Feed, error) { return sqlstore.ScanFeed(row, unixTimes{}) }

func scanFeedItem(row sqlstore.Row) (bot.FeedEntry, error) {
	return sqlstore.ScanFeedItem(row, unixTimes{})
}

// PutFeed adds the feed or updates the story and rule of the one at f.URL.
// The story check and the write share one write transaction, so a story
// deleted meanwhile cannot be left named by a feed.
func (s *Store) PutFeed(ctx context.Context, f bot.Feed) (bot.Feed, error) {
	if err := sqlstore.CheckFeed(f); err != nil {
		return bot.Feed{}, fmt.Errorf("sqlite: put feed: %w", err)
	}
	created := sqlstore.Second(f.CreatedAt)
	if f.CreatedAt.IsZero() {
		created = sqlstore.Second(s.now())
	}
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return bot.Feed{}, fmt.Errorf("sqlite: put feed: %w", err)
	}
	defer tx.Rollback()
	if f.Story != "" && f.Story != bot.DefaultStory {
		if err := exists(ctx, tx, "SELECT 1 FROM stories WHERE id = ?", f.Story); err != nil {
			return bot.Feed{}, fmt.Errorf("sqlite: put feed: %w", notFound(err, sqlstore.UnknownStory(f.Story)))
		}
	}
	out, err := scanFeed(tx.QueryRowContext(ctx, `
		INSERT INTO feeds (url, story_id, match_rule, etag, last_modified, next_poll, failures, last_error, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (url) DO UPDATE SET story_id = excluded.story_id, match_rule = excluded.match_rule
		RETURNING `+sqlstore.FeedCols,
		f.URL, f.Story, f.Match, f.ETag, f.LastModified, msOrZero(f.NextPoll), f.Failures, f.LastError, created.Unix()))
	if err != nil {
		return bot.Feed{}, fmt.Errorf("sqlite: put feed: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return bot.Feed{}, fmt.Errorf("sqlite: put feed: %w", err)
	}
	return out, nil
}

// Feed returns the feed or bot.ErrNotFound.
func (s *Store) Feed(ctx context.Context, id int64) (bot.Feed, error) {
	f, err := scanFeed(s.reader.QueryRowContext(ctx, "SELECT "+sqlstore.FeedCols+" FROM feeds WHERE id = ?", id))
	if err != nil {
		return bot.Feed{}, fmt.Errorf("sqlite: feed: %w", notFound(err, sqlstore.UnknownFeed(id)))
	}
	return f, nil
}

// Feeds lists the feeds by id.
func (s *Store) Feeds(ctx context.Context) ([]bot.Feed, error) {
	return queryAll(ctx, s.reader, "feeds", scanFeed, "SELECT "+sqlstore.FeedCols+" FROM feeds ORDER BY id")
}

// DeleteFeed deletes the feed; its ledger goes with it (ON DELETE CASCADE).
func (s *Store) DeleteFeed(ctx context.Context, id int64) (bool, error) {
	res, err := s.writer.ExecContext(ctx, "DELETE FROM feeds WHERE id = ?", id)
	if err != nil {
		return false, fmt.Errorf("sqlite: delete feed: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("sqlite: delete feed: %w", err)
	}
	return n > 0, nil
}

// UpdateFeedState records the polling state of f.ID.
func (s *Store) UpdateFeedState(ctx context.Context, f bot.Feed) error {
	res, err := s.writer.ExecContext(ctx, `
		UPDATE feeds SET etag = ?, last_modified = ?, next_poll = ?, failures = ?, last_error = ? WHERE id = ?`,
		f.ETag, f.LastModified, msOrZero(f.NextPoll), f.Failures, f.LastError, f.ID)
	if err != nil {
		return fmt.Errorf("sqlite: update feed state: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlite: update feed state: %w", err)
	} else if n == 0 {
		return fmt.Errorf("sqlite: update feed state: %w", sqlstore.UnknownFeed(f.ID))
	}
	return nil
}

// ClaimFeedPoll moves a due feed's next poll to next in one statement under
// the write lock: of concurrent callers exactly one finds it still due.
func (s *Store) ClaimFeedPoll(ctx context.Context, feedID int64, now, next time.Time) (bool, error) {
	if err := sqlstore.CheckFeedPoll(now, next); err != nil {
		return false, fmt.Errorf("sqlite: claim feed poll: %w", err)
	}
	res, err := s.writer.ExecContext(ctx, "UPDATE feeds SET next_poll = ? WHERE id = ? AND next_poll <= ?",
		sqlstore.Milli(next).UnixMilli(), feedID, sqlstore.Milli(now).UnixMilli())
	if err != nil {
		return false, fmt.Errorf("sqlite: claim feed poll: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("sqlite: claim feed poll: %w", err)
	}
	if n == 1 {
		return true, nil
	}
	if _, err := s.Feed(ctx, feedID); err != nil {
		return false, fmt.Errorf("sqlite: claim feed poll: %w", err)
	}
	return false, nil
}

// ClaimFeedItem inserts the claim or takes over an expired one in one
// statement, as ClaimSlot does.
func (s *Store) ClaimFeedItem(ctx context.Context, feedID int64, key, owner string, lease time.Duration) (bool, error) {
	if err := errors.Join(sqlstore.CheckClaim(owner, lease), sqlstore.CheckFeedItemKeys(key)); err != nil {
		return false, fmt.Errorf("sqlite: claim feed item: %w", err)
	}
	now := s.now()
	res, err := s.writer.ExecContext(ctx, `
		INSERT INTO feed_items (feed_id, key, state, owner, lease_until, attempts, updated_at)
		VALUES (?, ?, 'claimed', ?, ?, 1, ?)
		ON CONFLICT (feed_id, key) DO UPDATE SET
			owner = excluded.owner, lease_until = excluded.lease_until,
			attempts = feed_items.attempts + 1, updated_at = excluded.updated_at
		WHERE feed_items.state = 'claimed' AND feed_items.lease_until <= ?`,
		feedID, key, owner, now.Add(lease).UnixMilli(), now.Unix(), now.UnixMilli())
	if isForeignKey(err) {
		return false, fmt.Errorf("sqlite: claim feed item: %w", sqlstore.UnknownFeed(feedID))
	}
	if err != nil {
		return false, fmt.Errorf("sqlite: claim feed item: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("sqlite: claim feed item: %w", err)
	}
	return n == 1, nil
}

// FinishFeedItem records a claim's outcome if owner still holds it.
func (s *Store) FinishFeedItem(ctx context.Context, feedID int64, key, owner string, state bot.FeedItemState, articleID, errMsg string) error {
	if err := sqlstore.CheckFeedItemFinish(state); err != nil {
		return fmt.Errorf("sqlite: finish feed item: %w", err)
	}
	res, err := s.writer.ExecContext(ctx, `
		UPDATE feed_items SET state = ?, article_id = ?, error = ?, updated_at = ?
		WHERE feed_id = ? AND key = ? AND state = 'claimed' AND owner = ?`,
		string(state), articleID, errMsg, s.now().Unix(), feedID, key, owner)
	if err != nil {
		return fmt.Errorf("sqlite: finish feed item: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlite: finish feed item: %w", err)
	} else if n == 0 {
		return fmt.Errorf("sqlite: %w", sqlstore.LostFeedItem(feedID, key, owner))
	}
	return nil
}

// MarkFeedItems records the keys as skipped, in one transaction, leaving
// the items already in the ledger alone.
func (s *Store) MarkFeedItems(ctx context.Context, feedID int64, keys []string) error {
	if err := sqlstore.CheckFeedItemKeys(keys...); err != nil {
		return fmt.Errorf("sqlite: mark feed items: %w", err)
	}
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: mark feed items: %w", err)
	}
	defer tx.Rollback()
	if err := exists(ctx, tx, "SELECT 1 FROM feeds WHERE id = ?", feedID); err != nil {
		return fmt.Errorf("sqlite: mark feed items: %w", notFound(err, sqlstore.UnknownFeed(feedID)))
	}
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO feed_items (feed_id, key, state, updated_at) VALUES (?, ?, 'skipped', ?) ON CONFLICT DO NOTHING")
	if err != nil {
		return fmt.Errorf("sqlite: mark feed items: %w", err)
	}
	defer stmt.Close()
	now := s.now().Unix()
	for _, k := range keys {
		if _, err := stmt.ExecContext(ctx, feedID, k, now); err != nil {
			return fmt.Errorf("sqlite: mark feed items: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: mark feed items: %w", err)
	}
	return nil
}

// FeedItem returns the item's ledger row or bot.ErrNotFound.
func (s *Store) FeedItem(ctx context.Context, feedID int64, key string) (bot.FeedEntry, error) {
	it, err := scanFeedItem(s.reader.QueryRowContext(ctx, "SELECT "+sqlstore.FeedItemCols+" FROM feed_items WHERE feed_id = ? AND key = ?", feedID, key))
	if errors.Is(err, sql.ErrNoRows) {
		return bot.FeedEntry{}, fmt.Errorf("sqlite: feed item %d/%q: %w", feedID, key, bot.ErrNotFound)
	}
	if err != nil {
		return bot.FeedEntry{}, fmt.Errorf("sqlite: feed item: %w", err)
	}
	return it, nil
}
