package bottest

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/internal/sqlstore"
)

// outbox is the in-memory outbox, in enqueue order (which is CreatedAt
// order: the clock may stand still, never go back, in a test).
type outbox struct {
	events []bot.OutboxEvent
}

func (s *Store) EnqueueEvent(ctx context.Context, e bot.OutboxEvent) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return false, s.Err
	}
	if err := sqlstore.CheckOutboxEvent(e); err != nil {
		return false, fmt.Errorf("bottest: enqueue event: %w", err)
	}
	k := e.Platform + "\x00" + e.EventID
	if s.seen[k] {
		return false, nil
	}
	s.seen[k] = true
	s.outbox.events = append(s.outbox.events, bot.OutboxEvent{
		Platform: e.Platform, EventID: e.EventID, Payload: slices.Clone(e.Payload),
		State: bot.OutboxPending, CreatedAt: utcMilli(s.now()),
	})
	return true, nil
}

// open reports whether nobody is answering e at now.
func open(e bot.OutboxEvent, now time.Time) bool {
	return e.State == bot.OutboxPending || (e.State == bot.OutboxClaimed && !e.LeaseUntil.After(now))
}

func (s *Store) ClaimEvents(ctx context.Context, platform, owner string, lease time.Duration, limit int) ([]bot.OutboxEvent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return nil, s.Err
	}
	if err := sqlstore.CheckOutboxClaim(platform, owner, lease, limit); err != nil {
		return nil, fmt.Errorf("bottest: claim events: %w", err)
	}
	now := s.now()
	var out []bot.OutboxEvent
	for i := range s.outbox.events {
		e := &s.outbox.events[i]
		if len(out) == limit {
			break
		}
		if e.Platform != platform || !open(*e, now) {
			continue
		}
		e.State, e.Owner, e.LeaseUntil = bot.OutboxClaimed, owner, utcMilli(now.Add(lease))
		e.Attempts++
		c := *e
		c.Payload = slices.Clone(e.Payload)
		out = append(out, c)
	}
	return out, nil
}

// findEvent returns the index of the event, or -1.
func (s *Store) findEvent(platform, eventID string) int {
	return slices.IndexFunc(s.outbox.events, func(e bot.OutboxEvent) bool {
		return e.Platform == platform && e.EventID == eventID
	})
}

func (s *Store) FinishEvent(ctx context.Context, platform, eventID, owner string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	i := s.findEvent(platform, eventID)
	if i < 0 || s.outbox.events[i].State != bot.OutboxClaimed || s.outbox.events[i].Owner != owner {
		return fmt.Errorf("bottest: %w", sqlstore.LostEvent(platform, eventID, owner))
	}
	s.outbox.events[i].State = bot.OutboxDone
	return nil
}

func (s *Store) ReleaseEvents(ctx context.Context, platform, owner string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	for i := range s.outbox.events {
		e := &s.outbox.events[i]
		if e.Platform == platform && e.State == bot.OutboxClaimed && e.Owner == owner {
			e.State, e.Owner, e.LeaseUntil = bot.OutboxPending, "", time.Time{}
		}
	}
	return nil
}

func (s *Store) ExpireEvents(ctx context.Context, platform string, olderThan time.Duration) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return 0, s.Err
	}
	if err := sqlstore.CheckOutboxAge(olderThan); err != nil {
		return 0, fmt.Errorf("bottest: expire events: %w", err)
	}
	now := s.now()
	n := 0
	for i := range s.outbox.events {
		e := &s.outbox.events[i]
		if e.Platform == platform && open(*e, now) && e.CreatedAt.Before(utcMilli(now.Add(-olderThan))) {
			e.State, e.Owner = bot.OutboxExpired, ""
			n++
		}
	}
	return n, nil
}

func (s *Store) PendingCount(ctx context.Context, platform string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return 0, s.Err
	}
	n := 0
	for _, e := range s.outbox.events {
		if e.Platform == platform && (e.State == bot.OutboxPending || e.State == bot.OutboxClaimed) {
			n++
		}
	}
	return n, nil
}

// OutboxEvents returns every event of the outbox, done and expired ones
// included, in the order they were enqueued.
func (s *Store) OutboxEvents() []bot.OutboxEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]bot.OutboxEvent, len(s.outbox.events))
	for i, e := range s.outbox.events {
		e.Payload = slices.Clone(e.Payload)
		out[i] = e
	}
	return out
}
