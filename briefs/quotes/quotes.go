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
	Sentence text.Span // the sentence holding it
	Speaker  string    // as the article names them
}

// Extract finds the direct speech of doc and its speakers, in text order.
// sents are doc's sentences (text.Segment(doc) when nil); a caller that
// has segmented the article already passes its own, so that every quote's
// Sentence is one of them.
func Extract(doc string, sents []text.Sentence) []Quote {
	if sents == nil {
		sents = text.Segment(doc)
	}
	type found struct {
		q    text.Quotation // offsets into doc
		sent int
	}
	var all []found
	for i, s := range sents {
		for _, q := range text.Quotations(doc[s.Start:s.End], true) {
			q.Open += s.Start
			q.Close += s.Start
			all = append(all, found{q, i})
		}
	}
	if len(all) == 0 {
		return nil
	}
	quoted := func(at int) bool {
		k := sort.Search(len(all), func(k int) bool { return all[k].q.Close > at })
		return k < len(all) && all[k].q.Open < at
	}
	c := newCast(doc, sents, quoted)
	var out []Quote
	last := struct {
		speaker string
		sent    int
		para    int
	}{sent: -10, para: -10}
	for qi, f := range all {
		s := sents[f.sent]
		sentence := doc[s.Start:s.End]
		q := f.q
		q.Open -= s.Start
		q.Close -= s.Start
		inner := strings.TrimSpace(q.Inner(sentence))
		if !strings.ContainsFunc(inner, unicode.IsLetter) {
			continue
		}
		pre := sentence[:q.Open]
		post := ""
		if q.Close+q.MarkLen <= len(sentence) {
			post = sentence[q.Close+q.MarkLen:]
		}
		recent := last.speaker != "" && (f.sent-last.sent <= 1 || s.Para-last.para <= 1 && f.sent-last.sent <= 3)
		speaker, ok := "", false
		switch {
		case isName(inner) || namesSomething(pre):
		case continuation(inner) && recent:
			// “and that loan is now gone.” goes on with the last
			// speaker's words.
			speaker, ok = last.speaker, true
		default:
			if p, found := after(post); found {
				speaker, ok = c.resolve(p.np, s.Start+q.Close+q.MarkLen+p.off), true
				break
			}
			if opensClause(pre) {
				if p, found := before(pre); found {
					speaker, ok = c.resolve(p.np, s.Start+p.off), true
					break
				}
			}
			whole := wholeSentence(sentence, q)
			if whole {
				speaker, ok = c.neighbour(doc, sents, f.sent, qi, last.speaker, last.sent, last.para)
				if ok {
					break
				}
			}
			// A quotation inside a clause: a partial quotation of
			// someone's words when long enough (“a bet on a market that
			// doesn’t exist yet”), a scare-quoted term when short
			// (“growth engine”).
			if whole || len(strings.Fields(inner)) < 4 {
				break
			}
			if p, found := before(pre); found {
				speaker, ok = c.resolve(p.np, s.Start+p.off), true
			} else if p, found := subjectOf(pre); found {
				speaker, ok = c.resolve(p.np, s.Start+p.off), true
			}
		}
		if !ok {
			continue
		}
		last.speaker, last.sent, last.para = speaker, f.sent, s.Para
		lead := len(q.Inner(sentence)) - len(strings.TrimLeftFunc(q.Inner(sentence), unicode.IsSpace))
		_, open := firstMark(sentence[q.Open:])
		start := s.Start + q.Open + open + lead
		out = append(out, Quote{
			Text:     text.Span{Start: start, End: start + len(inner)},
			Sentence: s.Span,
			Speaker:  speaker,
		})
	}
	return out
}

// neighbour attributes a quotation that is a whole sentence from the
// sentences around it: the speaker of a quotation just before in the same
// or the previous paragraph (news copy goes on quoting paragraph after
// paragraph), a sentence before it that hands over ("Lee said:"), or an
// attribution in the next sentence of its paragraph ("“…” That was how
// Lee put it.").
func (c *cast) neighbour(doc string, sents []text.Sentence, i, qi int, lastSpeaker string, lastSent, lastPara int) (string, bool) {
	s := sents[i]
	if i > 0 {
		prev := sents[i-1]
		if p, ok := colonIntro(doc[prev.Start:prev.End]); ok && prev.Para >= s.Para-1 {
			return c.resolve(p.np, prev.Start+p.off), true
		}
	}
	if lastSpeaker != "" && (s.Para == lastPara && i-lastSent <= 2 || s.Para == lastPara+1 && i-lastSent <= 2) {
		return lastSpeaker, true
	}
	return "", false
}

// firstMark returns the opening mark at the start of s and its length.
func firstMark(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}

// wholeSentence reports a quotation that is the whole sentence: nothing but
// space and punctuation outside its marks.
func wholeSentence(s string, q text.Quotation) bool {
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	if strings.ContainsFunc(s[:q.Open], word) {
		return false
	}
	return q.Close+q.MarkLen > len(s) || !strings.ContainsFunc(s[q.Close+q.MarkLen:], word)
}

// continuation reports a partial quotation that carries on earlier speech.
func continuation(inner string) bool {
	f, _, _ := strings.Cut(strings.TrimSpace(inner), " ")
	switch f {
	case "and", "but", "or", "so":
		return true
	}
	return false
}
