package briefs

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// span is a byte range [start, end) of a text.
type span struct{ start, end int }

// sentence is one sentence of the corpus. Its text is always the verbatim
// slice of its article: citations and points are cut from it unchanged.
type sentence struct {
	doc        int    // index into c.articles
	pos        int    // sentence index within its article
	para       int    // paragraph index within its article
	start, end int    // byte offsets into c.articles[doc].Text
	text       string // == c.articles[doc].Text[start:end]
}

// seg is a sentence span with its paragraph index.
type seg struct {
	span
	para int
}

// splitSentences returns the sentences of text as byte spans, each trimmed
// of surrounding space, in order.
func splitSentences(text string) []span {
	segs := segmentText(text)
	out := make([]span, len(segs))
	for i, s := range segs {
		out[i] = s.span
	}
	return out
}

// segmentText splits text into paragraphs, then each paragraph into
// sentences.
//
// Why hand-written rules rather than a trained Punkt model: news text has a
// small set of traps (abbreviations, initialisms, money, quotes that run over
// several sentences, missing spaces where articles were glued together) and
// rules for them are predictable, fast and testable; the Punkt ports tried
// split “... device. Instead, ...” inside a quote and kept “...assistant.”Despite
// together.
func segmentText(text string) []seg {
	var out []seg
	for p, b := range blocks(text) {
		for _, sp := range splitBlock(text, b) {
			out = append(out, seg{span: sp, para: p})
		}
	}
	return out
}

// blocks splits text into paragraphs. A blank line always ends one; a single
// line break ends one too unless the text is hard-wrapped there (a long line
// without final punctuation, or a next line that starts in lower case).
func blocks(text string) []span {
	var out []span
	start := -1 // start of the current block, -1 when between blocks
	prevLine := ""
	flush := func(end int) {
		if start >= 0 {
			out = append(out, span{start, end})
			start = -1
		}
	}
	pos := 0
	for pos <= len(text) {
		nl := strings.IndexByte(text[pos:], '\n')
		end := len(text)
		if nl >= 0 {
			end = pos + nl
		}
		line := strings.TrimSpace(text[pos:end])
		switch {
		case line == "":
			flush(pos)
		case start < 0:
			start = pos
		case !softBreak(prevLine, line):
			flush(pos)
			start = pos
		}
		if line != "" {
			prevLine = line
		}
		if nl < 0 {
			break
		}
		pos = end + 1
	}
	flush(len(text))
	return out
}

// softBreak reports whether the line break between prev and next is a wrap
// inside a paragraph rather than the end of one.
func softBreak(prev, next string) bool {
	if listMarker(next) > 0 || listMarker(prev) > 0 && strings.HasPrefix(prev, "#") {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(prev)
	if strings.ContainsRune(".!?…:”\"’')]", last) {
		return false
	}
	first, _ := utf8.DecodeRuneInString(next)
	if unicode.IsLower(first) {
		return true
	}
	return utf8.RuneCountInString(prev) >= 60
}

// listMarker returns the byte length of a leading Markdown heading, list or
// block-quote marker ("# ", "- ", "* ", "> ", "1. "), or 0.
func listMarker(line string) int {
	i := 0
	for i < len(line) && line[i] == '#' {
		i++
	}
	if i == 0 && len(line) > 0 && strings.IndexByte("-*>•", line[0]) >= 0 {
		i = 1
	}
	if i == 0 {
		for i < len(line) && i < 3 && line[i] >= '0' && line[i] <= '9' {
			i++
		}
		if i == 0 || i >= len(line) || line[i] != '.' && line[i] != ')' {
			return 0
		}
		i++
	}
	if i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		return i + 1
	}
	if strings.HasPrefix(line[i:], "•") || strings.HasPrefix(line, "•") {
		return len("•")
	}
	return 0
}

// quoteRegion is a matched pair of double quotes: open and close are the
// byte offsets of the opening and closing marks.
type quoteRegion struct{ open, close int }

// quoteRegions pairs the quotation marks of doc[b.start:b.end] with
// text.Quotations, the one pairing of the engine. An opening mark with no
// close before the paragraph ends makes no region: news copy often leaves
// multi-paragraph quotes unclosed.
func quoteRegions(doc string, b span) []quoteRegion {
	qs := text.Quotations(doc[b.start:b.end], false)
	out := make([]quoteRegion, len(qs))
	for i, q := range qs {
		out[i] = quoteRegion{b.start + q.Open, b.start + q.Close}
	}
	return out
}

// straightOpens decides whether the straight quote at i opens a quotation.
func straightOpens(text string, b span, i int) bool {
	if i == b.start {
		return true
	}
	prev, _ := utf8.DecodeLastRuneInString(text[b.start:i])
	if unicode.IsSpace(prev) || strings.ContainsRune("([{—–-/", prev) {
		return true
	}
	return false
}

// splitBlock splits one paragraph into sentence spans.
func splitBlock(text string, b span) []span {
	// Skip a leading Markdown marker so "# Title" gives the sentence "Title".
	first := b.start
	for first < b.end && (text[first] == ' ' || text[first] == '\t') {
		first++
	}
	first += listMarker(text[first:b.end])
	regions := quoteRegions(text, b)
	// Candidate ends only grow, and regions are sorted and disjoint: one
	// pass over them keeps long quote-heavy paragraphs linear.
	next := 0
	inQuote := func(end int) bool {
		for next < len(regions) && regions[next].close < end {
			next++
		}
		return next < len(regions) && regions[next].open < end && end <= regions[next].close
	}

	var out []span
	start := first
	for i := first; i < b.end; {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r != '.' && r != '!' && r != '?' && r != '…' {
			i += size
			continue
		}
		// Take in repeated terminals and closing marks: a ” after the period
		// belongs to the sentence it closes.
		j := i + size
		closed := false
		for j < b.end {
			r2, s2 := utf8.DecodeRuneInString(text[j:])
			if strings.ContainsRune(".!?…", r2) {
				j += s2
				continue
			}
			if strings.ContainsRune("”’)]", r2) || r2 == '"' && !straightOpens(text, b, j) || r2 == '\'' && j+s2 < b.end && isSpaceAt(text, j+s2) {
				closed = true
				j += s2
				continue
			}
			break
		}
		if !inQuote(j) && boundary(text, b, i, r, j, closed) {
			out = appendTrimmed(out, text, start, j)
			start = j
		}
		i = j
	}
	return appendTrimmed(out, text, start, b.end)
}

func isSpaceAt(text string, i int) bool {
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsSpace(r)
}

// boundary decides whether a sentence ends after the terminal rune r at i,
// whose closing marks end at j.
func boundary(text string, b span, i int, r rune, j int, closed bool) bool {
	k := j
	for k < b.end && isSpaceAt(text, k) {
		_, s := utf8.DecodeRuneInString(text[k:])
		k += s
	}
	if k >= b.end {
		return true
	}
	next, _ := utf8.DecodeRuneInString(text[k:])
	word := prevWord(text, b.start, i)
	if k == j {
		// No space: "assistant.”Despite" is two sentences glued together;
		// "$25.5", "Amazon.com" and "U.S." are not.
		if !unicode.IsUpper(next) && next != '“' {
			return false
		}
		if closed {
			return true
		}
		return r == '.' && len(word) >= 3 && isLowerWord(word) && lowerAfter(text, k, b.end)
	}
	if unicode.IsLower(next) {
		return false // "e.g. the", "…and then"
	}
	if closed && (r == '?' || r == '!') && speechVerbAfter(text, k, b.end) {
		return false // “Why?” Jassy asked.
	}
	if r != '.' || closed || j-i > 1 {
		return true
	}
	lw := strings.ToLower(strings.TrimRight(word, "."))
	if titleAbbrev[lw] {
		return false // Mr. Jassy, Jan. 5
	}
	if numAbbrev[lw] && unicode.IsDigit(next) {
		return false // No. 1
	}
	if lw == "a.m" || lw == "p.m" {
		// "9 a.m. Eastern" goes on; "9 a.m. Sales started" ends.
		return !timeZones[strings.ToLower(nextWord(text, k, b.end))]
	}
	if suffixAbbrev[lw] || isInitialism(word) {
		// "U.S. Steel" and "Amazon.com Inc. said" go on; "in the U.S. The
		// company" ends: only a common sentence opener after it ends it.
		return sentenceOpener(text, k, b.end)
	}
	return true
}

// prevWord returns the run of non-space runes ending at i (exclusive), less
// any opening quote or bracket.
func prevWord(text string, from, i int) string {
	k := i
	for k > from {
		r, s := utf8.DecodeLastRuneInString(text[from:k])
		if unicode.IsSpace(r) || strings.ContainsRune("“\"(['‘—–", r) {
			break
		}
		k -= s
	}
	return text[k:i]
}

func isLowerWord(w string) bool {
	for _, r := range w {
		if !unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// lowerAfter reports whether the word at k continues in lower case, as a
// sentence's first word does ("Despite") and a domain or initialism does not.
func lowerAfter(text string, k, end int) bool {
	_, s := utf8.DecodeRuneInString(text[k:])
	if k+s >= end {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[k+s:])
	return unicode.IsLower(r)
}

// isInitialism reports "U.S.", "e.g.", "a.m." and single initials like "F.".
func isInitialism(w string) bool {
	w = strings.TrimRight(w, ".")
	if w == "" {
		return false
	}
	for _, part := range strings.Split(w, ".") {
		if utf8.RuneCountInString(part) != 1 {
			return false
		}
		r, _ := utf8.DecodeRuneInString(part)
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// nextWord returns the word starting at k, letters only.
func nextWord(text string, k, end int) string {
	e := k
	for e < end {
		r, s := utf8.DecodeRuneInString(text[e:])
		if !unicode.IsLetter(r) {
			break
		}
		e += s
	}
	return text[k:e]
}

// sentenceOpener reports whether the word at k is one that commonly starts a
// sentence (a capitalised function word such as "The", "But", "It").
func sentenceOpener(text string, k, end int) bool {
	w := strings.ToLower(nextWord(text, k, end))
	return w != "" && (isStop(w) || openers[w])
}

// speechVerbAfter reports "asked", "said"… as the second word from k.
func speechVerbAfter(text string, k, end int) bool {
	f := strings.Fields(text[k:min(end, k+80)])
	if len(f) < 2 {
		return false
	}
	return speechVerbs[strings.ToLower(strings.Trim(f[1], ".,;:"))]
}

// appendTrimmed appends text[start:end] trimmed of space, if it holds any
// letter or digit (a line of "***" is no sentence).
func appendTrimmed(out []span, text string, start, end int) []span {
	for start < end {
		r, s := utf8.DecodeRuneInString(text[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		start += s
	}
	for end > start {
		r, s := utf8.DecodeLastRuneInString(text[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= s
	}
	for _, r := range text[start:end] {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return append(out, span{start, end})
		}
	}
	return out
}

// titleAbbrev are abbreviations that are followed by a name or number and so
// never end a sentence in news copy.
var titleAbbrev = setOf(
	"mr", "mrs", "ms", "dr", "prof", "sen", "rep", "reps", "gov", "gen", "lt", "col", "sgt", "capt",
	"cmdr", "adm", "maj", "st", "mt", "ft", "rev", "hon", "pres", "supt", "insp", "det", "messrs",
	"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
	"vs", "v", "approx", "ca", "cf", "ave", "blvd", "rd", "e.g", "i.e",
)

// numAbbrev precede a number ("No. 1", "Vol. 3"); before anything else they
// may be ordinary words ending a sentence ("The answer was no.").
var numAbbrev = setOf("no", "nos", "vol", "vols", "fig", "figs", "pp", "art", "sec", "ch")

// suffixAbbrev often end a sentence, but need not.
var suffixAbbrev = setOf(
	"inc", "corp", "co", "ltd", "al", "llc", "plc", "jr", "sr", "bros", "cos", "etc", "a.m", "p.m", "ph.d",
	"esq", "dept", "univ", "assn", "mass", "calif", "fla", "ariz", "wash", "ill", "mich", "penn",
)

// openers start sentences often enough to end one after "U.S." or "Inc.".
var openers = setOf(
	"however", "meanwhile", "despite", "still", "yet", "although", "since", "last", "now",
	"instead", "according", "earlier", "later", "shares", "analysts", "officials", "critics",
)

var timeZones = setOf("eastern", "pacific", "central", "mountain", "et", "pt", "ct", "mt", "gmt",
	"utc", "bst", "cet", "est", "edt", "pst", "pdt", "local", "time")

var speechVerbs = setOf(
	"said", "says", "asked", "asks", "added", "adds", "told", "wrote", "writes", "replied",
	"explained", "noted", "remarked", "continued", "insisted", "argued", "shouted", "wondered",
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
