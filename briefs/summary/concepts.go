package summary

import (
	"math"
	"sort"
	"strings"
	"unicode"

	"github.com/alexa-brief/alexa-brief/briefs/facts"
	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// The concepts of a sentence, after Gillick & Favre (2009): its content
// lemmas, the pairs of adjacent content lemmas, its figures by normalised
// value and its multi-word names. A brief is good when it covers the
// weighty concepts; two sentences state the same fact when their content
// overlaps.

// sentenceInfo is what selection needs of one sentence.
type sentenceInfo struct {
	concepts []int32 // concept ids, sorted, unique
	lemmas   []int32 // the unigram concept ids among them (content words), sorted
	content  []int32 // what the sentence states: lemmas, figures and names, sorted
	salient  []string
	figures  []facts.Figure
	words    int
}

// vocab interns concept strings.
type vocab struct {
	ids map[string]int32
	sf  []int32 // sentences holding the concept
	pf  []int32 // paragraphs holding the concept
	df  []int32 // articles holding the concept
}

func (v *vocab) id(s string) int32 {
	id, ok := v.ids[s]
	if !ok {
		id = int32(len(v.sf))
		v.ids[s] = id
		v.sf = append(v.sf, 0)
		v.pf = append(v.pf, 0)
		v.df = append(v.df, 0)
	}
	return id
}

// analyse extracts the concepts of sentence s. Unigram and bigram concepts
// use the lemmas (text.Norm) of content words; numbers are left to the
// figures, which compare by value rather than by spelling.
func analyse(v *vocab, s Sentence) sentenceInfo {
	var info sentenceInfo
	ws := text.Words(s.Text)
	info.words = len(ws)
	prev := ""
	add := func(c string) { info.concepts = append(info.concepts, v.id(c)) }
	for _, w := range ws {
		if text.IsStop(w) || text.IsNumber(w) || len([]rune(w)) < 2 {
			prev = ""
			continue
		}
		n := text.Norm(w)
		id := v.id(n)
		info.concepts = append(info.concepts, id)
		info.lemmas = append(info.lemmas, id)
		if prev != "" {
			add(prev + " " + n)
		}
		prev = n
	}
	for _, f := range s.Figures {
		info.content = append(info.content, v.id("#"+f.Key()))
		add("#" + f.Key())
		if f.Salient() {
			info.salient = append(info.salient, f.Key())
		}
	}
	info.figures = s.Figures
	for _, e := range names(s.Text) {
		add("@" + e)
	}
	info.content = uniq(append(info.content, info.lemmas...))
	info.concepts = uniq(info.concepts)
	info.lemmas = uniq(info.lemmas)
	sort.Strings(info.salient)
	return info
}

// names returns the runs of two or more capitalised words ("Wall Street
// Journal", "Marcus Hale"), lower-cased and folded: a name is one concept
// however many words it has.
func names(s string) []string {
	var out, run []string
	flush := func() {
		if len(run) >= 2 {
			out = append(out, strings.Join(run, " "))
		}
		run = run[:0]
	}
	for _, f := range strings.Fields(s) {
		w := strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		lw := strings.ToLower(w)
		if w == "" || !text.Capitalised(w) || text.IsStop(lw) {
			flush()
			continue
		}
		run = append(run, text.Fold(strings.TrimSuffix(strings.TrimSuffix(lw, "’s"), "'s")))
		if strings.ContainsAny(f[len(f)-1:], ",.;:!?)”\"") {
			flush()
		}
	}
	flush()
	return out
}

func uniq(xs []int32) []int32 {
	if len(xs) < 2 {
		return xs
	}
	sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] })
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
