package briefs

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Word spans for the facts and brief stages, kept from the former quote
// extractor (package quotes has its own).

// wspan is a word of a text and whether punctuation separates it from the
// previous word.
type wspan struct {
	start, end  int
	punctBefore bool
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

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func isLowerStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}
