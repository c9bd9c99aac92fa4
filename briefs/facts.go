package briefs

import "github.com/alexa-brief/alexa-brief/briefs/facts"

// Facts returns the key figures of the corpus: money first, then
// percentages, counts, periods and dates; within a kind, figures stated by
// more articles first, then in corpus order. The same figure however
// written ("$25 billion", "25 billion dollars") is one fact. Computed once
// per corpus.
func (c *Corpus) Facts() []Fact {
	c.factsOnce.Do(func() {
		doc := make([]int, len(c.sents))
		for i, s := range c.sents {
			doc[i] = s.doc
		}
		for _, f := range facts.Collect(c.figures(), doc) {
			src := make([]string, len(f.Docs))
			for i, d := range f.Docs {
				src[i] = c.articles[d].ID
			}
			c.facts = append(c.facts, Fact{Text: c.sents[f.Sentence].text, Value: f.Figure.Text, Kind: FactKind(f.Figure.Kind), Sources: src})
		}
	})
	out := make([]Fact, len(c.facts))
	for i, f := range c.facts {
		f.Sources = append([]string{}, f.Sources...)
		out[i] = f
	}
	return out
}

// figures returns the figures of every sentence, computed once and shared
// by facts and the brief.
func (c *Corpus) figures() [][]facts.Figure {
	c.figsOnce.Do(func() {
		texts := make([]string, len(c.sents))
		for i, s := range c.sents {
			texts[i] = s.text
		}
		c.figs = facts.FindAll(texts)
	})
	return c.figs
}
