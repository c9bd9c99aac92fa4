package text

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// singleQuotesRef is the straightforward pairing singleQuotes replaced (it
// rescanned every ’ to the end of the text for each ‘, quadratic in a long
// paragraph): the linear version must pair exactly as it did.
func singleQuotesRef(s string, doubles []Quotation) []Quotation {
	inside := func(i int) bool {
		for _, d := range doubles {
			if d.Open <= i && i < d.Close+d.MarkLen {
				return true
			}
		}
		return false
	}
	const mark = len("’")
	var out []Quotation
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
		closeAt, fallback := -1, -1
		for j := i; j < len(s); {
			c := strings.Index(s[j:], "’")
			if c < 0 {
				break
			}
			c += j
			j = c + mark
			if strings.HasPrefix(s[c+mark:], "‘") || inside(c) {
				break
			}
			next, _ := utf8.DecodeRuneInString(s[c+mark:])
			if c+mark < len(s) && (unicode.IsLetter(next) || unicode.IsDigit(next)) {
				continue
			}
			prev, _ := utf8.DecodeLastRuneInString(s[:c])
			if strings.ContainsRune(",.!?…", prev) {
				closeAt = c
				break
			}
			if fallback < 0 && prev != 's' {
				fallback = c
			}
		}
		if closeAt < 0 {
			closeAt = fallback
		}
		if closeAt < 0 {
			continue
		}
		out = append(out, Quotation{Open: open, Close: closeAt, MarkLen: mark})
		i = closeAt + mark
	}
	return out
}

// FuzzSingleQuotes checks the linear pairing of ‘ ’ against the reference
// on text made of quote marks, letters, s, punctuation and double quotes.
func FuzzSingleQuotes(f *testing.F) {
	for _, s := range []string{
		"‘It is a disgrace,’ said Ann.",
		"the ‘final’ estimate of the workers’ union",
		"O’Neill said ‘we’ve won.’ “A ‘b’ c” ‘d’",
		"‘a’‘b’ ‘c’s’ ‘x", "‘“‘’”’", "‘as’ ‘bs, ’ ’",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		doubles := sentenceDoubles(s)
		got, want := singleQuotes(s, doubles), singleQuotesRef(s, doubles)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("singleQuotes(%q) = %v, want %v", s, got, want)
		}
	})
}

// sentenceDoubles pairs the double marks of s as Quotations does.
func sentenceDoubles(s string) []Quotation {
	var out []Quotation
	open := -1
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '“':
			open = i
		case r == '”' && open >= 0:
			out = append(out, Quotation{Open: open, Close: i, MarkLen: n})
			open = -1
		}
		i += n
	}
	return out
}
