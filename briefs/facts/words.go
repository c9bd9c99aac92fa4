package facts

import (
	"regexp"
	"sort"
	"strings"

	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// The word alternatives of the patterns come from the lexicon, so a month,
// a number word or a currency is listed once, in package text.
var (
	// monthRE is a month written out or abbreviated ("September", "Sept.",
	// "Sep").
	monthRE = alternatives(capitalised(fullMonths(false)), capitalised(abbrevsWithDot()))
	// fullMonthRE is a month written out; monthWordRE leaves out "May",
	// which is also the modal verb.
	fullMonthRE = alternatives(capitalised(fullMonths(false)))
	monthWordRE = alternatives(capitalised(fullMonths(true)))
	// wordNumRE is a number written in words ("twenty five", "two").
	wordNumRE = `(?:` + alternatives(append(keysOf(text.NumberValues), "hundred")) + `(?:[\s-]|\b))+`
	// currencyWordRE is a currency written out ("dollars", "pounds sterling").
	currencyWordRE = alternatives(append(currencyWords(), "pounds sterling"))
	// scaleWordRE is a magnitude written out; scaleRE also takes the short
	// forms glued or spaced after a number ("$25bn", "$3 m").
	scaleWordRE = alternatives(keysOf(text.ScaleWords))
	scaleRE     = `(?:\s?(?:` + alternatives(keysOf(text.ScaleWords)) + `|mn|bn|[mbk])\b)`
	// signRE is a currency sign with its country prefix ("US$", "€");
	// codeRE an ISO currency code ("EUR").
	signRE = alternatives(currencySigns())
	codeRE = alternatives(currencyCodes())
	// unitRE is a unit of time, singular or plural ("3 years").
	unitRE = alternatives(keysOf(text.PeriodUnits))
)

// currencySigns returns the signs of the lexicon, quoted for a pattern.
func currencySigns() []string {
	var out []string
	for _, c := range text.CurrencySigns {
		out = append(out, regexp.QuoteMeta(c.Sign))
	}
	return out
}

// currencyCodes returns the ISO codes the lexicon knows, each once.
func currencyCodes() []string {
	seen := map[string]bool{}
	var out []string
	for _, code := range text.CurrencyCodes {
		if !seen[code] {
			seen[code] = true
			out = append(out, code)
		}
	}
	return out
}

// The prefilters' words, computed once.
var (
	lowerCodes = func() []string {
		var out []string
		for _, c := range currencyCodes() {
			out = append(out, strings.ToLower(c))
		}
		return out
	}()
	writtenCurrencies = currencyWords()
)

// mentionsCode is the prefilter of the ISO-code pattern, which ignores case.
func mentionsCode(s string) bool {
	l := strings.ToLower(s)
	for _, c := range lowerCodes {
		if strings.Contains(l, c) {
			return true
		}
	}
	return false
}

// mentionsCurrencyWord is the prefilter of the written-out currency
// patterns: a sentence must hold one of the words they match.
func mentionsCurrencyWord(s string) bool {
	l := strings.ToLower(s)
	for _, w := range writtenCurrencies {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// fullMonths returns the month names of the lexicon written out, less
// "may" when noModal.
func fullMonths(noModal bool) []string {
	var out []string
	for m := range text.Months {
		if !text.MonthAbbrevs[m] && !(noModal && m == "may") {
			out = append(out, m)
		}
	}
	return out
}

// abbrevsWithDot returns each month abbreviation with an optional dot.
func abbrevsWithDot() []string {
	var out []string
	for m := range text.MonthAbbrevs {
		out = append(out, m+`\.?`)
	}
	return out
}

// currencyWords returns the written-out currencies of the lexicon: the
// names, not the ISO codes.
func currencyWords() []string {
	var out []string
	for w, code := range text.CurrencyCodes {
		if strings.ToUpper(w) != code {
			out = append(out, w)
		}
	}
	return out
}

func capitalised(ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return out
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// alternatives joins words into one non-capturing group, longest first:
// Go's regexp takes the first alternative that matches, so "January" must
// come before "Jan".
func alternatives(lists ...[]string) string {
	var all []string
	for _, l := range lists {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool {
		if len(all[i]) != len(all[j]) {
			return len(all[i]) > len(all[j])
		}
		return all[i] < all[j]
	})
	return `(?:` + strings.Join(all, "|") + `)`
}
