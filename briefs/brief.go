package briefs

import (
	"math"
	"sort"
	"strings"
	"unicode"
)

// maxRanked bounds the ranked list a brief is served from: more points than
// this is no brief.
const maxRanked = 100

// rankedBrief is the brief at its longest: points in rank order, from which
// any maxPoints is served.
type rankedBrief struct {
	title  string
	points []Point
	quotes []Quote // candidate quotes, best first
}

// Brief returns the consolidated brief with at most maxPoints points (5 when
// maxPoints < 1). It is ranked once per corpus, then served from memory.
func (c *Corpus) Brief(maxPoints int) Brief {
	if maxPoints < 1 {
		maxPoints = 5
	}
	c.briefOnce.Do(func() { c.brief = c.rankBrief() })
	n := min(maxPoints, len(c.brief.points))
	pts := make([]Point, n)
	for i := range pts {
		p := c.brief.points[i]
		pts[i] = Point{Text: p.Text, Sources: append([]string{}, p.Sources...)}
	}
	// The best quote whose sentence is not already a point: the same words
	// twice in one brief would waste the reader's time.
	var q *Quote
	for _, cand := range c.brief.quotes {
		dup := false
		for _, p := range pts {
			dup = dup || p.Text == cand.Sentence
		}
		if !dup {
			qq := cand
			q = &qq
			break
		}
	}
	return Brief{Title: c.brief.title, Points: pts, Quote: q, Sources: c.Sources()}
}

// svec is a sparse, unit-length tf-idf vector sorted by term id.
type svec []sterm

type posting struct {
	sent int32
	w    float32
}

type sterm struct {
	t int32
	w float32
}

func (a svec) dot(b svec) float64 {
	var s float64
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].t == b[j].t:
			s += float64(a[i].w) * float64(b[j].w)
			i++
			j++
		case a[i].t < b[j].t:
			i++
		default:
			j++
		}
	}
	return s
}

// Weights of the sentence score. Position dominates because news is written
// lead first (LEAD-3 is a strong summary of one article); centrality finds
// what the articles agree on, corroboration rewards what several of them
// state, figures reward the concrete.
const (
	wPosition = 1.0
	wCentral  = 0.8
	wFigure   = 0.12
	wCorrob   = 0.35
	// Two sentences more similar than this say the same thing.
	redundantSim = 0.42
	// Within a single article only a near-repeat is dropped: a sentence
	// restating the lead in other words (a caption, a summary line) still
	// carries the story's key facts, and with one article there is no other
	// source to take them from. Measured on news summaries (README “Quality, measured”).
	redundantSimSingle = 0.75
	// A sentence this similar to a point in another article supports it.
	supportSim = 0.30
)

// briefModel holds what ranking needs for every sentence.
type briefModel struct {
	c        *Corpus
	vecs     []svec
	figs     [][]string          // salient figure keys (money, percent, count) per sentence
	postings map[int32][]posting // term → sentences holding it, with its weight there
	figPost  map[string][]int32  // salient figure key → sentences stating it
	concrete []bool              // the sentence states a figure other than a bare date
	df       []int
}

func (c *Corpus) newBriefModel() *briefModel {
	m := &briefModel{c: c, vecs: make([]svec, len(c.sents)), figs: make([][]string, len(c.sents)), figPost: map[string][]int32{}, concrete: make([]bool, len(c.sents))}
	ids := map[string]int32{}
	figs := c.figures()
	tc := map[int32]int{} // reused: one map per sentence would cost more than the vectors
	for i, s := range c.sents {
		clear(tc)
		for _, t := range terms(s.text) {
			id, ok := ids[t]
			if !ok {
				id = int32(len(ids))
				ids[t] = id
				m.df = append(m.df, 0)
			}
			tc[id]++
		}
		v := make(svec, 0, len(tc))
		for t, k := range tc {
			v = append(v, sterm{t, float32(k)}) // raw count until the idf is known
			m.df[t]++
		}
		sort.Slice(v, func(a, b int) bool { return v[a].t < v[b].t })
		m.vecs[i] = v
		for _, f := range figs[i] {
			m.concrete[i] = m.concrete[i] || f.kind != KindDate
			if f.kind == KindMoney || f.kind == KindPercent || f.kind == KindCount {
				m.figs[i] = append(m.figs[i], f.key)
				m.figPost[f.key] = append(m.figPost[f.key], int32(i))
			}
		}
	}
	n := float64(len(c.sents))
	m.postings = make(map[int32][]posting, len(ids))
	for i, v := range m.vecs {
		var norm float64
		for j, st := range v {
			w := (1 + math.Log(float64(st.w))) * math.Log(1+n/float64(m.df[st.t]))
			v[j].w = float32(w)
			norm += w * w
		}
		norm = math.Sqrt(norm)
		for j := range v {
			v[j].w = float32(float64(v[j].w) / norm)
			m.postings[v[j].t] = append(m.postings[v[j].t], posting{int32(i), v[j].w})
		}
	}
	return m
}

// centroid is the mean of the article centroids, so a long article does not
// outweigh a short one. Dense, indexed by term id, and summed in a fixed
// order so that the brief is the same on every run.
func (m *briefModel) centroid() []float64 {
	cen := make([]float64, len(m.df))
	doc := make([]float64, len(m.df))
	var touched []int32
	for _, ids := range m.c.byDoc {
		touched = touched[:0]
		for _, id := range ids {
			for _, st := range m.vecs[id] {
				if doc[st.t] == 0 {
					touched = append(touched, st.t)
				}
				doc[st.t] += float64(st.w)
			}
		}
		var norm float64
		for _, t := range touched {
			norm += doc[t] * doc[t]
		}
		norm = math.Sqrt(norm)
		for _, t := range touched {
			if norm > 0 {
				cen[t] += doc[t] / norm
			}
			doc[t] = 0
		}
	}
	var norm float64
	for _, w := range cen {
		norm += w * w
	}
	if norm = math.Sqrt(norm); norm > 0 {
		for t := range cen {
			cen[t] /= norm
		}
	}
	return cen
}

// similar returns, for sentence i, the best similarity it has with a
// sentence of each other article, via the postings of its rarer terms (a
// common term alone makes no two sentences alike, and skipping it keeps
// this cheap on large corpora).
func (m *briefModel) similar(i int) map[int]float64 {
	acc := map[int32]float64{}
	limit := m.postingLimit()
	for _, st := range m.vecs[i] {
		post := m.postings[st.t]
		if len(post) > limit {
			continue
		}
		for _, p := range post {
			if m.c.sents[p.sent].doc != m.c.sents[i].doc {
				acc[p.sent] += float64(st.w) * float64(p.w)
			}
		}
	}
	best := map[int]float64{}
	for j, sim := range acc {
		d := m.c.sents[j].doc
		if sim > best[d] {
			best[d] = sim
		}
	}
	// A shared salient figure ("$25 billion") is support however it is worded.
	for _, key := range m.figs[i] {
		post := m.figPost[key]
		if len(post) > limit {
			continue // a figure every article states says nothing of this one
		}
		for _, j := range post {
			if d := m.c.sents[j].doc; d != m.c.sents[i].doc {
				best[d] = math.Max(best[d], math.Max(supportSim, m.vecs[i].dot(m.vecs[j])+0.15))
			}
		}
	}
	return best
}

// postingLimit is the document frequency above which a term is too common
// to make two sentences alike: half the sentences of a small corpus, a few
// hundred of a large one, so that similar stays cheap.
func (m *briefModel) postingLimit() int {
	n := len(m.c.sents)
	return max(min(n/2, 20), int(3*math.Sqrt(float64(n))))
}

// rankBrief scores every sentence, picks non-redundant points greedily and
// lists the articles supporting each.
func (c *Corpus) rankBrief() rankedBrief {
	m := c.newBriefModel()
	cen := m.centroid()
	quotes := c.Quotes()
	quoteSent := map[string]bool{}
	for i, q := range quotes {
		// Quotes of one sentence are consecutive and share its string:
		// hashing it once per quote was quadratic in a long sentence of
		// many quotations (the comparison is by pointer first, so cheap).
		if i > 0 && quotes[i-1].Sentence == q.Sentence {
			continue
		}
		quoteSent[q.Sentence] = true
	}
	ranked := m.rankQuotes(quotes, cen)
	var best *Quote
	if len(ranked) > 0 {
		best = &ranked[0]
	}

	type cand struct {
		id    int
		score float64
	}
	// With several articles, agreement between them says more than any
	// one article's lead; with one, the lead is the best evidence there is.
	wPos, wFig := 1.0, wFigure
	if len(c.articles) > 1 {
		wPos, wFig = 0.75, 2*wFigure
	}
	cands := make([]cand, 0, len(c.sents))
	for id, s := range c.sents {
		// The best quote's sentence reads better attached as the quote than
		// as a point; it stays a candidate for one-article corpora, where
		// the lead may be quotation.
		if best != nil && s.text == best.Sentence && len(c.articles) > 1 {
			continue
		}
		nw := countWords(s.text)
		var cs float64
		for _, st := range m.vecs[id] {
			cs += float64(st.w) * cen[st.t]
		}
		score := wPos*wPosition/math.Sqrt(1+float64(s.pos)) + wCentral*cs
		if m.concrete[id] {
			score += wFig
		}
		switch {
		case nw < 5:
			score -= 0.6 // a heading or dateline: a point only if nothing else is
		case nw > 55:
			score -= 0.2
		}
		if boilerplate(s.text) {
			score -= 1
		}
		if quoteSent[s.text] && len(c.articles) > 1 {
			score -= 0.15 // several articles: points report, the quote quotes
		}
		if needsContext(s.text) {
			score -= 0.1
		}
		cands = append(cands, cand{id, score})
	}
	byScore := func() {
		sort.SliceStable(cands, func(i, j int) bool {
			if cands[i].score != cands[j].score {
				return cands[i].score > cands[j].score
			}
			return cands[i].id < cands[j].id
		})
	}
	byScore()

	// Corroboration needs pairwise similarity: compute it for the leading
	// candidates only, which is where it can change the order.
	support := map[int]map[int]float64{}
	if len(c.articles) > 1 {
		top := min(len(cands), maxRanked+20)
		for k := 0; k < top; k++ {
			sup := m.similar(cands[k].id)
			support[cands[k].id] = sup
			n := 0
			for _, sim := range sup {
				if sim >= supportSim {
					n++
				}
			}
			cands[k].score += wCorrob * float64(n) / float64(len(c.articles)-1)
		}
		byScore()
	}

	rb := rankedBrief{quotes: ranked}
	redSim := redundantSim
	if len(c.articles) == 1 {
		redSim = redundantSimSingle
	}
	var chosen []int
	var pointDocs [][]int
	for _, cd := range cands {
		if len(chosen) == maxRanked {
			break
		}
		dup := -1
		for k, id := range chosen {
			sim := m.vecs[cd.id].dot(m.vecs[id])
			// Across articles, support is redundancy: a sentence of another
			// article that supports a point says that point again.
			cross := c.sents[cd.id].doc != c.sents[id].doc
			if sim >= redSim || cross && sim >= supportSim || sharesFigure(m.figs[cd.id], m.figs[id]) && sim >= supportSim/2 {
				dup = k
				break
			}
		}
		if dup >= 0 {
			// Said again, perhaps by another article: that article supports
			// the point already chosen.
			pointDocs[dup] = appendUnique(pointDocs[dup], c.sents[cd.id].doc)
			continue
		}
		chosen = append(chosen, cd.id)
		docs := []int{c.sents[cd.id].doc}
		for d, sim := range support[cd.id] {
			if sim >= supportSim {
				docs = appendUnique(docs, d)
			}
		}
		pointDocs = append(pointDocs, docs)
	}
	for k, id := range chosen {
		docs := pointDocs[k]
		sort.Ints(docs)
		src := make([]string, len(docs))
		for i, d := range docs {
			src[i] = c.articles[d].ID
		}
		rb.points = append(rb.points, Point{Text: c.sents[id].text, Sources: src})
	}
	rb.title = c.storyTitle(chosen)
	return rb
}

// countWords counts space-separated words without allocating.
func countWords(s string) int {
	n, in := 0, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			in = false
		} else if !in {
			in = true
			n++
		}
	}
	return n
}

func appendUnique(xs []int, x int) []int {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

func sharesFigure(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// boilerplate reports furniture of a news page rather than news.
func boilerplate(s string) bool {
	l := strings.ToLower(s)
	for _, p := range []string{"editor's note", "editor’s note", "click here", "scroll down", "read more",
		"sign up", "follow us", "copyright", "all rights reserved", "this story has been", "this article"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

// needsContext reports a sentence that leans on the one before it ("They
// highlighted…", "However, …"): weaker as a stand-alone point.
func needsContext(s string) bool {
	first, _, _ := strings.Cut(strings.TrimSpace(s), " ")
	w := strings.ToLower(strings.TrimRight(first, ",;:"))
	switch w {
	case "he", "she", "they", "it", "this", "that", "these", "those", "however", "but", "and",
		"additionally", "also", "instead", "yet", "still", "meanwhile", "unfortunately", "moreover",
		"furthermore", "so", "then", "thus", "there":
		return true
	}
	return false
}

// rankQuotes ranks the quotations a brief may attach: whole-sentence speech
// about the story that the other articles echo first. Echo is the costly
// part, so it is weighed only for the quotes that lead on the rest, and only
// those are kept.
func (m *briefModel) rankQuotes(quotes []Quote, cen []float64) []Quote {
	if len(quotes) == 0 {
		return nil
	}
	sentID := map[string]int{}
	for id, s := range m.c.sents {
		if _, ok := sentID[s.text]; !ok {
			sentID[s.text] = id
		}
	}
	type scored struct {
		q     int
		id    int
		score float64
	}
	all := make([]scored, 0, len(quotes))
	for i, q := range quotes {
		id, ok := sentID[q.Sentence]
		if !ok {
			continue
		}
		score := 0.0
		for _, st := range m.vecs[id] {
			score += float64(st.w) * cen[st.t]
		}
		s := m.c.sents[id]
		score -= 0.02 * float64(s.pos) / float64(len(m.c.byDoc[s.doc]))
		switch nw := countWords(q.Text); {
		case nw < 6:
			score -= 0.4
		case nw > 45:
			score -= 0.2
		}
		if unicode.IsLower(firstRune(q.Text)) {
			score -= 0.3 // a partial quotation
		}
		all = append(all, scored{i, id, score})
	}
	byScore := func() {
		sort.SliceStable(all, func(a, b int) bool {
			if all[a].score != all[b].score {
				return all[a].score > all[b].score
			}
			return all[a].q < all[b].q
		})
	}
	byScore()
	all = all[:min(len(all), 20)]
	if len(m.c.articles) > 1 {
		for k := range all {
			var top float64
			for _, sim := range m.similar(all[k].id) {
				top = math.Max(top, sim)
			}
			all[k].score += top
		}
		byScore()
	}
	out := make([]Quote, len(all))
	for k, a := range all {
		out[k] = quotes[a.q]
	}
	return out
}

// storyTitle is the title of the article the brief leads with: its top
// point comes from the article that best states what the corpus is about.
func (c *Corpus) storyTitle(points []int) string {
	if len(points) == 0 {
		return c.articles[0].Title
	}
	return c.articles[c.sents[points[0]].doc].Title
}
