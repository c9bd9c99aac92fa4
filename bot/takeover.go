package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// postSlot claims one slot and posts it. Only the claim's winner posts; a
// takeover first asks the platform whether the dead owner already did.
// posts is the parent of the post's own context (detached from ctx, so a
// shutdown lets it finish; Run cancels it after the drain). The error is a
// store or platform-history error: the slot is left for a later pass.
func (s *Scheduler) postSlot(ctx, posts context.Context, sub Subscription, poster Poster, slot time.Time, late bool, log *slog.Logger) (PassSummary, error) {
	log = log.With(logSlot, slot.Format(time.RFC3339))
	if ctx.Err() != nil {
		// Stopping: start no new slot.
		return PassSummary{}, nil
	}
	d, ok, sum, err := s.claimSlot(ctx, sub, slot)
	if !ok {
		return sum, err
	}
	// From here the slot is ours: finish it even if ctx ends. The post must
	// end within the lease (or another replica could take the slot over
	// while it is still going); recording the outcome gets its own deadline
	// once the post has returned (finish).
	work, cancel := context.WithTimeout(posts, s.cfg.Lease*4/5)
	defer cancel()
	d.Late = late
	if d.Attempts > 1 {
		var done bool
		if d, done, err = s.takeover(work, sub, poster, d, log); err != nil {
			sum.Errors++
			return sum, err
		}
		if done {
			return s.finish(ctx, sub, d, log)
		}
	}
	corpus, cerr := s.cfg.Bot.CorpusFor(work, sub.Scope)
	if corpus == nil {
		d.State, d.Error = StateFailed, "no corpus loaded"
		if cerr != nil {
			d.Error = cerr.Error()
		}
		return s.finish(ctx, sub, d, log)
	}
	var since *Delivery
	prev, err := s.cfg.Store.LastPosted(work, sub.ID)
	switch {
	case err == nil:
		since = &prev
	case !errors.Is(err, ErrNotFound):
		// Leave the claim to expire and retry; a digest without its
		// "since" would repeat old news.
		sum.Errors++
		return sum, fmt.Errorf("last posted: %w", err)
	}
	reply := composeDigest(corpus, sub, since, slot, late)
	id, err := poster.Post(work, sub.Scope, reply, SlotKey(sub.ID, slot))
	if err != nil && work.Err() != nil {
		// Our own deadline or the shutdown's cancel, not the platform's
		// answer: the post may or may not have gone out. Leave the claim to
		// expire; the takeover checks the platform (PostFinder) before
		// posting. Releasing it instead could let a fresh claim post a
		// second time.
		s.unsafe.Store(true)
		sum.Errors++
		return sum, fmt.Errorf("post cut off (lease %s, or shutting down): %w", s.cfg.Lease, err)
	}
	if err != nil {
		d.State, d.Error = StateFailed, err.Error()
	} else {
		d.State, d.MessageID, d.CorpusVersion = StatePosted, id, coverageOf(corpus)
	}
	out, ferr := s.finish(ctx, sub, d, log)
	if err == nil && ferr != nil {
		s.unsafe.Store(true)
	}
	return out, ferr
}

// resolveClaim settles the expired claim of a dead owner on a slot that is
// not to be posted now (a newer slot overtook it, or it is past the
// catch-up window): posted if the platform has its post, else skipped with
// reason. A live claim is left to its owner (already).
func (s *Scheduler) resolveClaim(ctx, posts context.Context, sub Subscription, poster Poster, slot time.Time, reason string, log *slog.Logger) (PassSummary, error) {
	log = log.With(logSlot, slot.Format(time.RFC3339))
	if ctx.Err() != nil {
		return PassSummary{}, nil
	}
	d, ok, sum, err := s.claimSlot(ctx, sub, slot)
	if !ok {
		return sum, err
	}
	work, cancel := context.WithTimeout(posts, s.cfg.Lease*4/5)
	defer cancel()
	// Attempts 1: the dead owner's claim was released meanwhile, so it
	// never posted.
	if d.Attempts > 1 {
		var done bool
		if d, done, err = s.takeover(work, sub, poster, d, log); err != nil {
			sum.Errors++
			return sum, err
		}
		if done {
			return s.finish(ctx, sub, d, log)
		}
	}
	d.State, d.Error = StateSkipped, reason
	return s.finish(ctx, sub, d, log)
}

// claimSlot takes the slot for this owner. ok is false when there is
// nothing to do: unsubscribed meanwhile, held by another owner or settled
// (counted in sum as already), or a store error.
func (s *Scheduler) claimSlot(ctx context.Context, sub Subscription, slot time.Time) (d Delivery, ok bool, sum PassSummary, err error) {
	d, ok, err = s.cfg.Store.ClaimSlot(ctx, sub.ID, slot, s.cfg.Owner, s.cfg.Lease)
	switch {
	case errors.Is(err, ErrNotFound):
		return d, false, sum, nil // unsubscribed meanwhile
	case err != nil:
		sum.Errors++
		return d, false, sum, fmt.Errorf("claim: %w", err)
	case !ok:
		sum.Already++
	}
	return d, ok, sum, nil
}

// takeover decides a slot an earlier owner may have posted (Attempts > 1):
// given up after MaxAttempts, found on the platform (posted), or
// impossible to check (failed: at most once wins over at least once,
// docs/contract.md). done is false when the platform has no such post.
// An error means the platform could not tell: the claim is left to expire
// (a release keeps Attempts, so it is checked again, up to MaxAttempts).
func (s *Scheduler) takeover(ctx context.Context, sub Subscription, poster Poster, d Delivery, log *slog.Logger) (Delivery, bool, error) {
	if d.Attempts > s.cfg.MaxAttempts {
		d.State, d.Error = StateFailed, fmt.Sprintf("gave up after %d attempts", d.Attempts-1)
		return d, true, nil
	}
	f, ok := poster.(PostFinder)
	if !ok {
		d.State, d.Error = StateFailed, "an earlier attempt stopped mid-post and this platform cannot be checked; not posted again to avoid a duplicate"
		return d, true, nil
	}
	id, found, err := f.FindPost(ctx, sub.Scope, SlotKey(sub.ID, d.Slot), d.Slot)
	if err != nil {
		return d, false, fmt.Errorf("find earlier post: %w", err)
	}
	if !found {
		return d, false, nil
	}
	log.Info("scheduler: found the post of a crashed owner")
	d.State, d.MessageID, d.CorpusVersion = StatePosted, id, s.foundCoverage(ctx, sub.ID, d.Slot)
	return d, true, nil
}

// foundCoverage is the coverage recorded for a post found on the platform.
// What it covered is unknown: its owner composed it from the corpus of
// then, which may have grown since. Recording today's corpus would hide
// what arrived in between from every later digest. Recording the coverage
// of the channel's previous posted digest instead makes the next digest
// report all that came since that one: at worst it repeats what the found
// post said, it never misses anything. With no earlier digest (or a newer
// one, which is what the next digest compares with) it records none, which
// the next digest reads as "the coverage changed", never "nothing new".
func (s *Scheduler) foundCoverage(ctx context.Context, subID int64, slot time.Time) string {
	prev, err := s.cfg.Store.LastPosted(ctx, subID)
	if err != nil || !prev.Slot.Before(slot) {
		return ""
	}
	return prev.CorpusVersion
}

// finish records a claim's outcome. Its deadline starts now, after the
// post (which may have taken minutes), and outlives ctx: a shutdown still
// records what was done.
func (s *Scheduler) finish(ctx context.Context, sub Subscription, d Delivery, log *slog.Logger) (PassSummary, error) {
	var sum PassSummary
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.recordTimeout)
	defer cancel()
	err := s.cfg.Store.FinishSlot(ctx, d)
	switch {
	case errors.Is(err, ErrClaimLost):
		// Our lease ran out and another replica took the slot over; it
		// checks the platform before posting, and records the outcome.
		log.Warn("scheduler: claim lost before the outcome was recorded", logState, string(d.State))
		sum.Already++
		return sum, nil
	case err != nil:
		sum.Errors++
		return sum, fmt.Errorf("record %s: %w", d.State, err)
	}
	s.cfg.Metrics.DigestFinished(sub.Platform, d.State)
	switch d.State {
	case StatePosted:
		sum.Posted++
		log.Info("digest posted", "late", d.Late)
	case StateSkipped:
		sum.Skipped++
		log.Info("digest skipped", logErr, d.Error)
	default:
		sum.Failed++
		log.Warn("digest failed", logErr, d.Error)
	}
	return sum, nil
}
