package bot

import (
	"context"

	"github.com/alexa-brief/alexa-brief/briefs"
)

// BriefSummarizer is the optional capability of an AnswerWriter that also
// writes a short summary above a brief's points (package written's
// Service has it). Summary returns nil when there is nothing to show: the
// model failed, timed out, or wrote nothing that passed verification.
type BriefSummarizer interface {
	Summary(ctx context.Context, c *briefs.Corpus) *briefs.WrittenSummary
}

// summaryHeading marks the summary as the model's words, as written
// answers are marked.
const summaryHeading = "Summary written by a language model from the articles (each claim checked against them):"

// summarize puts the configured writer's summary, if any, above brief r's
// points. Without a model, or with no summary, r is returned as it is.
func (b *Bot) summarize(ctx context.Context, c *briefs.Corpus, r Reply) Reply {
	s, ok := b.writer.(BriefSummarizer)
	if !ok {
		return r
	}
	return WithSummary(c, r, s.Summary(ctx, c))
}

// WithSummary returns brief r (BriefReply of c) with sum above its points:
// one item per kept claim, citing the articles its sentences come from
// with the numbers the points use. A nil sum leaves r as it is. r's own
// slices are not changed, so a cached reply may be passed.
func WithSummary(c *briefs.Corpus, r Reply, sum *briefs.WrittenSummary) Reply {
	if sum == nil || len(sum.Claims) == 0 {
		return r
	}
	n := map[string]int{}
	for _, ct := range r.Citations {
		n[ct.ID] = ct.N
	}
	cites := append([]Citation(nil), r.Citations...)
	ref := func(id string) int {
		if k, ok := n[id]; ok {
			return k
		}
		ct := Citation{N: len(cites) + 1, ID: id, Title: id}
		for _, s := range c.Sources() {
			if s.ID == id {
				ct.Title, ct.URL = s.Title, s.URL
			}
		}
		n[id] = ct.N
		cites = append(cites, ct)
		return ct.N
	}
	items := make([]Item, 0, len(sum.Claims))
	for _, cl := range sum.Claims {
		it := Item{Text: cl.Text}
		for _, id := range cl.Sources {
			it.Refs = append(it.Refs, ref(id))
		}
		items = append(items, it)
	}
	r.Sections = append([]Section{{Heading: summaryHeading, Items: items}}, r.Sections...)
	r.Citations = cites
	r.Key = "" // not the cached brief's content: its rendering is not this one's
	return r
}
