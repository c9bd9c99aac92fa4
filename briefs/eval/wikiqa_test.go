package eval

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/alexa-brief/alexa-brief/briefs/rank"
)

// TestWikiQA measures the shipped ranker on WikiQA dev beside plain BM25
// computed in the same run, and by 5-fold cross-validation on WikiQA
// train:
//
//	go test ./briefs/eval -run TestWikiQA -v
//
// Floors sit a little under the figures reached, so a regression fails.
func TestWikiQA(t *testing.T) {
	dir := dataDir(t)
	m, err := rank.Default()
	if err != nil {
		t.Fatal(err)
	}
	items, err := LoadWikiQA(filepath.Join(dir, WikiQADev))
	if err != nil {
		t.Fatal(err)
	}
	dev := Prepare(items)
	got := rank.Measure(dev, m.Scorer(m.Threshold))
	base := bm25Metrics(items)
	t.Logf("WikiQA dev: %d questions, %d with an answer", got.Questions, got.Answerable)
	t.Logf("%-34s %7s %7s", "", "ranker", "BM25")
	for _, r := range []struct {
		name   string
		r, b   float64
		target string
	}{
		{"answer P@1 (decline = miss)", got.AnswerP1, base.AnswerP1, ">= 0.47"},
		{"ranking P@1", got.RankingP1, base.RankingP1, ">= 1.25 x BM25"},
		{"MAP", got.MAP, base.MAP, ""},
		{"MRR", got.MRR, base.MRR, ""},
		{"triggering precision", got.Precision, base.Precision, ""},
		{"triggering recall", got.Recall, base.Recall, ""},
		{"triggering F1", got.F1, base.F1, ">= 0.45"},
	} {
		t.Logf("%-34s %7.3f %7.3f  %s", r.name, r.r, r.b, r.target)
	}
	floors := []struct {
		name      string
		got, want float64
	}{
		{"answer P@1", got.AnswerP1, 0.52},
		{"ranking P@1", got.RankingP1, 0.64},
		{"ranking P@1 over BM25's x1.25", got.RankingP1, 1.25 * base.RankingP1},
		{"MAP", got.MAP, 0.75},
		{"triggering F1", got.F1, 0.46},
	}
	for _, f := range floors {
		if f.got < f.want {
			t.Errorf("WikiQA dev %s = %.3f, floor %.3f", f.name, f.got, f.want)
		}
	}
}

// bm25Metrics measures plain BM25 on the items: it always answers with its
// top sentence.
func bm25Metrics(items []QAItem) rank.Metrics {
	groups := make([]rank.Prepared, len(items))
	for i, q := range items {
		groups[i] = rank.Prepared{Labels: q.Labels, BM25: BM25Scores(q)}
	}
	return rank.Measure(groups, func(g rank.Prepared) ([]float64, bool) { return g.BM25, len(g.BM25) > 0 })
}

// TestWikiQACrossValidation trains on four folds of WikiQA train and
// measures on the fifth, with the shipped settings, beside BM25.
func TestWikiQACrossValidation(t *testing.T) {
	if testing.Short() {
		t.Skip("five fits of the ranker; .ci/run runs it without -short")
	}
	dir := dataDir(t)
	shipped, err := rank.Default()
	if err != nil {
		t.Fatal(err)
	}
	items, err := LoadWikiQATrain(filepath.Join(dir, WikiQATrain))
	if err != nil {
		t.Fatal(err)
	}
	all := Prepare(items)
	const k = 5
	fold := rank.Folds(len(all), k, RankerSeed)
	var sum, maxF1, base rank.Metrics
	for f := 0; f < k; f++ {
		var train, test []rank.Prepared
		var testItems []QAItem
		for i, g := range all {
			if fold[i] == f {
				test = append(test, g)
				testItems = append(testItems, items[i])
			} else {
				train = append(train, g)
			}
		}
		m := rank.Fit(train, shipped.Settings)
		// The threshold is set on the training folds: the held-out fold
		// is seen only once, to be measured.
		got := rank.Measure(test, m.Scorer(m.BestThreshold(train, RankerSeed)))
		b := bm25Metrics(testItems)
		add(&maxF1, rank.Measure(test, m.Scorer(m.MaxF1Threshold(train))))
		t.Logf("fold %d: answer P@1 %.3f ranking P@1 %.3f MAP %.3f MRR %.3f F1 %.3f | BM25 ranking P@1 %.3f MAP %.3f MRR %.3f",
			f, got.AnswerP1, got.RankingP1, got.MAP, got.MRR, got.F1, b.RankingP1, b.MAP, b.MRR)
		add(&sum, got)
		add(&base, b)
	}
	div(&sum, k)
	div(&maxF1, k)
	div(&base, k)
	t.Logf("5-fold mean: answer P@1 %.3f ranking P@1 %.3f MAP %.3f MRR %.3f triggering P %.3f R %.3f F1 %.3f",
		sum.AnswerP1, sum.RankingP1, sum.MAP, sum.MRR, sum.Precision, sum.Recall, sum.F1)
	t.Logf("5-fold, threshold of the best F1 instead of the one-SE rule: answer P@1 %.3f triggering P %.3f R %.3f F1 %.3f",
		maxF1.AnswerP1, maxF1.Precision, maxF1.Recall, maxF1.F1)
	t.Logf("5-fold BM25:  answer P@1 %.3f ranking P@1 %.3f MAP %.3f MRR %.3f triggering P %.3f R %.3f F1 %.3f",
		base.AnswerP1, base.RankingP1, base.MAP, base.MRR, base.Precision, base.Recall, base.F1)
	if sum.RankingP1 < 1.2*base.RankingP1 || sum.MAP < base.MAP {
		t.Errorf("cross-validated ranking P@1 %.3f MAP %.3f, want at least 1.2 x BM25's %.3f and its MAP %.3f",
			sum.RankingP1, sum.MAP, base.RankingP1, base.MAP)
	}
}

func add(a *rank.Metrics, b rank.Metrics) {
	a.AnswerP1 += b.AnswerP1
	a.RankingP1 += b.RankingP1
	a.MAP += b.MAP
	a.MRR += b.MRR
	a.Precision += b.Precision
	a.Recall += b.Recall
	a.F1 += b.F1
}

func div(a *rank.Metrics, k float64) {
	a.AnswerP1 /= k
	a.RankingP1 /= k
	a.MAP /= k
	a.MRR /= k
	a.Precision /= k
	a.Recall /= k
	a.F1 /= k
}

// TestRankerReproducible retrains the ranker as cmd/train-ranker does and
// checks the result is the embedded model.
func TestRankerReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("the whole training grid; .ci/run runs it without -short")
	}
	dir := dataDir(t)
	m, _, err := TrainRanker(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	shipped, err := rank.Default()
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.MarshalIndent(shipped, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("retrained model differs from briefs/rank/model.json; rerun go run ./cmd/train-ranker\n got: %s\nwant: %s", got, want)
	}
}
