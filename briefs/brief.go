package briefs

import (
	"math"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/alexa-brief/alexa-brief/briefs/summary"
	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// maxRanked bounds the ranked list a brief is served from: more points than
// this is no brief.
const maxRanked = 100

// rankedBrief is the brief at its longest: points in rank order, from which
// any maxPoints is served.
type rankedBrief struct {
	title  string
	lead   int // sentence id of the first point, -1 with none
	points []Point
	quotes []Quote // candidate quotes, best first
	// quoteFor[n] indexes in quotes the quote for a brief of n points, -1
	// for none (see chooseQuotes).
	quoteFor []int
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
	var q *Quote
	if k := c.brief.quoteFor[n]; k >= 0 {
		qq := c.brief.quotes[k]
		q = &qq
	}
	return Brief{Title: c.brief.title, Points: pts, Quote: q, Sources: c.Sources()}
}

// rankBrief selects the points (package summary) and ranks the quotes.
func (c *Corpus) rankBrief() rankedBrief {
	figs := c.figures()
	sents := make([]summary.Sentence, len(c.sents))
	for i, s := range c.sents {
		sents[i] = summary.Sentence{Doc: s.doc, Pos: s.pos, Para: s.para, Text: s.text, Figures: figs[i]}
	}
	m := summary.New(c.publicationOrder(), sents)
	rb := rankedBrief{lead: -1}
	pts := m.Points(maxRanked)
	for _, p := range pts {
		src := make([]string, len(p.Docs))
		for i, d := range p.Docs {
			src[i] = c.articles[d].ID
		}
		s := c.sents[p.Sentence]
		t := s.text
		if s.pos == 0 {
			t = t[text.Dateline(t):] // a dateline is page furniture, not the point
		}
		rb.points = append(rb.points, Point{Text: t, Sources: src})
	}
	// The story's title is that of the article the brief leads with.
	rb.title = c.articles[0].Title
	if len(pts) > 0 {
		rb.lead = pts[0].Sentence
		rb.title = c.articles[c.sents[rb.lead].doc].Title
	}
	var cands []quoteCand
	rb.quotes, cands = c.rankQuotes(m)
	rb.quoteFor = chooseQuotes(m, pts, cands)
	return rb
}

// chooseQuotes picks the quote for each number of points n (0 to all):
// the candidate adding most to the first n points. A quote whose sentence
// is a point is never taken (the same words twice would waste the
// reader's time); statements come before phrases, as in rankQuotes; then
// a quote stating a fact no point states before one restating a point;
// then the most weight of concepts the points leave uncovered per √word,
// the measure the points were chosen by (package summary). Ties go to the
// better ranked.
func chooseQuotes(m *summary.Model, pts []summary.Point, cands []quoteCand) []int {
	out := make([]int, len(pts)+1)
	cover := m.NewCover()
	isPoint := map[int]bool{}
	for n := range out {
		if n > 0 {
			cover.Add(pts[n-1].Sentence)
			isPoint[pts[n-1].Sentence] = true
		}
		best, bestNew, bestGain := -1, false, 0.0
		for i, q := range cands {
			if isPoint[q.id] {
				continue
			}
			fresh := !cover.Restates(q.id)
			gain := cover.Gain(q.id) / math.Sqrt(float64(max(1, q.words)))
			switch {
			case best >= 0 && cands[best].statement != q.statement:
				continue // the better ranked is a statement, this one not
			case best < 0, fresh && !bestNew, fresh == bestNew && gain > bestGain:
				best, bestNew, bestGain = i, fresh, gain
			}
		}
		out[n] = best
	}
	return out
}

// publicationOrder ranks the articles by publication: by their published
// dates when every article has one, else in corpus order (a corpus is
// usually assembled as the story unfolds).
func (c *Corpus) publicationOrder() []summary.Article {
	type dated struct {
		i int
		t time.Time
	}
	ds := make([]dated, len(c.articles))
	all := true
	for i, a := range c.articles {
		ds[i] = dated{i: i}
		if t, ok := parsePublished(a.Published); ok {
			ds[i].t = t
		} else {
			all = false
		}
	}
	if all {
		sort.SliceStable(ds, func(a, b int) bool { return ds[a].t.Before(ds[b].t) })
	}
	out := make([]summary.Article, len(c.articles))
	for rank, d := range ds {
		out[d.i].Order = rank
	}
	return out
}

// parsePublished reads a published date in SPEC's forms: RFC 3339 or
// YYYY-MM-DD.
func parsePublished(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// minQuoteWords is the length below which a quotation is a phrase (a
// scare-quoted term, a title) rather than a statement worth attaching.
const minQuoteWords = 6

// rankQuotes orders the quotes a brief may attach: statements (a whole
// sentence of speech, capitalised, of at least minQuoteWords words) first,
// then by how much of the story's weighty content their sentence carries
// per word, so that a long sentence is not preferred for its length alone.
// Ties go to the earlier quote.
func (c *Corpus) rankQuotes(m *summary.Model) ([]Quote, []quoteCand) {
	quotes := c.Quotes()
	sentID := make(map[string]int, len(c.sents))
	for id, s := range c.sents {
		if _, ok := sentID[s.text]; !ok {
			sentID[s.text] = id
		}
	}
	type scored struct {
		q, id, words int
		statement    bool
		score        float64
	}
	var all []scored
	id, words := -1, 0
	for i, q := range quotes {
		// Quotes of one sentence are consecutive and share its string:
		// looking it up (hashing it) and counting its words once per quote
		// would be quadratic in a long sentence of many quotations.
		if i == 0 || q.Sentence != quotes[i-1].Sentence {
			var ok bool
			if id, ok = sentID[q.Sentence]; !ok {
				id = -1
			}
			words = countWords(q.Sentence)
		}
		if id < 0 {
			continue
		}
		statement := countWords(q.Text) >= minQuoteWords && unicode.IsUpper(firstRune(q.Text))
		all = append(all, scored{i, id, words, statement, m.Salience(id) / float64(max(1, words))})
	}
	sort.SliceStable(all, func(a, b int) bool {
		if all[a].statement != all[b].statement {
			return all[a].statement
		}
		return all[a].score > all[b].score
	})
	out := make([]Quote, 0, min(len(all), 20))
	cands := make([]quoteCand, 0, cap(out))
	for _, a := range all[:min(len(all), 20)] {
		out = append(out, quotes[a.q])
		cands = append(cands, quoteCand{id: a.id, words: a.words, statement: a.statement})
	}
	return out, cands
}

// quoteCand is what chooseQuotes needs of a ranked quote: its sentence,
// that sentence's length in words, and whether it is a statement.
type quoteCand struct {
	id, words int
	statement bool
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
