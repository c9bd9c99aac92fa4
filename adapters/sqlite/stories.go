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

// The stored corpus: articles, stories, memberships, copies, the revision.

// querier is what readArticles needs of a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// each calls fn for every row and closes rows.
func each(rows *sql.Rows, fn func(sqlstore.Row) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// corpusWrite runs fn in one write transaction and records its change on
// the revision row in the same transaction. BEGIN IMMEDIATE holds the
// write lock throughout, so corpus writes take turns, even across
// processes, and seqs are handed out in commit order.
func (s *Store) corpusWrite(ctx context.Context, fn func(tx *sql.Tx) (sqlstore.Change, error)) error {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	change, err := fn(tx)
	if err != nil {
		return err
	}
	if q := change.Bump(); q != "" {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// read runs fn in a read transaction: one snapshot for its queries.
func (s *Store) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.reader.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// readArticles reads the articles a matching where, with their stories and
// copies, in seq order; q should be a transaction so that the three
// queries see one snapshot.
func readArticles(ctx context.Context, q querier, where string, args ...any) ([]bot.StoredArticle, error) {
	var set sqlstore.ArticleSet
	rows, err := q.QueryContext(ctx, "SELECT "+sqlstore.ArticleCols+" FROM articles a WHERE "+where+" ORDER BY a.seq", args...)
	if err != nil {
		return nil, err
	}
	if err := each(rows, func(r sqlstore.Row) error { return set.ScanArticle(r, unixTimes{}) }); err != nil {
		return nil, err
	}
	if set.Len() == 0 {
		return nil, nil
	}
	rows, err = q.QueryContext(ctx, "SELECT "+sqlstore.MembershipCols+" FROM story_articles m JOIN articles a ON a.id = m.article_id WHERE "+where+" ORDER BY m.story_id", args...)
	if err != nil {
		return nil, err
	}
	if err := each(rows, set.ScanMembership); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, "SELECT "+sqlstore.CopyCols+" FROM copies c JOIN articles a ON a.id = c.article_id WHERE "+where+" ORDER BY c.seq", args...)
	if err != nil {
		return nil, err
	}
	if err := each(rows, func(r sqlstore.Row) error { return set.ScanCopy(r, unixTimes{}) }); err != nil {
		return nil, err
	}
	return set.Articles(), nil
}

// duplicateOf finds the stored article a new one would duplicate, in the
// order AddArticle documents: id, URL, copy URL, text.
const duplicateOf = `
	SELECT id FROM (
		SELECT id, 0 AS rank, seq FROM articles WHERE id = ?
		UNION ALL SELECT id, 1, seq FROM articles WHERE url = ? AND url <> ''
		UNION ALL SELECT article_id, 2, seq FROM copies WHERE url = ?
		UNION ALL SELECT id, 3, seq FROM articles WHERE text_hash = ?)
	ORDER BY rank, seq LIMIT 1`

// AddArticle stores a with its memberships and copies, or returns the
// stored article it duplicates.
func (s *Store) AddArticle(ctx context.Context, in bot.StoredArticle) (bot.StoredArticle, bool, error) {
	a, err := sqlstore.CheckArticle(in)
	if err != nil {
		return bot.StoredArticle{}, false, fmt.Errorf("sqlite: add article: %w", err)
	}
	var out bot.StoredArticle
	var added bool
	err = s.corpusWrite(ctx, func(tx *sql.Tx) (sqlstore.Change, error) {
		var dup string
		err := tx.QueryRowContext(ctx, duplicateOf, a.ID, a.URL, a.URL, sqlstore.TextHash(a.Text)).Scan(&dup)
		if err == nil {
			as, err := readArticles(ctx, tx, "a.id = ?", dup)
			if err != nil || len(as) == 0 {
				return sqlstore.Unchanged, fmt.Errorf("read duplicate %s: %v", dup, err)
			}
			out = as[0]
			return sqlstore.Unchanged, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return sqlstore.Unchanged, err
		}
		for _, st := range a.Stories {
			if err := exists(ctx, tx, "SELECT 1 FROM stories WHERE id = ?", st); err != nil {
				return sqlstore.Unchanged, notFound(err, sqlstore.UnknownStory(st))
			}
		}
		now := sqlstore.Second(s.now())
		if err := tx.QueryRowContext(ctx, `
			INSERT INTO articles (seq, id, text_hash, title, source, url, published, author, body, origin, added_at)
			VALUES ((SELECT n + 1 FROM corpus_revision WHERE id = 1), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
			a.ID, sqlstore.TextHash(a.Text), a.Title, a.Source, a.URL, a.Published, a.Author, a.Text, a.Origin, now.Unix()).Scan(&a.Seq); err != nil {
			return sqlstore.Unchanged, err
		}
		for _, st := range a.Stories {
			if _, err := tx.ExecContext(ctx, "INSERT INTO story_articles (article_id, story_id) VALUES (?, ?)", a.ID, st); err != nil {
				return sqlstore.Unchanged, err
			}
		}
		for i, c := range a.Copies {
			if _, err := tx.ExecContext(ctx, "INSERT INTO copies (article_id, url, publication, added_at) VALUES (?, ?, ?, ?)",
				a.ID, c.URL, c.Publication, now.Unix()); err != nil {
				return sqlstore.Unchanged, err
			}
			a.Copies[i].AddedAt = now
		}
		a.AddedAt = now
		out, added = a, true
		return sqlstore.Added, nil
	})
	if err != nil {
		return bot.StoredArticle{}, false, fmt.Errorf("sqlite: add article %s: %w", in.ID, err)
	}
	return out, added, nil
}

// exists returns sql.ErrNoRows when the query finds no row.
func exists(ctx context.Context, tx *sql.Tx, query string, args ...any) error {
	var one int
	return tx.QueryRowContext(ctx, query, args...).Scan(&one)
}

// notFound turns sql.ErrNoRows into the record's not-found error.
func notFound(err, missing error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return missing
	}
	return err
}

// RemoveArticle removes the article; its memberships and copies go with it
// (ON DELETE CASCADE).
func (s *Store) RemoveArticle(ctx context.Context, id string) (bool, error) {
	var removed bool
	err := s.corpusWrite(ctx, func(tx *sql.Tx) (sqlstore.Change, error) {
		res, err := tx.ExecContext(ctx, "DELETE FROM articles WHERE id = ?", id)
		if err != nil {
			return sqlstore.Unchanged, err
		}
		n, err := res.RowsAffected()
		if err != nil || n == 0 {
			return sqlstore.Unchanged, err
		}
		removed = true
		return sqlstore.Rewrote, nil
	})
	if err != nil {
		return false, fmt.Errorf("sqlite: remove article %s: %w", id, err)
	}
	return removed, nil
}

// AddCopy records a copy of the article unless it already has one at c.URL.
func (s *Store) AddCopy(ctx context.Context, articleID string, c bot.Copy) (bool, error) {
	if err := sqlstore.CheckCopy(c); err != nil {
		return false, fmt.Errorf("sqlite: add copy: %w", err)
	}
	var added bool
	err := s.corpusWrite(ctx, func(tx *sql.Tx) (sqlstore.Change, error) {
		var own string
		if err := tx.QueryRowContext(ctx, "SELECT url FROM articles WHERE id = ?", articleID).Scan(&own); err != nil {
			return sqlstore.Unchanged, notFound(err, sqlstore.UnknownArticle(articleID))
		}
		if own == c.URL {
			return sqlstore.Unchanged, nil
		}
		res, err := tx.ExecContext(ctx, "INSERT INTO copies (article_id, url, publication, added_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
			articleID, c.URL, c.Publication, s.now().Unix())
		if err != nil {
			return sqlstore.Unchanged, err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return sqlstore.Unchanged, err
		}
		added = true
		return sqlstore.Rewrote, nil
	})
	if err != nil {
		return false, fmt.Errorf("sqlite: add copy of %s: %w", articleID, err)
	}
	return added, nil
}

// Article returns the article with that id or bot.ErrNotFound.
func (s *Store) Article(ctx context.Context, id string) (bot.StoredArticle, error) {
	var as []bot.StoredArticle
	err := s.read(ctx, func(tx *sql.Tx) (err error) {
		as, err = readArticles(ctx, tx, "a.id = ?", id)
		return err
	})
	if err != nil {
		return bot.StoredArticle{}, fmt.Errorf("sqlite: article: %w", err)
	}
	if len(as) == 0 {
		return bot.StoredArticle{}, fmt.Errorf("sqlite: article: %w", sqlstore.UnknownArticle(id))
	}
	return as[0], nil
}

// ArticleByURL returns the article at url, else the one with a copy there.
func (s *Store) ArticleByURL(ctx context.Context, url string) (bot.StoredArticle, error) {
	var as []bot.StoredArticle
	err := s.read(ctx, func(tx *sql.Tx) error {
		var id string
		err := tx.QueryRowContext(ctx, `
			SELECT id FROM (
				SELECT id, 0 AS rank, seq FROM articles WHERE url = ? AND url <> ''
				UNION ALL SELECT article_id, 1, seq FROM copies WHERE url = ?)
			ORDER BY rank, seq LIMIT 1`, url, url).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		as, err = readArticles(ctx, tx, "a.id = ?", id)
		return err
	})
	if err != nil {
		return bot.StoredArticle{}, fmt.Errorf("sqlite: article by url: %w", err)
	}
	if len(as) == 0 {
		return bot.StoredArticle{}, fmt.Errorf("sqlite: article by url %q: %w", url, bot.ErrNotFound)
	}
	return as[0], nil
}

// Articles lists every stored article in seq order, from one snapshot.
func (s *Store) Articles(ctx context.Context) ([]bot.StoredArticle, error) {
	return s.ArticlesAfter(ctx, 0)
}

// ArticlesAfter lists the articles whose seq is above seq, in seq order.
func (s *Store) ArticlesAfter(ctx context.Context, seq int64) ([]bot.StoredArticle, error) {
	var as []bot.StoredArticle
	err := s.read(ctx, func(tx *sql.Tx) (err error) {
		as, err = readArticles(ctx, tx, "a.seq > ?", seq)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: articles: %w", err)
	}
	return as, nil
}

// LinkArticle adds the article to the story; linking again does nothing.
func (s *Store) LinkArticle(ctx context.Context, articleID, storyID string) error {
	if err := sqlstore.CheckLink(articleID, storyID); err != nil {
		return fmt.Errorf("sqlite: link article: %w", err)
	}
	err := s.corpusWrite(ctx, func(tx *sql.Tx) (sqlstore.Change, error) {
		if err := exists(ctx, tx, "SELECT 1 FROM articles WHERE id = ?", articleID); err != nil {
			return sqlstore.Unchanged, notFound(err, sqlstore.UnknownArticle(articleID))
		}
		if err := exists(ctx, tx, "SELECT 1 FROM stories WHERE id = ?", storyID); err != nil {
			return sqlstore.Unchanged, notFound(err, sqlstore.UnknownStory(storyID))
		}
		res, err := tx.ExecContext(ctx, "INSERT INTO story_articles (article_id, story_id) VALUES (?, ?) ON CONFLICT DO NOTHING", articleID, storyID)
		if err != nil {
			return sqlstore.Unchanged, err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return sqlstore.Unchanged, err
		}
		return sqlstore.Rewrote, nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: link article %s to %s: %w", articleID, storyID, err)
	}
	return nil
}

func scanStory(row sqlstore.Row) (bot.Story, error) { return sqlstore.ScanStory(row, unixTimes{}) }

// PutStory creates the story or updates its title and rule.
func (s *Store) PutStory(ctx context.Context, st bot.Story) (bot.Story, error) {
	if err := sqlstore.CheckStory(st); err != nil {
		return bot.Story{}, fmt.Errorf("sqlite: put story: %w", err)
	}
	var out bot.Story
	err := s.corpusWrite(ctx, func(tx *sql.Tx) (sqlstore.Change, error) {
		old, err := scanStory(tx.QueryRowContext(ctx, "SELECT "+sqlstore.StoryCols+" FROM stories WHERE id = ?", st.ID))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			out = st
			out.CreatedAt = sqlstore.Second(st.CreatedAt)
			if st.CreatedAt.IsZero() {
				out.CreatedAt = sqlstore.Second(s.now())
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO stories (id, title, match_rule, created_at) VALUES (?, ?, ?, ?)",
				out.ID, out.Title, out.Match, out.CreatedAt.Unix())
			return sqlstore.Rewrote, err
		case err != nil:
			return sqlstore.Unchanged, err
		case old.Title == st.Title && old.Match == st.Match:
			out = old
			return sqlstore.Unchanged, nil
		}
		out = old
		out.Title, out.Match = st.Title, st.Match
		_, err = tx.ExecContext(ctx, "UPDATE stories SET title = ?, match_rule = ? WHERE id = ?", st.Title, st.Match, st.ID)
		return sqlstore.Rewrote, err
	})
	if err != nil {
		return bot.Story{}, fmt.Errorf("sqlite: put story %s: %w", st.ID, err)
	}
	return out, nil
}

// Story returns the stored story or bot.ErrNotFound.
func (s *Store) Story(ctx context.Context, id string) (bot.Story, error) {
	st, err := scanStory(s.reader.QueryRowContext(ctx, "SELECT "+sqlstore.StoryCols+" FROM stories WHERE id = ?", id))
	if err != nil {
		return bot.Story{}, fmt.Errorf("sqlite: story: %w", notFound(err, sqlstore.UnknownStory(id)))
	}
	return st, nil
}

// Stories lists the stored stories by id.
func (s *Store) Stories(ctx context.Context) ([]bot.Story, error) {
	return queryAll(ctx, s.reader, "stories", scanStory, "SELECT "+sqlstore.StoryCols+" FROM stories ORDER BY id")
}

// DeleteStory deletes the story; memberships and channel follows go with
// it (ON DELETE CASCADE), its feeds keep polling with no story.
func (s *Store) DeleteStory(ctx context.Context, id string) (bool, error) {
	var deleted bool
	err := s.corpusWrite(ctx, func(tx *sql.Tx) (sqlstore.Change, error) {
		res, err := tx.ExecContext(ctx, "DELETE FROM stories WHERE id = ?", id)
		if err != nil {
			return sqlstore.Unchanged, err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return sqlstore.Unchanged, err
		}
		deleted = true
		// Feeds pinned to the default story stay pinned: deleting its row
		// only drops its title.
		if id != bot.DefaultStory {
			if _, err := tx.ExecContext(ctx, "UPDATE feeds SET story_id = '' WHERE story_id = ?", id); err != nil {
				return sqlstore.Unchanged, err
			}
		}
		return sqlstore.Rewrote, nil
	})
	if err != nil {
		return false, fmt.Errorf("sqlite: delete story %s: %w", id, err)
	}
	return deleted, nil
}

// Revision reads the corpus revision row.
func (s *Store) Revision(ctx context.Context) (bot.Revision, error) {
	var r bot.Revision
	if err := s.reader.QueryRowContext(ctx, "SELECT n, rewritten FROM corpus_revision WHERE id = 1").Scan(&r.N, &r.Rewritten); err != nil {
		return bot.Revision{}, fmt.Errorf("sqlite: revision: %w", err)
	}
	return r, nil
}

// PutChannelStory makes the channel follow the story; following the
// default story removes the follow.
func (s *Store) PutChannelStory(ctx context.Context, sc bot.Scope, story string) error {
	if err := sqlstore.CheckScope(sc); err != nil {
		return fmt.Errorf("sqlite: put channel story: %w", err)
	}
	if err := bot.CheckStoryID(story); err != nil {
		return fmt.Errorf("sqlite: put channel story: %w", err)
	}
	var err error
	if story == bot.DefaultStory {
		_, err = s.writer.ExecContext(ctx, "DELETE FROM channel_stories WHERE platform = ? AND team = ? AND channel = ?",
			sc.Platform, sc.Team, sc.Channel)
	} else {
		_, err = s.writer.ExecContext(ctx, `
			INSERT INTO channel_stories (platform, team, channel, story_id, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (platform, team, channel) DO UPDATE SET story_id = excluded.story_id, updated_at = excluded.updated_at`,
			sc.Platform, sc.Team, sc.Channel, story, s.now().Unix())
	}
	if isForeignKey(err) {
		return fmt.Errorf("sqlite: put channel story: %w", sqlstore.UnknownStory(story))
	}
	if err != nil {
		return fmt.Errorf("sqlite: put channel story: %w", err)
	}
	return nil
}

// ChannelStory returns the story the channel follows or bot.ErrNotFound.
func (s *Store) ChannelStory(ctx context.Context, sc bot.Scope) (string, error) {
	var story string
	// Read on every request of the channel: prepared once.
	q, err := s.stmt(ctx, s.reader, "SELECT story_id FROM channel_stories WHERE platform = ? AND team = ? AND channel = ?")
	if err != nil {
		return "", fmt.Errorf("sqlite: channel story: %w", err)
	}
	err = q.QueryRowContext(ctx, sc.Platform, sc.Team, sc.Channel).Scan(&story)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("sqlite: channel story: %w", bot.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("sqlite: channel story: %w", err)
	}
	return story, nil
}

// msOrZero is t in Unix milliseconds, 0 (unset) for the zero time.
func msOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}
