package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/internal/sqlstore"
)

// Feeds and their item ledgers.

func scanFeed(row pgx.Row) (bot.Feed, error) { return sqlstore.ScanFeed(row, pgTimes{}) }

func scanFeedItem(row pgx.Row) (bot.FeedEntry, error) { return sqlstore.ScanFeedItem(row, pgTimes{}) }

// milliOrNil is t to the millisecond, NULL (unset) for the zero time.
func milliOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return sqlstore.Milli(t)
}

// PutFeed adds the feed or updates the story and rule of the one at f.URL.
// The story's row is share-locked until commit, so a concurrent
// DeleteStory either comes first (and the story is not found) or waits and
// then resets this feed too.
func (s *Store) PutFeed(ctx context.Context, f bot.Feed) (bot.Feed, error) {
	if err := sqlstore.CheckFeed(f); err != nil {
		return bot.Feed{}, s.wrap("put feed", err)
	}
	var out bot.Feed
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if f.Story != "" && f.Story != bot.DefaultStory {
			if err := exists(ctx, tx, "SELECT 1 FROM stories WHERE id = $1 FOR SHARE", f.Story); err != nil {
				return notFound(err, sqlstore.UnknownStory(f.Story))
			}
		}
		var err error
		out, err = scanFeed(tx.QueryRow(ctx, `
			INSERT INTO feeds (url, story_id, match_rule, etag, last_modified, next_poll, failures, last_error, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, COALESCE($9, `+nowSec+`))
			ON CONFLICT (url) DO UPDATE SET story_id = excluded.story_id, match_rule = excluded.match_rule
			RETURNING `+sqlstore.FeedCols,
			f.URL, f.Story, f.Match, f.ETag, f.LastModified, milliOrNil(f.NextPoll), f.Failures, f.LastError, zeroNil(f.CreatedAt)))
		return err
	})
	if err != nil {
		return bot.Feed{}, s.wrap("put feed", err)
	}
	return out, nil
}

// Feed returns the feed or bot.ErrNotFound.
func (s *Store) Feed(ctx context.Context, id int64) (bot.Feed, error) {
	f, err := scanFeed(s.pool.QueryRow(ctx, "SELECT "+sqlstore.FeedCols+" FROM feeds WHERE id = $1", id))
	if err != nil {
		return bot.Feed{}, s.wrap("feed", notFound(err, sqlstore.UnknownFeed(id)))
	}
	return f, nil
}

// Feeds lists the feeds by id.
func (s *Store) Feeds(ctx context.Context) ([]bot.Feed, error) {
	return queryAll(ctx, s, "feeds", scanFeed, "SELECT "+sqlstore.FeedCols+" FROM feeds ORDER BY id")
}

// DeleteFeed deletes the feed; its ledger goes with it (ON DELETE CASCADE).
func (s *Store) DeleteFeed(ctx context.Context, id int64) (bool, error) {
	tag, err := s.pool.Exec(ctx, "DELETE FROM feeds WHERE id = $1", id)
	if err != nil {
		return false, s.wrap("delete feed", err)
	}
	return tag.RowsAffected() > 0, nil
}

// UpdateFeedState records the polling state of f.ID.
func (s *Store) UpdateFeedState(ctx context.Context, f bot.Feed) error {
	tag, err := s.pool.Exec(ctx, `
		UPDATE feeds SET etag = $1, last_modified = $2, next_poll = $3, failures = $4, last_error = $5 WHERE id = $6`,
		f.ETag, f.LastModified, milliOrNil(f.NextPoll), f.Failures, f.LastError, f.ID)
	if err != nil {
		return s.wrap("update feed state", err)
	}
	if tag.RowsAffected() == 0 {
		return s.wrap("update feed state", sqlstore.UnknownFeed(f.ID))
	}
	return nil
}

// ClaimFeedPoll moves a due feed's next poll to next in one UPDATE:
// PostgreSQL locks the row and re-checks the WHERE on its latest version,
// so of concurrent callers exactly one finds it still due.
func (s *Store) ClaimFeedPoll(ctx context.Context, feedID int64, now, next time.Time) (bool, error) {
	if err := sqlstore.CheckFeedPoll(now, next); err != nil {
		return false, s.wrap("claim feed poll", err)
	}
	tag, err := s.pool.Exec(ctx, "UPDATE feeds SET next_poll = $1 WHERE id = $2 AND (next_poll IS NULL OR next_poll <= $3)",
		sqlstore.Milli(next), feedID, sqlstore.Milli(now))
	if err != nil {
		return false, s.wrap("claim feed poll", err)
	}
	if tag.RowsAffected() == 1 {
		return true, nil
	}
	if _, err := s.Feed(ctx, feedID); err != nil {
		return false, fmt.Errorf("postgres: claim feed poll: %w", err)
	}
	return false, nil
}

// ClaimFeedItem inserts the claim or takes over an expired one in a single
// statement, as ClaimSlot does.
func (s *Store) ClaimFeedItem(ctx context.Context, feedID int64, key, owner string, lease time.Duration) (bool, error) {
	if err := errors.Join(sqlstore.CheckClaim(owner, lease), sqlstore.CheckFeedItemKeys(key)); err != nil {
		return false, s.wrap("claim feed item", err)
	}
	tag, err := s.pool.Exec(ctx, `
		INSERT INTO feed_items (feed_id, key, state, owner, lease_until, attempts, updated_at)
		VALUES ($1, $2, 'claimed', $3, date_trunc('milliseconds', now() + $4 * interval '1 millisecond'), 1, `+nowSec+`)
		ON CONFLICT (feed_id, key) DO UPDATE SET
			owner = excluded.owner, lease_until = excluded.lease_until,
			attempts = feed_items.attempts + 1, updated_at = excluded.updated_at
		WHERE feed_items.state = 'claimed' AND feed_items.lease_until <= now()`,
		feedID, key, owner, lease.Milliseconds())
	if isForeignKey(err) {
		return false, s.wrap("claim feed item", sqlstore.UnknownFeed(feedID))
	}
	if err != nil {
		return false, s.wrap("claim feed item", err)
	}
	return tag.RowsAffected() == 1, nil
}

// FinishFeedItem records a claim's outcome if owner still holds it.
func (s *Store) FinishFeedItem(ctx context.Context, feedID int64, key, owner string, state bot.FeedItemState, articleID, errMsg string) error {
	if err := sqlstore.CheckFeedItemFinish(state); err != nil {
		return s.wrap("finish feed item", err)
	}
	tag, err := s.pool.Exec(ctx, `
		UPDATE feed_items SET state = $1, article_id = $2, error = $3, updated_at = `+nowSec+`
		WHERE feed_id = $4 AND key = $5 AND state = 'claimed' AND owner = $6`,
		string(state), articleID, errMsg, feedID, key, owner)
	if err != nil {
		return s.wrap("finish feed item", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: %w", sqlstore.LostFeedItem(feedID, key, owner))
	}
	return nil
}

// MarkFeedItems records the keys as skipped in one statement, leaving the
// items already in the ledger alone.
func (s *Store) MarkFeedItems(ctx context.Context, feedID int64, keys []string) error {
	if err := sqlstore.CheckFeedItemKeys(keys...); err != nil {
		return s.wrap("mark feed items", err)
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := exists(ctx, tx, "SELECT 1 FROM feeds WHERE id = $1", feedID); err != nil {
			return notFound(err, sqlstore.UnknownFeed(feedID))
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO feed_items (feed_id, key, state, updated_at)
			SELECT $1, k, 'skipped', `+nowSec+` FROM unnest($2::text[]) AS k
			ON CONFLICT DO NOTHING`, feedID, keys)
		if isForeignKey(err) {
			return sqlstore.UnknownFeed(feedID)
		}
		return err
	})
	if err != nil {
		return s.wrap("mark feed items", err)
	}
	return nil
}

// FeedItem returns the item's ledger row or bot.ErrNotFound.
func (s *Store) FeedItem(ctx context.Context, feedID int64, key string) (bot.FeedEntry, error) {
	it, err := scanFeedItem(s.pool.QueryRow(ctx, "SELECT "+sqlstore.FeedItemCols+" FROM feed_items WHERE feed_id = $1 AND key = $2", feedID, key))
	if isNoRows(err) {
		return bot.FeedEntry{}, s.wrap(fmt.Sprintf("feed item %d/%q", feedID, key), bot.ErrNotFound)
	}
	if err != nil {
		return bot.FeedEntry{}, s.wrap("feed item", err)
	}
	return it, nil
}
