package bot

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// This file is the outbox's machinery, shared by the platforms whose
// events arrive as messages to answer later (Slack's Events API and
// Socket Mode, Discord's gateway): an accepted event is stored pending
// (Outbox) before the platform gets its acknowledgement, and a fixed pool
// of workers claims, answers and finishes the stored events. However many
// events arrive, the process holds at most Workers of them in memory; the
// rest wait in the store, where another replica or the next start finds
// them.

// Outbox defaults.
const (
	DefaultOutboxWorkers = 4
	// DefaultOutboxBacklog is high because the waiting events are rows
	// in the store, not memory: 12,000 DMs at once are all answered within
	// the freshness window (BENCHMARKS.md, "DM flood"), where a limit of
	// 1,000 left most of them unanswered.
	DefaultOutboxBacklog   = 20000
	DefaultOutboxFreshness = 10 * time.Minute
	DefaultOutboxShutdown  = 15 * time.Second
	// outboxLease is how long a worker holds an event: an answer and its
	// post (rate-limit waits included) take seconds, so a crashed
	// replica's events come back well within the freshness window.
	outboxLease = 2 * time.Minute
	// outboxPoll is how often an idle worker looks for events it was not
	// woken for: another replica's, or those of a lapsed lease.
	outboxPoll = 2 * time.Second
	// outboxSweepEvery is how often stale events are expired and the
	// backlog is reported.
	outboxSweepEvery = 30 * time.Second
	// outboxStoreTimeout bounds the store calls made before an
	// acknowledgement, so that a locked or unreachable database makes the
	// event fail (and the platform retry it) rather than time out.
	outboxStoreTimeout = 2 * time.Second
	// outboxBusyQueue is how many busy replies may wait for the one
	// goroutine that posts them; past that they are dropped (and counted).
	outboxBusyQueue = 64
)

// OutboxBusyText is the reply to an event refused because the backlog is full.
const OutboxBusyText = "I'm busy right now, try again in a minute."

// Outbox outcomes, as Metrics.OutboxEvents counts them.
const (
	OutcomeAnswered = "answered"
	OutcomeFailed   = "failed" // the reply could not be posted after the poster's retries
	OutcomeExpired  = "expired"
	OutcomeBusy     = "busy"
	OutcomeDropped  = "dropped"
)

// OutboxStore is what the workers need of a store: the outbox, and
// FirstSeen to remember the ids of refused events.
type OutboxStore interface {
	Outbox
	FirstSeen(ctx context.Context, platform, eventID string) (bool, error)
}

// OutboxHandler answers the events of one platform.
type OutboxHandler interface {
	// AnswerEvent answers a claimed event and returns the outcome to
	// count: OutcomeAnswered, OutcomeFailed, or "" for an event that
	// needed no answer. When ctx is cancelled (a drain out of time) the
	// outcome is ignored and the event left unfinished, for the next
	// start. ev.Attempts above 1 means an earlier owner may have posted.
	AnswerEvent(ctx context.Context, ev OutboxEvent) string
	// AnswerBusy posts OutboxBusyText for a refused event's payload.
	AnswerBusy(ctx context.Context, payload json.RawMessage) error
}

// OutboxConfig configures OutboxWorkers; zero values take the defaults.
type OutboxConfig struct {
	Platform  string
	Store     OutboxStore
	Handler   OutboxHandler
	Owner     string        // names this process in claims; default host-pid-random
	Workers   int           // events answered at once
	Backlog   int           // events that may wait before new ones get a busy reply
	Freshness time.Duration // how old an event may be and still be answered
	// Shutdown bounds how long Stop goes on answering stored events.
	Shutdown time.Duration
	Logger   *slog.Logger
	Metrics  Metrics
	// Wait, when set, is more in-flight work Stop waits for within the
	// same Shutdown bound (an adapter's deferred replies); OnTimeout is
	// called when that bound runs out, to cancel it.
	Wait      func()
	OnTimeout func()
	// Test hooks: the lease and idle poll (defaults 2 min, 2 s) and the
	// drain's timer (time.After).
	Lease, Poll time.Duration
	After       func(time.Duration) <-chan time.Time
}

// OutboxWorkers runs the outbox of one platform. It is safe for
// concurrent use.
type OutboxWorkers struct {
	cfg OutboxConfig
	log *slog.Logger
	m   Metrics

	// work is the context of the claims and answers, cancelled only when
	// a drain runs out of time. It is stored, against the usual rule,
	// because it is the workers' lifetime, not a request's.
	work       context.Context
	cancelWork context.CancelFunc

	mu       sync.Mutex
	drainNow context.CancelFunc
	up       bool // started and not yet drained
	wg       sync.WaitGroup
	wake     chan struct{}
	busy     chan json.RawMessage
	// answering and busyWork count what Idle waits for.
	answering atomic.Int64
	busyWork  atomic.Int64

	sampleMu sync.Mutex
	sampled  map[string]time.Time // last line per flood kind (busy, claim)
}

// NewOutboxWorkers fills in the defaults; Start starts the workers.
func NewOutboxWorkers(cfg OutboxConfig) (*OutboxWorkers, error) {
	if cfg.Platform == "" || cfg.Store == nil || cfg.Handler == nil {
		return nil, errors.New("outbox: platform, store and handler are required")
	}
	if cfg.Workers < 0 || cfg.Backlog < 0 || cfg.Freshness < 0 || cfg.Shutdown < 0 {
		return nil, errors.New("outbox: workers, backlog, freshness and shutdown timeout may not be negative")
	}
	cfg.Workers = cmp.Or(cfg.Workers, DefaultOutboxWorkers)
	cfg.Backlog = cmp.Or(cfg.Backlog, DefaultOutboxBacklog)
	cfg.Freshness = cmp.Or(cfg.Freshness, DefaultOutboxFreshness)
	cfg.Shutdown = cmp.Or(cfg.Shutdown, DefaultOutboxShutdown)
	cfg.Lease = cmp.Or(cfg.Lease, outboxLease)
	cfg.Poll = cmp.Or(cfg.Poll, outboxPoll)
	if cfg.Owner == "" {
		cfg.Owner = defaultOwner()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NopMetrics{}
	}
	if cfg.After == nil {
		cfg.After = time.After
	}
	work, cancel := context.WithCancel(context.Background())
	return &OutboxWorkers{
		cfg: cfg, log: cfg.Logger, m: cfg.Metrics,
		work: work, cancelWork: cancel,
		wake:    make(chan struct{}, cfg.Workers),
		busy:    make(chan json.RawMessage, outboxBusyQueue),
		sampled: map[string]time.Time{},
	}, nil
}

// Log keys of the outbox.
const (
	logAttempt = "attempt"
	logBacklog = "backlog"
	logExpired = "expired"
	logWait    = "wait"
)

// sample lets one line of a flood kind through per second.
func (o *OutboxWorkers) sample(kind string) bool {
	o.sampleMu.Lock()
	defer o.sampleMu.Unlock()
	now := time.Now()
	if now.Sub(o.sampled[kind]) < time.Second {
		return false
	}
	o.sampled[kind] = now
	return true
}

// Accept stores an event pending under id (the platform's event id, the
// dedup key), or refuses it with a busy reply when the backlog is full, and
// reports whether the platform may have its acknowledgement: not when the
// event could not be stored, so that the platform delivers it again. A
// known id (a platform retry) is acknowledged and ignored. attrs add
// context to the log lines.
func (o *OutboxWorkers) Accept(ctx context.Context, id string, payload json.RawMessage, attrs ...any) (ack bool) {
	log := o.log.With(logEvent, id).With(attrs...)
	ctx, cancel := context.WithTimeout(ctx, outboxStoreTimeout)
	defer cancel()
	if n, err := o.cfg.Store.PendingCount(ctx, o.cfg.Platform); err == nil && n >= o.cfg.Backlog {
		return o.refuse(ctx, log, id, payload, n)
	}
	first, err := o.cfg.Store.EnqueueEvent(ctx, OutboxEvent{Platform: o.cfg.Platform, EventID: id, Payload: payload})
	if err != nil {
		log.Error(o.cfg.Platform+": event not stored; leaving it unacknowledged for a retry", logErr, err)
		return false
	}
	if !first {
		log.Debug(o.cfg.Platform + ": duplicate event ignored")
		return true
	}
	o.wakeWorker()
	return true
}

// refuse answers an event at once with OutboxBusyText instead of queueing
// it: holding the work would only make every answer late. The event id is
// recorded all the same, so the platform's retries of it stay unanswered.
func (o *OutboxWorkers) refuse(ctx context.Context, log *slog.Logger, id string, payload json.RawMessage, backlog int) (ack bool) {
	first, err := o.cfg.Store.FirstSeen(ctx, o.cfg.Platform, id)
	if err != nil {
		log.Error(o.cfg.Platform+": event dedup failed; leaving it unacknowledged for a retry", logErr, err)
		return false
	}
	if !first {
		return true
	}
	if o.sample("busy") {
		log.Warn(o.cfg.Platform+": backlog full; answering busy", logBacklog, backlog)
	}
	o.busyWork.Add(1) // before the send: Idle counts the note from now until it is posted
	select {
	case o.busy <- payload:
		o.m.OutboxEvents(o.cfg.Platform, OutcomeBusy, 1)
	default:
		o.busyWork.Add(-1)
		o.m.OutboxEvents(o.cfg.Platform, OutcomeDropped, 1)
	}
	return true
}

// wakeWorker tells an idle worker there is an event; it never blocks.
func (o *OutboxWorkers) wakeWorker() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// Start expires what went stale while nobody answered, then starts the
// workers, the sweeper and the busy poster. It starts them once however
// often it is called.
func (o *OutboxWorkers) Start() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.drainNow != nil {
		return
	}
	draining, drain := context.WithCancel(context.Background())
	o.drainNow, o.up = drain, true
	o.sweep(o.work)
	o.wg.Add(o.cfg.Workers + 2)
	for range o.cfg.Workers {
		go o.worker(draining)
	}
	go o.sweeper(draining)
	go o.busyPoster(draining)
}

// worker answers events until draining is done and no event is left to
// claim. A drain is where the process has stopped taking new events:
// those already acknowledged are still answered, until the outbox is
// empty or the drain runs out of time and cancels o.work, on which the
// claims and answers run.
func (o *OutboxWorkers) worker(draining context.Context) {
	defer o.wg.Done()
	idle := time.NewTimer(o.cfg.Poll)
	defer idle.Stop()
	for {
		es, err := o.cfg.Store.ClaimEvents(o.work, o.cfg.Platform, o.cfg.Owner, o.cfg.Lease, 1)
		if err != nil && o.work.Err() == nil && o.sample("claim") {
			o.log.Error(o.cfg.Platform+": cannot claim events", logErr, err)
		}
		if len(es) > 0 {
			o.answer(o.work, es[0])
			continue
		}
		if draining.Err() != nil {
			return
		}
		idle.Reset(o.cfg.Poll)
		select {
		case <-draining.Done():
		case <-o.wake:
		case <-idle.C:
		}
	}
}

// answer handles one claimed event and marks it done. When the work is
// cancelled (a drain out of time) it returns without marking it: the
// drain releases it for the next start.
func (o *OutboxWorkers) answer(ctx context.Context, ev OutboxEvent) {
	o.answering.Add(1)
	defer o.answering.Add(-1)
	log := o.log.With(logEvent, ev.EventID, logAttempt, ev.Attempts)
	defer func() {
		// A panic would come back with every claim of the event: finish
		// it rather than let it take a worker down again and again.
		if v := recover(); v != nil {
			log.Error(o.cfg.Platform+": panic answering an event", logErr, fmt.Sprint(v))
			o.finish(ctx, log, ev, OutcomeFailed)
		}
	}()
	outcome := o.cfg.Handler.AnswerEvent(ctx, ev)
	if ctx.Err() != nil {
		return
	}
	o.finish(ctx, log, ev, outcome)
}

// finish marks ev done and counts outcome ("" counts nothing).
func (o *OutboxWorkers) finish(ctx context.Context, log *slog.Logger, ev OutboxEvent, outcome string) {
	if err := o.cfg.Store.FinishEvent(ctx, ev.Platform, ev.EventID, ev.Owner); err != nil {
		// Lost: the lease ran out and another worker took the event
		// over; its outcome is the one recorded.
		log.Warn(o.cfg.Platform+": could not mark the event answered", logErr, err)
	}
	if outcome != "" {
		o.m.OutboxEvents(o.cfg.Platform, outcome, 1)
	}
}

// sweeper expires stale events and reports the backlog until the drain.
func (o *OutboxWorkers) sweeper(draining context.Context) {
	defer o.wg.Done()
	t := time.NewTicker(outboxSweepEvery)
	defer t.Stop()
	for {
		select {
		case <-draining.Done():
			return
		case <-t.C:
			o.sweep(o.work)
		}
	}
}

// sweep expires the events older than the freshness window that nobody
// answered (their answer would come too late to help), counts them, and
// reports the backlog.
func (o *OutboxWorkers) sweep(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, outboxStoreTimeout)
	defer cancel()
	n, err := o.cfg.Store.ExpireEvents(ctx, o.cfg.Platform, o.cfg.Freshness)
	if err != nil {
		o.log.Warn(o.cfg.Platform+": cannot expire stale events", logErr, err)
	} else if n > 0 {
		o.log.Warn(o.cfg.Platform+": events too old to answer expired", logExpired, n, logWait, o.cfg.Freshness)
		o.m.OutboxEvents(o.cfg.Platform, OutcomeExpired, n)
	}
	if n, err := o.cfg.Store.PendingCount(ctx, o.cfg.Platform); err == nil {
		o.m.OutboxBacklog(o.cfg.Platform, n)
	}
}

// busyPoster posts the busy replies, one at a time, until the drain has
// posted those still queued (or run out of time: they are dropped then,
// being courtesy, not answers, and never stored).
func (o *OutboxWorkers) busyPoster(draining context.Context) {
	defer o.wg.Done()
	for {
		select {
		case p := <-o.busy:
			o.postBusy(p)
		case <-draining.Done():
			for {
				select {
				case p := <-o.busy:
					o.postBusy(p)
				default:
					return
				}
			}
		}
	}
}

func (o *OutboxWorkers) postBusy(p json.RawMessage) {
	defer o.busyWork.Add(-1)
	if o.work.Err() != nil {
		o.m.OutboxEvents(o.cfg.Platform, OutcomeDropped, 1)
		return
	}
	if err := o.cfg.Handler.AnswerBusy(o.work, p); err != nil {
		o.log.Warn(o.cfg.Platform+": busy reply failed", logErr, err)
	}
}

// Stop drains the outbox: the workers answer what is stored until nothing
// is left, up to the shutdown timeout; past it the answers in hand are
// cancelled (and OnTimeout called), and whatever this process still holds
// is released so that the next start (or another replica) answers it at
// once.
func (o *OutboxWorkers) Stop() {
	o.mu.Lock()
	drain := o.drainNow
	o.up = false
	o.mu.Unlock()
	if drain != nil {
		drain()
	}
	done := make(chan struct{})
	go func() {
		o.wg.Wait()
		if o.cfg.Wait != nil {
			o.cfg.Wait()
		}
		close(done)
	}()
	select {
	case <-done:
	case <-o.cfg.After(o.cfg.Shutdown):
		o.log.Warn(o.cfg.Platform+": in-flight work did not finish in time; cancelling it", logWait, o.cfg.Shutdown)
		o.cancelWork()
		if o.cfg.OnTimeout != nil {
			o.cfg.OnTimeout()
		}
		<-done
	}
	ctx, cancel := context.WithTimeout(context.Background(), outboxStoreTimeout)
	defer cancel()
	if err := o.cfg.Store.ReleaseEvents(ctx, o.cfg.Platform, o.cfg.Owner); err != nil {
		o.log.Warn(o.cfg.Platform+": cannot release unanswered events; they come back when their lease runs out", logErr, err)
	}
}

// Running reports whether the workers are started and not yet drained.
func (o *OutboxWorkers) Running() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.up
}

// Idle reports whether nothing is pending, being answered or waiting for
// a busy reply.
func (o *OutboxWorkers) Idle() bool {
	if o.answering.Load() > 0 || o.busyWork.Load() > 0 {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), outboxStoreTimeout)
	defer cancel()
	n, err := o.cfg.Store.PendingCount(ctx, o.cfg.Platform)
	return err != nil || n == 0
}

// Wait blocks while the workers run and the outbox is not idle: the
// events accepted so far are answered when it returns.
func (o *OutboxWorkers) Wait() {
	for o.Running() && !o.Idle() {
		time.Sleep(5 * time.Millisecond)
	}
}

// Lease is how long a worker holds an event.
func (o *OutboxWorkers) Lease() time.Duration { return o.cfg.Lease }

// Freshness is how old an event may be and still be answered.
func (o *OutboxWorkers) Freshness() time.Duration { return o.cfg.Freshness }

// Shutdown is how long Stop answers what is stored before it cancels.
func (o *OutboxWorkers) Shutdown() time.Duration { return o.cfg.Shutdown }
