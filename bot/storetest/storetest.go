// Package storetest is the conformance suite of bot.Store: adapters/sqlite
// and adapters/postgres run the very same tests, so the core can rely on
// one behaviour whichever store an operator picks.
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) bot.Store { ... a fresh, empty store ... })
//	}
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// Run runs every conformance test; open returns a fresh, empty store and
// registers its cleanup with t.
func Run(t *testing.T, open func(t *testing.T) bot.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s bot.Store)
	}{
		{"SubscriptionRoundTrip", testSubscriptionRoundTrip},
		{"SubscriptionPutReplaces", testSubscriptionPutReplaces},
		{"SubscriptionScopeIsolation", testSubscriptionScopeIsolation},
		{"SubscriptionDeleteDropsLedger", testSubscriptionDeleteDropsLedger},
		{"SubscriptionBadScope", testSubscriptionBadScope},
		{"Conversation", testConversation},
		{"ConversationBounded", testConversationBounded},
		{"ConversationConcurrentAppends", testConversationConcurrent},
		{"FirstSeen", testFirstSeen},
		{"FirstSeenConcurrent", testFirstSeenConcurrent},
		{"ClaimFirst", testClaimFirst},
		{"ClaimConcurrentOneWinner", testClaimConcurrent},
		{"ClaimFinalStatesNeverReclaimed", testClaimFinalStates},
		{"ClaimLiveLeaseRefused", testClaimLiveLease},
		{"ClaimExpiredTakenOver", testClaimExpired},
		{"ClaimUnknownSubscription", testClaimUnknownSubscription},
		{"ClaimBadArguments", testClaimBadArguments},
		{"FinishSlot", testFinishSlot},
		{"FinishSlotLostClaim", testFinishSlotLost},
		{"FinishSlotSkipped", testFinishSlotSkipped},
		{"SkipSlot", testSkipSlot},
		{"ExpiredClaims", testExpiredClaims},
		{"ReleaseClaims", testReleaseClaims},
		{"LedgerOrdering", testLedgerOrdering},
		{"Installs", testInstalls},
		{"Articles", testArticles},
		{"ArticleRoundTrip", testArticleRoundTrip},
		{"ArticleDuplicates", testArticleDuplicates},
		{"ArticleBadInput", testArticleBadInput},
		{"ArticleConcurrentOneAdded", testArticleConcurrent},
		{"Copies", testCopies},
		{"RemoveArticle", testRemoveArticle},
		{"ArticlesAfter", testArticlesAfter},
		{"Revision", testRevision},
		{"StoryRoundTrip", testStoryRoundTrip},
		{"StoryValidation", testStoryValidation},
		{"LinkArticle", testLinkArticle},
		{"DeleteStory", testDeleteStory},
		{"ChannelStoryScopeIsolation", testChannelStory},
		{"FeedRoundTrip", testFeedRoundTrip},
		{"FeedBadInput", testFeedBadInput},
		{"FeedState", testFeedState},
		{"ClaimFeedPoll", testClaimFeedPoll},
		{"ClaimFeedPollConcurrentOneWinner", testClaimFeedPollConcurrent},
		{"ClaimFeedItem", testClaimFeedItem},
		{"ClaimFeedItemConcurrentOneWinner", testClaimFeedItemConcurrent},
		{"ClaimFeedItemExpiredTakenOver", testClaimFeedItemExpired},
		{"FinishFeedItem", testFinishFeedItem},
		{"MarkFeedItems", testMarkFeedItems},
		{"DeleteFeed", testDeleteFeed},
		{"OutboxEnqueueClaimFinish", testOutboxEnqueueClaimFinish},
		{"OutboxOldestFirst", testOutboxOldestFirst},
		{"OutboxBadInput", testOutboxBadInput},
		{"OutboxConcurrentClaimersOneEach", testOutboxConcurrentClaimers},
		{"OutboxExpiredLeaseTakenOver", testOutboxExpiredLeaseTakenOver},
		{"OutboxRelease", testOutboxRelease},
		{"OutboxFreshness", testOutboxFreshness},
		{"TimesUTCSeconds", testTimes},
		{"Ping", testPing},
		{"Heartbeat", testHeartbeat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, open(t))
		})
	}
}

// RunReplicas runs the tests that need several handles on one database,
// as replicas (or processes) have: open returns n stores sharing a fresh,
// empty database.
func RunReplicas(t *testing.T, open func(t *testing.T, n int) []bot.Store) {
	t.Run("ClaimAcrossReplicas", func(t *testing.T) {
		stores := open(t, 3)
		sub := mustSub(t, stores[0], scope("slack", "T1", "C1"))
		slot := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		wins := race(t, 21, func(i int) (bool, error) {
			_, ok, err := stores[i%len(stores)].ClaimSlot(ctx(t), sub.ID, slot, fmt.Sprintf("replica-%d", i), time.Hour)
			return ok, err
		})
		if wins != 1 {
			t.Fatalf("got %d winners across replicas, want 1", wins)
		}
		d, err := stores[1].LastDelivery(ctx(t), sub.ID)
		if err != nil || d.State != bot.StateClaimed || d.Attempts != 1 {
			t.Fatalf("got %+v, %v; want one claimed row with 1 attempt", d, err)
		}
	})
	t.Run("FirstSeenAcrossReplicas", func(t *testing.T) {
		stores := open(t, 3)
		wins := race(t, 21, func(i int) (bool, error) {
			return stores[i%len(stores)].FirstSeen(ctx(t), "slack", "Ev123")
		})
		if wins != 1 {
			t.Fatalf("got %d first sightings across replicas, want 1", wins)
		}
	})
	t.Run("WritesVisibleToOthers", func(t *testing.T) {
		stores := open(t, 2)
		sub := mustSub(t, stores[0], scope("discord", "G1", "C1"))
		got, err := stores[1].Subscription(ctx(t), sub.Scope)
		if err != nil || got.ID != sub.ID {
			t.Fatalf("got %+v, %v from the other handle; want id %d", got, err, sub.ID)
		}
	})
	runCorpusReplicas(t, open)
	runOutboxReplicas(t, open)
}

func ctx(t *testing.T) context.Context { return t.Context() }

func scope(p, team, ch string) bot.Scope { return bot.Scope{Platform: p, Team: team, Channel: ch} }

func mustSub(t *testing.T, s bot.Store, sc bot.Scope) bot.Subscription {
	t.Helper()
	sub, err := s.PutSubscription(ctx(t), bot.Subscription{Scope: sc, Schedule: "daily 09:00 UTC", CreatedBy: "U1"})
	if err != nil {
		t.Fatalf("PutSubscription(%v): %v", sc, err)
	}
	if sub.ID == 0 {
		t.Fatalf("PutSubscription(%v) returned no id", sc)
	}
	return sub
}

func mustClaim(t *testing.T, s bot.Store, subID int64, slot time.Time, owner string, lease time.Duration) bot.Delivery {
	t.Helper()
	d, ok, err := s.ClaimSlot(ctx(t), subID, slot, owner, lease)
	if err != nil || !ok {
		t.Fatalf("ClaimSlot(%d, %s, %s) = %+v, %v, %v; want a claim", subID, slot, owner, d, ok, err)
	}
	return d
}

// race starts n goroutines at once and counts those whose fn reports true.
func race(t *testing.T, n int, fn func(i int) (bool, error)) int {
	t.Helper()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		wins  int
		errs  []error
		start = make(chan struct{})
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			ok, err := fn(i)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
			}
			if ok {
				wins++
			}
		}()
	}
	close(start)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d of %d calls failed, first: %v", len(errs), n, errs[0])
	}
	return wins
}

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func testSubscriptionRoundTrip(t *testing.T, s bot.Store) {
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	in := bot.Subscription{Scope: scope("slack", "T1", "C1"), Schedule: "weekdays 08:30 Europe/Paris", OnlyNew: true, CreatedBy: "U42", CreatedAt: created}
	got, err := s.PutSubscription(ctx(t), in)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID == 0 {
		t.Fatalf("got id 0, want an id")
	}
	want := in
	want.ID = got.ID
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Put returned %+v, want %+v", got, want)
	}
	read, err := s.Subscription(ctx(t), in.Scope)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(read, want) {
		t.Errorf("Subscription() = %+v, want %+v", read, want)
	}
	if _, err := s.Subscription(ctx(t), scope("slack", "T1", "C2")); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("missing subscription: got err %v, want ErrNotFound", err)
	}
	// A zero CreatedAt is set to now, in UTC at second precision.
	now, err := s.PutSubscription(ctx(t), bot.Subscription{Scope: scope("slack", "T1", "C3"), Schedule: "@daily"})
	if err != nil {
		t.Fatal(err)
	}
	if now.CreatedAt.IsZero() || now.CreatedAt.Location() != time.UTC || now.CreatedAt.Nanosecond() != 0 {
		t.Errorf("got CreatedAt %v, want now in UTC at second precision", now.CreatedAt)
	}
	if d := time.Since(now.CreatedAt); d < -time.Minute || d > time.Hour {
		t.Errorf("got CreatedAt %v, want about now", now.CreatedAt)
	}
}

func testSubscriptionPutReplaces(t *testing.T, s bot.Store) {
	sc := scope("discord", "G1", "C1")
	first := mustSub(t, s, sc)
	mustClaim(t, s, first.ID, t0, "r1", time.Hour)
	second, err := s.PutSubscription(ctx(t), bot.Subscription{Scope: sc, Schedule: "@hourly", OnlyNew: true, CreatedBy: "U2"})
	if err != nil {
		t.Fatal(err)
	}
	if second.ID != first.ID {
		t.Errorf("got id %d after replace, want the same id %d", second.ID, first.ID)
	}
	got, err := s.Subscription(ctx(t), sc)
	if err != nil {
		t.Fatal(err)
	}
	if got.Schedule != "@hourly" || !got.OnlyNew || got.CreatedBy != "U2" {
		t.Errorf("got %+v, want the replacement", got)
	}
	all, err := s.Subscriptions(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 {
		t.Errorf("got %d subscriptions, want 1 per scope", len(all))
	}
	if _, err := s.LastDelivery(ctx(t), first.ID); err != nil {
		t.Errorf("ledger lost on replace: %v", err)
	}
}

func testSubscriptionScopeIsolation(t *testing.T, s bot.Store) {
	scopes := []bot.Scope{
		scope("slack", "TA", "C1"),
		scope("slack", "TB", "C1"), // same channel id, other team
		scope("discord", "TA", "C1"),
		scope("slack", "TA", "C2"),
	}
	ids := map[int64]bool{}
	for _, sc := range scopes {
		ids[mustSub(t, s, sc).ID] = true
	}
	if len(ids) != len(scopes) {
		t.Fatalf("got %d distinct ids for %d scopes", len(ids), len(scopes))
	}
	// Team B deletes "its" C1: team A's C1 and the others stay.
	ok, err := s.DeleteSubscription(ctx(t), scopes[1])
	if err != nil || !ok {
		t.Fatalf("Delete(%v) = %v, %v; want true", scopes[1], ok, err)
	}
	ok, err = s.DeleteSubscription(ctx(t), scopes[1])
	if err != nil || ok {
		t.Errorf("second Delete(%v) = %v, %v; want false", scopes[1], ok, err)
	}
	for _, sc := range []bot.Scope{scopes[0], scopes[2], scopes[3]} {
		if got, err := s.Subscription(ctx(t), sc); err != nil || got.Scope != sc {
			t.Errorf("Subscription(%v) = %+v, %v after deleting another scope", sc, got, err)
		}
	}
	if _, err := s.Subscription(ctx(t), scopes[1]); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("deleted scope: got %v, want ErrNotFound", err)
	}
	if ok, err := s.DeleteSubscription(ctx(t), scope("slack", "TC", "C1")); err != nil || ok {
		t.Errorf("Delete of a scope never subscribed = %v, %v; want false", ok, err)
	}
	all, err := s.Subscriptions(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	var got []bot.Scope
	for _, sub := range all {
		got = append(got, sub.Scope)
	}
	want := []bot.Scope{scopes[0], scopes[2], scopes[3]}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Subscriptions() = %v, want %v (by id)", got, want)
	}
}

func testSubscriptionDeleteDropsLedger(t *testing.T, s bot.Store) {
	sc := scope("slack", "T1", "C1")
	sub := mustSub(t, s, sc)
	d := mustClaim(t, s, sub.ID, t0, "r1", time.Hour)
	d.State, d.MessageID = bot.StatePosted, "1.0"
	if err := s.FinishSlot(ctx(t), d); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteSubscription(ctx(t), sc); err != nil {
		t.Fatal(err)
	}
	if ds, err := s.Deliveries(ctx(t), sub.ID, 0); err != nil || len(ds) != 0 {
		t.Errorf("Deliveries after delete = %v, %v; want none", ds, err)
	}
	again := mustSub(t, s, sc)
	if _, err := s.LastDelivery(ctx(t), again.ID); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("re-created subscription inherits a ledger: %v", err)
	}
}

func testSubscriptionBadScope(t *testing.T, s bot.Store) {
	for _, sc := range []bot.Scope{{}, scope("", "T", "C"), scope("slack", "", "C"), scope("slack", "T", "")} {
		if _, err := s.PutSubscription(ctx(t), bot.Subscription{Scope: sc, Schedule: "@daily"}); err == nil {
			t.Errorf("PutSubscription(%+v) succeeded, want an error", sc)
		}
	}
}

func testFirstSeen(t *testing.T, s bot.Store) {
	steps := []struct {
		platform, id string
		want         bool
	}{
		{"slack", "Ev1", true},
		{"slack", "Ev1", false},
		{"discord", "Ev1", true}, // ids are per platform
		{"slack", "Ev2", true},
		{"discord", "Ev1", false},
	}
	for _, st := range steps {
		got, err := s.FirstSeen(ctx(t), st.platform, st.id)
		if err != nil || got != st.want {
			t.Errorf("FirstSeen(%s, %s) = %v, %v; want %v", st.platform, st.id, got, err, st.want)
		}
	}
}

func testFirstSeenConcurrent(t *testing.T, s bot.Store) {
	for _, id := range []string{"Ev1", "Ev2", "Ev3"} {
		wins := race(t, 20, func(int) (bool, error) { return s.FirstSeen(ctx(t), "slack", id) })
		if wins != 1 {
			t.Errorf("%s: got %d first sightings among 20, want 1", id, wins)
		}
	}
}

func testClaimFirst(t *testing.T, s bot.Store) {
	sub := mustSub(t, s, scope("slack", "T1", "C1"))
	before := time.Now()
	// A slot with sub-second detail and a zone is keyed by its UTC second.
	paris, _ := time.LoadLocation("Europe/Paris")
	slot := t0.Add(700 * time.Millisecond).In(paris)
	d := mustClaim(t, s, sub.ID, slot, "r1", time.Hour)
	if d.SubscriptionID != sub.ID || !d.Slot.Equal(t0) || d.Slot.Location() != time.UTC || d.State != bot.StateClaimed ||
		d.Owner != "r1" || d.Attempts != 1 || d.MessageID != "" || d.Error != "" {
		t.Errorf("got %+v, want a first claim of %s by r1", d, t0)
	}
	if d.LeaseUntil.Before(before.Add(59*time.Minute)) || d.LeaseUntil.After(time.Now().Add(61*time.Minute)) {
		t.Errorf("got LeaseUntil %v, want about now+1h", d.LeaseUntil)
	}
	last, err := s.LastDelivery(ctx(t), sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(last, d) {
		t.Errorf("LastDelivery = %+v, want the claim %+v", last, d)
	}
	// The same slot given as another instant of the same second is the same slot.
	if _, ok, err := s.ClaimSlot(ctx(t), sub.ID, t0, "r2", time.Hour); err != nil || ok {
		t.Errorf("second claim of the same second: ok %v, err %v; want refused", ok, err)
	}
	// The next second is another slot.
	mustClaim(t, s, sub.ID, t0.Add(time.Second), "r2", time.Hour)
}

func testClaimConcurrent(t *testing.T, s bot.Store) {
	var subs []bot.Subscription
	for i := range 3 {
		subs = append(subs, mustSub(t, s, scope("slack", "T1", fmt.Sprintf("C%d", i))))
	}
	for _, sub := range subs {
		var mu sync.Mutex
		var winners []string
		wins := race(t, 20, func(i int) (bool, error) {
			owner := fmt.Sprintf("replica-%d", i)
			_, ok, err := s.ClaimSlot(ctx(t), sub.ID, t0, owner, time.Hour)
			if ok {
				mu.Lock()
				winners = append(winners, owner)
				mu.Unlock()
			}
			return ok, err
		})
		if wins != 1 {
			t.Fatalf("sub %d: got %d winners among 20 claimers, want 1", sub.ID, wins)
		}
		d, err := s.LastDelivery(ctx(t), sub.ID)
		if err != nil || d.Owner != winners[0] || d.Attempts != 1 {
			t.Errorf("ledger %+v, %v; want owner %s with 1 attempt", d, err, winners[0])
		}
	}
}

func testClaimFinalStates(t *testing.T, s bot.Store) {
	sub := mustSub(t, s, scope("slack", "T1", "C1"))
	tests := []struct {
		name  string
		slot  time.Time
		setup func(slot time.Time)
		want  bot.DeliveryState
	}{
		{"posted", t0, func(slot time.Time) {
			d := mustClaim(t, s, sub.ID, slot, "r1", time.Millisecond)
			d.State, d.MessageID = bot.StatePosted, "m1"
			if err := s.FinishSlot(ctx(t), d); err != nil {
				t.Fatal(err)
			}
		}, bot.StatePosted},
		{"failed", t0.Add(time.Hour), func(slot time.Time) {
			d := mustClaim(t, s, sub.ID, slot, "r1", time.Millisecond)
			d.State, d.Error = bot.StateFailed, "channel_not_found"
			if err := s.FinishSlot(ctx(t), d); err != nil {
				t.Fatal(err)
			}
		}, bot.StateFailed},
		{"skipped", t0.Add(2 * time.Hour), func(slot time.Time) {
			if err := s.SkipSlot(ctx(t), sub.ID, slot, "missed"); err != nil {
				t.Fatal(err)
			}
		}, bot.StateSkipped},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.setup(tt.slot)
			time.Sleep(20 * time.Millisecond) // let the 1 ms leases run out
			for _, owner := range []string{"r1", "r2"} {
				d, ok, err := s.ClaimSlot(ctx(t), sub.ID, tt.slot, owner, time.Hour)
				if err != nil || ok {
					t.Fatalf("claim by %s: ok %v, err %v; want refused", owner, ok, err)
				}
				if d.State != tt.want || !d.Slot.Equal(tt.slot) {
					t.Errorf("refused claim returned %+v, want the %s row", d, tt.want)
				}
			}
			if err := s.SkipSlot(ctx(t), sub.ID, tt.slot, "late"); err != nil {
				t.Fatal(err)
			}
			ds, err := s.Deliveries(ctx(t), sub.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range ds {
				if d.Slot.Equal(tt.slot) && (d.State != tt.want || d.Attempts > 1) {
					t.Errorf("after refused claims and a skip: %+v, want %s untouched", d, tt.want)
				}
			}
		})
	}
}

func testClaimLiveLease(t *testing.T, s bot.Store) {
	sub := mustSub(t, s, scope("slack", "T1", "C1"))
	first := mustClaim(t, s, sub.ID, t0, "r1", time.Hour)
	for _, owner := range []string{"r2", "r1"} { // not even the owner re-enters a live claim
		d, ok, err := s.ClaimSlot(ctx(t), sub.ID, t0, owner, time.Hour)
		if err != nil || ok {
			t.Fatalf("claim by %s over a live lease: ok %v, err %v; want refused", owner, ok, err)
		}
		if !reflect.DeepEqual(d, first) {
			t.Errorf("refused claim returned %+v, want the live claim %+v", d, first)
		}
	}
}

func testClaimExpired(t *testing.T, s bot.Store) {
	sub := mustSub(t, s, scope("slack", "T1", "C1"))
	mustClaim(t, s, sub.ID, t0, "r1", 5*time.Millisecond)
	time.Sleep(30 * time.Millisecond)
	d2 := mustClaim(t, s, sub.ID, t0, "r2", 5*time.Millisecond)
	if d2.Owner != "r2" || d2.Attempts != 2 || d2.State != bot.StateClaimed {
		t.Errorf("takeover got %+v, want owner r2, 2 attempts", d2)
	}
	time.Sleep(30 * time.Millisecond)
	d3 := mustClaim(t, s, sub.ID, t0, "r3", time.Hour)
	if d3.Owner != "r3" || d3.Attempts != 3 {
		t.Errorf("second takeover got %+v, want owner r3, 3 attempts", d3)
	}
	// Concurrent takeovers of an expired claim: one winner. (The winner's
	// lease is long, else a slow racer could rightly take over again.)
	for i := range 2 {
		slot := t0.Add(time.Duration(i+1) * time.Hour)
		mustClaim(t, s, sub.ID, slot, "dead", 5*time.Millisecond)
		time.Sleep(30 * time.Millisecond)
		var mu sync.Mutex
		var winner string
		wins := race(t, 10, func(j int) (bool, error) {
			owner := fmt.Sprintf("racer-%d", j)
			_, ok, err := s.ClaimSlot(ctx(t), sub.ID, slot, owner, time.Hour)
			if ok {
				mu.Lock()
				winner = owner
				mu.Unlock()
			}
			return ok, err
		})
		if wins != 1 {
			t.Fatalf("slot %s: got %d takeovers among 10, want 1", slot, wins)
		}
		d, err := s.LastDelivery(ctx(t), sub.ID)
		if err != nil || d.Attempts != 2 || d.Owner != winner || !d.Slot.Equal(slot) {
			t.Errorf("slot %s: got %+v, %v; want %s with 2 attempts", slot, d, err, winner)
		}
	}
	// The old owner cannot record an outcome any more.
	d2.State, d2.MessageID = bot.StatePosted, "late"
	if err := s.FinishSlot(ctx(t), d2); !errors.Is(err, bot.ErrClaimLost) {
		t.Errorf("FinishSlot by a replaced owner: got %v, want ErrClaimLost", err)
	}
}

func testClaimUnknownSubscription(t *testing.T, s bot.Store) {
	if _, ok, err := s.ClaimSlot(ctx(t), 987654, t0, "r1", time.Hour); ok || !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("claim for a missing subscription: ok %v, err %v; want ErrNotFound", ok, err)
	}
	if err := s.SkipSlot(ctx(t), 987654, t0, "x"); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("skip for a missing subscription: err %v; want ErrNotFound", err)
	}
}

func testClaimBadArguments(t *testing.T, s bot.Store) {
	sub := mustSub(t, s, scope("slack", "T1", "C1"))
	for _, tt := range []struct {
		owner string
		lease time.Duration
	}{{"", time.Hour}, {"r1", 0}, {"r1", -time.Second}} {
		if _, ok, err := s.ClaimSlot(ctx(t), sub.ID, t0, tt.owner, tt.lease); err == nil || ok {
			t.Errorf("ClaimSlot(owner %q, lease %s): ok %v, err %v; want an error", tt.owner, tt.lease, ok, err)
		}
	}
	if _, err := s.LastDelivery(ctx(t), sub.ID); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("a refused claim left a row: %v", err)
	}
}

func testFinishSlot(t *testing.T, s bot.Store) {
	sub := mustSub(t, s, scope("slack", "T1", "C1"))
	d := mustClaim(t, s, sub.ID, t0, "r1", time.Hour)
	d.State, d.MessageID, d.Late, d.CorpusVersion = bot.StatePosted, "1700000000.000100", true, "v1abc"
	if err := s.FinishSlot(ctx(t), d); err != nil {
		t.Fatal(err)
	}
	got, err := s.LastDelivery(ctx(t), sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != bot.StatePosted || got.MessageID != d.MessageID || !got.Late || got.CorpusVersion != "v1abc" ||
		got.Attempts != 1 || got.Owner != "r1" || !got.Slot.Equal(t0) {
		t.Errorf("got %+v, want the posted outcome %+v", got, d)
	}
	if lp, err := s.LastPosted(ctx(t), sub.ID); err != nil || !reflect.DeepEqual(lp, got) {
		t.Errorf("LastPosted = %+v, %v; want %+v", lp, err, got)
	}
	// Finishing twice is refused: the claim is gone once it is posted.
	d.MessageID = "other"
	if err := s.FinishSlot(ctx(t), d); !errors.Is(err, bot.ErrClaimLost) {
		t.Errorf("second FinishSlot: got %v, want ErrClaimLost", err)
	}
	// Failed keeps its error; an invalid outcome state is refused.
	f := mustClaim(t, s, sub.ID, t0.Add(time.Hour), "r1", time.Hour)
	for _, st := range []bot.DeliveryState{bot.StateClaimed, "", "lost"} {
		f.State = st
		if err := s.FinishSlot(ctx(t), f); err == nil {
			t.Errorf("FinishSlot with state %q succeeded, want an error", st)
		}
	}
	f.State, f.Error = bot.StateFailed, "not_in_channel"
	if err := s.FinishSlot(ctx(t), f); err != nil {
		t.Fatal(err)
	}
	if got, err := s.LastDelivery(ctx(t), sub.ID); err != nil || got.State != bot.StateFailed || got.Error != "not_in_channel" {
		t.Errorf("LastDelivery = %+v, %v; want failed with its error", got, err)
	}
	if lp, err := s.LastPosted(ctx(t), sub.ID); err != nil || lp.MessageID != "1700000000.000100" {
		t.Errorf("LastPosted = %+v, %v; want the posted slot", lp, err)
	}
}

func testFinishSlotLost(t *testing.T, s bot.Store) {
	sub := mustSub(t, s, scope("slack", "T1", "C1"))
	d := mustClaim(t, s, sub.ID, t0, "r1", time.Hour)
	tests := []struct {
		name   string
		mutate func(d *bot.Delivery)
	}{
		{"other owner", func(d *bot.Delivery) { d.Owner = "r2" }},
		{"other slot", func(d *bot.Delivery) { d.Slot = t0.Add(time.Minute) }},
		{"other subscription", func(d *bot.Delivery) { d.SubscriptionID = sub.ID + 1000 }},
	}
	for _, tt := range tests {
		c := d
		c.State, c.MessageID = bot.StatePosted, "m"
		tt.mutate(&c)
		if err := s.FinishSlot(ctx(t), c); !errors.Is(err, bot.ErrClaimLost) {
			t.Errorf("%s: got %v, want ErrClaimLost", tt.name, err)
		}
	}
	if got, _ := s.LastDelivery(ctx(t), sub.ID); got.State != bot.StateClaimed {
		t.Errorf("a refused FinishSlot changed the row: %+v", got)
	}
	// An expired lease nobody took over is still the owner's to finish.
	e := mustClaim(t, s, sub.ID, t0.Add(time.Hour), "r1", time.Millisecond)
	time.Sleep(20 * time.Millisecond)
	e.State, e.MessageID = bot.StatePosted, "m2"
	if err := s.FinishSlot(ctx(t), e); err != nil {
		t.Errorf("finishing an expired, untaken claim: %v", err)
	}
}

func testSkipSlot(t *testing.T, s bot.Store) {
	sub := mustSub(t, s, scope("slack", "T1", "C1"))
	// Nothing there: recorded as skipped with its reason.
	if err := s.SkipSlot(ctx(t), sub.ID, t0, "missed while down"); err != nil {
		t.Fatal(err)
	}
	got, err := s.LastDelivery(ctx(t), sub.ID)
	if err != nil || got.State != bot.StateSkipped || got.Error != "missed while down" || !got.Slot.Equal(t0) {
		t.Errorf("got %+v, %v; want skipped with the reason", got, err)
	}
	// A live claim is left alone.
	live := t0.Add(time.Hour)
	mustClaim(t, s, sub.ID, live, "r1", time.Hour)
	if err := s.SkipSlot(ctx(t), sub.ID, live, "x"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.LastDelivery(ctx(t), sub.ID); got.State != bot.StateClaimed || got.Owner != "r1" {
		t.Errorf("skip overrode a live claim: %+v", got)
	}
	// An expired claim may be skipped.
	dead := t0.Add(2 * time.Hour)
	mustClaim(t, s, sub.ID, dead, "r1", time.Millisecond)
	time.Sleep(20 * time.Millisecond)
	if err := s.SkipSlot(ctx(t), sub.ID, dead, "owner died"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.LastDelivery(ctx(t), sub.ID); got.State != bot.StateSkipped || got.Error != "owner died" {
		t.Errorf("expired claim not skipped: %+v", got)
	}
	// Posted is never overridden.
	posted := t0.Add(3 * time.Hour)
	d := mustClaim(t, s, sub.ID, posted, "r1", time.Hour)
	d.State, d.MessageID = bot.StatePosted, "m1"
	if err := s.FinishSlot(ctx(t), d); err != nil {
		t.Fatal(err)
	}
	if err := s.SkipSlot(ctx(t), sub.ID, posted, "late"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.LastPosted(ctx(t), sub.ID); got.State != bot.StatePosted || got.MessageID != "m1" || !got.Slot.Equal(posted) {
		t.Errorf("skip overrode a posted slot: %+v", got)
	}
	if got, _ := s.LastDelivery(ctx(t), sub.ID); got.State != bot.StatePosted {
		t.Errorf("LastDelivery after skipping a posted slot = %+v", got)
	}
}

func testReleaseClaims(t *testing.T, s bot.Store) {
	sub := mustSub(t, s, scope("slack", "T1", "C1"))
	s1, s2, s3, s4 := t0, t0.Add(time.Hour), t0.Add(2*time.Hour), t0.Add(3*time.Hour)
	mustClaim(t, s, sub.ID, s1, "A", time.Hour) // unposted: released
	d2 := mustClaim(t, s, sub.ID, s2, "A", time.Hour)
	d2.State, d2.MessageID = bot.StatePosted, "m2"
	if err := s.FinishSlot(ctx(t), d2); err != nil { // posted: kept
		t.Fatal(err)
	}
	mustClaim(t, s, sub.ID, s3, "B", time.Hour) // another owner's: kept
	// A takeover by A (attempt 2) that A then releases keeps attempt 1's trace.
	mustClaim(t, s, sub.ID, s4, "dead", time.Millisecond)
	time.Sleep(20 * time.Millisecond)
	if d := mustClaim(t, s, sub.ID, s4, "A", time.Hour); d.Attempts != 2 {
		t.Fatalf("takeover attempts %d, want 2", d.Attempts)
	}
	if err := s.ReleaseClaims(ctx(t), "A"); err != nil {
		t.Fatal(err)
	}
	ds, err := s.Deliveries(ctx(t), sub.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, d := range ds {
		rows = append(rows, fmt.Sprintf("%s %s %q %d", d.Slot.Format("15:04"), d.State, d.Owner, d.Attempts))
	}
	want := []string{`12:00 claimed "" 1`, `11:00 claimed "B" 1`, `10:00 posted "A" 1`} // 09:00 left no trace
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("ledger after release:\n got %q\nwant %q", rows, want)
	}
	if d, ok, err := s.ClaimSlot(ctx(t), sub.ID, s1, "C", time.Hour); err != nil || !ok || d.Attempts != 1 {
		t.Errorf("released first claim: got %+v, %v, %v; want claimable with attempts 1", d, ok, err)
	}
	if d, ok, err := s.ClaimSlot(ctx(t), sub.ID, s4, "C", time.Hour); err != nil || !ok || d.Attempts != 2 {
		t.Errorf("released takeover: got %+v, %v, %v; want claimable with attempts 2", d, ok, err)
	}
	if d, ok, err := s.ClaimSlot(ctx(t), sub.ID, s2, "C", time.Hour); err != nil || ok || d.State != bot.StatePosted {
		t.Errorf("posted slot after release: got %+v, %v, %v; want posted, refused", d, ok, err)
	}
	if d, ok, err := s.ClaimSlot(ctx(t), sub.ID, s3, "C", time.Hour); err != nil || ok || d.Owner != "B" {
		t.Errorf("B's claim after A's release: got %+v, %v, %v; want still B's", d, ok, err)
	}
	if err := s.ReleaseClaims(ctx(t), "nobody"); err != nil {
		t.Errorf("releasing nothing: %v", err)
	}
}

func testLedgerOrdering(t *testing.T, s bot.Store) {
	sub := mustSub(t, s, scope("slack", "T1", "C1"))
	other := mustSub(t, s, scope("slack", "T1", "C2"))
	if _, err := s.LastDelivery(ctx(t), sub.ID); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("LastDelivery of an empty ledger: %v, want ErrNotFound", err)
	}
	if _, err := s.LastPosted(ctx(t), sub.ID); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("LastPosted of an empty ledger: %v, want ErrNotFound", err)
	}
	// Written out of order: ordering is by slot, not by write time.
	slots := []struct {
		at    time.Time
		state bot.DeliveryState
	}{
		{t0.Add(2 * time.Hour), bot.StatePosted},
		{t0, bot.StatePosted},
		{t0.Add(4 * time.Hour), bot.StateSkipped},
		{t0.Add(time.Hour), bot.StateFailed},
		{t0.Add(3 * time.Hour), bot.StateClaimed},
	}
	for i, sl := range slots {
		switch sl.state {
		case bot.StateSkipped:
			if err := s.SkipSlot(ctx(t), sub.ID, sl.at, "missed"); err != nil {
				t.Fatal(err)
			}
		default:
			d := mustClaim(t, s, sub.ID, sl.at, "r1", time.Hour)
			if sl.state != bot.StateClaimed {
				d.State, d.MessageID = sl.state, fmt.Sprintf("m%d", i)
				if err := s.FinishSlot(ctx(t), d); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	mustClaim(t, s, other.ID, t0.Add(10*time.Hour), "r1", time.Hour) // another subscription's
	ds, err := s.Deliveries(ctx(t), sub.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range ds {
		got = append(got, fmt.Sprintf("%s %s", d.Slot.Format("15:04"), d.State))
	}
	want := []string{"13:00 skipped", "12:00 claimed", "11:00 posted", "10:00 failed", "09:00 posted"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Deliveries = %v, want %v", got, want)
	}
	if ds, _ := s.Deliveries(ctx(t), sub.ID, 2); len(ds) != 2 || !ds[0].Slot.Equal(t0.Add(4*time.Hour)) {
		t.Errorf("Deliveries(limit 2) = %v, want the 2 newest", ds)
	}
	if d, err := s.LastDelivery(ctx(t), sub.ID); err != nil || !d.Slot.Equal(t0.Add(4*time.Hour)) {
		t.Errorf("LastDelivery = %+v, %v; want the 13:00 slot", d, err)
	}
	if d, err := s.LastPosted(ctx(t), sub.ID); err != nil || !d.Slot.Equal(t0.Add(2*time.Hour)) || d.MessageID != "m0" {
		t.Errorf("LastPosted = %+v, %v; want the 11:00 slot", d, err)
	}
}

func testInstalls(t *testing.T, s bot.Store) {
	at := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	installs := []bot.Install{
		{Platform: "slack", Team: "T1", Enterprise: "E1", BotToken: "xoxb-1", BotUserID: "U1", InstalledAt: at},
		{Platform: "slack", Team: "T2", BotToken: "xoxb-2", BotUserID: "U2", InstalledAt: at},
		{Platform: "discord", Team: "T1", BotToken: "discord-token", InstalledAt: at},
	}
	for _, in := range installs {
		if err := s.PutInstall(ctx(t), in); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range installs {
		got, err := s.Install(ctx(t), want.Platform, want.Team)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Install(%s, %s) = %+v, %v; want %+v", want.Platform, want.Team, got, err, want)
		}
	}
	// Reinstall replaces the token of that workspace only.
	re := installs[0]
	re.BotToken, re.InstalledAt = "xoxb-rotated", at.Add(time.Hour)
	if err := s.PutInstall(ctx(t), re); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Install(ctx(t), "slack", "T1"); !reflect.DeepEqual(got, re) {
		t.Errorf("after reinstall got %+v, want %+v", got, re)
	}
	if got, _ := s.Install(ctx(t), "discord", "T1"); got.BotToken != "discord-token" {
		t.Errorf("reinstall leaked into another platform: %+v", got)
	}
	if _, err := s.Install(ctx(t), "slack", "T3"); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("missing install: %v, want ErrNotFound", err)
	}
}

func testArticles(t *testing.T, s bot.Store) {
	emb, err := briefs.EmbeddedArticles()
	if err != nil || len(emb) < 2 {
		t.Fatalf("embedded corpus: %d articles, %v", len(emb), err)
	}
	a, b := emb[0], emb[1]
	a.Author, a.Published, a.Source = "A. Writer", "2022-11-21", "Example News"
	short := briefs.Article{ID: "z-short", Title: "Short", Text: "The ferry is a slow boat."}
	steps := []struct {
		name string
		a    briefs.Article
		want bool
	}{
		{"new", a, true},
		{"same again", a, false},
		{"same id, other text", briefs.Article{ID: a.ID, Title: "x", Text: "Something else."}, false},
		{"same text, other id", briefs.Article{ID: "copy-of-a", Title: a.Title, Text: a.Text}, false},
		{"second", b, true},
		{"short", short, true},
	}
	for _, st := range steps {
		_, got, err := s.AddArticle(ctx(t), bot.StoredArticle{Article: st.a, Origin: bot.OriginFile})
		if err != nil || got != st.want {
			t.Errorf("%s: AddArticle = %v, %v; want %v", st.name, got, err, st.want)
		}
	}
	got, err := s.Articles(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	var arts []briefs.Article
	for _, g := range got {
		arts = append(arts, g.Article)
	}
	if want := []briefs.Article{a, b, short}; !reflect.DeepEqual(arts, want) {
		t.Errorf("Articles() ids %v; want %s, %s, z-short with every field intact", articleIDs(got), a.ID, b.ID)
	}
}

func testTimes(t *testing.T, s bot.Store) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Skip("no tz database")
	}
	local := time.Date(2026, 7, 1, 18, 30, 15, 987654321, tokyo)
	want := time.Date(2026, 7, 1, 9, 30, 15, 0, time.UTC)
	sub, err := s.PutSubscription(ctx(t), bot.Subscription{Scope: scope("slack", "T1", "C1"), Schedule: "@daily", CreatedAt: local})
	if err != nil {
		t.Fatal(err)
	}
	read, _ := s.Subscription(ctx(t), sub.Scope)
	d := mustClaim(t, s, sub.ID, local, "r1", time.Hour)
	if err := s.PutInstall(ctx(t), bot.Install{Platform: "slack", Team: "T1", InstalledAt: local}); err != nil {
		t.Fatal(err)
	}
	in, _ := s.Install(ctx(t), "slack", "T1")
	got := map[string]time.Time{
		"Put CreatedAt": sub.CreatedAt, "read CreatedAt": read.CreatedAt,
		"Slot": d.Slot, "InstalledAt": in.InstalledAt,
	}
	names := make([]string, 0, len(got))
	for k := range got {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if g := got[k]; !g.Equal(want) || g.Location() != time.UTC {
			t.Errorf("%s = %v, want %v", k, g, want)
		}
	}
	for k, v := range map[string]time.Time{"UpdatedAt": d.UpdatedAt, "LeaseUntil": d.LeaseUntil} {
		if v.IsZero() || v.Location() != time.UTC {
			t.Errorf("%s = %v, want a UTC time", k, v)
		}
	}
	if d.UpdatedAt.Nanosecond() != 0 {
		t.Errorf("UpdatedAt = %v, want second precision", d.UpdatedAt)
	}
	if d.LeaseUntil.Nanosecond()%int(time.Millisecond) != 0 {
		t.Errorf("LeaseUntil = %v, want millisecond precision", d.LeaseUntil)
	}
}

func testPing(t *testing.T, s bot.Store) {
	if err := s.Ping(ctx(t)); err != nil {
		t.Errorf("Ping: %v", err)
	}
}
