package sqlstore

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
)

// OutboxCols are the outbox columns ScanOutboxEvent reads, in order.
const OutboxCols = "platform, event_id, payload, state, owner, lease_until, attempts, created_at"

// ScanOutboxEvent reads a row of OutboxCols; created_at is read like a
// lease (to the millisecond), since it orders events and ages them.
func ScanOutboxEvent(row Row, tc Times) (bot.OutboxEvent, error) {
	var e bot.OutboxEvent
	var payload, state string
	err := row.Scan(&e.Platform, &e.EventID, &payload, &state, &e.Owner, tc.Lease(&e.LeaseUntil), &e.Attempts, tc.Lease(&e.CreatedAt))
	e.Payload, e.State = json.RawMessage(payload), bot.OutboxState(state)
	return e, err
}

// SortOutbox orders claimed events oldest first, as ClaimEvents returns
// them: RETURNING promises no order.
func SortOutbox(es []bot.OutboxEvent) {
	sort.SliceStable(es, func(i, j int) bool {
		if !es[i].CreatedAt.Equal(es[j].CreatedAt) {
			return es[i].CreatedAt.Before(es[j].CreatedAt)
		}
		return es[i].EventID < es[j].EventID
	})
}

// CheckOutboxEvent refuses an event without its ids or with a payload that
// is not JSON.
func CheckOutboxEvent(e bot.OutboxEvent) error {
	if e.Platform == "" || e.EventID == "" {
		return errors.New("an outbox event needs its platform and event id")
	}
	if !json.Valid(e.Payload) {
		return fmt.Errorf("event %s/%s: the payload is not JSON", e.Platform, e.EventID)
	}
	return nil
}

// CheckOutboxClaim refuses a claim without a platform or owner, with no
// lease or a limit below 1.
func CheckOutboxClaim(platform, owner string, lease time.Duration, limit int) error {
	if platform == "" {
		return errors.New("empty platform")
	}
	if err := CheckClaim(owner, lease); err != nil {
		return err
	}
	if limit < 1 {
		return fmt.Errorf("limit %d: want at least 1", limit)
	}
	return nil
}

// CheckOutboxAge refuses a negative freshness window: every event would
// expire at once.
func CheckOutboxAge(olderThan time.Duration) error {
	if olderThan < 0 {
		return fmt.Errorf("negative age %s", olderThan)
	}
	return nil
}

// LostEvent is FinishEvent's error when owner no longer holds the event.
func LostEvent(platform, eventID, owner string) error {
	return fmt.Errorf("finish event %s/%s for %s: %w", platform, eventID, owner, bot.ErrClaimLost)
}
