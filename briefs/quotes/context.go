package quotes

import (
	"strings"

	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// The context that tells a person from other capitals, and their gender:
// appositives, roles, speech verbs, headlines, pronouns.

// appositiveRole reads ", the council’s engineer," or ", an analyst at X,"
// right after a name and returns its role noun and gender.
func appositiveRole(after string) (string, text.Gender) {
	if !strings.HasPrefix(after, ",") {
		return "", text.Unknown
	}
	clause := after[1:]
	if k := strings.IndexAny(clause, ",.;:!?()“”\"\n—"); k >= 0 {
		clause = clause[:k]
	}
	f := strings.Fields(strings.ToLower(clause))
	if len(f) == 0 || len(f) > 8 {
		return "", text.Unknown
	}
	for _, w := range f {
		if looksVerb(w) || text.TimeAdverbs[w] {
			return "", text.Unknown // "…, the president then said": a clause, no appositive
		}
	}
	det := f[0]
	if !text.DeterminerWords[det] && !isPossessive(det) && !text.RoleNouns[det] {
		return "", text.Unknown
	}
	for i, w := range f {
		if i > 0 && text.Prepositions[w] {
			break
		}
		w = bare(w)
		if text.RoleNouns[w] {
			g := text.GenderedNouns[w]
			// The head is the last role noun before a preposition:
			// "a former senior engineer".
			role := w
			for _, w2 := range f[i+1:] {
				w2 = bare(w2)
				if text.Prepositions[w2] {
					break
				}
				if text.RoleNouns[w2] {
					role = w2
					if g2, ok := text.GenderedNouns[w2]; ok {
						g = g2
					}
				}
			}
			return role, g
		}
	}
	return "", text.Unknown
}

// roleBefore reads "the architect, Hiro Tanaka," — a role noun set off by a
// comma before the name — and returns the role.
func roleBefore(doc string, ws []word, k int) string {
	if k < 2 || strings.TrimSpace(doc[ws[k-1].end:ws[k].start]) != "," {
		return ""
	}
	lp := strings.ToLower(doc[ws[k-1].start:ws[k-1].end])
	if !text.RoleNouns[lp] {
		return ""
	}
	det := strings.ToLower(doc[ws[k-2].start:ws[k-2].end])
	if strings.HasPrefix(doc[ws[k-2].end:], "’") || strings.HasPrefix(doc[ws[k-2].end:], "'") {
		det += "’" // "the tenants’ spokeswoman"
	}
	if text.DeterminerWords[det] || isPossessive(det) || text.RoleNouns[det] {
		return lp
	}
	return ""
}

// speechNext reports a speech verb right after ws[:e] (adverbs allowed
// between): "Zhang Wei said", "Okafor later told".
func speechNext(doc string, ws []word, e int) bool {
	for j := e; j < len(ws) && j < e+3; j++ {
		w := doc[ws[j].start:ws[j].end]
		if ws[j].punctBefore && j == e && !strings.HasPrefix(strings.TrimSpace(doc[ws[j-1].end:ws[j].start]), ",") {
			return false
		}
		if isSpeech(w) {
			return true
		}
		if !isAdverb(w) && !text.Auxiliaries[strings.ToLower(w)] {
			return false
		}
	}
	return false
}

// headlines marks the words of title-case lines ("Rebuilding Isn’t The
// Only Reason Funds Support Ana Lima"): five words or more, nearly all
// capitalised. Their capitals say nothing about who is a person.
func headlines(doc string, ws []word, sentStart func(int) bool) []bool {
	out := make([]bool, len(ws))
	for b := 0; b < len(ws); {
		e := b + 1
		for e < len(ws) && !sentStart(e) {
			e++
		}
		caps := 0
		for k := b; k < e; k++ {
			if isUpperStart(doc[ws[k].start:ws[k].end]) || !isLowerStart(doc[ws[k].start:ws[k].end]) {
				caps++
			}
		}
		if e-b >= 5 && 5*caps >= 4*(e-b) {
			for k := b; k < e; k++ {
				out[k] = true
			}
		}
		b = e
	}
	return out
}

// isPossessive reports "council’s", "tenants’".
func isPossessive(w string) bool {
	return strings.HasSuffix(w, "’s") || strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "s’") || strings.HasSuffix(w, "s'")
}

// genders gives people without a stated gender the one their pronouns
// tell: a he/she outside quotation marks whose only candidate, in its own
// sentence before it or in the sentence before, is that person votes for it.
func (c *cast) genders(ws []word, quoted func(int) bool) {
	votes := make([][3]int, len(c.people))
	mi := 0
	for _, w := range ws {
		if n := w.end - w.start; n < 2 || n > 7 {
			continue // no pronoun: spare the lower-casing
		}
		g, ok := text.Pronouns[strings.ToLower(c.doc[w.start:w.end])]
		if !ok || g == text.Unknown || quoted(w.start) {
			continue
		}
		for mi < len(c.mentions) && c.mentions[mi].at < w.start {
			mi++
		}
		s := c.sentOf(w.start)
		who := -1
		for j := mi - 1; j >= 0 && j >= mi-50 && c.mentions[j].sent >= s-1; j-- {
			if who >= 0 && c.mentions[j].who != who {
				who = -2
				break
			}
			who = c.mentions[j].who
		}
		if who >= 0 {
			votes[who][g]++
		}
	}
	for i := range c.people {
		if c.people[i].gender != text.Unknown {
			continue
		}
		switch v := votes[i]; {
		case v[text.Male] > v[text.Female]:
			c.people[i].gender = text.Male
		case v[text.Female] > v[text.Male]:
			c.people[i].gender = text.Female
		}
	}
}
