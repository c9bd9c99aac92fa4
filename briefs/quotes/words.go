package quotes

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// word is a word of a text with its byte offsets and whether punctuation
// separates it from the previous word.
type word struct {
	start, end  int
	punctBefore bool
}

// tailWords returns the last n words of words(s, -1), with offsets into
// s, reading only as much of the end of s as they need: attribution looks
// at a few words before each quotation, and splitting the whole prefix each
// time made a sentence of thousands of quotations quadratic.
func tailWords(s string, n int) []word {
	for w := max(64, 16*n); ; w *= 2 {
		cut := len(s) - w
		if cut <= 0 {
			return words(s, -1)
		}
		for cut < len(s) && !utf8.RuneStart(s[cut]) {
			cut++
		}
		// The window's first word may be cut short and its punctBefore is
		// unknown: it is dropped; the rest end where they end wherever the
		// scan started.
		ws := words(s[cut:], -1)
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

// words splits s into words (letters, digits, inner apostrophes, hyphens,
// ampersands and the dots of abbreviations) with their offsets; limit < 0
// means all.
func words(s string, limit int) []word {
	n := len(s)/6 + 1 // about one word per six bytes of news text
	if limit >= 0 {
		n = min(n, limit)
	}
	out := make([]word, 0, n)
	punct := false
	for i := 0; i < len(s) && (limit < 0 || len(out) < limit); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			if !unicode.IsSpace(r) {
				punct = true
			}
			i += n
			continue
		}
		j := i
		for j < len(s) {
			r2, n2 := utf8.DecodeRuneInString(s[j:])
			if isWordRune(r2) {
				j += n2
				continue
			}
			if strings.ContainsRune("'’-.&", r2) && j+n2 < len(s) {
				r3, _ := utf8.DecodeRuneInString(s[j+n2:])
				if isWordRune(r3) {
					j += n2
					continue
				}
			}
			break
		}
		// Keep the dot of "Mr." or "U.S." with its word.
		if j < len(s) && s[j] == '.' {
			w := strings.ToLower(s[i:j])
			if text.TitleAbbrevs[w] || isInitial(s[i:j]) {
				j++
			}
		}
		out = append(out, word{i, j, punct})
		punct = false
		i = j
	}
	return out
}

// isWordRune reports a letter, a digit or a combining mark (the
// diacritics of decomposed "Nguyễn" belong to the word).
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// isInitial reports "J" or "U.S" (before its final dot).
func isInitial(w string) bool {
	for _, part := range strings.Split(w, ".") {
		if utf8.RuneCountInString(part) != 1 {
			return false
		}
	}
	return true
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func isUpperStart(s string) bool { return unicode.IsUpper(firstRune(s)) }

func isLowerStart(s string) bool { return unicode.IsLower(firstRune(s)) }

// bare strips a possessive and a trailing dot: "Okafor’s" → "Okafor",
// "Mr." → "Mr".
func bare(w string) string {
	w = strings.TrimSuffix(strings.TrimSuffix(w, "’s"), "'s")
	return strings.TrimSuffix(w, ".")
}

// isAllCaps reports an acronym or shouted word ("NASA", "GOP").
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

// isAdverb is a rough test for a manner adverb between a speaker and the
// verb ("she quietly said", "Lee later told").
func isAdverb(w string) bool {
	lw := strings.ToLower(w)
	if !isLowerStart(w) {
		return false
	}
	return len(lw) > 4 && strings.HasSuffix(lw, "ly") && !text.LyNonAdverbs[lw] || text.TimeAdverbs[lw]
}

// isSpeech reports a speech verb, in any inflection.
func isSpeech(w string) bool { return text.SpeechVerbs[strings.ToLower(w)] }

// clauseWord words end a subject phrase when walking back from a verb.
func clauseWord(w string) bool { return text.ClauseWords[strings.ToLower(w)] }

// looksVerb is a rough test for the main verb that ends a subject phrase.
func looksVerb(w string) bool {
	if !isLowerStart(w) {
		return false
	}
	lw := strings.ToLower(w)
	if text.SpeechVerbs[lw] || text.Auxiliaries[lw] || text.PastForms[lw] || text.CommonVerbs[lw] {
		return true
	}
	// Plural nouns end in -s as often as verbs do ("devices"): only -ed.
	return len(lw) > 4 && strings.HasSuffix(lw, "ed") && !text.IsStop(lw)
}
