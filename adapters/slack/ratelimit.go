package slack

import (
	"sync"
	"time"
)

// Slack's chat.postMessage limits: "generally 1 message per second to a
// specific channel" and a workspace budget of "several hundred messages per
// minute". The limiter keeps under both so that 429s are the exception.
const (
	channelInterval = time.Second
	teamPerMinute   = 300
	teamBurst       = 20
)

// limiter hands out send times: one per second per channel, and a token
// bucket (GCRA) of teamPerMinute with a small burst per workspace.
// Reservations make concurrent senders queue instead of racing.
type limiter struct {
	now func() time.Time

	mu       sync.Mutex
	channels map[string]time.Time // team/channel → next free slot
	teams    map[string]time.Time // team → theoretical arrival time
}

func newLimiter(now func() time.Time) *limiter {
	return &limiter{now: now, channels: map[string]time.Time{}, teams: map[string]time.Time{}}
}

// reserve books the next send to channel of team and returns how long to
// wait before it.
func (l *limiter) reserve(team, channel string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.prune(now)

	key := team + "/" + channel
	at := now
	if next := l.channels[key]; next.After(at) {
		at = next
	}

	// GCRA: a send at t is allowed when t ≥ tat − burst·interval.
	interval := time.Minute / teamPerMinute
	tat := l.teams[team]
	if tat.Before(now) {
		tat = now
	}
	if allowed := tat.Add(-teamBurst * interval); allowed.After(at) {
		at = allowed
	}
	if tat.Before(at) {
		tat = at
	}
	l.teams[team] = tat.Add(interval)
	l.channels[key] = at.Add(channelInterval)
	return at.Sub(now)
}

// hold pushes the channel's next free slot to at least now+d, after Slack
// said to wait d (a 429).
func (l *limiter) hold(team, channel string, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	key := team + "/" + channel
	if until := l.now().Add(d); until.After(l.channels[key]) {
		l.channels[key] = until
	}
}

// prune drops slots long past so the maps do not grow without bound.
func (l *limiter) prune(now time.Time) {
	if len(l.channels) < 4096 && len(l.teams) < 4096 {
		return
	}
	for k, t := range l.channels {
		if now.Sub(t) > time.Minute {
			delete(l.channels, k)
		}
	}
	for k, t := range l.teams {
		if now.Sub(t) > time.Minute {
			delete(l.teams, k)
		}
	}
}
