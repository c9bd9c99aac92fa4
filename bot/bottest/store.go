// Package bottest holds test doubles of the bot package: an in-memory Store
// for tests that do not need SQLite, and a fixed Clock. Use from tests only.
package bottest

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
)

var _ bot.Store = (*Store)(nil)

// Store is an in-memory bot.Store. Its zero value is not ready: use NewStore.
// Err, when set, is returned by every call (to test failure paths).
type Store struct {
	mu       sync.Mutex
	nextID   int64
	subs     map[bot.Scope]bot.Subscription
	convs    map[string][]bot.Turn
	seen     map[string]bool
	ledger   map[int64][]bot.Delivery
	installs map[string]bot.Install
	corpus
	outbox
	now func() time.Time

	Err error
}

// NewStore returns an empty store whose leases are judged by now
// (time.Now when nil).
func NewStore(now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{
		subs:     map[bot.Scope]bot.Subscription{},
		convs:    map[string][]bot.Turn{},
		seen:     map[string]bool{},
		ledger:   map[int64][]bot.Delivery{},
		installs: map[string]bot.Install{},
		corpus:   newCorpus(),
		now:      now,
	}
}

func (s *Store) PutSubscription(ctx context.Context, sub bot.Subscription) (bot.Subscription, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return bot.Subscription{}, s.Err
	}
	if sub.Platform == "" || sub.Team == "" || sub.Channel == "" {
		return bot.Subscription{}, fmt.Errorf("bottest: subscription scope %+v lacks platform, team or channel", sub.Scope)
	}
	if sub.CreatedAt.IsZero() {
		sub.CreatedAt = s.now()
	}
	sub.CreatedAt = utcSecond(sub.CreatedAt)
	if old, ok := s.subs[sub.Scope]; ok {
		sub.ID = old.ID
	} else {
		s.nextID++
		sub.ID = s.nextID
	}
	s.subs[sub.Scope] = sub
	return sub, nil
}

func (s *Store) DeleteSubscription(ctx context.Context, sc bot.Scope) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return false, s.Err
	}
	sub, ok := s.subs[sc]
	delete(s.subs, sc)
	delete(s.ledger, sub.ID)
	return ok, nil
}

func (s *Store) Subscription(ctx context.Context, sc bot.Scope) (bot.Subscription, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return bot.Subscription{}, s.Err
	}
	sub, ok := s.subs[sc]
	if !ok {
		return bot.Subscription{}, bot.ErrNotFound
	}
	return sub, nil
}

func (s *Store) Subscriptions(ctx context.Context) ([]bot.Subscription, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return nil, s.Err
	}
	out := make([]bot.Subscription, 0, len(s.subs))
	for _, sub := range s.subs {
		out = append(out, sub)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (s *Store) Conversation(ctx context.Context, key string) ([]bot.Turn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return nil, s.Err
	}
	return append([]bot.Turn(nil), s.convs[key]...), nil
}

func (s *Store) AppendTurn(ctx context.Context, key string, t bot.Turn) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	turns := append(s.convs[key], t)
	if len(turns) > bot.MaxTurns {
		turns = append([]bot.Turn(nil), turns[len(turns)-bot.MaxTurns:]...)
	}
	s.convs[key] = turns
	return nil
}

// Conversations returns the stored conversation keys, sorted.
func (s *Store) Conversations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := make([]string, 0, len(s.convs))
	for k := range s.convs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (s *Store) FirstSeen(ctx context.Context, platform, eventID string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return false, s.Err
	}
	k := platform + "\x00" + eventID
	if s.seen[k] {
		return false, nil
	}
	s.seen[k] = true
	return true, nil
}

func (s *Store) find(subID int64, slot time.Time) int {
	for i, d := range s.ledger[subID] {
		if d.Slot.Equal(slot) {
			return i
		}
	}
	return -1
}

// utcSecond and utcMilli are the precisions the real stores keep.
func utcSecond(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }
func utcMilli(t time.Time) time.Time  { return t.UTC().Truncate(time.Millisecond) }

func (s *Store) hasSub(id int64) bool {
	for _, sub := range s.subs {
		if sub.ID == id {
			return true
		}
	}
	return false
}

func (s *Store) ClaimSlot(ctx context.Context, subID int64, slot time.Time, owner string, lease time.Duration) (bot.Delivery, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return bot.Delivery{}, false, s.Err
	}
	if owner == "" || lease <= 0 {
		return bot.Delivery{}, false, fmt.Errorf("bottest: claim needs an owner and a positive lease (got %q, %s)", owner, lease)
	}
	if !s.hasSub(subID) {
		return bot.Delivery{}, false, bot.ErrNotFound
	}
	now := s.now()
	slot = utcSecond(slot)
	i := s.find(subID, slot)
	if i < 0 {
		d := bot.Delivery{SubscriptionID: subID, Slot: slot, State: bot.StateClaimed, Owner: owner, LeaseUntil: utcMilli(now.Add(lease)), Attempts: 1, UpdatedAt: utcSecond(now)}
		s.ledger[subID] = append(s.ledger[subID], d)
		return d, true, nil
	}
	d := s.ledger[subID][i]
	if d.State != bot.StateClaimed || d.LeaseUntil.After(now) {
		return d, false, nil
	}
	d.Owner, d.LeaseUntil, d.UpdatedAt = owner, utcMilli(now.Add(lease)), utcSecond(now)
	d.Attempts++
	s.ledger[subID][i] = d
	return d, true, nil
}

func (s *Store) FinishSlot(ctx context.Context, d bot.Delivery) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	if d.State != bot.StatePosted && d.State != bot.StateFailed && d.State != bot.StateSkipped {
		return fmt.Errorf("bottest: finish slot with state %q, want posted, failed or skipped", d.State)
	}
	i := s.find(d.SubscriptionID, utcSecond(d.Slot))
	if i < 0 {
		return bot.ErrClaimLost
	}
	cur := s.ledger[d.SubscriptionID][i]
	if cur.State != bot.StateClaimed || cur.Owner != d.Owner {
		return bot.ErrClaimLost
	}
	cur.State, cur.MessageID, cur.Error, cur.Late, cur.CorpusVersion = d.State, d.MessageID, d.Error, d.Late, d.CorpusVersion
	cur.UpdatedAt = utcSecond(s.now())
	s.ledger[d.SubscriptionID][i] = cur
	return nil
}

func (s *Store) SkipSlot(ctx context.Context, subID int64, slot time.Time, reason string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	if !s.hasSub(subID) {
		return bot.ErrNotFound
	}
	now := s.now()
	slot = utcSecond(slot)
	d := bot.Delivery{SubscriptionID: subID, Slot: slot, State: bot.StateSkipped, Error: reason, UpdatedAt: utcSecond(now)}
	if i := s.find(subID, slot); i >= 0 {
		cur := s.ledger[subID][i]
		if cur.State != bot.StateClaimed || cur.LeaseUntil.After(now) {
			return nil
		}
		d.Attempts = cur.Attempts
		s.ledger[subID][i] = d
		return nil
	}
	s.ledger[subID] = append(s.ledger[subID], d)
	return nil
}

// newest returns the newest row of subID matching keep.
func (s *Store) newest(subID int64, keep func(bot.Delivery) bool) (bot.Delivery, error) {
	var best *bot.Delivery
	for i, d := range s.ledger[subID] {
		if keep(d) && (best == nil || d.Slot.After(best.Slot)) {
			best = &s.ledger[subID][i]
		}
	}
	if best == nil {
		return bot.Delivery{}, bot.ErrNotFound
	}
	return *best, nil
}

func (s *Store) ExpiredClaims(ctx context.Context, subID int64, limit int) ([]bot.Delivery, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return nil, s.Err
	}
	now := s.now()
	var out []bot.Delivery
	for _, d := range s.ledger[subID] {
		if d.State == bot.StateClaimed && !d.LeaseUntil.After(now) {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Slot.Before(out[j].Slot) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (s *Store) LastDelivery(ctx context.Context, subID int64) (bot.Delivery, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return bot.Delivery{}, s.Err
	}
	return s.newest(subID, func(bot.Delivery) bool { return true })
}

func (s *Store) LastPosted(ctx context.Context, subID int64) (bot.Delivery, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return bot.Delivery{}, s.Err
	}
	return s.newest(subID, func(d bot.Delivery) bool { return d.State == bot.StatePosted })
}

func (s *Store) ReleaseClaims(ctx context.Context, owner string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	now := s.now()
	for id, rows := range s.ledger {
		kept := rows[:0]
		for _, d := range rows {
			if d.State == bot.StateClaimed && d.Owner == owner && d.LeaseUntil.After(now) {
				if d.Attempts <= 1 {
					continue // a released first claim leaves no trace
				}
				// A released takeover keeps the earlier attempts: the
				// next claim counts as the same attempt again.
				d.Attempts--
				d.Owner, d.LeaseUntil = "", utcMilli(now.Add(-time.Millisecond))
			}
			kept = append(kept, d)
		}
		s.ledger[id] = kept
	}
	return nil
}

func (s *Store) Deliveries(ctx context.Context, subID int64, limit int) ([]bot.Delivery, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return nil, s.Err
	}
	out := append([]bot.Delivery(nil), s.ledger[subID]...)
	sort.Slice(out, func(i, j int) bool { return out[i].Slot.After(out[j].Slot) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// PutDelivery adds or replaces a ledger row directly, to set up a test.
func (s *Store) PutDelivery(d bot.Delivery) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := s.find(d.SubscriptionID, d.Slot); i >= 0 {
		s.ledger[d.SubscriptionID][i] = d
		return
	}
	s.ledger[d.SubscriptionID] = append(s.ledger[d.SubscriptionID], d)
}

func (s *Store) PutInstall(ctx context.Context, in bot.Install) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	if in.InstalledAt.IsZero() {
		in.InstalledAt = s.now()
	}
	in.InstalledAt = utcSecond(in.InstalledAt)
	s.installs[in.Platform+"\x00"+in.Team] = in
	return nil
}

func (s *Store) Install(ctx context.Context, platform, team string) (bot.Install, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return bot.Install{}, s.Err
	}
	in, ok := s.installs[platform+"\x00"+team]
	if !ok {
		return bot.Install{}, bot.ErrNotFound
	}
	return in, nil
}

func (s *Store) Ping(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Err
}

// Heartbeat fails with Err, like every call: memory keeps what it is given.
func (s *Store) Heartbeat(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Err
}

func (s *Store) Close() error { return nil }

// SetErr makes every later call fail with err (nil restores).
func (s *Store) SetErr(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Err = err
}

// Clock is a settable clock.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock reading t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Add moves the clock on by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
