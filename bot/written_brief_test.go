package bot_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// summaryWriter is a writer with the summary capability; sum is what it
// returns (nil: no summary).
type summaryWriter struct {
	fakeWriter
	sum   *briefs.WrittenSummary
	calls int
}

func (w *summaryWriter) Summary(context.Context, *briefs.Corpus) *briefs.WrittenSummary {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.calls++
	return w.sum
}

func TestBriefShowsWrittenSummaryAbovePoints(t *testing.T) {
	c := testCorpus(t)
	plain := bot.BriefReply(c, bot.DefaultPoints)
	src := c.Sources()[len(c.Sources())-1].ID
	w := &summaryWriter{sum: &briefs.WrittenSummary{
		Text:   "Claim one. Claim two.",
		Claims: []briefs.SummaryClaim{{Text: "Claim one.", Sources: []string{src}}, {Text: "Claim two.", Sources: []string{src, "not_in_the_brief"}}},
	}}
	b := bot.New(bot.Config{Corpus: c, Writer: w})
	for _, text := range []string{"", "brief", "tldr"} {
		r := b.Handle(context.Background(), cmd(text))
		if len(r.Sections) != len(plain.Sections)+1 {
			t.Fatalf("%q: %d sections, want the brief's %d and the summary", text, len(r.Sections), len(plain.Sections))
		}
		if r.Key != "" {
			t.Fatalf("%q: a brief with a summary keeps the cached brief's key %q, under which an adapter would reuse the plain brief's rendering", text, r.Key)
		}
		s := r.Sections[0]
		if !strings.Contains(s.Heading, "language model from the articles") || len(s.Items) != 2 || s.Items[0].Text != "Claim one." {
			t.Fatalf("%q: first section = %+v, want the marked summary", text, s)
		}
		// The points, quote and footer are the brief's, untouched.
		if !reflect.DeepEqual(r.Sections[1:], plain.Sections) || r.Footer != plain.Footer || r.Title != plain.Title {
			t.Fatalf("%q: the extractive brief changed under the summary", text)
		}
		// Claims cite articles with the numbers the points use; an article
		// the brief did not cite is added after its own.
		want := 0
		for _, ct := range plain.Citations {
			if ct.ID == src {
				want = ct.N
			}
		}
		if got := s.Items[0].Refs; len(got) != 1 || got[0] != want {
			t.Errorf("%q: claim refs %v, want [%d]", text, got, want)
		}
		if got := s.Items[1].Refs; len(got) != 2 || got[1] != len(plain.Citations)+1 || len(r.Citations) != len(plain.Citations)+1 {
			t.Errorf("%q: claim refs %v, citations %d; want the unknown article numbered %d", text, got, len(r.Citations), len(plain.Citations)+1)
		}
	}
	if len(plain.Citations) != len(bot.BriefReply(c, bot.DefaultPoints).Citations) {
		t.Error("WithSummary changed the reply it was given")
	}
}

func TestBriefWithoutSummaryIsTheBrief(t *testing.T) {
	c := testCorpus(t)
	plain := bot.BriefReply(c, bot.DefaultPoints)
	for name, w := range map[string]bot.AnswerWriter{
		"no summary":         &summaryWriter{},
		"no summary support": &fakeWriter{},
	} {
		b := bot.New(bot.Config{Corpus: c, Writer: w})
		r := b.Handle(context.Background(), cmd("brief"))
		if r.Key == "" {
			t.Errorf("%s: the plain brief lost its cache key", name)
		}
		// The Key says the reply is the cached brief, whose rendering an
		// adapter may reuse; the content is the extractive brief's.
		r.Key = ""
		if !reflect.DeepEqual(r, plain) {
			t.Errorf("%s: reply differs from the extractive brief", name)
		}
	}
	// Other commands never ask for a summary.
	w := &summaryWriter{sum: &briefs.WrittenSummary{Claims: []briefs.SummaryClaim{{Text: "x"}}}}
	b := bot.New(bot.Config{Corpus: c, Writer: w})
	for _, text := range []string{"quotes", "facts", "sources", "help"} {
		b.Handle(context.Background(), cmd(text))
	}
	if w.calls != 0 {
		t.Errorf("%d summary calls for quotes, facts, sources and help; want none", w.calls)
	}
}
