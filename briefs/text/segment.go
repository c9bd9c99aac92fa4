package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Span is a byte range [Start, End) of a text.
type Span struct{ Start, End int }

// Sentence is one sentence of a text: its byte span, trimmed of space, and
// the index of its paragraph. The text's [Start:End] is the verbatim
// sentence that citations and points are cut from.
type Sentence struct {
	Span
	Para int
}

// Segment splits text into paragraphs, then each paragraph into sentences,
// in order.
//
// Why hand-written rules rather than a trained Punkt model: news text has a
// small set of traps (abbreviations, initialisms, money, quotes that run over
// several sentences, missing spaces where articles were glued together) and
// rules for them are predictable, fast and testable; the Punkt ports tried
// split “... device. Instead, ...” inside a quote and kept “...assistant.”Despite
// together.
func Segment(text string) []Sentence {
	var out []Sentence
	for p, b := range blocks(text) {
		for _, sp := range splitBlock(text, b) {
			out = append(out, Sentence{Span: sp, Para: p})
		}
	}
	return out
}

// blocks splits text into paragraphs. A blank line always ends one; a single
// line break ends one too unless the text is hard-wrapped there (a long line
// without final punctuation, or a next line that starts in lower case).
func blocks(text string) []Span {
	var out []Span
	start := -1 // start of the current block, -1 when between blocks
	prevLine := ""
	flush := func(end int) {
		if start >= 0 {
			out = append(out, Span{start, end})
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
	if ListMarker(next) > 0 || ListMarker(prev) > 0 && strings.HasPrefix(prev, "#") {
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

// ListMarker returns the byte length of a leading Markdown heading, list or
// block-quote marker ("# ", "- ", "* ", "> ", "1. "), or 0.
func ListMarker(line string) int {
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

// straightOpens decides whether the straight quote at i opens a quotation.
func straightOpens(text string, b Span, i int) bool {
	if i == b.Start {
		return true
	}
	prev, _ := utf8.DecodeLastRuneInString(text[b.Start:i])
	if unicode.IsSpace(prev) || strings.ContainsRune("([{—–-/", prev) {
		return true
	}
	return false
}

// splitBlock splits one paragraph into sentence spans.
func splitBlock(text string, b Span) []Span {
	// Skip a leading Markdown marker so "# Title" gives the sentence "Title".
	first := b.Start
	for first < b.End && (text[first] == ' ' || text[first] == '\t') {
		first++
	}
	first += ListMarker(text[first:b.End])
	regions := blockQuotations(text, b)
	// Candidate ends only grow, and regions are sorted and disjoint: one
	// pass over them keeps long quote-heavy paragraphs linear.
	next := 0
	inQuote := func(end int) bool {
		for next < len(regions) && regions[next].Close < end {
			next++
		}
		return next < len(regions) && regions[next].Open < end && end <= regions[next].Close
	}

	var out []Span
	start := first
	for i := first; i < b.End; {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r != '.' && r != '!' && r != '?' && r != '…' {
			i += size
			continue
		}
		// Take in repeated terminals and closing marks: a ” after the period
		// belongs to the sentence it closes.
		j := i + size
		closed := false
		for j < b.End {
			r2, s2 := utf8.DecodeRuneInString(text[j:])
			if strings.ContainsRune(".!?…", r2) {
				j += s2
				continue
			}
			if strings.ContainsRune("”’)]", r2) || r2 == '"' && !straightOpens(text, b, j) || r2 == '\'' && j+s2 < b.End && isSpaceAt(text, j+s2) {
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
	return appendTrimmed(out, text, start, b.End)
}

func isSpaceAt(text string, i int) bool {
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsSpace(r)
}

// boundary decides whether a sentence ends after the terminal rune r at i,
// whose closing marks end at j.
func boundary(text string, b Span, i int, r rune, j int, closed bool) bool {
	k := j
	for k < b.End && isSpaceAt(text, k) {
		_, s := utf8.DecodeRuneInString(text[k:])
		k += s
	}
	if k >= b.End {
		return true
	}
	next, _ := utf8.DecodeRuneInString(text[k:])
	word := prevWord(text, b.Start, i)
	if k == j {
		// No space: "assistant.”Despite" is two sentences glued together;
		// "$25.5", "example.com" and "U.S." are not.
		if !unicode.IsUpper(next) && next != '“' {
			return false
		}
		if closed {
			return true
		}
		return r == '.' && len(word) >= 3 && isLowerWord(word) && lowerAfter(text, k, b.End)
	}
	if unicode.IsLower(next) {
		return false // "e.g. the", "…and then"
	}
	if closed && (r == '?' || r == '!') && speechVerbAfter(text, k, b.End) {
		return false // “Why?” Okafor asked.
	}
	if r != '.' || closed || j-i > 1 {
		return true
	}
	lw := strings.ToLower(strings.TrimRight(word, "."))
	if TitleAbbrevs[lw] {
		return false // Mr. Okafor, Jan. 5
	}
	if NumAbbrevs[lw] && unicode.IsDigit(next) {
		return false // No. 1
	}
	if lw == "a.m" || lw == "p.m" {
		// "9 a.m. Eastern" goes on; "9 a.m. Sales started" ends.
		return !TimeZones[strings.ToLower(nextWord(text, k, b.End))]
	}
	if SuffixAbbrevs[lw] || isInitialism(word) {
		// "U.S. Steel" and "Example.com Inc. said" go on; "in the U.S. The
		// company" ends: only a common sentence opener after it ends it.
		return sentenceOpener(text, k, b.End)
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
	return w != "" && (IsStop(w) || Openers[w])
}

// speechVerbAfter reports "asked", "said"… as the second word from k.
func speechVerbAfter(text string, k, end int) bool {
	f := strings.Fields(text[k:min(end, k+80)])
	if len(f) < 2 {
		return false
	}
	return SpeechVerbs[strings.ToLower(strings.Trim(f[1], ".,;:"))]
}

// appendTrimmed appends text[start:end] trimmed of space, if it holds any
// letter or digit (a line of "***" is no sentence).
func appendTrimmed(out []Span, text string, start, end int) []Span {
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
			return append(out, Span{start, end})
		}
	}
	return out
}
