// Package summary is the pipeline's last stage: it chooses the points of a
// brief so that they cover the most distinct important content of the
// articles within the point budget, and lists for each point every article
// that states the same fact.
//
// Selection is greedy concept coverage (Gillick & Favre 2009): each step
// takes the sentence whose not yet covered concepts weigh most, times a
// lead boost, per √word (Lin & Bilmes's cost-scaled greedy, 2010).
// Coverage is monotone submodular, so gains only fall as points are chosen
// and the lazy evaluation of Minoux's accelerated greedy is exact: a large
// corpus costs little more than its concepts. Concepts are content lemmas
// (a word's derived forms joined: family.go), pairs of adjacent ones and
// figures by normalised value; they weigh more the more articles and
// paragraphs state them. Two sentences state the
// same fact when their normalised content overlaps strongly and their
// figures agree: such a sentence is never a second point, and its article
// supports the first.
//
// It knows no story: its words come from package text, its figures from
// package facts.
package summary

import (
	"container/heap"
	"math"
	"sort"

	"github.com/alexa-brief/alexa-brief/briefs/facts"
	"github.com/alexa-brief/alexa-brief/briefs/internal/par"
	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// Sentence is one sentence of the corpus as selection sees it.
type Sentence struct {
	Doc     int    // index of its article
	Pos     int    // index of the sentence within its article
	Para    int    // index of its paragraph within its article
	Text    string // verbatim
	Figures []facts.Figure
}

// Article is what selection knows of an article beyond its sentences.
type Article struct {
	// Order ranks the articles by publication: a larger Order is a later
	// report (the published date where known, else corpus order). A later
	// article's sentence replaces an earlier one stating the same fact with
	// other figures: it is the update.
	Order int
}

// Point is one chosen point: a sentence and the articles supporting it.
type Point struct {
	Sentence int   // index into the sentences
	Docs     []int // every article stating the same fact, ascending
}

// Model holds the concepts of a corpus, ready to select points from.
type Model struct {
	arts   []Article
	sents  []Sentence
	info   []sentenceInfo
	weight []float64         // concept importance
	idf    []float64         // concept specificity
	post   map[int32][]int32 // lemma → sentences holding it
}

// New analyses the sentences of a corpus, given in article order (an
// article's sentences together, in text order); arts[d] describes the
// article with Doc d.
func New(arts []Article, sents []Sentence) *Model {
	m := &Model{arts: arts, sents: sents, info: make([]sentenceInfo, len(sents))}
	v := &vocab{ids: map[string]int32{}, pairs: map[uint64]int32{}, words: map[string]int32{}, norm: map[string]string{}}
	type where struct{ doc, para int }
	last := map[int32]where{} // where each concept was last counted
	words := tokenize(sents)
	terms := map[string]bool{}
	for _, ws := range words {
		for _, w := range ws {
			if content(w) {
				terms[v.term(w)] = true
			}
		}
	}
	v.fam = families(terms)
	for i, s := range sents {
		m.info[i] = analyse(v, s, words[i])
		words[i] = nil
		for _, c := range m.info[i].concepts {
			v.sf[c]++
			w, ok := last[c]
			if !ok || w.doc != s.Doc {
				v.df[c]++
			}
			if !ok || w != (where{s.Doc, s.Para}) {
				v.pf[c]++
			}
			last[c] = where{s.Doc, s.Para}
		}
	}
	m.weight = weights(v)
	m.idf = idf(v, len(sents))
	m.post = make(map[int32][]int32)
	for i, in := range m.info {
		for _, c := range in.lemmas {
			m.post[c] = append(m.post[c], int32(i))
		}
	}
	return m
}

// Points chooses up to n points, best first. The order is deterministic:
// ties go to the earlier sentence. Points(k) is a prefix of Points(n) for
// k < n, so one selection serves every budget.
func (m *Model) Points(n int) []Point {
	if n < 1 || len(m.sents) == 0 {
		return nil
	}
	covered := make([]bool, len(m.weight))
	q := make(gainHeap, 0, len(m.sents))
	for i := range m.sents {
		if fit := m.fitness(i); fit > 0 {
			q = append(q, cand{id: i, fit: fit, score: m.score(i, covered, fit), round: 0})
		}
	}
	heap.Init(&q)
	var chosen []int
	round := 0
	for len(chosen) < n && q.Len() > 0 {
		top := q[0]
		if top.round != round {
			// Stale: gains only fall as coverage grows (submodularity), so
			// recomputing the top one until it stays on top is exact.
			q[0].score, q[0].round = m.score(top.id, covered, top.fit), round
			heap.Fix(&q, 0)
			continue
		}
		heap.Pop(&q)
		if m.restates(top.id, chosen) >= 0 {
			continue // the same fact as a point: never a second point
		}
		id := top.id
		// A later article that states this fact with other figures has the
		// update: it is the point.
		if u := m.update(id); u != id && m.restates(u, chosen) < 0 {
			id = u
		}
		chosen = append(chosen, id)
		m.cover(id, covered)
		round++
	}
	out := make([]Point, len(chosen))
	for k, id := range chosen {
		out[k] = Point{Sentence: id, Docs: m.Support(id)}
	}
	return out
}

// tokenize splits every sentence into words, spread over the CPUs: it is
// the costly part of the analysis and sentences are independent.
func tokenize(sents []Sentence) [][]string {
	out := make([][]string, len(sents))
	par.For(len(sents), func(i int) {
		s := sents[i].Text
		if sents[i].Pos == 0 {
			s = s[text.Dateline(s):] // a dateline is no content
		}
		out[i] = text.Words(s)
	})
	return out
}

func (m *Model) cover(id int, covered []bool) {
	for _, c := range m.info[id].concepts {
		covered[c] = true
	}
}

// score is a sentence's marginal value: the weight of the concepts it would
// newly cover, times the lead boost and its fitness to stand alone, per
// √words. Dividing by the square root of the length (the norm of a
// sentence's term vector, as in cosine similarity) keeps a long sentence
// from winning on length alone without making a short one always win
// (Lin & Bilmes's cost-scaled greedy with r = ½).
func (m *Model) score(id int, covered []bool, fit float64) float64 {
	var gain float64
	for _, c := range m.info[id].concepts {
		if !covered[c] {
			gain += m.weight[c]
		}
	}
	return fit * gain * m.leadBoost(id) / math.Sqrt(float64(max(1, m.info[id].words)))
}

// Salience is a sentence's total concept weight: how much of what the
// articles keep saying it says. Used to rank other candidates (quotes) by
// the same measure as points.
func (m *Model) Salience(id int) float64 {
	var s float64
	for _, c := range m.info[id].concepts {
		s += m.weight[c]
	}
	return s
}

type cand struct {
	id    int
	fit   float64
	score float64
	round int
}

// gainHeap is a max-heap of candidates by score, earlier sentence first on
// ties, so selection is deterministic.
type gainHeap []cand

func (h gainHeap) Len() int { return len(h) }
func (h gainHeap) Less(i, j int) bool {
	if h[i].score != h[j].score {
		return h[i].score > h[j].score
	}
	return h[i].id < h[j].id
}
func (h gainHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *gainHeap) Push(x any)   { *h = append(*h, x.(cand)) }
func (h *gainHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// Support lists every article holding a sentence that states the same fact
// as sentence id (see sameFact), its own article included, ascending.
func (m *Model) Support(id int) []int {
	docs := map[int]bool{m.sents[id].Doc: true}
	for _, j := range m.neighbours(id) {
		if d := m.sents[j].Doc; !docs[d] && m.supports(j, id) {
			docs[d] = true
		}
	}
	out := make([]int, 0, len(docs))
	for d := range docs {
		out = append(out, d)
	}
	sort.Ints(out)
	return out
}
