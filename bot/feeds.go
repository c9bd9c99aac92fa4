package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"time"
)

// Feed polling defaults.
const (
	DefaultFeedInterval = 15 * time.Minute
	MinFeedInterval     = 10 * time.Second
	// feedItemLease is how long a replica holds an item while it fetches
	// the page: past it, another replica may take the item over.
	feedItemLease = 2 * time.Minute
	// maxFeedBackoff caps the wait after repeated failures.
	maxFeedBackoff = 24 * time.Hour
)

// FeedPollerConfig is what a FeedPoller needs.
type FeedPollerConfig struct {
	Library  *Library
	Fetcher  Fetcher
	Store    FeedStore
	Interval time.Duration // between polls of one feed; default DefaultFeedInterval
	Owner    string        // this replica, as feed-item claims name it
	Clock    Clock
	Logger   *slog.Logger
}

// FeedPoller polls RSS and Atom feeds and ingests their new items. Several
// replicas may run one each over a shared store: a feed's poll and each
// item are claimed in the store, so every item is fetched and stored once.
type FeedPoller struct {
	cfg FeedPollerConfig
	log *slog.Logger
}

// FeedReport is what one poll of a feed did.
type FeedReport struct {
	Items    int              // items in the feed
	Results  []IngestResult   // the items ingested now (added, stored, copies)
	Skipped  int              // items that did not match the feed's rule
	Failed   map[string]error // item key → why it was not stored
	Unchange bool             // the feed answered 304 Not Modified
}

// NewFeedPoller returns a poller over cfg.
func NewFeedPoller(cfg FeedPollerConfig) *FeedPoller {
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultFeedInterval
	}
	if cfg.Clock == nil {
		cfg.Clock = SystemClock{}
	}
	p := &FeedPoller{cfg: cfg, log: cfg.Logger}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	return p
}

// Add fetches a feed once and stores it: a feed that does not answer or is
// not RSS or Atom is refused and nothing is stored. The items it holds now
// are its backlog and are marked as seen, except the newest backfill ones,
// which are ingested at once.
func (p *FeedPoller) Add(ctx context.Context, rawURL, story, match string, backfill int) (Feed, FeedReport, error) {
	u, err := NormalizeURL(rawURL)
	if err != nil {
		return Feed{}, FeedReport{}, err
	}
	if story != "" {
		if _, ok := p.cfg.Library.Story(story); !ok {
			return Feed{}, FeedReport{}, fmt.Errorf("%w: %q", ErrUnknownStory, story)
		}
	}
	if match != "" {
		if _, err := CompileMatch(match); err != nil {
			return Feed{}, FeedReport{}, &InputError{fmt.Sprintf("--match %q is not a valid regular expression: %v", match, err)}
		}
	}
	if backfill < 0 {
		return Feed{}, FeedReport{}, &InputError{fmt.Sprintf("--backfill %d: must be 0 or more", backfill)}
	}
	fd, err := p.cfg.Fetcher.Feed(ctx, u, "", "")
	if err != nil {
		return Feed{}, FeedReport{}, err
	}
	now := p.cfg.Clock.Now()
	// Due at once: every running poller takes the feed on its own interval
	// from its next pass (a conditional GET: the backlog is marked).
	f, err := p.cfg.Store.PutFeed(ctx, Feed{URL: u, Story: story, Match: match, ETag: fd.ETag, LastModified: fd.LastModified, NextPoll: now})
	if err != nil {
		return Feed{}, FeedReport{}, fmt.Errorf("add feed: %w", err)
	}
	keys := make([]string, 0, len(fd.Items))
	for i, it := range fd.Items {
		if i >= backfill && it.Key() != "" {
			keys = append(keys, it.Key()) // feeds list their newest items first
		}
	}
	if err := p.cfg.Store.MarkFeedItems(ctx, f.ID, keys); err != nil {
		return f, FeedReport{}, fmt.Errorf("add feed: backlog: %w", err)
	}
	rep := p.ingestItems(ctx, f, fd)
	return f, rep, nil
}

// Run polls every feed that is due until ctx is done.
func (p *FeedPoller) Run(ctx context.Context) error {
	// Ticks at half the interval (at most 5 s) keep a feed's polls within
	// half a tick of its interval.
	tick := min(p.cfg.Interval/2, MinFeedInterval/2)
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		p.PollDue(ctx)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// PollDue polls the feeds whose next poll has come, each claimed so that
// one replica polls it. It returns how many it polled.
func (p *FeedPoller) PollDue(ctx context.Context) int {
	feeds, err := p.cfg.Store.Feeds(ctx)
	if err != nil {
		if ctx.Err() == nil {
			p.log.Warn("feeds: list failed", "err", err)
		}
		return 0
	}
	n := 0
	for _, f := range feeds {
		now := p.cfg.Clock.Now()
		if f.NextPoll.After(now) {
			continue
		}
		won, err := p.cfg.Store.ClaimFeedPoll(ctx, f.ID, now, now.Add(p.cfg.Interval))
		if err != nil || !won {
			continue
		}
		n++
		if _, err := p.Poll(ctx, f); err != nil && ctx.Err() == nil {
			p.log.Warn("feed poll failed", "feed", f.URL, "failures", f.Failures+1, "err", err)
		}
	}
	return n
}

// Poll fetches one feed now (conditional GET) and ingests its new items.
// A failure backs the feed off: each one in a row doubles the wait, up to
// a day.
func (p *FeedPoller) Poll(ctx context.Context, f Feed) (FeedReport, error) {
	// The next poll counts from this one's start: counted from its end, a
	// feed would just miss a tick and wait a whole tick more.
	now := p.cfg.Clock.Now()
	fd, err := p.cfg.Fetcher.Feed(ctx, f.URL, f.ETag, f.LastModified)
	if err != nil {
		f.Failures++
		f.LastError = err.Error()
		f.NextPoll = now.Add(min(p.cfg.Interval<<min(f.Failures, 20), max(maxFeedBackoff, p.cfg.Interval)))
		if uerr := p.cfg.Store.UpdateFeedState(ctx, f); uerr != nil {
			return FeedReport{}, errors.Join(err, uerr)
		}
		return FeedReport{}, err
	}
	f.Failures, f.LastError = 0, ""
	if !fd.NotModified {
		f.ETag, f.LastModified = fd.ETag, fd.LastModified
	}
	f.NextPoll = now.Add(p.cfg.Interval)
	if err := p.cfg.Store.UpdateFeedState(ctx, f); err != nil {
		return FeedReport{}, fmt.Errorf("feed %s: %w", f.URL, err)
	}
	if fd.NotModified {
		return FeedReport{Unchange: true}, nil
	}
	return p.ingestItems(ctx, f, fd), nil
}

// ingestItems fetches and stores the items of fd not yet handled, each
// claimed first so that replicas never fetch one twice.
func (p *FeedPoller) ingestItems(ctx context.Context, f Feed, fd FeedDoc) FeedReport {
	rep := FeedReport{Items: len(fd.Items), Failed: map[string]error{}}
	var re *regexp.Regexp
	if f.Match != "" {
		re, _ = CompileMatch(f.Match) // checked when the feed was added
	}
	lib := p.cfg.Library
	for _, it := range fd.Items {
		key, link := it.Key(), it.Link
		if key == "" || link == "" {
			continue
		}
		ok, err := p.cfg.Store.ClaimFeedItem(ctx, f.ID, key, p.cfg.Owner, feedItemLease)
		if err != nil || !ok {
			continue // handled already, or another replica has it
		}
		state, articleID, msg := FeedItemStored, "", ""
		a, known, err := lib.FetchArticle(ctx, p.cfg.Fetcher, link, OriginFeed)
		switch {
		case err != nil:
			state, msg = FeedItemFailed, err.Error()
			rep.Failed[key] = err
		case known != "":
			articleID = a.ID
			rep.Results = append(rep.Results, IngestResult{Status: known, Article: a})
		case re != nil && !(re.MatchString(a.Title) || re.MatchString(a.Text) || re.MatchString(it.Title)):
			state = FeedItemSkipped
			rep.Skipped++
		default:
			res, err := lib.Ingest(ctx, a, f.Story)
			if err != nil {
				state, msg = FeedItemFailed, err.Error()
				rep.Failed[key] = err
				break
			}
			articleID = res.Article.ID
			rep.Results = append(rep.Results, res)
		}
		if err := p.cfg.Store.FinishFeedItem(ctx, f.ID, key, p.cfg.Owner, state, articleID, msg); err != nil {
			p.log.Warn("feed item: record failed", "feed", f.URL, "item", key, "err", err)
		}
	}
	return rep
}
