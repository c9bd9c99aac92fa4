package bottest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/internal/sqlstore"
)

// Feeds and their item ledgers, in memory.

func (s *Store) PutFeed(ctx context.Context, f bot.Feed) (bot.Feed, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return bot.Feed{}, s.Err
	}
	if err := sqlstore.CheckFeed(f); err != nil {
		return bot.Feed{}, fmt.Errorf("bottest: put feed: %w", err)
	}
	if f.Story != "" && f.Story != bot.DefaultStory {
		if _, ok := s.stories[f.Story]; !ok {
			return bot.Feed{}, sqlstore.UnknownStory(f.Story)
		}
	}
	for id, old := range s.feeds {
		if old.URL == f.URL {
			old.Story, old.Match = f.Story, f.Match
			s.feeds[id] = old
			return old, nil
		}
	}
	if f.CreatedAt.IsZero() {
		f.CreatedAt = s.now()
	}
	s.nextFeedID++
	f.ID, f.CreatedAt = s.nextFeedID, utcSecond(f.CreatedAt)
	if !f.NextPoll.IsZero() {
		f.NextPoll = utcMilli(f.NextPoll)
	}
	s.feeds[f.ID] = f
	s.items[f.ID] = map[string]bot.FeedEntry{}
	return f, nil
}

func (s *Store) Feed(ctx context.Context, id int64) (bot.Feed, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return bot.Feed{}, s.Err
	}
	f, ok := s.feeds[id]
	if !ok {
		return bot.Feed{}, sqlstore.UnknownFeed(id)
	}
	return f, nil
}

func (s *Store) Feeds(ctx context.Context) ([]bot.Feed, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return nil, s.Err
	}
	var out []bot.Feed
	for _, f := range s.feeds {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (s *Store) DeleteFeed(ctx context.Context, id int64) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return false, s.Err
	}
	_, ok := s.feeds[id]
	delete(s.feeds, id)
	delete(s.items, id)
	return ok, nil
}

func (s *Store) UpdateFeedState(ctx context.Context, f bot.Feed) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	old, ok := s.feeds[f.ID]
	if !ok {
		return sqlstore.UnknownFeed(f.ID)
	}
	old.ETag, old.LastModified, old.Failures, old.LastError = f.ETag, f.LastModified, f.Failures, f.LastError
	old.NextPoll = time.Time{}
	if !f.NextPoll.IsZero() {
		old.NextPoll = utcMilli(f.NextPoll)
	}
	s.feeds[f.ID] = old
	return nil
}

func (s *Store) ClaimFeedPoll(ctx context.Context, feedID int64, now, next time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return false, s.Err
	}
	if err := sqlstore.CheckFeedPoll(now, next); err != nil {
		return false, fmt.Errorf("bottest: claim feed poll: %w", err)
	}
	f, ok := s.feeds[feedID]
	if !ok {
		return false, sqlstore.UnknownFeed(feedID)
	}
	if f.NextPoll.After(utcMilli(now)) {
		return false, nil
	}
	f.NextPoll = utcMilli(next)
	s.feeds[feedID] = f
	return true, nil
}

func (s *Store) ClaimFeedItem(ctx context.Context, feedID int64, key, owner string, lease time.Duration) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return false, s.Err
	}
	if err := errors.Join(sqlstore.CheckClaim(owner, lease), sqlstore.CheckFeedItemKeys(key)); err != nil {
		return false, fmt.Errorf("bottest: claim feed item: %w", err)
	}
	items, ok := s.items[feedID]
	if !ok {
		return false, sqlstore.UnknownFeed(feedID)
	}
	now := s.now()
	it, ok := items[key]
	switch {
	case !ok:
		it = bot.FeedEntry{FeedID: feedID, Key: key, State: bot.FeedItemClaimed}
	case it.State != bot.FeedItemClaimed || it.LeaseUntil.After(now):
		return false, nil
	}
	it.Owner, it.LeaseUntil, it.UpdatedAt = owner, utcMilli(now.Add(lease)), utcSecond(now)
	it.Attempts++
	items[key] = it
	return true, nil
}

func (s *Store) FinishFeedItem(ctx context.Context, feedID int64, key, owner string, state bot.FeedItemState, articleID, errMsg string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	if err := sqlstore.CheckFeedItemFinish(state); err != nil {
		return fmt.Errorf("bottest: finish feed item: %w", err)
	}
	it, ok := s.items[feedID][key]
	if !ok || it.State != bot.FeedItemClaimed || it.Owner != owner {
		return sqlstore.LostFeedItem(feedID, key, owner)
	}
	it.State, it.ArticleID, it.Error, it.UpdatedAt = state, articleID, errMsg, utcSecond(s.now())
	s.items[feedID][key] = it
	return nil
}

func (s *Store) MarkFeedItems(ctx context.Context, feedID int64, keys []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	if err := sqlstore.CheckFeedItemKeys(keys...); err != nil {
		return fmt.Errorf("bottest: mark feed items: %w", err)
	}
	items, ok := s.items[feedID]
	if !ok {
		return sqlstore.UnknownFeed(feedID)
	}
	now := utcSecond(s.now())
	for _, k := range keys {
		if _, ok := items[k]; !ok {
			items[k] = bot.FeedEntry{FeedID: feedID, Key: k, State: bot.FeedItemSkipped, UpdatedAt: now}
		}
	}
	return nil
}

func (s *Store) FeedItem(ctx context.Context, feedID int64, key string) (bot.FeedEntry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return bot.FeedEntry{}, s.Err
	}
	it, ok := s.items[feedID][key]
	if !ok {
		return bot.FeedEntry{}, fmt.Errorf("bottest: feed item %d/%q: %w", feedID, key, bot.ErrNotFound)
	}
	return it, nil
}
