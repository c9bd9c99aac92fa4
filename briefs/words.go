package briefs

import (
	"unicode"
	"unicode/utf8"
)

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func isLowerStart(s string) bool {
	return unicode.IsLower(firstRune(s))
}
