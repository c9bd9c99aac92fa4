package sqlstore

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
)

// The stored corpus, stories and feeds: argument checks, columns and the
// row-to-record conversions both stores (and bot/bottest) share.

// Milli is t as the stores keep leases and poll times: UTC, whole milliseconds.
func Milli(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// CheckArticle normalises an article to store: its id is set, its origin
// known, its stories valid slugs, sorted and once each ([DefaultStory]
// alone becomes none), its copies' URLs set and once each (the first
// wins). Seq and the times are cleared: the store sets them.
func CheckArticle(a bot.StoredArticle) (bot.StoredArticle, error) {
	if a.ID == "" {
		return a, errors.New("empty id")
	}
	switch a.Origin {
	case bot.OriginEmbedded, bot.OriginFile, bot.OriginURL, bot.OriginFeed:
	default:
		return a, fmt.Errorf("article %s: origin %q is not embedded, file, url or feed", a.ID, a.Origin)
	}
	stories := slices.Clone(a.Stories)
	slices.Sort(stories)
	stories = slices.Compact(stories)
	for _, id := range stories {
		if err := bot.CheckStoryID(id); err != nil {
			return a, fmt.Errorf("article %s: %w", a.ID, err)
		}
	}
	if slices.Contains(stories, bot.DefaultStory) {
		if len(stories) > 1 {
			return a, fmt.Errorf("article %s: the %s story holds the articles of no other story; it cannot be joined beside %v", a.ID, bot.DefaultStory, stories)
		}
		stories = nil
	}
	var copies []bot.Copy
	for _, c := range a.Copies {
		if err := CheckCopy(c); err != nil {
			return a, fmt.Errorf("article %s: %w", a.ID, err)
		}
		if !slices.ContainsFunc(copies, func(o bot.Copy) bool { return o.URL == c.URL }) && c.URL != a.URL {
			copies = append(copies, bot.Copy{URL: c.URL, Publication: c.Publication})
		}
	}
	a.Stories, a.Copies = stories, copies
	a.Seq, a.AddedAt = 0, time.Time{}
	return a, nil
}

// CheckCopy refuses a copy without a URL: a copy is known by its URL.
func CheckCopy(c bot.Copy) error {
	if c.URL == "" {
		return errors.New("a copy needs its URL")
	}
	return nil
}

// CheckStory refuses a story whose id is not a slug or whose rule does not
// compile, and a rule on DefaultStory (which takes what no rule matches).
func CheckStory(st bot.Story) error {
	if err := bot.CheckStoryID(st.ID); err != nil {
		return err
	}
	if st.ID == bot.DefaultStory && st.Match != "" {
		return fmt.Errorf("the %s story takes the articles no other story's rule matches: it cannot have a match rule", bot.DefaultStory)
	}
	if _, err := bot.CompileMatch(st.Match); err != nil {
		return fmt.Errorf("story %s: %w", st.ID, err)
	}
	return nil
}

// CheckLink refuses a membership of an invalid story or of DefaultStory,
// whose memberships are never stored.
func CheckLink(articleID, storyID string) error {
	if articleID == "" {
		return errors.New("empty article id")
	}
	if err := bot.CheckStoryID(storyID); err != nil {
		return err
	}
	if storyID == bot.DefaultStory {
		return fmt.Errorf("the %s story holds the articles of no other story: an article joins it by belonging to none", bot.DefaultStory)
	}
	return nil
}

// CheckFeed refuses a feed without a URL, with an invalid story or rule,
// or with negative failures.
func CheckFeed(f bot.Feed) error {
	if f.URL == "" {
		return errors.New("empty feed URL")
	}
	if f.Story != "" {
		if err := bot.CheckStoryID(f.Story); err != nil {
			return fmt.Errorf("feed %s: %w", f.URL, err)
		}
	}
	if _, err := bot.CompileMatch(f.Match); err != nil {
		return fmt.Errorf("feed %s: %w", f.URL, err)
	}
	if f.Failures < 0 {
		return fmt.Errorf("feed %s: negative failures %d", f.URL, f.Failures)
	}
	return nil
}

// CheckFeedPoll refuses a next poll that is not after now, at the stores'
// millisecond precision: two callers could both win such a poll.
func CheckFeedPoll(now, next time.Time) error {
	if !Milli(next).After(Milli(now)) {
		return fmt.Errorf("next poll %s is not after now %s", next.UTC().Format(time.RFC3339Nano), now.UTC().Format(time.RFC3339Nano))
	}
	return nil
}

// CheckFeedItemKeys refuses an empty item key.
func CheckFeedItemKeys(keys ...string) error {
	if slices.Contains(keys, "") {
		return errors.New("empty feed item key")
	}
	return nil
}

// CheckFeedItemFinish refuses to finish a feed item claim in a state other
// than stored, skipped or failed.
func CheckFeedItemFinish(state bot.FeedItemState) error {
	switch state {
	case bot.FeedItemStored, bot.FeedItemSkipped, bot.FeedItemFailed:
		return nil
	}
	return fmt.Errorf("state %q is not stored, skipped or failed", state)
}

// UnknownArticle, UnknownStory and UnknownFeed are the errors for a write
// naming a record that does not exist.
func UnknownArticle(id string) error { return fmt.Errorf("article %q: %w", id, bot.ErrNotFound) }
func UnknownStory(id string) error   { return fmt.Errorf("story %q: %w", id, bot.ErrNotFound) }
func UnknownFeed(id int64) error     { return fmt.Errorf("feed %d: %w", id, bot.ErrNotFound) }

// LostFeedItem is FinishFeedItem's error when owner no longer holds the claim.
func LostFeedItem(feedID int64, key, owner string) error {
	return fmt.Errorf("finish feed item %d/%q for %s: %w", feedID, key, owner, bot.ErrClaimLost)
}

// ArticleCols are the articles columns ScanArticle reads, in order, of the
// table aliased a.
const ArticleCols = "a.seq, a.id, a.title, a.source, a.url, a.published, a.author, a.body, a.origin, a.added_at"

// ScanArticle reads a row of ArticleCols; Stories and Copies are left empty.
func ScanArticle(row Row, tc Times) (bot.StoredArticle, error) {
	var a bot.StoredArticle
	err := row.Scan(&a.Seq, &a.ID, &a.Title, &a.Source, &a.URL, &a.Published, &a.Author, &a.Text, &a.Origin, tc.Stamp(&a.AddedAt))
	return a, err
}

// MembershipCols are the story_articles columns ArticleSet.ScanMembership
// reads, of the table aliased m.
const MembershipCols = "m.article_id, m.story_id"

// CopyCols are the copies columns ArticleSet.ScanCopy reads, of the table
// aliased c.
const CopyCols = "c.article_id, c.url, c.publication, c.added_at"

// ArticleSet assembles articles read in three queries of one snapshot
// (the articles, then their memberships, then their copies), which is
// simpler for both dialects than aggregating in SQL. The zero value is
// ready.
type ArticleSet struct {
	list []bot.StoredArticle
	at   map[string]int
}

// ScanArticle adds an article from a row of ArticleCols.
func (s *ArticleSet) ScanArticle(row Row, tc Times) error {
	a, err := ScanArticle(row, tc)
	if err != nil {
		return err
	}
	if s.at == nil {
		s.at = map[string]int{}
	}
	s.at[a.ID] = len(s.list)
	s.list = append(s.list, a)
	return nil
}

// ScanMembership adds a story to its article from a row of
// MembershipCols; rows of articles not in the set are ignored.
func (s *ArticleSet) ScanMembership(row Row) error {
	var articleID, storyID string
	if err := row.Scan(&articleID, &storyID); err != nil {
		return err
	}
	if i, ok := s.at[articleID]; ok {
		s.list[i].Stories = append(s.list[i].Stories, storyID)
	}
	return nil
}

// ScanCopy adds a copy to its article from a row of CopyCols; rows of
// articles not in the set are ignored.
func (s *ArticleSet) ScanCopy(row Row, tc Times) error {
	var articleID string
	var c bot.Copy
	if err := row.Scan(&articleID, &c.URL, &c.Publication, tc.Stamp(&c.AddedAt)); err != nil {
		return err
	}
	if i, ok := s.at[articleID]; ok {
		s.list[i].Copies = append(s.list[i].Copies, c)
	}
	return nil
}

// Len is the number of articles in the set.
func (s *ArticleSet) Len() int { return len(s.list) }

// Articles are the assembled articles in the order they were scanned.
func (s *ArticleSet) Articles() []bot.StoredArticle { return s.list }

// StoryCols are the stories columns ScanStory reads, in order.
const StoryCols = "id, title, match_rule, created_at"

// ScanStory reads a row of StoryCols.
func ScanStory(row Row, tc Times) (bot.Story, error) {
	var st bot.Story
	err := row.Scan(&st.ID, &st.Title, &st.Match, tc.Stamp(&st.CreatedAt))
	return st, err
}

// FeedCols are the feeds columns ScanFeed reads, in order.
const FeedCols = "id, url, story_id, match_rule, etag, last_modified, next_poll, failures, last_error, created_at"

// ScanFeed reads a row of FeedCols; next_poll is read like a lease (to the
// millisecond, unset as zero).
func ScanFeed(row Row, tc Times) (bot.Feed, error) {
	var f bot.Feed
	err := row.Scan(&f.ID, &f.URL, &f.Story, &f.Match, &f.ETag, &f.LastModified, tc.Lease(&f.NextPoll),
		&f.Failures, &f.LastError, tc.Stamp(&f.CreatedAt))
	return f, err
}

// FeedItemCols are the feed_items columns ScanFeedItem reads, in order.
const FeedItemCols = "feed_id, key, state, owner, lease_until, attempts, article_id, error, updated_at"

// ScanFeedItem reads a row of FeedItemCols.
func ScanFeedItem(row Row, tc Times) (bot.FeedEntry, error) {
	var it bot.FeedEntry
	var state string
	err := row.Scan(&it.FeedID, &it.Key, &state, &it.Owner, tc.Lease(&it.LeaseUntil), &it.Attempts,
		&it.ArticleID, &it.Error, tc.Stamp(&it.UpdatedAt))
	it.State = bot.FeedItemState(state)
	return it, err
}

// Change is what a corpus write did, which decides how it bumps the
// revision (see bot.Revision).
type Change int

const (
	Unchanged Change = iota // a refused duplicate, a no-op: the revision stays
	Added                   // a new article: n moves, rewritten stays
	Rewrote                 // anything else: n moves and rewritten follows it
)

// Bump is the statement recording c on the corpus_revision row, the same in
// both dialects; "" for Unchanged. In SET, n on the right is the old value.
func (c Change) Bump() string {
	switch c {
	case Added:
		return "UPDATE corpus_revision SET n = n + 1 WHERE id = 1"
	case Rewrote:
		return "UPDATE corpus_revision SET n = n + 1, rewritten = n + 1 WHERE id = 1"
	}
	return ""
}
