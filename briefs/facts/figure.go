// Package facts is the pipeline's figures stage: it finds the key figures
// of a sentence (money, counts, percentages, dates, periods), each with a
// normalised value, so that "$25 billion", "25 billion dollars" and
// "$25bn" are one figure and "$412 million" and "$430 million" are
// recognisably two values of the same kind of figure. Collect merges the
// figures of a corpus into its key facts.
//
// It knows no story; the words it needs come from package text.
package facts

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// Kind classifies a figure. Its values are the "kind" strings of the facts
// JSON.
type Kind string

const (
	Money   Kind = "money"
	Count   Kind = "count"
	Percent Kind = "percent"
	Date    Kind = "date"
	Period  Kind = "period"
)

// Figure is one figure of a sentence. Start and End are byte offsets into
// the sentence, so Text is always verbatim.
type Figure struct {
	Start, End int
	Text       string
	Kind       Kind
	// Amount is the number the figure states, scaled: 2.5e10 for
	// "$25 billion", 40 for "40%", 3 for "3 years". Zero for dates and
	// calendar periods.
	Amount float64
	// Unit is what Amount counts: a currency code ("USD"), the lemma of the
	// counted noun ("person" for "10,000 people"), "%" or "pp" (percentage
	// points), or a time unit ("year"). Empty for dates and calendar periods.
	Unit string
	// When is the calendar value of a date or calendar period: "2014",
	// "2023-09-28", "09" (a month alone), "2017/2021", "2023-Q1", "FY2022",
	// "1990s".
	When string
	// About holds the normalised content words next to a money, percent or
	// count figure (up to aboutWindow on each side within the sentence):
	// what it is a figure of. Dates and periods are what they are.
	About []string

	key string // Key, computed once by Find
}

// Key is the figure's normalised value: two figures with the same key state
// the same figure, however they are written.
func (f Figure) Key() string {
	if f.key != "" {
		return f.key
	}
	if f.When != "" {
		return string(f.Kind) + ":" + f.When
	}
	return string(f.Kind) + ":" + f.Unit + ":" + formatAmount(f.Amount)
}

// Comparable reports whether two figures measure the same kind of quantity
// (money in one currency, counts of one thing, percentages, durations in one
// unit), so that their values can be compared: "$412 million" and
// "$430 million" are comparable, "$412 million" and "412 people" are not.
func (f Figure) Comparable(g Figure) bool {
	return f.Kind == g.Kind && f.Unit == g.Unit && (f.When == "") == (g.When == "")
}

// Related reports comparable figures about the same thing: they share a
// content word of their surroundings ("a $412 million contract", "the
// contract, now $430 million"). A later figure related to an earlier one
// with another value is a changed figure.
func (f Figure) Related(g Figure) bool {
	if !f.Comparable(g) {
		return false
	}
	for _, a := range f.About {
		for _, b := range g.About {
			if a == b {
				return true
			}
		}
	}
	return false
}

// Salient reports the figures that state a quantity (money, percent,
// count): the ones that make two sentences state the same fact, where a
// shared year or month does not.
func (f Figure) Salient() bool { return f.Kind == Money || f.Kind == Percent || f.Kind == Count }

// aboutWindow is how many content words on each side of a figure tell what
// it measures: a noun phrase's head and its modifier sit within two words
// of the number in news prose ("a $412 million defence contract").
const aboutWindow = 3

const (
	yearRE = `(?:1[89]|20)\d\d`
	numRE  = `\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`
)

// patterns are tried in order; an earlier match wins where two overlap, so
// "$25 billion" is money, not a count, and "2017 to 2021" is one period,
// not two dates.
//
// need is a cheap test a sentence must pass before the pattern runs:
// regular expressions cost far more than a byte scan, and most sentences
// hold no figure at all.
var patterns = []struct {
	kind  Kind
	need  func(string) bool
	re    *regexp.Regexp
	value func(string) (Figure, bool) // the normalised value of a match
}{
	{Money, hasCurrencySign, regexp.MustCompile(signRE + `\s?(?:` + numRE + `)` + scaleRE + `?`), moneyValue},
	{Money, mentionsCode, regexp.MustCompile(`(?i)\b` + codeRE + `\s?(?:` + numRE + `)` + scaleRE + `?`), moneyValue},
	{Money, mentionsCurrencyWord, regexp.MustCompile(`(?i)\b(?:` + numRE + `)(?:\s` + scaleWordRE + `)?\s` + currencyWordRE + `\b`), moneyValue},
	{Money, mentionsCurrencyWord, regexp.MustCompile(`(?i)\b` + wordNumRE + scaleWordRE + `\s` + currencyWordRE + `\b`), moneyValue},
	{Percent, needAny("%", "percent", "per cent", "Percent"), regexp.MustCompile(`(?i)\b(?:` + numRE + `)\s?(?:%|percent\b|per cent\b|percentage points?\b)`), percentValue},
	{Period, needAny("–", "—", "-"), regexp.MustCompile(`(?i)\b` + yearRE + `\s?[–—-]\s?(?:` + yearRE + `|\d\d)\b`), rangeValue},
	{Period, needAny(" to ", " through ", " until ", " and "), regexp.MustCompile(`(?i)\b` + yearRE + `\s(?:to|through|until|and)\s` + yearRE + `\b`), rangeValue},
	{Period, needAny("quarter", "half", "Quarter", "Half"), regexp.MustCompile(`(?i)\b(?:first|second|third|fourth|final|last|1st|2nd|3rd|4th)\s(?:fiscal\s)?(?:quarter|half)\s(?:of\s)?(?:fiscal\s)?(?:` + yearRE + `)\b`), partValue},
	{Period, needAny("Q1", "Q2", "Q3", "Q4", "H1", "H2"), regexp.MustCompile(`\b(?:Q[1-4]|H[12])(?:\s?(?:FY)?\s?'?(?:` + yearRE + `|\d\d))?\b`), partValue},
	{Period, needAny("iscal", "FY", "ISCAL"), regexp.MustCompile(`(?i)\b(?:fiscal(?:\syear)?|FY)\s?(?:` + yearRE + `|\d\d)\b`), fiscalValue},
	{Period, needAny("0s"), regexp.MustCompile(`\b(?:1[89]|20)\d0s\b`), decadeValue},
	{Period, needAny("year", "month", "week", "decade", "day", "hour", "minute"), regexp.MustCompile(`(?i)\b(?:` + numRE + `)\s` + unitRE + `\b`), durationValue},
	{Date, hasMonth, regexp.MustCompile(`\b` + monthRE + `\s\d{1,2}(?:st|nd|rd|th)?(?:,?\s` + yearRE + `)?\b`), dateValue},
	{Date, hasMonth, regexp.MustCompile(`\b\d{1,2}\s` + monthRE + `(?:,?\s` + yearRE + `)?\b`), dateValue},
	{Date, hasMonth, regexp.MustCompile(`\b` + fullMonthRE + `\s` + yearRE + `\b`), dateValue},
	{Date, needAny("-"), regexp.MustCompile(`\b` + yearRE + `-\d\d-\d\d\b`), isoValue},
	{Date, hasDigit, regexp.MustCompile(`\b` + yearRE + `\b`), dateValue},
	{Date, hasMonth, regexp.MustCompile(`\b(?:in|on|since|by|until|last|this|next|early|late)\s(` + monthWordRE + `)\b`), dateValue},
	{Count, hasDigit, regexp.MustCompile(`\b(?:` + numRE + `)(?:\s(?:` + alternatives(append(keysOf(text.ScaleWords), "dozen")) + `))?`), countValue},
}

func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

func hasCurrencySign(s string) bool { return hasDigit(s) && strings.ContainsAny(s, "$€£¥₹") }

// needAny makes a need that passes sentences holding any of subs.
func needAny(subs ...string) func(string) bool {
	return func(s string) bool {
		for _, x := range subs {
			if strings.Contains(s, x) {
				return true
			}
		}
		return false
	}
}

// hasMonth reports a capitalised month name or abbreviation in s: every
// month pattern needs one.
func hasMonth(s string) bool {
	for _, m := range monthPrefixes {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

// monthPrefixes are the first three letters of each month, capitalised.
var monthPrefixes = capitalised(keysOf(text.MonthNumbers))

// Find returns the figures of one sentence, in text order.
func Find(s string) []Figure {
	digits := hasDigit(s)
	if !digits && !hasMonth(s) && !strings.Contains(s, "illion") {
		return nil
	}
	var out []Figure
	// busy marks the bytes of figures found so far once there are many:
	// comparing each match with every earlier figure was quadratic in a
	// sentence made of numbers.
	var busy []bool
	taken := func(a, b int) bool {
		if busy == nil {
			for _, f := range out {
				if a < f.End && f.Start < b {
					return true
				}
			}
			return false
		}
		for i := a; i < b; i++ {
			if busy[i] {
				return true
			}
		}
		return false
	}
	mark := func(f Figure) {
		if busy == nil && len(out) >= 16 {
			busy = make([]bool, len(s))
			for _, g := range out {
				for i := g.Start; i < g.End; i++ {
					busy[i] = true
				}
			}
		}
		if busy != nil {
			for i := f.Start; i < f.End; i++ {
				busy[i] = true
			}
		}
	}
	for _, p := range patterns {
		if !p.need(s) {
			continue
		}
		for _, m := range p.re.FindAllStringSubmatchIndex(s, -1) {
			a, b := m[0], m[1]
			if len(m) > 2 && m[2] >= 0 {
				a, b = m[2], m[3] // the month of "in September"
			}
			a, b = trimSpace(s, a, b)
			if a >= b || taken(a, b) || glued(s, a, b) {
				continue
			}
			f, ok := p.value(s[a:b])
			if !ok {
				continue
			}
			f.Start, f.End, f.Kind = a, b, p.kind
			if p.kind == Count {
				end, unit, ok := countNoun(s, a, b)
				if !ok {
					continue
				}
				f.End, f.Unit = end, unit
			}
			f.Text = s[f.Start:f.End]
			if f.Salient() {
				f.About = about(s, f.Start, f.End)
			}
			f.key = f.Key()
			mark(f)
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// trimSpace narrows [a, b) to exclude surrounding spaces (a word-number
// match ends with the space before "million").
func trimSpace(s string, a, b int) (int, int) {
	for a < b && s[a] == ' ' {
		a++
	}
	for b > a && s[b-1] == ' ' {
		b--
	}
	return a, b
}

// glued reports a match that is part of a larger token: the "1" of "Q1"
// is handled by its own pattern, the "19" of "COVID-19" is no figure.
func glued(s string, a, b int) bool {
	if a > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:a])
		if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-./#:", r) {
			return true
		}
	}
	if b < len(s) {
		r, _ := utf8.DecodeRuneInString(s[b:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '/' {
			return true
		}
	}
	return false
}

// countNoun extends a bare number to the thing counted ("10,000 people",
// "53 pit bulls", "500 million smart speakers") and returns the counted
// noun's lemma as the unit. A number with nothing counted after it is no
// key figure unless it has a scale ("500 million").
func countNoun(s string, a, b int) (end int, unit string, ok bool) {
	first, plural := -1, -1 // ends of the first word and of the first plural noun
	var firstW, pluralW string
	pos := b
	for i := 0; i < 3; i++ {
		if pos >= len(s) || s[pos] != ' ' {
			break // not a plain space between the two words
		}
		ws := pos + 1
		we := ws
		for we < len(s) {
			r, n := utf8.DecodeRuneInString(s[we:])
			if !unicode.IsLetter(r) && r != '-' && r != '\'' {
				break
			}
			we += n
		}
		word := s[ws:we]
		lw := strings.ToLower(word)
		if word == "" || !unicode.IsLetter(firstRuneOf(word)) || text.IsStop(lw) || text.NotCounted[lw] {
			break
		}
		if i == 0 {
			first, firstW = we, lw
		}
		if strings.HasSuffix(lw, "s") && len(lw) > 3 || text.Irregular[lw] != "" || text.CollectiveNouns[lw] {
			plural, pluralW = we, lw
			break
		}
		pos = we
	}
	switch {
	case plural >= 0:
		return plural, text.Norm(pluralW), true
	case first >= 0:
		return first, text.Norm(firstW), true
	}
	return b, "", strings.Contains(s[a:b], " ")
}

func firstRuneOf(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// about returns the normalised content words within aboutWindow words of
// [a, b) in s.
func about(s string, a, b int) []string {
	// Only the words near the figure matter: tokenizing the whole sentence
	// for each of its figures was quadratic in a sentence of many figures.
	const reach = 24 * aboutWindow // bytes: a few words of news prose
	lo, hi := max(0, a-reach), min(len(s), b+reach)
	for lo > 0 && s[lo-1] != ' ' {
		lo-- // start on a word, never inside a character
	}
	for hi < len(s) && s[hi] != ' ' {
		hi++
	}
	var out []string
	before := text.Words(s[lo:a])
	n := 0
	for i := len(before) - 1; i >= 0 && n < aboutWindow; i-- {
		if w := before[i]; !text.IsStop(w) && !text.IsNumber(w) {
			out = append(out, text.Norm(w))
			n++
		}
	}
	n = 0
	for _, w := range text.Words(s[b:hi]) {
		if n == aboutWindow {
			break
		}
		if !text.IsStop(w) && !text.IsNumber(w) {
			out = append(out, text.Norm(w))
			n++
		}
	}
	return out
}
