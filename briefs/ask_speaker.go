package briefs

import (
	"slices"
	"sort"
	"strings"

	"github.com/alexa-brief/alexa-brief/briefs/rank"
	txt "github.com/alexa-brief/alexa-brief/briefs/text"
)

// spokenBy keeps the hits in which speaker (a normalised word, the head of
// "what did X say") speaks, and adds the sentences whose quotes the quote
// extractor gives to speaker, which may not name them ("“…,” she said.").
func (c *Corpus) spokenBy(q *rank.Question, hits []rank.Hit, allowed func(int) bool) []rank.Hit {
	speaker := q.Speaker
	out := hits[:0:0]
	in := map[int]bool{}
	for _, h := range hits {
		if c.saidBy(h.Sent, speaker) {
			out = append(out, h)
			in[h.Sent] = true
		}
	}
	c.speakersOnce.Do(c.indexSpeakers)
	var more []rank.Hit
	bm25 := c.qa.Scorer(q.Terms)
	for _, s := range c.spoken[speaker] {
		if in[s] || allowed != nil && !allowed(s) {
			continue
		}
		more = append(more, rank.Hit{Sent: s, BM25: bm25(s)})
	}
	// A speaker quoted all over a large corpus: the ranker scores the
	// quotes closest to the rest of the question, as many as retrieval
	// would give it.
	sort.SliceStable(more, func(i, j int) bool { return more[i].BM25 > more[j].BM25 })
	return append(out, more[:min(len(more), rank.DefaultK)]...)
}

// indexSpeakers fills c.speakers from the quotes, c.spoken, its inverse
// by sentence, so a "what did X say" question looks up X's sentences
// instead of scanning the corpus, and c.subjects, so saidBy does not
// tokenise a hit's sentence again for every question.
func (c *Corpus) indexSpeakers() {
	c.speakers = quoteSpeakers(c)
	c.spoken = map[string][]int{}
	c.subjects = make([][]string, len(c.sents))
	for s := range c.sents {
		c.subjects[s] = speechSubjects(c.sents[s].text)
		for _, w := range c.speakers[c.sents[s].text] {
			if ids := c.spoken[w]; len(ids) == 0 || ids[len(ids)-1] != s {
				c.spoken[w] = append(ids, s)
			}
		}
	}
}

// saidBy reports whether sentence s has speaker (a normalised word) as the
// speaker of one of its quotations or as the subject of a speech verb
// (speechSubjects).
func (c *Corpus) saidBy(s int, speaker string) bool {
	c.speakersOnce.Do(c.indexSpeakers)
	return slices.Contains(c.speakers[c.sents[s].text], speaker) || slices.Contains(c.subjects[s], speaker)
}

// speechSubjects returns the normalised words that may be the subject of
// a speech verb in text: before it ("Fraser said", "the director told
// reporters") or just after ("said Marisol Ortega", "according to the
// finance report"), up to a word that turns to someone else ("wrote to
// the governor").
func speechSubjects(text string) []string {
	ws := txt.Words(text)
	var out []string
	add := func(w string) {
		if n := txt.Norm(w); !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	article := func(w string) bool { return w == "the" || w == "a" || w == "an" }
	before := func(i int) {
		// "the harbor director told": the subject just before the verb,
		// up to a function word other than an article ("wrote to the
		// governor on Monday asking" is not the governor asking).
		for k := i - 1; k >= 0 && k >= i-4; k-- {
			add(ws[k])
			if txt.IsStop(ws[k]) && !article(ws[k]) {
				return
			}
		}
	}
	after := func(i int) {
		// "said Hana Lindqvist, the district’s operations director": the
		// name and its description; any function word but an article
		// turns to someone else ("said to the board", "in a letter").
		for k := i + 1; k < len(ws) && k <= i+7; k++ {
			if txt.IsStop(ws[k]) && !article(ws[k]) {
				return
			}
			add(ws[k])
		}
	}
	for i, w := range ws {
		according := w == "according" && i+1 < len(ws) && ws[i+1] == "to"
		if !txt.SpeechVerbs[w] && !according {
			continue
		}
		if !according && !strings.HasSuffix(w, "ing") {
			before(i)
		}
		if according {
			i++
		}
		if !txt.AddresseeVerbs[w] {
			after(i)
		}
	}
	return out
}

// quoteSpeakers maps each sentence holding a quotation to the words that
// name its speaker: the name the quote extractor gives, and how the article
// describes that person next to the name ("Harbour master Grace Mbeki",
// "Marisol Ortega, the authority’s general manager"), so "what did the
// harbour master say?" finds "“…,” she said." two sentences on.
func quoteSpeakers(c *Corpus) map[string][]string {
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
			for _, w := range txt.Words(q.Speaker) {
				ws = append(ws, txt.Norm(w))
			}
			// Each description scans the whole article: past
			// maxDescribed speakers in one article (no news story quotes
			// that many people) only their names are kept, so an article
			// of thousands of speakers stays linear.
			if perDoc[q.Source] < maxDescribed {
				perDoc[q.Source]++
				for _, w := range descriptions(docOf[q.Source], q.Speaker) {
					if !txt.IsStop(w) {
						ws = append(ws, txt.Norm(w))
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

// descriptions returns the words that describe name where text mentions
// it: up to three words just before it in the same clause, and an
// appositive after it up to the next punctuation.
func descriptions(text, name string) []string {
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
		if pw := txt.Words(pre); len(pw) > 0 {
			out = append(out, pw[max(0, len(pw)-3):]...)
		}
		post := text[off:]
		if strings.HasPrefix(post, ",") {
			post = post[1:]
			if k := strings.IndexAny(post, ".!?;:,\"“”\n"); k >= 0 {
				post = post[:k]
			}
			if pw := txt.Words(post); len(pw) <= 8 {
				out = append(out, pw...)
			}
		}
	}
}
