package briefs

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FollowUp answers a question in the light of earlier exchanges (oldest
// first): "what else did he say?" finds more from the last answer's
// speaker, "and in 2021?" or "what about Jassy?" re-asks the previous
// question with the new constraint, "tell me more" gives the next best
// sentences not yet cited. Anything else is a fresh question.
func (c *Corpus) FollowUp(question string, history []Exchange) Answer {
	if len(history) == 0 {
		return c.Ask(question)
	}
	ws := words(qaCleanQuestion(question))
	cited := qaCitedSet(history)
	exclude := func(s int) bool { return cited[c.sents[s].text] }
	last := history[len(history)-1]
	switch {
	case qaIsMoreRequest(ws):
		prev := c.resolve(history)
		// "More" widens: the earlier constraints become preferences.
		prev.strict = false
		for i := range prev.terms {
			prev.terms[i].required = false
		}
		hits := c.qa.search(c, prev, exclude, 2, minCoverage/2)
		if len(hits) == 0 {
			// Nothing else on the question itself: go on reading where the
			// last answer left off, as a person would.
			if s := c.nextUncited(last, cited); s >= 0 {
				hits = []qaHit{{sent: s}}
			}
		}
		a := c.answer(question, prev, hits)
		if !a.Answered {
			a.Answer = "The articles say nothing more about that."
		}
		return a
	case qaIsElseSaid(ws):
		return c.moreFromSpeaker(question, last, cited)
	}
	in := qaAnalyze(question)
	if qaHasPronoun(ws) {
		if who := c.lastPerson(history); who != "" {
			in = qaWithSpeaker(in, who)
		}
	}
	if qaIsConstraint(ws, in) {
		in = qaMergeIntent(c.resolve(history), in)
	}
	return c.answer(question, in, c.qa.search(c, in, nil, 2, minCoverage))
}

// resolve rebuilds the intent of the last question of history, carrying
// constraints through chains such as "how much did they lose?", "and in
// 2021?", "and in 2019?".
func (c *Corpus) resolve(history []Exchange) qaIntent {
	var cur qaIntent
	for i, ex := range history {
		in := qaAnalyze(ex.Question)
		ws := in.words
		switch {
		case i == 0:
			cur = in
		case qaIsMoreRequest(ws), qaIsElseSaid(ws):
			// keeps cur
		case qaIsConstraint(ws, in):
			cur = qaMergeIntent(cur, in)
		default:
			cur = in
		}
	}
	return cur
}

func qaCitedSet(history []Exchange) map[string]bool {
	m := map[string]bool{}
	for _, ex := range history {
		for _, ct := range ex.Answer.Citations {
			m[ct.Text] = true
		}
	}
	return m
}

func qaTrimmedWords(ws []string) string { return strings.Join(ws, " ") }

// qaIsMoreRequest recognises "tell me more", "more", "go on", "anything
// else?", "what else?" and the like.
func qaIsMoreRequest(ws []string) bool {
	switch qaTrimmedWords(ws) {
	case "more", "tell me more", "go on", "continue", "keep going", "anything else", "what else",
		"and", "more please", "tell me more please", "more details", "what more", "say more",
		"can you tell me more", "tell me more about that", "more about that", "anything more",
		"what else do they say", "what else do the articles say", "and then", "then what":
		return true
	}
	return false
}

var qaSpeechVerbs = setOf("say", "said", "says", "saying", "tell", "told", "quote", "quoted",
	"mention", "mentioned", "remark", "remarked", "add", "added", "claim", "claimed", "state", "stated")

// qaIsElseSaid recognises "what else did he say?", "did she say anything
// else?", "other quotes from him?".
func qaIsElseSaid(ws []string) bool {
	if qaIsMoreRequest(ws) {
		return false
	}
	other, speech := false, false
	for _, w := range ws {
		switch {
		case w == "else" || w == "other" || w == "more" || w == "again" || w == "another":
			other = true
		case qaSpeechVerbs[w] || w == "quotes":
			speech = true
		}
	}
	return other && speech
}

var qaPronouns = setOf("he", "she", "him", "her", "his", "hers", "they", "them", "their")

func qaHasPronoun(ws []string) bool {
	for _, w := range ws {
		if qaPronouns[w] {
			return true
		}
	}
	return false
}

// qaIsConstraint recognises a question that only adds a constraint to the
// previous one: "and in 2021?", "what about Jassy?", "how about Echo?", or
// a short fragment with no question word of its own.
func qaIsConstraint(ws []string, in qaIntent) bool {
	if len(ws) == 0 || qaIsMoreRequest(ws) {
		return false
	}
	j := qaTrimmedWords(ws)
	for _, p := range [...]string{"and ", "what about ", "how about ", "what of ", "and what about ", "same for ", "but "} {
		if strings.HasPrefix(j, p) {
			return true
		}
	}
	if j == "why" || j == "when" || j == "who" || j == "how much" || j == "where" || j == "how many" {
		return true
	}
	if len(in.terms) <= 2 && len(ws) <= 3 {
		switch ws[0] {
		case "what", "who", "when", "where", "why", "how", "which", "is", "are", "was", "were",
			"did", "does", "do", "can", "could", "will", "would", "has", "have", "had":
			return false
		}
		return true
	}
	return false
}

// qaMergeIntent applies a follow-up's constraint to the previous intent: its
// names and numbers replace the previous ones of the same kind, its other
// words are added, and every new word must appear in the answer. A new
// question word ("and when?") sets the answer type.
func qaMergeIntent(prev, next qaIntent) qaIntent {
	out := prev
	out.terms = nil
	numeric := func(q qaQword) bool { return q.surf != "" && q.surf[0] >= '0' && q.surf[0] <= '9' }
	for _, t := range prev.terms {
		replaced := false
		for _, n := range next.terms {
			if t.entity && n.entity && numeric(t) == numeric(n) {
				replaced = true
			}
		}
		if !replaced {
			t.required = false
			out.terms = append(out.terms, t)
		}
	}
	for _, n := range next.terms {
		n.required = true
		n.weight = max(n.weight, 1.5)
		dup := false
		for i, t := range out.terms {
			if t.term == n.term {
				out.terms[i] = n
				dup = true
			}
		}
		if !dup {
			out.terms = append(out.terms, n)
		}
	}
	if next.want != 0 {
		out.want, out.strict = next.want, next.strict
	}
	out.entities = append(append([]string{}, prev.entities...), next.entities...)
	// "What did Limp say?" then "what about Jassy?" asks what the
	// articles say of Jassy, quoted or not; and a constraint turns "what
	// happened?" into a search.
	if out.speaker != "" && !slices.ContainsFunc(out.terms, func(t qaQword) bool { return t.term == out.speaker }) {
		out.speaker = ""
	}
	if len(next.terms) > 0 {
		out.generic = false
	}
	return out
}

// qaWithSpeaker resolves a pronoun to the person of the previous answer: the
// person's surname becomes a required term.
func qaWithSpeaker(in qaIntent, who string) qaIntent {
	ws := words(who)
	if len(ws) == 0 {
		return in
	}
	sur := ws[len(ws)-1]
	in.terms = append(in.terms, qaQword{term: qaNorm(sur), surf: sur, weight: 1.5, entity: true, required: true})
	return in
}

// lastPerson is the person the last answer is about: the speaker of its
// quote, or the first name it mentions.
func (c *Corpus) lastPerson(history []Exchange) string {
	for i := len(history) - 1; i >= 0; i-- {
		for _, ct := range history[i].Answer.Citations {
			if sp := c.speakerOf(ct.Text); sp != "" {
				return sp
			}
		}
	}
	return ""
}

// moreFromSpeaker answers "what else did he say?": other quotes of the last
// answer's speaker, else other sentences about that speaker, never one
// already cited.
func (c *Corpus) moreFromSpeaker(question string, last Exchange, cited map[string]bool) Answer {
	a := Answer{Question: question, Citations: []Citation{}}
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
	var picks []int
	seen := map[string]bool{}
	add := func(s int) {
		t := c.sents[s].text
		if len(picks) < 2 && !cited[t] && !seen[t] {
			seen[t] = true
			picks = append(picks, s)
		}
	}
	for _, q := range c.Quotes() {
		if qaSameSpeaker(q.Speaker, speaker) {
			if s := c.sentenceOf(q.Source, q.Sentence); s >= 0 {
				add(s)
			}
		}
	}
	if len(picks) == 0 {
		for s := range c.sents {
			if qaMentions(c.sents[s].text, speaker) {
				add(s)
			}
		}
	}
	if len(picks) == 0 {
		a.Answer = "The articles don't say anything else from " + speaker + "."
		return a
	}
	hits := make([]qaHit, len(picks))
	for i, s := range picks {
		hits[i] = qaHit{sent: s}
	}
	return c.answer(question, qaIntent{}, hits)
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
// descriptive subject before a speech verb ("a former Amazon employee").
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
	if n := qaLastName(head); n != "" {
		return n
	}
	if n := qaLastName(text); n != "" {
		return n
	}
	return qaSubjectBeforeVerb(head)
}

// qaLastName returns the last run of two or three title-case words in s (a
// first and last name), or "".
func qaLastName(s string) string {
	var best string
	var cur []string
	flush := func() {
		if len(cur) >= 2 && len(cur) <= 3 {
			best = strings.Join(cur, " ")
		}
		cur = cur[:0]
	}
	for _, tok := range strings.Fields(s) {
		w := strings.TrimRightFunc(tok, func(r rune) bool { return !unicode.IsLetter(r) })
		w = strings.TrimSuffix(strings.TrimSuffix(w, "’s"), "'s")
		if qaTitle(w) && !isStop(strings.ToLower(w)) && !qaNotNames[strings.ToLower(w)] {
			cur = append(cur, w)
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

// qaNotNames are capitalised words that start sentences or name
// organisations more often than people.
var qaNotNames = setOf("former", "despite", "however", "since", "under", "although", "after",
	"before", "during", "according", "street", "journal", "news", "times", "post", "inc",
	"corp", "company", "group", "university", "prize", "nobel", "web", "services", "general",
	"intelligence", "artificial", "devices", "wall", "instead", "yet", "unfortunately", "meanwhile")

func qaTitle(w string) bool {
	if w == "" {
		return false
	}
	r, size := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) || size == len(w) {
		return false
	}
	for _, r := range w[size:] {
		if !unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// qaSubjectBeforeVerb returns the words before the first speech verb or
// "-ly" adverb of s, without a leading article: "A former Amazon employee
// candidly remarked" → "former Amazon employee".
func qaSubjectBeforeVerb(s string) string {
	toks := strings.Fields(s)
	for i, tok := range toks {
		w := strings.ToLower(strings.TrimFunc(tok, func(r rune) bool { return !unicode.IsLetter(r) }))
		if qaSpeechVerbs[w] || strings.HasSuffix(w, "ly") && i > 0 || w == "stating" || w == "saying" || w == "wrote" || w == "says" {
			subj := toks[:i]
			if len(subj) > 0 {
				switch strings.ToLower(subj[0]) {
				case "a", "an", "the", "one":
					subj = subj[1:]
				}
			}
			if len(subj) == 0 || len(subj) > 6 {
				return ""
			}
			return strings.Join(subj, " ")
		}
	}
	return ""
}

// qaSameSpeaker compares speakers loosely: the same surname, or the same
// description.
func qaSameSpeaker(a, b string) bool {
	na, nb := qaIsName(a), qaIsName(b)
	switch {
	case na != nb:
		return false
	case na:
		wa, wb := words(a), words(b)
		return wa[len(wa)-1] == wb[len(wb)-1]
	}
	return qaMentions(a, b) && qaMentions(b, a)
}

// qaIsName reports whether a speaker is named ("Dave Limp") rather than
// described ("a former Amazon employee").
func qaIsName(s string) bool {
	fs := strings.Fields(s)
	return len(fs) > 0 && len(words(s)) > 0 && qaTitle(strings.TrimRightFunc(fs[len(fs)-1], func(r rune) bool { return !unicode.IsLetter(r) }))
}

// qaMentions reports whether text refers to who: by surname for a name, by
// all the content words of a description otherwise.
func qaMentions(text, who string) bool {
	tw := map[string]bool{}
	for _, w := range words(text) {
		tw[qaNorm(w)] = true
	}
	if qaIsName(who) {
		ws := words(who)
		return tw[qaNorm(ws[len(ws)-1])]
	}
	// A description must appear as a phrase: its content words in order,
	// close together ("a former senior Amazon employee").
	var want []string
	for _, w := range words(who) {
		if !isStop(w) {
			want = append(want, qaNorm(w))
		}
	}
	if len(want) == 0 {
		return false
	}
	tws := words(text)
	for i := range tws {
		k, j := 0, i
		for ; j < len(tws) && j-i < len(want)+3 && k < len(want); j++ {
			if qaNorm(tws[j]) == want[k] {
				k++
			}
		}
		if k == len(want) && qaNorm(tws[i]) == want[0] {
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
