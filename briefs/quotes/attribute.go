package quotes

import (
	"strings"
	"unicode"

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
		if text.NamingVerbs[w] || text.DescribingVerbs[w] {
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

// speechAt returns how many words from ws[k] make a speech verb: 1 for
// "said", 2 for "went on", 0 for none.
func speechAt(s string, ws []word, k int) int {
	w := strings.ToLower(s[ws[k].start:ws[k].end])
	if text.SpeechVerbs[w] {
		if k+1 < len(ws) && !ws[k+1].punctBefore && text.PhrasalSpeech[w+" "+strings.ToLower(s[ws[k+1].start:ws[k+1].end])] {
			return 2
		}
		return 1
	}
	if k+1 < len(ws) && !ws[k+1].punctBefore && text.PhrasalSpeech[w+" "+strings.ToLower(s[ws[k+1].start:ws[k+1].end])] {
		return 2
	}
	return 0
}

// after finds "said X", "X said" or "X, an analyst, said" right after a
// quotation.
func after(post string) (phrase, bool) {
	ws := words(post, 28)
	if len(ws) == 0 || ws[0].start > 4 {
		return phrase{}, false
	}
	// Only "," or a dash may separate the mark from the attribution:
	// after “downstream impact”—the notion… there is none.
	if gap := strings.TrimSpace(post[:ws[0].start]); gap != "" && gap != "," && gap != "—" && gap != "–" && gap != "-" && gap != "--" {
		return phrase{}, false
	}
	word := func(k int) string { return strings.ToLower(post[ws[k].start:ws[k].end]) }
	speech := func(k int) int {
		if word(k) == "according" && k+1 < len(ws) && word(k+1) == "to" {
			return 2
		}
		return speechAt(post, ws, k)
	}
	if n := speech(0); n > 0 {
		// said X[, the CEO] / according to X / went on X (rare)
		return phraseFrom(post, ws, n)
	}
	// X [adverb] said — the subject may be followed by an appositive set
	// off by commas ("Zhang Wei, an analyst at Example Securities, told").
	end := 0 // last word of the subject
	for end+1 < len(ws) && !ws[end+1].punctBefore && end < 6 {
		if speech(end+1) > 0 {
			break
		}
		end++
	}
	k := end + 1
	if k < len(ws) && ws[k].punctBefore && speech(k) == 0 && strings.Contains(post[ws[k-1].end:ws[k].start], ",") {
		// Skip the appositive up to its closing comma ("Jeff Weaver,
		// the campaign’s manager, said").
		k++
		for k < len(ws) && !strings.Contains(post[ws[k-1].end:ws[k].start], ",") && k-end < 20 {
			k++
		}
	}
	for k < len(ws) && (isAdverb(post[ws[k].start:ws[k].end]) || text.Auxiliaries[word(k)]) {
		k++
	}
	if k >= len(ws) || speech(k) == 0 || word(k) == "according" || k > 24 {
		return phrase{}, false
	}
	last := end
	for last > 0 && (isAdverb(post[ws[last].start:ws[last].end]) || text.Auxiliaries[word(last)]) {
		last--
	}
	return phrase{post[ws[0].start:ws[last].end], ws[0].start}, true
}

// phraseFrom returns the speaker phrase that follows a speech verb, from
// ws[b] to the next punctuation, clause word or verb: "said Nguyễn Thị
// Hoa, who…", "according to the ministry".
func phraseFrom(s string, ws []word, b int) (phrase, bool) {
	e := b
	for e < len(ws) && (e == b || !ws[e].punctBefore && !clauseWord(s[ws[e].start:ws[e].end]) && !looksVerb(s[ws[e].start:ws[e].end])) && e-b < 8 {
		e++
	}
	if e == b || e > len(ws) {
		return phrase{}, false
	}
	return phrase{s[ws[b].start:ws[e-1].end], ws[b].start}, true
}

// before finds the speech verb that introduces a quotation and returns its
// subject: "X said, “…”", "X told the council: “…”", "according to X, “…”",
// "…, stating, “…”", "“…,” said X, “…”". It looks back at most reach words.
func before(pre string, reach int) (phrase, bool) {
	ws := tailWords(pre, max(64, reach+2))
	lo := max(0, len(ws)-reach)
	for k := len(ws) - 1; k >= lo; k-- {
		w := strings.ToLower(pre[ws[k].start:ws[k].end])
		if w == "according" && k+1 < len(ws) && strings.EqualFold(pre[ws[k+1].start:ws[k+1].end], "to") {
			return phraseFrom(pre, ws, k+2)
		}
		n := speechAt(pre, ws, k)
		if n == 0 {
			continue
		}
		gap := pre[:ws[k].start]
		if k > 0 {
			gap = pre[ws[k-1].end:ws[k].start]
		}
		if strings.ContainsAny(gap, "”\"’") {
			// "“A,” said X, “B”": the verb follows a quotation.
			if p, ok := phraseFrom(pre, ws, k+n); ok {
				return p, true
			}
		}
		if strings.HasSuffix(w, "ing") || k > 0 && ws[k].punctBefore {
			// "…, stating, “…”", "X, the engineer, said": the clause's subject.
			return subjectOf(pre[:ws[k].start])
		}
		last := k - 1
		for last >= 0 && (isAdverb(pre[ws[last].start:ws[last].end]) || text.Auxiliaries[strings.ToLower(pre[ws[last].start:ws[last].end])] ||
			strings.EqualFold(pre[ws[last].start:ws[last].end], "not")) {
			last--
		}
		if last < 0 {
			return phrase{}, false
		}
		if clauseWord(pre[ws[last].start:ws[last].end]) {
			// "Lee objected, and added: “…”": the subject is elided.
			return subjectOf(pre[:ws[last].start])
		}
		b := last
		for b > 0 && !ws[b].punctBefore && !clauseWord(pre[ws[b-1].start:ws[b-1].end]) && last-b < 7 {
			b--
		}
		return phrase{pre[ws[b].start:ws[last].end], ws[b].start}, true
	}
	return phrase{}, false
}

// subjectOf returns the subject of the clause in pre: of its comma-,
// semicolon- or dash-separated chunks (quotations aside), the last that
// opens with a name or a pronoun, else the last that opens with a
// determiner ("the board"); its words up to the verb. "Later on Sunday,
// Kaur shared…", "…, when protesters interrupted her, shouting", "her
// adviser, Jake Sullivan, said".
func subjectOf(pre string) (phrase, bool) {
	masked := []byte(pre)
	for _, q := range text.Quotations(pre, true) {
		for i := q.Open; i < q.Close+q.MarkLen && i < len(masked); i++ {
			if masked[i] == ',' || masked[i] == ';' {
				masked[i] = ' '
			}
		}
	}
	chunks := splitChunks(string(masked))
	pick := -1
	for i := len(chunks) - 1; i >= 0; i-- {
		c := chunks[i]
		ws := words(pre[c[0]:c[1]], 3)
		j := 0
		for j < len(ws) && clauseWord(pre[c[0]+ws[j].start:c[0]+ws[j].end]) {
			j++
		}
		if j >= len(ws) {
			continue
		}
		w := pre[c[0]+ws[j].start : c[0]+ws[j].end]
		lw := strings.ToLower(w)
		_, pron := text.Pronouns[lw]
		if isUpperStart(w) && !text.IsStop(lw) && !text.Openers[lw] && !text.Months[lw] && !text.Weekdays[lw] || pron && lw != "it" {
			pick = i
			break
		}
		if pick < 0 && text.DeterminerWords[lw] {
			pick = i
		}
	}
	if pick < 0 {
		return phrase{}, false
	}
	c := chunks[pick]
	ws := words(pre[c[0]:c[1]], 12)
	b := 0
	for b < len(ws) && clauseWord(pre[c[0]+ws[b].start:c[0]+ws[b].end]) {
		b++
	}
	e := b
	for e < len(ws) {
		w := pre[c[0]+ws[e].start : c[0]+ws[e].end]
		if e > b && (looksVerb(w) || clauseWord(w)) {
			break
		}
		if e-b == 7 {
			return phrase{}, false // no short subject: not a clause we understand
		}
		e++
	}
	if e == b {
		return phrase{}, false
	}
	return phrase{pre[c[0]+ws[b].start : c[0]+ws[e-1].end], c[0] + ws[b].start}, true
}

// splitChunks splits s at commas, semicolons, colons, parentheses and
// dashes into byte ranges.
func splitChunks(s string) [][2]int {
	var out [][2]int
	start := 0
	for i, r := range s {
		if strings.ContainsRune(",;:()—–", r) || r == '-' && i > 0 && s[i-1] == ' ' {
			if strings.TrimSpace(s[start:i]) != "" {
				out = append(out, [2]int{start, i})
			}
			start = i + len(string(r))
		}
	}
	if strings.TrimSpace(s[start:]) != "" {
		out = append(out, [2]int{start, len(s)})
	}
	return out
}

// colonIntro reports a sentence that hands over to a quotation after it:
// it ends with ":" and holds a speech verb ("Lee said:") or names the one
// speaking ("HEADLINE – Michael P. McDonald:"); speech tells which.
func colonIntro(s string) (p phrase, speech, ok bool) {
	t := strings.TrimSpace(s)
	if t == "" || lastRune(t) != ':' {
		return phrase{}, false, false
	}
	t = strings.TrimRight(t, ":")
	if p, ok := before(t+" ", 40); ok {
		return p, true, true
	}
	p, ok = subjectOf(t)
	return p, false, ok
}
