package rank

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// token is a word of a sentence with what its surface tells.
type token struct {
	word  string // lower case, as text.Words gives it
	cap   bool   // written with a capital
	money bool   // its field carries a currency sign ("$25")
	comma bool   // its field groups thousands ("1,200")
	// appos: a comma and an article follow ("Ortiz, a dairy farmer").
	appos bool
	poss  bool // a possessive ("Ortega’s")
}

// tokens splits a sentence into words, keeping capitals and currency
// signs, which text.Words drops.
func tokens(s string) []token {
	out := make([]token, 0, len(s)/5)
	for _, f := range strings.Fields(s) {
		ws := text.Words(f)
		if len(ws) == 0 {
			continue
		}
		lead := strings.TrimLeftFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		r, _ := utf8.DecodeRuneInString(lead)
		capital := unicode.IsUpper(r)
		money := strings.ContainsAny(f, "$€£¥")
		comma := groupsThousands(f)
		if n := len(out); n > 0 && out[n-1].appos {
			out[n-1].appos = ws[0] == "a" || ws[0] == "an" || ws[0] == "the"
		}
		for _, w := range ws {
			out = append(out, token{word: w, cap: capital, money: money, comma: comma})
		}
		out[len(out)-1].appos = strings.HasSuffix(f, ",")
		t := strings.TrimRight(f, ",.;:!?)”\"")
		out[len(out)-1].poss = strings.HasSuffix(t, "’s") || strings.HasSuffix(t, "'s")
	}
	if n := len(out); n > 0 {
		out[n-1].appos = false
	}
	return out
}

// tokenType tells what token i can answer: a date, a sum, a count, a
// percentage, a reason, a name (a person's, a place's).
func tokenType(toks []token, i int, prev string) Type {
	tk := toks[i]
	w := tk.word
	next := ""
	if i+1 < len(toks) {
		next = toks[i+1].word
	}
	c := w[0]
	switch {
	case c >= '0' && c <= '9':
		switch {
		case next == "percent" || text.PercentWords[next]:
			return Percent
		case tk.money || text.Currencies[next] || text.Magnitudes[next] && i+2 < len(toks) && text.Currencies[toks[i+2].word]:
			return Money
		case text.IsYear(w) && !tk.comma, text.Months[prev], text.Months[next]:
			return Date
		}
		return Count
	case text.NumberWords[w]:
		if next == "percent" {
			return Percent
		}
		return Count
	case text.Months[w] && w != "may" || text.Weekdays[w] || text.TimeWords[w]:
		return Date
	case text.ReasonWords[w]:
		return Reason
	case tk.cap && i > 0 && !text.IsStop(w):
		t := Name
		// A possessive ends a name: "Ortega’s Plan" is no one's name.
		prevCap := i > 1 && toks[i-1].cap && !text.IsStop(prev) && !toks[i-1].poss
		nextCap := i+1 < len(toks) && toks[i+1].cap && !text.IsStop(next) && !tk.poss
		// Two capitalised words are a person's name when no organisation
		// or place word is among them ("Mara Quint", not "Acme Corp" or
		// "Lake Road"); a title, role or speech verb beside one is too.
		orgNext := i+1 < len(toks) && text.OrgSuffixes[next]
		if (prevCap || nextCap) && !text.OrgSuffixes[w] && !text.OrgSuffixes[prev] && !orgNext ||
			isHonorific(prev) || text.RoleNouns[prev] || text.SpeechVerbs[prev] || text.SpeechVerbs[next] {
			t |= Person
		}
		if text.PlacePreps[prev] {
			t |= Place
		}
		return t
	}
	return 0
}

func isHonorific(w string) bool {
	_, ok := text.Honorifics[w]
	return ok
}

// groupsThousands reports a field holding a digit, a comma and three
// digits ("1,200"): a count, not the year 1200.
func groupsThousands(f string) bool {
	digit := func(b byte) bool { return b >= '0' && b <= '9' }
	for i := 1; i+3 < len(f); i++ {
		if f[i] == ',' && digit(f[i-1]) && digit(f[i+1]) && digit(f[i+2]) && digit(f[i+3]) {
			return true
		}
	}
	return false
}
