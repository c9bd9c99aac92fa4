package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"unicode/utf8"

	"github.com/alexa-brief/alexa-brief/briefs"
)

// maxTurns bounds the history a question is answered with: enough for
// "what else did he say?" two or three questions later, small enough to
// stay cheap. The store keeps up to MaxTurns.
const maxTurns = 6

// conversationKey names a conversation. It always carries the full scope,
// so no workspace can reach another's history; within a channel the thread
// (or DM) groups follow-ups, and without one each user has their own.
func conversationKey(req Request) string {
	conv := req.Conversation
	if conv == "" {
		conv = "user:" + req.User
	}
	// Length-prefixed parts keep keys unambiguous whatever the ids contain.
	parts := []string{req.Platform, req.Team, req.Channel, conv}
	var sb strings.Builder
	for i, p := range parts {
		if i > 0 {
			sb.WriteByte('/')
		}
		fmt.Fprintf(&sb, "%d:%s", len(p), p)
	}
	return sb.String()
}

// history loads a conversation; without a store there is none.
func (b *Bot) history(ctx context.Context, key string) ([]Turn, error) {
	if b.store == nil {
		return nil, nil
	}
	turns, err := b.store.Conversation(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("bot: load conversation: %w", err)
	}
	return turns, nil
}

// answer answers a question in its conversation and remembers the exchange.
func (b *Bot) answer(ctx context.Context, req Request, q string) (Reply, string, error) {
	if utf8.RuneCountInString(q) > maxQuestionRunes {
		return tooLong(maxQuestionRunes), outcomeBadInput, nil
	}
	c, err := b.CorpusFor(ctx, req.Scope)
	if errors.Is(err, ErrEmptyStory) {
		return emptyStoryReply(err), outcomeOK, nil
	}
	if err != nil {
		return Reply{}, outcomeError, err
	}
	key := conversationKey(req)
	turns, err := b.history(ctx, key)
	if err != nil {
		return Reply{}, outcomeError, err
	}
	if len(turns) > maxTurns {
		turns = turns[len(turns)-maxTurns:]
	}
	var ans briefs.Answer
	if len(turns) > 0 {
		ans = c.FollowUp(q, turns)
	} else {
		ans = c.Ask(q)
	}
	ans = b.write(ctx, c, ans) // written answers, when a model is configured
	if b.store != nil {
		// Appended, not rewritten: a message answered meanwhile in the
		// same thread keeps its turn.
		if err := b.store.AppendTurn(ctx, key, Turn{Question: q, Answer: ans}); err != nil {
			// The answer is right whatever the store says: give it. Only
			// the context of a follow-up to it is lost.
			b.log.LogAttrs(ctx, slog.LevelWarn, "conversation not saved",
				slog.String(logPlatform, req.Platform), slog.String(logTeam, req.Team), slog.String(logErr, err.Error()))
			b.metrics.ConversationNotSaved(req.Platform)
		}
	}
	outcome := outcomeOK
	if !ans.Answered {
		outcome = outcomeDeclined
	}
	return AnswerReply(c, ans), outcome, nil
}

// recall finds the most recent answer to question q in the request's
// conversation, so a shared answer is the one the asker saw.
func (b *Bot) recall(ctx context.Context, req Request, q string) (briefs.Answer, bool, error) {
	turns, err := b.history(ctx, conversationKey(req))
	if err != nil {
		return briefs.Answer{}, false, err
	}
	for i := len(turns) - 1; i >= 0; i-- {
		if turns[i].Question == q {
			return turns[i].Answer, true, nil
		}
	}
	return briefs.Answer{}, false, nil
}
