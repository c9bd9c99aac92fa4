package discord

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/alexa-brief/alexa-brief/bot"
)

// Direct messages go through the outbox as Slack's events do: the
// gateway's MESSAGE_CREATE is stored pending (deduplicated on the message
// id) and bot.OutboxWorkers answers it, so a shutdown, a crash or a flood
// leaves it for the drain, another replica or the next start rather than
// losing it; past the freshness window it is expired and counted.

var _ bot.OutboxHandler = outboxHandler{}

// outboxHandler answers stored direct messages for bot.OutboxWorkers.
type outboxHandler struct{ a *Adapter }

// AnswerEvent answers one claimed direct message. A second attempt (an
// owner stopped mid-answer) posts with the same nonce, which Discord
// deduplicates for a few minutes (the claim's lease is two), so a
// takeover after a crash finds the first post rather than making another.
func (h outboxHandler) AnswerEvent(ctx context.Context, ev bot.OutboxEvent) string {
	var p dmPayload
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		h.a.log.Error("discord: unreadable outbox event; dropping it", keyMessage, ev.EventID, keyErr, err)
		return bot.OutcomeFailed
	}
	actx, cancel := context.WithTimeout(ctx, dmTimeout)
	defer cancel()
	if err := h.a.answerDM(actx, p, h.a, false); err != nil {
		return bot.OutcomeFailed
	}
	return bot.OutcomeAnswered
}

// AnswerBusy posts bot.OutboxBusyText in the refused message's channel.
func (h outboxHandler) AnswerBusy(ctx context.Context, payload json.RawMessage) error {
	var p dmPayload
	if err := json.Unmarshal(payload, &p); err != nil {
		return fmt.Errorf("discord: busy reply: %w", err)
	}
	sc := bot.Scope{Platform: bot.PlatformDiscord, Team: dmTeam, Channel: p.Channel}
	if _, err := h.a.Post(ctx, sc, bot.Reply{Sections: []bot.Section{{Text: bot.OutboxBusyText}}}, dmKeyPrefix+p.ID); err != nil {
		return fmt.Errorf("discord: busy reply in %s: %w", p.Channel, err)
	}
	return nil
}
