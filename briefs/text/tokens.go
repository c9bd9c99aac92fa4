package text

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// Words splits s into lower-cased word tokens. Numbers are kept as one token
// without thousands separators or currency signs ("$25.5" → "25.5",
// "10,000" → "10000"), "%" becomes the word "percent" so "40%" and
// "40 percent" match, initialisms keep their dots ("U.S." → "u.s"),
// possessives lose their "’s" and typographic apostrophes become "'"
// ("we’ve" → "we've"). Hyphens and dashes separate words.
func Words(s string) []string {
	out := make([]string, 0, len(s)/6)
	var b strings.Builder
	flush := func() {
		if b.Len() == 0 {
			return
		}
		w := b.String()
		b.Reset()
		w = strings.TrimSuffix(w, "'s")
		w = strings.TrimRight(w, "'.")
		if w != "" {
			out = append(out, w)
		}
	}
	digits := false // the current token is a number
	seg := 0        // runes since the token's start or its last '.'
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		next, nsize := utf8.DecodeRuneInString(s[i+size:])
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if b.Len() == 0 {
				digits = unicode.IsDigit(r)
				seg = 0
			} else if !unicode.IsDigit(r) {
				digits = false
			}
			b.WriteRune(unicode.ToLower(r))
			seg++
		case b.Len() > 0 && (r == '\'' || r == '’') && unicode.IsLetter(next):
			b.WriteByte('\'')
			seg = 0
		case b.Len() > 0 && digits && (r == '.' || r == ',') && unicode.IsDigit(next):
			if r == '.' {
				b.WriteByte('.')
			} // a thousands comma is dropped
		case b.Len() > 0 && r == '.' && seg == 1 && unicode.IsLetter(next) && initialNext(s[i+size+nsize:]):
			b.WriteByte('.')
			seg = 0
		case r == '%' && b.Len() > 0 && digits:
			flush()
			out = append(out, "percent")
		default:
			flush()
		}
		i += size
	}
	flush()
	return out
}

// initialNext reports whether what follows a letter is the end of an
// initialism's letter (".", space, end), as in "U.S." or "e.g.".
func initialNext(rest string) bool {
	if rest == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// stemCache memoizes Stem: Snowball costs far more than a map lookup and
// news vocabulary is small next to the number of tokens. The cache stops
// growing at stemCacheMax entries so a hostile corpus cannot exhaust memory.
var (
	stemCache     sync.Map
	stemCacheSize atomic.Int64
)

const stemCacheMax = 500_000

// Stem returns the Snowball (Porter2) English stem of a lower-case word.
// Numbers and initialisms are returned unchanged.
func Stem(w string) string {
	if v, ok := stemCache.Load(w); ok {
		return v.(string)
	}
	st := w
	if !strings.ContainsAny(w, "0123456789.") && len(w) > 2 {
		st = english.Stem(w, true)
	}
	if stemCacheSize.Load() < stemCacheMax {
		if _, loaded := stemCache.LoadOrStore(strings.Clone(w), st); !loaded {
			stemCacheSize.Add(1)
		}
	}
	return st
}

// Norm maps a lower-case word to the term indexes and comparisons use:
// accents folded, irregular forms brought to their lemma, then stemmed, so
// "lost" meets "lose", "Pérez" meets "Perez".
func Norm(w string) string {
	w = Fold(w)
	if l, ok := Irregular[w]; ok {
		w = l
	}
	return Stem(w)
}

// IsStop reports whether w (lower case, as Words returns it) is a function
// word that carries no topic.
func IsStop(w string) bool { return StopWords[w] }

// Terms returns the normalised terms of the non-stop words of s.
func Terms(s string) []string {
	ws := Words(s)
	out := ws[:0]
	for _, w := range ws {
		if !IsStop(w) {
			out = append(out, Norm(w))
		}
	}
	return out
}

// Fold drops the accents of Latin letters, so a question typed without
// them ("Perez", "cafe") meets the text that has them ("Pérez", "café").
func Fold(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return w
	}
	var b strings.Builder
	for _, r := range w {
		if f, ok := foldMap[r]; ok {
			b.WriteRune(f)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var foldMap = func() map[rune]rune {
	m := map[rune]rune{}
	for base, accented := range map[rune]string{
		'a': "àáâãäåāăą", 'c': "çćĉċč", 'd': "ďđ", 'e': "èéêëēĕėęě", 'g': "ĝğġģ",
		'i': "ìíîïĩīĭįı", 'n': "ñńņňŉ", 'o': "òóôõöøōŏő", 'r': "ŕŗř", 's': "śŝşšș",
		't': "ţťŧț", 'u': "ùúûüũūŭůűų", 'y': "ýÿŷ", 'z': "źżž", 'l': "ĺļľŀł",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()

// IsNumber reports a token that is a number in digits or words.
func IsNumber(w string) bool {
	return w != "" && (w[0] >= '0' && w[0] <= '9' || NumberWords[w])
}

// IsYear reports a four-digit year between 1000 and 2199.
func IsYear(w string) bool {
	if len(w) != 4 {
		return false
	}
	for i := 0; i < 4; i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w >= "1000" && w <= "2199"
}

// Capitalised reports whether w starts with an upper-case letter.
func Capitalised(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}
