package discord

import (
	"context"
	"sync"
	"time"
)

// globalLimiter keeps to Discord's global limit: at most limit requests
// per window, counted where Discord counts them, on arrival.
//
// We cannot see an arrival, but we can bound it: a request arrives after
// it starts and before its answer comes back. So a request occupies one
// of limit slots from its start until window after its answer. A new
// request starts only in a free slot, and then no window on Discord's side
// can hold more than limit arrivals, however the one-way latencies vary.
// Take the window's last-started request k: every other request in the
// window arrived after (k's arrival − window) ≥ (k's start − window), so
// its answer came back after that too, and it still held its slot when k
// started.
//
// The earlier scheme counted windows from request starts with a fixed
// 100 ms margin for latency jitter; it lost the margin on every window
// (about 2 s in a 1,000-message fan-out) and was still not safe against a
// request delayed longer than the margin. This one costs one round trip
// per window instead, about a millisecond on loopback, a tenth of a second
// to Discord, and never guesses. A request that hangs holds only its own
// slot, until its timeout.
type globalLimiter struct {
	limit  int
	window time.Duration
	// margin covers what the argument above leaves out: Discord's clock
	// running at a slightly different rate and its timestamps' resolution
	// (milliseconds). Both are far below a millisecond per second.
	margin time.Duration
	now    func() time.Time
	after  func(time.Duration) <-chan time.Time

	mu    sync.Mutex
	slots []limitSlot
	// freed is closed, and replaced, whenever a request finishes: a
	// waiter for a slot held by a request in flight wakes then.
	freed chan struct{}
	until time.Time // set by a global 429: nothing starts before it
}

type limitSlot struct {
	busy bool      // a request holds it: started, not answered yet
	end  time.Time // when its last request was answered
}

func newGlobalLimiter(limit int, window, margin time.Duration) *globalLimiter {
	return &globalLimiter{
		limit: limit, window: window, margin: margin,
		now: time.Now, after: time.After,
		slots: make([]limitSlot, limit),
		freed: make(chan struct{}),
	}
}

// reserve takes a free slot at now, or says how long until one frees by
// itself (0 when only a request in flight can free one).
func (l *globalLimiter) reserve(now time.Time) (slot int, wait time.Duration, ok bool) {
	best := -1
	var at time.Time
	for i, s := range l.slots {
		if s.busy {
			continue
		}
		if free := s.end.Add(l.window + l.margin); best < 0 || free.Before(at) {
			best, at = i, free
		}
	}
	if best < 0 {
		return -1, 0, false
	}
	if l.until.After(at) {
		at = l.until
	}
	if at.After(now) {
		return -1, at.Sub(now), false
	}
	l.slots[best].busy = true
	return best, 0, true
}

// finish frees slot at now, the time its request's answer came back.
func (l *globalLimiter) finish(slot int, now time.Time) {
	l.slots[slot] = limitSlot{end: now}
	close(l.freed)
	l.freed = make(chan struct{})
}

// acquire waits for a slot; release it once the answer (or the error) is
// in. waited reports the time spent sleeping for the window to pass.
func (l *globalLimiter) acquire(ctx context.Context, waited func(time.Duration)) (release func(), err error) {
	for {
		l.mu.Lock()
		now := l.now()
		slot, wait, ok := l.reserve(now)
		freed := l.freed
		l.mu.Unlock()
		if ok {
			return func() {
				l.mu.Lock()
				l.finish(slot, l.now())
				l.mu.Unlock()
			}, nil
		}
		var timer <-chan time.Time
		if wait > 0 {
			waited(wait)
			timer = l.after(wait)
		}
		select {
		case <-freed:
		case <-timer:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// hold makes every request wait until t (a global 429's retry_after).
func (l *globalLimiter) hold(t time.Time) {
	l.mu.Lock()
	if t.After(l.until) {
		l.until = t
	}
	l.mu.Unlock()
}
