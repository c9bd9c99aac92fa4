package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/internal/sqlstore"
)

// The stored corpus: articles, stories, memberships, copies, the revision.

// each calls fn for every row and closes rows.
func each(rows pgx.Rows, fn func(sqlstore.Row) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// corpusWrite runs fn in one transaction that first locks the revision
// row and finally records fn's change on it. Every corpus write takes that
// lock first, so they take turns across replicas: a new article's seq,
// read from that row, follows commit order (ArticlesAfter relies on it),
// the existence checks fn makes still hold at commit, and no two corpus
// writes can deadlock.
func (s *Store) corpusWrite(ctx context.Context, fn func(tx pgx.Tx) (sqlstore.Change, error)) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT n FROM corpus_revision WHERE id = 1 FOR UPDATE"); err != nil {
			return err
		}
		change, err := fn(tx)
		if err != nil {
			return err
		}
		if q := change.Bump(); q != "" {
			_, err = tx.Exec(ctx, q)
		}
		return err
	})
}

// read runs fn in a read-only REPEATABLE READ transaction: one snapshot
// for its queries.
func (s *Store) read(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
}

// readArticles reads the articles a matching where, with their stories and
// copies, in seq order; tx gives the three queries one snapshot.
func readArticles(ctx context.Context, tx pgx.Tx, where string, args ...any) ([]bot.StoredArticle, error) {
	var set sqlstore.ArticleSet
	rows, err := tx.Query(ctx, "SELECT "+sqlstore.ArticleCols+" FROM articles a WHERE "+where+" ORDER BY a.seq", args...)
	if err != nil {
		return nil, err
	}
	if err := each(rows, func(r sqlstore.Row) error { return set.ScanArticle(r, pgTimes{}) }); err != nil {
		return nil, err
	}
	if set.Len() == 0 {
		return nil, nil
	}
	rows, err = tx.Query(ctx, "SELECT "+sqlstore.MembershipCols+" FROM story_articles m JOIN articles a ON a.id = m.article_id WHERE "+where+" ORDER BY m.story_id", args...)
	if err != nil {
		return nil, err
	}
	if err := each(rows, set.ScanMembership); err != nil {
		return nil, err
	}
	rows, err = tx.Query(ctx, "SELECT "+sqlstore.CopyCols+" FROM copies c JOIN articles a ON a.id = c.article_id WHERE "+where+" ORDER BY c.seq", args...)
	if err != nil {
		return nil, err
	}
	if err := each(rows, func(r sqlstore.Row) error { return set.ScanCopy(r, pgTimes{}) }); err != nil {
		return nil, err
	}
	return set.Articles(), nil
}

// duplicateOf finds the stored article a new one would duplicate, in the
// order AddArticle documents: id, URL, copy URL, text.
const duplicateOf = `
	SELECT id FROM (
		SELECT id, 0 AS rank, seq FROM articles WHERE id = $1
		UNION ALL SELECT id, 1, seq FROM articles WHERE url = $2 AND url <> ''
		UNION ALL SELECT article_id, 2, seq FROM copies WHERE url = $2
		UNION ALL SELECT id, 3, seq FROM articles WHERE text_hash = $3) d
	ORDER BY rank, seq LIMIT 1`

// exists returns pgx.ErrNoRows when the query finds no row.
func exists(ctx context.Context, tx pgx.Tx, query string, args ...any) error {
	var one int
	return tx.QueryRow(ctx, query, args...).Scan(&one)
}

// notFound turns pgx.ErrNoRows into the record's not-found error.
func notFound(err, missing error) error {
	if isNoRows(err) {
		return missing
	}
	return err
}

// AddArticle stores a with its memberships and copies, or returns the
// stored article it duplicates.
func (s *Store) AddArticle(ctx context.Context, in bot.StoredArticle) (bot.StoredArticle, bool, error) {
	a, err := sqlstore.CheckArticle(in)
	if err != nil {
		return bot.StoredArticle{}, false, s.wrap("add article", err)
	}
	var out bot.StoredArticle
	var added bool
	err = s.corpusWrite(ctx, func(tx pgx.Tx) (sqlstore.Change, error) {
		var dup string
		err := tx.QueryRow(ctx, duplicateOf, a.ID, a.URL, sqlstore.TextHash(a.Text)).Scan(&dup)
		if err == nil {
			as, err := readArticles(ctx, tx, "a.id = $1", dup)
			if err != nil || len(as) == 0 {
				return sqlstore.Unchanged, fmt.Errorf("read duplicate %s: %v", dup, err)
			}
			out = as[0]
			return sqlstore.Unchanged, nil
		}
		if !isNoRows(err) {
			return sqlstore.Unchanged, err
		}
		for _, st := range a.Stories {
			if err := exists(ctx, tx, "SELECT 1 FROM stories WHERE id = $1", st); err != nil {
				return sqlstore.Unchanged, notFound(err, sqlstore.UnknownStory(st))
			}
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO articles (seq, id, text_hash, title, source, url, published, author, body, origin, added_at)
			VALUES ((SELECT n + 1 FROM corpus_revision WHERE id = 1), $1, $2, $3, $4, $5, $6, $7, $8, $9, `+nowSec+`)
			RETURNING seq, added_at`,
			a.ID, sqlstore.TextHash(a.Text), a.Title, a.Source, a.URL, a.Published, a.Author, a.Text, a.Origin).Scan(&a.Seq, pgTimes{}.Stamp(&a.AddedAt)); err != nil {
			return sqlstore.Unchanged, err
		}
		for _, st := range a.Stories {
			if _, err := tx.Exec(ctx, "INSERT INTO story_articles (article_id, story_id) VALUES ($1, $2)", a.ID, st); err != nil {
				return sqlstore.Unchanged, err
			}
		}
		for i, c := range a.Copies {
			// now() is the transaction's start: the article's time too.
			if _, err := tx.Exec(ctx, "INSERT INTO copies (article_id, url, publication, added_at) VALUES ($1, $2, $3, "+nowSec+")",
				a.ID, c.URL, c.Publication); err != nil {
				return sqlstore.Unchanged, err
			}
			a.Copies[i].AddedAt = a.AddedAt
		}
		out, added = a, true
		return sqlstore.Added, nil
	})
	if err != nil {
		return bot.StoredArticle{}, false, s.wrap("add article "+in.ID, err)
	}
	return out, added, nil
}

// RemoveArticle removes the article; its memberships and copies go with it
// (ON DELETE CASCADE).
func (s *Store) RemoveArticle(ctx context.Context, id string) (bool, error) {
	var removed bool
	err := s.corpusWrite(ctx, func(tx pgx.Tx) (sqlstore.Change, error) {
		tag, err := tx.Exec(ctx, "DELETE FROM articles WHERE id = $1", id)
		if err != nil || tag.RowsAffected() == 0 {
			return sqlstore.Unchanged, err
		}
		removed = true
		return sqlstore.Rewrote, nil
	})
	if err != nil {
		return false, s.wrap("remove article "+id, err)
	}
	return removed, nil
}

// AddCopy records a copy of the article unless it already has one at c.URL.
func (s *Store) AddCopy(ctx context.Context, articleID string, c bot.Copy) (bool, error) {
	if err := sqlstore.CheckCopy(c); err != nil {
		return false, s.wrap("add copy", err)
	}
	var added bool
	err := s.corpusWrite(ctx, func(tx pgx.Tx) (sqlstore.Change, error) {
		var own string
		if err := tx.QueryRow(ctx, "SELECT url FROM articles WHERE id = $1", articleID).Scan(&own); err != nil {
			return sqlstore.Unchanged, notFound(err, sqlstore.UnknownArticle(articleID))
		}
		if own == c.URL {
			return sqlstore.Unchanged, nil
		}
		tag, err := tx.Exec(ctx, "INSERT INTO copies (article_id, url, publication, added_at) VALUES ($1, $2, $3, "+nowSec+") ON CONFLICT DO NOTHING",
			articleID, c.URL, c.Publication)
		if err != nil || tag.RowsAffected() == 0 {
			return sqlstore.Unchanged, err
		}
		added = true
		return sqlstore.Rewrote, nil
	})
	if err != nil {
		return false, s.wrap("add copy of "+articleID, err)
	}
	return added, nil
}

// Article returns the article with that id or bot.ErrNotFound.
func (s *Store) Article(ctx context.Context, id string) (bot.StoredArticle, error) {
	var as []bot.StoredArticle
	err := s.read(ctx, func(tx pgx.Tx) (err error) {
		as, err = readArticles(ctx, tx, "a.id = $1", id)
		return err
	})
	if err != nil {
		return bot.StoredArticle{}, s.wrap("article", err)
	}
	if len(as) == 0 {
		return bot.StoredArticle{}, s.wrap("article", sqlstore.UnknownArticle(id))
	}
	return as[0], nil
}

// ArticleByURL returns the article at url, else the one with a copy there.
func (s *Store) ArticleByURL(ctx context.Context, url string) (bot.StoredArticle, error) {
	var as []bot.StoredArticle
	err := s.read(ctx, func(tx pgx.Tx) error {
		var id string
		err := tx.QueryRow(ctx, `
			SELECT id FROM (
				SELECT id, 0 AS rank, seq FROM articles WHERE url = $1 AND url <> ''
				UNION ALL SELECT article_id, 1, seq FROM copies WHERE url = $1) d
			ORDER BY rank, seq LIMIT 1`, url).Scan(&id)
		if isNoRows(err) {
			return nil
		}
		if err != nil {
			return err
		}
		as, err = readArticles(ctx, tx, "a.id = $1", id)
		return err
	})
	if err != nil {
		return bot.StoredArticle{}, s.wrap("article by url", err)
	}
	if len(as) == 0 {
		return bot.StoredArticle{}, s.wrap(fmt.Sprintf("article by url %q", url), bot.ErrNotFound)
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
	err := s.read(ctx, func(tx pgx.Tx) (err error) {
		as, err = readArticles(ctx, tx, "a.seq > $1", seq)
		return err
	})
	if err != nil {
		return nil, s.wrap("articles", err)
	}
	return as, nil
}

// LinkArticle adds the article to the story; linking again does nothing.
func (s *Store) LinkArticle(ctx context.Context, articleID, storyID string) error {
	if err := sqlstore.CheckLink(articleID, storyID); err != nil {
		return s.wrap("link article", err)
	}
	err := s.corpusWrite(ctx, func(tx pgx.Tx) (sqlstore.Change, error) {
		if err := exists(ctx, tx, "SELECT 1 FROM articles WHERE id = $1", articleID); err != nil {
			return sqlstore.Unchanged, notFound(err, sqlstore.UnknownArticle(articleID))
		}
		if err := exists(ctx, tx, "SELECT 1 FROM stories WHERE id = $1", storyID); err != nil {
			return sqlstore.Unchanged, notFound(err, sqlstore.UnknownStory(storyID))
		}
		tag, err := tx.Exec(ctx, "INSERT INTO story_articles (article_id, story_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", articleID, storyID)
		if err != nil || tag.RowsAffected() == 0 {
			return sqlstore.Unchanged, err
		}
		return sqlstore.Rewrote, nil
	})
	if err != nil {
		return s.wrap("link article "+articleID+" to "+storyID, err)
	}
	return nil
}

func scanStory(row pgx.Row) (bot.Story, error) { return sqlstore.ScanStory(row, pgTimes{}) }

// PutStory creates the story or updates its title and rule.
func (s *Store) PutStory(ctx context.Context, st bot.Story) (bot.Story, error) {
	if err := sqlstore.CheckStory(st); err != nil {
		return bot.Story{}, s.wrap("put story", err)
	}
	var out bot.Story
	err := s.corpusWrite(ctx, func(tx pgx.Tx) (sqlstore.Change, error) {
		old, err := scanStory(tx.QueryRow(ctx, "SELECT "+sqlstore.StoryCols+" FROM stories WHERE id = $1", st.ID))
		switch {
		case isNoRows(err):
			out, err = scanStory(tx.QueryRow(ctx, "INSERT INTO stories (id, title, match_rule, created_at) VALUES ($1, $2, $3, COALESCE($4, "+nowSec+")) RETURNING "+sqlstore.StoryCols,
				st.ID, st.Title, st.Match, zeroNil(st.CreatedAt)))
			return sqlstore.Rewrote, err
		case err != nil:
			return sqlstore.Unchanged, err
		case old.Title == st.Title && old.Match == st.Match:
			out = old
			return sqlstore.Unchanged, nil
		}
		out = old
		out.Title, out.Match = st.Title, st.Match
		_, err = tx.Exec(ctx, "UPDATE stories SET title = $1, match_rule = $2 WHERE id = $3", st.Title, st.Match, st.ID)
		return sqlstore.Rewrote, err
	})
	if err != nil {
		return bot.Story{}, s.wrap("put story "+st.ID, err)
	}
	return out, nil
}

// Story returns the stored story or bot.ErrNotFound.
func (s *Store) Story(ctx context.Context, id string) (bot.Story, error) {
	st, err := scanStory(s.pool.QueryRow(ctx, "SELECT "+sqlstore.StoryCols+" FROM stories WHERE id = $1", id))
	if err != nil {
		return bot.Story{}, s.wrap("story", notFound(err, sqlstore.UnknownStory(id)))
	}
	return st, nil
}

// Stories lists the stored stories by id.
func (s *Store) Stories(ctx context.Context) ([]bot.Story, error) {
	return queryAll(ctx, s, "stories", scanStory, "SELECT "+sqlstore.StoryCols+" FROM stories ORDER BY id")
}

// DeleteStory deletes the story; memberships and channel follows go with
// it (ON DELETE CASCADE), its feeds keep polling with no story. A PutFeed
// naming the story holds a share lock on its row, so the feed update
// below sees every feed committed with this story.
func (s *Store) DeleteStory(ctx context.Context, id string) (bool, error) {
	var deleted bool
	err := s.corpusWrite(ctx, func(tx pgx.Tx) (sqlstore.Change, error) {
		tag, err := tx.Exec(ctx, "DELETE FROM stories WHERE id = $1", id)
		if err != nil || tag.RowsAffected() == 0 {
			return sqlstore.Unchanged, err
		}
		deleted = true
		// Feeds pinned to the default story stay pinned: deleting its row
		// only drops its title.
		if id != bot.DefaultStory {
			if _, err := tx.Exec(ctx, "UPDATE feeds SET story_id = '' WHERE story_id = $1", id); err != nil {
				return sqlstore.Unchanged, err
			}
		}
		return sqlstore.Rewrote, nil
	})
	if err != nil {
		return false, s.wrap("delete story "+id, err)
	}
	return deleted, nil
}

// Revision reads the corpus revision row.
func (s *Store) Revision(ctx context.Context) (bot.Revision, error) {
	var r bot.Revision
	if err := s.pool.QueryRow(ctx, "SELECT n, rewritten FROM corpus_revision WHERE id = 1").Scan(&r.N, &r.Rewritten); err != nil {
		return bot.Revision{}, s.wrap("revision", err)
	}
	return r, nil
}

// PutChannelStory makes the channel follow the story; following the
// default story removes the follow. The foreign key refuses an unknown
// story, also one deleted concurrently.
func (s *Store) PutChannelStory(ctx context.Context, sc bot.Scope, story string) error {
	if err := sqlstore.CheckScope(sc); err != nil {
		return s.wrap("put channel story", err)
	}
	if err := bot.CheckStoryID(story); err != nil {
		return s.wrap("put channel story", err)
	}
	var err error
	if story == bot.DefaultStory {
		_, err = s.pool.Exec(ctx, "DELETE FROM channel_stories WHERE platform = $1 AND team = $2 AND channel = $3",
			sc.Platform, sc.Team, sc.Channel)
	} else {
		_, err = s.pool.Exec(ctx, `
			INSERT INTO channel_stories (platform, team, channel, story_id, updated_at) VALUES ($1, $2, $3, $4, `+nowSec+`)
			ON CONFLICT (platform, team, channel) DO UPDATE SET story_id = excluded.story_id, updated_at = excluded.updated_at`,
			sc.Platform, sc.Team, sc.Channel, story)
	}
	if isForeignKey(err) {
		return s.wrap("put channel story", sqlstore.UnknownStory(story))
	}
	if err != nil {
		return s.wrap("put channel story", err)
	}
	return nil
}

// ChannelStory returns the story the channel follows or bot.ErrNotFound.
func (s *Store) ChannelStory(ctx context.Context, sc bot.Scope) (string, error) {
	var story string
	err := s.pool.QueryRow(ctx, "SELECT story_id FROM channel_stories WHERE platform = $1 AND team = $2 AND channel = $3",
		sc.Platform, sc.Team, sc.Channel).Scan(&story)
	if isNoRows(err) {
		return "", s.wrap("channel story", bot.ErrNotFound)
	}
	if err != nil {
		return "", s.wrap("channel story", err)
	}
	return story, nil
}
