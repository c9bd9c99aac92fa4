package text

import (
	"strings"
	"unicode"
)

// Dateline returns the length in bytes of the dateline s opens with, the
// dash and the spaces after it included, or 0 when it opens with none. A
// dateline is where a news story's body begins: a place in capitals or an
// agency in brackets, then a dash, within the first 80 bytes ("DALLAS (AP)
// — …", "PASADENA, Calif., Jan. 1 (UPI) — …", "WASHINGTON — …", "(CNN) --
// …"). It is page furniture, not content: a sentence is no more about its
// story for opening with one.
func Dateline(s string) int {
	head := s[:min(len(s), 80)]
	i, dash := strings.IndexAny(head, "—–"), 0
	if i >= 0 {
		dash = len("—") // both dashes are three bytes in UTF-8
	}
	if j := strings.Index(head, "--"); j >= 0 && (i < 0 || j < i) {
		i, dash = j, 2
	}
	if i <= 0 {
		return 0
	}
	place := strings.TrimSpace(head[:i])
	first, _, _ := strings.Cut(place, ",")
	agency := strings.HasSuffix(place, ")") && strings.Contains(place, "(")
	capitals := len(first) >= 3 && strings.ToUpper(first) == first && strings.ContainsFunc(first, unicode.IsLetter)
	if !agency && !capitals {
		return 0
	}
	end := i + dash
	for end < len(s) && (s[end] == ' ' || s[end] == '\t' || s[end] == '-') {
		end++
	}
	return end
}
