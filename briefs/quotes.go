package briefs

import (
	"github.com/alexa-brief/alexa-brief/briefs/quotes"
	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// Quotes returns the direct speech of the corpus with its speakers, in
// article order. Computed once per corpus; the work is package quotes'.
func (c *Corpus) Quotes() []Quote {
	c.quotesOnce.Do(func() { c.quotes = c.extractQuotes() })
	out := make([]Quote, len(c.quotes))
	copy(out, c.quotes)
	return out
}

// extractQuotes runs package quotes over each article with the corpus's
// own sentences, so a quote's Sentence is one the other views cite.
//
// The articles are read first and their speakers attributed after, so
// that a surname alone in one article finds the person another names in
// full.
func (c *Corpus) extractQuotes() []Quote {
	out := []Quote{}
	prepared := make([]*quotes.Article, len(c.articles))
	for d, a := range c.articles {
		sents := make([]text.Sentence, len(c.byDoc[d]))
		for i, id := range c.byDoc[d] {
			s := c.sents[id]
			sents[i] = text.Sentence{Span: text.Span{Start: s.start, End: s.end}, Para: s.para}
		}
		prepared[d] = quotes.Prepare(a.Text, sents)
	}
	story := quotes.NewStory(prepared)
	for d, a := range c.articles {
		story.Know(d, prepared[d])
		for _, q := range prepared[d].Quotes() {
			out = append(out, Quote{
				Text:     a.Text[q.Text.Start:q.Text.End],
				Speaker:  q.Speaker,
				Source:   a.ID,
				Sentence: a.Text[q.Sentence.Start:q.Sentence.End],
			})
		}
	}
	return out
}
