package storetest

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
)

// The claim benchmarks, shared so that the SQLite and PostgreSQL figures
// in docs/operations.md “Where alexa-brief keeps its state” measure the very same work:
//
//	func BenchmarkClaimSlot(b *testing.B) { storetest.BenchClaimSlot(b, open(b)) }

// BenchClaimSlot measures claims of fresh slots from parallel goroutines,
// each a first claim written to the ledger. s is a fresh, empty store.
func BenchClaimSlot(b *testing.B, s bot.Store) {
	ctx := context.Background()
	sub := benchSub(b, s)
	var next atomic.Int64
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			slot := base.Add(time.Duration(next.Add(1)) * time.Minute)
			if _, ok, err := s.ClaimSlot(ctx, sub.ID, slot, "bench", time.Hour); err != nil || !ok {
				b.Errorf("claim %s: ok %v, err %v", slot, ok, err)
				return
			}
		}
	})
}

// BenchClaimSlotContended measures claims of one of 8 slots another owner
// holds, the refusal path replicas take when they race. s is a fresh,
// empty store.
func BenchClaimSlotContended(b *testing.B, s bot.Store) {
	ctx := context.Background()
	sub := benchSub(b, s)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 8 {
		if _, ok, err := s.ClaimSlot(ctx, sub.ID, base.Add(time.Duration(i)*time.Minute), "holder", time.Hour); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
	var next atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			slot := base.Add(time.Duration(next.Add(1)%8) * time.Minute)
			if _, ok, err := s.ClaimSlot(ctx, sub.ID, slot, "other", time.Hour); err != nil || ok {
				b.Errorf("claim %s: ok %v, err %v; want refused", slot, ok, err)
				return
			}
		}
	})
}

func benchSub(b *testing.B, s bot.Store) bot.Subscription {
	b.Helper()
	sub, err := s.PutSubscription(context.Background(), bot.Subscription{Scope: bot.Scope{Platform: "slack", Team: "T", Channel: "C"}, Schedule: "@every 1m"})
	if err != nil {
		b.Fatal(err)
	}
	return sub
}
