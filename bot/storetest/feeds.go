package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
)

// Feeds, their polling state and their item ledgers.

func mustFeed(t *testing.T, s bot.Store, url string) bot.Feed {
	t.Helper()
	f, err := s.PutFeed(ctx(t), bot.Feed{URL: url})
	if err != nil || f.ID == 0 {
		t.Fatalf("PutFeed(%s) = %+v, %v", url, f, err)
	}
	return f
}

func mustItem(t *testing.T, s bot.Store, feedID int64, key string) bot.FeedEntry {
	t.Helper()
	it, err := s.FeedItem(ctx(t), feedID, key)
	if err != nil {
		t.Fatalf("FeedItem(%d, %s): %v", feedID, key, err)
	}
	return it
}

func mustClaimItem(t *testing.T, s bot.Store, feedID int64, key, owner string, lease time.Duration) {
	t.Helper()
	if ok, err := s.ClaimFeedItem(ctx(t), feedID, key, owner, lease); err != nil || !ok {
		t.Fatalf("ClaimFeedItem(%d, %s, %s) = %v, %v; want a claim", feedID, key, owner, ok, err)
	}
}

func testFeedRoundTrip(t *testing.T, s bot.Store) {
	mustStory(t, s, "budget", "")
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	next := time.Date(2026, 3, 1, 9, 0, 0, 123456789, time.UTC)
	in := bot.Feed{URL: "https://example.com/feed.xml", Story: "budget", Match: "council", ETag: `"v1"`,
		LastModified: "Sun, 01 Mar 2026 08:00:00 GMT", NextPoll: next, Failures: 1, LastError: "timeout", CreatedAt: created}
	got, err := s.PutFeed(ctx(t), in)
	if err != nil || got.ID == 0 {
		t.Fatalf("PutFeed = %+v, %v", got, err)
	}
	want := in
	want.ID, want.NextPoll = got.ID, next.Truncate(time.Millisecond)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("PutFeed returned\n %+v\nwant %+v", got, want)
	}
	if read, err := s.Feed(ctx(t), got.ID); err != nil || !reflect.DeepEqual(read, want) {
		t.Errorf("Feed = %+v, %v; want %+v", read, err, want)
	}
	// Adding the URL again changes its story and rule, nothing else.
	again, err := s.PutFeed(ctx(t), bot.Feed{URL: in.URL, ETag: "other", Failures: 0, CreatedAt: created.AddDate(1, 0, 0)})
	want.Story, want.Match = "", ""
	if err != nil || !reflect.DeepEqual(again, want) {
		t.Errorf("PutFeed again = %+v, %v; want %+v", again, err, want)
	}
	before := time.Now()
	other, err := s.PutFeed(ctx(t), bot.Feed{URL: "https://example.com/atom", Story: bot.DefaultStory})
	if err != nil {
		t.Fatal(err)
	}
	aboutNow(t, "CreatedAt", other.CreatedAt, before)
	if !other.NextPoll.IsZero() || other.ID == got.ID {
		t.Errorf("second feed %+v: want its own id and no next poll", other)
	}
	if all, err := s.Feeds(ctx(t)); err != nil || !reflect.DeepEqual(all, []bot.Feed{want, other}) {
		t.Errorf("Feeds = %+v, %v; want %+v (by id)", all, err, []bot.Feed{want, other})
	}
	if _, err := s.Feed(ctx(t), other.ID+1000); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("missing feed: %v, want ErrNotFound", err)
	}
}

func testFeedBadInput(t *testing.T, s bot.Store) {
	tests := []struct {
		name     string
		f        bot.Feed
		notFound bool
	}{
		{"no URL", bot.Feed{Story: "budget"}, false},
		{"story id not a slug", bot.Feed{URL: "https://example.com/f", Story: "Budget"}, false},
		{"unknown story", bot.Feed{URL: "https://example.com/f", Story: "budget"}, true},
		{"bad rule", bot.Feed{URL: "https://example.com/f", Match: "(council"}, false},
		{"negative failures", bot.Feed{URL: "https://example.com/f", Failures: -1}, false},
	}
	for _, tt := range tests {
		_, err := s.PutFeed(ctx(t), tt.f)
		if err == nil || errors.Is(err, bot.ErrNotFound) != tt.notFound {
			t.Errorf("%s: PutFeed = %v; want an error (ErrNotFound: %v)", tt.name, err, tt.notFound)
		}
	}
	if all, err := s.Feeds(ctx(t)); err != nil || len(all) != 0 {
		t.Errorf("Feeds = %+v, %v; want none stored", all, err)
	}
}

func testFeedState(t *testing.T, s bot.Store) {
	f := mustFeed(t, s, "https://example.com/feed.xml")
	st := f
	st.ETag, st.LastModified, st.NextPoll = `W/"abc"`, "Mon, 02 Nov 2026 09:00:00 GMT", t0.Add(15*time.Minute+500*time.Millisecond)
	st.Failures, st.LastError = 3, "HTTP 503"
	st.Story, st.Match, st.URL = "ignored", "ignored", "https://ignored.example/" // not state
	if err := s.UpdateFeedState(ctx(t), st); err != nil {
		t.Fatal(err)
	}
	want := f
	want.ETag, want.LastModified, want.NextPoll, want.Failures, want.LastError = st.ETag, st.LastModified, st.NextPoll, 3, "HTTP 503"
	if got, err := s.Feed(ctx(t), f.ID); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("after UpdateFeedState: %+v, %v; want %+v", got, err, want)
	}
	// A zero next poll is unset: due now.
	st.NextPoll = time.Time{}
	if err := s.UpdateFeedState(ctx(t), st); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Feed(ctx(t), f.ID); err != nil || !got.NextPoll.IsZero() {
		t.Errorf("NextPoll = %v, %v; want zero", got.NextPoll, err)
	}
	if err := s.UpdateFeedState(ctx(t), bot.Feed{ID: f.ID + 1000}); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("UpdateFeedState of a missing feed: %v, want ErrNotFound", err)
	}
}

func testClaimFeedPoll(t *testing.T, s bot.Store) {
	f := mustFeed(t, s, "https://example.com/feed.xml")
	m := time.Minute
	steps := []struct {
		name      string
		now, next time.Time
		want      bool
	}{
		{"a new feed is due", t0, t0.Add(15 * m), true},
		{"not yet due", t0.Add(14 * m), t0.Add(29 * m), false},
		{"due at its next poll", t0.Add(15 * m), t0.Add(30 * m), true},
		{"the clock went back", t0, t0.Add(15 * m), false},
		{"long overdue", t0.Add(24 * time.Hour), t0.Add(24*time.Hour + 15*m), true},
		{"to the millisecond", t0.Add(24*time.Hour + 15*m - time.Millisecond), t0.Add(25 * time.Hour), false},
	}
	nextPoll := time.Time{}
	for _, st := range steps {
		got, err := s.ClaimFeedPoll(ctx(t), f.ID, st.now, st.next)
		if err != nil || got != st.want {
			t.Errorf("%s: ClaimFeedPoll = %v, %v; want %v", st.name, got, err, st.want)
		}
		if got {
			nextPoll = st.next
		}
		if read, err := s.Feed(ctx(t), f.ID); err != nil || !read.NextPoll.Equal(nextPoll) {
			t.Errorf("%s: NextPoll = %v, %v; want %v", st.name, read.NextPoll, err, nextPoll)
		}
	}
	for _, bad := range []struct{ now, next time.Time }{
		{t0, t0},
		{t0, t0.Add(-time.Second)},
		{t0, t0.Add(500 * time.Microsecond)}, // the same millisecond
	} {
		if ok, err := s.ClaimFeedPoll(ctx(t), f.ID, bad.now, bad.next); err == nil || ok {
			t.Errorf("ClaimFeedPoll(now %v, next %v) = %v, %v; want an error", bad.now, bad.next, ok, err)
		}
	}
	if _, err := s.ClaimFeedPoll(ctx(t), f.ID+1000, t0, t0.Add(m)); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("ClaimFeedPoll of a missing feed: %v, want ErrNotFound", err)
	}
}

func testClaimFeedPollConcurrent(t *testing.T, s bot.Store) {
	for i := range 3 {
		f := mustFeed(t, s, fmt.Sprintf("https://example.com/feed-%d.xml", i))
		wins := race(t, 20, func(int) (bool, error) {
			return s.ClaimFeedPoll(ctx(t), f.ID, t0, t0.Add(15*time.Minute))
		})
		if wins != 1 {
			t.Errorf("feed %d: %d of 20 concurrent polls won, want 1", f.ID, wins)
		}
	}
}

func testClaimFeedItem(t *testing.T, s bot.Store) {
	f := mustFeed(t, s, "https://example.com/feed.xml")
	g := mustFeed(t, s, "https://example.com/other.xml")
	before := time.Now()
	mustClaimItem(t, s, f.ID, "guid-1", "r1", time.Hour)
	it := mustItem(t, s, f.ID, "guid-1")
	if it.FeedID != f.ID || it.Key != "guid-1" || it.State != bot.FeedItemClaimed || it.Owner != "r1" || it.Attempts != 1 {
		t.Errorf("claimed item = %+v", it)
	}
	if it.LeaseUntil.Before(before.Add(59*time.Minute)) || it.LeaseUntil.After(time.Now().Add(61*time.Minute)) || it.LeaseUntil.Location() != time.UTC {
		t.Errorf("LeaseUntil = %v, want about now+1h in UTC", it.LeaseUntil)
	}
	aboutNow(t, "UpdatedAt", it.UpdatedAt, before)
	for _, owner := range []string{"r2", "r1"} {
		if ok, err := s.ClaimFeedItem(ctx(t), f.ID, "guid-1", owner, time.Hour); err != nil || ok {
			t.Errorf("claim of a live claim by %s = %v, %v; want refused", owner, ok, err)
		}
	}
	// Keys are per feed.
	mustClaimItem(t, s, g.ID, "guid-1", "r2", time.Hour)
	// Every final state refuses a claim.
	for _, st := range []bot.FeedItemState{bot.FeedItemStored, bot.FeedItemSkipped, bot.FeedItemFailed} {
		key := "final-" + string(st)
		mustClaimItem(t, s, f.ID, key, "r1", time.Millisecond)
		if err := s.FinishFeedItem(ctx(t), f.ID, key, "r1", st, "a1", ""); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond) // the lease is over: only the state refuses
		if ok, err := s.ClaimFeedItem(ctx(t), f.ID, key, "r2", time.Hour); err != nil || ok {
			t.Errorf("claim of a %s item = %v, %v; want refused", st, ok, err)
		}
	}
	if _, err := s.ClaimFeedItem(ctx(t), g.ID+1000, "guid-1", "r1", time.Hour); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("claim in a missing feed: %v, want ErrNotFound", err)
	}
	for _, bad := range []struct {
		key, owner string
		lease      time.Duration
	}{{"k", "", time.Hour}, {"k", "r1", 0}, {"k", "r1", -time.Second}, {"", "r1", time.Hour}} {
		if ok, err := s.ClaimFeedItem(ctx(t), f.ID, bad.key, bad.owner, bad.lease); err == nil || ok {
			t.Errorf("ClaimFeedItem(%q, %q, %s) = %v, %v; want an error", bad.key, bad.owner, bad.lease, ok, err)
		}
	}
	if _, err := s.FeedItem(ctx(t), f.ID, "k"); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("a refused claim left a row: %v", err)
	}
}

func testClaimFeedItemConcurrent(t *testing.T, s bot.Store) {
	f := mustFeed(t, s, "https://example.com/feed.xml")
	for _, key := range []string{"guid-1", "guid-2", "https://example.com/item-3"} {
		var mu sync.Mutex
		var winners []string
		wins := race(t, 20, func(i int) (bool, error) {
			owner := fmt.Sprintf("replica-%d", i)
			ok, err := s.ClaimFeedItem(ctx(t), f.ID, key, owner, time.Hour)
			if ok {
				mu.Lock()
				winners = append(winners, owner)
				mu.Unlock()
			}
			return ok, err
		})
		if wins != 1 {
			t.Fatalf("%s: %d of 20 concurrent claims won, want 1", key, wins)
		}
		if it := mustItem(t, s, f.ID, key); it.Owner != winners[0] || it.Attempts != 1 {
			t.Errorf("%s: item %+v, want owned by the winner %s", key, it, winners[0])
		}
	}
}

func testClaimFeedItemExpired(t *testing.T, s bot.Store) {
	f := mustFeed(t, s, "https://example.com/feed.xml")
	mustClaimItem(t, s, f.ID, "guid-1", "dead", time.Millisecond)
	time.Sleep(20 * time.Millisecond)
	mustClaimItem(t, s, f.ID, "guid-1", "r2", time.Hour)
	if it := mustItem(t, s, f.ID, "guid-1"); it.Owner != "r2" || it.Attempts != 2 || it.State != bot.FeedItemClaimed {
		t.Errorf("taken-over item = %+v, want r2's second attempt", it)
	}
	if err := s.FinishFeedItem(ctx(t), f.ID, "guid-1", "dead", bot.FeedItemStored, "a1", ""); !errors.Is(err, bot.ErrClaimLost) {
		t.Errorf("finish by the replaced owner: %v, want ErrClaimLost", err)
	}
	if err := s.FinishFeedItem(ctx(t), f.ID, "guid-1", "r2", bot.FeedItemStored, "a1", ""); err != nil {
		t.Errorf("finish by the new owner: %v", err)
	}
	// An expired claim nobody took over is still its owner's to finish.
	mustClaimItem(t, s, f.ID, "guid-2", "r1", time.Millisecond)
	time.Sleep(20 * time.Millisecond)
	if err := s.FinishFeedItem(ctx(t), f.ID, "guid-2", "r1", bot.FeedItemSkipped, "", ""); err != nil {
		t.Errorf("finishing an expired, untaken claim: %v", err)
	}
	// Of replicas racing to take over one expired claim, one wins.
	mustClaimItem(t, s, f.ID, "guid-3", "dead", time.Millisecond)
	time.Sleep(20 * time.Millisecond)
	wins := race(t, 20, func(i int) (bool, error) {
		return s.ClaimFeedItem(ctx(t), f.ID, "guid-3", fmt.Sprintf("replica-%d", i), time.Hour)
	})
	if it := mustItem(t, s, f.ID, "guid-3"); wins != 1 || it.Attempts != 2 {
		t.Errorf("%d of 20 took the expired claim over (item %+v), want 1 and attempts 2", wins, it)
	}
}

func testFinishFeedItem(t *testing.T, s bot.Store) {
	f := mustFeed(t, s, "https://example.com/feed.xml")
	mustClaimItem(t, s, f.ID, "guid-1", "r1", time.Hour)
	lost := []struct {
		name       string
		feedID     int64
		key, owner string
	}{
		{"other owner", f.ID, "guid-1", "r2"},
		{"other key", f.ID, "guid-2", "r1"},
		{"other feed", f.ID + 1000, "guid-1", "r1"},
	}
	for _, tt := range lost {
		if err := s.FinishFeedItem(ctx(t), tt.feedID, tt.key, tt.owner, bot.FeedItemStored, "a1", ""); !errors.Is(err, bot.ErrClaimLost) {
			t.Errorf("%s: FinishFeedItem = %v, want ErrClaimLost", tt.name, err)
		}
	}
	for _, st := range []bot.FeedItemState{bot.FeedItemClaimed, "", "posted"} {
		if err := s.FinishFeedItem(ctx(t), f.ID, "guid-1", "r1", st, "", ""); err == nil || errors.Is(err, bot.ErrClaimLost) {
			t.Errorf("FinishFeedItem with state %q = %v, want an error", st, err)
		}
	}
	if it := mustItem(t, s, f.ID, "guid-1"); it.State != bot.FeedItemClaimed || it.Owner != "r1" {
		t.Errorf("refused finishes changed the item: %+v", it)
	}
	before := time.Now()
	if err := s.FinishFeedItem(ctx(t), f.ID, "guid-1", "r1", bot.FeedItemFailed, "", "HTTP 404"); err != nil {
		t.Fatal(err)
	}
	it := mustItem(t, s, f.ID, "guid-1")
	if it.State != bot.FeedItemFailed || it.Error != "HTTP 404" || it.Attempts != 1 || it.Owner != "r1" {
		t.Errorf("failed item = %+v", it)
	}
	aboutNow(t, "UpdatedAt", it.UpdatedAt, before)
	if err := s.FinishFeedItem(ctx(t), f.ID, "guid-1", "r1", bot.FeedItemStored, "a1", ""); !errors.Is(err, bot.ErrClaimLost) {
		t.Errorf("finishing twice: %v, want ErrClaimLost", err)
	}
	mustClaimItem(t, s, f.ID, "guid-2", "r1", time.Hour)
	if err := s.FinishFeedItem(ctx(t), f.ID, "guid-2", "r1", bot.FeedItemStored, "a7", ""); err != nil {
		t.Fatal(err)
	}
	if it := mustItem(t, s, f.ID, "guid-2"); it.State != bot.FeedItemStored || it.ArticleID != "a7" || it.Error != "" {
		t.Errorf("stored item = %+v, want its article a7", it)
	}
}

func testMarkFeedItems(t *testing.T, s bot.Store) {
	f := mustFeed(t, s, "https://example.com/feed.xml")
	mustClaimItem(t, s, f.ID, "live", "r1", time.Hour)
	mustClaimItem(t, s, f.ID, "done", "r1", time.Hour)
	if err := s.FinishFeedItem(ctx(t), f.ID, "done", "r1", bot.FeedItemStored, "a1", ""); err != nil {
		t.Fatal(err)
	}
	backlog := []string{"old-1", "old-2", "live", "done", "old-1"}
	for i := range 300 {
		backlog = append(backlog, fmt.Sprintf("https://example.com/item-%03d", i))
	}
	if err := s.MarkFeedItems(ctx(t), f.ID, backlog); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"old-1", "old-2", "https://example.com/item-299"} {
		it := mustItem(t, s, f.ID, key)
		if it.State != bot.FeedItemSkipped || it.Owner != "" || it.Attempts != 0 || !it.LeaseUntil.IsZero() {
			t.Errorf("backlog item %s = %+v, want skipped without a claim", key, it)
		}
		if ok, err := s.ClaimFeedItem(ctx(t), f.ID, key, "r2", time.Hour); err != nil || ok {
			t.Errorf("claim of backlog item %s = %v, %v; want refused", key, ok, err)
		}
	}
	if it := mustItem(t, s, f.ID, "live"); it.State != bot.FeedItemClaimed || it.Owner != "r1" {
		t.Errorf("marking overrode a live claim: %+v", it)
	}
	if it := mustItem(t, s, f.ID, "done"); it.State != bot.FeedItemStored || it.ArticleID != "a1" {
		t.Errorf("marking overrode a stored item: %+v", it)
	}
	// Later items are new.
	mustClaimItem(t, s, f.ID, "new-1", "r2", time.Hour)
	if err := s.MarkFeedItems(ctx(t), f.ID, nil); err != nil {
		t.Errorf("marking nothing: %v", err)
	}
	for _, keys := range [][]string{nil, {"x"}} {
		if err := s.MarkFeedItems(ctx(t), f.ID+1000, keys); !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("MarkFeedItems(missing feed, %q) = %v, want ErrNotFound", keys, err)
		}
	}
	if err := s.MarkFeedItems(ctx(t), f.ID, []string{"ok", ""}); err == nil {
		t.Errorf("marking an empty key succeeded")
	}
	if _, err := s.FeedItem(ctx(t), f.ID, "ok"); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("a refused MarkFeedItems wrote a row: %v", err)
	}
}

func testDeleteFeed(t *testing.T, s bot.Store) {
	keep := mustFeed(t, s, "https://example.com/keep.xml")
	f := mustFeed(t, s, "https://example.com/feed.xml")
	if err := s.MarkFeedItems(ctx(t), f.ID, []string{"k1"}); err != nil {
		t.Fatal(err)
	}
	mustClaimItem(t, s, f.ID, "k2", "r1", time.Hour)
	mustClaimItem(t, s, keep.ID, "k1", "r1", time.Hour)
	if ok, err := s.DeleteFeed(ctx(t), f.ID); err != nil || !ok {
		t.Fatalf("DeleteFeed = %v, %v; want true", ok, err)
	}
	if _, err := s.Feed(ctx(t), f.ID); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("deleted feed: %v, want ErrNotFound", err)
	}
	for _, key := range []string{"k1", "k2"} {
		if _, err := s.FeedItem(ctx(t), f.ID, key); !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("deleted feed's item %s: %v, want ErrNotFound", key, err)
		}
	}
	if ok, err := s.DeleteFeed(ctx(t), f.ID); err != nil || ok {
		t.Errorf("second DeleteFeed = %v, %v; want false", ok, err)
	}
	if it := mustItem(t, s, keep.ID, "k1"); it.Owner != "r1" {
		t.Errorf("another feed's ledger changed: %+v", it)
	}
	// The URL added again is a new feed, with a new id and an empty ledger.
	again := mustFeed(t, s, f.URL)
	if again.ID == f.ID {
		t.Errorf("a re-added feed reuses the deleted id %d", f.ID)
	}
	mustClaimItem(t, s, again.ID, "k1", "r2", time.Hour)
	if all, err := s.Feeds(ctx(t)); err != nil || len(all) != 2 {
		t.Errorf("Feeds = %+v, %v; want 2", all, err)
	}
}
