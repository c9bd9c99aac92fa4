package rank

import (
	"math"
	"math/rand"
	"slices"
)

// Group is one question with its candidate sentences, as in WikiQA:
// Sentences are one article's, in order; Labels mark the answers.
type Group struct {
	Question  string
	Title     string
	Sentences []string
	Labels    []bool
}

// Prepared is a group's feature vectors, computed once so that training
// and measuring several settings do not redo them.
type Prepared struct {
	X      [][]float64
	BM25   []float64
	Labels []bool
}

// Prepare indexes a group's sentences as one small corpus (its own article)
// and computes the features of every candidate, exactly as the bot does
// for a corpus's candidates.
func Prepare(g Group) Prepared {
	sents := make([]Sentence, len(g.Sentences))
	for i, s := range g.Sentences {
		sents[i] = Sentence{Text: s, Para: i}
	}
	ix := NewIndex(sents, []string{g.Title})
	q := Analyze(g.Question)
	hits := make([]Hit, len(sents))
	for i := range sents {
		hits[i] = Hit{Sent: i, BM25: ix.BM25(q.Terms, i)}
	}
	flat := ix.vectors(ix.resolve(&q), hits, nil)
	p := Prepared{X: make([][]float64, len(hits)), Labels: g.Labels}
	for i := range hits {
		p.X[i] = flat[i*nFeatures : (i+1)*nFeatures : (i+1)*nFeatures]
	}
	for _, h := range hits {
		p.BM25 = append(p.BM25, h.BM25)
	}
	return p
}

// Fit trains a logistic regression on the groups by Newton's method with
// an L2 penalty on the standardised weights (not the bias). It is
// deterministic: the same data gives the same model.
//
// Pointwise, each candidate is one example. Pairwise (RankNet's idea with
// a linear model), each example is the difference between an answer and
// a non-answer of one question, which fits the ordering within a question
// rather than the base rate across questions; the score is then mapped to
// a probability by Platt scaling on the candidates, which folds into the
// same weights and bias, so the model stays one logistic regression.
func Fit(groups []Prepared, s Settings) *Model {
	m := fitPoint(groups, s)
	if s.Pairwise {
		m.Order = fitOrder(groups, s)
	}
	return m
}

// fitPoint fits the pointwise regression alone (no Order).
func fitPoint(groups []Prepared, s Settings) *Model {
	X, y := rows(groups, s.AnswerableOnly)
	return fitRows(X, y, s)
}

// rows flattens the groups into examples.
func rows(groups []Prepared, answerableOnly bool) (X [][]float64, y []float64) {
	for _, g := range groups {
		if answerableOnly && !anyTrue(g.Labels) {
			continue
		}
		for i, x := range g.X {
			X = append(X, x)
			y = append(y, b2f(g.Labels[i]))
		}
	}
	return X, y
}

// fitOrder fits the pairwise ranking weights: a logistic regression on the
// differences between an answer and a non-answer of one question, in
// both orders (so its bias is 0), returned as coefficients of the raw
// features.
func fitOrder(groups []Prepared, s Settings) []float64 {
	var D [][]float64
	var yd []float64
	for _, g := range groups {
		for i := range g.X {
			if !g.Labels[i] {
				continue
			}
			for j := range g.X {
				if g.Labels[j] {
					continue
				}
				d, e := make([]float64, nFeatures), make([]float64, nFeatures)
				for k := range d {
					d[k] = g.X[i][k] - g.X[j][k]
					e[k] = -d[k]
				}
				D = append(D, d, e)
				yd = append(yd, 1, 0)
			}
		}
	}
	if s.OrderL2 > 0 {
		s.L2 = s.OrderL2
	}
	pm := fitRows(D, yd, s)
	out := make([]float64, nFeatures)
	for j := range out {
		out[j] = pm.Weights[j] / pm.Scale[j]
	}
	return out
}

// fitRows fits the logistic regression to examples.
func fitRows(X [][]float64, y []float64, s Settings) *Model {
	m := &Model{Features: FeatureNames, Mean: make([]float64, nFeatures), Scale: make([]float64, nFeatures),
		Weights: make([]float64, nFeatures), Settings: s}
	n := float64(len(X))
	if n == 0 {
		return m
	}
	for _, x := range X {
		for j, v := range x {
			m.Mean[j] += v / n
		}
	}
	for _, x := range X {
		for j, v := range x {
			m.Scale[j] += (v - m.Mean[j]) * (v - m.Mean[j]) / n
		}
	}
	for j := range m.Scale {
		m.Scale[j] = math.Sqrt(m.Scale[j])
		if m.Scale[j] < 1e-9 {
			m.Scale[j] = 1 // a constant feature: its weight stays 0
		}
	}
	const d = nFeatures + 1 // weights, then the bias
	z := make([][]float64, len(X))
	for i, x := range X {
		z[i] = make([]float64, d)
		for j, v := range x {
			z[i][j] = (v - m.Mean[j]) / m.Scale[j]
		}
		z[i][nFeatures] = 1
	}
	w := make([]float64, d)
	for iter := 0; iter < 50; iter++ {
		grad := make([]float64, d)
		hess := make([][]float64, d)
		for j := range hess {
			hess[j] = make([]float64, d)
		}
		for i, zi := range z {
			p := sigmoid(dot(w, zi))
			g, h := p-y[i], p*(1-p)
			for j := 0; j < d; j++ {
				grad[j] += g * zi[j]
				hz := h * zi[j]
				for k := 0; k <= j; k++ {
					hess[j][k] += hz * zi[k]
				}
			}
		}
		for j := 0; j < nFeatures; j++ {
			grad[j] += s.L2 * w[j]
			hess[j][j] += s.L2
		}
		hess[nFeatures][nFeatures] += 1e-9
		for j := 0; j < d; j++ {
			for k := j + 1; k < d; k++ {
				hess[j][k] = hess[k][j]
			}
		}
		step := solve(hess, grad)
		delta := 0.0
		for j := range w {
			w[j] -= step[j]
			delta = max(delta, math.Abs(step[j]))
		}
		if delta < 1e-10 {
			break
		}
	}
	for j := 0; j < nFeatures; j++ {
		if m.Scale[j] == 1 && constant(X, j) {
			w[j] = 0
		}
		m.Weights[j] = w[j]
	}
	m.Bias = w[nFeatures]
	return m
}

func constant(X [][]float64, j int) bool {
	for _, x := range X {
		if x[j] != X[0][j] {
			return false
		}
	}
	return true
}

func anyTrue(ls []bool) bool {
	for _, l := range ls {
		if l {
			return true
		}
	}
	return false
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

func dot(a, b []float64) float64 {
	v := 0.0
	for i := range a {
		v += a[i] * b[i]
	}
	return v
}

// solve returns x with A x = b by Cholesky decomposition (A is symmetric
// positive definite: a Hessian with a ridge).
func solve(A [][]float64, b []float64) []float64 {
	n := len(b)
	L := make([][]float64, n)
	for i := range L {
		L[i] = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		for j := 0; j <= i; j++ {
			s := A[i][j]
			for k := 0; k < j; k++ {
				s -= L[i][k] * L[j][k]
			}
			if i == j {
				L[i][i] = math.Sqrt(max(s, 1e-12))
			} else {
				L[i][j] = s / L[j][j]
			}
		}
	}
	y := make([]float64, n)
	for i := 0; i < n; i++ {
		s := b[i]
		for k := 0; k < i; k++ {
			s -= L[i][k] * y[k]
		}
		y[i] = s / L[i][i]
	}
	x := make([]float64, n)
	for i := n - 1; i >= 0; i-- {
		s := y[i]
		for k := i + 1; k < n; k++ {
			s -= L[k][i] * x[k]
		}
		x[i] = s / L[i][i]
	}
	return x
}

// Folds splits n items into k folds by a seeded shuffle.
func Folds(n, k int, seed int64) []int {
	perm := rand.New(rand.NewSource(seed)).Perm(n)
	out := make([]int, n)
	for i, p := range perm {
		out[p] = i % k
	}
	return out
}

// Choice is one setting tried on dev, with what it measured there.
type Choice struct {
	Settings  Settings `json:"settings"`
	Threshold float64  `json:"threshold"`
	Dev       Metrics  `json:"dev"`
}

// Grid are the settings Train tries.
var Grid = struct {
	L2             []float64
	AnswerableOnly []bool
	Pairwise       []bool
}{
	L2:             []float64{0.1, 1, 10, 30, 100, 300, 1000},
	AnswerableOnly: []bool{false, true},
	Pairwise:       []bool{false, true},
}

// Train fits a model per setting of the grid on train, sets each one's
// decline threshold for answer-triggering F1 on dev (BestThreshold), and
// returns the model with the best sum of dev F1 and MAP — the bot both
// decides whether to answer and ranks, and either figure alone moves with
// a handful of the 296 dev questions (ties: the earlier setting) — with
// every choice tried.
//
// Pairwise, the ordering and the probability are two regressions, so each
// gets its own penalty: the ordering's is chosen first, for dev MAP (all
// it affects), and the probability's then with that ordering.
func Train(train, dev []Prepared, base Settings) (*Model, []Choice) {
	var best *Model
	var bestC Choice
	var tried []Choice
	// The ordering depends on its penalty alone: fitted once per penalty
	// here, and the chosen one reused by every pairwise setting below.
	var order []float64
	orderL2, bestMAP := 0.0, -1.0
	for _, l2 := range Grid.L2 {
		s := base
		s.L2 = l2
		m := fitPoint(nil, s) // no weights: only the ordering is measured
		m.Order = fitOrder(train, s)
		if got := Measure(dev, m.Scorer(0)).MAP; got > bestMAP {
			order, orderL2, bestMAP = m.Order, l2, got
		}
	}
	for _, pw := range Grid.Pairwise {
		for _, ao := range Grid.AnswerableOnly {
			for _, l2 := range Grid.L2 {
				s := base
				s.L2, s.AnswerableOnly, s.Pairwise = l2, ao, pw
				m := fitPoint(train, s)
				if pw {
					s.OrderL2 = orderL2
					m.Settings = s
					m.Order = slices.Clone(order) // Round changes the chosen model's in place
				}
				m.Threshold = m.BestThreshold(dev, s.Seed)
				c := Choice{Settings: s, Threshold: m.Threshold, Dev: Measure(dev, m.Scorer(m.Threshold))}
				tried = append(tried, c)
				if best == nil || c.Dev.F1+c.Dev.MAP > bestC.Dev.F1+bestC.Dev.MAP {
					best, bestC = m, c
				}
			}
		}
	}
	return best, tried
}
