package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// Conversations, the resolution of dead owners' claims, and the
// heartbeat (issue 13).

func turn(q, a string) bot.Turn {
	return bot.Turn{Question: q, Answer: briefs.Answer{
		Question: q, Answered: a != "", Answer: a,
		Citations: []briefs.Citation{{Source: "000_c1f63e7485ba089f", Text: a}},
	}}
}

func appendTurns(t *testing.T, s bot.Store, key string, turns ...bot.Turn) {
	t.Helper()
	for _, tr := range turns {
		if err := s.AppendTurn(ctx(t), key, tr); err != nil {
			t.Fatalf("AppendTurn(%q, %q): %v", key, tr.Question, err)
		}
	}
}

func testConversation(t *testing.T, s bot.Store) {
	if got, err := s.Conversation(ctx(t), "none"); err != nil || len(got) != 0 {
		t.Fatalf("Conversation(none) = %v, %v; want empty", got, err)
	}
	turns := []bot.Turn{
		turn("How much did the devices unit lose?", "over $25 billion"),
		turn("and in 2021?", ""),
		turn("Qui l’a dit ? « minuteur » 🎙️", "a smart timer"),
	}
	appendTurns(t, s, "slack/T1/D1/1.0", turns...)
	appendTurns(t, s, "slack/T2/D1/1.0", turns[:1]...)
	tests := []struct {
		key  string
		want []bot.Turn
	}{
		{"slack/T1/D1/1.0", turns},
		{"slack/T2/D1/1.0", turns[:1]}, // another team's thread of the same id
		{"slack/T1/D1/2.0", nil},
	}
	for _, tt := range tests {
		got, err := s.Conversation(ctx(t), tt.key)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(tt.want) || len(got) > 0 && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Conversation(%q):\n got %+v\nwant %+v", tt.key, got, tt.want)
		}
	}
}

func testConversationBounded(t *testing.T, s bot.Store) {
	var turns []bot.Turn
	for i := range bot.MaxTurns + 7 {
		turns = append(turns, turn(fmt.Sprintf("question %d", i), fmt.Sprintf("answer %d", i)))
	}
	appendTurns(t, s, "k", turns...)
	got, err := s.Conversation(ctx(t), "k")
	if err != nil {
		t.Fatal(err)
	}
	want := turns[len(turns)-bot.MaxTurns:]
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %d turns from %q, want the last %d from %q", len(got), got[0].Question, len(want), want[0].Question)
	}
}

// Two messages in one thread answered at once: both turns are kept, which
// a read-modify-write of the whole history would not do.
func testConversationConcurrent(t *testing.T, s bot.Store) {
	for _, n := range []int{2, 2, 2, 8} {
		key := fmt.Sprintf("slack/T1/D1/%d-%d", n, time.Now().UnixNano())
		race(t, n, func(i int) (bool, error) {
			return true, s.AppendTurn(ctx(t), key, turn(fmt.Sprintf("q%d", i), "a"))
		})
		got, err := s.Conversation(ctx(t), key)
		if err != nil {
			t.Fatal(err)
		}
		var qs []string
		for _, tr := range got {
			qs = append(qs, tr.Question)
		}
		sort.Strings(qs)
		var want []string
		for i := range n {
			want = append(want, fmt.Sprintf("q%d", i))
		}
		if !reflect.DeepEqual(qs, want) {
			t.Errorf("%d concurrent appends kept %q, want all of %q", n, qs, want)
		}
	}
}

// The owner of a claim may record it skipped: a takeover that finds no
// post of a slot too old to post now.
func testFinishSlotSkipped(t *testing.T, s bot.Store) {
	sub := mustSub(t, s, scope("slack", "T1", "C1"))
	mustClaim(t, s, sub.ID, t0, "dead", time.Millisecond)
	time.Sleep(20 * time.Millisecond)
	d := mustClaim(t, s, sub.ID, t0, "r1", time.Hour)
	other := d
	other.Owner, other.State = "r2", bot.StateSkipped
	if err := s.FinishSlot(ctx(t), other); !errors.Is(err, bot.ErrClaimLost) {
		t.Errorf("skip by a non-owner: got %v, want ErrClaimLost", err)
	}
	d.State, d.Error = bot.StateSkipped, "missed: its owner stopped"
	if err := s.FinishSlot(ctx(t), d); err != nil {
		t.Fatal(err)
	}
	got, err := s.LastDelivery(ctx(t), sub.ID)
	if err != nil || got.State != bot.StateSkipped || got.Error != d.Error || got.Attempts != 2 {
		t.Errorf("got %+v, %v; want skipped with the reason after 2 attempts", got, err)
	}
	if _, ok, err := s.ClaimSlot(ctx(t), sub.ID, t0, "r3", time.Hour); err != nil || ok {
		t.Errorf("claim of a skipped slot: ok %v, err %v; want refused", ok, err)
	}
}

func testExpiredClaims(t *testing.T, s bot.Store) {
	sub := mustSub(t, s, scope("slack", "T1", "C1"))
	other := mustSub(t, s, scope("slack", "T1", "C2"))
	if got, err := s.ExpiredClaims(ctx(t), sub.ID, 0); err != nil || len(got) != 0 {
		t.Fatalf("empty ledger: got %v, %v; want none", got, err)
	}
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	for _, h := range []int{3, 1, 5} { // dead owners, written out of order
		mustClaim(t, s, sub.ID, at(h), fmt.Sprintf("dead%d", h), time.Millisecond)
	}
	mustClaim(t, s, other.ID, at(2), "dead", time.Millisecond)
	mustClaim(t, s, sub.ID, at(4), "live", time.Hour)
	p := mustClaim(t, s, sub.ID, at(6), "r1", time.Millisecond)
	p.State, p.MessageID = bot.StatePosted, "m6"
	if err := s.FinishSlot(ctx(t), p); err != nil {
		t.Fatal(err)
	}
	if err := s.SkipSlot(ctx(t), sub.ID, at(7), "missed"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	list := func(limit int) []string {
		t.Helper()
		ds, err := s.ExpiredClaims(ctx(t), sub.ID, limit)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, d := range ds {
			if d.State != bot.StateClaimed || d.SubscriptionID != sub.ID {
				t.Errorf("listed %+v, want only claims of subscription %d", d, sub.ID)
			}
			out = append(out, fmt.Sprintf("%s %s", d.Slot.Format("15:04"), d.Owner))
		}
		return out
	}
	tests := []struct {
		limit int
		want  []string
	}{
		{0, []string{"10:00 dead1", "12:00 dead3", "14:00 dead5"}}, // oldest first; live, posted, skipped and other subscriptions' left out
		{2, []string{"10:00 dead1", "12:00 dead3"}},
	}
	for _, tt := range tests {
		if got := list(tt.limit); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ExpiredClaims(limit %d) = %q, want %q", tt.limit, got, tt.want)
		}
	}
	// A taken-over claim is live again: not listed until it expires.
	mustClaim(t, s, sub.ID, at(1), "r2", time.Hour)
	if got, want := list(0), []string{"12:00 dead3", "14:00 dead5"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after a takeover: got %q, want %q", got, want)
	}
}

func testHeartbeat(t *testing.T, s bot.Store) {
	for i := range 3 {
		if err := s.Heartbeat(ctx(t)); err != nil {
			t.Fatalf("Heartbeat %d: %v", i+1, err)
		}
	}
	mustSub(t, s, scope("slack", "T1", "C1"))
	if err := s.Heartbeat(ctx(t)); err != nil {
		t.Errorf("Heartbeat after a write: %v", err)
	}
}
