package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/alexa-brief/alexa-brief/briefs"
	"github.com/alexa-brief/alexa-brief/briefs/near"
	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// Fetcher fetches web pages and feeds; adapters/web implements it with the
// limits of SPEC.md (size cap, timeout, redirects, no private addresses).
type Fetcher interface {
	Page(ctx context.Context, url string) (Page, error)
	Feed(ctx context.Context, url, etag, lastModified string) (FeedDoc, error)
}

// What an ingest did.
const (
	IngestAdded  = "added"
	IngestStored = "stored" // the URL or the text was already stored
	IngestCopy   = "copy"   // a near-duplicate: recorded as a copy of Article
)

// IngestResult is what one ingest did.
type IngestResult struct {
	Status string
	// Article is the added article, or the stored one it duplicates.
	Article StoredArticle
	// Stories are the stories the added article joined.
	Stories []string
}

// String is the result as the CLI and chat say it (SPEC.md: "already
// stored: <title>", "stored as a copy of <id>").
func (r IngestResult) String() string {
	title := firstNonEmpty(r.Article.Title, r.Article.ID)
	switch r.Status {
	case IngestStored:
		return "already stored: " + title
	case IngestCopy:
		return "stored as a copy of " + r.Article.ID
	}
	return fmt.Sprintf("added %s: %s (story %s)", r.Article.ID, title, storyList(r.Stories))
}

// Ingest stores an article: refused when its URL or its text is stored
// already, recorded as a copy when it is a near-duplicate of a stored
// article (syndicated text under another headline), otherwise added to
// story, else to every story whose rule matches it, else to the default
// story. The library is refreshed at once, so this replica answers from the
// article immediately. Invalid articles (no text, bad UTF-8) are refused
// with an error a user may see.
func (l *Library) Ingest(ctx context.Context, a StoredArticle, story string) (IngestResult, error) {
	if l.cfg.Store == nil {
		return IngestResult{}, errors.New("ingest: no store: articles cannot be added with --corpus")
	}
	if story != "" {
		if _, ok := l.Story(story); !ok {
			return IngestResult{}, fmt.Errorf("%w: %q", ErrUnknownStory, story)
		}
	}
	if l.cfg.Flat {
		story = ""
	}
	if a.URL != "" {
		u, err := NormalizeURL(a.URL)
		if err != nil {
			return IngestResult{}, err
		}
		a.URL = u
	}
	c, err := briefs.New([]briefs.Article{a.Article})
	if err != nil {
		return IngestResult{}, fmt.Errorf("ingest: %w", err)
	}
	if a.Title == "" {
		a.Title = c.Articles()[0].Title // derived as the corpus derives it
	}
	res, err := l.ingest(ctx, a, story)
	if err != nil {
		return res, err
	}
	if err := l.Refresh(ctx); err != nil {
		l.log.Warn("library refresh after ingest failed", "err", err)
	}
	return res, nil
}

func (l *Library) ingest(ctx context.Context, a StoredArticle, story string) (IngestResult, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.state.Load()
	if i, ok := st.byID[a.ID]; ok {
		return IngestResult{Status: IngestStored, Article: st.arts[i]}, nil
	}
	if o, known := l.byURL(a.URL); a.URL != "" && known != "" {
		return IngestResult{Status: known, Article: o}, nil
	}
	if id, _, ok := l.sigs.Match(near.Sign(a.Text)); ok {
		orig := st.arts[st.byID[id]]
		// The base articles are not stored: a copy of one has nowhere to
		// be recorded, and is simply already there. So is the same text
		// without a URL of its own; at another URL it is a copy, even word
		// for word (wire copies often keep the byline).
		if l.IsBase(id) || a.URL == "" || a.URL == orig.URL {
			return IngestResult{Status: IngestStored, Article: orig}, nil
		}
		if a.URL != "" {
			if _, err := l.cfg.Store.AddCopy(ctx, id, Copy{URL: a.URL, Publication: a.Source}); err != nil {
				return IngestResult{}, fmt.Errorf("ingest: copy of %s: %w", id, err)
			}
		}
		return IngestResult{Status: IngestCopy, Article: orig}, nil
	}
	switch {
	case story != "":
		a.Stories = []string{story}
	default:
		a.Stories = l.Matching(a.Article)
	}
	stored, added, err := l.cfg.Store.AddArticle(ctx, a)
	if err != nil {
		return IngestResult{}, fmt.Errorf("ingest: %w", err)
	}
	if !added {
		return IngestResult{Status: IngestStored, Article: stored}, nil
	}
	joined := stored.Stories
	if len(joined) == 0 {
		joined = []string{DefaultStory}
	}
	return IngestResult{Status: IngestAdded, Article: stored, Stories: joined}, nil
}

// IngestURL fetches a web page and ingests its article with origin (OriginURL
// or OriginFeed). A URL already stored is not fetched again.
func (l *Library) IngestURL(ctx context.Context, f Fetcher, rawURL, story, origin string) (IngestResult, error) {
	if story != "" {
		if _, ok := l.Story(story); !ok {
			return IngestResult{}, fmt.Errorf("%w: %q", ErrUnknownStory, story)
		}
	}
	a, known, err := l.FetchArticle(ctx, f, rawURL, origin)
	if err != nil || known != "" {
		return IngestResult{Status: known, Article: a}, err
	}
	return l.Ingest(ctx, a, story)
}

// FetchArticle fetches the page at rawURL as an article. When the URL is
// stored already it is not fetched: known is then IngestStored (an
// article's URL) or IngestCopy (a copy's), and a is the stored article.
func (l *Library) FetchArticle(ctx context.Context, f Fetcher, rawURL, origin string) (a StoredArticle, known string, err error) {
	u, err := NormalizeURL(rawURL)
	if err != nil {
		return a, "", err
	}
	if o, known := l.byURL(u); known != "" {
		return o, known, nil
	}
	p, err := f.Page(ctx, u)
	if err != nil {
		return a, "", err
	}
	final, err := NormalizeURL(p.URL)
	if err != nil || p.URL == "" {
		final = u
	}
	if o, known := l.byURL(final); known != "" {
		return o, known, nil // a redirect to a page stored already
	}
	return StoredArticle{
		Article: briefs.Article{
			ID: pageID(p.Title, final), Title: strings.TrimSpace(p.Title), Source: p.Publication,
			URL: final, Published: p.Published, Author: p.Author, Text: p.Text,
		},
		Origin: origin,
	}, "", nil
}

// byURL finds an article by its normalised URL or one of its copies'
// (known is IngestStored or IngestCopy, "" when neither).
func (l *Library) byURL(u string) (a StoredArticle, known string) {
	st := l.state.Load()
	if i, ok := st.urls[u]; ok {
		return st.arts[i], IngestStored
	}
	if i, ok := st.copyURLs[u]; ok {
		return st.arts[i], IngestCopy
	}
	return StoredArticle{}, ""
}

// pageID names a web article: its title as a slug, for people reading
// `articles list`, and a hash of its URL, so two pages with one headline
// stay two articles.
func pageID(title, url string) string {
	var b strings.Builder
	dash := false
	for _, r := range text.Fold(strings.ToLower(title)) { // "Kovács" → "kovacs"
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 48 {
			break
		}
	}
	slug := strings.Trim(b.String(), "-")
	h := sha256.Sum256([]byte(url))
	if slug == "" {
		slug = "page"
	}
	return slug + "-" + hex.EncodeToString(h[:4])
}

// RemoveArticle takes a stored article out of every story.
func (l *Library) RemoveArticle(ctx context.Context, id string) (bool, error) {
	if l.IsBase(id) {
		return false, fmt.Errorf("%s is part of the embedded corpus and cannot be removed", id)
	}
	if l.cfg.Store == nil {
		return false, errors.New("no store")
	}
	ok, err := l.cfg.Store.RemoveArticle(ctx, id)
	if err != nil {
		return false, fmt.Errorf("remove article %s: %w", id, err)
	}
	if ok {
		if err := l.Refresh(ctx); err != nil {
			l.log.Warn("library refresh failed", "err", err)
		}
	}
	return ok, nil
}

// AddStory creates or updates a story and links to it the stored articles
// its rule matches; it returns how many it linked.
func (l *Library) AddStory(ctx context.Context, s Story) (Story, int, error) {
	if !l.HasStore() {
		return Story{}, 0, &InputError{"stories need a store and no --corpus folder"}
	}
	if s.ID == DefaultStory {
		return Story{}, 0, &InputError{fmt.Sprintf("%q is the embedded corpus's story; choose another id", DefaultStory)}
	}
	var re *regexp.Regexp
	if s.Match != "" {
		r, err := CompileMatch(s.Match)
		if err != nil {
			return Story{}, 0, &InputError{fmt.Sprintf("--match %q is not a valid regular expression: %v", s.Match, err)}
		}
		re = r
	}
	saved, err := l.cfg.Store.PutStory(ctx, s)
	if err != nil {
		return Story{}, 0, fmt.Errorf("add story %s: %w", s.ID, err)
	}
	linked := 0
	if re != nil {
		for _, a := range l.state.Load().arts {
			if l.IsBase(a.ID) || !(re.MatchString(a.Title) || re.MatchString(a.Text)) {
				continue
			}
			if err := l.cfg.Store.LinkArticle(ctx, a.ID, saved.ID); err != nil {
				return saved, linked, fmt.Errorf("add story %s: link %s: %w", s.ID, a.ID, err)
			}
			linked++
		}
	}
	if err := l.Refresh(ctx); err != nil {
		l.log.Warn("library refresh failed", "err", err)
	}
	return saved, linked, nil
}

// RemoveStory deletes a story; its articles stay stored (in their other
// stories, or the default one).
func (l *Library) RemoveStory(ctx context.Context, id string) (bool, error) {
	if id == DefaultStory {
		return false, fmt.Errorf("%q is the embedded corpus's story and cannot be removed", DefaultStory)
	}
	if !l.HasStore() {
		return false, errors.New("stories need a store and no --corpus folder")
	}
	ok, err := l.cfg.Store.DeleteStory(ctx, id)
	if err != nil {
		return false, fmt.Errorf("remove story %s: %w", id, err)
	}
	if err := l.Refresh(ctx); err != nil {
		l.log.Warn("library refresh failed", "err", err)
	}
	return ok, nil
}
