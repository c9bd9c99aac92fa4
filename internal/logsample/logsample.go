// Package logsample keeps a flood of alike warnings (bad signatures from
// one misbehaving client) from flooding the log: at most one line per key
// per interval, each saying how many it stands in for.
package logsample

import (
	"sync"
	"time"
)

// Sampler decides which lines of a repeated kind get written. Keys must
// come from a small fixed set (an endpoint path, a reason): each key is
// remembered for the life of the Sampler. It is safe for concurrent use.
type Sampler struct {
	every time.Duration
	now   func() time.Time

	mu   sync.Mutex
	keys map[string]*state
}

type state struct {
	last       time.Time // when the last line for the key was written
	suppressed int       // lines left out since then
}

// New returns a Sampler letting one line per key through every interval,
// measured on now (time.Now when nil).
func New(every time.Duration, now func() time.Time) *Sampler {
	if now == nil {
		now = time.Now
	}
	return &Sampler{every: every, now: now, keys: map[string]*state{}}
}

// Allow reports whether a line for key may be written now. When it may,
// suppressed is how many lines for key were left out since the last one.
func (s *Sampler) Allow(key string) (ok bool, suppressed int) {
	t := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	st, seen := s.keys[key]
	if !seen {
		st = &state{}
		s.keys[key] = st
	}
	// A clock that stepped back lets a line through rather than silencing
	// the key until it catches up.
	if d := t.Sub(st.last); seen && d >= 0 && d < s.every {
		st.suppressed++
		return false, 0
	}
	n := st.suppressed
	st.last, st.suppressed = t, 0
	return true, n
}
