package facts

import (
	"sort"

	"github.com/alexa-brief/alexa-brief/briefs/internal/par"
)

// FindAll returns the figures of every sentence. Pattern matching is the
// costly part of facts on a large corpus and sentences are independent, so
// they are spread over the CPUs.
func FindAll(sents []string) [][]Figure {
	out := make([][]Figure, len(sents))
	par.For(len(sents), func(i int) { out[i] = Find(sents[i]) })
	return out
}

// Fact is one key figure of a corpus: the figure as first written, the
// sentence of its first mention, and every article stating it.
type Fact struct {
	Figure   Figure
	Sentence int   // index of the sentence of its first mention
	Docs     []int // articles stating it, in corpus order
}

// Collect merges the figures of a corpus (figs[i] are the figures of
// sentence i, doc[i] its article) into key facts, one per normalised value:
// money first, then percentages, counts, periods and dates; within a kind,
// figures stated by more articles first, figures with a digit before those
// without ("in September" says less than "2019"), then corpus order.
func Collect(figs [][]Figure, doc []int) []Fact {
	type agg struct {
		Fact
		seen map[int]bool
	}
	byKey := map[string]*agg{}
	var order []*agg
	for i, fs := range figs {
		for _, f := range fs {
			k := f.Key()
			a := byKey[k]
			if a == nil {
				a = &agg{Fact: Fact{Figure: f, Sentence: i}, seen: map[int]bool{}}
				byKey[k] = a
				order = append(order, a)
			}
			if !a.seen[doc[i]] {
				a.seen[doc[i]] = true
				a.Docs = append(a.Docs, doc[i])
			}
		}
	}
	rank := map[Kind]int{Money: 0, Percent: 1, Count: 2, Period: 3, Date: 4}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if rank[a.Figure.Kind] != rank[b.Figure.Kind] {
			return rank[a.Figure.Kind] < rank[b.Figure.Kind]
		}
		if len(a.Docs) != len(b.Docs) {
			return len(a.Docs) > len(b.Docs)
		}
		if da, db := hasDigit(a.Figure.Text), hasDigit(b.Figure.Text); da != db {
			return da
		}
		return a.Sentence < b.Sentence
	})
	out := make([]Fact, len(order))
	for i, a := range order {
		out[i] = a.Fact
		sort.Ints(out[i].Docs)
	}
	return out
}
