package slack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/alexa-brief/alexa-brief/bot"
)

// This file is the outbox: how an accepted DM or mention gets its answer.
// Slack wants its 200 within 3 s and then counts the event delivered, so
// the event is stored pending before the 200 or the Socket Mode ack goes
// out; bot.OutboxWorkers claims, answers and finishes the stored events,
// through the adapter as its bot.OutboxHandler.

// Outbox defaults, as the tests name them.
const (
	defaultWorkers   = bot.DefaultOutboxWorkers
	defaultBacklog   = bot.DefaultOutboxBacklog
	defaultFreshness = bot.DefaultOutboxFreshness
	defaultShutdown  = bot.DefaultOutboxShutdown
)

// busyText is the reply to an event refused because the backlog is full.
const busyText = bot.OutboxBusyText

// Outbox outcomes, as Metrics.OutboxEvents counts them.
const (
	outcomeAnswered = bot.OutcomeAnswered
	outcomeFailed   = bot.OutcomeFailed
	outcomeExpired  = bot.OutcomeExpired
	outcomeBusy     = bot.OutcomeBusy
)

var _ bot.OutboxHandler = outboxHandler{}

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
	data, _ := json.Marshal(p) // strings and a bool: it cannot fail
	return a.outbox.Accept(ctx, id, data, keyTeam, p.Team, keyChannel, p.Channel, keyRetry, retryNum)
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

// outboxHandler answers Slack's stored events for bot.OutboxWorkers.
type outboxHandler struct{ a *Adapter }

// AnswerEvent answers one claimed event. A second attempt may follow an
// owner that posted and then stopped: the reply is looked for before it is
// posted again.
func (h outboxHandler) AnswerEvent(ctx context.Context, ev bot.OutboxEvent) string {
	a := h.a
	log := a.log.With(keyEventID, ev.EventID, keyAttempt, ev.Attempts)
	var p eventPayload
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		log.Error("slack: unreadable outbox event; dropping it", keyError, err)
		return outcomeFailed
	}
	log = log.With(keyTeam, p.Team, keyChannel, p.Channel)
	if a.isBotUser(ctx, p.Team, p.User) {
		return ""
	}
	rep := a.h.Handle(ctx, p.request())
	if ctx.Err() != nil {
		return ""
	}
	if _, err := a.postReply(ctx, p.Team, p.Enterprise, p.Channel, p.ThreadTS, a.render(rep), p.replyKey(), ev.Attempts > 1); err != nil {
		if ctx.Err() == nil {
			log.Error("slack: reply failed", keyError, err)
		}
		return outcomeFailed
	}
	return outcomeAnswered
}

// AnswerBusy posts busyText in the refused event's conversation.
func (h outboxHandler) AnswerBusy(ctx context.Context, payload json.RawMessage) error {
	var p eventPayload
	if err := json.Unmarshal(payload, &p); err != nil {
		return fmt.Errorf("slack: busy reply: %w", err)
	}
	msgs := render(bot.Reply{Sections: []bot.Section{{Text: busyText}}})
	if _, err := h.a.postMessages(ctx, p.Team, p.Enterprise, p.Channel, p.ThreadTS, msgs, p.replyKey()); err != nil {
		return fmt.Errorf("slack: busy reply in %s: %w", p.Channel, err)
	}
	return nil
}

// startOutbox starts the outbox's workers; Run calls it (once or more).
func (a *Adapter) startOutbox() { a.outbox.Start() }

// stopOutbox drains the outbox, and with it the slash command work in
// flight, up to the shutdown timeout.
func (a *Adapter) stopOutbox() { a.outbox.Stop() }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}
