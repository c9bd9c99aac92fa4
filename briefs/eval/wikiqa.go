package eval

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strings"

	"github.com/alexa-brief/alexa-brief/briefs/rank"
	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// LoadWikiQATrain reads WikiQA-train.txt: tab-separated (question,
// sentence, label) lines grouped by question in order. The file has no
// titles or ids; a question's group ends where the question changes.
func LoadWikiQATrain(path string) ([]QAItem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval: wikiqa train: %w", err)
	}
	defer f.Close()
	var out []QAItem
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		if sc.Text() == "" {
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 3 {
			return nil, fmt.Errorf("eval: wikiqa train: line %d: %d columns, want 3", n, len(cols))
		}
		if len(out) == 0 || out[len(out)-1].Question != cols[0] {
			out = append(out, QAItem{ID: fmt.Sprintf("T%d", len(out)+1), Question: cols[0]})
		}
		q := &out[len(out)-1]
		q.Sentences = append(q.Sentences, cols[1])
		q.Labels = append(q.Labels, cols[2] == "1")
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("eval: wikiqa train: %w", err)
	}
	return out, nil
}

// Groups turns WikiQA items into the ranker's groups.
func Groups(items []QAItem) []rank.Group {
	out := make([]rank.Group, len(items))
	for i, q := range items {
		out[i] = rank.Group{Question: q.Question, Title: q.Title, Sentences: q.Sentences, Labels: q.Labels}
	}
	return out
}

// Prepare computes the ranker's features of every group.
func Prepare(items []QAItem) []rank.Prepared {
	out := make([]rank.Prepared, len(items))
	for i, g := range Groups(items) {
		out[i] = rank.Prepare(g)
	}
	return out
}

// BM25Scores is the baseline of the WikiQA measures: plain BM25 (k1 1.2,
// b 0.75) over the question's candidate sentences as the collection, terms
// the original Porter stems of the words that are not stop words.
func BM25Scores(q QAItem) []float64 {
	stems := func(s string) []string {
		var out []string
		for _, w := range text.Words(s) {
			if !text.IsStop(w) {
				out = append(out, porterStem(w))
			}
		}
		return out
	}
	docs := make([][]string, len(q.Sentences))
	df := map[string]int{}
	total := 0
	for i, s := range q.Sentences {
		docs[i] = stems(s)
		total += len(docs[i])
		seen := map[string]bool{}
		for _, t := range docs[i] {
			if !seen[t] {
				seen[t] = true
				df[t]++
			}
		}
	}
	n := float64(len(docs))
	avg := max(float64(total)/max(n, 1), 1)
	qt := stems(q.Question)
	out := make([]float64, len(docs))
	for i, d := range docs {
		tf := map[string]int{}
		for _, t := range d {
			tf[t]++
		}
		for _, t := range qt {
			f := float64(tf[t])
			if f == 0 {
				continue
			}
			idf := math.Log(1 + (n-float64(df[t])+0.5)/(float64(df[t])+0.5))
			out[i] += idf * f * 2.2 / (f + 1.2*(0.25+0.75*float64(len(d))/avg))
		}
	}
	return out
}

// The data the ranker is trained and tuned on, under the eval-data folder.
const (
	WikiQATrain = "wikiqa/WikiQA-train.txt"
	WikiQADev   = "wikiqa/WikiQA-dev.tsv"
)

// RankerSeed seeds the cross-validation folds; the fit itself is
// deterministic.
const RankerSeed = 11

// TrainRanker trains the answer ranker from the eval-data folder dir:
// fitted on WikiQA train, its settings and decline threshold chosen on
// WikiQA dev. It returns the model, rounded as it is stored, and every
// setting tried.
func TrainRanker(dir string) (*rank.Model, []rank.Choice, error) {
	train, err := LoadWikiQATrain(dir + "/" + WikiQATrain)
	if err != nil {
		return nil, nil, err
	}
	dev, err := LoadWikiQA(dir + "/" + WikiQADev)
	if err != nil {
		return nil, nil, err
	}
	base := rank.Settings{K: rank.DefaultK, Seed: RankerSeed, Train: WikiQATrain, Dev: WikiQADev}
	m, tried := rank.Train(Prepare(train), Prepare(dev), base)
	m.Round()
	return m, tried, nil
}
