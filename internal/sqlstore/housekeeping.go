package sqlstore

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
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

// EncodeTurn is the stored form of one conversation turn: the JSON of
// bot.Turn. The answer's MarshalJSON is written in place rather than
// through json.Marshal of the turn, which scans and compacts what a
// Marshaler returns, a third of a turn's encoding; the one difference is
// that "<", ">" and "&" in the answer are not escaped, which decodes the
// same (TestEncodeTurnIsTurnJSON).
func EncodeTurn(t bot.Turn) (string, error) {
	q, err := json.Marshal(t.Question)
	if err != nil {
		return "", err
	}
	a, err := t.Answer.MarshalJSON()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.Grow(len(q) + len(a) + 24)
	b.WriteString(`{"question":`)
	b.Write(q)
	b.WriteString(`,"answer":`)
	b.Write(a)
	b.WriteByte('}')
	return b.String(), nil
}

// StoredTurn is what DecodeTurn(EncodeTurn(t)) returns, without the JSON
// round trip (a tenth of a question's cost at load): t itself, its slices
// copied. ok is false when a string is not valid UTF-8, which the JSON
// encoder would change; the caller then takes the round trip.
func StoredTurn(t bot.Turn) (stored bot.Turn, ok bool) {
	valid := func(cs []briefs.Citation) bool {
		for _, c := range cs {
			if !utf8.ValidString(c.Source) || !utf8.ValidString(c.Text) {
				return false
			}
		}
		return true
	}
	a := t.Answer
	for _, s := range []string{t.Question, a.Question, a.Answer, a.Mode} {
		if !utf8.ValidString(s) {
			return bot.Turn{}, false
		}
	}
	if !valid(a.Citations) || !valid(a.Nearest) {
		return bot.Turn{}, false
	}
	t.Answer.Citations, t.Answer.Nearest = slices.Clone(a.Citations), slices.Clone(a.Nearest)
	return t, true
}

// DecodeTurn reads what EncodeTurn stored.
func DecodeTurn(data []byte) (bot.Turn, error) {
	var t bot.Turn
	if err := json.Unmarshal(data, &t); err != nil {
		return bot.Turn{}, err
	}
	return t, nil
}
