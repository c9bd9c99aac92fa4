package discord

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/discord/discordtest"
	"github.com/alexa-brief/alexa-brief/bot"
)

// The global limiter, on a simulated clock: requests start whenever the
// limiter lets them, each arrives after a random one-way latency and is
// answered after another. Counted as Discord counts (arrivals in a sliding
// window, discordtest's rule), no window may hold more than the limit,
// whatever the jitter; and the limiter must not be much slower than the
// limit allows.
func TestGlobalLimiterSimulated(t *testing.T) {
	const (
		limit    = 50
		window   = time.Second
		requests = 2000
	)
	for _, tt := range []struct {
		name             string
		minLat, maxLat   time.Duration // one way
		wantMaxPerWindow int
	}{
		{"loopback", 50 * time.Microsecond, 2 * time.Millisecond, limit},
		{"jitter far above any fixed margin", time.Millisecond, 400 * time.Millisecond, limit},
		{"remote", 40 * time.Millisecond, 60 * time.Millisecond, limit},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			lat := func() time.Duration {
				return tt.minLat + time.Duration(rng.Int64N(int64(tt.maxLat-tt.minLat)+1))
			}
			l := newGlobalLimiter(limit, window, 0)
			t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			now := t0
			type inflight struct {
				slot int
				end  time.Time
			}
			var (
				flying   []inflight
				arrivals []time.Time
				started  int
			)
			for started < requests || len(flying) > 0 {
				// Start every request the limiter admits now.
				var wait time.Duration
				for started < requests {
					slot, w, ok := l.reserve(now)
					if !ok {
						wait = w
						break
					}
					arrive := now.Add(lat())
					arrivals = append(arrivals, arrive)
					flying = append(flying, inflight{slot, arrive.Add(lat())})
					started++
				}
				// Advance to the next event: an answer, or a slot freeing.
				next := time.Time{}
				for _, f := range flying {
					if next.IsZero() || f.end.Before(next) {
						next = f.end
					}
				}
				if wait > 0 && (next.IsZero() || now.Add(wait).Before(next)) {
					next = now.Add(wait)
				}
				now = next
				kept := flying[:0]
				for _, f := range flying {
					if !f.end.After(now) {
						l.finish(f.slot, f.end)
						continue
					}
					kept = append(kept, f)
				}
				flying = kept
			}
			slices.SortFunc(arrivals, func(a, b time.Time) int { return a.Compare(b) })
			most := 0
			for i, j := 0, 0; j < len(arrivals); j++ {
				for !arrivals[i].After(arrivals[j].Add(-window)) {
					i++
				}
				most = max(most, j-i+1)
			}
			if most > tt.wantMaxPerWindow {
				t.Errorf("%d arrivals within one window, limit %d", most, limit)
			}
			// Each of the (n − limit)/limit windows after the first
			// burst costs at most one round trip more than the window.
			spent := arrivals[len(arrivals)-1].Sub(t0)
			waves := time.Duration((requests - limit) / limit)
			if most := waves*(window+2*tt.maxLat) + tt.maxLat; spent > most {
				t.Errorf("%s (simulated) for %d requests, want at most %s: the limiter wastes the window", spent, requests, most)
			}
		})
	}
}

// A request in flight keeps its slot until its answer is in, however long
// that takes; the others are not held up by it; and a global 429 holds
// every start until its retry_after.
func TestGlobalLimiterSlots(t *testing.T) {
	l := newGlobalLimiter(3, time.Second, 0)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var slots []int
	for range 3 {
		s, _, ok := l.reserve(t0)
		if !ok {
			t.Fatal("a free slot refused")
		}
		slots = append(slots, s)
	}
	if _, wait, ok := l.reserve(t0.Add(time.Hour)); ok || wait != 0 {
		t.Fatalf("with every slot in flight: ok %v, wait %s; want to wait for an answer", ok, wait)
	}
	l.finish(slots[1], t0.Add(10*time.Millisecond))
	if _, wait, ok := l.reserve(t0.Add(500 * time.Millisecond)); ok || wait != 510*time.Millisecond {
		t.Fatalf("one answered at +10ms: ok %v, wait %s; want a wait of 510ms (a window after the answer)", ok, wait)
	}
	if _, _, ok := l.reserve(t0.Add(1010 * time.Millisecond)); !ok {
		t.Fatal("a window after the answer: refused")
	}
	// slots[0] and [2] are still in flight (a hung request): they hold
	// their two slots, nothing more.
	l.finish(slots[0], t0.Add(1100*time.Millisecond))
	l.hold(t0.Add(5 * time.Second))
	if _, wait, ok := l.reserve(t0.Add(3 * time.Second)); ok || wait != 2*time.Second {
		t.Fatalf("under a global 429: ok %v, wait %s; want 2s", ok, wait)
	}
	if _, _, ok := l.reserve(t0.Add(5 * time.Second)); !ok {
		t.Fatal("after the 429's retry_after: refused")
	}
}

// acquire wakes when a request in flight is answered, and gives up with
// its context.
func TestGlobalLimiterAcquire(t *testing.T) {
	l := newGlobalLimiter(1, time.Second, 0)
	var mu sync.Mutex
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	timers := make(chan chan time.Time, 4)
	l.after = func(time.Duration) <-chan time.Time {
		c := make(chan time.Time, 1)
		timers <- c
		return c
	}
	release, err := l.acquire(t.Context(), func(time.Duration) {})
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() {
		r, err := l.acquire(t.Context(), func(time.Duration) {})
		if err == nil {
			r()
		}
		got <- err
	}()
	release() // answered at t0: the next may start at t0+1s
	timer := <-timers
	mu.Lock()
	now = now.Add(time.Second)
	mu.Unlock()
	timer <- now
	if err := <-got; err != nil {
		t.Fatalf("second acquire: %v", err)
	}

	// The second's answer came at t0+1s: a third waits for t0+2s.
	ctx, cancel := context.WithCancel(t.Context())
	go func() { _, err := l.acquire(ctx, func(time.Duration) {}); got <- err }()
	<-timers
	cancel()
	if err := <-got; err == nil {
		t.Error("acquire with a cancelled context succeeded")
	}
}

// jitterTransport delays each request on its way out and its answer on
// its way back, by up to max each: one-way latency jitter far above the
// limiter's margin.
type jitterTransport struct {
	mu  sync.Mutex
	rng *rand.Rand
	max time.Duration
}

func (j *jitterTransport) delay() time.Duration {
	j.mu.Lock()
	defer j.mu.Unlock()
	return time.Duration(j.rng.Int64N(int64(j.max)))
}

func (j *jitterTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	time.Sleep(j.delay())
	resp, err := http.DefaultTransport.RoundTrip(r)
	time.Sleep(j.delay())
	return resp, err
}

// Fan-out through the real client to the fake, with latency jitter of up
// to 40 ms each way: the fake, which counts arrivals in a sliding second,
// never answers 429.
func TestGlobalLimitUnderJitter(t *testing.T) {
	if testing.Short() {
		t.Skip("takes a few seconds")
	}
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	client := &http.Client{Transport: &jitterTransport{rng: rand.New(rand.NewPCG(3, 4)), max: 40 * time.Millisecond}}
	a, err := New(Config{AppID: fake.AppID(), BotToken: fake.Token(), APIURL: fake.URL(), HTTPClient: client}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	const n = 160
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			_, err := a.Post(t.Context(), channelScope(fmt.Sprint(230000000000000000+i)), bot.Reply{Title: "digest"}, "slot")
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if s := fake.Stats(); s.GlobalLimit != 0 || s.RateLimited != 0 {
		t.Errorf("stats %+v: the global limit was discovered, not obeyed", s)
	}
	if got := len(fake.Messages()); got != n {
		t.Errorf("%d messages, want %d", got, n)
	}
}
