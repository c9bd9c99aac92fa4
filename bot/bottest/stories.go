package bottest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/internal/sqlstore"
)

// corpus is the in-memory stored corpus, channel stories and feeds. The
// argument checks are the real stores' (internal/sqlstore), so a call this
// double accepts is one they accept.
type corpus struct {
	articles   []bot.StoredArticle // in seq order
	stories    map[string]bot.Story
	follows    map[bot.Scope]string
	feeds      map[int64]bot.Feed
	nextFeedID int64
	items      map[int64]map[string]bot.FeedEntry
	rev        bot.Revision
}

func newCorpus() corpus {
	return corpus{
		stories: map[string]bot.Story{},
		follows: map[bot.Scope]string{},
		feeds:   map[int64]bot.Feed{},
		items:   map[int64]map[string]bot.FeedEntry{},
	}
}

// bump records a change on the revision, as the real stores' Bump does.
func (c *corpus) bump(ch sqlstore.Change) {
	switch ch {
	case sqlstore.Added:
		c.rev.N++
	case sqlstore.Rewrote:
		c.rev.N++
		c.rev.Rewritten = c.rev.N
	}
}

// clone copies an article so that callers cannot change the store's.
func clone(a bot.StoredArticle) bot.StoredArticle {
	a.Stories = slices.Clone(a.Stories)
	a.Copies = slices.Clone(a.Copies)
	return a
}

func (c *corpus) article(id string) int {
	return slices.IndexFunc(c.articles, func(a bot.StoredArticle) bool { return a.ID == id })
}

// duplicateOf is the index of the article a would duplicate: by id, URL,
// copy URL, then text, as the real stores check.
func (c *corpus) duplicateOf(a bot.StoredArticle) int {
	tests := []func(o bot.StoredArticle) bool{
		func(o bot.StoredArticle) bool { return o.ID == a.ID },
		func(o bot.StoredArticle) bool { return a.URL != "" && o.URL == a.URL },
		func(o bot.StoredArticle) bool {
			return slices.ContainsFunc(o.Copies, func(cp bot.Copy) bool { return cp.URL == a.URL })
		},
		func(o bot.StoredArticle) bool { return o.Text == a.Text },
	}
	for _, test := range tests {
		if i := slices.IndexFunc(c.articles, test); i >= 0 {
			return i
		}
	}
	return -1
}

func (s *Store) AddArticle(ctx context.Context, in bot.StoredArticle) (bot.StoredArticle, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return bot.StoredArticle{}, false, s.Err
	}
	a, err := sqlstore.CheckArticle(in)
	if err != nil {
		return bot.StoredArticle{}, false, fmt.Errorf("bottest: add article: %w", err)
	}
	if i := s.duplicateOf(a); i >= 0 {
		return clone(s.articles[i]), false, nil
	}
	for _, st := range a.Stories {
		if _, ok := s.stories[st]; !ok {
			return bot.StoredArticle{}, false, sqlstore.UnknownStory(st)
		}
	}
	now := utcSecond(s.now())
	a.Seq, a.AddedAt = s.rev.N+1, now // the N the addition takes, as the real stores do
	for i := range a.Copies {
		a.Copies[i].AddedAt = now
	}
	s.articles = append(s.articles, a)
	s.bump(sqlstore.Added)
	return clone(a), true, nil
}

func (s *Store) RemoveArticle(ctx context.Context, id string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return false, s.Err
	}
	i := s.article(id)
	if i < 0 {
		return false, nil
	}
	s.articles = slices.Delete(s.articles, i, i+1)
	s.bump(sqlstore.Rewrote)
	return true, nil
}

func (s *Store) AddCopy(ctx context.Context, articleID string, cp bot.Copy) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return false, s.Err
	}
	if err := sqlstore.CheckCopy(cp); err != nil {
		return false, fmt.Errorf("bottest: add copy: %w", err)
	}
	i := s.article(articleID)
	if i < 0 {
		return false, sqlstore.UnknownArticle(articleID)
	}
	a := &s.articles[i]
	if a.URL == cp.URL || slices.ContainsFunc(a.Copies, func(o bot.Copy) bool { return o.URL == cp.URL }) {
		return false, nil
	}
	a.Copies = append(a.Copies, bot.Copy{URL: cp.URL, Publication: cp.Publication, AddedAt: utcSecond(s.now())})
	s.bump(sqlstore.Rewrote)
	return true, nil
}

func (s *Store) Article(ctx context.Context, id string) (bot.StoredArticle, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return bot.StoredArticle{}, s.Err
	}
	i := s.article(id)
	if i < 0 {
		return bot.StoredArticle{}, sqlstore.UnknownArticle(id)
	}
	return clone(s.articles[i]), nil
}

func (s *Store) ArticleByURL(ctx context.Context, url string) (bot.StoredArticle, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return bot.StoredArticle{}, s.Err
	}
	if url != "" {
		if i := slices.IndexFunc(s.articles, func(a bot.StoredArticle) bool { return a.URL == url }); i >= 0 {
			return clone(s.articles[i]), nil
		}
		for _, a := range s.articles {
			if slices.ContainsFunc(a.Copies, func(cp bot.Copy) bool { return cp.URL == url }) {
				return clone(a), nil
			}
		}
	}
	return bot.StoredArticle{}, fmt.Errorf("bottest: article by url %q: %w", url, bot.ErrNotFound)
}

func (s *Store) Articles(ctx context.Context) ([]bot.StoredArticle, error) {
	return s.ArticlesAfter(ctx, 0)
}

func (s *Store) ArticlesAfter(ctx context.Context, seq int64) ([]bot.StoredArticle, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return nil, s.Err
	}
	var out []bot.StoredArticle
	for _, a := range s.articles {
		if a.Seq > seq {
			out = append(out, clone(a))
		}
	}
	return out, nil
}

func (s *Store) LinkArticle(ctx context.Context, articleID, storyID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	if err := sqlstore.CheckLink(articleID, storyID); err != nil {
		return fmt.Errorf("bottest: link article: %w", err)
	}
	i := s.article(articleID)
	if i < 0 {
		return sqlstore.UnknownArticle(articleID)
	}
	if _, ok := s.stories[storyID]; !ok {
		return sqlstore.UnknownStory(storyID)
	}
	a := &s.articles[i]
	if slices.Contains(a.Stories, storyID) {
		return nil
	}
	a.Stories = append(a.Stories, storyID)
	slices.Sort(a.Stories)
	s.bump(sqlstore.Rewrote)
	return nil
}

func (s *Store) PutStory(ctx context.Context, st bot.Story) (bot.Story, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return bot.Story{}, s.Err
	}
	if err := sqlstore.CheckStory(st); err != nil {
		return bot.Story{}, fmt.Errorf("bottest: put story: %w", err)
	}
	old, ok := s.stories[st.ID]
	switch {
	case !ok:
		if st.CreatedAt.IsZero() {
			st.CreatedAt = s.now()
		}
		st.CreatedAt = utcSecond(st.CreatedAt)
	case old.Title == st.Title && old.Match == st.Match:
		return old, nil
	default:
		st.CreatedAt = old.CreatedAt
	}
	s.stories[st.ID] = st
	s.bump(sqlstore.Rewrote)
	return st, nil
}

func (s *Store) Story(ctx context.Context, id string) (bot.Story, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return bot.Story{}, s.Err
	}
	st, ok := s.stories[id]
	if !ok {
		return bot.Story{}, sqlstore.UnknownStory(id)
	}
	return st, nil
}

func (s *Store) Stories(ctx context.Context) ([]bot.Story, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return nil, s.Err
	}
	var out []bot.Story
	for _, st := range s.stories {
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (s *Store) DeleteStory(ctx context.Context, id string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return false, s.Err
	}
	if _, ok := s.stories[id]; !ok {
		return false, nil
	}
	delete(s.stories, id)
	for i := range s.articles {
		s.articles[i].Stories = slices.DeleteFunc(s.articles[i].Stories, func(st string) bool { return st == id })
		if len(s.articles[i].Stories) == 0 {
			s.articles[i].Stories = nil
		}
	}
	for sc, st := range s.follows {
		if st == id {
			delete(s.follows, sc)
		}
	}
	if id != bot.DefaultStory {
		for fid, f := range s.feeds {
			if f.Story == id {
				f.Story = ""
				s.feeds[fid] = f
			}
		}
	}
	s.bump(sqlstore.Rewrote)
	return true, nil
}

func (s *Store) Revision(ctx context.Context) (bot.Revision, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return bot.Revision{}, s.Err
	}
	return s.rev, nil
}

func (s *Store) PutChannelStory(ctx context.Context, sc bot.Scope, story string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	if err := errors.Join(sqlstore.CheckScope(sc), bot.CheckStoryID(story)); err != nil {
		return fmt.Errorf("bottest: put channel story: %w", err)
	}
	if story == bot.DefaultStory {
		delete(s.follows, sc)
		return nil
	}
	if _, ok := s.stories[story]; !ok {
		return sqlstore.UnknownStory(story)
	}
	s.follows[sc] = story
	return nil
}

func (s *Store) ChannelStory(ctx context.Context, sc bot.Scope) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return "", s.Err
	}
	st, ok := s.follows[sc]
	if !ok {
		return "", bot.ErrNotFound
	}
	return st, nil
}
