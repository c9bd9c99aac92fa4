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
// can test it). m may be nil.
func newWriter(cfg Config, log *slog.Logger, m llm.Metrics) (bot.AnswerWriter, error) {
	if cfg.LLM.URL == "" {
		return nil, nil
	}
	client, err := llm.New(llm.Config{
		BaseURL: cfg.LLM.URL, Model: cfg.LLM.Model, APIKey: cfg.LLM.APIKey, MaxTokens: cfg.LLM.MaxTokens,
		Logger: log.With("component", llm.Platform), Metrics: m,
	})
	if err != nil {
		return nil, fmt.Errorf("written answers: %w", err)
	}
	return written.New(written.Config{Writer: client, Timeout: cfg.LLM.Timeout, Logger: log}), nil
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
