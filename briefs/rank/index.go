package rank

import (
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// Sentence is one unit of retrieval: a sentence of an article.
type Sentence struct {
	Text string
	Doc  int // the article's index
	Para int // its paragraph in the article
}

// Index is a sentence index: an inverted index for BM25 retrieval and a
// forward index (each sentence's terms in order, its typed tokens) for the
// ranking features. Build it with NewIndex; it is read-only afterwards and
// safe for concurrent use.
type Index struct {
	vocab map[string]int32 // term → id
	df    []int32          // sentences holding the term
	post  [][]int32        // term → sentence ids, ascending
	ptf   [][]uint16       // term → counts, parallel to post

	seqStart []int32  // sentence s's terms are seq[seqStart[s]:seqStart[s+1]], in order
	seq      []int32  // term ids of the non-stop words
	seqCap   []bool   // parallel to seq: written with a capital, not first word
	length   []uint16 // len of the sentence's seq
	total    int      // sum of length
	avgLen   float64

	typStart []int32 // sentence s's typed tokens are typ[typStart[s]:typStart[s+1]]
	typ      []typed

	flags  []uint8  // per sentence: flag bits below
	copula []uint8  // per sentence: terms before its first copula (255: none)
	appos  []uint64 // per sentence: bit j set when term j is followed by an appositive
	doc    []int32  // sentence → article
	pos    []int32  // sentence → position in its article
	docLen []int32  // article → sentences
	// docStart[d] is article d's first sentence: NewIndex takes the
	// sentences in article order.
	docStart []int32
	para     []int32
	titles   [][]int32       // article → title term ids
	inTitle  map[int32]bool  // term ids of any title
	known    map[string]bool // every term of the sentences and titles

	pool sync.Pool // *scratch
}

// typed is a token that can answer a question of some type: a number, a
// date word, a name.
type typed struct {
	term int32  // its term id (-1 for a currency sign or the like)
	kind Type   // what it can answer
	at   uint16 // index in the sentence's seq of the next term
}

const (
	flagPronoun  uint8 = 1 << iota // opens with a pronoun: it stands for a name before
	flagFragment                   // no final punctuation: a caption or heading
	flagQuote                      // holds direct speech
)

// relatedWeight discounts a related term's BM25 in retrieval.
const relatedWeight = 0.5

// BM25 parameters: the usual defaults.
const (
	k1 = 1.2
	b  = 0.75
)

// NewIndex indexes sentences, given in article order (an article's
// sentences consecutive); titles[d] is article d's title ("" if none).
func NewIndex(sents []Sentence, titles []string) *Index {
	n := len(sents)
	ix := &Index{
		vocab:    make(map[string]int32),
		seqStart: make([]int32, 0, n+1),
		typStart: make([]int32, 0, n+1),
		length:   make([]uint16, 0, n),
		flags:    make([]uint8, 0, n),
		copula:   make([]uint8, 0, n),
		appos:    make([]uint64, 0, n),
		doc:      make([]int32, 0, n),
		pos:      make([]int32, 0, n),
		para:     make([]int32, 0, n),
		known:    make(map[string]bool),
		inTitle:  make(map[int32]bool),
	}
	ix.add(sents, titles, nil)
	return ix
}

// Extend returns a new index holding ix's sentences and articles followed
// by sents and titles: sents[i].Doc counts on from ix's articles (the
// first new article is Doc == ix's article count), titles are the new
// articles'. ix is left unchanged and stays valid, so readers of the old
// index are never disturbed; the cost is the new sentences' analysis plus
// copying the vocabulary and the index's arrays, not a rebuild.
func (ix *Index) Extend(sents []Sentence, titles []string) *Index {
	nx := &Index{
		vocab:    maps.Clone(ix.vocab),
		df:       slices.Clip(ix.df),
		post:     slices.Clone(ix.post),
		ptf:      slices.Clone(ix.ptf),
		seqStart: slices.Clip(ix.seqStart[:len(ix.seqStart)-1]),
		seq:      slices.Clip(ix.seq),
		seqCap:   slices.Clip(ix.seqCap),
		length:   slices.Clip(ix.length),
		total:    ix.total,
		typStart: slices.Clip(ix.typStart[:len(ix.typStart)-1]),
		typ:      slices.Clip(ix.typ),
		flags:    slices.Clip(ix.flags),
		copula:   slices.Clip(ix.copula),
		appos:    slices.Clip(ix.appos),
		doc:      slices.Clip(ix.doc),
		pos:      slices.Clip(ix.pos),
		docLen:   slices.Clip(ix.docLen),
		docStart: slices.Clip(ix.docStart),
		para:     slices.Clip(ix.para),
		titles:   slices.Clip(ix.titles),
		inTitle:  maps.Clone(ix.inTitle),
		known:    maps.Clone(ix.known),
	}
	// A term's postings may have spare capacity that another extension of
	// ix also appends into: the first append of each term copies them.
	nx.add(sents, titles, map[int32]bool{})
	return nx
}

// add indexes sents, which continue the index's article order, and the new
// articles' titles. With owned non-nil, postings are copied before their
// first append (see Extend).
func (ix *Index) add(sents []Sentence, titles []string, owned map[int32]bool) {
	base := len(ix.length)
	docs := len(ix.docLen)
	counts := make(map[int32]int)
	var ids []int32
	lastDoc, p := -1, 0
	for i, st := range sents {
		s := base + i
		if st.Doc != lastDoc {
			lastDoc, p = st.Doc, 0
		}
		ix.doc = append(ix.doc, int32(st.Doc))
		ix.pos = append(ix.pos, int32(p))
		ix.para = append(ix.para, int32(st.Para))
		ix.length = append(ix.length, 0)
		ix.flags = append(ix.flags, 0)
		ix.copula = append(ix.copula, 0)
		ix.appos = append(ix.appos, 0)
		p++
		ix.seqStart = append(ix.seqStart, int32(len(ix.seq)))
		ix.typStart = append(ix.typStart, int32(len(ix.typ)))
		ix.annotate(s, st.Text)
		clear(counts)
		for _, id := range ix.seq[ix.seqStart[s]:] {
			counts[id]++
		}
		ids = ids[:0]
		for id := range counts {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		for _, id := range ids {
			if owned != nil && !owned[id] {
				owned[id] = true
				ix.post[id] = slices.Clip(ix.post[id])
				ix.ptf[id] = slices.Clip(ix.ptf[id])
			}
			ix.df[id]++
			ix.post[id] = append(ix.post[id], int32(s))
			ix.ptf[id] = append(ix.ptf[id], uint16(min(counts[id], math.MaxUint16)))
		}
		ln := len(ix.seq) - int(ix.seqStart[s])
		ix.length[s] = uint16(min(ln, math.MaxUint16))
		ix.total += ln
	}
	ix.seqStart = append(ix.seqStart, int32(len(ix.seq)))
	ix.typStart = append(ix.typStart, int32(len(ix.typ)))
	ndocs := max(docs+len(titles), lastDoc+1)
	for len(ix.docLen) < ndocs {
		ix.docLen = append(ix.docLen, 0)
		ix.docStart = append(ix.docStart, 0)
	}
	for s := len(ix.doc) - 1; s >= base; s-- {
		d := ix.doc[s]
		ix.docLen[d]++
		ix.docStart[d] = int32(s)
	}
	for _, t := range titles {
		var tt []int32
		for _, w := range text.Words(t) {
			if text.IsStop(w) {
				continue
			}
			id := ix.id(text.Norm(w))
			tt = append(tt, id)
			ix.inTitle[id] = true
		}
		ix.titles = append(ix.titles, tt)
	}
	n := len(ix.length)
	ix.avgLen = 1
	if n > 0 && ix.total > 0 {
		ix.avgLen = float64(ix.total) / float64(n)
	}
	ix.pool.New = func() any { return &scratch{acc: make([]float32, n)} }
}

// id returns the id of term t, adding it to the vocabulary.
func (ix *Index) id(t string) int32 {
	if id, ok := ix.vocab[t]; ok {
		return id
	}
	id := int32(len(ix.df))
	ix.vocab[t] = id
	ix.df = append(ix.df, 0)
	ix.post = append(ix.post, nil)
	ix.ptf = append(ix.ptf, nil)
	ix.known[t] = true
	return id
}

// annotate appends sentence s's terms and typed tokens.
func (ix *Index) annotate(s int, sent string) {
	toks := tokens(sent)
	ix.copula[s] = 255
	seq0 := len(ix.seq)
	prev := ""
	for i, tk := range toks {
		w := tk.word
		at := uint16(min(len(ix.seq)-seq0, math.MaxUint16))
		// A pronoun early in the sentence ("About 1,200 people take it")
		// most likely stands for a name of the sentence before.
		if i < 6 && (text.Pronouns[w] != 0 || w == "it" || w == "its" || w == "they" || w == "their") || i == 0 && (w == "this" || w == "these") {
			ix.flags[s] |= flagPronoun
		}
		if text.Copulas[w] && ix.copula[s] == 255 {
			ix.copula[s] = uint8(min(int(at), 254))
		}
		if kind := tokenType(toks, i, prev); kind != 0 {
			term := int32(-1)
			if !text.IsStop(w) {
				term = ix.id(text.Norm(w))
			}
			ix.typ = append(ix.typ, typed{term: term, kind: kind, at: at + 1})
		}
		prev = w
		if text.IsStop(w) {
			continue
		}
		if tk.appos && int(at) < 64 {
			ix.appos[s] |= 1 << at
		}
		ix.seq = append(ix.seq, ix.id(text.Norm(w)))
		ix.seqCap = append(ix.seqCap, tk.cap && i > 0)
	}
	if t := strings.TrimRight(sent, " \t\r\n"); t != "" {
		if r, _ := utf8.DecodeLastRuneInString(t); !strings.ContainsRune(".!?\"”’')…;", r) {
			ix.flags[s] |= flagFragment
		}
	}
	if strings.ContainsAny(sent, "“”\"") {
		ix.flags[s] |= flagQuote
	}
}

// idf is BM25's inverse document frequency over sentences.
func (ix *Index) idf(df int32) float64 {
	n := float64(len(ix.length))
	return math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
}

// tfNorm is BM25's saturating term-frequency factor in sentence s.
func (ix *Index) tfNorm(tf int, s int) float64 {
	l := float64(ix.length[s])
	return float64(tf) * (k1 + 1) / (float64(tf) + k1*(1-b+b*l/ix.avgLen))
}

// Types is what the typed tokens of sentence s can answer (dates, sums,
// counts, shares, names).
func (ix *Index) Types(s int) Type {
	var t Type
	for _, tk := range ix.typ[ix.typStart[s]:ix.typStart[s+1]] {
		t |= tk.kind
	}
	return t
}

// Knows reports whether the corpus uses normalised term t (in a sentence
// or a title).
func (ix *Index) Knows(t string) bool { return ix.known[t] }

// Len is the number of sentences.
func (ix *Index) Len() int { return len(ix.length) }

// scratch is the per-question working memory of retrieval: a score slot
// per sentence (kept zeroed between uses) and the slots used.
type scratch struct {
	acc     []float32
	touched []int32
}

// Hit is a retrieved sentence with its BM25 score.
type Hit struct {
	Sent int
	BM25 float64
}

// Retrieve returns up to k sentences by BM25 over the query terms, best
// first (ties by sentence order); allowed, when non-nil, filters them.
func (ix *Index) Retrieve(terms []string, k int, allowed func(int) bool) []Hit {
	if k <= 0 || len(ix.length) == 0 {
		return nil
	}
	sc := ix.pool.Get().(*scratch)
	acc, touched := sc.acc, sc.touched[:0]
	add := func(id int32, factor float64) {
		w := factor * ix.idf(ix.df[id])
		for i, s := range ix.post[id] {
			if acc[s] == 0 {
				touched = append(touched, s)
			}
			acc[s] += float32(w * ix.tfNorm(int(ix.ptf[id][i]), int(s)))
		}
	}
	for _, t := range terms {
		if id, ok := ix.vocab[t]; ok {
			add(id, 1)
		}
		// A question may use another form or a synonym of the text's word
		// ("shortfall" for "deficit"); such a match counts half in
		// retrieval, and the ranker's paraphrase features weigh it.
		for _, rel := range text.Related(t) {
			if id, ok := ix.vocab[rel.Term]; ok && !slices.Contains(terms, rel.Term) {
				add(id, relatedWeight)
			}
		}
	}
	top := make([]Hit, 0, k+1)
	for _, s := range touched {
		v := float64(acc[s])
		acc[s] = 0 // leaves the accumulator clean for the next question
		if allowed != nil && !allowed(int(s)) {
			continue
		}
		if len(top) == k && v <= top[k-1].BM25 {
			continue
		}
		i := sort.Search(len(top), func(i int) bool {
			return top[i].BM25 < v || top[i].BM25 == v && top[i].Sent > int(s)
		})
		top = append(top, Hit{})
		copy(top[i+1:], top[i:])
		top[i] = Hit{int(s), v}
		if len(top) > k {
			top = top[:k]
		}
	}
	sc.touched = touched
	ix.pool.Put(sc)
	return top
}

// BM25 is the exact BM25 score of sentence s for the terms.
func (ix *Index) BM25(terms []string, s int) float64 { return ix.Scorer(terms)(s) }

// Scorer returns the BM25 of a sentence for the terms, resolved once so
// that scoring many sentences costs no lookups.
func (ix *Index) Scorer(terms []string) func(s int) float64 {
	var ids []int32
	var idfs []float64
	for _, t := range terms {
		if id, ok := ix.vocab[t]; ok && ix.df[id] > 0 {
			ids = append(ids, id)
			idfs = append(idfs, ix.idf(ix.df[id]))
		}
	}
	return func(s int) float64 {
		v := 0.0
		for i, id := range ids {
			if tf := ix.tf(s, id); tf > 0 {
				v += idfs[i] * ix.tfNorm(tf, s)
			}
		}
		return v
	}
}

// tf counts term id in sentence s.
func (ix *Index) tf(s int, id int32) int {
	n := 0
	for _, x := range ix.seq[ix.seqStart[s]:ix.seqStart[s+1]] {
		if x == id {
			n++
		}
	}
	return n
}

// Has reports whether sentence s holds normalised term t.
func (ix *Index) Has(s int, t string) bool {
	id, ok := ix.vocab[t]
	return ok && containsID(ix.seq[ix.seqStart[s]:ix.seqStart[s+1]], id)
}

// Candidates retrieves the k best sentences by BM25 and adds, after each,
// the next sentence of its paragraph when that one opens with a pronoun:
// "About 1,200 people take it." answers a question about the line the
// sentence before names, without naming it.
func (ix *Index) Candidates(terms []string, k int, allowed func(int) bool) []Hit {
	hits := ix.Retrieve(terms, k, allowed)
	in := make(map[int]bool, len(hits))
	bm25 := ix.Scorer(terms)
	for i, h := range hits {
		in[h.Sent] = true
		// The ranker's BM25 is over the question's own terms, as in
		// training; related terms only widened the retrieval.
		hits[i].BM25 = bm25(h.Sent)
	}
	hits = ix.addTitled(terms, hits, in, allowed, bm25)
	for _, h := range hits[:len(hits):len(hits)] {
		n := h.Sent + 1
		if n < len(ix.length) && !in[n] && ix.doc[n] == ix.doc[h.Sent] && ix.para[n] == ix.para[h.Sent] &&
			ix.flags[n]&flagPronoun != 0 && (allowed == nil || allowed(n)) {
			in[n] = true
			hits = append(hits, Hit{Sent: n, BM25: bm25(n)})
		}
	}
	return hits
}

// maxTitled bounds the sentences addTitled adds.
const maxTitled = 128

// addTitled adds the sentences of the articles whose title holds a query
// term, when they are few: an article is about its title, and a sentence
// of it may answer without repeating it ("It takes place in Kilbrack
// every September.").
func (ix *Index) addTitled(terms []string, hits []Hit, in map[int]bool, allowed func(int) bool, bm25 func(int) float64) []Hit {
	var docs []int32
	for _, t := range terms {
		id, ok := ix.vocab[t]
		if !ok || !ix.inTitle[id] {
			continue
		}
		for d, title := range ix.titles {
			if containsID(title, id) && !slices.Contains(docs, int32(d)) {
				docs = append(docs, int32(d))
				if len(docs) > maxTitled {
					return hits
				}
			}
		}
	}
	var add []int
	for _, d := range docs {
		for s := int(ix.docStart[d]); s < len(ix.doc) && ix.doc[s] == d; s++ {
			if !in[s] && (allowed == nil || allowed(s)) {
				if add = append(add, s); len(add) > maxTitled {
					return hits
				}
			}
		}
	}
	for _, s := range add {
		in[s] = true
		hits = append(hits, Hit{Sent: s, BM25: bm25(s)})
	}
	return hits
}
