package briefs

import (
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Facts returns the key figures of the corpus: money first, then
// percentages, counts, periods and dates; within a kind, figures stated by
// more articles first, then in corpus order. Computed once per corpus.
func (c *Corpus) Facts() []Fact {
	c.factsOnce.Do(func() { c.facts = extractFacts(c) })
	out := make([]Fact, len(c.facts))
	for i, f := range c.facts {
		f.Sources = append([]string{}, f.Sources...)
		out[i] = f
	}
	return out
}

// figure is one figure found in a sentence; start and end are offsets into
// the sentence text, so value is always verbatim.
type figure struct {
	start, end int
	value      string
	kind       FactKind
	key        string // normalised value: the same figure however written
}

const (
	monthRE = `(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|Sep(?:t(?:ember|\.)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)`
	yearRE  = `(?:1[89]|20)\d\d`
	numRE   = `\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`
	scaleRE = `(?:\s?(?:million|billion|trillion|thousand|mn|bn|[mbk])\b)`
)

// figurePatterns are tried in order; an earlier match wins where two
// overlap, so "$25 billion" is money, not a count, and "2017 to 2021" is one
// period, not two dates.
//
// need is a cheap test a sentence must pass before the pattern runs:
// regular expressions cost far more than a byte scan, and most sentences
// hold no figure at all.
var figurePatterns = []struct {
	kind FactKind
	need func(string) bool
	re   *regexp.Regexp
}{
	{KindMoney, hasCurrencySign, regexp.MustCompile(`(?:US|A|C|NZ|HK|S)?[$€£¥₹]\s?(?:` + numRE + `)` + scaleRE + `?`)},
	{KindMoney, needAny("USD", "EUR", "GBP", "JPY", "CNY", "INR", "usd", "eur", "gbp"), regexp.MustCompile(`(?i)\b(?:USD|EUR|GBP|JPY|CNY|INR)\s?(?:` + numRE + `)` + scaleRE + `?`)},
	{KindMoney, needAny("dollar", "euro", "pounds sterling", "yen", "yuan", "rupee"), regexp.MustCompile(`(?i)\b(?:` + numRE + `)(?:\s(?:million|billion|trillion|thousand))?\s(?:dollars|euros|pounds sterling|yen|yuan|rupees)\b`)},
	{KindPercent, needAny("%", "percent", "per cent", "Percent"), regexp.MustCompile(`(?i)\b(?:` + numRE + `)\s?(?:%|percent\b|per cent\b|percentage points?\b)`)},
	{KindPeriod, needAny("–", "—", "-"), regexp.MustCompile(`(?i)\b` + yearRE + `\s?[–—-]\s?(?:` + yearRE + `|\d\d)\b`)},
	{KindPeriod, needAny(" to ", " through ", " until ", " and "), regexp.MustCompile(`(?i)\b` + yearRE + `\s(?:to|through|until|and)\s` + yearRE + `\b`)},
	{KindPeriod, needAny("quarter", "half", "Quarter", "Half"), regexp.MustCompile(`(?i)\b(?:first|second|third|fourth|final|last|1st|2nd|3rd|4th)\s(?:fiscal\s)?(?:quarter|half)\s(?:of\s)?(?:fiscal\s)?(?:` + yearRE + `)\b`)},
	{KindPeriod, needAny("Q1", "Q2", "Q3", "Q4", "H1", "H2"), regexp.MustCompile(`\b(?:Q[1-4]|H[12])(?:\s?(?:FY)?\s?'?(?:` + yearRE + `|\d\d))?\b`)},
	{KindPeriod, needAny("iscal", "FY", "ISCAL"), regexp.MustCompile(`(?i)\b(?:fiscal(?:\syear)?|FY)\s?(?:` + yearRE + `|\d\d)\b`)},
	{KindPeriod, needAny("0s"), regexp.MustCompile(`\b(?:1[89]|20)\d0s\b`)},
	{KindPeriod, needAny("year", "month", "week", "decade", "day", "hour", "minute"), regexp.MustCompile(`(?i)\b(?:` + numRE + `)\s(?:years?|months?|weeks?|decades?|days?|hours?|minutes?)\b`)},
	{KindDate, hasMonthAbbr, regexp.MustCompile(`\b` + monthRE + `\s\d{1,2}(?:st|nd|rd|th)?(?:,?\s` + yearRE + `)?\b`)},
	{KindDate, hasMonthAbbr, regexp.MustCompile(`\b\d{1,2}\s` + monthRE + `(?:,?\s` + yearRE + `)?\b`)},
	{KindDate, hasMonth, regexp.MustCompile(`\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\s` + yearRE + `\b`)},
	{KindDate, needAny("-"), regexp.MustCompile(`\b` + yearRE + `-\d\d-\d\d\b`)},
	{KindDate, hasDigit, regexp.MustCompile(`\b` + yearRE + `\b`)},
	{KindDate, hasMonth, regexp.MustCompile(`\b(?:in|on|since|by|until|last|this|next|early|late)\s(January|February|March|April|June|July|August|September|October|November|December)\b`)},
	{KindCount, hasDigit, regexp.MustCompile(`\b(?:` + numRE + `)(?:\s(?:million|billion|trillion|thousand|dozen))?`)},
}

func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

func hasCurrencySign(s string) bool { return hasDigit(s) && strings.ContainsAny(s, "$€£¥₹") }

// needAny makes a need that passes sentences holding a digit and any of
// the given strings.
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

func hasMonthAbbr(s string) bool {
	for _, m := range []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"} {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

func hasMonth(s string) bool {
	for _, m := range []string{"uary", "March", "April", "June", "July", "August", "ember", "October"} {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

// figures returns the figures of every sentence, computed once and shared
// by facts and the brief.
func (c *Corpus) figures() [][]figure {
	c.figsOnce.Do(func() {
		c.figs = make([][]figure, len(c.sents))
		// Pattern matching is the costly part of facts on a large corpus
		// and sentences are independent: spread them over the CPUs.
		workers := min(runtime.GOMAXPROCS(0), 1+len(c.sents)/2000)
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < len(c.sents); i += workers {
					c.figs[i] = findFigures(c.sents[i].text)
				}
			}()
		}
		wg.Wait()
	})
	return c.figs
}

// findFigures returns the figures of one sentence, in text order.
func findFigures(s string) []figure {
	var out []figure
	digits := hasDigit(s)
	if !digits && !hasMonth(s) {
		return nil
	}
	// busy marks the bytes of figures found so far once there are many:
	// comparing each match with every earlier figure was quadratic in a
	// sentence made of numbers.
	var busy []bool
	taken := func(a, b int) bool {
		if busy == nil {
			for _, f := range out {
				if a < f.end && f.start < b {
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
	mark := func(f figure) {
		if busy == nil && len(out) >= 16 {
			busy = make([]bool, len(s))
			for _, g := range out {
				for i := g.start; i < g.end; i++ {
					busy[i] = true
				}
			}
		}
		if busy != nil {
			for i := f.start; i < f.end; i++ {
				busy[i] = true
			}
		}
	}
	for _, p := range figurePatterns {
		if p.kind != KindDate && !digits || !p.need(s) {
			continue
		}
		for _, m := range p.re.FindAllStringSubmatchIndex(s, -1) {
			a, b := m[0], m[1]
			if len(m) > 2 && m[2] >= 0 {
				a, b = m[2], m[3] // the month of "in September"
			}
			if taken(a, b) || glued(s, a, b) {
				continue
			}
			f := figure{start: a, end: b, kind: p.kind}
			if p.kind == KindCount {
				var ok bool
				if f.end, ok = countNoun(s, a, b); !ok {
					continue
				}
			}
			f.value = s[f.start:f.end]
			f.key = string(f.kind) + ":" + figureKey(s[a:b])
			mark(f)
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
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
// "53 pit bulls", "500 million Alexa devices", "25 new engineers"). A number
// with nothing counted after it is no key figure unless it has a scale
// ("500 million").
func countNoun(s string, a, b int) (int, bool) {
	ws := wordSpans(s[b:], 3)
	first, plural := -1, -1 // ends of the first word and of the first plural noun
	for i, w := range ws {
		word := s[b+w.start : b+w.end]
		lw := strings.ToLower(word)
		if w.punctBefore || isStop(lw) || notCounted[lw] || !unicode.IsLetter(firstRune(word)) {
			break
		}
		if i > 0 && ws[i-1].end+1 != w.start {
			break // not a plain space between the two words
		}
		if i == 0 {
			first = b + w.end
		}
		if strings.HasSuffix(lw, "s") && len(lw) > 3 || pluralNouns[lw] {
			plural = b + w.end
			break
		}
	}
	switch {
	case plural >= 0:
		return plural, true
	case first >= 0:
		return first, true
	}
	return b, strings.Contains(s[a:b], " ")
}

// notCounted follow numbers without being what is counted ("turns 6 next
// Friday", "at 10:21 a.m.").
var notCounted = setOf("next", "last", "ago", "later", "earlier", "times", "percent", "a.m", "p.m",
	"a.m.", "p.m.", "am", "pm", "o'clock", "each", "apiece", "per", "old", "straight", "consecutive")

var pluralNouns = setOf("people", "children", "men", "women", "police", "staff", "personnel", "mice", "feet", "teeth", "cattle")

var keyReplacer = strings.NewReplacer("–", "-", "—", "-", " to ", "-", " through ", "-", " until ", "-", " and ", "-",
	",", "", " ", "", "us$", "$", "percent", "%", "percentagepoints", "pp", "percentagepoint", "pp",
	"million", "m", "billion", "bn", "trillion", "tn", "thousand", "k")

// figureKey normalises a figure so that "2017–2021" and "2017 to 2021", or
// "$25 billion" in two articles, are the same fact.
func figureKey(v string) string {
	return keyReplacer.Replace(strings.ToLower(v))
}

// extractFacts collects every figure of the corpus, merging the same figure
// across sentences and articles.
func extractFacts(c *Corpus) []Fact {
	type agg struct {
		fact  Fact
		first int // sentence id of the first mention
		seen  map[int]bool
	}
	byKey := map[string]*agg{}
	var order []*agg
	figs := c.figures()
	for id, s := range c.sents {
		for _, f := range figs[id] {
			a := byKey[f.key]
			if a == nil {
				a = &agg{fact: Fact{Text: s.text, Value: f.value, Kind: f.kind}, first: id, seen: map[int]bool{}}
				byKey[f.key] = a
				order = append(order, a)
			}
			if !a.seen[s.doc] {
				a.seen[s.doc] = true
				a.fact.Sources = append(a.fact.Sources, c.articles[s.doc].ID)
			}
		}
	}
	rank := map[FactKind]int{KindMoney: 0, KindPercent: 1, KindCount: 2, KindPeriod: 3, KindDate: 4}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if rank[a.fact.Kind] != rank[b.fact.Kind] {
			return rank[a.fact.Kind] < rank[b.fact.Kind]
		}
		if len(a.fact.Sources) != len(b.fact.Sources) {
			return len(a.fact.Sources) > len(b.fact.Sources)
		}
		// "in September" says less than "2019": figures without a digit last.
		if da, db := hasDigit(a.fact.Value), hasDigit(b.fact.Value); da != db {
			return da
		}
		return a.first < b.first
	})
	out := make([]Fact, len(order))
	for i, a := range order {
		out[i] = a.fact
	}
	return out
}
