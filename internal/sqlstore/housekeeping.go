package sqlstore

import (
	"encoding/json"
	"sync"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
)

// Retention of the housekeeping tables, pruned at most once per PruneEvery
// per store handle (so per process or replica).
const (
	EventRetention        = 48 * time.Hour
	ConversationRetention = 30 * 24 * time.Hour // of each turn
	HeartbeatRetention    = 24 * time.Hour      // of a store handle's heartbeat row
	PruneEvery            = time.Hour
)

// Pruner spaces out a store's deletes of old events and idle
// conversations. The zero value is ready; it is safe for concurrent use.
type Pruner struct {
	mu   sync.Mutex
	last time.Time
}

// Due reports whether a prune is due at now and, if so, counts it as
// done: of concurrent callers at most one gets true per PruneEvery. A
// failed prune is not retried before the next one is due.
func (p *Pruner) Due(now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if now.Sub(p.last) < PruneEvery {
		return false
	}
	p.last = now
	return true
}

// EncodeTurn is the stored form of one conversation turn.
func EncodeTurn(t bot.Turn) (string, error) {
	data, err := json.Marshal(t)
	return string(data), err
}

// DecodeTurn reads what EncodeTurn stored.
func DecodeTurn(data []byte) (bot.Turn, error) {
	var t bot.Turn
	if err := json.Unmarshal(data, &t); err != nil {
		return bot.Turn{}, err
	}
	return t, nil
}
