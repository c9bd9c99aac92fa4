package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alexa-brief/alexa-brief/briefs"
	"github.com/alexa-brief/alexa-brief/briefs/near"
)

// Errors a user can cause; their text is safe to show.
var (
	ErrUnknownStory = errors.New("no such story")
	ErrEmptyStory   = errors.New("the story has no articles yet")
)

// libraryStore is what the Library needs of the store.
type libraryStore interface {
	ArticleStore
}

// LibraryConfig is what a Library needs.
type LibraryConfig struct {
	// Base are the articles of the default story that are not stored: the
	// embedded corpus or a --corpus folder. At least one is required.
	Base       []briefs.Article
	BaseOrigin string // OriginEmbedded (default) or OriginFile
	// Store holds the ingested articles and the stories; nil serves Base
	// alone as the default story.
	Store libraryStore
	// Flat ignores the stored stories: every stored article joins Base in
	// the default story (a --corpus folder, which bypasses stories).
	Flat   bool
	Logger *slog.Logger
}

// Library is the deployment's stories and the corpora they are answered
// from. It reads the store on Refresh (Watch calls it on a timer, and an
// ingest calls it at once), so every replica sees new articles without a
// restart. A story's corpus is built lazily, once per version: when the
// story only gained articles, from its previous corpus with
// briefs.Corpus.With rather than from scratch. Safe for concurrent use.
type Library struct {
	cfg   LibraryConfig
	log   *slog.Logger
	state atomic.Pointer[libState]
	// mu serialises Refresh and ingests: they read the state, write the
	// store and install the next state. It guards sigs.
	mu sync.Mutex
	// sigs holds the near-duplicate signature of every article; a full
	// reload rebuilds it, additions add to it.
	sigs *near.Index
	// warmCh asks Watch's loop for a warm-up (capacity 1: requests
	// coalesce); used holds the stories a request has built.
	warmCh chan struct{}
	usedMu sync.Mutex
	used   map[string]bool
	// baseIDs are the ids of cfg.Base, which are not stored.
	baseIDs map[string]bool
}

// libState is one consistent view of the library; it is replaced, never
// changed (but for its corpora, built on demand).
type libState struct {
	rev     Revision
	lastSeq int64           // the greatest Seq of the stored articles
	stories []Story         // default first, then the stored ones by id
	arts    []StoredArticle // base articles, then the stored ones in order
	byID    map[string]int  // article id → index in arts
	urls    map[string]int  // normalised URL → index in arts
	// copyURLs maps the URL of a copy to its original's index in arts.
	copyURLs map[string]int
	members  map[string][]int // story id → indexes in arts, in order
	match    map[string]*regexp.Regexp

	mu      sync.Mutex
	corpora map[string]*storyCorpus
}

// storyCorpus is a story's corpus, built once. Other states read built and
// prev while it is being built, hence the atomics.
type storyCorpus struct {
	once  sync.Once
	ids   []string // the articles it holds, in order; set under its state's mu
	err   error    // read only after once
	built atomic.Pointer[builtCorpus]
	prev  atomic.Pointer[storyCorpus] // the story's corpus in the state before, to extend
}

// builtCorpus is a built corpus and the articles it holds.
type builtCorpus struct {
	ids []string
	c   *briefs.Corpus
}

// StoryInfo is a story as listed: its record and how many articles it has.
type StoryInfo struct {
	Story
	Articles int `json:"articles"`
}

// NewLibrary loads the stories and builds the default story's corpus, so a
// bad base corpus fails at start-up rather than on the first request.
func NewLibrary(ctx context.Context, cfg LibraryConfig) (*Library, error) {
	if len(cfg.Base) == 0 {
		return nil, errors.New("library: no base articles")
	}
	if cfg.BaseOrigin == "" {
		cfg.BaseOrigin = OriginEmbedded
	}
	l := &Library{cfg: cfg, log: cfg.Logger, warmCh: make(chan struct{}, 1), used: map[string]bool{}, baseIDs: map[string]bool{}}
	for _, a := range cfg.Base {
		l.baseIDs[a.ID] = true
	}
	if l.log == nil {
		l.log = slog.New(slog.DiscardHandler)
	}
	if err := l.load(ctx); err != nil {
		return nil, err
	}
	if _, err := l.Corpus(ctx, DefaultStory); err != nil {
		return nil, err
	}
	return l, nil
}

// Refresh reloads the library when the store changed since the last load
// (its Revision moved): only the new articles when nothing else changed,
// everything otherwise. A corpus is rebuilt only when a request asks for
// it, and then from the previous one when its story only gained articles.
func (l *Library) Refresh(ctx context.Context) error {
	if l.cfg.Store == nil {
		return nil
	}
	return l.load(ctx)
}

// Watch refreshes the library every interval until ctx is done: how a
// replica sees what another one ingested. Failures are logged and retried.
// Between refreshes it warms the stories in use after an update.
func (l *Library) Watch(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := l.Refresh(ctx); err != nil && ctx.Err() == nil {
				l.log.Warn("library refresh failed", "err", err)
			}
		case <-l.warmCh:
			l.warm(ctx)
		}
	}
}

// load reads the store and installs a new state.
func (l *Library) load(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	var rev Revision
	old := l.state.Load()
	if s := l.cfg.Store; s != nil {
		var err error
		// The revision first: a write landing while the articles are read
		// moves it again, and is read at the next refresh.
		if rev, err = s.Revision(ctx); err != nil {
			return fmt.Errorf("library: revision: %w", err)
		}
		if old != nil && rev == old.rev {
			return nil
		}
		if old != nil && rev.OnlyAddedSince(old.rev) {
			arts, err := s.ArticlesAfter(ctx, old.lastSeq)
			if err != nil {
				return fmt.Errorf("library: new articles: %w", err)
			}
			l.install(old.extend(rev, arts, l.sigs, l.cfg.Flat), old)
			return nil
		}
	}
	st := &libState{
		byID:     map[string]int{},
		urls:     map[string]int{},
		copyURLs: map[string]int{},
		members:  map[string][]int{},
		match:    map[string]*regexp.Regexp{},
		corpora:  map[string]*storyCorpus{},
		rev:      rev,
	}
	l.sigs = &near.Index{}
	lead := l.cfg.Base[0].Title
	if lead == "" {
		lead = shorten(l.cfg.Base[0].Text, 80)
	}
	st.stories = []Story{{ID: DefaultStory, Title: lead}}
	for _, a := range l.cfg.Base {
		st.add(StoredArticle{Article: a, Origin: l.cfg.BaseOrigin, Stories: []string{DefaultStory}}, l.sigs)
	}
	if s := l.cfg.Store; s != nil {
		stories, err := s.Stories(ctx)
		if err != nil {
			return fmt.Errorf("library: stories: %w", err)
		}
		if l.cfg.Flat {
			stories = nil
		}
		for _, sr := range stories {
			if sr.ID == DefaultStory {
				if sr.Title != "" {
					st.stories[0].Title = sr.Title
				}
				continue
			}
			st.stories = append(st.stories, sr)
			if sr.Match != "" {
				if re, err := CompileMatch(sr.Match); err == nil {
					st.match[sr.ID] = re
				}
			}
		}
		arts, err := s.Articles(ctx)
		if err != nil {
			return fmt.Errorf("library: articles: %w", err)
		}
		for _, a := range arts {
			if l.cfg.Flat {
				a.Stories = nil
			}
			st.add(a, l.sigs)
		}
	}
	l.install(st, old)
	return nil
}

// extend is st with arts added (Revision rev): the state after additions
// alone. st is left as it was for its readers.
func (st *libState) extend(rev Revision, arts []StoredArticle, sigs *near.Index, flat bool) *libState {
	nx := &libState{
		rev:      rev,
		lastSeq:  st.lastSeq,
		stories:  st.stories,
		arts:     slices.Clip(st.arts),
		byID:     maps.Clone(st.byID),
		urls:     maps.Clone(st.urls),
		copyURLs: maps.Clone(st.copyURLs),
		members:  make(map[string][]int, len(st.members)),
		match:    st.match,
		corpora:  map[string]*storyCorpus{},
	}
	for k, v := range st.members {
		nx.members[k] = slices.Clip(v)
	}
	for _, a := range arts {
		if flat {
			a.Stories = nil
		}
		nx.add(a, sigs)
	}
	return nx
}

// install makes st the library's state; each story's next corpus starts
// from the one old built. Watch's loop then rebuilds the stories in use in
// the background (see warm).
func (l *Library) install(st, old *libState) {
	if old != nil {
		old.mu.Lock()
		for id, sc := range old.corpora {
			next := &storyCorpus{}
			next.prev.Store(sc)
			st.corpora[id] = next
		}
		old.mu.Unlock()
	}
	l.state.Store(st)
	select {
	case l.warmCh <- struct{}{}:
	default: // a warm-up is due already; it takes the latest state
	}
}

// warm builds the corpus and brief of every story a request has asked for,
// in the latest state, so the first request after an update does not wait
// for them. One warm-up runs at a time (Watch's loop) and always takes the
// newest state: updates arriving faster than a build coalesce.
func (l *Library) warm(ctx context.Context) {
	l.usedMu.Lock()
	stories := make([]string, 0, len(l.used))
	for id := range l.used {
		stories = append(stories, id)
	}
	l.usedMu.Unlock()
	slices.Sort(stories)
	for _, id := range stories {
		if ctx.Err() != nil {
			return
		}
		if c, err := l.Corpus(ctx, id); err == nil {
			c.Brief(0)
		}
	}
}

// add appends an article; a base article's id taken by a stored one is
// left out (the base wins).
func (st *libState) add(a StoredArticle, sigs *near.Index) {
	if _, dup := st.byID[a.ID]; dup {
		return
	}
	if len(a.Stories) == 0 {
		a.Stories = []string{DefaultStory}
	}
	i := len(st.arts)
	st.arts = append(st.arts, a)
	st.byID[a.ID] = i
	if a.URL != "" {
		st.urls[a.URL] = i
	}
	for _, c := range a.Copies {
		st.copyURLs[c.URL] = i // stored too: not fetched again
	}
	for _, s := range a.Stories {
		st.members[s] = append(st.members[s], i)
	}
	st.lastSeq = max(st.lastSeq, a.Seq)
	sigs.Add(a.ID, near.Sign(a.Text))
}

// Corpus returns the corpus of a story (DefaultStory when story is "").
func (l *Library) Corpus(ctx context.Context, story string) (*briefs.Corpus, error) {
	if story == "" {
		story = DefaultStory
	}
	st := l.state.Load()
	if _, ok := st.story(story); !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownStory, story)
	}
	idx := st.members[story]
	if len(idx) == 0 {
		return nil, fmt.Errorf("%w: %q", ErrEmptyStory, story)
	}
	l.usedMu.Lock()
	l.used[story] = true
	l.usedMu.Unlock()
	st.mu.Lock()
	sc := st.corpora[story]
	if sc == nil {
		sc = &storyCorpus{}
	}
	if sc.ids == nil {
		sc.ids = make([]string, len(idx))
		for k, i := range idx {
			sc.ids[k] = st.arts[i].ID
		}
	}
	st.corpora[story] = sc
	st.mu.Unlock()
	sc.once.Do(func() {
		var c *briefs.Corpus
		if c, sc.err = st.build(sc); sc.err == nil {
			sc.built.Store(&builtCorpus{ids: sc.ids, c: c})
		}
		sc.prev.Store(nil) // let the older corpus go
	})
	if b := sc.built.Load(); b != nil {
		return b.c, nil
	}
	return nil, sc.err
}

// build makes a story's corpus: With on the previous corpus when the story
// only gained articles, New otherwise.
func (st *libState) build(sc *storyCorpus) (*briefs.Corpus, error) {
	arts := make([]briefs.Article, len(sc.ids))
	for k, id := range sc.ids {
		arts[k] = st.arts[st.byID[id]].Article
	}
	for p := sc.prev.Load(); p != nil; p = p.prev.Load() {
		b := p.built.Load()
		if b == nil {
			continue // never built: look further back
		}
		if len(b.ids) <= len(sc.ids) && slices.Equal(b.ids, sc.ids[:len(b.ids)]) && sameText(b.c, arts) {
			return b.c.With(arts[len(b.ids):])
		}
		break
	}
	c, err := briefs.New(arts)
	if err != nil {
		return nil, fmt.Errorf("library: %w", err)
	}
	return c, nil
}

// sameText reports whether c's articles are the first of arts, unchanged:
// a stored article re-added under its id with other text must not keep
// the old text.
func sameText(c *briefs.Corpus, arts []briefs.Article) bool {
	old := c.Articles()
	for i, a := range old {
		if a.Text != arts[i].Text {
			return false
		}
	}
	return true
}

// story finds a story by id.
func (st *libState) story(id string) (Story, bool) {
	for _, s := range st.stories {
		if s.ID == id {
			return s, true
		}
	}
	return Story{}, false
}

// Stories lists the stories, default first, with their article counts.
func (l *Library) Stories() []StoryInfo {
	st := l.state.Load()
	out := make([]StoryInfo, len(st.stories))
	for i, s := range st.stories {
		out[i] = StoryInfo{Story: s, Articles: len(st.members[s.ID])}
	}
	return out
}

// Story returns a story's record.
func (l *Library) Story(id string) (Story, bool) { return l.state.Load().story(id) }

// onlyDefault reports whether the default story is the only one, so that
// every channel follows it whatever the store says.
func (l *Library) onlyDefault() bool { return len(l.state.Load().stories) == 1 }

// Articles lists a story's articles with where they came from and their
// copies ("" lists every article, base and stored).
func (l *Library) Articles(story string) []StoredArticle {
	st := l.state.Load()
	if story == "" {
		return slices.Clone(st.arts)
	}
	out := make([]StoredArticle, 0, len(st.members[story]))
	for _, i := range st.members[story] {
		out = append(out, st.arts[i])
	}
	return out
}

// Article returns an article by id, base or stored.
func (l *Library) Article(id string) (StoredArticle, bool) {
	st := l.state.Load()
	i, ok := st.byID[id]
	if !ok {
		return StoredArticle{}, false
	}
	return st.arts[i], true
}

// IsBase reports whether id is one of the base articles, which are not
// stored and cannot be removed.
func (l *Library) IsBase(id string) bool { return l.baseIDs[id] }

// Matching lists the stories whose match rule an article meets (its title
// and text), by id.
func (l *Library) Matching(a briefs.Article) []string {
	st := l.state.Load()
	var out []string
	for _, s := range st.stories {
		if re := st.match[s.ID]; re != nil && (re.MatchString(a.Title) || re.MatchString(a.Text)) {
			out = append(out, s.ID)
		}
	}
	return out
}

// HasStore reports whether the library keeps stories and feeds in a store
// (not a --corpus folder, which bypasses them).
func (l *Library) HasStore() bool { return l.cfg.Store != nil && !l.cfg.Flat }

// Version is the library's store revision: it moves whenever an article,
// copy or story changes.
func (l *Library) Version() int64 { return l.state.Load().rev.N }

// storyList is "a, b and c" of story ids, for replies.
func storyList(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = "`" + id + "`"
	}
	switch len(q) {
	case 0:
		return ""
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}
