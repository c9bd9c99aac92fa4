// Command train-ranker trains the answer ranker of package briefs/rank from
// the public WikiQA data and writes briefs/rank/model.json:
//
//	go run ./cmd/train-ranker -data ../shared/eval-data
//
// It fits on WikiQA train, chooses the L2 penalty, the training subset and
// the decline threshold on WikiQA dev, and prints every setting tried.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/alexa-brief/alexa-brief/briefs/eval"
)

func main() {
	data := flag.String("data", "../shared/eval-data", "the eval-data folder")
	out := flag.String("out", "briefs/rank/model.json", "where to write the model")
	flag.Parse()
	if err := run(*data, *out); err != nil {
		fmt.Fprintln(os.Stderr, "train-ranker:", err)
		os.Exit(1)
	}
}

func run(data, out string) error {
	m, tried, err := eval.TrainRanker(data)
	if err != nil {
		return err
	}
	for _, c := range tried {
		fmt.Printf("pairwise %-5v l2 %-6g answerable-only %-5v threshold %.3f | dev answer P@1 %.3f ranking P@1 %.3f MAP %.3f MRR %.3f trigger P %.3f R %.3f F1 %.3f\n",
			c.Settings.Pairwise, c.Settings.L2, c.Settings.AnswerableOnly, c.Threshold, c.Dev.AnswerP1, c.Dev.RankingP1, c.Dev.MAP, c.Dev.MRR, c.Dev.Precision, c.Dev.Recall, c.Dev.F1)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode model: %w", err)
	}
	if err := os.WriteFile(out, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	fmt.Printf("chose pairwise %v l2 %g answerable-only %v threshold %.3f; wrote %s\n", m.Settings.Pairwise, m.Settings.L2, m.Settings.AnswerableOnly, m.Threshold, out)
	return nil
}
