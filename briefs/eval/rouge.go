package eval

import "strings"

// Score is a precision/recall/F1 triple, as rouge_score reports it.
type Score struct {
	Precision, Recall, F1 float64
}

func fmeasure(p, r float64) Score {
	s := Score{Precision: p, Recall: r}
	if p+r > 0 {
		s.F1 = 2 * p * r / (p + r)
	}
	return s
}

// Tokenize reproduces rouge_score's tokenizer: lowercase, every run of
// characters outside [a-z0-9] becomes a space, and with stem set, tokens
// longer than three characters are Porter-stemmed.
func Tokenize(text string, stem bool) []string {
	text = strings.ToLower(text)
	var toks []string
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		t := text[start:end]
		if stem && len(t) > 3 {
			t = porterStem(t)
		}
		toks = append(toks, t)
		start = -1
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(text))
	return toks
}

// RougeN scores n-gram overlap of prediction against target.
func RougeN(target, prediction string, n int, stem bool) Score {
	return rougeNTokens(Tokenize(target, stem), Tokenize(prediction, stem), n)
}

func ngrams(toks []string, n int) map[string]int {
	m := make(map[string]int)
	for i := 0; i+n <= len(toks); i++ {
		m[strings.Join(toks[i:i+n], " ")]++
	}
	return m
}

func rougeNTokens(target, prediction []string, n int) Score {
	tg, pg := ngrams(target, n), ngrams(prediction, n)
	inter, tn, pn := 0, 0, 0
	for g, c := range tg {
		inter += min(c, pg[g])
		tn += c
	}
	for _, c := range pg {
		pn += c
	}
	return fmeasure(float64(inter)/float64(max(pn, 1)), float64(inter)/float64(max(tn, 1)))
}

// RougeL scores the longest common subsequence of the two texts, newlines
// ignored (rouge_score's "rougeL").
func RougeL(target, prediction string, stem bool) Score {
	t, p := Tokenize(target, stem), Tokenize(prediction, stem)
	if len(t) == 0 || len(p) == 0 {
		return Score{}
	}
	l := lcsTable(t, p)[len(t)][len(p)]
	return fmeasure(float64(l)/float64(len(p)), float64(l)/float64(len(t)))
}

// RougeLsum is the summary-level LCS (rouge_score's "rougeLsum"): newlines
// separate sentences, and each target sentence's union LCS against all
// prediction sentences counts hits without double counting tokens.
func RougeLsum(target, prediction string, stem bool) Score {
	ts, ps := sentTokens(target, stem), sentTokens(prediction, stem)
	if len(ts) == 0 || len(ps) == 0 {
		return Score{}
	}
	m, n := 0, 0
	tc, pc := map[string]int{}, map[string]int{}
	for _, s := range ts {
		m += len(s)
		for _, t := range s {
			tc[t]++
		}
	}
	for _, s := range ps {
		n += len(s)
		for _, t := range s {
			pc[t]++
		}
	}
	if m == 0 || n == 0 {
		return Score{}
	}
	hits := 0
	for _, r := range ts {
		for _, t := range unionLCS(r, ps) {
			if tc[t] > 0 && pc[t] > 0 {
				hits++
				tc[t]--
				pc[t]--
			}
		}
	}
	return fmeasure(float64(hits)/float64(n), float64(hits)/float64(m))
}

func sentTokens(text string, stem bool) [][]string {
	var out [][]string
	for _, line := range strings.Split(text, "\n") {
		if line == "" {
			continue
		}
		out = append(out, Tokenize(line, stem))
	}
	return out
}

func lcsTable(a, b []string) [][]int {
	t := make([][]int, len(a)+1)
	for i := range t {
		t[i] = make([]int, len(b)+1)
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			if a[i-1] == b[j-1] {
				t[i][j] = t[i-1][j-1] + 1
			} else {
				t[i][j] = max(t[i-1][j], t[i][j-1])
			}
		}
	}
	return t
}

// lcsIndices returns the indices into ref of one longest common
// subsequence, backtracking exactly as rouge_score does so ties resolve the
// same way.
func lcsIndices(ref, can []string) []int {
	t := lcsTable(ref, can)
	i, j := len(ref), len(can)
	var idx []int
	for i > 0 && j > 0 {
		switch {
		case ref[i-1] == can[j-1]:
			idx = append(idx, i-1)
			i--
			j--
		case t[i][j-1] > t[i-1][j]:
			j--
		default:
			i--
		}
	}
	for l, r := 0, len(idx)-1; l < r; l, r = l+1, r-1 {
		idx[l], idx[r] = idx[r], idx[l]
	}
	return idx
}

func unionLCS(ref []string, cands [][]string) []string {
	seen := make([]bool, len(ref))
	for _, c := range cands {
		for _, i := range lcsIndices(ref, c) {
			seen[i] = true
		}
	}
	var out []string
	for i, ok := range seen {
		if ok {
			out = append(out, ref[i])
		}
	}
	return out
}
