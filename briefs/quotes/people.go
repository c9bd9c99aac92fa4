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
	// unlinked are the one-word names that referred to no one the article
	// names in full: another article of the story may (know).
	unlinked []candidate
}

// run is a run of capitalised words ws[k:e], name particles allowed inside.
type run struct {
	k, e int
}

// candidate is a name a run holds, with what its context states.
type candidate struct {
	at, end int
	name    string
	gender  text.Gender
	role    string
	key     string // the surname of a titled one-word name ("President Okafor")
	strong  bool   // the context marks a person, not the capitals alone
	single  bool   // one name word
	subject bool   // the first word of its sentence
}

// scan is what newCast reads of an article while it looks for names.
type scan struct {
	doc        string
	ws         []word
	lowerSeen  map[string]bool // words the article writes in lower case
	inHeadline []bool
	quoted     func(int) bool
}

func newScan(doc string, quoted func(int) bool) *scan {
	s := &scan{doc: doc, ws: words(doc, -1), lowerSeen: map[string]bool{}, quoted: quoted}
	// Only a sentence's first words are asked about: look for those alone
	// rather than hashing every word of the article.
	for k, w := range s.ws {
		if t := doc[w.start:w.end]; isUpperStart(t) && s.sentStart(k) {
			s.lowerSeen[strings.ToLower(t)] = false
		}
	}
	for _, w := range s.ws {
		if t := doc[w.start:w.end]; isLowerStart(t) {
			if _, asked := s.lowerSeen[t]; asked {
				s.lowerSeen[t] = true
			}
		}
	}
	s.inHeadline = headlines(doc, s.ws, s.sentStart)
	return s
}

func (s *scan) word(k int) string { return s.doc[s.ws[k].start:s.ws[k].end] }

// sentStart reports a word that opens a sentence, a line or a quotation.
func (s *scan) sentStart(k int) bool {
	return k == 0 || strings.ContainsAny(s.doc[s.ws[k-1].end:s.ws[k].start], ".!?\n“\"‘:—")
}

// capWord reports a capitalised word that may be part of a name: not an
// acronym, a function word, a month or a sentence opener.
func (s *scan) capWord(k int) bool {
	w := s.word(k)
	if w[0] >= 'a' && w[0] <= 'z' || !isUpperStart(w) || isAllCaps(bare(w)) && len(bare(w)) > 1 {
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

// runs returns the runs of capitalised words outside quotation marks; a
// possessive ends one ("Okafor’s office").
func (s *scan) runs() []run {
	var out []run
	ws := s.ws
	for k := 0; k < len(ws); k++ {
		if !s.capWord(k) || s.quoted(ws[k].start) {
			continue
		}
		e := k + 1
		for e < len(ws) && !ws[e].punctBefore && (s.capWord(e) ||
			text.NameParticles[s.word(e)] && e+1 < len(ws) && !ws[e+1].punctBefore && s.capWord(e+1)) {
			if isPossessive(s.word(e - 1)) {
				break
			}
			e++
		}
		out = append(out, run{k, e})
		k = e - 1
	}
	return out
}

// titleOf reads a title or role word: its role noun (lower case) and the
// gender it states; ok is false for neither.
func titleOf(w string) (role string, g text.Gender, ok bool) {
	lw := strings.ToLower(bare(w))
	if g, ok := text.Honorifics[lw]; ok {
		return "", g, true
	}
	if text.RoleNouns[lw] {
		return lw, text.GenderedNouns[lw], true
	}
	return "", text.Unknown, false
}

// candidate reads the name run r holds, titles dropped, and what its
// context states; ok is false when it names no person (an organisation, a
// place, a modifier as in "Acme spokesperson", a headline).
func (s *scan) candidate(r run) (candidate, bool) {
	doc, ws := s.doc, s.ws
	var c candidate
	note := func(role string, g text.Gender) {
		c.strong = true
		if role != "" {
			c.role = role
		}
		if c.gender == text.Unknown {
			c.gender = g
		}
	}
	// Titles written before the name: "President Okafor", "Chief
	// Executive Ana Lima", "Dr. Søren Kierkegaard-Lund"; in "Acme CEO Ana
	// Lima" the name follows the run's last title.
	b := r.k
	for j := r.e - 2; j > b; j-- {
		if _, _, ok := titleOf(s.word(j)); ok {
			b = j
			break
		}
	}
	titleAt := b
	for b < r.e-1 {
		role, g, ok := titleOf(s.word(b))
		if !ok {
			break
		}
		note(role, g)
		b++
	}
	// A sentence's first word is capitalised whatever it is: it belongs to
	// the name only if the article never writes it in lower case.
	if b == r.k && s.sentStart(b) && s.lowerSeen[strings.ToLower(s.word(b))] {
		b++
	}
	// Names run to four words at most ("María José Carrasco Ruiz"); a
	// longer run of capitals is a headline or a title.
	if b >= r.e || r.e-b > 4 || s.inHeadline[r.k] {
		return c, false
	}
	// "Secretary of State Madeleine Albright", "Minister of Water Teodora
	// Lind": the end of an office's name before a name of two words or more.
	office := b == r.k && b >= 2 && strings.EqualFold(s.word(b-1), "of") && text.RoleNouns[strings.ToLower(bare(s.word(b-2)))]
	for r.e-b > 2 {
		if lw := strings.ToLower(bare(s.word(b))); !office && !text.OrgSuffixes[lw] && !text.Collectives[lw] {
			break
		}
		b++
		office = false
	}
	// "Former Secretary", "Deputy Minister": a title without a name.
	if _, _, title := titleOf(s.word(r.e - 1)); title {
		return c, false
	}
	seq := make([]string, 0, r.e-b)
	for j := b; j < r.e; j++ {
		w := bare(s.word(j))
		// "Vireo Systems", "the Harbour Board": an organisation ends in
		// one; a first name may be spelt like one ("Bill Okafor").
		if lw := strings.ToLower(w); (j > b || r.e-b == 1) && (text.OrgSuffixes[lw] || text.Collectives[lw]) {
			return c, false
		}
		seq = append(seq, w)
	}
	c.name = strings.Join(seq, " ")
	c.single = len(seq) == 1
	if c.single && b > r.k {
		// One name word keeps its title, as the article names the person.
		c.key = c.name
		c.name = doc[ws[titleAt].start:ws[b].start] + c.name
	}
	c.at, c.end = ws[b].start, ws[r.e-1].start+len(bare(s.word(r.e-1)))
	prev := ""
	if b > 0 {
		prev = strings.ToLower(bare(s.word(b - 1)))
	}
	if b == r.k && b > 0 && !ws[b].punctBefore {
		if role, g, ok := titleOf(prev); ok {
			note(role, g) // "fisherwoman Siobhán Ní Bhriain", "Ms. Okafor"
		}
	}
	// "Acme spokesperson", "the Science team": a modifier, not a name.
	if r.e < len(ws) && !ws[r.e].punctBefore {
		nw := s.word(r.e)
		lw := strings.ToLower(nw)
		if isLowerStart(nw) && (text.RoleNouns[lw] || text.Collectives[lw] || text.OrgSuffixes[lw]) {
			return c, false
		}
	}
	after := doc[c.end:min(len(doc), c.end+120)]
	if role, g := appositiveRole(after); role != "" {
		note(role, g) // "Zhang Wei, an economist"
	}
	if strings.HasPrefix(after, ", who ") || strings.HasPrefix(after, " who ") {
		note("", text.Unknown)
	}
	if role := roleBefore(doc, ws, b); role != "" {
		note(role, text.GenderedNouns[role]) // "the architect, Hiro Tanaka,"
	}
	// Organisations speak too: a speech verb marks a person only for a name
	// of more than one word.
	if !c.single && (speechNext(doc, ws, r.e) || b > 0 && !ws[b].punctBefore && isSpeech(prev)) {
		note("", text.Unknown)
	}
	// "in Nairobi", "the White House": a place or a thing.
	if b == r.k && b > 0 && (prev == "the" || text.PlacePreps[prev]) && c.role == "" && c.gender == text.Unknown {
		return c, false
	}
	return c, true
}

// newCast finds the people of doc: capitalised runs that their context marks
// as persons (see the package doc), surnames reused alone, and genders.
func newCast(doc string, sents []text.Sentence, quoted func(int) bool) *cast {
	c := &cast{doc: doc}
	c.sentOf = func(at int) int {
		return sort.Search(len(sents), func(i int) bool { return sents[i].End > at })
	}
	s := newScan(doc, quoted)
	orgCount := map[string]int{}
	midSentence := map[string]bool{}
	var found []candidate
	var singles []candidate // capitalised words alone, resolved against surnames later
	for _, r := range s.runs() {
		for j := r.k; j < r.e; j++ {
			w := bare(s.word(j))
			orgCount[w]++
			if j > r.k || !s.sentStart(j) {
				midSentence[w] = true
			}
		}
		switch cand, ok := s.candidate(r); {
		case !ok:
		case cand.single && !cand.strong:
			cand.subject = s.sentStart(r.k)
			singles = append(singles, cand)
		default:
			found = append(found, cand)
		}
	}
	c.link(found, singles)
	c.genders(s.ws, quoted)
	c.mainOrg = mainOrganisation(orgCount, midSentence, c.people)
	return c
}

// link makes people of the names found, in full first: their surnames and
// given names alone then refer back to them — to the one named in full
// last before, when two share one ("Hillary Clinton … Bill Clinton …
// Clinton said") — and short forms merge in.
func (c *cast) link(found, singles []candidate) {
	byName := map[string]int{}
	type ref struct{ who, at int }
	short := map[string][]ref{} // in text order
	for _, f := range found {
		i, ok := byName[f.name]
		if !ok {
			i = len(c.people)
			byName[f.name] = i
			c.people = append(c.people, person{name: f.name})
		}
		p := &c.people[i]
		if p.gender == text.Unknown {
			p.gender = f.gender
		}
		if f.role != "" {
			p.roles = append(p.roles, f.role)
		}
		keys := []string{f.key}
		if parts := strings.Fields(f.name); f.key == "" && len(parts) > 1 {
			keys = []string{parts[len(parts)-1], parts[0]}
		}
		for _, k := range keys {
			if k != "" {
				short[k] = append(short[k], ref{i, f.at})
			}
		}
		c.mentions = append(c.mentions, mention{at: f.at, end: f.end, who: i})
	}
	lookup := func(name string, at int) (int, bool) {
		refs := short[name]
		if len(refs) == 0 {
			return 0, false
		}
		k := sort.Search(len(refs), func(k int) bool { return refs[k].at >= at })
		return refs[max(k-1, 0)].who, true
	}
	for _, s := range singles {
		if i, ok := lookup(s.name, s.at); ok {
			c.mentions = append(c.mentions, mention{at: s.at, end: s.end, who: i})
		} else {
			c.unlinked = append(c.unlinked, s)
		}
	}

	// A one-word person ("Karima") known from a role may be the surname of
	// a person named in full.
	for i, m := range c.mentions {
		if p := c.people[m.who]; !strings.Contains(p.name, " ") {
			if j, ok := lookup(p.name, m.at); ok {
				c.mentions[i].who = j
			}
		}
	}
	c.merge()
	c.order()
}

// order sorts the mentions in text order and marks each sentence's first
// as its subject.
func (c *cast) order() {
	sort.Slice(c.mentions, func(i, j int) bool { return c.mentions[i].at < c.mentions[j].at })
	for i := range c.mentions {
		m := &c.mentions[i]
		m.sent = c.sentOf(m.at)
		m.subject = i == 0 || c.mentions[i-1].sent != m.sent
	}
}

// know links the one-word names that referred to no one here to the
// people of the story's other articles whose surname (else given name) it
// is, when exactly one person has it: two Clintons elsewhere leave
// "Clinton" to nobody.
func (c *cast) know(doc int, st *Story) {
	if len(c.unlinked) == 0 {
		return
	}
	added := map[string]int{} // a name → its index in c.people
	rest := c.unlinked[:0]
	for _, s := range c.unlinked {
		var only *storyPerson
		for i, sp := range st.byKey[s.name] {
			if sp.doc == doc || only != nil && only.name == sp.name {
				continue
			}
			if only != nil {
				only = nil
				break
			}
			only = &st.byKey[s.name][i]
		}
		if only == nil {
			rest = append(rest, s)
			continue
		}
		who, ok := added[only.name]
		if !ok {
			who = len(c.people)
			c.people = append(c.people, person{name: only.name, gender: only.gender})
			added[only.name] = who
		}
		c.mentions = append(c.mentions, mention{at: s.at, end: s.end, who: who})
	}
	c.unlinked = rest
	c.roles = nil
	c.order()
}

// mainOrganisation is the capitalised word met most often mid-sentence
// outside people's names: "the company" stands for it.
func mainOrganisation(count map[string]int, midSentence map[string]bool, people []person) string {
	inName := map[string]bool{}
	for _, p := range people {
		for _, w := range strings.Fields(p.name) {
			inName[w] = true
		}
	}
	best, bestN := "", 1
	for w, n := range count {
		lw := strings.ToLower(w)
		if inName[w] || !midSentence[w] || text.RoleNouns[lw] || text.OrgSuffixes[lw] || n < bestN || n == bestN && best != "" && w > best {
			continue
		}
		best, bestN = w, n
	}
	return best
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
			if p.gender != text.Unknown && q.gender != text.Unknown && p.gender != q.gender {
				continue // "Ms. Okafor" is not her brother
			}
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
