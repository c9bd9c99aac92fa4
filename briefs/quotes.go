package briefs

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Quotes returns the direct speech of the corpus with its speakers, in
// article order. Computed once per corpus.
func (c *Corpus) Quotes() []Quote {
	c.quotesOnce.Do(func() { c.quotes = extractQuotes(c) })
	out := make([]Quote, len(c.quotes))
	copy(out, c.quotes)
	return out
}

// quoteSpan is one quotation inside a sentence; offsets are relative to the
// sentence text, open and close are the byte offsets of the marks.
type quoteSpan struct {
	open, close int
	markLen     int // byte length of the closing mark
}

// inner returns the text inside the marks.
func (q quoteSpan) inner(s string) string {
	_, n := utf8.DecodeRuneInString(s[q.open:])
	return s[q.open+n : q.close]
}

// extractQuotes finds direct speech and attributes it.
//
// A quotation counts as speech when a speech verb is attached to it (“…,” he
// said / X said, “…” / according to X) or, without a verb, when it is long
// enough to be a partial quotation of someone's words rather than a term:
// “downstream impact” or “Remarkable Alexa” are scare quotes and names, “the
// world’s best personal assistant.” is a partial quote of the subject.
func extractQuotes(c *Corpus) []Quote {
	out := []Quote{}
	for d := range c.articles {
		var ctx *articleEntities // built only for articles that quote
		lastSpeaker, lastPos, lastPara := "", -1, -1
		for _, id := range c.byDoc[d] {
			s := c.sents[id]
			for _, q := range sentenceQuotes(s.text) {
				if ctx == nil {
					ctx = newArticleEntities(c.articles[d].Text)
				}
				var speaker string
				var ok bool
				switch {
				case continuation(q.inner(s.text)):
					// “and that loan is now gone.” goes on with the last
					// speaker's words, if they spoke just before.
					speaker, ok = lastSpeaker, lastPos >= 0 && s.pos-lastPos <= 3
				default:
					speaker, ok = attribute(s, q, ctx)
					if !ok && wholeSentence(s.text, q) && lastPos >= 0 && s.para == lastPara && s.pos-lastPos <= 1 {
						// “…,” said Marisol Ortega. “Every route we cut…”: a
						// quoted sentence of its own right after a quote in
						// the same paragraph goes on with the same speaker.
						speaker, ok = lastSpeaker, true
					}
				}
				if !ok {
					continue
				}
				lastSpeaker, lastPos, lastPara = speaker, s.pos, s.para
				out = append(out, Quote{
					// Verbatim inside the marks, punctuation included
					// (SPEC: "the text inside the quote marks").
					Text:     strings.TrimSpace(q.inner(s.text)),
					Speaker:  speaker,
					Source:   c.articles[d].ID,
					Sentence: s.text,
				})
			}
		}
	}
	return out
}

// wholeSentence reports a quotation that is the whole sentence: nothing but
// space and punctuation outside its marks.
func wholeSentence(s string, q quoteSpan) bool {
	if !strings.ContainsFunc(q.inner(s), unicode.IsLetter) {
		return false
	}
	// The two sides are tested in place: concatenating them copied the
	// whole sentence once per quotation.
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	if strings.ContainsFunc(s[:q.open], word) {
		return false
	}
	return q.close+q.markLen > len(s) || !strings.ContainsFunc(s[q.close+q.markLen:], word)
}

// continuation reports a partial quotation that carries on earlier speech.
func continuation(inner string) bool {
	f, _, _ := strings.Cut(strings.TrimSpace(inner), " ")
	switch f {
	case "and", "but", "or", "so":
		return true
	}
	return false
}

// sentenceQuotes pairs the quotation marks of a sentence: double marks
// first, then typographic single ones (‘…’) outside them, in text order.
func sentenceQuotes(s string) []quoteSpan {
	var out []quoteSpan
	open := -1
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '“':
			open = i
		case r == '”' && open >= 0:
			out = append(out, quoteSpan{open, i, n})
			open = -1
		case r == '"':
			if straightOpens(s, span{0, len(s)}, i) && open < 0 {
				open = i
			} else if open >= 0 {
				out = append(out, quoteSpan{open, i, n})
				open = -1
			}
		}
		i += n
	}
	// A quotation still open at the sentence end runs to it (news copy
	// leaves a paragraph-long quote open until its last paragraph).
	if open >= 0 && len(strings.Fields(s[open:])) >= 4 {
		out = append(out, quoteSpan{open, len(s), 0})
	}
	singles := singleQuotes(s, out)
	if len(singles) == 0 {
		return out
	}
	out = append(out, singles...)
	sort.Slice(out, func(i, j int) bool { return out[i].open < out[j].open })
	return out
}

// singleQuotes pairs typographic single quotes (‘It is a disgrace,’ said…)
// that lie outside the double quotations of s. ’ is also the apostrophe
// (O’Neill, we’ve, the workers’ union), so an opening ‘ must start a word
// and its closing ’ must be followed by a non-letter; a ’ after , . ! or ?
// is preferred, as British copy closes speech that way.
func singleQuotes(s string, doubles []quoteSpan) []quoteSpan {
	// doubles are sorted and disjoint, so their ends grow too: a binary
	// search answers "inside a double quotation?" without a scan.
	inside := func(i int) bool {
		k := sort.Search(len(doubles), func(k int) bool { return doubles[k].close+doubles[k].markLen > i })
		return k < len(doubles) && doubles[k].open <= i
	}
	const mark = len("’")
	// Classify every ’ once, so pairing stays linear in the paragraph even
	// when it holds thousands of apostrophes and unclosed ‘ (each opening
	// used to rescan every ’ to the end of the text).
	const (
		closeStop     = iota // followed by ‘ or inside a double quote: no close at or past it
		closePunct           // after , . ! ? …: the preferred close
		closeFallback        // ‘final’, not the workers’ union
	)
	type closer struct{ pos, kind int }
	var cands []closer
	for j := 0; j < len(s); {
		c := strings.Index(s[j:], "’")
		if c < 0 {
			break
		}
		c += j
		j = c + mark
		if strings.HasPrefix(s[c+mark:], "‘") || inside(c) {
			cands = append(cands, closer{c, closeStop})
			continue
		}
		next, _ := utf8.DecodeRuneInString(s[c+mark:])
		if c+mark < len(s) && (unicode.IsLetter(next) || unicode.IsDigit(next)) {
			continue // an apostrophe inside a word
		}
		prev, _ := utf8.DecodeLastRuneInString(s[:c])
		switch {
		case strings.ContainsRune(",.!?…", prev):
			cands = append(cands, closer{c, closePunct})
		case prev != 's':
			cands = append(cands, closer{c, closeFallback})
		}
	}
	// decisive[k] is the first candidate at or after k that ends the search
	// (a stop or a preferred close), fallback[k] the first fallback one.
	n := len(cands)
	decisive, fallback := make([]int, n+1), make([]int, n+1)
	decisive[n], fallback[n] = n, n
	for k := n - 1; k >= 0; k-- {
		decisive[k], fallback[k] = decisive[k+1], fallback[k+1]
		if cands[k].kind == closeFallback {
			fallback[k] = k
		} else {
			decisive[k] = k
		}
	}
	var out []quoteSpan
	next := 0 // first candidate at or after i; i only grows
	for i := 0; i < len(s); {
		k := strings.Index(s[i:], "‘")
		if k < 0 {
			break
		}
		open := i + k
		i = open + mark
		if inside(open) {
			continue
		}
		if open > 0 {
			prev, _ := utf8.DecodeLastRuneInString(s[:open])
			if unicode.IsLetter(prev) || unicode.IsDigit(prev) {
				continue
			}
		}
		for next < n && cands[next].pos < i {
			next++
		}
		closeAt := -1
		if d := decisive[next]; d < n && cands[d].kind == closePunct {
			closeAt = cands[d].pos
		} else if f := fallback[next]; f < d {
			closeAt = cands[f].pos
		}
		if closeAt < 0 {
			continue
		}
		out = append(out, quoteSpan{open, closeAt, mark})
		i = closeAt + mark
	}
	return out
}

// attribute decides whether quotation q of sentence s is direct speech and,
// if so, who says it.
func attribute(s sentence, q quoteSpan, ents *articleEntities) (string, bool) {
	text := s.text
	inner := strings.TrimSpace(q.inner(text))
	iw := strings.Fields(inner)
	if len(iw) == 0 || !strings.ContainsFunc(inner, unicode.IsLetter) {
		return "", false
	}
	short := len(iw) < 4
	// “Remarkable Alexa,” or “Project Phoenix”: a name, not speech.
	// A name has two capitalised words or is one word without punctuation:
	// “Maybe not,” replied Ken Ito is speech.
	if titleCase(iw) && (capitalised(iw) >= 2 || len(iw) == 1 && !strings.ContainsAny(lastRuneOf(inner), ",.!?")) &&
		(len(iw) <= 3 || !strings.ContainsAny(lastRuneOf(inner), ".!?")) {
		return "", false
	}
	pre := text[:q.open]
	post := ""
	if q.close+q.markLen <= len(text) {
		post = text[q.close+q.markLen:]
	}
	at := s.start // article offset of the sentence, for pronoun resolution
	// "called the design “a reading room for everyone.”": naming or
	// describing something, not speech.
	if namesSomething(pre) {
		return "", false
	}

	// “…,” said X / “…,” X said / “…,” X, an analyst, told Reuters.
	if np, off, ok := attributionAfter(post); ok {
		return ents.resolve(np, at+q.close+q.markLen+off), true
	}
	// X said, “…” / X told the Journal, “…” / …, stating, “…” / according to X, “…”.
	if opensClause(pre) {
		if np, off, ok := attributionBefore(pre); ok {
			return ents.resolve(np, at+off), true
		}
	}
	// Otherwise the quotation sits inside a clause: a partial quotation of
	// someone's words when long enough (“a bet on a market that doesn’t
	// exist yet”), a scare-quoted term when short (“growth engine”).
	if short {
		return "", false
	}
	if np, off, ok := attributionBefore(pre); ok {
		return ents.resolve(np, at+off), true
	}
	np, off := subjectOf(pre)
	if np == "" {
		return "", false
	}
	return ents.resolve(np, at+off), true
}

// namingVerbs name or describe what follows rather than introduce speech.
var namingVerbs = setOf("called", "calls", "call", "calling", "dubbed", "dubs", "dubbing", "named", "names",
	"termed", "terms", "labelled", "labeled", "labels", "branded", "brands", "nicknamed", "billed",
	"described", "describes", "describing", "deemed", "considered", "hailed")

// namesSomething reports a quotation after a naming verb in the same clause
// ("called the design “…”", "dubbed it “…”"); a comma or colon between them
// ("called out: “Help!”") makes it speech again.
func namesSomething(pre string) bool {
	ws := tailWordSpans(pre, 8)
	for k := len(ws) - 1; k >= 0 && k >= len(ws)-5; k-- {
		if namingVerbs[strings.ToLower(pre[ws[k].start:ws[k].end])] {
			return !strings.ContainsAny(pre[ws[k].end:], ",:")
		}
		if ws[k].punctBefore {
			break
		}
	}
	return false
}

// opensClause reports whether a quotation after pre starts a clause of its
// own (after "said,", "told the Journal:", a dash, or at the start), as
// direct speech does.
func opensClause(pre string) bool {
	t := strings.TrimSpace(pre)
	if t == "" {
		return true
	}
	last, _ := utf8.DecodeLastRuneInString(t)
	if strings.ContainsRune(",:—–", last) {
		return true
	}
	ws := tailWordSpans(t, 2)
	if len(ws) == 0 {
		return true
	}
	w := strings.ToLower(t[ws[len(ws)-1].start:ws[len(ws)-1].end])
	return speechVerbs[w] || extraSpeech[w]
}

// attributionAfter finds "said X", "X said" or "X, an analyst, said" right
// after a quotation.
func attributionAfter(post string) (np string, off int, ok bool) {
	ws := wordSpans(post, 16)
	if len(ws) == 0 || ws[0].start > 3 {
		return "", 0, false
	}
	// Only "," or nothing may separate the mark from the attribution:
	// after “downstream impact”—the notion… there is none.
	if gap := strings.TrimSpace(post[:ws[0].start]); gap != "" && gap != "," {
		return "", 0, false
	}
	word := func(k int) string { return strings.ToLower(post[ws[k].start:ws[k].end]) }
	speech := func(k int) bool { return speechVerbs[word(k)] || extraSpeech[word(k)] || word(k) == "according" }
	if speech(0) {
		// said X[, the CEO] / according to X
		b := 1
		if word(0) == "according" && len(ws) > 1 && word(1) == "to" {
			b = 2
		}
		e := b
		for e < len(ws) && (e == b || !ws[e].punctBefore && !clauseWord(post[ws[e].start:ws[e].end]) && !looksVerb(post[ws[e].start:ws[e].end])) && e-b < 6 {
			e++
		}
		if e == b {
			return "", 0, false
		}
		return post[ws[b].start:ws[e-1].end], ws[b].start, true
	}
	// X [adverb] said — the subject may be followed by an appositive set
	// off by commas ("Tom Baker, an analyst at Example Securities, told").
	end := 0 // last word of the subject
	for end+1 < len(ws) && !ws[end+1].punctBefore && end < 6 {
		if speech(end + 1) {
			break
		}
		end++
	}
	k := end + 1
	if k < len(ws) && ws[k].punctBefore {
		// Skip the appositive up to its closing comma.
		k++
		for k < len(ws) && !ws[k].punctBefore && k-end < 10 {
			k++
		}
	}
	for k < len(ws) && isAdverb(post[ws[k].start:ws[k].end]) {
		k++
	}
	if k >= len(ws) || !speech(k) || word(k) == "according" || k > 14 {
		return "", 0, false
	}
	last := end
	for last > 0 && (isAdverb(post[ws[last].start:ws[last].end]) || auxiliary[strings.ToLower(post[ws[last].start:ws[last].end])]) {
		last--
	}
	return post[ws[0].start:ws[last].end], ws[0].start, true
}

// attributionBefore finds the speech verb that introduces a quotation and
// returns its subject.
func attributionBefore(pre string) (np string, off int, ok bool) {
	ws := tailWordSpans(pre, 64)
	lo := max(0, len(ws)-12)
	for k := len(ws) - 1; k >= lo; k-- {
		w := strings.ToLower(pre[ws[k].start:ws[k].end])
		switch {
		case w == "according" && k+1 < len(ws) && strings.EqualFold(pre[ws[k+1].start:ws[k+1].end], "to"):
			e := k + 2
			for e < len(ws) && !ws[e].punctBefore {
				e++
			}
			if e == k+2 {
				return "", 0, false
			}
			return pre[ws[k+2].start:ws[e-1].end], ws[k+2].start, true
		case speechVerbs[w] || extraSpeech[w]:
			if strings.HasSuffix(w, "ing") {
				// "…, stating, “…”": the speaker is the clause's subject.
				np, o := subjectOf(pre[:ws[k].start])
				return np, o, np != ""
			}
			last := k - 1
			for last >= 0 && isAdverb(pre[ws[last].start:ws[last].end]) {
				last--
			}
			if last < 0 {
				return "", 0, false
			}
			b := last
			for b > 0 && !ws[b].punctBefore && !clauseWord(pre[ws[b-1].start:ws[b-1].end]) && last-b < 7 {
				b--
			}
			if ws[b].punctBefore && ws[k].punctBefore && b > 0 && isLowerStart(pre[ws[b].start:]) && strings.Contains(pre[ws[b-1].end:ws[b].start], ",") {
				// "Karima, clad in all black, adds": the subject is
				// before the appositive.
				last = b - 1
				b = last
				for b > 0 && !ws[b].punctBefore && !clauseWord(pre[ws[b-1].start:ws[b-1].end]) && last-b < 7 {
					b--
				}
			}
			return pre[ws[b].start:ws[last].end], ws[b].start, true
		}
	}
	return "", 0, false
}

// subjectOf returns the subject noun phrase of the clause in pre: a person
// named in it if any, else its first words up to the verb.
func subjectOf(pre string) (string, int) {
	ws := wordSpans(pre, 8) // the loop below reads at most 7 words
	if len(ws) == 0 {
		return "", 0
	}
	// Start at the last clause that begins a sentence-like unit: skip an
	// introductory phrase ending in a comma ("In 2019, Limp said").
	b := 0
	e := b
	for e < len(ws) && (e == b || !ws[e].punctBefore) {
		word := pre[ws[e].start:ws[e].end]
		if e > b && (looksVerb(word) || pastTense[strings.ToLower(word)] || clauseWord(word)) {
			break
		}
		if e-b == 6 {
			return "", 0 // no short subject: not a clause we understand
		}
		e++
	}
	return pre[ws[b].start:ws[e-1].end], ws[b].start
}

// pastTense are irregular verbs that end a subject phrase.
var pastTense = setOf("took", "made", "gave", "went", "came", "saw", "got", "put", "set", "left", "kept",
	"began", "became", "found", "thought", "brought", "bought", "held", "ran", "won", "lost", "paid",
	"sent", "built", "wrote", "spoke", "met", "led", "felt", "told", "said", "knew", "grew", "drew",
	"sold", "cut", "hit", "let", "meant", "stood", "understood", "heard", "chose", "fell", "rose")

// wspan is a word of a text and whether punctuation separates it from the
// previous word.
type wspan struct {
	start, end  int
	punctBefore bool
}

// tailWordSpans returns the last n words of wordSpans(s, -1), with offsets
// into s, reading only as much of the end of s as they need. Attribution
// looks at a few words before each quotation: splitting the whole prefix
// each time made a sentence with thousands of quotations quadratic.
func tailWordSpans(s string, n int) []wspan {
	for w := max(64, 16*n); ; w *= 2 {
		cut := len(s) - w
		if cut <= 0 {
			return wordSpans(s, -1)
		}
		for cut < len(s) && !utf8.RuneStart(s[cut]) {
			cut++
		}
		// The first word of the window may be cut short and its
		// punctBefore is unknown: it is dropped, the rest are exact, since
		// a word ends where it ends wherever the scan started.
		ws := wordSpans(s[cut:], -1)
		if len(ws) > n {
			ws = ws[len(ws)-n:]
			for i := range ws {
				ws[i].start += cut
				ws[i].end += cut
			}
			return ws
		}
	}
}

// wordSpans splits s into words (letters, digits, apostrophes, hyphens and
// the dots of abbreviations) with their offsets; limit < 0 means all.
func wordSpans(s string, limit int) []wspan {
	n := len(s)/6 + 1 // about one word per six bytes of news text
	if limit >= 0 {
		n = min(n, limit)
	}
	out := make([]wspan, 0, n)
	punct := false
	for i := 0; i < len(s) && (limit < 0 || len(out) < limit); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			if !unicode.IsSpace(r) {
				punct = true
			}
			i += n
			continue
		}
		j := i
		for j < len(s) {
			r2, n2 := utf8.DecodeRuneInString(s[j:])
			if unicode.IsLetter(r2) || unicode.IsDigit(r2) {
				j += n2
				continue
			}
			if strings.ContainsRune("'’-.&", r2) && j+n2 < len(s) {
				r3, _ := utf8.DecodeRuneInString(s[j+n2:])
				if unicode.IsLetter(r3) || unicode.IsDigit(r3) {
					j += n2
					continue
				}
			}
			break
		}
		// Keep the dot of "Mr." or "U.S." with its word.
		if j < len(s) && s[j] == '.' {
			w := strings.ToLower(s[i:j])
			if titleAbbrev[w] || isInitialism(s[i:j+1]) {
				j++
			}
		}
		out = append(out, wspan{i, j, punct})
		punct = false
		i = j
	}
	return out
}

// auxiliary verbs sit between a speaker and the speech verb ("the
// president will say").
var auxiliary = setOf("will", "would", "has", "had", "have", "is", "was", "can", "could", "did", "does", "may", "might", "should")

func isAdverb(w string) bool {
	lw := strings.ToLower(w)
	return len(lw) > 4 && strings.HasSuffix(lw, "ly") && !nonAdverbLy[lw] || lw == "also" || lw == "later" || lw == "then" || lw == "once"
}

var nonAdverbLy = setOf("italy", "family", "apply", "supply", "reply", "ally", "july", "early", "only")

func isLowerStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}

// clauseWord words end a subject phrase when walking back from a verb.
func clauseWord(w string) bool {
	switch strings.ToLower(w) {
	case "that", "and", "but", "while", "as", "because", "when", "after", "before", "since", "if", "which", "who", "so":
		return true
	}
	return false
}

// looksVerb is a rough test for the main verb that ends a subject phrase.
func looksVerb(w string) bool {
	lw := strings.ToLower(w)
	if unicode.IsUpper(firstRune(w)) {
		return false
	}
	switch lw {
	case "is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "may",
		"might", "should", "must", "does", "did", "do", "continues", "continue", "remains", "says", "said",
		"aims", "wants", "plans", "seeks", "hopes", "calls", "describes", "sees", "believes", "thinks",
		"expects", "promises", "vows", "pledges", "argues", "insists", "warns", "claims", "called":
		return true
	}
	if speechVerbs[lw] || extraSpeech[lw] {
		return true
	}
	// Plural nouns end in -s as often as verbs do ("devices"): only -ed.
	return len(lw) > 4 && strings.HasSuffix(lw, "ed") && !isStop(lw)
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// titleCase reports a quotation whose content words are all capitalised: a
// name or title (“Remarkable Alexa”, “The Lord of the Rings”), not speech.
func titleCase(ws []string) bool {
	for _, w := range ws {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if w == "" || isStop(strings.ToLower(w)) {
			continue
		}
		if !unicode.IsUpper(firstRune(w)) {
			return false
		}
	}
	return true
}

// capitalised counts the capitalised words that are not function words.
func capitalised(ws []string) int {
	n := 0
	for _, w := range ws {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if w != "" && !isStop(strings.ToLower(w)) && unicode.IsUpper(firstRune(w)) {
			n++
		}
	}
	return n
}

// extraSpeech are speech verbs beyond those the segmenter knows, including
// the participles that introduce a quotation after a comma.
var extraSpeech = setOf(
	"say", "tell", "tells", "telling", "stated", "states", "stating", "saying", "adding", "noting",
	"declared", "declares", "commented", "comments", "acknowledged", "admitted", "admits", "recalled",
	"recalls", "quipped", "tweeted", "posted", "responded", "warned", "warns", "claimed", "claims",
	"announced", "announces", "predicted", "observed", "conceded", "cautioned", "stressed", "emphasized",
	"emphasised", "remarks", "explains", "notes", "argues", "insists", "asking", "writing", "explaining",
	"warning", "arguing", "insisting", "concluded", "suggested", "suggests", "confirmed", "confirms",
	"vowed", "joked", "boasted", "complained", "lamented", "conceded", "exclaimed", "whispered",
)

// articleEntities knows the people and the main organisation an article
// names, to resolve "he", "the company" or a bare surname.
type articleEntities struct {
	text    string
	people  []nameMention // in text order
	mainOrg string
	genders map[string]gender // by full name
}

type nameMention struct {
	at   int    // byte offset in the article text
	end  int    // end of the mention as written (a surname alone is short)
	name string // full name as first written ("Andy Jassy")
}

// gender of a person as far as the article tells: from "Mr."/"Ms." or the
// first he/she that refers back to them.
type gender int8

const (
	genderUnknown gender = iota
	genderMale
	genderFemale
)

// personTitles precede or follow a person's name.
var personTitles = setOf(
	"ceo", "cfo", "coo", "cto", "svp", "evp", "vp", "president", "chairman", "chairwoman", "founder",
	"spokesperson", "spokesman", "spokeswoman", "analyst", "director", "executive", "manager",
	"mr", "mrs", "ms", "dr", "prof", "professor", "senator", "sen", "rep", "gov", "governor",
	"minister", "secretary", "chief", "head", "officer", "economist", "researcher", "reporter",
	"judge", "lawyer", "attorney", "coach", "leader", "mayor", "general", "sir", "lady", "lord",
	"employee", "engineer", "author", "editor", "partner", "investor", "professor", "scientist",
	"commissioner", "star", "actor", "actress", "singer", "player", "prosecutor", "sheriff",
	"chancellor", "premier", "king", "queen", "prince", "princess", "pope", "bishop", "captain",
)

// orgWords mark a capitalised phrase as an organisation or thing, not a person.
var orgWords = setOf(
	"inc", "corp", "co", "ltd", "llc", "plc", "group", "company", "street", "journal", "times",
	"post", "news", "services", "service", "university", "college", "bank", "prize", "intelligence",
	"team", "division", "association", "institute", "agency", "department", "ministry", "council",
	"committee", "party", "fund", "capital", "partners", "holdings", "technologies", "labs", "media",
	"network", "press", "reuters", "house", "court", "office", "center", "centre", "foundation",
	"alexa", "echo", "kindle", "glow", "halo", "web", "cloud", "ai", "day", "week", "city", "state",
	"states", "america", "europe", "china", "york", "london", "washington", "california",
)

// firstNames is a short list of common given names; together with titles
// and reused surnames it tells "Dave Limp" from "Wall Street".
var firstNames = setOf(
	"aaron", "adam", "alan", "alex", "alice", "amanda", "amy", "andrew", "andy", "angela", "ann",
	"anna", "anne", "anthony", "barbara", "ben", "benjamin", "bernie", "bill", "bob", "brad", "brian",
	"bruce", "carl", "carol", "catherine", "charles", "charlie", "chris", "christine", "christopher",
	"claire", "daniel", "dave", "david", "deborah", "dennis", "diana", "donald", "doug", "ed",
	"edward", "elizabeth", "elon", "emily", "emma", "eric", "frank", "gary", "george", "greg",
	"hannah", "harry", "helen", "henry", "ian", "jack", "jacob", "james", "jane", "janet", "jason",
	"jeff", "jeffrey", "jennifer", "jessica", "jim", "joe", "john", "jonathan", "joseph", "josh",
	"julia", "julie", "justin", "karen", "kate", "katherine", "kevin", "kim", "larry", "laura",
	"linda", "lisa", "mark", "martin", "mary", "matt", "matthew", "michael", "michelle", "mike",
	"nancy", "nick", "nicole", "olivia", "patricia", "patrick", "paul", "peter", "rachel",
	"richard", "rob", "robert", "ryan", "sam", "samuel", "sarah", "satya", "scott", "sean",
	"sophie", "stephen", "steve", "steven", "sundar", "susan", "thomas", "tim", "timothy", "tom",
	"tony", "victoria", "william", "joe", "kamala", "hillary", "barack", "vladimir", "xi", "emmanuel",
	"angela", "boris", "rishi", "keir", "narendra", "mohammed", "muhammad", "ahmed", "ali", "omar",
	"maria", "jose", "juan", "carlos", "luis", "pedro", "ana", "wei", "li", "yuki", "hiroshi",
	"marc", "jeremy", "sheryl", "marissa", "jack", "evan", "reed", "travis", "sergey", "larry",
	"jensen", "lina", "gina", "janet", "jerome", "christine", "ursula", "olaf", "justin", "jacinda",
	"roger", "gary", "melissa", "bernie", "dana", "harry", "arthur", "henry", "jeffrey", "scott",
	"nicholas", "walter", "louis", "fred", "howard", "keith", "kenneth", "ronald", "russell", "wayne",
)

// newArticleEntities scans an article for person names and its main
// organisation.
func newArticleEntities(text string) *articleEntities {
	e := &articleEntities{text: text}
	ws := wordSpans(text, -1)
	capWord := func(k int) bool {
		w := text[ws[k].start:ws[k].end]
		r := firstRune(w)
		return unicode.IsUpper(r) && !isAllCaps(w) && !capitalStop[w]
	}
	var regions []quoteRegion
	for _, b := range blocks(text) {
		regions = append(regions, quoteRegions(text, b)...)
	}
	quoted := func(at int) bool {
		for _, q := range regions {
			if q.open < at && at < q.close {
				return true
			}
		}
		return false
	}
	// Capitalised words that occur alone (a surname used on its own later).
	alone := map[string]int{}
	orgCount := map[string]int{}
	midSentence := map[string]bool{} // capitalised where only a name would be
	for k := range ws {
		if !capWord(k) {
			continue
		}
		w := possessiveless(text[ws[k].start:ws[k].end])
		prevCap := k > 0 && !ws[k].punctBefore && capWord(k-1)
		nextCap := k+1 < len(ws) && !ws[k+1].punctBefore && capWord(k+1)
		if !prevCap && !nextCap {
			alone[w]++
		}
		sentenceStart := k == 0 || ws[k].punctBefore && strings.ContainsAny(text[ws[k-1].end:ws[k].start], ".!?\n")
		orgCount[w]++
		if !sentenceStart {
			midSentence[w] = true
		}
	}
	for k := 0; k < len(ws); k++ {
		if !capWord(k) {
			continue
		}
		e2 := k + 1
		for e2 < len(ws) && !ws[e2].punctBefore && capWord(e2) {
			e2++
		}
		seq := make([]string, 0, e2-k)
		for j := k; j < e2; j++ {
			seq = append(seq, possessiveless(text[ws[j].start:ws[j].end]))
		}
		// Names inside quotation marks are titles of works, and "as
		// Harry Potter" is a role: neither is someone who speaks.
		role := k > 0 && strings.EqualFold(text[ws[k-1].start:ws[k-1].end], "as")
		titled := k > 0 && !ws[k].punctBefore && titleWord(text[ws[k-1].start:ws[k-1].end])
		if i, n := personIn(seq, titled || introducesName(text, ws, k, e2), alone); n > 0 && !role && !quoted(ws[k].start) {
			name := text[ws[k+i].start:ws[k+i+n-1].end]
			e.people = append(e.people, nameMention{at: ws[k+i].start, end: ws[k+i+n-1].end, name: possessiveless(name)})
		}
		k = e2 - 1
	}
	// A surname alone is a mention of the full name written earlier.
	full := map[string]string{}
	for _, p := range e.people {
		f := strings.Fields(p.name)
		if _, ok := full[f[len(f)-1]]; !ok {
			full[f[len(f)-1]] = p.name
		}
	}
	for k := range ws {
		if !capWord(k) {
			continue
		}
		w := possessiveless(text[ws[k].start:ws[k].end])
		if name, ok := full[w]; ok {
			if k+1 < len(ws) && !ws[k+1].punctBefore && capWord(k+1) {
				continue
			}
			if k > 0 && !ws[k].punctBefore && capWord(k-1) {
				continue
			}
			e.people = append(e.people, nameMention{at: ws[k].start, end: ws[k].end, name: name})
		}
	}
	sort.SliceStable(e.people, func(i, j int) bool { return e.people[i].at < e.people[j].at })
	e.genders = guessGenders(text, ws, e.people, quoted)
	// The main organisation: the capitalised word met most often, outside
	// people's names.
	inName := map[string]bool{}
	for _, p := range e.people {
		for _, f := range strings.Fields(p.name) {
			inName[f] = true
		}
	}
	best, bestN := "", 1
	for w, n := range orgCount {
		if inName[w] || !midSentence[w] || n < bestN || n == bestN && w > best && best != "" {
			continue
		}
		best, bestN = w, n
	}
	e.mainOrg = best
	return e
}

// introducesName reports a run of capitalised words ws[k:e] that the words
// before it mark as a person: a role noun ("fisherman Luca Bianchi",
// "councillor Omar Haddad", "Harbour master Grace Mbeki"), a speech verb
// ("said Priya Natarajan") or an appositive after "the <role>," ("The
// architect, Hiro Tanaka, called").
func introducesName(text string, ws []wspan, k, e int) bool {
	if k == 0 || e-k < 2 || e-k > 3 {
		return false
	}
	prev := text[ws[k-1].start:ws[k-1].end]
	lp := strings.ToLower(prev)
	if !isLowerStart(prev) {
		return false
	}
	if !ws[k].punctBefore {
		if speechVerbs[lp] || extraSpeech[lp] {
			return true
		}
		return roleNoun(lp)
	}
	// "the architect, Hiro Tanaka," — commas on both sides.
	if strings.TrimSpace(text[ws[k-1].end:ws[k].start]) != "," || k < 2 || !roleNoun(lp) {
		return false
	}
	switch det := strings.ToLower(text[ws[k-2].start:ws[k-2].end]); det {
	case "the", "a", "an", "its", "our", "their", "his", "her":
	default:
		if !strings.HasSuffix(det, "’s") && !strings.HasSuffix(det, "'s") {
			return false // "the union’s president, Keisha Brandt," is fine too
		}
	}
	// … and set off at its end too: "…, Hiro Tanaka, called", "…, Keisha Brandt."
	if e == len(ws) {
		return true
	}
	after := strings.TrimSpace(text[ws[e-1].end:ws[e].start])
	return after != "" && strings.ContainsAny(after[:1], ",.;:!?—")
}

// roleNoun is a rough test for a lower-case word naming someone's role or
// job ("fisherman", "resident", "manager"): no function word, verb,
// preposition or plural.
func roleNoun(w string) bool {
	if len(w) < 3 || isStop(w) || notRole[w] || pastTense[w] || looksVerb(w) ||
		strings.HasSuffix(w, "ing") || strings.HasSuffix(w, "s") || strings.HasSuffix(w, "ly") {
		return false
	}
	for _, r := range w {
		if !unicode.IsLetter(r) && r != '-' {
			return false
		}
	}
	return true
}

// notRole are lower-case words that may precede a capitalised place or
// organisation ("near Maple Valley", "visit New York").
var notRole = setOf("near", "across", "outside", "inside", "around", "behind", "beyond", "along",
	"despite", "like", "unlike", "toward", "towards", "beside", "versus", "visit", "join", "leave",
	"hit", "cut", "reach", "serve", "serving", "new", "old", "former", "late", "said", "say", "tell")

// guessGenders gives people a gender from a title ("Mr. Baker", "Ms.
// Lopez") or from the first he/she (outside quotations) after one of their
// mentions with no other person named in between.
func guessGenders(text string, ws []wspan, people []nameMention, quoted func(int) bool) map[string]gender {
	g := map[string]gender{}
	for _, p := range people {
		if _, ok := g[p.name]; ok || p.at < 4 {
			continue
		}
		f := strings.Fields(strings.ToLower(text[max(0, p.at-6):p.at]))
		if len(f) == 0 {
			continue
		}
		switch strings.TrimSuffix(f[len(f)-1], ".") {
		case "mrs", "ms", "miss":
			g[p.name] = genderFemale
		case "mr":
			g[p.name] = genderMale
		}
	}
	next := 0 // index of the first person mentioned after the pronoun
	for _, w := range ws {
		var pg gender
		switch strings.ToLower(text[w.start:w.end]) {
		case "he", "him", "his", "himself":
			pg = genderMale
		case "she", "her", "hers", "herself":
			pg = genderFemale
		default:
			continue
		}
		for next < len(people) && people[next].at < w.start {
			next++
		}
		if next == 0 || quoted(w.start) {
			continue
		}
		if name := people[next-1].name; g[name] == genderUnknown {
			g[name] = pg
		}
	}
	return g
}

// capitalStop holds stop words and month and day names as they are written
// at the start of a sentence ("The", "However", "September"): capitalised,
// yet no names. Looking them up as written saves lower-casing every word.
var capitalStop = func() map[string]bool {
	m := map[string]bool{}
	for _, set := range []map[string]bool{stopWords, monthNames} {
		for w := range set {
			r, n := utf8.DecodeRuneInString(w)
			m[string(unicode.ToUpper(r))+w[n:]] = true
		}
	}
	return m
}()

func possessiveless(w string) string {
	return strings.TrimSuffix(strings.TrimSuffix(w, "’s"), "'s")
}

func isAllCaps(w string) bool {
	letters := 0
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters > 1
}

var monthNames = setOf("january", "february", "march", "april", "may", "june", "july", "august",
	"september", "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
	"friday", "saturday", "sunday")

// resolve turns a speaker phrase at article offset at into the speaker as
// the article names them: a person named in the phrase, the nearest person
// before it for "he"/"she", the main organisation for "the company", a
// person holding the title for "the CEO"; otherwise the phrase itself.
func (e *articleEntities) resolve(np string, at int) string {
	np = strings.TrimFunc(np, func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == '—' })
	lower := strings.ToLower(np)
	switch lower {
	case "he", "him":
		if p, ok := e.nearestPerson(at, genderMale); ok {
			return p
		}
		return np
	case "she", "her":
		if p, ok := e.nearestPerson(at, genderFemale); ok {
			return p
		}
		return np
	case "i":
		if p, ok := e.nearestPerson(at, genderUnknown); ok {
			return p
		}
		return np
	case "they", "it", "we":
		if e.mainOrg != "" {
			return e.mainOrg
		}
		return np
	}
	// "Mr. Baker": the full name the article gave him.
	if f := strings.Fields(np); len(f) == 2 && titleAbbrev[strings.ToLower(strings.TrimSuffix(f[0], "."))] {
		for _, p := range e.people {
			if strings.HasSuffix(p.name, " "+possessiveless(f[1])) {
				return p.name
			}
		}
	}
	// A person named inside the phrase ("Amazon CEO Andy Jassy").
	for _, p := range e.people {
		if p.at >= at && p.at < at+len(np) {
			return p.name
		}
	}
	fields := strings.Fields(lower)
	if len(fields) >= 2 && (fields[0] == "the" || fields[0] == "its" || fields[0] == "their") {
		head := strings.Trim(strings.TrimSuffix(strings.TrimSuffix(fields[1], "’s"), "'s"), ",")
		switch head {
		case "company", "firm", "group", "retailer", "giant", "business", "corporation", "e-commerce":
			if e.mainOrg != "" {
				return e.mainOrg
			}
		}
		// "the CEO", "the architect": the person the article gives that
		// title or role.
		last := strings.Trim(fields[len(fields)-1], ",")
		if len(fields) <= 3 && personTitles[last] || len(fields) == 2 && roleNoun(last) {
			if p, ok := e.titled(last, at); ok {
				return p
			}
		}
	}
	return stripRole(np)
}

// stripRole drops the lower-case role words before a name, as titles are
// dropped from a recognised person ("Mayor Dana Reyes" → "Dana Reyes"):
// "fisherman Luca Bianchi" → "Luca Bianchi". A description without a name
// ("A former Amazon employee", "one engineer") is kept as written.
func stripRole(np string) string {
	f := strings.Fields(np)
	if len(f) < 3 || !isLowerStart(f[0]) {
		return np
	}
	k := len(f)
	for k > 0 && !isLowerStart(f[k-1]) && unicode.IsLetter(firstRune(f[k-1])) {
		k--
	}
	if n := len(f) - k; n < 2 || n > 3 || anyOrg(f[k:]) {
		return np
	}
	return strings.Join(f[k:], " ")
}

// nearestPerson is the person named last before offset at whose gender,
// if the article tells it, is g; else the person named last before at;
// only when nobody is named before, the first named after it.
func (e *articleEntities) nearestPerson(at int, g gender) (string, bool) {
	best, any := "", ""
	for _, p := range e.people {
		if p.at >= at {
			break
		}
		any = p.name
		if pg := e.genders[p.name]; g == genderUnknown || pg == genderUnknown || pg == g {
			best = p.name
		}
	}
	if best == "" {
		best = any
	}
	if best == "" && len(e.people) > 0 {
		best = e.people[0].name
	}
	return best, best != ""
}

// titled finds the person the article gives a title to: the name right
// after the last use of that title before at ("CEO Andy Jassy").
func (e *articleEntities) titled(title string, at int) (string, bool) {
	best, bestDist := "", -1
	lt := strings.ToLower(e.text)
	for from := 0; ; {
		i := strings.Index(lt[from:], title)
		if i < 0 {
			break
		}
		i += from
		from = i + len(title)
		for _, p := range e.people {
			// "CEO Andy Jassy" or "Andy Jassy, the CEO".
			if p.at == i || p.at >= from && p.at-from <= 2 || p.at < i && appositive(e.text[min(p.end, i):i]) {
				d := at - i
				if d < 0 {
					d = -d + len(e.text) // prefer mentions before the quote
				}
				if bestDist < 0 || d < bestDist {
					best, bestDist = p.name, d
				}
			}
		}
	}
	return best, best != ""
}

// appositive reports the words between a name and a title in "Maria
// Lopez, Globex’s chief executive": a comma, then at most four words.
func appositive(between string) bool {
	if !strings.HasPrefix(between, ",") || strings.ContainsAny(between, ".;:!?\n") {
		return false
	}
	return len(strings.Fields(between[1:])) <= 4
}

// personIn finds a person's name in a run of capitalised words: from a
// given name on ("Satya Nadella" in "Microsoft Chief Executive Satya
// Nadella"), or after a title, or a short run whose last word is used on its
// own elsewhere in the article. It returns the name's index and length.
func personIn(seq []string, titled bool, alone map[string]int) (int, int) {
	if len(seq) == 2 && titleWord(seq[0]) && !anyOrg(seq[1:]) {
		return 0, 2 // "President Bush", "Mr. Baker"
	}
	for i := 0; i+1 < len(seq); i++ {
		lw := strings.ToLower(seq[i])
		if firstNames[lw] || i > 0 && titleWord(seq[i-1]) {
			n := min(3, len(seq)-i)
			if anyOrg(seq[i : i+n]) {
				continue
			}
			return i, n
		}
	}
	if len(seq) < 2 || len(seq) > 3 || anyOrg(seq) || notGiven[strings.ToLower(seq[0])] {
		return 0, 0
	}
	if titled || alone[seq[len(seq)-1]] > 0 && alone[seq[0]] == 0 {
		return 0, len(seq)
	}
	return 0, 0
}

func titleWord(w string) bool {
	return personTitles[strings.ToLower(strings.TrimSuffix(w, "."))]
}

func anyOrg(seq []string) bool {
	for _, w := range seq {
		if orgWords[strings.ToLower(w)] {
			return true
		}
	}
	return false
}

// notGiven are capitalised words that start a phrase but are no given name.
var notGiven = setOf("watch", "see", "read", "click", "photos", "video", "more", "former", "senior", "late", "new", "chief", "top", "north", "south", "east",
	"west", "central", "united", "great", "new", "old", "saint", "san", "los", "las", "le", "la", "el")
