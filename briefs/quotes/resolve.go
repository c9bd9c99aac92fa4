package quotes

import (
	"sort"
	"strings"
	"unicode"

	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// resolve turns a speaker phrase np found at article offset at into the
// speaker as the article names them: the person named in it, the person a
// pronoun or a description ("the engineer") stands for, the organisation
// for "the company"; otherwise the phrase itself, less leading role words.
func (c *cast) resolve(np string, at int) string {
	np = strings.TrimFunc(np, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(",—–-:;(", r) })
	// "Later she", "Then Okafor": an adverb opening the phrase is no part
	// of the speaker.
	for {
		w, rest, found := strings.Cut(np, " ")
		lw := strings.ToLower(w)
		if !found || !(text.TimeAdverbs[lw] || text.Openers[lw] || len(lw) > 4 && strings.HasSuffix(lw, "ly") && !text.LyNonAdverbs[lw]) {
			break
		}
		at += len(w) + 1
		np = rest
	}
	lower := strings.ToLower(np)
	if g, ok := text.Pronouns[lower]; ok {
		if lower == "they" || lower == "them" {
			if p, ok := c.recent(at, text.Unknown); ok {
				return p
			}
			if c.mainOrg != "" {
				return c.mainOrg
			}
			return np
		}
		if p, ok := c.recent(at, g); ok {
			return p
		}
		return np
	}
	if text.OtherPronouns[lower] {
		if lower == "i" || lower == "me" {
			if p, ok := c.recent(at, text.Unknown); ok {
				return p
			}
		}
		if c.mainOrg != "" {
			return c.mainOrg
		}
		return np
	}
	// A person named inside the phrase ("the council’s engineer Aiyana
	// Redcloud", "Mr. Hale").
	for _, m := range c.mentions[c.firstAt(at):] {
		if m.at >= at+len(np) {
			break
		}
		if m.end <= at+len(np) {
			return c.people[m.who].name
		}
	}
	f := strings.Fields(lower)
	if len(f) == 2 {
		if _, ok := text.Honorifics[bare(f[0])]; ok {
			if p, ok := c.bySurname(bare(strings.Fields(np)[1])); ok {
				return p
			}
		}
	}
	if len(f) >= 2 && len(f) <= 6 && text.DeterminerWords[f[0]] && f[0] != "one" && f[0] != "a" && f[0] != "an" {
		head := bare(f[len(f)-1])
		if c.mainOrg != "" && (text.CompanyNouns[head] || strings.HasSuffix(f[1], "’s") && text.CompanyNouns[bare(f[1])]) {
			// "the company", "the firm’s statement": the organisation
			// the article is about. "The letter", "the board" stay as
			// written: the article names them so.
			return c.mainOrg
		}
		// "the engineer", "the council’s chief engineer": the person the
		// article introduced with that role.
		if text.RoleNouns[head] {
			if p, ok := c.withRole(head, at); ok {
				return p
			}
		}
	}
	return stripRole(np)
}

// recent is the person a pronoun of gender g at offset at stands for: the
// most recent sentence before at naming a compatible person, and in it the
// subject (the first one named) — "Marcus Hale disagreed with Ana Ruiz.
// “…,” he said." is Hale's. A person of the other stated gender is passed
// over. When nobody is named before, the first person named after.
func (c *cast) recent(at int, g text.Gender) (string, bool) {
	s := c.sentOf(at)
	if g != text.Unknown {
		if name, ok := c.loneSubject(at, s); ok && validSpeaker(name) {
			return name, true
		}
	}
	last := -1
	first := c.firstAt(at)
	// Walk back from the pronoun; a bounded walk keeps an article of
	// thousands of mentions linear.
	for i := first - 1; i >= 0 && i >= first-200; i-- {
		m := c.mentions[i]
		if m.sent == s && !c.sameSubject(m, at) {
			continue
		}
		if pg := c.people[m.who].gender; g != text.Unknown && pg != text.Unknown && pg != g {
			continue
		}
		last = i
		break
	}
	if last < 0 {
		for _, m := range c.mentions[first:min(len(c.mentions), first+200)] {
			if m.at > at {
				if pg := c.people[m.who].gender; g == text.Unknown || pg == text.Unknown || pg == g {
					return c.people[m.who].name, true
				}
			}
		}
		return "", false
	}
	// The first compatible mention of that sentence: its subject.
	pick := last
	for j := last - 1; j >= 0 && j >= last-50 && c.mentions[j].sent == c.mentions[last].sent; j-- {
		if pg := c.people[c.mentions[j].who].gender; g == text.Unknown || pg == text.Unknown || pg == g {
			pick = j
		}
	}
	return c.people[c.mentions[pick].who].name, true
}

// loneSubject is a he or she's referent when the sentence before it, or
// its own before it, opens with a name word no one is named in full by
// ("Fifita disagreed. “…,” he said."), and no person is named between:
// an organisation is an "it", so a gendered pronoun after one subject
// word is that person's.
func (c *cast) loneSubject(at, s int) (string, bool) {
	k := sort.Search(len(c.unlinked), func(i int) bool { return c.unlinked[i].at >= at })
	if k == 0 {
		return "", false
	}
	u := c.unlinked[k-1]
	us := c.sentOf(u.at)
	if us < s-1 || !u.subject {
		return "", false
	}
	if i := c.firstAt(u.at); i < len(c.mentions) && c.mentions[i].at < at {
		return "", false
	}
	return u.name, true
}

// sameSubject reports whether a pronoun at offset at may stand for mention
// m of its own sentence: only across a coordinated clause ("Hale objected,
// and he said…"); in "After meeting Lee, he said" the pronoun is someone
// else.
func (c *cast) sameSubject(m mention, at int) bool {
	between := c.doc[m.end:at]
	return m.subject && (strings.Contains(between, " and ") || strings.Contains(between, " but ") || strings.Contains(between, ";"))
}

// bySurname finds the person whose name ends (or starts) with w.
func (c *cast) bySurname(w string) (string, bool) {
	for _, p := range c.people {
		if f := strings.Fields(p.name); len(f) > 1 && (f[len(f)-1] == w || f[0] == w) {
			return p.name, true
		}
	}
	return "", false
}

// withRole finds the person introduced with role nearest before at (or
// the first after it).
func (c *cast) withRole(role string, at int) (string, bool) {
	if c.roles == nil {
		c.roles = map[string][]int{}
		for i, m := range c.mentions {
			for _, r := range c.people[m.who].roles {
				if k := c.roles[r]; len(k) == 0 || k[len(k)-1] != i {
					c.roles[r] = append(c.roles[r], i)
				}
			}
		}
	}
	ms := c.roles[role]
	if len(ms) == 0 {
		return "", false
	}
	k := sort.Search(len(ms), func(k int) bool { return c.mentions[ms[k]].at >= at })
	if k > 0 {
		k--
	}
	return c.people[c.mentions[ms[k]].who].name, true
}

// stripRole drops the lower-case role words before a name, as a title is
// dropped from a recognised person: "fisherman Luca Bianchi" → "Luca
// Bianchi". A description without a name ("a former employee", "one
// engineer") is kept as written.
func stripRole(np string) string {
	f := strings.Fields(np)
	if len(f) < 3 || !isLowerStart(f[0]) {
		return np
	}
	k := len(f)
	for k > 0 && isUpperStart(f[k-1]) {
		k--
	}
	if n := len(f) - k; n < 2 || n > 4 {
		return np
	}
	for _, w := range f[k:] {
		if text.OrgSuffixes[strings.ToLower(bare(w))] {
			return np
		}
	}
	return strings.Join(f[k:], " ")
}

// names reports whether the n bytes at offset at name a person.
func (c *cast) names(at, n int) bool {
	for _, m := range c.mentions[c.firstAt(at):] {
		if m.at >= at+n {
			break
		}
		if m.end <= at+n {
			return true
		}
	}
	return false
}

// firstAt is the index of the first mention at or after offset at.
func (c *cast) firstAt(at int) int {
	return sort.Search(len(c.mentions), func(i int) bool { return c.mentions[i].at >= at })
}

// endingAt returns the person named by a mention that ends at offset end.
func (c *cast) endingAt(end int) (string, bool) {
	k := c.firstAt(end)
	for i := k - 1; i >= 0 && i >= k-3; i-- {
		if c.mentions[i].end == end {
			return c.people[c.mentions[i].who].name, true
		}
	}
	return "", false
}
