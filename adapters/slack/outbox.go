package slack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
)

// This file is the outbox: how an accepted DM or mention gets its answer.
// Slack wants its 200 within 3 s and then counts the event delivered, so
// the event is stored pending (bot.Outbox) before the 200 or the Socket
// Mode ack goes out, and a fixed pool of workers claims, answers and
// finishes the stored events. However many events arrive, the process
// holds at most Workers of them in memory; the rest wait in the store,
// where another replica or the next start finds them.

// Outbox defaults, and the timings tests shorten.
const (
	defaultWorkers   = 4
	defaultBacklog   = 1000
	defaultFreshness = 10 * time.Minute
	defaultShutdown  = 15 * time.Second
	// outboxLease is how long a worker holds an event: an answer and its
	// post (rate-limit waits included) take seconds, so a crashed
	// replica's events come back well within the freshness window.
	outboxLease = 2 * time.Minute
	// outboxPoll is how often an idle worker looks for events it was not
	// woken for: another replica's, or those of a lapsed lease.
	outboxPoll = 2 * time.Second
	// sweepEvery is how often stale events are expired and the backlog
	// is reported.
	sweepEvery = 30 * time.Second
	// storeTimeout bounds the store calls made before the ack, so that a
	// locked or unreachable database makes the event fail (and Slack
	// retry it) rather than time out.
	storeTimeout = 2 * time.Second
	// busyQueue is how many busy replies may wait for the one goroutine
	// that posts them; past that they are dropped (and counted).
	busyQueue = 64
)

// busyText is the reply to an event refused because the backlog is full.
const busyText = "I'm busy right now, try again in a minute."

// Outbox outcomes, as Metrics.OutboxEvents counts them.
const (
	outcomeAnswered = "answered"
	outcomeFailed   = "failed" // the reply could not be posted after the poster's retries
	outcomeExpired  = "expired"
	outcomeBusy     = "busy"
	outcomeDropped  = "dropped"
)

// eventPayload is what the outbox keeps of an event: what it takes to
// answer it, and no more.
type eventPayload struct {
	Team         string `json:"team"`
	Enterprise   string `json:"enterprise,omitempty"`
	Channel      string `json:"channel"`
	User         string `json:"user"`
	Text         string `json:"text"`
	DM           bool   `json:"dm,omitempty"`
	Conversation string `json:"conversation,omitempty"`
	ThreadTS     string `json:"thread_ts,omitempty"`
	EventID      string `json:"event_id,omitempty"` // Slack's; empty when it sent none
}

func (p eventPayload) request() bot.Request {
	return bot.Request{
		Kind:  bot.KindMessage,
		Scope: bot.Scope{Platform: platform, Team: p.Team, Channel: p.Channel},
		User:  p.User, DM: p.DM, Text: p.Text, Conversation: p.Conversation, EventID: p.EventID,
	}
}

// replyKey marks the reply's messages so that a post whose answer was
// lost, or an event answered again after a restart, finds them instead of
// posting twice; "" (no marker) without an event id.
func (p eventPayload) replyKey() string {
	if p.EventID == "" {
		return ""
	}
	return replyKeyPrefix + p.EventID
}

// busyNote is a busy reply waiting to be posted.
type busyNote struct {
	p eventPayload
}

// accept stores an event callback as pending, or refuses it with a busy
// reply when the backlog is full, and reports whether Slack may have its
// acknowledgement: not when the event could not be stored, so that Slack
// delivers it again.
func (a *Adapter) accept(ctx context.Context, raw []byte, retryNum string) (ack bool) {
	var cb callback
	if err := json.Unmarshal(raw, &cb); err != nil || cb.Type != "event_callback" {
		// A retry would read the same bytes: acknowledge and drop.
		a.log.Warn("slack: unreadable event callback")
		return true
	}
	p, ok := a.eventPayload(cb)
	if !ok {
		return true
	}
	id := cb.EventID
	if id == "" {
		// Slack always sends one; without it there is nothing to dedupe
		// on, so the event is queued under an id of its own.
		id = "local:" + randomHex(8)
	}
	log := a.log.With(keyTeam, p.Team, keyChannel, p.Channel, keyEventID, cb.EventID)
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	if n, err := a.st.PendingCount(ctx, platform); err == nil && n >= a.cfg.Backlog {
		return a.refuse(ctx, log, id, p, n)
	}
	data, _ := json.Marshal(p) // strings and a bool: it cannot fail
	first, err := a.st.EnqueueEvent(ctx, bot.OutboxEvent{Platform: platform, EventID: id, Payload: data})
	if err != nil {
		log.Error("slack: event not stored; leaving it unacknowledged for Slack to retry", keyError, err)
		return false
	}
	if !first {
		log.Debug("slack: duplicate event ignored", keyRetry, retryNum)
		return true
	}
	a.wakeWorker()
	return true
}

// refuse answers an event at once with busyText instead of queueing it:
// holding the work would only make every answer late. The event id is
// recorded all the same, so Slack's retries of it stay unanswered.
func (a *Adapter) refuse(ctx context.Context, log *slog.Logger, id string, p eventPayload, backlog int) (ack bool) {
	first, err := a.st.FirstSeen(ctx, platform, id)
	if err != nil {
		log.Error("slack: event dedup failed; leaving it unacknowledged for Slack to retry", keyError, err)
		return false
	}
	if !first {
		return true
	}
	if ok, n := a.sampled.Allow("busy"); ok {
		log.Warn("slack: backlog full; answering busy", keyBacklog, backlog, keySuppressed, n)
	}
	a.busyWork.Add(1) // before the send: Wait counts the note from now until it is posted
	select {
	case a.busy <- busyNote{p: p}:
		a.metrics.OutboxEvents(platform, outcomeBusy, 1)
	default:
		a.busyWork.Add(-1)
		a.metrics.OutboxEvents(platform, outcomeDropped, 1)
	}
	return true
}

// eventPayload keeps what an event needs answered, or reports that it is
// not for the bot: messages from bots, edits and other subtypes, channel
// messages that do not mention it, and its own messages as far as the
// event and what the adapter already knows tell (the worker asks the
// store and Slack for the rest, which may take longer than the ack may).
func (a *Adapter) eventPayload(cb callback) (eventPayload, bool) {
	ev := cb.Event
	if ev.BotID != "" || ev.SubType != "" || ev.User == "" || ev.Channel == "" {
		return eventPayload{}, false
	}
	for _, au := range cb.Authorizations {
		if au.IsBot && au.UserID == ev.User {
			return eventPayload{}, false
		}
	}
	if id := a.botUser.Load(); id != nil && *id == ev.User {
		return eventPayload{}, false
	}
	req, threadTS, ok := eventRequest(cb)
	if !ok {
		return eventPayload{}, false
	}
	return eventPayload{
		Team: cb.TeamID, Enterprise: cb.EnterpriseID, Channel: req.Channel, User: req.User,
		Text: req.Text, DM: req.DM, Conversation: req.Conversation, ThreadTS: threadTS, EventID: cb.EventID,
	}, true
}

// wakeWorker tells an idle worker there is an event; it never blocks.
func (a *Adapter) wakeWorker() {
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

// startOutbox expires what went stale while nobody answered, then starts
// the workers, the sweeper and the busy poster. Run calls it; it starts
// them once however often it is called.
func (a *Adapter) startOutbox() {
	a.outboxMu.Lock()
	defer a.outboxMu.Unlock()
	if a.drainNow != nil {
		return
	}
	draining, drain := context.WithCancel(context.Background())
	a.drainNow, a.outboxUp = drain, true
	a.sweep(a.work)
	a.outboxWG.Add(a.cfg.Workers + 2)
	for range a.cfg.Workers {
		go a.worker(draining)
	}
	go a.sweeper(draining)
	go a.busyPoster(draining)
}

// worker answers events until draining is done and no event is left to
// claim. A drain is where the process has stopped taking new events:
// those already acknowledged are still answered, until the outbox is
// empty or the drain runs out of time and cancels a.work, on which the
// claims and answers run.
func (a *Adapter) worker(draining context.Context) {
	defer a.outboxWG.Done()
	idle := time.NewTimer(a.poll)
	defer idle.Stop()
	for {
		es, err := a.st.ClaimEvents(a.work, platform, a.cfg.Owner, a.lease, 1)
		if err != nil && a.work.Err() == nil {
			if ok, n := a.sampled.Allow("claim"); ok {
				a.log.Error("slack: cannot claim events", keyError, err, keySuppressed, n)
			}
		}
		if len(es) > 0 {
			a.answer(a.work, es[0])
			continue
		}
		if draining.Err() != nil {
			return
		}
		idle.Reset(a.poll)
		select {
		case <-draining.Done():
		case <-a.wake:
		case <-idle.C:
		}
	}
}

// answer handles one claimed event and marks it done. When the work is
// cancelled (a drain out of time) it returns without marking it: the
// drain releases it for the next start.
func (a *Adapter) answer(ctx context.Context, ev bot.OutboxEvent) {
	a.answering.Add(1)
	defer a.answering.Add(-1)
	log := a.log.With(keyEventID, ev.EventID, keyAttempt, ev.Attempts)
	var p eventPayload
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		log.Error("slack: unreadable outbox event; dropping it", keyError, err)
		a.finish(ctx, log, ev, outcomeFailed)
		return
	}
	log = log.With(keyTeam, p.Team, keyChannel, p.Channel)
	defer func() {
		// A panic would come back with every claim of the event: finish
		// it rather than let it take a worker down again and again.
		if v := recover(); v != nil {
			log.Error("slack: panic answering an event", keyError, fmt.Sprint(v))
			a.finish(ctx, log, ev, outcomeFailed)
		}
	}()
	if a.isBotUser(ctx, p.Team, p.User) {
		a.finish(ctx, log, ev, "")
		return
	}
	rep := a.h.Handle(ctx, p.request())
	if ctx.Err() != nil {
		return
	}
	// A second attempt may follow an owner that posted and then stopped:
	// look for the reply before posting it again.
	_, err := a.postReply(ctx, p.Team, p.Enterprise, p.Channel, p.ThreadTS, a.render(rep), p.replyKey(), ev.Attempts > 1)
	if ctx.Err() != nil {
		return
	}
	outcome := outcomeAnswered
	if err != nil {
		log.Error("slack: reply failed", keyError, err)
		outcome = outcomeFailed
	}
	a.finish(ctx, log, ev, outcome)
}

// finish marks ev done and counts outcome ("" counts nothing).
func (a *Adapter) finish(ctx context.Context, log *slog.Logger, ev bot.OutboxEvent, outcome string) {
	if err := a.st.FinishEvent(ctx, ev.Platform, ev.EventID, ev.Owner); err != nil {
		// Lost: the lease ran out and another worker took the event
		// over; its outcome is the one recorded.
		log.Warn("slack: could not mark the event answered", keyError, err)
	}
	if outcome != "" {
		a.metrics.OutboxEvents(platform, outcome, 1)
	}
}

// sweeper expires stale events and reports the backlog until the drain.
func (a *Adapter) sweeper(draining context.Context) {
	defer a.outboxWG.Done()
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	for {
		select {
		case <-draining.Done():
			return
		case <-t.C:
			a.sweep(a.work)
		}
	}
}

// sweep expires the events older than the freshness window that nobody
// answered (their answer would come too late to help), counts them, and
// reports the backlog.
func (a *Adapter) sweep(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	n, err := a.st.ExpireEvents(ctx, platform, a.cfg.Freshness)
	if err != nil {
		a.log.Warn("slack: cannot expire stale events", keyError, err)
	} else if n > 0 {
		a.log.Warn("slack: events too old to answer expired", keyExpired, n, keyWait, a.cfg.Freshness)
		a.metrics.OutboxEvents(platform, outcomeExpired, n)
	}
	if n, err := a.st.PendingCount(ctx, platform); err == nil {
		a.metrics.OutboxBacklog(platform, n)
	}
}

// busyPoster posts the busy replies, one at a time, until the drain has
// posted those still queued (or run out of time: they are dropped then,
// being courtesy, not answers, and never stored).
func (a *Adapter) busyPoster(draining context.Context) {
	defer a.outboxWG.Done()
	for {
		select {
		case n := <-a.busy:
			a.postBusy(n)
		case <-draining.Done():
			for {
				select {
				case n := <-a.busy:
					a.postBusy(n)
				default:
					return
				}
			}
		}
	}
}

func (a *Adapter) postBusy(n busyNote) {
	defer a.busyWork.Add(-1)
	if a.work.Err() != nil {
		a.metrics.OutboxEvents(platform, outcomeDropped, 1)
		return
	}
	msgs := render(bot.Reply{Sections: []bot.Section{{Text: busyText}}})
	if _, err := a.postMessages(a.work, n.p.Team, n.p.Enterprise, n.p.Channel, n.p.ThreadTS, msgs, n.p.replyKey()); err != nil {
		a.log.Warn("slack: busy reply failed", keyTeam, n.p.Team, keyChannel, n.p.Channel, keyError, err)
	}
}

// stopOutbox drains the outbox: the workers answer what is stored until
// nothing is left, up to the shutdown timeout; past it the answers in hand
// are cancelled, and whatever this process still holds is released so
// that the next start (or another replica) answers it at once.
func (a *Adapter) stopOutbox() {
	a.outboxMu.Lock()
	drain := a.drainNow
	a.outboxUp = false
	a.outboxMu.Unlock()
	if drain != nil {
		drain()
	}
	done := make(chan struct{})
	go func() { a.outboxWG.Wait(); a.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-a.after(a.cfg.ShutdownTimeout):
		a.log.Warn("slack: in-flight work did not finish in time; cancelling it", keyWait, a.cfg.ShutdownTimeout)
		a.cancelWork()
		<-done
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	if err := a.st.ReleaseEvents(ctx, platform, a.cfg.Owner); err != nil {
		a.log.Warn("slack: cannot release unanswered events; they come back when their lease runs out", keyError, err)
	}
}

// outboxIdle reports whether nothing is pending, being answered or
// waiting for a busy reply.
func (a *Adapter) outboxIdle() bool {
	if a.answering.Load() > 0 || a.busyWork.Load() > 0 {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	n, err := a.st.PendingCount(ctx, platform)
	return err != nil || n == 0
}

// defaultOwner names this process in claims: unique per start, readable
// in the store.
func defaultOwner() string {
	host, err := os.Hostname()
	if err != nil {
		host = "alexa-brief"
	}
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), randomHex(4))
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}
