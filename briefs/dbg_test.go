package briefs

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/alexa-brief/alexa-brief/briefs/rank"
)

func TestDebugAsk(t *testing.T) {
	qs := strings.Split(os.Getenv("QS"), "|")
	var c *Corpus
	if os.Getenv("FAIR") != "" {
		c, _ = New([]Article{{ID: "fair", Title: "Harvest Fair of Dunmore", Text: "The Harvest Fair of Dunmore is a yearly farm show in the north of the county.\n\n" +
			"It takes place in Kilbrack every September.\n\n" +
			"The fair was founded by José Ortiz, a dairy farmer.\n\n" +
			"Its prize for the largest pumpkin is the best known of its contests."}})
	} else if d := os.Getenv("DIR"); d != "" {
		c = loadQADir(t, d)
	} else {
		c, _ = Default()
	}
	for _, question := range qs {
		q := rank.Analyze(question)
		r := c.search(q, nil)
		fmt.Printf("Q %q terms=%v want=%b focus=%q missing=%v thr=%.3f\n", question, q.Terms, q.Want, q.Focus, r.missing, ranker.Threshold)
		var hs []rank.Hit
		for _, h := range r.ranked {
			hs = append(hs, rank.Hit{Sent: h.Sent, BM25: h.BM25})
		}
		xs := c.qa.Features(c.qa.Resolve(&q), hs)
		for i, h := range r.ranked[:min(3, len(r.ranked))] {
			x := xs[i]
			fmt.Printf("  %d p=%.3f bm=%.2f %.90s\n     %v\n", i, h.Prob, h.BM25, c.sents[h.Sent].text, fmtX(x))
		}
	}
}

func fmtX(x []float64) string {
	var b strings.Builder
	for i, v := range x {
		if v != 0 {
			fmt.Fprintf(&b, "%s=%.2f ", rank.FeatureNames[i], v)
		}
	}
	return b.String()
}
