package written

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/alexa-brief/alexa-brief/briefs"
	"github.com/alexa-brief/alexa-brief/briefs/facts"
	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// The measure of verification (BENCHMARKS.md "Written answers (issue
// 14)"): model replies scripted from every sentence of two corpora — the
// embedded one and testdata/harbour — each shown among the sentences
// retrieval gives for it, as a model would see them. Correct claims
// rephrase what a cited sentence says the ways models do (whole, a clause
// of it, a quote from it, two sentences joined); fabrications of each kind
// the issue names are mixed in. A correct claim must be kept, a
// fabrication caught.

// scripted is one model reply of the measure: one claim and what it is.
type scripted struct {
	kind   string // "correct …" or the fabrication
	claim  Claim
	shown  []string
	source string // the sentence it was made from, for failure messages
}

const (
	correctPrefix = "correct "
	// limitPrefix marks what verification is not expected to catch: a
	// supported claim with a few words of comment added. Reported, not
	// counted as a fabrication the floors cover.
	limitPrefix = "limit: "
)

func corpora(t testing.TB) map[string]*briefs.Corpus {
	t.Helper()
	def, err := briefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	arts, err := briefs.LoadDir("testdata/harbour")
	if err != nil {
		t.Fatal(err)
	}
	harbour, err := briefs.New(arts)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]*briefs.Corpus{"embedded": def, "harbour": harbour}
}

// replies scripts the replies for every sentence of c.
func replies(c *briefs.Corpus) []scripted {
	var out []scripted
	for _, a := range c.Articles() {
		for _, s := range c.Sentences(a.ID) {
			if Instruction(s) {
				continue // never shown to a model (guard.go)
			}
			shown := shownWith(c, s)
			k := indexOf(shown, s) + 1
			add := func(kind, claim string, cites ...int) {
				if claim != "" {
					out = append(out, scripted{kind, Claim{claim, cites}, shown, s})
				}
			}
			add(correctPrefix+"whole sentence", s, k)
			add(correctPrefix+"clause", clause(s), k)
			add(correctPrefix+"quote", quoteOf(s), k)
			if j := other(shown, k); j > 0 {
				add(correctPrefix+"two sentences joined", joined(clause(s), clause(shown[j-1])), k, j)
				add("cites an unrelated sentence", s, j)
			}
			add("fabricated quote", subject(s)+" said “we were never told about any of this”.", k)
			add("quote with one word changed", changedQuote(s), k)
			add("wrong figure", wrongFigure(s), k)
			add("wrong name", wrongName(s), k)
			add("unsupported", subject(s)+" was secretly funded by offshore investors who demanded silence.", k)
			add("non-existent cite", s, len(shown)+1)
			add("negation added", negated(s), k)
			if cl := clause(s); cl != "" {
				add(limitPrefix+"embellished", strings.TrimSuffix(cl, ".")+", which critics called a costly mistake.", k)
			}
		}
	}
	return out
}

func TestMeasureVerification(t *testing.T) {
	type tally struct{ n, right int }
	byKind := map[string]*tally{}
	total, fabricated, correct := 0, tally{}, tally{}
	for name, c := range corpora(t) {
		for _, r := range replies(c) {
			total++
			reason := Check(r.claim, r.shown)
			tl := byKind[r.kind]
			if tl == nil {
				tl = &tally{}
				byKind[r.kind] = tl
			}
			tl.n++
			ok := reason == Supported
			if strings.HasPrefix(r.kind, limitPrefix) {
				ok = !ok
			} else if !strings.HasPrefix(r.kind, correctPrefix) {
				ok = !ok
				fabricated.n++
				if ok {
					fabricated.right++
				} else {
					t.Errorf("%s: %s not caught: %q cites %v (from %q)", name, r.kind, r.claim.Text, r.claim.Cites, r.source)
				}
			} else {
				correct.n++
				if ok {
					correct.right++
				} else {
					t.Logf("%s: %s dropped (%s): %q", name, r.kind, reason, r.claim.Text)
				}
			}
			if ok {
				tl.right++
			}
		}
	}
	kinds := make([]string, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		tl := byKind[k]
		verb := "caught"
		if strings.HasPrefix(k, correctPrefix) {
			verb = "kept"
		}
		t.Logf("%-34s %3d/%3d %s (%.1f%%)", k, tl.right, tl.n, verb, pct(tl.right, tl.n))
	}
	t.Logf("replies %d: fabrications caught %d/%d (%.1f%%), correct claims kept %d/%d (%.1f%%)",
		total, fabricated.right, fabricated.n, pct(fabricated.right, fabricated.n), correct.right, correct.n, pct(correct.right, correct.n))
	if total < 200 {
		t.Errorf("only %d scripted replies, want at least 200", total)
	}
	if pct(fabricated.right, fabricated.n) < 100 {
		t.Errorf("fabrications caught %.1f%%, floor 100%%", pct(fabricated.right, fabricated.n))
	}
	if pct(correct.right, correct.n) < 95 {
		t.Errorf("correct claims kept %.1f%%, floor 95%%", pct(correct.right, correct.n))
	}
}

// TestMeasureSupportThreshold shows why MinSupport is 0.75: the shares
// of content words found, for correct claims and for those the
// content-word rule alone must catch.
func TestMeasureSupportThreshold(t *testing.T) {
	shares := map[string][]float64{}
	for _, c := range corpora(t) {
		for _, r := range replies(c) {
			group := "fabricated"
			switch {
			case strings.HasPrefix(r.kind, correctPrefix):
				group = "correct"
			case strings.HasPrefix(r.kind, limitPrefix):
				group = "embellished"
			case r.kind != "unsupported" && r.kind != "cites an unrelated sentence":
				continue
			}
			ev := newEvidence(r.shown)
			var cited []*sentenceInfo
			for _, n := range uniqueCites(r.claim.Cites) {
				cited = append(cited, ev.sentence(n-1))
			}
			share, _ := support(Clean(r.claim.Text), cited)
			shares[group] = append(shares[group], share)
		}
	}
	for _, th := range []float64{0.5, 0.6, 0.75, 0.9} {
		line := fmt.Sprintf("threshold %.2f:", th)
		for _, g := range []string{"correct", "fabricated", "embellished"} {
			above := 0
			for _, s := range shares[g] {
				if s >= th {
					above++
				}
			}
			line += fmt.Sprintf("  %s passing %d/%d", g, above, len(shares[g]))
		}
		t.Log(line)
	}
}

func pct(a, b int) float64 {
	if b == 0 {
		return 100
	}
	return 100 * float64(a) / float64(b)
}

// shownWith is the list a model sees for a question that retrieves s: the
// candidates for s's own words.
func shownWith(c *briefs.Corpus, s string) []string {
	var shown []string
	for _, ct := range c.Candidates(s, DefaultCandidates) {
		if !Instruction(ct.Text) {
			shown = append(shown, ct.Text)
		}
	}
	if indexOf(shown, s) < 0 {
		shown = append([]string{s}, shown...)
	}
	return shown
}

func indexOf(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}

// other is a shown sentence sharing few content words with sentence k
// (1-based), 0 when none: joining it is correct when both are cited, and
// citing it alone for sentence k supports nothing.
func other(shown []string, k int) int {
	mine := termSet(shown[k-1])
	for j, s := range shown {
		if j+1 == k {
			continue
		}
		theirs := termSet(s)
		common := 0
		for t := range mine {
			if theirs[t] {
				common++
			}
		}
		if float64(common) < 0.3*float64(len(mine)) {
			return j + 1
		}
	}
	return 0
}

func termSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, t := range text.Terms(s) {
		m[t] = true
	}
	return m
}

// clause is the longest comma-separated part of s of at least five words
// and no open quote, as a sentence: the clause a model keeps of it.
func clause(s string) string {
	best := ""
	for _, p := range strings.Split(strings.TrimRight(s, "."), ", ") {
		p = strings.TrimSpace(p)
		if len(strings.Fields(p)) >= 5 && len(p) > len(best) && len(text.Quotations(p, false)) == 0 && !strings.ContainsAny(p, "“”\"") {
			best = p
		}
	}
	if best == "" || best == strings.TrimRight(s, ".") {
		return ""
	}
	r, n := utf8.DecodeRuneInString(best)
	return string(unicode.ToUpper(r)) + best[n:] + "."
}

func joined(a, b string) string {
	if a == "" || b == "" {
		return ""
	}
	return strings.TrimSuffix(a, ".") + "; " + strings.ToLower(b[:1]) + b[1:]
}

// subject is the opening words of s, the "who" a claim is about.
func subject(s string) string {
	f := strings.Fields(s)
	return strings.Trim(strings.Join(f[:min(4, len(f))], " "), ",.“”\"")
}

// quoteOf attributes s's first quotation, verbatim, to the names of s
// ("Elena Varga said: “…”"), or else quotes six words of s inside s, as a
// model quoting a phrase does.
func quoteOf(s string) string {
	for _, q := range text.Quotations(s, true) {
		if inner := strings.TrimSpace(q.Inner(s)); len(strings.Fields(inner)) >= 3 {
			return speaker(s[:q.Open]+" "+s[q.Close+q.MarkLen:]) + " said: “" + inner + "”"
		}
	}
	f := strings.Fields(s)
	if len(f) < 10 || strings.ContainsAny(s, "“”\"") {
		return ""
	}
	f[3] = "“" + f[3]
	f[8] += "”"
	return strings.Join(f, " ")
}

// speaker is the longest run of capitalised words in s, "They" when none.
func speaker(s string) string {
	best, run := "", []string{}
	for _, w := range append(strings.Fields(s), "") {
		w = strings.Trim(w, ",.;:!?")
		if w != "" && text.Capitalised(w) {
			run = append(run, w)
			continue
		}
		if r := strings.Join(run, " "); len(r) > len(best) {
			best = r
		}
		run = run[:0]
	}
	if best == "" {
		return "They"
	}
	return best
}

// changedQuote quotes words of s with one content word replaced.
func changedQuote(s string) string {
	var inner string
	for _, q := range text.Quotations(s, true) {
		if in := strings.TrimSpace(q.Inner(s)); len(strings.Fields(in)) >= 3 {
			inner = in
			break
		}
	}
	if inner == "" {
		f := strings.Fields(strings.TrimRight(s, "."))
		if len(f) < 10 {
			return ""
		}
		inner = strings.Join(f[3:9], " ")
	}
	f := strings.Fields(inner)
	for i := len(f) - 1; i >= 0; i-- {
		w := strings.ToLower(strings.Trim(f[i], ",.;:!?“”’"))
		if len(w) > 3 && !text.IsStop(w) {
			f[i] = strings.Replace(f[i], strings.Trim(f[i], ",.;:!?“”’"), "completely", 1)
			return "They said “" + strings.Join(f, " ") + "”."
		}
	}
	return ""
}

// wrongFigure changes the first digit of s's first figure.
func wrongFigure(s string) string {
	figs := facts.Find(s)
	if len(figs) == 0 {
		return ""
	}
	f := figs[0]
	for i := f.Start; i < f.End; i++ {
		if d := s[i]; d >= '0' && d <= '9' {
			nd := byte('0' + (d-'0'+3)%10)
			return s[:i] + string(nd) + s[i+1:]
		}
	}
	return ""
}

// wrongName replaces the last capitalised word that does not open s.
func wrongName(s string) string {
	f := strings.Fields(s)
	for i := len(f) - 1; i > 0; i-- {
		w := strings.Trim(f[i], ",.;:!?“”’s")
		if text.Capitalised(w) && len(w) > 2 && !strings.ContainsAny(f[i-1], ".!?") {
			f[i] = strings.Replace(f[i], w, "Whitfield", 1)
			return strings.Join(f, " ")
		}
	}
	return ""
}

// negated adds a "not" after the first auxiliary of a sentence that has
// no negation.
func negated(s string) string {
	for _, w := range text.Words(s) {
		if negation(w) {
			return ""
		}
	}
	f := strings.Fields(s)
	for i, w := range f {
		switch w {
		case "is", "was", "are", "were", "will", "has", "have", "had", "would", "could", "can":
			return strings.Join(append(f[:i+1:i+1], append([]string{"not"}, f[i+1:]...)...), " ")
		}
	}
	return ""
}

func TestMeasureIsDeterministic(t *testing.T) {
	cs := corpora(t)
	a, b := replies(cs["harbour"]), replies(cs["harbour"])
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatal("the scripted replies differ between runs")
	}
}
