package bot_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// slowPoster takes d (real time) to post: a platform that is slow to answer
// or a long digest split into many rate-limited messages.
type slowPoster struct {
	bot.Poster
	d time.Duration
}

func (p slowPoster) Post(ctx context.Context, sc bot.Scope, r bot.Reply, key string) (string, error) {
	time.Sleep(p.d)
	return p.Poster.Post(ctx, sc, r, key)
}

// A post that takes longer than the record deadline but succeeds is still
// recorded: the deadline starts when the post returns, not at the claim.
func TestSchedulerSlowPostIsRecorded(t *testing.T) {
	eachLedgerStore(t, func(t *testing.T, st bot.Store) {
		sub := addSub(t, st, digestScope(1), "daily 09:00", digestDay1, false)
		p := fakeFinder{newFakePlatform()}
		s := newTestScheduler(st, bot.New(bot.Config{Corpus: schedCorpus(t)}), slowPoster{p, 300 * time.Millisecond}, "r1", time.Minute)
		s.SetRecordTimeout(50 * time.Millisecond)
		got, err := s.RunOnce(context.Background(), digestDay1.Add(9*time.Hour))
		if err != nil {
			t.Fatalf("RunOnce: %v", err)
		}
		if want := (bot.PassSummary{Due: 1, Posted: 1}); got != want {
			t.Errorf("pass = %v, want %v", got, want)
		}
		d, err := st.LastDelivery(context.Background(), sub.ID)
		if err != nil || d.State != bot.StatePosted || d.MessageID != "m1" {
			t.Errorf("ledger = %+v, %v; want posted as m1", d, err)
		}
	})
}

// With "@every 1m" and a lease longer than the interval, a dead owner's
// claim is overtaken by newer slots before it expires. It must still be
// resolved once it expires: posted when the platform has the post, skipped
// when it has not. Never left claimed, never posted twice.
func TestSchedulerResolvesOvertakenClaims(t *testing.T) {
	eachLedgerStore(t, func(t *testing.T, st bot.Store) {
		ctx := context.Background()
		const deadLease = 2 * time.Second
		posted := addSub(t, st, digestScope(1), "@every 1m", digestDay1, false) // the dead owner posted
		silent := addSub(t, st, digestScope(2), "@every 1m", digestDay1, false) // it died before posting
		b := bot.New(bot.Config{Corpus: schedCorpus(t)})
		p := fakeFinder{newFakePlatform()}
		t1 := digestDay1.Add(time.Minute)
		if _, ok, err := st.ClaimSlot(ctx, silent.ID, t1, "dies", deadLease); err != nil || !ok {
			t.Fatalf("claim of the silent slot = %v, %v", ok, err)
		}
		newTestScheduler(dyingStore{st}, b, p, "dies", deadLease).RunOnce(ctx, t1)

		live := newTestScheduler(st, b, p, "survivor", time.Minute)
		if _, err := live.RunOnce(ctx, t1.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		for _, sub := range []bot.Subscription{posted, silent} {
			ds, _ := st.Deliveries(ctx, sub.ID, 0)
			if len(ds) != 2 || ds[1].State != bot.StateClaimed || ds[1].Owner != "dies" || time.Until(ds[1].LeaseUntil) <= 0 {
				t.Fatalf("sub %d: ledger %+v; want the 1-minute slot still claimed by the dead owner (a slow machine?)", sub.ID, ds)
			}
		}
		time.Sleep(deadLease + 100*time.Millisecond)

		got, err := live.RunOnce(ctx, t1.Add(2*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if want := (bot.PassSummary{Due: 4, Posted: 3, Skipped: 1}); got != want {
			t.Errorf("pass after the lease = %v, want %v", got, want)
		}
		tests := []struct {
			sub  bot.Subscription
			want string
		}{
			{posted, "posted m1"},
			{silent, "skipped"},
		}
		for _, tt := range tests {
			ds, _ := st.Deliveries(ctx, tt.sub.ID, 0)
			var rows []string
			for _, d := range ds {
				rows = append(rows, strings.TrimSpace(fmt.Sprintf("%s %s %s", d.Slot.Sub(digestDay1), d.State, d.MessageID)))
			}
			if len(ds) != 3 || !strings.HasPrefix(rows[2], "1m0s "+tt.want) || ds[0].State != bot.StatePosted || ds[1].State != bot.StatePosted {
				t.Errorf("sub %d ledger = %q, want 3m and 2m posted, 1m %s", tt.sub.ID, rows, tt.want)
			}
		}
		for k, ps := range p.byKey() {
			if len(ps) != 1 {
				t.Errorf("slot %s posted %d times, want once", k, len(ps))
			}
		}
	})
}

// ctxPoster waits for its context, as an HTTP call to a hung platform does.
type ctxPoster struct {
	started  chan struct{}
	returned atomic.Bool
	unblock  chan struct{}
}

func (p *ctxPoster) Post(ctx context.Context, sc bot.Scope, r bot.Reply, key string) (string, error) {
	p.started <- struct{}{}
	defer p.returned.Store(true)
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case <-p.unblock:
		return "", fmt.Errorf("test over")
	}
}

// Shutdown: Run stops taking slots, cancels posts still going after Drain,
// and returns only once they have returned and their claims are settled, so
// the caller can close the store. A cancelled post may have gone out: its
// claim is left to expire (the takeover asks the platform), not released.
func TestSchedulerRunCancelsPostsAfterDrain(t *testing.T) {
	st := ledgerStores["sqlite"](t)
	now := time.Now().UTC()
	sub := addSub(t, st, digestScope(1), "daily 09:00", now.Add(-48*time.Hour), false)
	p := &ctxPoster{started: make(chan struct{}, 1), unblock: make(chan struct{})}
	s := bot.NewScheduler(bot.SchedulerConfig{Store: st, Bot: bot.New(bot.Config{Corpus: schedCorpus(t)}),
		Posters: map[string]bot.Poster{bot.PlatformSlack: p}, Catchup: 48 * time.Hour, Owner: "r1",
		Lease: time.Hour, Drain: 50 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() { close(p.unblock); <-done })
	<-p.started
	cancel()
	select {
	case err := <-done:
		done <- err // for the cleanup
		if err != nil {
			t.Fatalf("Run = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run still running 10 s after its context ended: the post in flight was not cancelled after Drain")
	}
	if !p.returned.Load() {
		t.Error("Run returned before the post in flight did")
	}
	d, err := st.LastDelivery(context.Background(), sub.ID)
	if err != nil || d.State != bot.StateClaimed || d.Owner != "r1" {
		t.Errorf("ledger = %+v, %v; want the cancelled post's claim left to expire", d, err)
	}
}

// A takeover that finds the dead owner's post cannot know what that post
// covered. The next digest must not take it for the current corpus: what
// the story gained since the previous digest is still reported as new.
func TestSchedulerFoundPostCoverage(t *testing.T) {
	eachLedgerStore(t, func(t *testing.T, st bot.Store) {
		ctx := context.Background()
		arts, err := briefs.EmbeddedArticles()
		if err != nil {
			t.Fatal(err)
		}
		one, err := briefs.New(arts[:1])
		if err != nil {
			t.Fatal(err)
		}
		two, err := briefs.New(arts)
		if err != nil {
			t.Fatal(err)
		}
		sub := addSub(t, st, digestScope(1), "daily 09:00", digestDay1, true)
		p := fakeFinder{newFakePlatform()}
		const lease = 300 * time.Millisecond
		day := func(n int) time.Time { return digestDay1.Add(time.Duration(n)*24*time.Hour + 9*time.Hour) }
		if _, err := newTestScheduler(st, bot.New(bot.Config{Corpus: one}), p, "r1", lease).RunOnce(ctx, day(0)); err != nil {
			t.Fatal(err)
		}
		// Day 1: posted from the one-article corpus, then the owner dies.
		newTestScheduler(dyingStore{st}, bot.New(bot.Config{Corpus: one}), p, "dies", lease).RunOnce(ctx, day(1))
		// The second article arrives; a survivor takes day 1 over and
		// finds its post.
		survivor := newTestScheduler(st, bot.New(bot.Config{Corpus: two}), p, "survivor", lease)
		waitLease(t, st, sub.ID, lease)
		if sum, err := survivor.RunOnce(ctx, day(1).Add(time.Minute)); err != nil || sum.Posted != 1 {
			t.Fatalf("takeover = %v, %v; want posted=1 (found)", sum, err)
		}
		if n := len(p.all()); n != 2 {
			t.Fatalf("platform has %d posts, want 2", n)
		}
		if _, err := survivor.RunOnce(ctx, day(2)); err != nil {
			t.Fatal(err)
		}
		posts := p.all()
		got := digestText(posts[len(posts)-1].Reply)
		if strings.Contains(got, "Nothing new") || !strings.Contains(got, arts[1].Title) {
			t.Errorf("day 2 digest after the found post:\n%s\nwant the second article as new", got)
		}
	})
}
