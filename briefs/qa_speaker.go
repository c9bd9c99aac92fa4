package briefs

import "strings"

// Who says what: "what did X say?" is answered only by a sentence in which
// X speaks.

// qaSpeechMarks are the words that attribute speech in a sentence; the
// speaker stands before them ("Fraser said", "the director told
// reporters") or, for those in qaSpeechInverted, just after ("said Marisol
// Ortega", "according to the finance report").
var (
	qaSpeechMarks = setOf("say", "says", "said", "tell", "tells", "told", "write", "writes",
		"wrote", "add", "adds", "added", "state", "states", "stated", "warn", "warns", "warned",
		"argue", "argues", "argued", "explain", "explains", "explained", "note", "notes", "noted",
		"ask", "asks", "asked", "reply", "replies", "replied", "insist", "insists", "insisted",
		"claim", "claims", "claimed", "according", "announce", "announces", "announced")
	qaSpeechInverted = setOf("says", "said", "added", "asked", "replied", "according")
	// qaSpeechAddressee ends the words after a speech verb that can name
	// its speaker: "wrote to the governor", "said in a letter".
	qaSpeechAddressee = setOf("to", "in", "at", "on", "that", "with", "for", "about", "of", "after", "before")
)

// saidBy reports whether sentence s has speaker (a normalised word, the
// head of "what did X say") as the speaker of one of its quotations or as
// the subject of a speech verb.
func (ix *qaIndex) saidBy(c *Corpus, s int, speaker string) bool {
	text := c.sents[s].text
	ix.speakersOnce.Do(func() { ix.speakers = qaQuoteSpeakers(c) })
	for _, t := range ix.speakers[text] {
		if t == speaker {
			return true
		}
	}
	ws := words(text)
	at := func(lo, hi int) bool {
		for k := max(lo, 0); k < min(hi, len(ws)); k++ {
			if qaNorm(ws[k]) == speaker {
				return true
			}
		}
		return false
	}
	after := func(i int) bool {
		// "said Hana Lindqvist, the district’s operations director": the
		// name and its description, up to a word that turns to someone
		// else ("said to the board").
		for k := i + 1; k < len(ws) && k <= i+7; k++ {
			if qaSpeechAddressee[ws[k]] {
				return false
			}
			if qaNorm(ws[k]) == speaker {
				return true
			}
		}
		return false
	}
	for i, w := range ws {
		if !qaSpeechMarks[w] {
			continue
		}
		if at(i-4, i) {
			return true
		}
		if w == "according" && i+1 < len(ws) && ws[i+1] == "to" {
			i++
		}
		if qaSpeechInverted[w] && after(i) {
			return true
		}
	}
	return false
}

// qaQuoteSpeakers maps each sentence holding a quotation to the words that
// name its speaker: the name the quote extractor gives, and how the article
// describes that person next to the name ("Harbour master Grace Mbeki",
// "Marisol Ortega, the authority’s general manager"), so "what did the
// harbour master say?" finds "“…,” she said." two sentences on.
func qaQuoteSpeakers(c *Corpus) map[string][]string {
	const maxDescribed = 100
	docOf := make(map[string]string, len(c.articles))
	for _, a := range c.articles {
		docOf[a.ID] = a.Text
	}
	described := map[string][]string{} // article id + speaker → words
	perDoc := map[string]int{}         // article id → speakers described
	out := make(map[string][]string)
	// A sentence's quotes are consecutive: their words are gathered and
	// the sentence hashed once, not once per quote (quadratic in a long
	// sentence of many quotations).
	var cur string
	var acc []string
	flush := func() {
		if len(acc) > 0 {
			out[cur] = append(out[cur], acc...)
		}
		acc = nil
	}
	for _, q := range c.Quotes() {
		if q.Speaker == "" {
			continue
		}
		if q.Sentence != cur {
			flush()
			cur = q.Sentence
		}
		key := q.Source + "\x00" + q.Speaker
		ws, ok := described[key]
		if !ok {
			for _, w := range words(q.Speaker) {
				ws = append(ws, qaNorm(w))
			}
			// Each description scans the whole article: past
			// maxDescribed speakers in one article (no news story quotes
			// that many people) only their names are kept, so an article
			// of thousands of speakers stays linear.
			if perDoc[q.Source] < maxDescribed {
				perDoc[q.Source]++
				for _, w := range qaDescriptions(docOf[q.Source], q.Speaker) {
					if !isStop(w) {
						ws = append(ws, qaNorm(w))
					}
				}
			}
			described[key] = ws
		}
		acc = append(acc, ws...)
	}
	flush()
	return out
}

// qaDescriptions returns the words that describe name where text mentions
// it: up to three words just before it in the same clause, and an
// appositive after it up to the next punctuation.
func qaDescriptions(text, name string) []string {
	var out []string
	for off := 0; ; {
		i := strings.Index(text[off:], name)
		if i < 0 {
			return out
		}
		i += off
		off = i + len(name)
		pre := text[max(0, i-80):i]
		if k := strings.LastIndexAny(pre, ".!?;:,\"“”‘’\n"); k >= 0 {
			pre = pre[k+1:]
		}
		if pw := words(pre); len(pw) > 0 {
			out = append(out, pw[max(0, len(pw)-3):]...)
		}
		post := text[off:]
		if strings.HasPrefix(post, ",") {
			post = post[1:]
			if k := strings.IndexAny(post, ".!?;:,\"“”\n"); k >= 0 {
				post = post[:k]
			}
			if pw := words(post); len(pw) <= 8 {
				out = append(out, pw...)
			}
		}
	}
}
