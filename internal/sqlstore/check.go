package sqlstore

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
)

// The argument checks both stores make before touching the database, so
// that a bad call fails the same way whichever store runs. The errors have
// no store prefix: the store adds its own and the operation.

// CheckScope refuses a scope with an empty part.
func CheckScope(sc bot.Scope) error {
	if sc.Platform == "" || sc.Team == "" || sc.Channel == "" {
		return fmt.Errorf("incomplete scope %q/%q/%q", sc.Platform, sc.Team, sc.Channel)
	}
	return nil
}

// CheckClaim refuses a claim without an owner or with no lease.
func CheckClaim(owner string, lease time.Duration) error {
	if owner == "" || lease <= 0 {
		return errors.New("need an owner and a positive lease")
	}
	return nil
}

// CheckFinish refuses to finish a claim in a state other than posted,
// failed or skipped.
func CheckFinish(state bot.DeliveryState) error {
	if state != bot.StatePosted && state != bot.StateFailed && state != bot.StateSkipped {
		return fmt.Errorf("state %q is not posted, failed or skipped", state)
	}
	return nil
}

// CheckInstall refuses an install without its key.
func CheckInstall(in bot.Install) error {
	if in.Platform == "" || in.Team == "" {
		return errors.New("platform and team are required")
	}
	return nil
}

// UnknownSubscription is the error for a ledger write whose subscription
// does not exist (the store saw a foreign key violation).
func UnknownSubscription(subID int64) error {
	return fmt.Errorf("subscription %d: %w", subID, bot.ErrNotFound)
}

// LostClaim is FinishSlot's error when d.Owner no longer holds the claim.
func LostClaim(d bot.Delivery) error {
	return fmt.Errorf("finish slot %d@%s for %s: %w", d.SubscriptionID, Second(d.Slot).Format(time.RFC3339), d.Owner, bot.ErrClaimLost)
}

// Second is t as the stores keep it: UTC, whole seconds.
func Second(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// TextHash is what makes the articles table refuse a second copy of the
// same text under another id: the hex SHA-256 of the text.
func TextHash(text string) string {
	h := sha256.Sum256([]byte(text))
	return hex.EncodeToString(h[:])
}
