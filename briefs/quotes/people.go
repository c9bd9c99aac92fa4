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
	add := func(name string) int {
		if i, ok := byName[name]; ok {
			return i
		}
		byName[name] = len(c.people)
		c.people = append(c.people, person{name: name})
		return len(c.people) - 1
	}
	orgCount := map[string]int{}
	midSentence := map[string]bool{}
	type pending struct {
		at, end int
		name    string
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
				found = append(found, pending{start, end, name, gender, role, key})
			} else {
				singles = append(singles, word{start: start, end: end})
			}
			continue
		}
		found = append(found, pending{start, end, name, gender, role, ""})
	}
	// People named in full first; their surnames and given names alone
	// then refer back to them.
	short := map[string]int{}
	for _, f := range found {
		i := add(f.name)
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
