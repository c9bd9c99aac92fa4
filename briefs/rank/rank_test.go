package rank

import (
	"math"
	"strings"
	"testing"
)

// types returns the answer types tokenType gives a sentence's tokens.
func types(s string) Type {
	toks := tokens(s)
	var out Type
	prev := ""
	for i, tk := range toks {
		out |= tokenType(toks, i, prev)
		prev = tk.word
	}
	return out
}

func TestTokenTypes(t *testing.T) {
	tests := []struct {
		text     string
		has, not Type
	}{
		{"The firm lost over $25 billion.", Money, Percent | Date},
		{"Prices rose 25% since August.", Percent | Date, Money},
		{"It was devised in 2011, by a team.", Date, Money | Percent},
		{"The harvest fell to 12,000 tonnes.", Count, Date | Money},
		{"About 1,200 people take it.", Count, Date},
		{"Fishermen oppose it because of the dredging.", Reason, Count},
		{"Harbor director Mara Quint spoke.", Person | Name, Money},
		{"The fair takes place in Kilbrack.", Place | Name, Person},
		{"It costs 40 euros a night.", Money, Percent},
	}
	for _, tt := range tests {
		if got := types(tt.text); got&tt.has != tt.has || got&tt.not != 0 {
			t.Errorf("types(%q) = %b, want all of %b and none of %b", tt.text, got, tt.has, tt.not)
		}
	}
}

func TestLCSAndBigrams(t *testing.T) {
	tests := []struct {
		q, s        []int32
		lcs         int
		bigramShare float64
	}{
		{[]int32{1, 2, 3}, []int32{1, 9, 2, 3}, 3, 0.5},
		{[]int32{1, 2}, []int32{2, 1}, 1, 0},
		{[]int32{1, 2, 3}, []int32{1, 2, 3}, 3, 1},
		{[]int32{-1, 2}, []int32{2}, 1, 0},
		{nil, []int32{1}, 0, 0},
	}
	for _, tt := range tests {
		if got := lcs(tt.q, tt.s); got != tt.lcs {
			t.Errorf("lcs(%v, %v) = %d, want %d", tt.q, tt.s, got, tt.lcs)
		}
		if got := bigrams(tt.q, tt.s); got != tt.bigramShare {
			t.Errorf("bigrams(%v, %v) = %v, want %v", tt.q, tt.s, got, tt.bigramShare)
		}
	}
}

func testIndex() *Index {
	sents := []Sentence{
		{Text: "Island Line 5 links the two clinics.", Doc: 0, Para: 0},
		{Text: "About 1,200 people take it each weekday.", Doc: 0, Para: 0},
		{Text: "The board voted on Tuesday.", Doc: 0, Para: 1},
		{Text: "The ferry district faces a $9 million deficit.", Doc: 1, Para: 0},
		{Text: "It takes place in Kilbrack every September.", Doc: 2, Para: 0},
	}
	return NewIndex(sents, []string{"", "", "Harvest fair"})
}

func TestRetrieve(t *testing.T) {
	ix := testIndex()
	q := Analyze("how many people take island line 5?")
	hits := ix.Retrieve(q.Terms, 2, nil)
	if len(hits) != 2 || hits[0].BM25 < hits[1].BM25 {
		t.Fatalf("Retrieve = %+v, want two hits, best first", hits)
	}
	none := ix.Retrieve(q.Terms, 5, func(s int) bool { return s > 1 })
	for _, h := range none {
		if h.Sent <= 1 {
			t.Errorf("Retrieve with a filter returned sentence %d", h.Sent)
		}
	}
	// A paraphrase retrieves: WordNet relates shortfall and deficit.
	if hs := ix.Retrieve(Analyze("how big is the shortfall?").Terms, 5, nil); len(hs) != 1 || hs[0].Sent != 3 {
		t.Errorf("Retrieve(shortfall) = %+v, want the deficit sentence", hs)
	}
}

func TestCandidates(t *testing.T) {
	ix := testIndex()
	// "it" in the next sentence of the paragraph stands for the line.
	hits := ix.Candidates(Analyze("what does island line 5 link?").Terms, 1, nil)
	if !hasSent(hits, 1) {
		t.Errorf("Candidates = %+v, want the pronoun sentence after the hit", hits)
	}
	// An article's sentences join when its title holds a question term.
	hits = ix.Candidates(Analyze("when is the harvest fair?").Terms, 5, nil)
	if !hasSent(hits, 4) {
		t.Errorf("Candidates = %+v, want the titled article's sentence", hits)
	}
}

func hasSent(hits []Hit, s int) bool {
	for _, h := range hits {
		if h.Sent == s {
			return true
		}
	}
	return false
}

// The shipped model ranks an answering sentence above one that only
// shares words with the question.
func TestDefaultRanks(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if m.Threshold <= 0 || m.Threshold >= 1 {
		t.Errorf("threshold %v, want within (0, 1)", m.Threshold)
	}
	ix := NewIndex([]Sentence{
		{Text: "The reservoir was repainted last spring.", Para: 0},
		{Text: "The reservoir holds 8 million litres of water.", Para: 1},
	}, []string{""})
	q := Analyze("How much water does the reservoir hold?")
	got := m.Rank(ix, &q, ix.Candidates(q.Terms, DefaultK, nil))
	if len(got) != 2 || got[0].Sent != 1 || got[0].Prob <= got[1].Prob {
		t.Errorf("Rank = %+v, want the 8 million litres sentence first", got)
	}
}

// Fit recovers the direction of a separable feature and is deterministic.
func TestFit(t *testing.T) {
	var groups []Prepared
	for i := 0; i < 40; i++ {
		g := Prepared{}
		for j := 0; j < 4; j++ {
			x := make([]float64, nFeatures)
			x[3] = float64((i*7+j*3)%10) / 10 // idf_cover
			x[25] = float64(j)                // length: noise
			g.X = append(g.X, x)
			g.Labels = append(g.Labels, x[3] > 0.6)
		}
		groups = append(groups, g)
	}
	a, b := Fit(groups, Settings{L2: 1}), Fit(groups, Settings{L2: 1})
	if a.Weights[3] <= 0 {
		t.Errorf("weight of the separating feature = %v, want > 0", a.Weights[3])
	}
	for j := range a.Weights {
		if a.Weights[j] != b.Weights[j] {
			t.Fatalf("Fit is not deterministic: weight %d %v then %v", j, a.Weights[j], b.Weights[j])
		}
	}
	if a.Weights[0] != 0 {
		t.Errorf("weight of a constant feature = %v, want 0", a.Weights[0])
	}
	m := Measure(groups, a.Scorer(0))
	if m.RankingP1 < 0.99 || math.Abs(m.AnswerP1-m.RankingP1) > 1e-9 {
		t.Errorf("Measure = %+v, want ranking P@1 1 and answer P@1 equal at threshold 0", m)
	}
	pw := Fit(groups, Settings{L2: 1, Pairwise: true})
	if len(pw.Order) != nFeatures || pw.Order[3] <= 0 || pw.Order[0] != 0 {
		t.Errorf("pairwise order weights = %v, want the separating feature positive and the constant one 0", pw.Order)
	}
	if m := Measure(groups, pw.Scorer(0)); m.RankingP1 < 0.99 {
		t.Errorf("pairwise ranking P@1 = %.2f, want 1", m.RankingP1)
	}
}

func TestMeasure(t *testing.T) {
	groups := []Prepared{
		{Labels: []bool{false, true}, BM25: []float64{1, 2}},  // right at 1
		{Labels: []bool{true, false}, BM25: []float64{1, 2}},  // wrong at 1, right at 2
		{Labels: []bool{false, false}, BM25: []float64{1, 0}}, // nothing to find
	}
	m := Measure(groups, func(g Prepared) ([]float64, bool) { return g.BM25, true })
	want := Metrics{Questions: 3, Answerable: 2, AnswerP1: 0.5, RankingP1: 0.5, MAP: 0.75, MRR: 0.75,
		Precision: 1.0 / 3, Recall: 0.5, F1: 0.4}
	if math.Abs(m.F1-want.F1) > 1e-9 || m.MAP != want.MAP || m.MRR != want.MRR || m.RankingP1 != want.RankingP1 ||
		math.Abs(m.Precision-want.Precision) > 1e-9 || m.Recall != want.Recall {
		t.Errorf("Measure = %+v, want %+v", m, want)
	}
}

func TestParseModel(t *testing.T) {
	for _, bad := range []string{`{`, `{"features":["x"]}`} {
		if _, err := ParseModel([]byte(bad)); err == nil || !strings.HasPrefix(err.Error(), "rank: model") {
			t.Errorf("ParseModel(%q) error = %v, want a rank: model error", bad, err)
		}
	}
}
