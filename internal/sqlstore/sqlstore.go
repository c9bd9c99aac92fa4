// Package sqlstore holds the dialect-free pieces that adapters/sqlite and
// adapters/postgres share. Adapters never import each other, yet both stores
// must read and check records the same way for bot/storetest to hold for
// both: the column order and row-to-record conversion, argument checks and
// their errors, migration loading and versioning, the bound on conversations,
// the article text hash, the assembly of articles with their stories and
// copies, and the pruning cadence live here once. Everything
// that depends on the SQL dialect or the driver (statements, time encoding,
// transactions, error codes) stays in the store.
package sqlstore

import (
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
)

// Row is one result row of either driver: *sql.Row, *sql.Rows and pgx.Row
// all have this method.
type Row interface {
	Scan(dest ...any) error
}

// Times is how a store's driver hands over time columns, the one thing
// that differs when the stores read a record: each method returns the scan
// destination that sets *t, in UTC.
type Times interface {
	// Instant is a time that is always set, such as a slot.
	Instant(t *time.Time) any
	// Stamp is a second-precision time; the store's "unset" reads as the
	// zero time.
	Stamp(t *time.Time) any
	// Lease is the millisecond-precision lease_until; "unset" reads as the
	// zero time.
	Lease(t *time.Time) any
}

// SubscriptionCols are the subscriptions columns ScanSubscription reads, in order.
const SubscriptionCols = "id, platform, team, channel, schedule, only_new, created_by, created_at"

// ScanSubscription reads a row of SubscriptionCols.
func ScanSubscription(row Row, tc Times) (bot.Subscription, error) {
	var sub bot.Subscription
	err := row.Scan(&sub.ID, &sub.Platform, &sub.Team, &sub.Channel, &sub.Schedule, &sub.OnlyNew, &sub.CreatedBy, tc.Stamp(&sub.CreatedAt))
	return sub, err
}

// DeliveryCols are the deliveries columns ScanDelivery reads, in order.
const DeliveryCols = "subscription_id, slot, state, owner, lease_until, attempts, message_id, error, late, corpus_version, updated_at"

// ScanDelivery reads a row of DeliveryCols.
func ScanDelivery(row Row, tc Times) (bot.Delivery, error) {
	var d bot.Delivery
	var state string
	err := row.Scan(&d.SubscriptionID, tc.Instant(&d.Slot), &state, &d.Owner, tc.Lease(&d.LeaseUntil), &d.Attempts,
		&d.MessageID, &d.Error, &d.Late, &d.CorpusVersion, tc.Stamp(&d.UpdatedAt))
	d.State = bot.DeliveryState(state)
	return d, err
}

// InstallCols are the installs columns ScanInstall reads, in order; the
// key (platform, team) is what the caller looked up.
const InstallCols = "enterprise, bot_token, bot_user_id, installed_at"

// ScanInstall reads a row of InstallCols for the install of (platform, team).
func ScanInstall(row Row, tc Times, platform, team string) (bot.Install, error) {
	in := bot.Install{Platform: platform, Team: team}
	err := row.Scan(&in.Enterprise, &in.BotToken, &in.BotUserID, tc.Stamp(&in.InstalledAt))
	return in, err
}
