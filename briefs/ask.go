package briefs

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Question answering: retrieval over sentences with BM25, rescored with
// question-type matching and coverage of the question, and a calibrated
// decline. See README “Questions and answers”.

// Ask answers one question from the corpus. The answer is one or two
// verbatim sentences with their citations, or answered=false with a plain
// statement that the articles don't say.
func (c *Corpus) Ask(question string) Answer {
	in := qaAnalyze(question)
	hits := c.qa.search(c, in, nil, 2, minCoverage)
	return c.answer(question, in, hits)
}

// Tunables of the ranking and the decline, set on general grounds and
// checked against the project's tests and the quality benchmark
// (README “Quality, measured”).
const (
	// minCoverage is the share of the question's weighted terms an answer
	// sentence must contain (synonyms and an article's title count at a
	// discount).
	minCoverage = 0.4
	// secondRatio is how close to the best score a second sentence must
	// come to be added to the answer; a sentence of another article, which
	// corroborates, needs less (secondRatioOther).
	secondRatio      = 0.8
	secondRatioOther = 0.6
	// leadPrior favours early sentences: the first counts up to 1.6 times
	// the same match late in an article, since news and reference texts
	// state their main facts first.
	leadPrior = 0.6
	// candidatesK is how many BM25 candidates are rescored exactly.
	candidatesK = 64
	// typedBoost rewards a sentence holding what the question asks for (a
	// sum for "how much", a person for "who", a place for "where");
	// typedNameOnly one that only holds some other name where a person or
	// place is wanted (it still passes a strict type); untypedSoft weighs
	// one without the type when the type is a preference, not a
	// requirement ("why", "who is X").
	typedBoost    = 1.3
	typedNameOnly = 1.0
	untypedSoft   = 0.8
	// inheritWeight is the share of a name's weight a sentence with a
	// pronoun takes from the sentence before it in the same paragraph.
	inheritWeight = 0.5
	// countedBoost rewards a number followed by what "how many" counts.
	countedBoost = 1.5
)

// An article is about its title. A question word that is in the title of
// a sentence's article is the question's topic rather than what it asks:
// every sentence of that article speaks of it, if only as "it", and naming
// it again says little. So the sentence covers such a word at
// titleImplicit without naming it, and the word's BM25 weight, named or
// not, is discounted (titleExplicit, titleImplicitBM ≈ half of it) so
// that the rest of the question decides which sentence answers.
const (
	titleImplicit   = 0.6
	titleImplicitBM = 0.15
	titleExplicit   = 0.3
	// A term in the titles of more articles than this names no one
	// article's topic.
	maxTitleDocs = 8
	// The sentences of the title's articles join the candidates when they
	// are at most this many (so "It took place in South Africa" is seen
	// even though it shares no word with the question).
	maxTitleSentences = 128
)

// qaQueryTerm is a question term as looked up in the index: the term itself
// and its synonyms (alts), each with its idf.
type qaQueryTerm struct {
	qaQword
	alts  []qaQueryAlt
	covW  float64 // weight in the coverage ratio
	known bool    // the term itself occurs in the corpus (text or a title)
	// titleDocs are the articles whose title has the term, when few do
	// (a term in many titles says nothing about any one article).
	titleDocs []int32
	// topic: every article whose text has the term has it in its title
	// too, so naming it tells no sentence from another (see rescore).
	topic bool
	idf   float64 // of the term itself (the largest possible when unknown)
}

// inTitle reports whether article d's title has the term.
func (qt *qaQueryTerm) inTitle(d int) bool {
	for _, x := range qt.titleDocs {
		if int(x) == d {
			return true
		}
	}
	return false
}

type qaQueryAlt struct {
	id     int32
	factor float64 // 1 for the term, synonymWeight for a synonym
	idf    float64
}

// qaHit is a scored answer sentence.
type qaHit struct {
	sent     int
	score    float64
	coverage float64
	typed    bool // has one of the wanted answer types
	exact    bool // has the preferred one (a place for "where")
}

// lookup resolves the intent's terms against the index.
func (ix *qaIndex) lookup(in qaIntent) []qaQueryTerm {
	maxIDF := ix.idf(0)
	out := make([]qaQueryTerm, 0, len(in.terms))
	for _, w := range in.terms {
		qt := qaQueryTerm{qaQword: w}
		if id, ok := ix.termID(w.term); ok {
			idf := ix.idf(int(ix.df[id]))
			qt.alts = append(qt.alts, qaQueryAlt{id: id, factor: 1, idf: idf})
			qt.known = true
			qt.idf = idf
			qt.covW = w.weight * max(idf, 0.3)
		} else {
			qt.idf = maxIDF
			qt.covW = w.weight * maxIDF
		}
		if td := ix.titleDocs[w.term]; len(td) > 0 {
			qt.known = true
			if len(td) <= maxTitleDocs {
				qt.titleDocs = td
				qt.topic = qt.alts == nil || ix.onlyIn(qt.alts[0].id, td)
			}
		}
		if !w.entity {
			for _, syn := range qaSynonyms[w.term] {
				if id, ok := ix.termID(syn); ok {
					qt.alts = append(qt.alts, qaQueryAlt{id: id, factor: synonymWeight, idf: ix.idf(int(ix.df[id]))})
				}
			}
		}
		out = append(out, qt)
	}
	return out
}

// search returns up to n answer sentences that pass the decline checks,
// best first; exclude, when non-nil, rules sentences out (already cited).
func (ix *qaIndex) search(c *Corpus, in qaIntent, exclude func(int) bool, n int, minCov float64) []qaHit {
	if in.generic {
		return c.leadHits(exclude, n)
	}
	q := ix.lookup(in)
	if len(q) == 0 {
		return nil
	}
	for _, qt := range q {
		// A name or number the corpus never mentions: whatever the nearest
		// sentence is, it is not about what was asked.
		if qt.entity && !qt.known {
			return nil
		}
		// "What is the population of X?" when nothing speaks of a
		// population (nor of residents or inhabitants): sentences about X
		// say other things of it.
		if qt.term == in.focus && !qt.known && len(qt.alts) == 0 {
			return nil
		}
	}
	var allowed func(int) bool
	if exclude != nil {
		allowed = func(s int) bool { return !exclude(s) }
	}
	cands := ix.candidates(q, candidatesK, allowed)
	cands = ix.addTitleSentences(c, q, cands, allowed)
	hits := make([]qaHit, 0, len(cands))
	for _, s := range cands {
		h := ix.rescore(c, q, in, s)
		if h.coverage < minCov || in.strict && !h.typed {
			continue
		}
		if in.speaker != "" && !ix.saidBy(c, s, in.speaker) {
			// "What did the governor say?" is not answered by a quote
			// of someone else that mentions the governor.
			continue
		}
		hits = append(hits, h)
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].score != hits[j].score {
			return hits[i].score > hits[j].score
		}
		return hits[i].sent < hits[j].sent
	})
	if len(hits) == 0 {
		return nil
	}
	out := hits[:1]
	for _, h := range hits[1:] {
		if len(out) == n {
			break
		}
		ratio := secondRatio
		if c.sents[h.sent].doc != c.sents[out[0].sent].doc {
			ratio = secondRatioOther
		}
		if h.score >= ratio*hits[0].score && c.sents[h.sent].text != c.sents[out[0].sent].text {
			out = append(out, h)
		}
	}
	return out
}

// rescore computes the exact score of sentence s: BM25 where each question
// term counts through its best alternative, scaled by how much of the
// question the sentence covers and whether it holds the wanted answer type.
func (ix *qaIndex) rescore(c *Corpus, q []qaQueryTerm, in qaIntent, s int) qaHit {
	var bm, cov, covTotal float64
	d := c.sents[s].doc
	for _, qt := range q {
		best, matched := 0.0, 0.0
		for _, a := range qt.alts {
			tf := ix.tf(s, a.id)
			if tf == 0 {
				continue
			}
			if v := a.factor * a.idf * ix.tfNorm(tf, s); v > best {
				best = v
			}
			matched = max(matched, a.factor)
		}
		if (qt.required || qt.event && qt.alts != nil && qt.alts[0].factor == 1) && matched == 0 {
			return qaHit{sent: s}
		}
		if matched == 0 && (qt.entity || qt.weight >= 1) && ix.feat[s]&fPronoun != 0 {
			// "About 3,100 people ride it each weekday." after "Route
			// 22 … is among those to be cut.": the pronoun stands for a
			// name of the sentence before, in the same paragraph. Any
			// full-weight word counts, as a question typed in lower case
			// marks no names.
			if p := s - 1; p >= 0 && c.sents[p].doc == d && c.sents[p].para == c.sents[s].para {
				for _, a := range qt.alts {
					if tf := ix.tf(p, a.id); tf > 0 {
						best = max(best, inheritWeight*a.factor*a.idf*ix.tfNorm(tf, p))
						matched = max(matched, inheritWeight*a.factor)
					}
				}
			}
		}
		if qt.inTitle(d) {
			if matched == 0 {
				// The article is about it: its sentences speak of it even
				// when they say "it" or "the company".
				matched = titleImplicit
				best = titleImplicitBM * qt.idf
			} else if qt.topic {
				// Named again: every sentence of the story is about it.
				// Only when no other article names it without having it
				// in its title, so that articles stay comparable.
				best *= titleExplicit
			}
		}
		bm += qt.weight * best
		cov += qt.covW * matched
		covTotal += qt.covW
	}
	h := qaHit{sent: s}
	if covTotal > 0 {
		h.coverage = cov / covTotal
	}
	h.typed = in.want == 0 || ix.feat[s]&in.want != 0
	if h.typed && in.want != 0 {
		// The wanted name, figure or date must be news to the question:
		// "Xbox 360" does not answer "how many Xbox 360 games are there".
		title := ix.docTitle[c.sents[s].doc]
		if ix.leadTitle[c.sents[s].doc] {
			title = nil // the title is this article's lead, not a label
		}
		novel := qaNovelFeatures(c.sents[s].text, q, title)
		h.typed = novel&in.want != 0
		// A place question is answered best by a place, a person question
		// by a person; any other name is a weaker answer.
		h.exact = in.prefer == 0 || novel&in.prefer != 0
		if h.typed && len(in.counted) > 0 {
			// "How many people …" is answered by "1,200 people"; a
			// number of something else ("two clinics") is a weaker one.
			h.exact = qaCounts(c.sents[s].text, in.counted)
		}
	}
	typeFactor := 1.0
	switch {
	case in.want != 0 && h.typed && h.exact:
		typeFactor = typedBoost
	case in.want != 0 && h.typed:
		typeFactor = typedNameOnly
	case in.strict:
		typeFactor = 0.5
	case in.want != 0:
		typeFactor = untypedSoft
	}
	if len(in.counted) > 0 && h.typed && h.exact {
		typeFactor *= countedBoost
	}
	if ix.feat[s]&fFragment != 0 {
		// Captions and headings name a topic; they rarely answer.
		typeFactor *= 0.6
	}
	pos := float64(c.sents[s].pos)
	h.score = bm * (0.4 + 0.6*h.coverage) * typeFactor * (1 + leadPrior/(1+pos))
	return h
}

// addTitleSentences adds to cands the sentences of the articles whose title
// has a question term, when they are few: such a sentence may answer
// without repeating the title ("It took place in South Africa").
func (ix *qaIndex) addTitleSentences(c *Corpus, q []qaQueryTerm, cands []int, allowed func(int) bool) []int {
	var docs []int32
	total := 0
	for _, qt := range q {
		for _, d := range qt.titleDocs {
			if !slices.Contains(docs, d) {
				docs = append(docs, d)
				total += len(c.byDoc[d])
			}
		}
	}
	if total == 0 || total > maxTitleSentences {
		return cands
	}
	for _, d := range docs {
		for _, s := range c.byDoc[d] {
			if (allowed == nil || allowed(s)) && !slices.Contains(cands, s) {
				cands = append(cands, s)
			}
		}
	}
	return cands
}

// answer turns hits into the Answer: the sentences verbatim, each cited.
func (c *Corpus) answer(question string, in qaIntent, hits []qaHit) Answer {
	a := Answer{Question: question, Citations: []Citation{}}
	if len(hits) == 0 {
		a.Answer = qaDeclineText(c, in)
		return a
	}
	a.Answered = true
	texts := make([]string, 0, len(hits))
	for _, h := range hits {
		s := c.sents[h.sent]
		texts = append(texts, s.text)
		a.Citations = append(a.Citations, Citation{Source: c.articles[s.doc].ID, Text: s.text})
	}
	a.Answer = strings.Join(texts, " ")
	return a
}

// qaDeclineText says plainly that the corpus does not hold the answer, naming
// what the articles never mention when that is the reason.
func qaDeclineText(c *Corpus, in qaIntent) string {
	if len(in.terms) == 0 {
		return "The articles don't say. Ask me something about them, for example what happened or who said what."
	}
	var missing []string
	for _, e := range in.entities {
		known := false
		for _, w := range words(e) {
			if _, ok := c.qa.termID(qaNorm(w)); ok {
				known = true
				break
			}
		}
		if !known {
			missing = append(missing, e)
		}
	}
	if len(missing) > 0 {
		// The names come from the question: a pasted page must not come
		// back whole, so at most three, each cut to a few words.
		if len(missing) > 3 {
			missing = missing[:3]
		}
		for i, m := range missing {
			missing[i] = qaShorten(m, 60)
		}
		return "The articles don't say: they never mention " + qaJoinOr(missing) + "."
	}
	return "The articles don't say."
}

// qaShorten cuts s to at most max bytes at a word (else rune) boundary,
// marking the cut with "…".
func qaShorten(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if sp := strings.LastIndexByte(s[:cut], ' '); sp > 0 {
		cut = sp
	}
	return strings.TrimSpace(s[:cut]) + "…"
}

func qaJoinOr(xs []string) string {
	switch len(xs) {
	case 1:
		return xs[0]
	case 2:
		return xs[0] + " or " + xs[1]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " or " + xs[len(xs)-1]
}

// qaNovelFeatures computes the answer-type features of text without the
// words the question already contains.
func qaNovelFeatures(text string, q []qaQueryTerm, title []string) uint16 {
	asked := make(map[string]bool, len(q))
	for _, qt := range q {
		asked[qt.term] = true
	}
	for _, t := range title {
		// A title's names label the topic ("Xbox 360" does not answer
		// who or what); its figures are facts the article states
		// ("Acme recalls 2 million kettles" heads the sentence that
		// answers how many kettles), unless the question names them too.
		if t != "" && (t[0] < '0' || t[0] > '9') {
			asked[t] = true
		}
	}
	var kept []string
	for _, tok := range strings.Fields(text) {
		drop := false
		for _, w := range words(tok) {
			if asked[qaNorm(w)] {
				drop = true
			}
		}
		if !drop {
			kept = append(kept, tok)
		}
	}
	rest := strings.Join(kept, " ")
	return qaSentenceFeatures(rest, words(rest))
}

// leadHits answers a question about the story as a whole ("what
// happened?") with the brief's leading points, the sentences a reader
// needs first; exclude rules out those already cited.
func (c *Corpus) leadHits(exclude func(int) bool, n int) []qaHit {
	var out []qaHit
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
		out = append(out, qaHit{sent: s, typed: true, exact: true})
		if len(out) == n {
			break
		}
	}
	return out
}

// qaCounts reports whether text has a number followed, within three
// words, by one of counted (normalised): "about 1,200 people", "14 bus
// routes", "500 million Alexa devices".
func qaCounts(text string, counted []string) bool {
	ws := words(text)
	for i, w := range ws {
		if !qaIsNumberWord(w) {
			continue
		}
		for k := i + 1; k < len(ws) && k <= i+3; k++ {
			if qaContainsStr(counted, qaNorm(ws[k])) {
				return true
			}
		}
	}
	return false
}
