package bot

import (
	"context"
	"encoding/json"
	"time"
)

// OutboxState is where an accepted platform event is in the outbox.
type OutboxState string

const (
	OutboxPending OutboxState = "pending" // accepted, waiting for a worker
	OutboxClaimed OutboxState = "claimed" // a worker holds it under a lease
	OutboxDone    OutboxState = "done"    // answered (or found not to need an answer)
	OutboxExpired OutboxState = "expired" // older than the freshness window before anyone answered it
)

// OutboxEvent is one accepted platform event waiting for its answer. The
// platform acknowledged it only after it was stored, so a crash, a
// shutdown or a flood cannot lose it: some worker of some replica answers
// it, or it expires and is counted.
type OutboxEvent struct {
	Platform string `json:"platform"`
	EventID  string `json:"event_id"`
	// Payload is what the adapter needs to answer the event, in its own
	// JSON; stores keep it verbatim.
	Payload json.RawMessage `json:"payload"`
	State   OutboxState     `json:"state"`
	Owner   string          `json:"owner,omitempty"`
	// LeaseUntil is when the claim lapses (millisecond precision).
	LeaseUntil time.Time `json:"lease_until,omitempty"`
	// Attempts counts claims; above 1 an earlier owner may have posted
	// the answer (or part of it) before it crashed or was stopped, so
	// check the platform before posting again.
	Attempts  int       `json:"attempts"`
	CreatedAt time.Time `json:"created_at"` // set by the store, millisecond precision
}

// Outbox is the bounded work queue between acknowledging a platform event
// and answering it. It has the claim discipline of the digest ledger:
// times and leases are measured on the database's clock (PostgreSQL's
// now(); SQLite's process clock), an event is held by one owner at a time,
// and an owner that crashed loses it when its lease runs out.
//
// Rows are kept as a trace for at least as long as FirstSeen remembers ids,
// then forgotten with them.
type Outbox interface {
	// EnqueueEvent records e.Platform/e.EventID as FirstSeen does and,
	// when the id is new, stores e pending, in one transaction: either
	// the id is seen and the event stored, or neither. It reports whether
	// the id was new; a known id (a platform retry) stores nothing. Only
	// Platform, EventID and Payload are read from e; all three are
	// required and Payload must be valid JSON.
	EnqueueEvent(ctx context.Context, e OutboxEvent) (bool, error)
	// ClaimEvents takes up to limit (> 0) events of platform that are
	// pending or claimed under an expired lease, oldest first, for owner
	// until now+lease (lease > 0), each with Attempts+1. Of concurrent
	// claimers, on any replica, no two get the same event.
	ClaimEvents(ctx context.Context, platform, owner string, lease time.Duration, limit int) ([]OutboxEvent, error)
	// FinishEvent marks a claimed event done. It returns ErrClaimLost
	// when owner no longer holds it (another owner took it over, or it
	// was released or expired); an expired lease nobody took over still
	// counts as held.
	FinishEvent(ctx context.Context, platform, eventID, owner string) error
	// ReleaseEvents puts back the events of platform that owner holds
	// (live leases or not) as pending, keeping their Attempts, so that
	// any replica may claim them at once: a worker stopped mid-answer
	// leaves its event to the next one.
	ReleaseEvents(ctx context.Context, platform, owner string) error
	// ExpireEvents marks expired the events of platform stored more than
	// olderThan ago that nobody is answering (pending, or claimed under
	// an expired lease), and returns how many: an answer that late is of
	// no use. A live claim is left to its owner.
	ExpireEvents(ctx context.Context, platform string, olderThan time.Duration) (int, error)
	// PendingCount is the number of events of platform not yet done or
	// expired: the backlog, pending and claimed alike.
	PendingCount(ctx context.Context, platform string) (int, error)
}
