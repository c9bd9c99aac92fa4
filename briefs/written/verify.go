package written

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alexa-brief/alexa-brief/briefs/facts"
	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// Claim is one statement of a written answer with the sentences it rests
// on: Cites are 1-based positions in the list the model was given.
type Claim struct {
	Text  string `json:"text"`
	Cites []int  `json:"cites"`
}

// Reason says why a claim was dropped; Supported means it was kept.
type Reason string

const (
	Supported   Reason = ""
	NoText      Reason = "no_text"     // empty, or no content word to check
	BadCite     Reason = "cite"        // cites nothing, or a sentence that does not exist
	BadQuote    Reason = "quote"       // a quote that is not verbatim in a cited sentence
	BadFigure   Reason = "figure"      // a figure, date or digit the cited sentences lack
	BadName     Reason = "name"        // a name the cited sentences never mention
	BadNegation Reason = "negation"    // a "not" the cited sentences do not say
	Unsupported Reason = "unsupported" // too few of its content words are in the cited sentences
)

// MinSupport is the share of a claim's content words (stemmed, stop words
// aside) that must appear in its cited sentences. Three in four lets a
// model drop clauses, reorder and add the odd linking word ("according
// to", "which") while a claim that adds a predicate of its own — "the
// project was secretly funded by investors" on a sentence about its cost —
// falls well below; BENCHMARKS.md "Written answers (issue 14)" measures
// the choice on scripted replies (TestMeasureVerification).
const MinSupport = 0.75

// maxClaims bounds what one reply may make a reader see; claims past it
// are dropped and counted.
const maxClaims = 8

// maxClaimRunes bounds one claim: a cited sentence is shown beside it, so a
// claim longer than a long sentence says more than its sources.
const maxClaimRunes = 600

// citeMarker is an inline "[2]" or "[1, 3]" a model adds despite the cites
// array; its digits are not figures.
var citeMarker = regexp.MustCompile(`\s*\[\d+(?:\s*,\s*\d+)*\]`)

// Clean is the text of a claim as it is checked and shown: inline citation
// markers removed, spaces collapsed.
func Clean(s string) string {
	s = citeMarker.ReplaceAllString(s, "")
	return strings.Join(strings.Fields(s), " ")
}

// Verify checks each claim against sentences (the list the model was
// given) and returns those kept, their text cleaned and cites deduplicated,
// and how many were dropped.
func Verify(claims []Claim, sentences []string) (kept []Claim, dropped int) {
	ev := newEvidence(sentences)
	for i, c := range claims {
		c.Text = Clean(c.Text)
		c.Cites = uniqueCites(c.Cites)
		if i >= maxClaims || ev.check(c) != Supported {
			dropped++
			continue
		}
		kept = append(kept, c)
	}
	return kept, dropped
}

// Check is the verdict on one claim: Supported, or why it is dropped.
func Check(c Claim, sentences []string) Reason {
	c.Text = Clean(c.Text)
	c.Cites = uniqueCites(c.Cites)
	return newEvidence(sentences).check(c)
}

func uniqueCites(cites []int) []int {
	out := make([]int, 0, len(cites))
	for _, n := range cites {
		if !containsInt(out, n) {
			out = append(out, n)
		}
	}
	return out
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// evidence holds the sentences and, lazily per sentence, what the checks
// compare with.
type evidence struct {
	sents []string
	info  []*sentenceInfo
}

type sentenceInfo struct {
	words map[string]bool // text.Words, every word (names, digits, number words)
	norms map[string]bool // text.Norm of every word
	terms map[string]bool // text.Terms: the content words
	figs  []facts.Figure
	neg   bool
}

func newEvidence(sents []string) *evidence {
	return &evidence{sents: sents, info: make([]*sentenceInfo, len(sents))}
}

func (e *evidence) sentence(i int) *sentenceInfo {
	if e.info[i] == nil {
		s := e.sents[i]
		si := &sentenceInfo{words: map[string]bool{}, norms: map[string]bool{}, terms: map[string]bool{}, figs: facts.Find(s)}
		for _, w := range text.Words(s) {
			si.words[w] = true
			si.norms[text.Norm(w)] = true
			si.neg = si.neg || negation(w)
		}
		for _, t := range text.Terms(s) {
			si.terms[t] = true
		}
		e.info[i] = si
	}
	return e.info[i]
}

func (e *evidence) check(c Claim) Reason {
	if c.Text == "" || utf8.RuneCountInString(c.Text) > maxClaimRunes {
		return NoText
	}
	if len(c.Cites) == 0 {
		return BadCite
	}
	cited := make([]*sentenceInfo, 0, len(c.Cites))
	for _, n := range c.Cites {
		if n < 1 || n > len(e.sents) {
			return BadCite
		}
		cited = append(cited, e.sentence(n-1))
	}
	if !e.quotesVerbatim(c) {
		return BadQuote
	}
	if !figuresSupported(c.Text, cited) {
		return BadFigure
	}
	if !namesSupported(c.Text, cited) {
		return BadName
	}
	if r := wordsSupported(c.Text, cited); r != Supported {
		return r
	}
	return Supported
}

// quotesVerbatim: every text inside quote marks is an exact substring of
// one cited sentence, and no quote mark is left unpaired (an unclosed
// quote cannot be checked, so it is not trusted).
func (e *evidence) quotesVerbatim(c Claim) bool {
	qs := text.Quotations(c.Text, true)
	marks := map[int]bool{}
	for _, q := range qs {
		marks[q.Open] = true
		if q.MarkLen > 0 {
			marks[q.Close] = true
		}
		inner := strings.TrimSpace(q.Inner(c.Text))
		if inner == "" {
			continue
		}
		found := false
		for _, n := range c.Cites {
			found = found || strings.Contains(e.sents[n-1], inner)
		}
		if !found {
			return false
		}
	}
	for i, r := range c.Text {
		if (r == '"' || r == '“' || r == '”') && !marks[i] {
			return false
		}
	}
	return true
}

// figuresSupported: every figure (money, count, percent, date, period) of
// the claim states a value one cited sentence states, however it is
// written ("$25bn" for "$25 billion"), and every other digit or number
// word of the claim is a word of a cited sentence.
func figuresSupported(claim string, cited []*sentenceInfo) bool {
	figs := facts.Find(claim)
	rest := []byte(claim)
	for _, f := range figs {
		if !figureIn(f, cited) {
			return false
		}
		for i := f.Start; i < f.End; i++ {
			rest[i] = ' '
		}
	}
	for _, w := range text.Words(string(rest)) {
		numeric := strings.IndexFunc(w, unicode.IsDigit) >= 0
		if !numeric && !text.NumberWords.Has(w) {
			continue
		}
		if !wordIn(w, cited) && !numberWordIn(w, cited) {
			return false
		}
	}
	return true
}

func figureIn(f facts.Figure, cited []*sentenceInfo) bool {
	for _, s := range cited {
		for _, g := range s.figs {
			switch {
			case g.Key() == f.Key():
				return true
			case f.When != "" && g.Kind == f.Kind && strings.HasPrefix(g.When, f.When):
				// "in 2023" of "in March 2023": less precise, not wrong.
				return true
			case f.When == "" && g.When == "" && g.Kind == f.Kind && g.Amount == f.Amount &&
				(f.Kind != facts.Money || g.Unit == f.Unit):
				// "10,000 residents" of "10,000 people": the same number
				// of the same kind; only the counted noun is reworded.
				return true
			}
		}
	}
	return false
}

func wordIn(w string, cited []*sentenceInfo) bool {
	for _, s := range cited {
		if s.words[w] {
			return true
		}
	}
	return false
}

// numberWordIn: "ten" in the claim where the sentence writes "10", or the
// other way round.
func numberWordIn(w string, cited []*sentenceInfo) bool {
	if v, ok := text.NumberValues[w]; ok {
		return wordIn(strconv.FormatFloat(v, 'f', -1, 64), cited)
	}
	for nw, v := range text.NumberValues {
		if strconv.FormatFloat(v, 'f', -1, 64) == w && wordIn(nw, cited) {
			return true
		}
	}
	return false
}

// namesSupported: every capitalised word that does not open a sentence or
// a quote (a name, an acronym, a month) is a word of a cited sentence. The
// first word of a sentence may be any word; the content-word share checks
// it.
func namesSupported(claim string, cited []*sentenceInfo) bool {
	initial := true
	start := -1
	flush := func(end int) bool {
		if start < 0 {
			return true
		}
		w := claim[start:end]
		first := initial
		start, initial = -1, false
		if first || !text.Capitalised(w) || w == "I" {
			return true
		}
		for _, t := range text.Words(w) {
			n := text.Norm(t)
			found := false
			for _, s := range cited {
				found = found || s.norms[n]
			}
			if !found {
				return false
			}
		}
		return true
	}
	for i, r := range claim {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’' || r == '.' && start >= 0 && i+1 < len(claim) && claim[i+1] != ' ' {
			if start < 0 {
				start = i
			}
			continue
		}
		if !flush(i) {
			return false
		}
		switch r {
		case '.', '!', '?', ':', ';', '“', '"', '‘', '(', '—':
			initial = true
		}
	}
	return flush(len(claim))
}

// wordsSupported: a negation only where a cited sentence negates, and at
// least MinSupport of the claim's content words in its cited sentences.
func wordsSupported(claim string, cited []*sentenceInfo) Reason {
	neg := false
	for _, w := range text.Words(claim) {
		neg = neg || negation(w)
	}
	if neg {
		ok := false
		for _, s := range cited {
			ok = ok || s.neg
		}
		if !ok {
			return BadNegation
		}
	}
	share, ok := support(claim, cited)
	if !ok {
		return NoText
	}
	if share < MinSupport {
		return Unsupported
	}
	return Supported
}

// support is the share of the claim's distinct content words found in its
// cited sentences; false when it has none.
func support(claim string, cited []*sentenceInfo) (float64, bool) {
	terms := map[string]bool{}
	for _, t := range text.Terms(claim) {
		terms[t] = true
	}
	if len(terms) == 0 {
		return 0, false
	}
	have := 0
	for t := range terms {
		for _, s := range cited {
			if s.terms[t] {
				have++
				break
			}
		}
	}
	return float64(have) / float64(len(terms)), true
}

// negation reports a word that turns a statement into its opposite.
func negation(w string) bool {
	switch w {
	case "not", "no", "never", "nor", "neither", "none", "nobody", "nothing", "without", "cannot":
		return true
	}
	return strings.HasSuffix(w, "n't")
}
