package quotes

import (
	"sort"
	"strings"

	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// person is someone an article names.
type person struct {
	name   string // as first written in full, honorific and title dropped
	gender text.Gender
	roles  []string // role nouns written beside the name, lower case
	strong bool     // context says it is a person, not only capitals
}

// mention is one place a person is named.
type mention struct {
	at, end int // byte offsets in the article
	who     int // index into cast.people
	sent    int // index of the sentence holding it
	subject bool
}

// cast is the people and organisations of one article.
type cast struct {
	doc      string
	people   []person
	mentions []mention // in text order, none inside quotation marks
	mainOrg  string
	sentOf   func(at int) int
	roles    map[string][]int // role → indexes of mentions of people with it, built on first use
}

// run is a run of capitalised words ws[k:e] (name particles allowed
// inside) and what its context tells.
type run struct {
	k, e int
}

// newCast finds the people of doc: capitalised runs that their context marks
// as persons (see the package doc), surnames reused alone, and genders.
func newCast(doc string, sents []text.Sentence, quoted func(int) bool) *cast {
	c := &cast{doc: doc}
	c.sentOf = func(at int) int {
		return sort.Search(len(sents), func(i int) bool { return sents[i].End > at })
	}
	ws := words(doc, -1)
	lowerSeen := map[string]bool{}
	for _, w := range ws {
		if s := doc[w.start:w.end]; isLowerStart(s) {
			lowerSeen[s] = true
		}
	}
	sentStart := func(k int) bool {
		if k == 0 {
			return true
		}
		gap := doc[ws[k-1].end:ws[k].start]
		return strings.ContainsAny(gap, ".!?\n“\"‘:—")
	}
	inHeadline := headlines(doc, ws, sentStart)
	capWord := func(k int) bool {
		w := doc[ws[k].start:ws[k].end]
		if !isUpperStart(w) || isAllCaps(bare(w)) && len(bare(w)) > 1 {
			return false
		}
		// "Okonjo-Iweala", not "AI-powered".
		for _, part := range strings.Split(w, "-")[1:] {
			if !isUpperStart(part) {
				return false
			}
		}
		lw := strings.ToLower(bare(w))
		return !text.IsStop(lw) && !text.Months[lw] && !text.Weekdays[lw] && !text.Openers[lw]
	}
	particle := func(k int) bool {
		return text.NameParticles[doc[ws[k].start:ws[k].end]]
	}
	byName := map[string]int{}
	add := func(name string, strong bool) int {
		if i, ok := byName[name]; ok {
			c.people[i].strong = c.people[i].strong || strong
			return i
		}
		byName[name] = len(c.people)
		c.people = append(c.people, person{name: name, strong: strong})
		return len(c.people) - 1
	}
	orgCount := map[string]int{}
	midSentence := map[string]bool{}
	type pending struct {
		at, end int
		name    string
		strong  bool
		gender  text.Gender
		role    string
		key     string // the surname of a titled one-word name
	}
	var found []pending
	var singles []word // capitalised words alone, resolved against surnames later
	for k := 0; k < len(ws); k++ {
		if !capWord(k) || quoted(ws[k].start) {
			continue
		}
		e := k + 1
		for e < len(ws) && !ws[e].punctBefore && (capWord(e) || particle(e) && e+1 < len(ws) && !ws[e+1].punctBefore && capWord(e+1)) {
			if strings.HasSuffix(doc[ws[e-1].start:ws[e-1].end], "’s") || strings.HasSuffix(doc[ws[e-1].start:ws[e-1].end], "'s") {
				break
			}
			e++
		}
		r := run{k, e}
		k = e - 1
		for j := r.k; j < r.e; j++ {
			w := bare(doc[ws[j].start:ws[j].end])
			orgCount[w]++
			if j > r.k || !sentStart(j) {
				midSentence[w] = true
			}
		}
		b := r.k
		var gender text.Gender
		var role string
		strong := false
		// Titles written before the name: "President Okafor", "Chief
		// Executive Ana Lima", "Dr. Søren Kierkegaard-Lund".
		// "Acme CEO Ana Lima": the name follows the run's last title.
		for j := r.e - 2; j > b; j-- {
			lw := strings.ToLower(bare(doc[ws[j].start:ws[j].end]))
			if _, ok := text.Honorifics[lw]; ok || text.RoleNouns[lw] {
				b = j
				break
			}
		}
		titleAt := b
		for b < r.e-1 {
			lw := strings.ToLower(bare(doc[ws[b].start:ws[b].end]))
			if g, ok := text.Honorifics[lw]; ok {
				gender, strong = g, true
			} else if text.RoleNouns[lw] {
				strong, role = true, lw
				if g, ok := text.GenderedNouns[lw]; ok {
					gender = g
				}
			} else {
				break
			}
			b++
		}
		// A sentence's first word is capitalised whatever it is: it
		// belongs to the name only if the article never writes it in
		// lower case.
		if b == r.k && sentStart(b) && lowerSeen[strings.ToLower(doc[ws[b].start:ws[b].end])] {
			b++
		}
		// Names run to four words at most ("María José Carrasco
		// Ruiz"); a longer run of capitals is a headline or a title.
		if b >= r.e || r.e-b > 4 || inHeadline[r.k] {
			continue
		}
		titled := b > r.k
		seq := make([]string, 0, r.e-b)
		org := false
		for j := b; j < r.e; j++ {
			w := bare(doc[ws[j].start:ws[j].end])
			seq = append(seq, w)
			if text.OrgSuffixes[strings.ToLower(w)] || text.Collectives[strings.ToLower(w)] {
				org = true
			}
		}
		name := strings.Join(seq, " ")
		key := ""
		if len(seq) == 1 && titled {
			// "President Okafor": one name word keeps its title, as the
			// article names the person.
			key = name
			name = doc[ws[titleAt].start:ws[b].start] + name
		}
		start, end := ws[b].start, ws[r.e-1].start+len(bare(doc[ws[r.e-1].start:ws[r.e-1].end]))
		prev := ""
		if b > 0 {
			prev = strings.ToLower(bare(doc[ws[b-1].start:ws[b-1].end]))
		}
		if b == r.k && b > 0 && !ws[b].punctBefore {
			if g, ok := text.Honorifics[prev]; ok {
				gender, strong = g, true
			} else if text.RoleNouns[prev] {
				strong, role = true, prev
				if g, ok := text.GenderedNouns[prev]; ok {
					gender = g
				}
			}
		}
		// "Acme spokesperson", "the Science team": a modifier, not a name.
		if r.e < len(ws) && !ws[r.e].punctBefore {
			nw := strings.ToLower(doc[ws[r.e].start:ws[r.e].end])
			if isLowerStart(doc[ws[r.e].start:ws[r.e].end]) && (text.RoleNouns[nw] || text.Collectives[nw] || text.OrgSuffixes[nw]) {
				continue
			}
		}
		after := doc[end:min(len(doc), end+120)]
		if r, g := appositiveRole(after); r != "" {
			strong, role = true, r
			if gender == text.Unknown {
				gender = g
			}
		}
		if strings.HasPrefix(after, ", who ") || strings.HasPrefix(after, " who ") {
			strong = true
		}
		if r := roleBefore(doc, ws, b); r != "" {
			strong, role = true, r
			if g, ok := text.GenderedNouns[r]; ok && gender == text.Unknown {
				gender = g
			}
		}
		// Organisations speak too: a speech verb marks a person only for a
		// name of more than one word.
		if len(seq) > 1 && (speechNext(doc, ws, r.e) || b > 0 && !ws[b].punctBefore && isSpeech(prev)) {
			strong = true
		}
		placed := b > 0 && (prev == "the" || text.PlacePreps[prev]) && b == r.k
		if org || placed && role == "" && gender == text.Unknown {
			continue
		}
		if len(seq) == 1 || key != "" {
			if strong {
				found = append(found, pending{start, end, name, true, gender, role, key})
			} else {
				singles = append(singles, word{start: start, end: end})
			}
			continue
		}
		found = append(found, pending{start, end, name, strong, gender, role, ""})
	}
	// People named in full first; their surnames and given names alone
	// then refer back to them.
	short := map[string]int{}
	for _, f := range found {
		i := add(f.name, f.strong)
		p := &c.people[i]
		if p.gender == text.Unknown {
			p.gender = f.gender
		}
		if f.role != "" {
			p.roles = append(p.roles, f.role)
		}
		if f.key != "" {
			if _, ok := short[f.key]; !ok {
				short[f.key] = i
			}
		} else if parts := strings.Fields(f.name); len(parts) > 1 {
			for _, s := range []string{parts[len(parts)-1], parts[0]} {
				if _, ok := short[s]; !ok {
					short[s] = i
				}
			}
		}
		c.mentions = append(c.mentions, mention{at: f.at, end: f.end, who: i})
	}
	for _, s := range singles {
		if i, ok := short[c.doc[s.start:s.end]]; ok {
			c.mentions = append(c.mentions, mention{at: s.start, end: s.end, who: i})
		}
	}
	// A one-word person ("Karima") known only from a speech verb may be
	// the surname of a person named in full: merge.
	for i := range c.mentions {
		p := c.people[c.mentions[i].who]
		if !strings.Contains(p.name, " ") {
			if j, ok := short[p.name]; ok {
				c.mentions[i].who = j
			}
		}
	}
	c.merge()
	sort.Slice(c.mentions, func(i, j int) bool { return c.mentions[i].at < c.mentions[j].at })
	for i := range c.mentions {
		m := &c.mentions[i]
		m.sent = c.sentOf(m.at)
		m.subject = i == 0 || c.mentions[i-1].sent != m.sent
	}
	c.genders(ws, quoted)
	// The main organisation: the capitalised word met most often
	// mid-sentence outside people's names ("the company" stands for it).
	inName := map[string]bool{}
	for _, p := range c.people {
		for _, w := range strings.Fields(p.name) {
			inName[w] = true
		}
	}
	best, bestN := "", 1
	for w, n := range orgCount {
		if inName[w] || !midSentence[w] || text.RoleNouns[strings.ToLower(w)] || text.OrgSuffixes[strings.ToLower(w)] || n < bestN || n == bestN && best != "" && w > best {
			continue
		}
		best, bestN = w, n
	}
	c.mainOrg = best
	return c
}

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
		if i > 0 && (w == "of" || w == "at" || w == "for" || w == "in" || w == "with") {
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
				if w2 == "of" || w2 == "at" || w2 == "for" || w2 == "in" {
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

// genders gives people without a stated gender the one their pronouns
// tell: a he/she outside quotation marks whose only candidate, in its own
// sentence before it or in the sentence before, is that person votes for it.
func (c *cast) genders(ws []word, quoted func(int) bool) {
	votes := make([][3]int, len(c.people))
	mi := 0
	for _, w := range ws {
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

// isPossessive reports "council’s", "tenants’".
func isPossessive(w string) bool {
	return strings.HasSuffix(w, "’s") || strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "s’") || strings.HasSuffix(w, "s'")
}

// merge folds a person written short ("Ní Bhriain" after "Ms.", "Mr.
// Wójcik") into the one whose full name ends with it. People are indexed
// by their last name word, so an article of thousands stays linear.
func (c *cast) merge() {
	byLast := map[string][]int{}
	for j, q := range c.people {
		if f := strings.Fields(q.name); len(f) > 1 {
			byLast[f[len(f)-1]] = append(byLast[f[len(f)-1]], j)
		}
	}
	into := make([]int, len(c.people))
	for i, p := range c.people {
		into[i] = i
		f := strings.Fields(p.name)
		if len(f) == 0 {
			continue
		}
		key := p.name
		if _, ok := text.Honorifics[strings.ToLower(bare(f[0]))]; ok && len(f) > 1 {
			key = strings.Join(f[1:], " ")
		}
		cands := byLast[f[len(f)-1]]
		for _, j := range cands[:min(len(cands), 8)] {
			q := c.people[j]
			if j != i && len(q.name) > len(key) && strings.HasSuffix(q.name, " "+key) {
				into[i] = j
				if c.people[j].gender == text.Unknown {
					c.people[j].gender = p.gender
				}
				c.people[j].roles = append(c.people[j].roles, p.roles...)
				break
			}
		}
	}
	for i := range c.mentions {
		c.mentions[i].who = into[c.mentions[i].who]
	}
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
