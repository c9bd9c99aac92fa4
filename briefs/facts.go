package briefs

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alexa-brief/alexa-brief/briefs/facts"
	"github.com/alexa-brief/alexa-brief/briefs/text"
)

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

// FigureChange is a figure that a later article states with another value
// than an earlier one did: "now $430 million, up from $412 million".
type FigureChange struct {
	Fact        // the new figure, its sentence and article
	Was  string // the earlier value as written
	Up   bool   // the new value is the larger
}

// ChangedFigures lists the money, percent and count figures of the articles
// fresh reports true for that restate a figure of the other articles about
// the same thing with another amount. A fresh sentence that gives an
// earlier value itself ("now $430 million, up from $412 million") says
// which figure changed; otherwise the earlier figure must be comparable
// (same kind and unit) and share a common word of what it measures ("cost",
// "contract"): names near both figures are the story's topic, shared by
// all its figures, and do not tell which quantity a figure is. Among
// several, the one sharing most such words, then the latest, is the
// earlier value. Each new value is listed once.
func (c *Corpus) ChangedFigures(fresh func(id string) bool) []FigureChange {
	figs := c.figures()
	type old struct {
		fig    facts.Figure
		common map[string]bool
	}
	byUnit := map[string][]old{}
	known := map[string]facts.Figure{} // values the other articles state
	for i, s := range c.sents {
		if fresh(c.articles[s.doc].ID) {
			continue
		}
		for _, f := range figs[i] {
			if f.Salient() {
				byUnit[unitKey(f)] = append(byUnit[unitKey(f)], old{f, commonAbout(s.text, f)})
				known[f.Key()] = f
			}
		}
	}
	var out []FigureChange
	seen := map[string]bool{}
	for i, s := range c.sents {
		id := c.articles[s.doc].ID
		if !fresh(id) {
			continue
		}
		for _, f := range figs[i] {
			// A value the earlier articles state is no change.
			if _, ok := known[f.Key()]; !f.Salient() || seen[f.Key()] || ok {
				continue
			}
			was, ok := facts.Figure{}, false
			for _, g := range figs[i] { // "up from $412 million"
				if k, in := known[g.Key()]; in && g.Comparable(f) {
					was, ok = k, true
					break
				}
			}
			if !ok {
				mine, best := commonAbout(s.text, f), 0
				for _, o := range byUnit[unitKey(f)] {
					n := 0
					for w := range mine {
						if o.common[w] {
							n++
						}
					}
					if n > 0 && n >= best && o.fig.Amount != f.Amount {
						was, ok, best = o.fig, true, n
					}
				}
			}
			if !ok {
				continue
			}
			seen[f.Key()] = true
			out = append(out, FigureChange{
				Fact: Fact{Text: s.text, Value: f.Text, Kind: FactKind(f.Kind), Sources: []string{id}},
				Was:  was.Text,
				Up:   f.Amount > was.Amount,
			})
		}
	}
	return out
}

func unitKey(f facts.Figure) string { return string(f.Kind) + ":" + f.Unit }

// commonAbout are the words of f.About that sentence s writes in lower
// case: common words, not names.
func commonAbout(s string, f facts.Figure) map[string]bool {
	lower := map[string]bool{}
	// text.Words lower-cases: split on its word characters by hand to see
	// the case as written.
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' }) {
		if r, _ := utf8.DecodeRuneInString(w); unicode.IsLower(r) {
			for _, t := range text.Words(w) {
				lower[text.Norm(t)] = true
			}
		}
	}
	out := map[string]bool{}
	for _, w := range f.About {
		if lower[w] {
			out[w] = true
		}
	}
	return out
}
