package briefs

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alexa-brief/alexa-brief/briefs/rank"
	txt "github.com/alexa-brief/alexa-brief/briefs/text"
)

// FollowUp answers a question in the light of earlier exchanges (oldest
// first): "what else did he say?" finds more from the last answer's
// speaker, "and in 2021?" or "what about Ortega?" re-asks the previous
// question with the new constraint, "tell me more" gives the next best
// sentences not yet cited. Anything else, a question that names its own
// subject included, is a fresh question. A follow-up refers to the most
// recent exchange only (as that one resolved: "and in 2019?" after "and in
// 2021?"); older topics never leak in, they only keep their citations from
// being given again.
func (c *Corpus) FollowUp(question string, history []Exchange) Answer {
	if len(history) == 0 {
		return c.Ask(question)
	}
	q := rank.Analyze(question)
	cited := citedSet(history)
	exclude := func(s int) bool { return cited[c.sents[s].text] }
	last := history[len(history)-1]
	switch {
	case q.IsMore():
		prev := resolve(history)
		// "More" widens: the earlier constraints become preferences, and
		// the next best sentence is given even below the threshold.
		prev.Required = nil
		r := c.search(prev, exclude)
		if len(r.ranked) > 0 && !r.empty && len(r.missing) == 0 && r.ranked[0].Prob >= ranker.Threshold/2 {
			r.sure = true
		} else if s := c.nextUncited(last, cited); s >= 0 {
			// Nothing else on the question itself: go on reading where
			// the last answer left off, as a person would.
			r = result{ranked: []rank.Scored{{Sent: s}}, sure: true}
		}
		a := c.answer(question, r)
		if !a.Answered {
			a.Answer = "The articles say nothing more about that."
		}
		return a
	case q.IsElseSaid():
		return c.moreFromSpeaker(question, last, cited)
	}
	if q.HasPronoun() {
		if who := c.lastPerson(last); who != "" {
			q = q.About(who)
		}
	}
	if !followsUp(q) {
		return c.answer(question, c.search(q, nil))
	}
	onlyNames := len(q.Terms) > 0
	for _, t := range q.Terms {
		onlyNames = onlyNames && q.Names[t]
	}
	q = narrow(resolve(history), q)
	r := c.search(q, nil)
	if onlyNames && q.Want == 0 && q.Speaker == "" {
		// "What about Ortega?" asks what the articles say of Ortega: any
		// sentence that names Ortega (required) answers.
		r.sure = len(r.ranked) > 0 && len(r.missing) == 0
	}
	return c.answer(question, r)
}

// resolve rebuilds the question of the last exchange of history, carrying
// constraints through chains such as "how much did they lose?", "and in
// 2021?", "and in 2019?". A fresh question starts the chain again, so only
// the exchanges from the last fresh one on are analysed (the first
// exchange always starts one): analysing the whole history was most of a
// follow-up's cost.
func resolve(history []Exchange) rank.Question {
	chain := make([]rank.Question, 0, len(history))
	for i := len(history) - 1; i >= 0; i-- {
		q := rank.Analyze(history[i].Question)
		chain = append(chain, q)
		if i == 0 || !(q.IsMore() || q.IsElseSaid() || followsUp(q)) {
			break
		}
	}
	slices.Reverse(chain)
	cur := chain[0]
	for _, q := range chain[1:] {
		// Each is "more", "else said" or, failing those, a follow-up.
		if !q.IsMore() && !q.IsElseSaid() {
			cur = narrow(cur, q)
		}
	}
	return cur
}

// followsUp reports whether q only narrows the question before it. A
// fragment that names its own subject ("surrogate Amazon") is a new
// question, not a constraint on the last one; only an explicit opener
// ("what about Amazon?", "and Jassy?") makes a named subject a follow-up.
// Numbers never make a subject: "in 2021?" narrows.
func followsUp(q rank.Question) bool {
	if !q.IsConstraint() {
		return false
	}
	j := strings.Join(q.Words, " ")
	for _, p := range txt.ConstraintOpeners {
		if strings.HasPrefix(j, p) {
			return true
		}
	}
	for _, t := range q.Terms {
		if q.Names[t] && !unicode.IsDigit([]rune(t)[0]) {
			return false
		}
	}
	return true
}

// narrow applies follow-up next to prev. rank's Narrow replaces prev's
// names with next's but keeps every entity phrase of both, so a replaced
// name ("Zorblax", then "what about Amazon?") would still be looked for and
// declined as never mentioned: only the entities whose terms are still
// asked about are kept.
func narrow(prev, next rank.Question) rank.Question {
	out := prev.Narrow(next)
	asked := map[string]bool{}
	for _, t := range out.Terms {
		asked[t] = true
	}
	var ents []string
	for _, e := range out.Entities {
		keep := false
		for _, t := range txt.Terms(e) {
			keep = keep || asked[t]
		}
		if keep && !slices.Contains(ents, e) {
			ents = append(ents, e)
		}
	}
	out.Entities = ents
	return out
}

func citedSet(history []Exchange) map[string]bool {
	m := map[string]bool{}
	for _, ex := range history {
		for _, ct := range ex.Answer.Citations {
			m[ct.Text] = true
		}
	}
	return m
}

// lastPerson is the person the last answer is about: the speaker of its
// quotes, or the name it mentions. Only the last: "he" after an answer
// about no one is no one, not someone from two questions back.
func (c *Corpus) lastPerson(last Exchange) string {
	for _, ct := range last.Answer.Citations {
		if sp := c.speakerOf(ct.Text); sp != "" {
			return sp
		}
	}
	return ""
}

// moreFromSpeaker answers "what else did he say?": other quotes of the last
// answer's speaker, else other sentences about that speaker, never one
// already cited.
func (c *Corpus) moreFromSpeaker(question string, last Exchange, cited map[string]bool) Answer {
	a := Answer{Question: question, Citations: []Citation{}, Nearest: []Citation{}}
	speaker := ""
	for _, ct := range last.Answer.Citations {
		if speaker = c.speakerOf(ct.Text); speaker != "" {
			break
		}
	}
	if speaker == "" {
		a.Answer = "The articles don't say: I can't tell who the last answer quotes."
		return a
	}
	var picks []rank.Scored
	seen := map[string]bool{}
	add := func(s int) {
		t := c.sents[s].text
		if len(picks) < 2 && !cited[t] && !seen[t] {
			seen[t] = true
			picks = append(picks, rank.Scored{Sent: s, Prob: 1})
		}
	}
	for _, q := range c.Quotes() {
		if sameSpeaker(q.Speaker, speaker) {
			if s := c.sentenceOf(q.Source, q.Sentence); s >= 0 {
				add(s)
			}
		}
	}
	if len(picks) == 0 {
		for s := range c.sents {
			if mentions(c.sents[s].text, speaker) {
				add(s)
			}
		}
	}
	if len(picks) == 0 {
		a.Answer = "The articles don't say anything else from " + speaker + "."
		return a
	}
	// The speaker's own quotes answer by rule, each given.
	r := result{ranked: picks, sure: true, lead: true}
	return c.answer(question, r)
}

// sentenceOf finds the sentence of article id containing text.
func (c *Corpus) sentenceOf(id, text string) int {
	for d, a := range c.articles {
		if a.ID != id {
			continue
		}
		for _, s := range c.byDoc[d] {
			if strings.Contains(c.sents[s].text, text) || strings.Contains(text, c.sents[s].text) {
				return s
			}
		}
	}
	return -1
}

// speakerOf names who a sentence quotes or is about: the speaker the quote
// extractor found, else the last full name before the quote mark, else the
// descriptive subject before a speech verb ("a former senior employee").
func (c *Corpus) speakerOf(text string) string {
	for _, q := range c.Quotes() {
		if q.Sentence == text || strings.Contains(text, q.Sentence) || strings.Contains(q.Sentence, text) {
			if q.Speaker != "" {
				return q.Speaker
			}
		}
	}
	head := text
	if i := strings.IndexAny(text, "“\""); i >= 0 {
		head = text[:i]
	}
	if n := lastName(head); n != "" {
		return n
	}
	if n := lastName(text); n != "" {
		return n
	}
	return subjectBeforeVerb(head)
}

// lastName returns the last run of two or three title-case words in s (a
// first and last name) that is not the sentence's first word and holds no
// organisation or place word, or "".
func lastName(s string) string {
	var best string
	var cur []string
	org := false
	flush := func() {
		if len(cur) >= 2 && len(cur) <= 3 && !org {
			best = strings.Join(cur, " ")
		}
		cur, org = cur[:0], false
	}
	for i, tok := range strings.Fields(s) {
		w := strings.TrimRightFunc(tok, func(r rune) bool { return !unicode.IsLetter(r) })
		w = strings.TrimSuffix(strings.TrimSuffix(w, "’s"), "'s")
		lw := strings.ToLower(w)
		if i > 0 && nameCase(w) && !txt.IsStop(lw) && !txt.Months[lw] && !txt.Weekdays[lw] {
			cur = append(cur, w)
			org = org || txt.OrgSuffixes[lw]
		} else {
			flush()
		}
		if w != tok && !strings.HasSuffix(tok, "’s") && !strings.HasSuffix(tok, "'s") {
			flush() // punctuation ends a name
		}
	}
	flush()
	return best
}

func nameCase(w string) bool {
	r, size := utf8.DecodeRuneInString(w)
	if w == "" || !unicode.IsUpper(r) || size == len(w) {
		return false
	}
	for _, r := range w[size:] {
		if !unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// subjectBeforeVerb returns the words before the first speech verb or
// "-ly" adverb of s, without a leading article: "A former senior employee
// candidly remarked" → "former senior employee".
func subjectBeforeVerb(s string) string {
	toks := strings.Fields(s)
	for i, tok := range toks {
		w := strings.ToLower(strings.TrimFunc(tok, func(r rune) bool { return !unicode.IsLetter(r) }))
		if txt.SpeechVerbs[w] || strings.HasSuffix(w, "ly") && i > 0 {
			subj := toks[:i]
			if len(subj) > 0 && txt.Determiners[strings.ToLower(subj[0])] {
				subj = subj[1:]
			}
			if len(subj) == 0 || len(subj) > 6 {
				return ""
			}
			return strings.Join(subj, " ")
		}
	}
	return ""
}

// sameSpeaker compares speakers loosely: the same surname, or the same
// description.
func sameSpeaker(a, b string) bool {
	na, nb := isName(a), isName(b)
	switch {
	case na != nb:
		return false
	case na:
		wa, wb := txt.Words(a), txt.Words(b)
		return wa[len(wa)-1] == wb[len(wb)-1]
	}
	return mentions(a, b) && mentions(b, a)
}

// isName reports whether a speaker is named ("Marisol Ortega") rather
// than described ("a former employee").
func isName(s string) bool {
	fs := strings.Fields(s)
	return len(fs) > 0 && len(txt.Words(s)) > 0 && nameCase(strings.TrimRightFunc(fs[len(fs)-1], func(r rune) bool { return !unicode.IsLetter(r) }))
}

// mentions reports whether text refers to who: by surname for a name, by
// all the content words of a description otherwise, in order and close
// together.
func mentions(text, who string) bool {
	tws := txt.Words(text)
	if isName(who) {
		ws := txt.Words(who)
		sur := txt.Norm(ws[len(ws)-1])
		for _, w := range tws {
			if txt.Norm(w) == sur {
				return true
			}
		}
		return false
	}
	var want []string
	for _, w := range txt.Words(who) {
		if !txt.IsStop(w) {
			want = append(want, txt.Norm(w))
		}
	}
	if len(want) == 0 {
		return false
	}
	for i := range tws {
		if txt.Norm(tws[i]) != want[0] {
			continue
		}
		k := 0
		for j := i; j < len(tws) && j-i < len(want)+3 && k < len(want); j++ {
			if txt.Norm(tws[j]) == want[k] {
				k++
			}
		}
		if k == len(want) {
			return true
		}
	}
	return false
}

// nextUncited returns the sentence after the last answer's last citation in
// its article, when not cited yet, else -1.
func (c *Corpus) nextUncited(last Exchange, cited map[string]bool) int {
	cs := last.Answer.Citations
	if len(cs) == 0 {
		return -1
	}
	ct := cs[len(cs)-1]
	for d, a := range c.articles {
		if a.ID != ct.Source {
			continue
		}
		ids := c.byDoc[d]
		for i, s := range ids {
			if c.sents[s].text == ct.Text && i+1 < len(ids) && !cited[c.sents[ids[i+1]].text] {
				return ids[i+1]
			}
		}
	}
	return -1
}
