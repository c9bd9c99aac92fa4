package rank

import (
	"math"
	"math/rand"
	"sort"
)

// Measures of a ranking over WikiQA-like groups, and the choice of the
// decline threshold.

// Metrics are WikiQA's measures over a set of questions.
type Metrics struct {
	Questions  int     `json:"questions"`
	Answerable int     `json:"answerable"`
	AnswerP1   float64 `json:"answer_p1"`  // top answer given and right, over answerable questions
	RankingP1  float64 `json:"ranking_p1"` // top candidate right, over answerable questions
	MAP        float64 `json:"map"`
	MRR        float64 `json:"mrr"`
	Precision  float64 `json:"precision"` // answer triggering (eval.py, question level)
	Recall     float64 `json:"recall"`
	F1         float64 `json:"f1"`
}

// Measure scores a ranking function over prepared groups: score gives each
// candidate's score and whether the question is answered (its top
// candidate given).
func Measure(groups []Prepared, score func(Prepared) (scores []float64, answer bool)) Metrics {
	var m Metrics
	var correct, answered, rankRight int
	for _, g := range groups {
		m.Questions++
		sc, ans := score(g)
		order := make([]int, len(sc))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return sc[order[a]] > sc[order[b]] })
		has := anyTrue(g.Labels)
		if ans {
			answered++
		}
		if !has {
			continue
		}
		m.Answerable++
		top := len(order) > 0 && g.Labels[order[0]]
		if top {
			rankRight++
			if ans {
				correct++
			}
		}
		hits, ap, rr := 0, 0.0, 0.0
		for r, i := range order {
			if g.Labels[i] {
				hits++
				ap += float64(hits) / float64(r+1)
				if rr == 0 {
					rr = 1 / float64(r+1)
				}
			}
		}
		m.MAP += ap / float64(hits)
		m.MRR += rr
	}
	if m.Answerable > 0 {
		a := float64(m.Answerable)
		m.AnswerP1, m.RankingP1, m.MAP, m.MRR = float64(correct)/a, float64(rankRight)/a, m.MAP/a, m.MRR/a
		m.Recall = float64(correct) / a
	}
	if answered > 0 {
		m.Precision = float64(correct) / float64(answered)
	}
	if m.Precision+m.Recall > 0 {
		m.F1 = 2 * m.Precision * m.Recall / (m.Precision + m.Recall)
	}
	return m
}

// Scorer is the model as Measure wants it: the ranking scores, and
// whether the top candidate's probability reaches the threshold.
func (m *Model) Scorer(threshold float64) func(Prepared) ([]float64, bool) {
	return func(g Prepared) ([]float64, bool) {
		out := make([]float64, len(g.X))
		at := -1
		for i, x := range g.X {
			out[i] = m.Score(x)
			if at < 0 || out[i] > out[at] {
				at = i
			}
		}
		return out, at >= 0 && m.Prob(g.X[at]) >= threshold
	}
}

// BestThreshold returns the decline threshold for answer-triggering F1
// over the groups, by the one-standard-error rule (Breiman et al. 1984):
// of the thresholds whose F1 the data cannot tell from the best, the
// lowest. Thresholds dev cannot tell apart are a coin toss, and a bot
// should rather give its best sentence, with its confidence, than decline
// on a difference the data does not resolve. Told apart means the F1
// difference exceeds its bootstrap standard error, paired on the same
// resampled questions. Candidates sit midway between neighbouring top
// probabilities; the bootstrap is seeded.
func (m *Model) BestThreshold(groups []Prepared, seed int64) float64 {
	_, low := m.thresholds(groups, seed)
	return low
}

// MaxF1Threshold is the threshold of the best answer-triggering F1 over
// the groups, without the one-standard-error rule (for comparison).
func (m *Model) MaxF1Threshold(groups []Prepared) float64 {
	best, _ := m.thresholds(groups, 0)
	return best
}

// thresholds returns the F1-best threshold and the one-standard-error
// choice.
func (m *Model) thresholds(groups []Prepared, seed int64) (best, low float64) {
	type top struct {
		p          float64
		right, has bool // the top candidate answers; some candidate does
	}
	tops := make([]top, 0, len(groups))
	for _, g := range groups {
		at, best := -1, 0.0
		for i, x := range g.X {
			if sc := m.Score(x); at < 0 || sc > best {
				at, best = i, sc
			}
		}
		if at >= 0 {
			tops = append(tops, top{m.Prob(g.X[at]), g.Labels[at], anyTrue(g.Labels)})
		}
	}
	if len(tops) == 0 {
		return 0.5, 0.5
	}
	sort.SliceStable(tops, func(i, j int) bool { return tops[i].p > tops[j].p })
	f1 := func(sample []int, th float64) float64 {
		correct, answered, answerable := 0, 0, 0
		for _, i := range sample {
			t := tops[i]
			if t.has {
				answerable++
			}
			if t.p >= th {
				answered++
				if t.right {
					correct++
				}
			}
		}
		if correct == 0 {
			return 0
		}
		p, r := float64(correct)/float64(answered), float64(correct)/float64(answerable)
		return 2 * p * r / (p + r)
	}
	all := make([]int, len(tops))
	for i := range all {
		all[i] = i
	}
	var cands []float64
	for i := range tops {
		if i+1 < len(tops) && tops[i+1].p == tops[i].p {
			continue // a threshold cannot split equal probabilities
		}
		th := tops[i].p
		if i+1 < len(tops) {
			th = (tops[i].p + tops[i+1].p) / 2
		}
		cands = append(cands, th)
	}
	bestF := -1.0
	best = cands[0]
	for _, th := range cands {
		if f := f1(all, th); f > bestF {
			best, bestF = th, f
		}
	}
	// A threshold is told apart from the best only if the bootstrap
	// standard error of the F1 difference, paired on the same resampled
	// questions, is smaller than the difference: thresholds share most of
	// their answers, so the difference varies far less than F1 itself.
	rng := rand.New(rand.NewSource(seed))
	const rounds = 500
	samples := make([][]int, rounds)
	for r := range samples {
		samples[r] = make([]int, len(tops))
		for i := range samples[r] {
			samples[r][i] = rng.Intn(len(tops))
		}
	}
	bestOn := make([]float64, rounds)
	for r, sample := range samples {
		bestOn[r] = f1(sample, best)
	}
	low = best
	for _, th := range cands {
		if th >= low {
			continue
		}
		var sum, sum2 float64
		for r, sample := range samples {
			d := bestOn[r] - f1(sample, th)
			sum += d
			sum2 += d * d
		}
		mean := sum / rounds
		se := math.Sqrt(max(sum2/rounds-mean*mean, 0))
		if bestF-f1(all, th) <= se {
			low = th
		}
	}
	return best, low
}
