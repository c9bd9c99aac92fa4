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
// implement it and pass the same conformance suite (bot/storetest).
type Store interface {
	// Subscriptions: one per scope; Put replaces an existing one.
	PutSubscription(ctx context.Context, s Subscription) (Subscription, error)
	DeleteSubscription(ctx context.Context, sc Scope) (bool, error)
	Subscription(ctx context.Context, sc Scope) (Subscription, error) // ErrNotFound
	Subscriptions(ctx context.Context) ([]Subscription, error)

	// Conversations: a bounded history per conversation key.
	Conversation(ctx context.Context, key string) ([]Turn, error) // empty when none
	PutConversation(ctx context.Context, key string, turns []Turn) error

	// FirstSeen records a platform event id and reports whether it is new.
	// Atomic across replicas: of concurrent callers exactly one gets true.
	FirstSeen(ctx context.Context, platform, eventID string) (bool, error)

	// The digest ledger.
	// ClaimSlot takes a slot for owner until now+lease. ok is false when the
	// slot is posted, skipped, failed for good, or claimed by a live lease.
	// An expired claim is taken over (Attempts grows).
	ClaimSlot(ctx context.Context, subID int64, slot time.Time, owner string, lease time.Duration) (d Delivery, ok bool, err error)
	// FinishSlot records the outcome (posted or failed) of a claim owner holds.
	FinishSlot(ctx context.Context, d Delivery) error
	// SkipSlot records a slot missed beyond the catch-up window; it never
	// overrides a posted slot.
	SkipSlot(ctx context.Context, subID int64, slot time.Time, reason string) error
	// LastDelivery is the newest ledger row of a subscription (ErrNotFound).
	LastDelivery(ctx context.Context, subID int64) (Delivery, error)
	// LastPosted is the newest posted row (ErrNotFound).
	LastPosted(ctx context.Context, subID int64) (Delivery, error)
	// ReleaseClaims drops the unexpired claims owner holds but has not posted.
	ReleaseClaims(ctx context.Context, owner string) error
	// Deliveries lists ledger rows of a subscription, newest first, at most limit.
	Deliveries(ctx context.Context, subID int64, limit int) ([]Delivery, error)

	// Installs: bot tokens per workspace or guild.
	PutInstall(ctx context.Context, in Install) error
	Install(ctx context.Context, platform, team string) (Install, error) // ErrNotFound

	// Articles ingested into the stored corpus, deduplicated by id and text.
	AddArticle(ctx context.Context, a briefs.Article) (added bool, err error)
	Articles(ctx context.Context) ([]briefs.Article, error)

	Ping(ctx context.Context) error
	Close() error
}
