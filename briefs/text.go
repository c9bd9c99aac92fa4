package briefs

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// words splits s into lower-cased word tokens. Numbers are kept as one token
// without thousands separators or currency signs ("$25.5" → "25.5",
// "10,000" → "10000"), "%" becomes the word "percent" so "40%" and
// "40 percent" match, initialisms keep their dots ("U.S." → "u.s"),
// possessives lose their "’s" and typographic apostrophes become "'"
// ("we’ve" → "we've"). Hyphens and dashes separate words.
func words(s string) []string {
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

// stemCache memoizes stem: Snowball costs far more than a map lookup and
// news vocabulary is small next to the number of tokens. The cache stops
// growing at stemCacheMax entries so a hostile corpus cannot exhaust memory.
var (
	stemCache     sync.Map
	stemCacheSize atomic.Int64
)

const stemCacheMax = 500_000

// stem returns the Snowball (Porter2) English stem of a lower-case word.
// Numbers and initialisms are returned unchanged.
func stem(w string) string {
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

// terms returns the stems of the non-stop words of s: what indexes and
// similarity measures compare.
func terms(s string) []string {
	ws := words(s)
	out := ws[:0]
	for _, w := range ws {
		if !isStop(w) {
			out = append(out, stem(w))
		}
	}
	return out
}

// isStop reports whether w (lower case, as words returns it) is a function
// word that carries no topic.
func isStop(w string) bool { return stopWords[w] }

var stopWords = setOf(
	"a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
	"are", "aren't", "as", "at", "be", "because", "been", "before", "being", "below", "between",
	"both", "but", "by", "can", "can't", "cannot", "could", "couldn't", "did", "didn't", "do",
	"does", "doesn't", "doing", "don't", "down", "during", "each", "either", "else", "ever",
	"few", "for", "from", "further", "had", "hadn't", "has", "hasn't", "have", "haven't",
	"having", "he", "he'd", "he'll", "her", "here", "hers", "herself", "him", "himself",
	"his", "how", "however", "i", "i'd", "i'll", "i'm", "i've", "if", "in", "into", "is", "isn't",
	"it", "it's", "its", "itself", "just", "let's", "may", "me", "might", "more", "most",
	"must", "mustn't", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once",
	"only", "or", "other", "ought", "our", "ours", "ourselves", "out", "over", "own", "same",
	"shall", "shan't", "she", "she'd", "she'll", "should", "shouldn't", "so", "some", "such",
	"than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these",
	"they", "they'd", "they'll", "they're", "they've", "this", "those", "through", "thus", "to",
	"too", "under", "until", "up", "upon", "us", "very", "was", "wasn't", "we", "we'd", "we'll",
	"we're", "we've", "were", "weren't", "what", "when", "where", "which", "while", "who",
	"whom", "whose", "why", "will", "with", "won't", "would", "wouldn't", "yet", "you",
	"you'd", "you'll", "you're", "you've", "your", "yours", "yourself", "yourselves",
	"what's", "where's", "who's", "how's", "that's", "there's", "here's", "when's", "why's",
	"isn't", "ain't", "whether", "within", "without", "via", "per", "among", "amid", "onto",
)
