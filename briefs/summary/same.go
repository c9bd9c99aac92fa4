package summary

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alexa-brief/alexa-brief/briefs/facts"
	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// Two sentences state the same fact when their weighted content overlap
// (Dice over content lemmas and figures, each weighted by its idf) reaches
// one of two bars. With the same figures, the figures carry the fact and
// the words need only show it is about the same thing: a quarter of the
// content in common. Without figures the words alone must carry it: two
// fifths, well above what two sentences share through the story's topic.
const (
	sameWithFigures = 0.25
	sameContent     = 0.4
)

// overlap is the idf-weighted Dice coefficient of two sentences' content
// (lemmas and figures by value), in [0, 1].
func (m *Model) overlap(a, b int) float64 {
	la, lb := m.info[a].content, m.info[b].content
	var shared, ta, tb float64
	i, j := 0, 0
	for i < len(la) || j < len(lb) {
		switch {
		case j == len(lb) || i < len(la) && la[i] < lb[j]:
			ta += m.idf[la[i]]
			i++
		case i == len(la) || lb[j] < la[i]:
			tb += m.idf[lb[j]]
			j++
		default:
			w := m.idf[la[i]]
			shared += w
			ta += w
			tb += w
			i++
			j++
		}
	}
	if ta+tb == 0 {
		return 0
	}
	return 2 * shared / (ta + tb)
}

// supports reports whether sentence t states the fact of sentence s. When
// s states figures (money, percent, count), t must state exactly those: a
// shared number alone is no support, since "$340 million" may be the cost
// in a grant's sentence and in a vote's, and a sentence adding another
// figure states another fact besides.
func (m *Model) supports(t, s int) bool {
	if fs := m.info[s].salient; len(fs) > 0 {
		return equal(fs, m.info[t].salient) && m.overlap(t, s) >= sameWithFigures
	}
	return m.overlap(t, s) >= sameContent
}

// sameFact reports whether two sentences state one fact: the same figures
// (or the same quantities with new values: an update) and content in
// common, or without figures on both sides, strong content overlap. Two
// sentences stating different quantities ("hired 10,000 people", "sold 500
// million devices") are two facts.
func (m *Model) sameFact(a, b int) bool {
	sa, sb := m.info[a].salient, m.info[b].salient
	if len(sa) > 0 && len(sb) > 0 {
		return (equal(sa, sb) || m.changed(a, b)) && m.overlap(a, b) >= sameWithFigures
	}
	return m.overlap(a, b) >= sameContent
}

// restates returns the index in chosen of a point stating the same fact as
// sentence id, or -1.
func (m *Model) restates(id int, chosen []int) int {
	for k, c := range chosen {
		if m.sameFact(id, c) {
			return k
		}
	}
	return -1
}

// changed reports that a and b state the same quantities with at least
// one new value: as many figures on each side, each of a's equal to one of
// b's or related to it (the same kind of figure about the same thing).
func (m *Model) changed(a, b int) bool {
	fa, fb := salientFigures(m.info[a].figures), salientFigures(m.info[b].figures)
	if len(fa) != len(fb) || len(fa) == 0 {
		return false
	}
	moved := false
	for _, f := range fa {
		match := false
		for _, g := range fb {
			if f.Key() == g.Key() {
				match = true
				break
			}
			if f.Related(g) {
				match, moved = true, true
				break
			}
		}
		if !match {
			return false
		}
	}
	return moved
}

func salientFigures(fs []facts.Figure) []facts.Figure {
	var out []facts.Figure
	for _, f := range fs {
		if f.Salient() {
			out = append(out, f)
		}
	}
	return out
}

// update returns the latest report of sentence id's fact with changed
// figures: a sentence of a later article stating the same fact whose
// figures moved. id itself when there is none.
func (m *Model) update(id int) int {
	best := id
	for _, j := range m.neighbours(id) {
		if m.arts[m.sents[j].Doc].Order > m.arts[m.sents[best].Doc].Order && m.changed(j, id) && m.sameFact(j, id) {
			best = j
		}
	}
	return best
}

// neighbours returns the sentences of other articles sharing a specific
// content lemma with sentence id, ascending. A lemma most sentences hold
// (the story's topic) makes no two sentences alike, and skipping its
// postings keeps this cheap on a large corpus.
func (m *Model) neighbours(id int) []int {
	limit := max(min(len(m.sents)/2, 20), int(3*math.Sqrt(float64(len(m.sents)))))
	seen := map[int32]bool{}
	var out []int
	for _, c := range m.info[id].lemmas {
		post := m.post[c]
		if len(post) > limit {
			continue
		}
		for _, j := range post {
			if int(j) != id && !seen[j] && m.sents[j].Doc != m.sents[id].Doc {
				seen[j] = true
				out = append(out, int(j))
			}
		}
	}
	sort.Ints(out)
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Fitness of a sentence to stand alone as a point. A leaning sentence or
// a fragment is half as good a point: it needs the sentence before it, or
// is a heading or caption, so it wins only when it holds clearly more than
// any other. Page furniture is no point at all.
const leaning = 0.5

func (m *Model) fitness(id int) float64 {
	s := strings.TrimSpace(m.sents[id].Text)
	switch {
	case boilerplate(s):
		return 0
	case leans(s) || fragment(s, m.info[id].words):
		return leaning
	}
	return 1
}

// boilerplate reports the furniture of a news page rather than news: notes
// to readers, calls to action, bylines, link lines ("Watch … »").
func boilerplate(s string) bool {
	if s == "" {
		return false
	}
	for _, p := range openersByLetter[unicode.ToLower(rune(s[0]))] {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			return true
		}
	}
	if strings.ContainsAny(s, "»›") {
		return true
	}
	// A byline: "By" and a name, nothing else.
	if f := strings.Fields(s); len(f) >= 2 && len(f) <= 6 && f[0] == "By" && text.Capitalised(f[1]) {
		return true
	}
	return false
}

// openersByLetter indexes the boilerplate openers by their first letter:
// every sentence is tested, most against none.
var openersByLetter = func() map[rune][]string {
	m := map[rune][]string{}
	for _, p := range text.BoilerplateOpeners {
		r := rune(p[0])
		m[r] = append(m[r], p)
	}
	return m
}()

// leans reports a sentence whose first word points back to the one before
// it ("They highlighted…", "However, …").
func leans(s string) bool {
	// The first run of letters: "He’s" leans as "He" does, and an opening
	// quote mark is no word.
	start := strings.IndexFunc(s, unicode.IsLetter)
	if start < 0 {
		return false
	}
	end := strings.IndexFunc(s[start:], func(r rune) bool { return !unicode.IsLetter(r) })
	if end < 0 {
		end = len(s) - start
	}
	return text.LeaningOpeners.Has(strings.ToLower(s[start : start+end]))
}

// fragment reports a heading, dateline or caption rather than a sentence:
// under five words, or no closing punctuation (inside a closing quote or
// bracket or not: `…fortune.”` ends a sentence, `…the Phoenix”` does not).
func fragment(s string, words int) bool {
	if words < 5 {
		return true
	}
	s = strings.TrimRight(s, "”\"’')] ")
	r, _ := utf8.DecodeLastRuneInString(s)
	return !strings.ContainsRune(".!?…", r)
}

// leadBoost is the lead's head start: news puts what matters first, so
// the content an article's first sentence adds counts double, and a later
// sentence's 1 + 1/√(1+position) times. It multiplies what a sentence
// adds rather than adding to it: a sentence whose content the points
// already hold gains nothing from where it stands, so position orders new
// content and never outweighs it. (Added instead, at the weight of an
// average sentence, position chose a story's early sentences once their
// topic was covered, over the facts later paragraphs hold only once.)
func (m *Model) leadBoost(id int) float64 {
	return 1 + 1/math.Sqrt(1+float64(m.sents[id].Pos))
}
