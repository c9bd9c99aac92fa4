package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/alexa-brief/alexa-brief/adapters/llm"
	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
	"github.com/alexa-brief/alexa-brief/briefs/written"
)

// newWriter is the written-answers stage when ALEXA_BRIEF_LLM_URL is set,
// else nil (a nil interface, never a nil *written.Service, so that callers
// can test it), with the model's client for serve's reachability probe.
// m may be nil.
func newWriter(cfg Config, log *slog.Logger, m bot.Metrics) (bot.AnswerWriter, *llm.Client, error) {
	if cfg.LLM.URL == "" {
		return nil, nil, nil
	}
	client, err := llm.New(llm.Config{
		BaseURL: cfg.LLM.URL, Model: cfg.LLM.Model, APIKey: cfg.LLM.APIKey, MaxTokens: cfg.LLM.MaxTokens,
		Logger: log.With("component", llm.Platform), Metrics: m,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("written answers: %w", err)
	}
	return written.New(written.Config{Writer: client, Timeout: cfg.LLM.Timeout, Logger: log, Metrics: m}), client, nil
}

// answerOne is the answer ask prints: extractive, then written when a model
// is configured.
func answerOne(ctx context.Context, w bot.AnswerWriter, c *briefs.Corpus, q string) briefs.Answer {
	ans := c.Ask(q)
	if w != nil {
		ans = w.Answer(ctx, c, ans)
	}
	return cleanAnswer(ans)
}

// briefWithSummary is brief --json with a model configured: the brief's
// fields as they are, and "summary" (null when the model wrote nothing
// that passed verification).
type briefWithSummary struct {
	briefs.Brief
	Summary *briefs.WrittenSummary `json:"summary"`
}

// briefView is what brief prints: without a model exactly the brief; with
// one, the written summary above its points (the JSON gains "summary").
func briefView(ctx context.Context, w bot.AnswerWriter, c *briefs.Corpus, maxPoints int) (any, bot.Reply) {
	br, reply := cleanBrief(c.Brief(maxPoints)), bot.BriefReply(c, maxPoints)
	s, ok := w.(bot.BriefSummarizer)
	if !ok {
		return br, reply
	}
	sum := s.Summary(ctx, c)
	return briefWithSummary{Brief: br, Summary: sum}, bot.WithSummary(c, reply, sum)
}
