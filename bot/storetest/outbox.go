package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
)

// The outbox tests. Leases and ages are real time on the store's clock, so
// they use short leases and sleep past them, with margins wide enough for a
// loaded machine.

func payload(id string) json.RawMessage {
	return json.RawMessage(`{"channel":"D1","text":"question ` + id + `","n":[1,2]}`)
}

func mustEnqueue(t *testing.T, s bot.Store, platform string, ids ...string) {
	t.Helper()
	for _, id := range ids {
		first, err := s.EnqueueEvent(ctx(t), bot.OutboxEvent{Platform: platform, EventID: id, Payload: payload(id)})
		if err != nil || !first {
			t.Fatalf("EnqueueEvent(%s/%s) = %v, %v; want a new event", platform, id, first, err)
		}
	}
}

func claimIDs(t *testing.T, s bot.Store, platform, owner string, lease time.Duration, limit int) []string {
	t.Helper()
	es, err := s.ClaimEvents(ctx(t), platform, owner, lease, limit)
	if err != nil {
		t.Fatalf("ClaimEvents(%s, %s, limit %d): %v", platform, owner, limit, err)
	}
	ids := []string{}
	for _, e := range es {
		ids = append(ids, e.EventID)
	}
	return ids
}

func mustPending(t *testing.T, s bot.Store, platform string, want int) {
	t.Helper()
	if n, err := s.PendingCount(ctx(t), platform); err != nil || n != want {
		t.Errorf("PendingCount(%s) = %d, %v; want %d", platform, n, err, want)
	}
}

func testOutboxEnqueueClaimFinish(t *testing.T, s bot.Store) {
	before := time.Now().Add(-time.Minute)
	mustEnqueue(t, s, "slack", "Ev1", "Ev2")
	mustEnqueue(t, s, "discord", "Ev1") // another platform's id space
	// A retry of an enqueued event stores nothing, and the id is seen.
	if first, err := s.EnqueueEvent(ctx(t), bot.OutboxEvent{Platform: "slack", EventID: "Ev1", Payload: payload("again")}); err != nil || first {
		t.Errorf("EnqueueEvent of a known id = %v, %v; want false", first, err)
	}
	if first, err := s.FirstSeen(ctx(t), "slack", "Ev2"); err != nil || first {
		t.Errorf("FirstSeen of an enqueued id = %v, %v; want false", first, err)
	}
	// An id FirstSeen recorded (a refused event) is not enqueued later.
	if first, err := s.FirstSeen(ctx(t), "slack", "EvBusy"); err != nil || !first {
		t.Fatalf("FirstSeen = %v, %v", first, err)
	}
	if first, err := s.EnqueueEvent(ctx(t), bot.OutboxEvent{Platform: "slack", EventID: "EvBusy", Payload: payload("x")}); err != nil || first {
		t.Errorf("EnqueueEvent of an id seen before = %v, %v; want false", first, err)
	}
	mustPending(t, s, "slack", 2)
	mustPending(t, s, "discord", 1)

	es, err := s.ClaimEvents(ctx(t), "slack", "A", time.Hour, 1)
	if err != nil || len(es) != 1 {
		t.Fatalf("ClaimEvents = %+v, %v; want one event", es, err)
	}
	e := es[0]
	if e.Platform != "slack" || e.EventID != "Ev1" || e.State != bot.OutboxClaimed || e.Owner != "A" || e.Attempts != 1 {
		t.Errorf("claimed %+v; want slack/Ev1 claimed by A, attempt 1", e)
	}
	if string(e.Payload) != string(payload("Ev1")) {
		t.Errorf("payload = %s, want it verbatim: %s", e.Payload, payload("Ev1"))
	}
	if e.CreatedAt.Location() != time.UTC || e.CreatedAt.Before(before) || e.CreatedAt.After(time.Now().Add(time.Minute)) {
		t.Errorf("CreatedAt = %v, want about now in UTC", e.CreatedAt)
	}
	if e.LeaseUntil.Location() != time.UTC || !e.LeaseUntil.After(time.Now().Add(50*time.Minute)) || e.LeaseUntil.Truncate(time.Millisecond) != e.LeaseUntil {
		t.Errorf("LeaseUntil = %v, want an hour ahead, in UTC, in milliseconds", e.LeaseUntil)
	}
	if got := claimIDs(t, s, "slack", "B", time.Hour, 5); strings.Join(got, ",") != "Ev2" {
		t.Errorf("second claim got %q, want Ev2 only (Ev1 is A's)", got)
	}
	if got := claimIDs(t, s, "slack", "C", time.Hour, 5); len(got) != 0 {
		t.Errorf("third claim got %q, want nothing", got)
	}
	mustPending(t, s, "slack", 2) // claimed events are still the backlog

	if err := s.FinishEvent(ctx(t), "slack", "Ev2", "A"); !errors.Is(err, bot.ErrClaimLost) {
		t.Errorf("FinishEvent of B's event by A = %v, want ErrClaimLost", err)
	}
	if err := s.FinishEvent(ctx(t), "slack", "Ev1", "A"); err != nil {
		t.Fatalf("FinishEvent: %v", err)
	}
	if err := s.FinishEvent(ctx(t), "slack", "Ev1", "A"); !errors.Is(err, bot.ErrClaimLost) {
		t.Errorf("FinishEvent twice = %v, want ErrClaimLost", err)
	}
	if err := s.FinishEvent(ctx(t), "slack", "EvNone", "A"); !errors.Is(err, bot.ErrClaimLost) {
		t.Errorf("FinishEvent of an unknown event = %v, want ErrClaimLost", err)
	}
	mustPending(t, s, "slack", 1)
	if got := claimIDs(t, s, "discord", "A", time.Hour, 5); strings.Join(got, ",") != "Ev1" {
		t.Errorf("discord claim got %q, want its own Ev1", got)
	}
	if err := s.FinishEvent(ctx(t), "slack", "Ev2", "B"); err != nil {
		t.Fatal(err)
	}
	mustPending(t, s, "slack", 0)
	if got := claimIDs(t, s, "slack", "A", time.Hour, 5); len(got) != 0 {
		t.Errorf("claim after all were done got %q, want nothing", got)
	}
}

func testOutboxOldestFirst(t *testing.T, s bot.Store) {
	for i := range 5 {
		mustEnqueue(t, s, "slack", fmt.Sprintf("Ev%d", i))
		time.Sleep(2 * time.Millisecond) // distinct stamps, at the stores' millisecond precision
	}
	got := claimIDs(t, s, "slack", "A", time.Hour, 3)
	if strings.Join(got, ",") != "Ev0,Ev1,Ev2" {
		t.Errorf("claimed %q, want the three oldest in order", got)
	}
	if got := claimIDs(t, s, "slack", "A", time.Hour, 3); strings.Join(got, ",") != "Ev3,Ev4" {
		t.Errorf("then claimed %q, want Ev3,Ev4", got)
	}
}

func testOutboxBadInput(t *testing.T, s bot.Store) {
	for _, e := range []bot.OutboxEvent{
		{EventID: "Ev1", Payload: payload("1")},
		{Platform: "slack", Payload: payload("1")},
		{Platform: "slack", EventID: "Ev1"},
		{Platform: "slack", EventID: "Ev1", Payload: json.RawMessage(`{"text":`)},
	} {
		if first, err := s.EnqueueEvent(ctx(t), e); err == nil || first {
			t.Errorf("EnqueueEvent(%+v) = %v, %v; want an error", e, first, err)
		}
	}
	mustPending(t, s, "slack", 0)
	// A refused event leaves its id unseen.
	if first, err := s.FirstSeen(ctx(t), "slack", "Ev1"); err != nil || !first {
		t.Errorf("FirstSeen after refused enqueues = %v, %v; want true", first, err)
	}
	for _, c := range []struct {
		platform, owner string
		lease           time.Duration
		limit           int
	}{{"", "A", time.Hour, 1}, {"slack", "", time.Hour, 1}, {"slack", "A", 0, 1}, {"slack", "A", time.Hour, 0}} {
		if es, err := s.ClaimEvents(ctx(t), c.platform, c.owner, c.lease, c.limit); err == nil || len(es) != 0 {
			t.Errorf("ClaimEvents(%+v) = %v, %v; want an error", c, es, err)
		}
	}
	if _, err := s.ExpireEvents(ctx(t), "slack", -time.Second); err == nil {
		t.Errorf("ExpireEvents with a negative age: no error")
	}
}

func testOutboxConcurrentClaimers(t *testing.T, s bot.Store) {
	const events, claimers = 60, 8
	for i := range events {
		mustEnqueue(t, s, "slack", fmt.Sprintf("Ev%03d", i))
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		got   = map[string][]string{} // event → owners
		errs  []error
		start = make(chan struct{})
	)
	for c := range claimers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			owner := fmt.Sprintf("worker-%d", c)
			for {
				es, err := s.ClaimEvents(ctx(t), "slack", owner, time.Hour, 3)
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				}
				for _, e := range es {
					got[e.EventID] = append(got[e.EventID], owner)
				}
				mu.Unlock()
				if err != nil || len(es) == 0 {
					return
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d claims failed, first: %v", len(errs), errs[0])
	}
	if len(got) != events {
		t.Errorf("%d of %d events claimed", len(got), events)
	}
	for id, owners := range got {
		if len(owners) != 1 {
			t.Errorf("%s claimed by %q, want one owner", id, owners)
		}
	}
}

func testOutboxExpiredLeaseTakenOver(t *testing.T, s bot.Store) {
	mustEnqueue(t, s, "slack", "Ev1", "Ev2")
	if got := claimIDs(t, s, "slack", "A", time.Millisecond, 2); len(got) != 2 {
		t.Fatalf("A claimed %q, want both", got)
	}
	time.Sleep(30 * time.Millisecond)
	es, err := s.ClaimEvents(ctx(t), "slack", "B", time.Hour, 1)
	if err != nil || len(es) != 1 || es[0].EventID != "Ev1" || es[0].Owner != "B" || es[0].Attempts != 2 {
		t.Fatalf("takeover = %+v, %v; want Ev1 for B at attempt 2", es, err)
	}
	if err := s.FinishEvent(ctx(t), "slack", "Ev1", "A"); !errors.Is(err, bot.ErrClaimLost) {
		t.Errorf("FinishEvent by the owner taken over = %v, want ErrClaimLost", err)
	}
	if err := s.FinishEvent(ctx(t), "slack", "Ev1", "B"); err != nil {
		t.Errorf("FinishEvent by the new owner: %v", err)
	}
	// A lapsed lease nobody took over is still the owner's to finish.
	if err := s.FinishEvent(ctx(t), "slack", "Ev2", "A"); err != nil {
		t.Errorf("FinishEvent under a lapsed lease nobody took: %v", err)
	}
	mustPending(t, s, "slack", 0)
}

func testOutboxRelease(t *testing.T, s bot.Store) {
	mustEnqueue(t, s, "slack", "Ev1", "Ev2", "Ev3")
	if got := claimIDs(t, s, "slack", "A", time.Hour, 2); len(got) != 2 {
		t.Fatalf("A claimed %q, want 2", got)
	}
	if got := claimIDs(t, s, "slack", "B", time.Hour, 1); strings.Join(got, ",") != "Ev3" {
		t.Fatalf("B claimed %q, want Ev3", got)
	}
	if err := s.ReleaseEvents(ctx(t), "slack", "A"); err != nil {
		t.Fatal(err)
	}
	if err := s.ReleaseEvents(ctx(t), "slack", "nobody"); err != nil {
		t.Fatal(err)
	}
	mustPending(t, s, "slack", 3)
	es, err := s.ClaimEvents(ctx(t), "slack", "C", time.Hour, 5)
	if err != nil || len(es) != 2 {
		t.Fatalf("claim after release = %+v, %v; want A's two", es, err)
	}
	for _, e := range es {
		// Released mid-answer: the next owner must look before posting.
		if e.Owner != "C" || e.Attempts != 2 || e.EventID == "Ev3" {
			t.Errorf("after release: %+v; want A's event for C at attempt 2", e)
		}
	}
	if err := s.FinishEvent(ctx(t), "slack", "Ev3", "B"); err != nil {
		t.Errorf("B's claim after A's release: %v", err)
	}
	if err := s.FinishEvent(ctx(t), "slack", es[0].EventID, "A"); !errors.Is(err, bot.ErrClaimLost) {
		t.Errorf("FinishEvent of a released event = %v, want ErrClaimLost", err)
	}
}

func testOutboxFreshness(t *testing.T, s bot.Store) {
	const window = 250 * time.Millisecond
	// Ev1Live is claimed for an hour, Ev2Lapsed under a lease that lapses
	// at once, Ev3Old stays pending; all three grow older than the window.
	mustEnqueue(t, s, "slack", "Ev1Live")
	if got := claimIDs(t, s, "slack", "L", time.Hour, 1); strings.Join(got, ",") != "Ev1Live" {
		t.Fatalf("L claimed %q, want Ev1Live", got)
	}
	mustEnqueue(t, s, "slack", "Ev2Lapsed")
	if got := claimIDs(t, s, "slack", "D", time.Millisecond, 1); strings.Join(got, ",") != "Ev2Lapsed" {
		t.Fatalf("D claimed %q, want Ev2Lapsed", got)
	}
	mustEnqueue(t, s, "slack", "Ev3Old")
	mustEnqueue(t, s, "discord", "Ev3Old")
	time.Sleep(2 * window)
	mustEnqueue(t, s, "slack", "Ev4New")

	n, err := s.ExpireEvents(ctx(t), "slack", window)
	if err != nil || n != 2 {
		t.Errorf("ExpireEvents = %d, %v; want 2 (the pending one and the lapsed claim; not the live claim, not the new one)", n, err)
	}
	mustPending(t, s, "slack", 2) // Ev1Live (claimed) and Ev4New
	mustPending(t, s, "discord", 1)
	if got := claimIDs(t, s, "slack", "C", time.Hour, 5); strings.Join(got, ",") != "Ev4New" {
		t.Errorf("claim after expiry got %q, want Ev4New only", got)
	}
	if err := s.FinishEvent(ctx(t), "slack", "Ev2Lapsed", "D"); !errors.Is(err, bot.ErrClaimLost) {
		t.Errorf("FinishEvent of an expired event = %v, want ErrClaimLost", err)
	}
	if err := s.FinishEvent(ctx(t), "slack", "Ev1Live", "L"); err != nil {
		t.Errorf("the live claim's owner finishes it: %v", err)
	}
	if n, err := s.ExpireEvents(ctx(t), "slack", window); err != nil || n != 0 {
		t.Errorf("ExpireEvents again = %d, %v; want 0", n, err)
	}
	mustPending(t, s, "slack", 1)
}

func runOutboxReplicas(t *testing.T, open func(t *testing.T, n int) []bot.Store) {
	t.Run("OutboxClaimAcrossReplicas", func(t *testing.T) {
		stores := open(t, 3)
		const events = 30
		for i := range events {
			mustEnqueue(t, stores[i%len(stores)], "slack", fmt.Sprintf("Ev%03d", i))
		}
		// Another replica sees a retry as known.
		if first, err := stores[1].EnqueueEvent(ctx(t), bot.OutboxEvent{Platform: "slack", EventID: "Ev000", Payload: payload("x")}); err != nil || first {
			t.Errorf("retry on another replica = %v, %v; want false", first, err)
		}
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			seen []string
			errs []error
		)
		for i := range 9 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					es, err := stores[i%len(stores)].ClaimEvents(ctx(t), "slack", fmt.Sprintf("replica-%d", i), time.Hour, 2)
					mu.Lock()
					if err != nil {
						errs = append(errs, err)
					}
					for _, e := range es {
						seen = append(seen, e.EventID)
					}
					mu.Unlock()
					if err != nil || len(es) == 0 {
						return
					}
				}
			}()
		}
		wg.Wait()
		if len(errs) > 0 {
			t.Fatalf("claims failed: %v", errs[0])
		}
		sort.Strings(seen)
		for i := 1; i < len(seen); i++ {
			if seen[i] == seen[i-1] {
				t.Errorf("%s claimed twice across replicas", seen[i])
			}
		}
		if len(seen) != events {
			t.Errorf("%d claims, want %d", len(seen), events)
		}
		mustPending(t, stores[2], "slack", events)
	})
}
