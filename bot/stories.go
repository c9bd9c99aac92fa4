package bot

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/alexa-brief/alexa-brief/briefs"
)

// DefaultStory is the story of the embedded corpus, and of every stored
// article that belongs to no other story. Its id is reserved: a store may
// hold a DefaultStory row (to override its title) but never a membership of
// it or a channel following it, since "no story" already means DefaultStory.
const DefaultStory = "default"

// Where a stored article came from (StoredArticle.Origin, and "origin" in
// `sources --json`).
const (
	OriginEmbedded = "embedded"
	OriginFile     = "file"
	OriginURL      = "url"
	OriginFeed     = "feed"
)

// Story is a named set of articles.
type Story struct {
	ID    string `json:"id"` // a slug, see CheckStoryID
	Title string `json:"title"`
	// Match is a regular expression (Go syntax, matched case-insensitively
	// against an article's title and text) that new articles joining the
	// story must match; "" for none. DefaultStory has none.
	Match     string    `json:"match"`
	CreatedAt time.Time `json:"created_at"`
}

// StoredArticle is an article of the stored corpus with what the store
// knows about it.
type StoredArticle struct {
	briefs.Article
	// Seq is the Revision.N the article's addition took: it orders
	// articles by when they were stored (in commit order, across replicas
	// too), is never reused, and ArticlesAfter(r.N) lists exactly the
	// articles added after revision r.
	Seq    int64  `json:"seq"`
	Origin string `json:"origin"` // one of the Origin constants
	// Stories are the ids of the stories the article belongs to, sorted;
	// empty means DefaultStory.
	Stories []string `json:"stories"`
	// Copies are the near-duplicates merged into the article, oldest first.
	Copies  []Copy    `json:"copies"`
	AddedAt time.Time `json:"added_at"` // set by the store, second precision
}

// Copy is a syndicated copy of a stored article: the same story published
// at another URL. A copy is known by its URL.
type Copy struct {
	URL         string    `json:"url"`
	Publication string    `json:"publication"`
	AddedAt     time.Time `json:"added_at"` // set by the store
}

// Feed is an RSS or Atom feed the scheduler polls, with its polling state.
type Feed struct {
	ID  int64  `json:"id"`
	URL string `json:"url"` // normalised by the caller; one feed per URL
	// Story is the story every item joins; "" lets each item join the
	// stories whose rule matches it, else DefaultStory.
	Story string `json:"story"`
	Match string `json:"match"` // items must match it (see Story.Match); "" for all
	// Conditional GET validators of the last successful fetch.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// NextPoll is when the feed is due (millisecond precision); zero: now.
	NextPoll  time.Time `json:"next_poll"`
	Failures  int       `json:"failures"` // consecutive failed polls
	LastError string    `json:"last_error,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// FeedItemState is where a feed item is in the ledger.
type FeedItemState string

const (
	FeedItemClaimed FeedItemState = "claimed"
	FeedItemStored  FeedItemState = "stored"  // ingested as ArticleID (or merged into it as a copy)
	FeedItemSkipped FeedItemState = "skipped" // backlog, filtered out by the feed's match, or a known URL
	FeedItemFailed  FeedItemState = "failed"  // final: the ingester has already retried
)

// FeedEntry is the ledger row of one item of a feed, keyed by its guid (or
// link when it has none).
type FeedEntry struct {
	FeedID     int64         `json:"feed_id"`
	Key        string        `json:"key"`
	State      FeedItemState `json:"state"`
	Owner      string        `json:"owner,omitempty"`
	LeaseUntil time.Time     `json:"lease_until,omitempty"` // millisecond precision
	Attempts   int           `json:"attempts"`
	ArticleID  string        `json:"article_id,omitempty"`
	Error      string        `json:"error,omitempty"`
	UpdatedAt  time.Time     `json:"updated_at"`
}

// Revision is the stored corpus's change counter, which replicas poll
// (one row, one cheap read) to notice each other's writes.
//
// N goes up by one with every change to articles, memberships, copies or
// stories, in the change's own transaction; reads, refused duplicates and
// writes that change nothing leave it alone. Rewritten is the N of the
// latest change that was not the addition of an article (a removal, a
// copy, a link, a story put or deleted): additions alone can be followed
// with ArticlesAfter, anything else needs a reload. Channel follows and
// feeds are not part of the corpus and do not move it.
//
// To follow the corpus: read r := Revision, then load Articles. At each
// poll read r2 := Revision. If r2.N == r.N nothing changed; if
// r2.OnlyAddedSince(r), ArticlesAfter(r.N) lists the additions; otherwise
// reload everything. Then r = r2. An addition committed between reading r2
// and the articles is listed now and again at the next poll (skip the
// ids you hold); a rewrite in between is caught at the next poll.
type Revision struct {
	N         int64 `json:"n"`
	Rewritten int64 `json:"rewritten"`
}

// OnlyAddedSince reports whether every change since old, if any, added
// articles, so that ArticlesAfter(last Seq seen at old) brings a corpus
// read at old up to date.
func (r Revision) OnlyAddedSince(old Revision) bool { return r.Rewritten <= old.N }

// storyID is a story's id: lowercase letters, digits and hyphens, short
// enough for a chat command and a URL path.
var storyID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// CheckStoryID refuses an id that is not a story slug.
func CheckStoryID(id string) error {
	if !storyID.MatchString(id) {
		return fmt.Errorf("story id %q: want 1 to 63 lowercase letters, digits or hyphens, not starting with a hyphen", id)
	}
	return nil
}

// CompileMatch compiles a story's or feed's match rule as it is applied:
// case-insensitively. An empty rule matches everything.
func CompileMatch(rule string) (*regexp.Regexp, error) {
	re, err := regexp.Compile("(?i)" + rule)
	if err != nil {
		return nil, fmt.Errorf("match rule %q: %w", rule, err)
	}
	return re, nil
}

// ArticleStore is the stored corpus: articles, the stories they belong to,
// the copies merged into them, and its Revision. Every write is atomic and,
// on PostgreSQL, safe across replicas: corpus writes take turns on the
// revision row, so seqs are handed out in commit order.
//
// An article that belongs to no story belongs to DefaultStory: its
// membership is never stored, and an article whose stories are all deleted
// falls back to it. Articles stored before stories existed have origin
// "file" and no story.
type ArticleStore interface {
	// AddArticle stores a, its memberships (a.Stories) and copies
	// (a.Copies) unless a duplicates a stored article: the same id, the
	// same exact text, or a non-empty a.URL (normalised by the caller)
	// equal to an article's URL or to one of its copies'. It returns the
	// article as stored (Seq, AddedAt, sorted Stories) and true, or the
	// stored article a duplicates and false, changing nothing (checks in
	// that order: id, URL, copy URL, text).
	//
	// a.Origin must be one of the Origin constants. a.Stories must name
	// stored stories (ErrNotFound otherwise, and nothing is stored);
	// [DefaultStory] alone is the same as none, beside other stories it is
	// refused. a.Seq, a.AddedAt and the copies' AddedAt are ignored.
	AddArticle(ctx context.Context, a StoredArticle) (StoredArticle, bool, error)
	// RemoveArticle removes the article with its memberships and copies.
	RemoveArticle(ctx context.Context, id string) (bool, error)
	// AddCopy records a copy of the article (ErrNotFound when there is no
	// such article). It is false, changing nothing, when the article
	// already has a copy at c.URL or is itself at c.URL. c.URL is required.
	AddCopy(ctx context.Context, articleID string, c Copy) (bool, error)
	// Article is the article with that id (ErrNotFound).
	Article(ctx context.Context, id string) (StoredArticle, error)
	// ArticleByURL is the article at url, or else the one with a copy at
	// url (ErrNotFound).
	ArticleByURL(ctx context.Context, url string) (StoredArticle, error)
	// Articles lists every stored article in Seq order, with its Stories
	// and Copies, as of one instant.
	Articles(ctx context.Context) ([]StoredArticle, error)
	// ArticlesAfter lists, like Articles, those whose Seq is above seq.
	ArticlesAfter(ctx context.Context, seq int64) ([]StoredArticle, error)
	// LinkArticle adds the article to the story (used when a new story's
	// rule catches stored articles); linking again does nothing.
	// ErrNotFound when either is missing; DefaultStory is refused.
	LinkArticle(ctx context.Context, articleID, storyID string) error

	// PutStory creates the story, or updates its title and match rule
	// keeping its CreatedAt. A new story's CreatedAt is st.CreatedAt, or
	// now when zero. The id must pass CheckStoryID and the rule
	// CompileMatch; DefaultStory may be put (to override its title) but
	// takes no rule.
	PutStory(ctx context.Context, st Story) (Story, error)
	// Story is the stored story with that id (ErrNotFound); DefaultStory
	// is found only when it was put.
	Story(ctx context.Context, id string) (Story, error)
	// Stories lists the stored stories by id.
	Stories(ctx context.Context) ([]Story, error)
	// DeleteStory deletes the story, its memberships and the channels'
	// follows of it; its articles stay (in DefaultStory when they belong
	// to no other), and its feeds stay with Story "".
	DeleteStory(ctx context.Context, id string) (bool, error)

	// Revision is the corpus's change counter; see Revision.
	Revision(ctx context.Context) (Revision, error)
}

// ChannelStories keeps the story each channel follows, keyed by scope
// exactly like subscriptions.
type ChannelStories interface {
	// PutChannelStory makes the channel follow the story (ErrNotFound
	// when it is not stored). Following DefaultStory removes the channel's
	// follow, since a channel that follows nothing uses DefaultStory.
	PutChannelStory(ctx context.Context, sc Scope, story string) error
	// ChannelStory is the story the channel follows (ErrNotFound: none,
	// so DefaultStory).
	ChannelStory(ctx context.Context, sc Scope) (string, error)
}

// FeedStore keeps the feeds and, per feed, a ledger of the items seen, with
// the same claim discipline as the digest ledger: an item is ingested at
// most once whatever the number of replicas, leases are measured on the
// database's clock, and a crashed owner's claim is taken over once its
// lease expires.
type FeedStore interface {
	// PutFeed adds the feed, or, when one is stored at f.URL, updates its
	// Story and Match and keeps its id and state. A new feed takes
	// ETag, LastModified, NextPoll, Failures and LastError from f, and
	// CreatedAt from f or now when zero. f.Story is "", DefaultStory or a
	// stored story (ErrNotFound otherwise); f.Match must pass CompileMatch.
	PutFeed(ctx context.Context, f Feed) (Feed, error)
	// Feed is the feed with that id (ErrNotFound).
	Feed(ctx context.Context, id int64) (Feed, error)
	// Feeds lists the feeds by id.
	Feeds(ctx context.Context) ([]Feed, error)
	// DeleteFeed deletes the feed and its item ledger.
	DeleteFeed(ctx context.Context, id int64) (bool, error)
	// UpdateFeedState records f's ETag, LastModified, NextPoll, Failures
	// and LastError on the feed f.ID (ErrNotFound).
	UpdateFeedState(ctx context.Context, f Feed) error
	// ClaimFeedPoll takes the feed's next poll if it is due at now
	// (NextPoll <= now), moving NextPoll to next, which must be after now.
	// Of concurrent callers exactly one gets true. The times are the
	// caller's (a faked clock works), kept to the millisecond.
	// ErrNotFound when the feed does not exist.
	ClaimFeedPoll(ctx context.Context, feedID int64, now, next time.Time) (bool, error)

	// ClaimFeedItem takes the item for owner until now+lease (lease > 0).
	// It is false when the item is stored, skipped or failed, or claimed
	// under a live lease; an expired claim is taken over (Attempts+1, so
	// Attempts > 1 means an earlier owner may have stored it: AddArticle's
	// dedupe makes that harmless). Of concurrent callers exactly one gets
	// true. ErrNotFound when the feed does not exist.
	ClaimFeedItem(ctx context.Context, feedID int64, key, owner string, lease time.Duration) (bool, error)
	// FinishFeedItem records the outcome (stored, skipped or failed) of a
	// claim owner holds, with the article it became and the error. It
	// returns ErrClaimLost when owner no longer holds the claim; an expired
	// lease nobody took over still counts as held.
	FinishFeedItem(ctx context.Context, feedID int64, key, owner string, state FeedItemState, articleID, errMsg string) error
	// MarkFeedItems records keys as skipped without claiming them (the
	// backlog present when the feed is added), leaving items already in
	// the ledger as they are. One transaction; ErrNotFound when the feed
	// does not exist.
	MarkFeedItems(ctx context.Context, feedID int64, keys []string) error
	// FeedItem is the ledger row of the item (ErrNotFound).
	FeedItem(ctx context.Context, feedID int64, key string) (FeedEntry, error)
}
