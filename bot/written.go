package bot

import (
	"context"

	"github.com/alexa-brief/alexa-brief/briefs"
)

// AnswerWriter rewrites an extractive answer with a language model, every
// claim checked against the articles (package written's Service). It
// returns the written answer, or the extractive one with its mode set;
// it never fails, so the bot's answer path has no new error.
type AnswerWriter interface {
	Answer(ctx context.Context, c *briefs.Corpus, extractive briefs.Answer) briefs.Answer
}

// write lets the configured writer, if any, answer in writing.
func (b *Bot) write(ctx context.Context, c *briefs.Corpus, ans briefs.Answer) briefs.Answer {
	if b.writer == nil {
		return ans
	}
	return b.writer.Answer(ctx, c, ans)
}
