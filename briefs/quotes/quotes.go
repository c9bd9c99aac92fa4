package quotes

import (
	"sort"
	"strings"
	"unicode"

	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// Quote is one piece of direct speech in an article.
type Quote struct {
	Text     text.Span // inside the quote marks, trimmed of space; verbatim
	Sentence text.Span // the sentence holding it (the sentences, for a quote left open to its paragraph's end)
	Speaker  string    // as the article names them
}

// reach is how many words before a quotation its speech verb may be.
const reach = 14

// Extract finds the direct speech of doc and its speakers, in text order.
// sents are doc's sentences (text.Segment(doc) when nil); a caller that
// has segmented the article already passes its own, so that every quote's
// Sentence is one of them (or, for a quotation left open to the end of its
// paragraph, as news copy does, the run of them to that end).
func Extract(doc string, sents []text.Sentence) []Quote {
	return Prepare(doc, sents).Quotes()
}

// Article is an article read for its quotations and its people, before
// speakers are attributed: a story's articles are prepared first, so that
// each may know who the others name (Story.Know).
type Article struct {
	doc   string
	sents []text.Sentence
	all   []found
	c     *cast
}

// found is one quotation of an article.
type found struct {
	q    text.Quotation // offsets into doc
	sent int
	last int // the last sentence it runs through
}

// Prepare finds doc's quotations and people; sents as for Extract.
func Prepare(doc string, sents []text.Sentence) *Article {
	if sents == nil {
		sents = text.Segment(doc)
	}
	var all []found
	for i := 0; i < len(sents); i++ {
		s := sents[i]
		qs := text.Quotations(doc[s.Start:s.End], true)
		for k, q := range qs {
			q.Open += s.Start
			q.Close += s.Start
			f := found{q, i, i}
			if q.MarkLen == 0 && k == len(qs)-1 {
				// Left open: the quotation runs on to the end of the
				// paragraph, or to the sentence before the next mark.
				for f.last+1 < len(sents) && sents[f.last+1].Para == s.Para && !strings.ContainsAny(doc[sents[f.last+1].Start:sents[f.last+1].End], "“”\"") {
					f.last++
				}
				f.q.Close = sents[f.last].End
			}
			all = append(all, f)
		}
		if n := len(all); n > 0 && all[n-1].sent == i {
			i = all[n-1].last
		}
	}
	// Its people are read even without speech: another article of the
	// story may quote them by surname alone.
	a := &Article{doc: doc, sents: sents, all: all}
	quoted := func(at int) bool {
		k := sort.Search(len(all), func(k int) bool { return all[k].q.Close > at })
		return k < len(all) && all[k].q.Open < at
	}
	a.c = newCast(doc, sents, quoted)
	return a
}

// Story is who the articles of a story name in full, by surname and
// given name: a follow-up report writes "Kowalski said" of the Ana
// Kowalski its first report introduced.
type Story struct {
	byKey map[string][]storyPerson
}

// storyPerson is someone an article of a story names in full.
type storyPerson struct {
	name   string
	gender text.Gender
	doc    int
}

// NewStory indexes the people of the articles (two name words or more),
// with the gender each article's text states or its pronouns tell.
func NewStory(arts []*Article) *Story {
	st := &Story{byKey: map[string][]storyPerson{}}
	for d, a := range arts {
		for _, p := range a.c.people {
			f := strings.Fields(p.name)
			if len(f) < 2 {
				continue
			}
			sp := storyPerson{p.name, p.gender, d}
			st.byKey[f[len(f)-1]] = append(st.byKey[f[len(f)-1]], sp)
			if f[0] != f[len(f)-1] {
				st.byKey[f[0]] = append(st.byKey[f[0]], sp)
			}
		}
	}
	return st
}

// Know lets article d's surnames and given names alone, those that refer
// to no one it names itself, refer to the one person of the story's other
// articles who has that name.
func (st *Story) Know(d int, a *Article) {
	a.c.know(d, st)
}

// Quotes attributes the article's quotations, in text order.
func (a *Article) Quotes() []Quote {
	if len(a.all) == 0 {
		return nil
	}
	doc, sents, all, c := a.doc, a.sents, a.all, a.c
	var out []Quote
	last := struct {
		speaker   string
		sent, end int
		para      int
	}{sent: -10, end: -10, para: -10}
	// pending is the index in out of a quotation left open to its
	// paragraph's end with nobody to go on from, whose speaker may come in
	// the next paragraph; pendEnd and pendPara are where it ends.
	pending, pendEnd, pendPara := -1, 0, 0
	for _, f := range all {
		s := sents[f.sent]
		sentence := doc[s.Start:s.End]
		inner := strings.TrimSpace(f.q.Inner(doc))
		if !strings.ContainsFunc(inner, unicode.IsLetter) {
			continue
		}
		pre := doc[s.Start:f.q.Open]
		post := ""
		if f.q.MarkLen > 0 {
			post = sentence[f.q.Close+f.q.MarkLen-s.Start:]
		}
		recent := last.speaker != "" && (f.sent-last.end <= 1 || s.Para-last.para <= 1 && f.sent-last.end <= 3)
		speaker, ok := "", false
		resolve := func(p phrase, base int) {
			if name := c.resolve(p.np, base+p.off); validSpeaker(name) {
				speaker, ok = name, true
			}
		}
		// “Project Phoenix”, "called it “…”": a name, not speech.
		named := isName(inner) || namesSomething(pre)
		if !named && continuation(inner) && recent {
			// “and that loan is now gone.” goes on with the last
			// speaker's words.
			speaker, ok = last.speaker, true
		}
		if !ok && !named {
			if p, found := after(post); found {
				resolve(p, f.q.Close+f.q.MarkLen)
			}
		}
		if !ok && !named && opensClause(pre) {
			if p, found := before(pre, reach); found {
				resolve(p, s.Start)
			}
		}
		if !ok && !named && strings.HasSuffix(strings.TrimSpace(pre), ":") {
			// "…doesn’t surprise the pollster Daron Shaw: “…”": the
			// person named right before the colon.
			if name, found := c.endingAt(s.Start + len(strings.TrimRight(strings.TrimSpace(pre), ":"))); found {
				speaker, ok = name, true
			}
		}
		whole := wholeSentence(doc, s.Span, f.q)
		if !ok && !named && whole && f.q.MarkLen > 0 && f.last+1 < len(sents) && sents[f.last+1].Para == s.Para &&
			strings.ContainsRune("?!", lastRune(strings.TrimSpace(f.q.Inner(doc)))) {
			// “Why bother?” Lee asked: a question or exclamation may end
			// the sentence before its attribution.
			next := sents[f.last+1]
			if p, found := after(" " + doc[next.Start:next.End]); found {
				resolve(p, next.Start-1)
			}
		}
		if !ok && !named && whole {
			speaker, ok = c.neighbour(doc, sents, f.sent, last.speaker, last.end, last.para)
		}
		// A quotation inside a clause: a partial quotation of someone's
		// words when long enough (“a bet on a market that doesn’t exist
		// yet”), a scare-quoted term when short (“growth engine”).
		if !ok && !named && !whole && len(strings.Fields(inner)) >= 4 {
			if p, found := before(pre, reach); found {
				resolve(p, s.Start)
			}
			if !ok {
				if p, found := subjectOf(pre); found {
					resolve(p, s.Start)
				}
			}
		}
		if ok && pending >= 0 && f.sent-pendEnd <= 2 && s.Para == pendPara+1 {
			out[pending].Speaker = speaker
		}
		if pending >= 0 && out[pending].Speaker == "" {
			out = append(out[:pending], out[pending+1:]...)
		}
		pending = -1
		if !ok {
			if !named && whole && f.q.MarkLen == 0 && f.last+1 < len(sents) && sents[f.last+1].Para == s.Para+1 {
				// “A. ¶ “B,” she said: the speaker of a paragraph left
				// open comes in the next one.
				pending, pendEnd, pendPara = len(out), f.last, sents[f.last].Para
			} else {
				continue
			}
		}
		if ok {
			last.speaker, last.sent, last.end, last.para = speaker, f.sent, f.last, sents[f.last].Para
		}
		start := f.q.Open + len(string(firstRune(doc[f.q.Open:])))
		start += len(doc[start:f.q.Close]) - len(strings.TrimLeftFunc(doc[start:f.q.Close], unicode.IsSpace))
		out = append(out, Quote{
			Text:     text.Span{Start: start, End: start + len(inner)},
			Sentence: text.Span{Start: s.Start, End: sents[f.last].End},
			Speaker:  speaker,
		})
	}
	if pending >= 0 && out[pending].Speaker == "" {
		out = append(out[:pending], out[pending+1:]...)
	}
	return out
}

// validSpeaker rejects what the attribution patterns may catch that names
// nobody: a lone function word ("and", "which"), a verb phrase ("went on
// to"), a headline in capitals.
func validSpeaker(s string) bool {
	f := strings.Fields(s)
	if len(f) == 0 || strings.ContainsAny(s, "“”\"") {
		return false
	}
	first := strings.ToLower(strings.Trim(f[0], ",.;:"))
	if clauseWord(first) || text.Prepositions[first] || looksVerb(f[0]) || isSpeech(first) {
		return false
	}
	content := 0
	for _, w := range f {
		lw := strings.ToLower(strings.Trim(w, ",.;:"))
		if _, pron := text.Pronouns[lw]; pron || !text.IsStop(lw) {
			content++
		}
	}
	if content == 0 {
		return false
	}
	caps := 0
	for _, w := range f {
		if isAllCaps(w) {
			caps++
		}
	}
	return caps < 2 || caps < len(f)
}

// neighbour attributes a quotation that is a whole sentence from the
// sentences around it: a sentence before it that hands over ("Lee said:",
// "– Michael P. McDonald:"), or the speaker of a quotation just before in
// the same or the previous paragraph (news copy goes on quoting paragraph
// after paragraph).
func (c *cast) neighbour(doc string, sents []text.Sentence, i int, lastSpeaker string, lastEnd, lastPara int) (string, bool) {
	s := sents[i]
	if i > 0 {
		prev := sents[i-1]
		if p, speech, ok := colonIntro(doc[prev.Start:prev.End]); ok && prev.Para >= s.Para-1 {
			if name := c.resolve(p.np, prev.Start+p.off); validSpeaker(name) && (speech || c.names(prev.Start+p.off, len(p.np))) {
				return name, true
			}
		}
	}
	if lastSpeaker != "" && i-lastEnd <= 2 && (s.Para == lastPara || s.Para == lastPara+1) {
		return lastSpeaker, true
	}
	return "", false
}

// wholeSentence reports a quotation that is the whole of sentence sp:
// nothing but space and punctuation outside its marks.
func wholeSentence(doc string, sp text.Span, q text.Quotation) bool {
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	if strings.ContainsFunc(doc[sp.Start:q.Open], word) {
		return false
	}
	return q.Close+q.MarkLen >= sp.End || !strings.ContainsFunc(doc[q.Close+q.MarkLen:sp.End], word)
}

// continuation reports a partial quotation that carries on earlier speech.
func continuation(inner string) bool {
	f, _, _ := strings.Cut(strings.TrimSpace(inner), " ")
	return text.Coordinators[f] // lower case: "But…" opens speech of its own
}
