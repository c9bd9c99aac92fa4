package briefs

import (
	"math"
	"strings"
	"unicode/utf8"

	"github.com/alexa-brief/alexa-brief/briefs/rank"
	txt "github.com/alexa-brief/alexa-brief/briefs/text"
)

// Question answering is a thin layer over package rank: BM25 retrieves
// candidate sentences, the learned ranker gives each the probability that
// it answers, and the answer is the most probable sentence when that
// probability reaches the threshold chosen on WikiQA dev; otherwise the
// corpus does not hold the answer and the closest sentences are shown.

// ranker is the shipped model; a corpus cannot be built without it, so a
// broken model file fails every test of the package.
var ranker = func() *rank.Model {
	m, err := rank.Default()
	if err != nil {
		panic(err)
	}
	return m
}()

// Answer shaping, set on general grounds.
const (
	// secondRatio is how close to the best probability a second sentence
	// must come to be added to the answer (two articles stating the same
	// fact, or its next sentence).
	secondRatio = 0.8
	// nearestN is how many of the closest sentences a decline shows.
	nearestN = 3
)

// Ask answers one question from the corpus: one or two verbatim sentences
// with their citations, or answered=false with a plain statement that the
// articles don't say and the sentences that come closest.
func (c *Corpus) Ask(question string) Answer {
	q := rank.Analyze(question)
	return c.answer(question, c.search(q, nil))
}

// result is what a search found: the ranked candidates and, when the
// question cannot be answered whatever they are, why.
type result struct {
	ranked  []rank.Scored
	missing []string // names of the question the corpus never mentions
	// unknownFocus: the corpus never uses the head noun of "what is the X".
	unknownFocus bool
	// untyped: a date or a figure is wanted and no candidate holds one.
	untyped bool
	empty   bool // the question has nothing to look for
	sure    bool // the top sentence answers by rule ("what did X say")
	lead    bool // the story's lead answers a question about the whole story
}

// newIndex builds the rank index of the corpus's sentences.
func newIndex(c *Corpus) *rank.Index {
	return rank.NewIndex(indexSentences(c, 0), titles(c, 0))
}

// indexSentences are the sentences of c's articles from index first on,
// as package rank indexes them.
func indexSentences(c *Corpus, first int) []rank.Sentence {
	var sents []rank.Sentence
	for _, ids := range c.byDoc[first:] {
		for _, id := range ids {
			s := c.sents[id]
			sents = append(sents, rank.Sentence{Text: s.text, Doc: s.doc, Para: s.para})
		}
	}
	return sents
}

// titles are the titles of c's articles from index first on, as retrieval
// matches them.
func titles(c *Corpus, first int) []string {
	out := make([]string, len(c.articles)-first)
	for d := first; d < len(c.articles); d++ {
		// A title cut from the first sentence is that sentence, not a
		// label of what the article is about.
		if ids := c.byDoc[d]; len(ids) == 0 || !titleFromLead(c.articles[d].Title, c.sents[ids[0]].text) {
			out[d-first] = c.articles[d].Title
		}
	}
	return out
}

// search retrieves and ranks the candidates of q; exclude, when non-nil,
// rules sentences out (those already cited in a conversation).
func (c *Corpus) search(q rank.Question, exclude func(int) bool) result {
	if q.IsGeneric() {
		return result{ranked: c.leadHits(exclude, 2), lead: true, sure: true}
	}
	if len(q.Terms) == 0 {
		return result{empty: true}
	}
	var res result
	// A name or number the corpus never mentions: whatever the nearest
	// sentence says, it is not about what was asked. A name's last word is
	// its head (a surname, the "Cup" of "World Cup"): a corpus that never
	// uses it does not mention the name, even if it uses the other words.
	for _, e := range q.Entities {
		ts := txt.Terms(e)
		if len(ts) > 0 && !c.qa.Knows(ts[len(ts)-1]) {
			res.missing = append(res.missing, e)
		}
	}
	// "What is the population of X?" when nothing speaks of a population,
	// nor of anything WordNet relates to it: sentences about X say other
	// things of it.
	res.unknownFocus = c.unknown(q.Focus)
	allowed := func(s int) bool {
		if exclude != nil && exclude(s) {
			return false
		}
		for _, t := range q.Required {
			if !c.qa.Has(s, t) {
				return false
			}
		}
		return true
	}
	hits := c.qa.Candidates(q.Terms, rank.DefaultK, allowed)
	if q.Speaker != "" {
		// "What did the governor say?" is answered only where the governor
		// speaks, which may be a "she said" that names no one.
		hits = c.spokenBy(&q, hits, allowed)
		res.sure = len(hits) > 0 && len(res.missing) == 0
	}
	res.ranked = ranker.Rank(c.qa, &q, hits)
	// "When …?" or "How much …?" where no candidate holds a date or a
	// figure at all: the sentences speak of the subject, not of what was
	// asked.
	if want := q.Want & (rank.Date | rank.Figure); want != 0 && !res.sure {
		res.untyped = true
		for _, h := range hits {
			if c.qa.Types(h.Sent)&want != 0 {
				res.untyped = false
				break
			}
		}
	}
	return res
}

// unknown reports whether noun t is set and neither it nor anything
// WordNet relates to it is in the corpus.
func (c *Corpus) unknown(t string) bool {
	if t == "" || c.qa.Knows(t) {
		return false
	}
	for _, r := range txt.Related(t) {
		if c.qa.Knows(r.Term) {
			return false
		}
	}
	return true
}

// answered reports whether a result answers its question.
func (r result) answered() bool {
	switch {
	case len(r.ranked) == 0 || r.empty || len(r.missing) > 0 || r.unknownFocus || r.untyped:
		return false
	case r.sure:
		return true
	}
	return r.ranked[0].Prob >= ranker.Threshold
}

// answer turns a result into the Answer: the sentences verbatim, each
// cited, or a decline with the nearest sentences.
func (c *Corpus) answer(question string, r result) Answer {
	a := Answer{Question: question, Citations: []Citation{}, Nearest: []Citation{}}
	if len(r.ranked) > 0 {
		a.Confidence = r.ranked[0].Prob
	}
	if !r.answered() {
		// Declined by rule (a name the corpus lacks, nothing of the
		// wanted type): the model's probability, but never at or above
		// the threshold that answering would imply.
		a.Confidence = min(a.Confidence, math.Nextafter(ranker.Threshold, 0))
		a.Answer = declineText(r)
		for _, h := range r.ranked[:min(nearestN, len(r.ranked))] {
			if r.empty || len(r.missing) > 0 {
				break // nothing in the corpus is close to a name it lacks
			}
			a.Nearest = append(a.Nearest, c.cite(h.Sent))
		}
		return a
	}
	if r.sure {
		// Answered by rule: the probability is the model's, but never
		// below the threshold that answering implies.
		a.Confidence = max(a.Confidence, ranker.Threshold)
	}
	if r.lead {
		a.Confidence = 1
	}
	a.Answered = true
	top := r.ranked[0]
	picks := []int{top.Sent}
	for _, h := range r.ranked[1:] {
		if r.lead || h.Prob >= ranker.Threshold && h.Prob >= secondRatio*top.Prob {
			if c.sents[h.Sent].text != c.sents[top.Sent].text {
				picks = append(picks, h.Sent)
			}
			break
		}
	}
	texts := make([]string, 0, len(picks))
	for _, s := range picks {
		ct := c.cite(s)
		a.Citations = append(a.Citations, ct)
		texts = append(texts, ct.Text)
	}
	a.Answer = strings.Join(texts, " ")
	return a
}

func (c *Corpus) cite(s int) Citation {
	return Citation{Source: c.articles[c.sents[s].doc].ID, Text: c.sents[s].text}
}

// declineText says plainly that the corpus does not hold the answer, naming
// what the articles never mention when that is the reason.
func declineText(r result) string {
	if r.empty {
		return "The articles don't say. Ask me something about them, for example what happened or who said what."
	}
	if len(r.missing) > 0 {
		// The names come from the question: a pasted page must not come
		// back whole, so at most three, each cut to a few words.
		missing := make([]string, min(3, len(r.missing)))
		for i := range missing {
			missing[i] = shortenText(r.missing[i], 60)
		}
		return "The articles don't say: they never mention " + joinOr(missing) + "."
	}
	return "The articles don't say."
}

// shortenText cuts s to at most n bytes at a word (else rune) boundary,
// marking the cut with "…".
func shortenText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if sp := strings.LastIndexByte(s[:cut], ' '); sp > 0 {
		cut = sp
	}
	return strings.TrimSpace(s[:cut]) + "…"
}

func joinOr(xs []string) string {
	switch len(xs) {
	case 1:
		return xs[0]
	case 2:
		return xs[0] + " or " + xs[1]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " or " + xs[len(xs)-1]
}

// leadHits answers a question about the story as a whole ("what
// happened?") with the brief's leading points, the sentences a reader
// needs first; exclude rules out those already cited.
func (c *Corpus) leadHits(exclude func(int) bool, n int) []rank.Scored {
	var out []rank.Scored
	for _, p := range c.Brief(n + 8).Points {
		s := -1
		for _, src := range p.Sources {
			if s = c.sentenceOf(src, p.Text); s >= 0 {
				break
			}
		}
		if s < 0 || exclude != nil && exclude(s) {
			continue
		}
		out = append(out, rank.Scored{Sent: s, Prob: 1})
		if len(out) == n {
			break
		}
	}
	return out
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
