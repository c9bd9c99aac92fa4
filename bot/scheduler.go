package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// SchedulerConfig is what a Scheduler needs. Store, Posters and Bot are
// required; the rest have defaults.
type SchedulerConfig struct {
	Store Store
	// Posters deliver digests per platform (PlatformSlack, …). A
	// subscription whose platform has no poster is left alone: another
	// replica configured for that platform will post it.
	Posters map[string]Poster
	Bot     *Bot
	Clock   Clock // picks the slots; default SystemClock
	// Catchup is how late a missed slot may still be posted
	// (ALEXA_BRIEF_CATCHUP). Zero posts only slots that are on time.
	Catchup time.Duration
	// Lease is how long a claim holds before another replica may take the
	// slot over (default 5 minutes). Posts are cut off before it ends.
	Lease time.Duration
	// Owner names this replica in the ledger (default host-pid-random).
	Owner   string
	Logger  *slog.Logger
	Metrics Metrics
	// Workers bounds the concurrent posts of a pass (default 32); the
	// posters keep to the platforms' rate limits.
	Workers int
	// Poll is the longest Run sleeps between passes, so new
	// subscriptions and expired claims are noticed (default 30 s).
	Poll time.Duration
	// MaxAttempts bounds takeovers of one slot (crashed owners, unreachable
	// platform history) before it is recorded failed (default 3).
	MaxAttempts int
	// Drain is how long posts in flight may go on once Run's context is
	// done before they are cancelled (serve: ALEXA_BRIEF_SHUTDOWN_TIMEOUT).
	// Zero lets them run to the lease cutoff.
	Drain time.Duration
}

// Defaults of SchedulerConfig.
const (
	defaultLease       = 5 * time.Minute
	defaultWorkers     = 32
	defaultPoll        = 30 * time.Second
	defaultMaxAttempts = 3
	// onTime is how long after its instant a slot still counts as on
	// time: a pass a few seconds late is not a late digest.
	onTime = time.Minute
	// maxSkipRows bounds the skipped rows one pass writes for one
	// subscription after a long downtime (a 1-minute schedule down for a
	// week would otherwise write 10,000 rows).
	maxSkipRows = 50
	// releaseTimeout bounds ReleaseClaims at shutdown; recordTimeout
	// bounds recording one outcome.
	releaseTimeout = 10 * time.Second
	recordTimeout  = 30 * time.Second
)

// Scheduler posts digests on their schedules, each slot exactly once across
// any number of replicas sharing one Store. See docs/digests.md.
type Scheduler struct {
	cfg SchedulerConfig
	log *slog.Logger
	// unsafe is set when a post went out but its record did not: the claim
	// must then expire (and be checked with PostFinder) rather than be
	// released, or a release would let another replica post again.
	unsafe atomic.Bool
	// recordTimeout bounds recording one outcome (tests shorten it).
	recordTimeout time.Duration
}

// PassSummary counts what one pass did with the slots it found due.
type PassSummary struct {
	Due      int // slots due: the sum of the others
	Posted   int // posted now (or found posted by a crashed owner)
	Skipped  int // recorded skipped: older than a newer due slot, or beyond the catch-up window
	Failed   int // recorded failed
	Already  int // claimed, posted or skipped by someone else
	Unrouted int // for a platform this process has no poster for
	Errors   int // store errors: left for a later pass
}

// String is the one summary line of `digest run`.
func (p PassSummary) String() string {
	s := fmt.Sprintf("due=%d posted=%d skipped=%d failed=%d already=%d", p.Due, p.Posted, p.Skipped, p.Failed, p.Already)
	if p.Unrouted > 0 {
		s += fmt.Sprintf(" unrouted=%d", p.Unrouted)
	}
	if p.Errors > 0 {
		s += fmt.Sprintf(" errors=%d", p.Errors)
	}
	return s
}

func (p *PassSummary) add(q PassSummary) {
	p.Due += q.Due
	p.Posted += q.Posted
	p.Skipped += q.Skipped
	p.Failed += q.Failed
	p.Already += q.Already
	p.Unrouted += q.Unrouted
	p.Errors += q.Errors
}

// NewScheduler returns a Scheduler over cfg, with defaults filled in.
func NewScheduler(cfg SchedulerConfig) *Scheduler {
	if cfg.Clock == nil {
		cfg.Clock = SystemClock{}
	}
	if cfg.Lease <= 0 {
		cfg.Lease = defaultLease
	}
	if cfg.Catchup < 0 {
		cfg.Catchup = 0
	}
	if cfg.Owner == "" {
		cfg.Owner = defaultOwner()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NopMetrics{}
	}
	if cfg.Workers <= 0 {
		cfg.Workers = defaultWorkers
	}
	if cfg.Poll <= 0 {
		cfg.Poll = defaultPoll
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = defaultMaxAttempts
	}
	return &Scheduler{cfg: cfg, log: cfg.Logger, recordTimeout: recordTimeout}
}

func defaultOwner() string {
	host, _ := os.Hostname()
	if host == "" {
		host = "host"
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// SlotKey identifies a slot to the platform (Slack metadata, Discord nonce:
// at most 25 characters for any realistic id).
func SlotKey(subID int64, slot time.Time) string {
	return fmt.Sprintf("sub%d-%d", subID, slot.Unix())
}

// Log keys of the scheduler.
const (
	logSub   = "subscription"
	logSlot  = "slot"
	logState = "state"
	logOwner = "owner"
	logPass  = "pass"
)

// Run runs passes until ctx is done: at each slot instant (and at least
// every Poll). On ctx it starts no new slot and lets the posts in flight
// finish, cancelling those still going after Drain; it records their
// outcomes (or leaves an unknown one to expire), releases the claims it
// holds but has not started, and only then returns: the caller may close
// the store.
func (s *Scheduler) Run(ctx context.Context) error {
	s.log.Info("scheduler started", logOwner, s.cfg.Owner)
	posts, cancelPosts := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelPosts()
	if s.cfg.Drain > 0 {
		stop := context.AfterFunc(ctx, func() {
			t := time.AfterFunc(s.cfg.Drain, cancelPosts)
			context.AfterFunc(posts, func() { t.Stop() })
		})
		defer stop()
	}
	for ctx.Err() == nil {
		now := s.cfg.Clock.Now()
		sum, next, err := s.pass(ctx, posts, now)
		if err != nil && ctx.Err() == nil {
			s.log.Error("scheduler pass", logErr, err.Error())
		}
		if sum.Due > 0 {
			s.log.Info("scheduler pass", logPass, sum.String())
		}
		wait := s.cfg.Poll
		if !next.IsZero() {
			if d := next.Sub(s.cfg.Clock.Now()); d < wait {
				wait = d
			}
		}
		if wait < 0 {
			wait = 0
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
	}
	// The last pass has returned: no post is in flight.
	if s.unsafe.Load() {
		s.log.Warn("scheduler stopped without releasing claims: a post was not recorded; its lease will expire", logOwner, s.cfg.Owner)
		return nil
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
	defer cancel()
	if err := s.cfg.Store.ReleaseClaims(rctx, s.cfg.Owner); err != nil {
		return fmt.Errorf("scheduler: release claims: %w", err)
	}
	s.log.Info("scheduler stopped", logOwner, s.cfg.Owner)
	return nil
}

// RunOnce runs one pass as if the clock read now: every subscription's due
// slots are posted, skipped or left to their owner. The error joins the
// store errors met; the summary counts the rest. Posts begun finish even if
// ctx ends.
func (s *Scheduler) RunOnce(ctx context.Context, now time.Time) (PassSummary, error) {
	sum, _, err := s.pass(ctx, context.WithoutCancel(ctx), now)
	return sum, err
}

// pass fans the subscriptions out to the workers and reports the earliest
// future slot, for Run's next wake-up.
func (s *Scheduler) pass(ctx, posts context.Context, now time.Time) (PassSummary, time.Time, error) {
	if s.cfg.Store == nil || s.cfg.Bot == nil {
		return PassSummary{}, time.Time{}, errors.New("scheduler: Store and Bot are required")
	}
	subs, err := s.cfg.Store.Subscriptions(ctx)
	if err != nil {
		return PassSummary{}, time.Time{}, fmt.Errorf("scheduler: subscriptions: %w", err)
	}
	var (
		mu    sync.Mutex
		total PassSummary
		next  time.Time
		errs  []error
		wg    sync.WaitGroup
		jobs  = make(chan Subscription)
	)
	workers := min(s.cfg.Workers, len(subs))
	for range workers {
		wg.Go(func() {
			for sub := range jobs {
				sum, n, err := s.subscription(ctx, posts, sub, now)
				mu.Lock()
				total.add(sum)
				if !n.IsZero() && (next.IsZero() || n.Before(next)) {
					next = n
				}
				if err != nil {
					errs = append(errs, err)
				}
				mu.Unlock()
			}
		})
	}
feed:
	for _, sub := range subs {
		select {
		case jobs <- sub:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	return total, next, errors.Join(errs...)
}

// subscription handles one subscription's due slots, and the expired claims
// newer slots overtook, and returns its next future slot.
func (s *Scheduler) subscription(ctx, posts context.Context, sub Subscription, now time.Time) (PassSummary, time.Time, error) {
	var sum PassSummary
	if ctx.Err() != nil {
		return sum, time.Time{}, nil
	}
	log := s.log.With(logSub, sub.ID, logPlatform, sub.Platform)
	sched, err := ParseSchedule(sub.Schedule, 0)
	if err != nil {
		// Stored schedules were validated; one that no longer parses (a
		// zone removed from tzdata) is reported, not guessed at.
		log.Error("scheduler: stored schedule does not parse", logErr, err.Error())
		return sum, time.Time{}, nil
	}
	next := sched.Next(now)

	from := sub.CreatedAt
	var retake time.Time // an unfinished claim: taken over if its lease expired
	var stale []time.Time
	last, err := s.cfg.Store.LastDelivery(ctx, sub.ID)
	switch {
	case errors.Is(err, ErrNotFound):
	case err != nil:
		sum.Errors++
		return sum, next, fmt.Errorf("scheduler: subscription %d: last delivery: %w", sub.ID, err)
	default:
		// Slots before the subscription was (re)made are not its slots:
		// a schedule changed at 15:00 to "daily 12:00" starts tomorrow,
		// not with a late digest for today's 12:00.
		if last.Slot.After(from) {
			from = last.Slot
		}
		if last.State == StateClaimed && !last.Slot.After(now) {
			retake = last.Slot
		}
		// Dead owners' claims that newer slots overtook before their lease
		// ran out ("@every 1m" under a 5-minute lease): no later pass would
		// look behind the newest row, so they are resolved here.
		if stale, err = s.overtaken(ctx, sub.ID, last.Slot, now); err != nil {
			sum.Errors++
			return sum, next, fmt.Errorf("scheduler: subscription %d: expired claims: %w", sub.ID, err)
		}
	}
	// "@every" slots count from the anchor: wake at the next of them, not
	// one interval from now.
	next = sched.NextAfter(from, now)

	// Due slots, oldest first, the newest maxSkipRows+1 of them kept.
	var due []time.Time
	if !retake.IsZero() {
		due = append(due, retake)
	}
	dropped := 0
	for t := sched.Next(from); !t.IsZero() && !t.After(now); t = sched.Next(t) {
		due = append(due, t.UTC())
		if len(due) > maxSkipRows+1 {
			due = due[1:]
			dropped++
		}
	}
	if len(due) == 0 && len(stale) == 0 {
		return sum, next, nil
	}
	window := max(s.cfg.Catchup, onTime)
	catchup := fmt.Sprintf("missed: more than %s late (ALEXA_BRIEF_CATCHUP)", s.cfg.Catchup)
	poster := s.cfg.Posters[sub.Platform]
	if poster == nil {
		sum.Due, sum.Unrouted = len(due)+len(stale), len(due)+len(stale)
		log.Debug("scheduler: no poster for platform; left for another replica")
		return sum, next, nil
	}
	var errs []error
	for _, slot := range stale {
		reason := "missed: its owner stopped before posting it, and a newer digest was due"
		if now.Sub(slot) > window {
			reason = catchup
		}
		sum.Due++
		ps, err := s.resolveClaim(ctx, posts, sub, poster, slot, reason, log)
		sum.add(ps)
		if err != nil {
			errs = append(errs, fmt.Errorf("scheduler: subscription %d: expired claim %s: %w", sub.ID, slot.Format(time.RFC3339), err))
		}
	}
	if len(due) == 0 {
		return sum, next, errors.Join(errs...)
	}
	newest := due[len(due)-1]
	post := now.Sub(newest) <= window
	if !post && len(due) > maxSkipRows {
		// The newest is skipped too: keep the bound on skipped rows.
		dropped += len(due) - maxSkipRows
		due = due[len(due)-maxSkipRows:]
	}
	if dropped > 0 {
		log.Warn("scheduler: long downtime: not recording every missed slot", "unrecorded", dropped)
	}
	sum.Due += len(due)

	older := due[:len(due)-1]
	if !post {
		older = due
	}
	for _, slot := range older {
		reason := "missed: a newer digest (" + newest.Format(time.RFC3339) + ") was posted instead"
		if !post || slot.Equal(newest) {
			reason = catchup
		}
		if slot.Equal(retake) {
			// A claim, not a gap: its owner may be posting it still, or
			// may have posted it before dying. The platform tells.
			ps, err := s.resolveClaim(ctx, posts, sub, poster, slot, reason, log)
			sum.add(ps)
			if err != nil {
				errs = append(errs, fmt.Errorf("scheduler: subscription %d: expired claim %s: %w", sub.ID, slot.Format(time.RFC3339), err))
			}
			continue
		}
		if err := s.cfg.Store.SkipSlot(ctx, sub.ID, slot, reason); err != nil {
			sum.Errors++
			errs = append(errs, fmt.Errorf("scheduler: subscription %d: skip %s: %w", sub.ID, slot.Format(time.RFC3339), err))
			continue
		}
		sum.Skipped++
		s.cfg.Metrics.DigestFinished(sub.Platform, StateSkipped)
	}
	if post {
		ps, err := s.postSlot(ctx, posts, sub, poster, newest, now.Sub(newest) > onTime, log)
		sum.add(ps)
		if err != nil {
			errs = append(errs, fmt.Errorf("scheduler: subscription %d: slot %s: %w", sub.ID, newest.Format(time.RFC3339), err))
		}
	}
	return sum, next, errors.Join(errs...)
}

// overtaken lists the expired claims older than the newest ledger row
// (that one is retaken with the due slots), up to maxSkipRows per pass.
func (s *Scheduler) overtaken(ctx context.Context, subID int64, newest, now time.Time) ([]time.Time, error) {
	ds, err := s.cfg.Store.ExpiredClaims(ctx, subID, maxSkipRows)
	if err != nil {
		return nil, err
	}
	var out []time.Time
	for _, d := range ds {
		if d.Slot.Before(newest) && !d.Slot.After(now) {
			out = append(out, d.Slot)
		}
	}
	return out, nil
}
