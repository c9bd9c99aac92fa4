package bot_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/bot/bottest"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// fakeWriter writes one claim from the extractive answer's first citation,
// as package written's Service would after verification.
type fakeWriter struct {
	mu    sync.Mutex
	calls []briefs.Answer
}

func (w *fakeWriter) Answer(_ context.Context, _ *briefs.Corpus, ext briefs.Answer) briefs.Answer {
	w.mu.Lock()
	w.calls = append(w.calls, ext)
	w.mu.Unlock()
	if !ext.Answered {
		ext.Mode = briefs.ModeExtractive
		return ext
	}
	ext.Mode, ext.Dropped = briefs.ModeWritten, 1
	ext.Answer = "Amazon lost more than $25 billion on devices from 2017 to 2021."
	ext.Citations = ext.Citations[:1]
	return ext
}

func TestDirectMessageWrittenAnswer(t *testing.T) {
	w := &fakeWriter{}
	st := bottest.NewStore(nil)
	b := bot.New(bot.Config{Corpus: testCorpus(t), Store: st, Writer: w})
	r := b.Handle(context.Background(), dm("How much did Amazon lose on devices?"))
	got := text(r)
	if !strings.Contains(got, "Written by a language model from the articles") ||
		!strings.Contains(got, "Amazon lost more than $25 billion on devices from 2017 to 2021.") {
		t.Fatalf("reply does not mark the written answer:\n%s", got)
	}
	if !strings.Contains(got, "Its sources, verbatim:") || len(r.Citations) == 0 {
		t.Fatalf("reply lacks the verbatim sources:\n%s", got)
	}
	if len(w.calls) != 1 || w.calls[0].Mode != "" || w.calls[0].Question != "How much did Amazon lose on devices?" {
		t.Fatalf("writer calls = %+v, want one with the extractive answer", w.calls)
	}
	// The follow-up sees the written answer in the conversation.
	b.Handle(context.Background(), dm("tell me more"))
	if len(w.calls) != 2 {
		t.Fatalf("follow-up: %d writer calls, want 2", len(w.calls))
	}
}

func TestNoWriterKeepsExtractiveReply(t *testing.T) {
	f := newFixture(t)
	got := text(f.bot.Handle(context.Background(), dm("How much did Amazon lose on devices?")))
	if strings.Contains(got, "language model") {
		t.Fatalf("an extractive reply mentions a model:\n%s", got)
	}
}
