package briefs

import (
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// qaIndex is the sentence index behind Ask: an inverted index for BM25
// candidate retrieval and a forward index (each sentence's distinct terms
// with their counts) for exact rescoring, plus each sentence's answer-type
// features. Built once by New; read-only afterwards.
type qaIndex struct {
	vocab map[string]int32 // term → id
	df    []int32          // sentences containing the term
	post  [][]int32        // term → sentence ids, ascending
	ptf   [][]uint16       // term → counts, parallel to post

	fwdStart []int32  // sentence s's terms are fwdTerm[fwdStart[s]:fwdStart[s+1]]
	fwdTerm  []int32  // sorted by term id within a sentence
	fwdTF    []uint16 // parallel to fwdTerm
	length   []uint16 // terms in the sentence (with repeats)
	feat     []uint16 // answer-type features
	avgLen   float64

	// titleDocs maps a term of an article's title to the articles whose
	// title has it (ascending); docTitle lists each article's title terms.
	// An article is about its title: its sentences speak of it even when
	// they say "it" (see rescore).
	titleDocs map[string][]int32
	docTitle  [][]string
	// leadTitle marks an article whose title is its own first sentence
	// (derived, no front matter or headline): what that sentence states
	// is news to a question, not the article's topic label.
	leadTitle []bool
	sentDoc   []int32 // sentence → article

	accPool sync.Pool // *qaScratch, reused across questions

	// speakers maps a sentence to the normalised words of the speakers of
	// its quotations, built on the first "what did X say" question.
	speakersOnce sync.Once
	speakers     map[string][]string
}

// BM25 parameters: the usual defaults, with a lower b because sentences vary
// less in length than documents and long ones are not padding.
const (
	bm25K1 = 1.2
	bm25B  = 0.5
)

func newQAIndex(c *Corpus) *qaIndex {
	ix := &qaIndex{vocab: make(map[string]int32)}
	n := len(c.sents)
	ix.fwdStart = make([]int32, 0, n+1)
	ix.length = make([]uint16, n)
	ix.feat = make([]uint16, n)
	total := 0
	counts := make(map[int32]int)
	var ids []int32
	for s := range c.sents {
		ix.fwdStart = append(ix.fwdStart, int32(len(ix.fwdTerm)))
		text := c.sents[s].text
		ws := words(text)
		ix.feat[s] = qaSentenceFeatures(text, ws)
		clear(counts)
		ln := 0
		for _, w := range ws {
			if isStop(w) {
				continue
			}
			t := qaNorm(w)
			id, ok := ix.vocab[t]
			if !ok {
				id = int32(len(ix.df))
				ix.vocab[t] = id
				ix.df = append(ix.df, 0)
				ix.post = append(ix.post, nil)
				ix.ptf = append(ix.ptf, nil)
			}
			counts[id]++
			ln++
		}
		ids = ids[:0]
		for id := range counts {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		for _, id := range ids {
			tf := min(counts[id], math.MaxUint16)
			ix.fwdTerm = append(ix.fwdTerm, id)
			ix.fwdTF = append(ix.fwdTF, uint16(tf))
			ix.df[id]++
			ix.post[id] = append(ix.post[id], int32(s))
			ix.ptf[id] = append(ix.ptf[id], uint16(tf))
		}
		ix.length[s] = uint16(min(ln, math.MaxUint16))
		total += ln
	}
	ix.fwdStart = append(ix.fwdStart, int32(len(ix.fwdTerm)))
	ix.sentDoc = make([]int32, n)
	for s := range c.sents {
		ix.sentDoc[s] = int32(c.sents[s].doc)
	}
	ix.titleDocs = make(map[string][]int32)
	ix.docTitle = make([][]string, len(c.articles))
	ix.leadTitle = make([]bool, len(c.articles))
	for d, a := range c.articles {
		if ids := c.byDoc[d]; len(ids) > 0 {
			ix.leadTitle[d] = titleFromLead(a.Title, c.sents[ids[0]].text)
		}
		for _, w := range words(a.Title) {
			if isStop(w) || qaQuestionStop[w] {
				continue
			}
			t := qaNorm(w)
			if qaContainsStr(ix.docTitle[d], t) {
				continue
			}
			ix.docTitle[d] = append(ix.docTitle[d], t)
			ix.titleDocs[t] = append(ix.titleDocs[t], int32(d))
		}
	}
	if n > 0 {
		ix.avgLen = float64(total) / float64(n)
	}
	if ix.avgLen == 0 {
		ix.avgLen = 1
	}
	ix.accPool.New = func() any { return &qaScratch{acc: make([]float32, n)} }
	return ix
}

// idf is BM25's inverse document frequency; a term the corpus never uses
// gets the largest value a term could have.
func (ix *qaIndex) idf(df int) float64 {
	n := float64(len(ix.length))
	return math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
}

func (ix *qaIndex) termID(t string) (int32, bool) {
	id, ok := ix.vocab[t]
	return id, ok
}

// onlyIn reports whether every sentence holding term id belongs to one of
// docs (ascending).
func (ix *qaIndex) onlyIn(id int32, docs []int32) bool {
	for _, s := range ix.post[id] {
		if _, ok := slices.BinarySearch(docs, ix.sentDoc[s]); !ok {
			return false
		}
	}
	return true
}

// tfNorm is BM25's saturating term-frequency factor for sentence s.
func (ix *qaIndex) tfNorm(tf int, s int) float64 {
	l := float64(ix.length[s])
	return float64(tf) * (bm25K1 + 1) / (float64(tf) + bm25K1*(1-bm25B+bm25B*l/ix.avgLen))
}

// tf returns the count of term id in sentence s (0 when absent).
func (ix *qaIndex) tf(s int, id int32) int {
	lo, hi := int(ix.fwdStart[s]), int(ix.fwdStart[s+1])
	ts := ix.fwdTerm[lo:hi]
	i := sort.Search(len(ts), func(i int) bool { return ts[i] >= id })
	if i < len(ts) && ts[i] == id {
		return int(ix.fwdTF[lo+i])
	}
	return 0
}

// candidates accumulates approximate BM25 over the postings of every
// alternative of every query term and returns up to k sentence ids with the
// highest sums, best first. allowed, when non-nil, filters sentences.
func (ix *qaIndex) candidates(q []qaQueryTerm, k int, allowed func(int) bool) []int {
	sc := ix.accPool.Get().(*qaScratch)
	acc, touched := sc.acc, sc.touched[:0]
	for _, qt := range q {
		for _, alt := range qt.alts {
			w := float32(qt.weight * alt.factor * alt.idf)
			for i, s := range ix.post[alt.id] {
				if acc[s] == 0 {
					touched = append(touched, s)
				}
				acc[s] += w * float32(ix.tfNorm(int(ix.ptf[alt.id][i]), int(s)))
			}
		}
	}
	type cand struct {
		s     int32
		score float32
	}
	top := make([]cand, 0, k+1)
	for _, s := range touched {
		v := acc[s]
		acc[s] = 0 // leaves the accumulator clean for the next question
		if allowed != nil && !allowed(int(s)) {
			continue
		}
		if len(top) == k && v <= top[k-1].score {
			continue
		}
		i := sort.Search(len(top), func(i int) bool {
			return top[i].score < v || top[i].score == v && top[i].s > s
		})
		top = append(top, cand{})
		copy(top[i+1:], top[i:])
		top[i] = cand{s, v}
		if len(top) > k {
			top = top[:k]
		}
	}
	sc.touched = touched
	ix.accPool.Put(sc)
	out := make([]int, len(top))
	for i, c := range top {
		out[i] = int(c.s)
	}
	return out
}

// qaScratch is the per-question working memory of candidates: a score
// slot per sentence (kept zeroed between uses) and the list of slots used.
type qaScratch struct {
	acc     []float32
	touched []int32
}

// titleFromLead reports a title that deriveTitle cut from the first
// sentence: the whole sentence, or, for a long one, its start (after an
// introductory clause).
func titleFromLead(title, first string) bool {
	norm := func(s string) string {
		return strings.ToLower(strings.TrimRight(strings.Join(strings.Fields(s), " "), ". "))
	}
	t := norm(strings.TrimSuffix(title, "…"))
	if t == "" {
		return false
	}
	f := norm(first)
	for _, c := range []string{f, strings.ToLower(skipIntro(f))} {
		if c == t || utf8.RuneCountInString(c) > maxTitle && strings.HasPrefix(c, t) {
			return true
		}
	}
	return false
}
