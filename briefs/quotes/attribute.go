package quotes

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// phrase is a speaker phrase as written and its byte offset in the text it
// was cut from.
type phrase struct {
	np  string
	off int
}

// isName reports a quotation that is a name or title rather than speech:
// “Project Phoenix”, “Saturday Night Live” — every content word
// capitalised, and two of them or one without final punctuation. “Maybe
// not,” is speech.
func isName(inner string) bool {
	iw := strings.Fields(inner)
	caps, content := 0, 0
	for _, w := range iw {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if w == "" || text.IsStop(strings.ToLower(w)) {
			continue
		}
		content++
		if !isUpperStart(w) && !unicode.IsDigit(firstRune(w)) {
			return false
		}
		caps++
	}
	if content == 0 {
		return false
	}
	end := strings.ContainsRune(",.!?", lastRune(strings.TrimSpace(inner)))
	return (caps >= 2 || len(iw) == 1 && !end) && (len(iw) <= 3 || !strings.ContainsAny(string(lastRune(inner)), ".!?"))
}

// namesSomething reports a quotation after a naming verb in the same clause
// ("called the design “…”", "dubbed it “…”"); a comma or colon between them
// ("called out: “Help!”") makes it speech again.
func namesSomething(pre string) bool {
	ws := tailWords(pre, 8)
	for k := len(ws) - 1; k >= 0 && k >= len(ws)-5; k-- {
		w := strings.ToLower(pre[ws[k].start:ws[k].end])
		if text.NamingVerbs[w] || w == "described" || w == "describes" || w == "describing" {
			return !strings.ContainsAny(pre[ws[k].end:], ",:")
		}
		if ws[k].punctBefore {
			break
		}
	}
	return false
}

// opensClause reports whether a quotation after pre starts a clause of its
// own (after "said,", "told the Journal:", a dash, or at the start), as
// direct speech does.
func opensClause(pre string) bool {
	t := strings.TrimSpace(pre)
	if t == "" {
		return true
	}
	if strings.ContainsRune(",:—–", lastRune(t)) {
		return true
	}
	ws := tailWords(t, 2)
	if len(ws) == 0 {
		return true
	}
	return isSpeech(t[ws[len(ws)-1].start:ws[len(ws)-1].end])
}

// after finds "said X", "X said" or "X, an analyst, said" right after a
// quotation.
func after(post string) (phrase, bool) {
	ws := words(post, 18)
	if len(ws) == 0 || ws[0].start > 4 {
		return phrase{}, false
	}
	// Only "," or a dash may separate the mark from the attribution:
	// after “downstream impact”—the notion… there is none.
	if gap := strings.TrimSpace(post[:ws[0].start]); gap != "" && gap != "," && gap != "—" && gap != "–" && gap != "-" && gap != "--" {
		return phrase{}, false
	}
	word := func(k int) string { return strings.ToLower(post[ws[k].start:ws[k].end]) }
	speech := func(k int) bool { return isSpeech(word(k)) || word(k) == "according" }
	if speech(0) {
		// said X[, the CEO] / according to X
		b := 1
		if word(0) == "according" && len(ws) > 1 && word(1) == "to" {
			b = 2
		}
		e := b
		for e < len(ws) && (e == b || !ws[e].punctBefore && !clauseWord(post[ws[e].start:ws[e].end]) && !looksVerb(post[ws[e].start:ws[e].end])) && e-b < 7 {
			e++
		}
		if e == b {
			return phrase{}, false
		}
		return phrase{post[ws[b].start:ws[e-1].end], ws[b].start}, true
	}
	// X [adverb] said — the subject may be followed by an appositive set
	// off by commas ("Zhang Wei, an analyst at Example Securities, told").
	end := 0 // last word of the subject
	for end+1 < len(ws) && !ws[end+1].punctBefore && end < 6 {
		if speech(end + 1) {
			break
		}
		end++
	}
	k := end + 1
	if k < len(ws) && ws[k].punctBefore && !speech(k) {
		// Skip the appositive up to its closing comma.
		k++
		for k < len(ws) && !ws[k].punctBefore && k-end < 12 {
			k++
		}
	}
	for k < len(ws) && (isAdverb(post[ws[k].start:ws[k].end]) || text.Auxiliaries[word(k)]) {
		k++
	}
	if k >= len(ws) || !speech(k) || word(k) == "according" || k > 16 {
		return phrase{}, false
	}
	last := end
	for last > 0 && (isAdverb(post[ws[last].start:ws[last].end]) || text.Auxiliaries[word(last)]) {
		last--
	}
	return phrase{post[ws[0].start:ws[last].end], ws[0].start}, true
}

// before finds the speech verb that introduces a quotation and returns its
// subject: "X said, “…”", "X told the council: “…”", "according to X, “…”",
// "…, stating, “…”".
func before(pre string) (phrase, bool) {
	ws := tailWords(pre, 64)
	lo := max(0, len(ws)-14)
	for k := len(ws) - 1; k >= lo; k-- {
		w := strings.ToLower(pre[ws[k].start:ws[k].end])
		switch {
		case w == "according" && k+1 < len(ws) && strings.EqualFold(pre[ws[k+1].start:ws[k+1].end], "to"):
			e := k + 2
			for e < len(ws) && (e == k+2 || !ws[e].punctBefore) {
				e++
			}
			if e == k+2 {
				return phrase{}, false
			}
			return phrase{pre[ws[k+2].start:ws[e-1].end], ws[k+2].start}, true
		case isSpeech(w):
			if strings.HasSuffix(w, "ing") || k > 0 && ws[k].punctBefore {
				// "…, stating, “…”": the speaker is the clause's subject.
				p, ok := subjectOf(pre[:ws[k].start])
				return p, ok
			}
			last := k - 1
			for last >= 0 && (isAdverb(pre[ws[last].start:ws[last].end]) || text.Auxiliaries[strings.ToLower(pre[ws[last].start:ws[last].end])]) {
				last--
			}
			if last < 0 {
				return phrase{}, false
			}
			b := last
			for b > 0 && !ws[b].punctBefore && !clauseWord(pre[ws[b-1].start:ws[b-1].end]) && last-b < 7 {
				b--
			}
			if ws[b].punctBefore && ws[last+1].punctBefore && b > 0 && isLowerStart(pre[ws[b].start:]) && strings.Contains(pre[ws[b-1].end:ws[b].start], ",") {
				// "Karima, clad in all black, adds": the subject is
				// before the appositive.
				last = b - 1
				b = last
				for b > 0 && !ws[b].punctBefore && !clauseWord(pre[ws[b-1].start:ws[b-1].end]) && last-b < 7 {
					b--
				}
			}
			return phrase{pre[ws[b].start:ws[last].end], ws[b].start}, true
		}
	}
	return phrase{}, false
}

// subjectOf returns the subject noun phrase of the clause in pre: its first
// words up to the verb.
func subjectOf(pre string) (phrase, bool) {
	ws := words(pre, 10)
	if len(ws) == 0 {
		return phrase{}, false
	}
	b := 0
	// "In 2019, Lee said" / "As they say about the doctor, …": skip an
	// opening phrase set off by a comma when a subject follows it.
	for j := 1; j < len(ws) && j < 5; j++ {
		if strings.Contains(pre[ws[j-1].end:ws[j].start], ",") {
			w := strings.ToLower(pre[ws[0].start:ws[0].end])
			if w == "in" || w == "on" || w == "at" || w == "after" || w == "last" || text.Months[w] || text.IsYear(w) {
				b = j
			}
			break
		}
	}
	e := b
	for e < len(ws) && (e == b || !ws[e].punctBefore) {
		w := pre[ws[e].start:ws[e].end]
		if e > b && (looksVerb(w) || clauseWord(w)) {
			break
		}
		if e-b == 6 {
			return phrase{}, false // no short subject: not a clause we understand
		}
		e++
	}
	return phrase{pre[ws[b].start:ws[e-1].end], ws[b].start}, true
}

// colonIntro reports a sentence that hands over to a quotation after it:
// it ends with ":" (or "said,") and holds a speech verb or a subject.
func colonIntro(s string) (phrase, bool) {
	t := strings.TrimSpace(s)
	if t == "" || !strings.ContainsRune(":,", lastRune(t)) {
		return phrase{}, false
	}
	t = strings.TrimRight(t, ":,")
	if strings.ContainsAny(t, "“”\"") {
		return phrase{}, false
	}
	ws := tailWords(t, 3)
	if len(ws) == 0 {
		return phrase{}, false
	}
	if p, ok := before(t + " "); ok {
		return p, true
	}
	if lastRune(strings.TrimSpace(s)) != ':' {
		return phrase{}, false
	}
	return subjectOf(t)
}

// lastWordRune returns the last rune of s that is no space.
func lastWordRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(s))
	return r
}
