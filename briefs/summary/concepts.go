package summary

import (
	"math"
	"slices"
	"sort"

	"github.com/alexa-brief/alexa-brief/briefs/facts"
	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// The concepts of a sentence, after Gillick & Favre (2009): its content
// lemmas, the pairs of adjacent content lemmas and its figures by
// normalised value. A name enters as its words and word pairs ("wall
// street", "street journal"), so a multi-word name is covered as a whole
// and its last word alone ("journal") is not mistaken for it. A brief is
// good when it covers the weighty concepts; two sentences state the same
// fact when their content overlaps.

// sentenceInfo is what selection needs of one sentence.
type sentenceInfo struct {
	concepts []int32 // concept ids, sorted, unique
	lemmas   []int32 // the unigram concept ids among them (content words), sorted
	content  []int32 // what the sentence states: lemmas, figures and names, sorted
	salient  []string
	figures  []facts.Figure
	words    int
}

// vocab interns concepts: words and figures by their string, word pairs by
// the ids of their two words (building a string per pair would cost more
// than the rest of the analysis on a large corpus).
type vocab struct {
	ids   map[string]int32
	pairs map[uint64]int32
	words map[string]int32  // a word as written → the concept of its lemma
	norm  map[string]string // a word as written → its term (text.Norm)
	fam   map[string]string // a term → its family's representative (families)
	sf    []int32           // sentences holding the concept
	pf    []int32           // paragraphs holding the concept
	df    []int32           // articles holding the concept
}

func (v *vocab) id(s string) int32 {
	id, ok := v.ids[s]
	if !ok {
		id = v.next()
		v.ids[s] = id
	}
	return id
}

func (v *vocab) pair(a, b int32) int32 {
	k := uint64(uint32(a))<<32 | uint64(uint32(b))
	id, ok := v.pairs[k]
	if !ok {
		id = v.next()
		v.pairs[k] = id
	}
	return id
}

// term returns text.Norm(w), once per distinct word: Norm (folding,
// lemma, stem) costs more than a lookup, and a corpus repeats its words.
func (v *vocab) term(w string) string {
	t, ok := v.norm[w]
	if !ok {
		t = text.Norm(w)
		v.norm[w] = t
	}
	return t
}

// content reports whether w is a content word, what concepts are made of.
// Numbers are left to the figures, which compare by value rather than by
// spelling.
func content(w string) bool {
	return !text.IsStop(w) && !text.IsNumber(w) && len(w) >= 2
}

func (v *vocab) next() int32 {
	v.sf = append(v.sf, 0)
	v.pf = append(v.pf, 0)
	v.df = append(v.df, 0)
	return int32(len(v.sf) - 1)
}

// analyse extracts the concepts of sentence s, whose words are ws. Unigram
// and bigram concepts use the terms (text.Norm, joined in families) of
// content words.
func analyse(v *vocab, s Sentence, ws []string) sentenceInfo {
	// One backing array for the three lists: a sentence has at most a word
	// and a word pair per word, and its figures.
	n := len(ws) + len(s.Figures)
	buf := make([]int32, 0, 2*n+n+n)
	info := sentenceInfo{concepts: buf[: 0 : 2*n], lemmas: buf[2*n : 2*n : 3*n], content: buf[3*n : 3*n : 4*n]}
	info.words = len(ws)
	prev := int32(-1)
	for _, w := range ws {
		if !content(w) {
			prev = -1
			continue
		}
		id, ok := v.words[w]
		if !ok {
			t := v.term(w)
			if r, ok := v.fam[t]; ok {
				t = r // "losses" and "lost" are one concept
			}
			id = v.id(t)
			v.words[w] = id
		}
		info.concepts = append(info.concepts, id)
		info.lemmas = append(info.lemmas, id)
		if prev >= 0 {
			info.concepts = append(info.concepts, v.pair(prev, id))
		}
		prev = id
	}
	info.lemmas = uniq(info.lemmas)
	info.content = append(info.content, info.lemmas...)
	for _, f := range s.Figures {
		id := v.id("#" + f.Key())
		info.concepts = append(info.concepts, id)
		info.content = append(info.content, id)
		if f.Salient() {
			info.salient = append(info.salient, f.Key())
		}
	}
	info.figures = s.Figures
	info.concepts = uniq(info.concepts)
	info.content = uniq(info.content)
	sort.Strings(info.salient)
	return info
}

func uniq(xs []int32) []int32 {
	if len(xs) < 2 {
		return xs
	}
	slices.Sort(xs)
	out := xs[:1]
	for _, x := range xs[1:] {
		if x != out[len(out)-1] {
			out = append(out, x)
		}
	}
	return out
}

// weights gives each concept its importance: how many articles state it
// times how often the story comes back to it. Coming back is counted in
// paragraphs, not sentences: sentences of one paragraph elaborate one
// point, while a concept that recurs across paragraphs is a thread of the
// story. A concept of one paragraph is a detail (weight 0, as Gillick &
// Favre prune rare concepts); each further paragraph adds less than the one
// before (a logarithm), and each further article counts in full, since
// independent reports are the strongest evidence that something matters.
func weights(v *vocab) []float64 {
	w := make([]float64, len(v.sf))
	for c := range w {
		w[c] = float64(v.df[c]) * math.Log(float64(v.pf[c]))
	}
	return w
}

// idf is the inverse sentence frequency of each concept: how much sharing
// it says about two sentences. A word in every sentence (the story's topic)
// says little; a rare one says a lot.
func idf(v *vocab, n int) []float64 {
	out := make([]float64, len(v.sf))
	for c := range out {
		out[c] = math.Log(1 + float64(n)/float64(v.sf[c]))
	}
	return out
}
