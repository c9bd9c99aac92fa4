package bot

import (
	"context"
	"errors"
	"time"

	"github.com/alexa-brief/alexa-brief/briefs"
)

// ErrNotFound is returned by stores for a missing record.
var ErrNotFound = errors.New("not found")

// ErrSchemaTooNew is returned when the database was migrated by a newer binary.
var ErrSchemaTooNew = errors.New("database schema is newer than this binary")

// ErrClaimLost is returned by FinishSlot and FinishFeedItem when the caller
// no longer holds the claim: its lease expired and another owner took the
// slot or item over, or it was released. The outcome is not recorded; the
// new owner's is.
var ErrClaimLost = errors.New("claim no longer held")

// Subscription is one channel's digest schedule.
type Subscription struct {
	ID int64 `json:"id"`
	Scope
	Schedule  string    `json:"schedule"` // as the user typed it, validated
	OnlyNew   bool      `json:"only_new"` // post only what is new since the last digest
	CreatedBy string    `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// DeliveryState is where a digest slot is in its life.
type DeliveryState string

const (
	StateClaimed DeliveryState = "claimed"
	StatePosted  DeliveryState = "posted"
	StateFailed  DeliveryState = "failed"
	StateSkipped DeliveryState = "skipped"
)

// Delivery is the ledger row of one slot: (subscription, scheduled instant).
type Delivery struct {
	SubscriptionID int64         `json:"subscription_id"`
	Slot           time.Time     `json:"slot"` // UTC, second precision
	State          DeliveryState `json:"state"`
	Owner          string        `json:"owner,omitempty"`       // replica that holds the claim
	LeaseUntil     time.Time     `json:"lease_until,omitempty"` // claim expires then
	Attempts       int           `json:"attempts"`
	MessageID      string        `json:"message_id,omitempty"`
	Error          string        `json:"error,omitempty"`
	Late           bool          `json:"late,omitempty"`
	CorpusVersion  string        `json:"corpus_version,omitempty"` // what the digest covered
	UpdatedAt      time.Time     `json:"updated_at"`
}

// Turn is one stored exchange of a conversation.
type Turn = briefs.Exchange

// MaxTurns bounds a stored conversation: AppendTurn keeps the last ones.
const MaxTurns = 20

// Install is a workspace or guild that installed the app.
type Install struct {
	Platform    string    `json:"platform"`
	Team        string    `json:"team"`
	Enterprise  string    `json:"enterprise,omitempty"`
	BotToken    string    `json:"-"`
	BotUserID   string    `json:"bot_user_id,omitempty"`
	InstalledAt time.Time `json:"installed_at"`
}

// Store is everything the core keeps. adapters/sqlite and adapters/postgres
// implement it and pass the same conformance suite (bot/storetest). The
// stored corpus, the channels' stories and the feeds are the smaller
// interfaces of stories.go, and the queue of accepted events is Outbox
// (outbox.go), for code that needs only them.
type Store interface {
	ArticleStore
	ChannelStories
	FeedStore
	Outbox

	// Subscriptions: one per scope; Put replaces an existing one, keeping
	// its ID (and so its ledger) and setting CreatedAt to s.CreatedAt, or to
	// now when zero. Delete removes the subscription's ledger too.
	PutSubscription(ctx context.Context, s Subscription) (Subscription, error)
	DeleteSubscription(ctx context.Context, sc Scope) (bool, error)
	Subscription(ctx context.Context, sc Scope) (Subscription, error) // ErrNotFound
	Subscriptions(ctx context.Context) ([]Subscription, error)

	// Conversations: a bounded history per conversation key, oldest turn
	// first, at most the last MaxTurns turns. AppendTurn adds one turn
	// without reading the others, so concurrent appends to one key are all
	// kept (two messages in one thread both count). Stores may forget
	// turns older than 30 days. The turns returned are read, not changed:
	// a store may share them with its cache (adapters/sqlite does).
	Conversation(ctx context.Context, key string) ([]Turn, error) // empty when none
	AppendTurn(ctx context.Context, key string, t Turn) error

	// FirstSeen records a platform event id and reports whether it is new.
	// Atomic across replicas: of concurrent callers exactly one gets true.
	// Ids are remembered for at least a day (platform retries come within
	// minutes).
	FirstSeen(ctx context.Context, platform, eventID string) (bool, error)

	// The digest ledger. Slots are keyed at second precision in UTC. Leases
	// are measured on the database's clock (PostgreSQL's now(); for SQLite,
	// which is one host, the process clock), never on a Clock the caller
	// fakes: "now" in `digest run --now T` picks slots, while a lease is
	// real time for a real process. LeaseUntil keeps millisecond precision.
	//
	// ClaimSlot takes a slot for owner until now+lease (lease > 0). ok is
	// false when the slot is posted, skipped, failed (a final state: the
	// poster has already retried), or claimed by a live lease; d is then the
	// row as it stands. The first claim has Attempts 1; an expired claim is
	// taken over with Attempts+1, so Attempts > 1 means an earlier owner may
	// have posted (check the platform before posting again). ErrNotFound
	// when the subscription does not exist.
	ClaimSlot(ctx context.Context, subID int64, slot time.Time, owner string, lease time.Duration) (d Delivery, ok bool, err error)
	// FinishSlot records the outcome of a claim owner holds: posted,
	// failed, or skipped (a takeover that found no post of a slot too old
	// to post now), with MessageID, Error, Late and CorpusVersion from d.
	// It returns ErrClaimLost when d.Owner no longer holds the slot; an
	// expired lease nobody took over still counts as held.
	FinishSlot(ctx context.Context, d Delivery) error
	// SkipSlot records a slot missed beyond the catch-up window. It only
	// writes a slot that has no row or an expired claim: it never overrides
	// a posted, failed or skipped slot or a live claim.
	SkipSlot(ctx context.Context, subID int64, slot time.Time, reason string) error
	// ExpiredClaims lists the claimed rows of a subscription whose lease
	// has expired (their owners died), oldest slot first, at most limit:
	// each must be taken over and resolved, even one a newer slot overtook.
	ExpiredClaims(ctx context.Context, subID int64, limit int) ([]Delivery, error)
	// LastDelivery is the ledger row with the newest slot (ErrNotFound).
	LastDelivery(ctx context.Context, subID int64) (Delivery, error)
	// LastPosted is the posted row with the newest slot (ErrNotFound).
	LastPosted(ctx context.Context, subID int64) (Delivery, error)
	// ReleaseClaims drops the unexpired claims owner holds but has not
	// posted, so that any replica may claim them at once; a released first
	// claim leaves no trace, a released takeover keeps its earlier Attempts.
	ReleaseClaims(ctx context.Context, owner string) error
	// Deliveries lists ledger rows of a subscription, newest slot first, at
	// most limit (all when limit <= 0).
	Deliveries(ctx context.Context, subID int64, limit int) ([]Delivery, error)

	// Installs: bot tokens per workspace or guild.
	PutInstall(ctx context.Context, in Install) error
	Install(ctx context.Context, platform, team string) (Install, error) // ErrNotFound

	// Ping checks that the store answers; Heartbeat that it keeps what it
	// is given: it writes a row and reads it back, and fails (naming the
	// file) when a SQLite file was deleted or replaced under the process,
	// which SQLite alone would not notice. Every write checks that too.
	Ping(ctx context.Context) error
	Heartbeat(ctx context.Context) error
	Close() error
}
