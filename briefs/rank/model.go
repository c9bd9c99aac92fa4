package rank

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"sync"
)

// Model is a logistic regression over standardised features: the
// probability that a sentence answers a question.
type Model struct {
	Features []string  `json:"features"`
	Mean     []float64 `json:"mean"`
	Scale    []float64 `json:"scale"`
	Weights  []float64 `json:"weights"`
	Bias     float64   `json:"bias"`
	// Order, when set, ranks the candidates (Score); the probability above
	// still decides whether the best is given. Pairwise weights order a
	// question's candidates better than the pointwise ones, which carry
	// what tells an answerable question from another.
	Order     []float64 `json:"order,omitempty"`
	Threshold float64   `json:"threshold"` // decline below this probability
	Settings  Settings  `json:"settings"`
}

// Settings are how a model was trained; they are stored with it so that a
// rerun can be checked against it.
type Settings struct {
	L2             float64 `json:"l2"`                 // ridge penalty on the standardised weights
	AnswerableOnly bool    `json:"answerable_only"`    // trained only on questions that have an answer
	Pairwise       bool    `json:"pairwise"`           // Order fitted to answer-minus-non-answer differences
	OrderL2        float64 `json:"order_l2,omitempty"` // Order's ridge penalty, when not L2
	K              int     `json:"k"`                  // BM25 candidates ranked per question
	Seed           int64   `json:"seed"`               // of the cross-validation folds
	Train          string  `json:"train"`              // the training data
	Dev            string  `json:"dev"`                // the data the settings were chosen on
}

//go:embed model.json
var modelJSON []byte

var (
	defaultOnce  sync.Once
	defaultModel *Model
	defaultErr   error
)

// Default is the shipped model, trained by cmd/train-ranker.
func Default() (*Model, error) {
	defaultOnce.Do(func() {
		defaultModel, defaultErr = ParseModel(modelJSON)
	})
	return defaultModel, defaultErr
}

// ParseModel reads a model from JSON and checks it fits the features.
func ParseModel(data []byte) (*Model, error) {
	var m Model
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("rank: model: %w", err)
	}
	if len(m.Features) != nFeatures || len(m.Mean) != nFeatures || len(m.Scale) != nFeatures || len(m.Weights) != nFeatures ||
		m.Order != nil && len(m.Order) != nFeatures {
		return nil, fmt.Errorf("rank: model: %d features, want %d", len(m.Weights), nFeatures)
	}
	for i, f := range m.Features {
		if f != FeatureNames[i] {
			return nil, fmt.Errorf("rank: model: feature %d is %q, want %q", i, f, FeatureNames[i])
		}
	}
	return &m, nil
}

// Prob is the model's probability for a feature vector.
func (m *Model) Prob(x []float64) float64 {
	z := m.Bias
	for j, v := range x {
		z += m.Weights[j] * (v - m.Mean[j]) / m.Scale[j]
	}
	return 1 / (1 + math.Exp(-z))
}

// Score orders candidates: the pairwise score when the model has one,
// else the probability.
func (m *Model) Score(x []float64) float64 {
	if m.Order == nil {
		return m.Prob(x)
	}
	v := 0.0
	for j, w := range m.Order {
		v += w * x[j]
	}
	return v
}

// Scored is a candidate sentence with its ranking score and probability.
type Scored struct {
	Sent  int
	BM25  float64
	Score float64
	Prob  float64
}

// Rank scores the hits for the question and returns them best first
// (ties by BM25, then sentence order).
func (m *Model) Rank(ix *Index, q *Question, hits []Hit) []Scored {
	if len(hits) == 0 {
		return nil
	}
	r := ix.resolve(q)
	// The vectors live only for this call, and at 50 candidates they were
	// the largest allocation of a question: reused through a pool.
	buf := vectorBufs.Get().(*[]float64)
	xs := ix.vectors(r, hits, *buf)
	out := make([]Scored, len(hits))
	for i, h := range hits {
		x := xs[i*nFeatures : (i+1)*nFeatures]
		out[i] = Scored{Sent: h.Sent, BM25: h.BM25, Score: m.Score(x), Prob: m.Prob(x)}
	}
	*buf = xs
	vectorBufs.Put(buf)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		if out[i].BM25 != out[j].BM25 {
			return out[i].BM25 > out[j].BM25
		}
		return out[i].Sent < out[j].Sent
	})
	return out
}

var vectorBufs = sync.Pool{New: func() any { return new([]float64) }}

// vectors returns the feature vectors of the hits, in order, one after
// another (nFeatures each), in flat's storage when it has room.
func (ix *Index) vectors(r *query, hits []Hit, flat []float64) []float64 {
	best := 0.0
	for _, h := range hits {
		best = max(best, h.BM25)
	}
	n := len(hits) * nFeatures
	if cap(flat) < n {
		flat = make([]float64, n)
	}
	flat = flat[:n]
	bestCover := 0.0
	for i, h := range hits {
		x := flat[i*nFeatures : (i+1)*nFeatures]
		ix.features(r, h.Sent, h.BM25, best, x)
		bestCover = max(bestCover, x[3])
	}
	for i := range hits {
		x := flat[i*nFeatures : (i+1)*nFeatures]
		x[5] = x[3] - bestCover
	}
	return flat
}

// DefaultK is how many BM25 candidates the ranker scores per question.
// WikiQA gives each question its own candidates, so this is not fitted
// there: 50 is deep enough that the answer of a news corpus is almost
// always among them and small enough to score in well under a millisecond.
const DefaultK = 50

// Round rounds the model's numbers to nine significant digits, as stored,
// so that a rerun on another machine (where floating-point sums may fuse
// differently) writes the same file.
func (m *Model) Round() {
	r := func(v float64) float64 {
		if v == 0 {
			return 0
		}
		p := math.Pow(10, 8-math.Floor(math.Log10(math.Abs(v))))
		return math.Round(v*p) / p
	}
	for _, xs := range [][]float64{m.Mean, m.Scale, m.Weights, m.Order} {
		for i := range xs {
			xs[i] = r(xs[i])
		}
	}
	m.Bias, m.Threshold, m.Settings.L2, m.Settings.OrderL2 = r(m.Bias), r(m.Threshold), r(m.Settings.L2), r(m.Settings.OrderL2)
}
