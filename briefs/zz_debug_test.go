package briefs

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
)

type zzItem struct {
	id, q, title string
	sents        []string
	labels       []bool
}

func zzLoad() []zzItem {
	f, _ := os.Open("/work/shared/eval-data/wikiqa/WikiQA-dev.tsv")
	defer f.Close()
	var out []zzItem
	idx := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		if n == 1 {
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		i, ok := idx[cols[0]]
		if !ok {
			i = len(out)
			idx[cols[0]] = i
			out = append(out, zzItem{id: cols[0], q: cols[1], title: cols[3]})
		}
		out[i].sents = append(out[i].sents, cols[5])
		out[i].labels = append(out[i].labels, cols[6] == "1")
	}
	return out
}

func zzCited(cands []string, cite string) int {
	for i, s := range cands {
		if strings.Contains(s, cite) || strings.Contains(cite, s) {
			return i
		}
	}
	return -1
}

func TestZZWiki(t *testing.T) {
	items := zzLoad()
	for _, q := range items {
		c, _ := New([]Article{{ID: q.id, Title: q.title, Text: strings.Join(q.sents, "\n\n")}})
		in := qaAnalyze(q.q)
		hits := c.qa.search(c, in, nil, 3, 0)
		a := c.Ask(q.q)
		var gold []int
		for i, l := range q.labels {
			if l {
				gold = append(gold, i)
			}
		}
		ans := -1
		if a.Answered {
			ans = zzCited(q.sents, a.Citations[0].Text)
		}
		status := "DECL"
		if a.Answered {
			status = "ANS"
		}
		ok := ans >= 0 && len(gold) > 0 && q.labels[ans]
		fmt.Printf("### %s %s ok=%v want=%b strict=%v | %s | T=%s | gold=%v ans=%d n=%d\n", q.id, status, ok, in.want, in.strict, q.q, q.title, gold, ans, len(q.sents))
		for _, h := range hits {
			ci := zzCited(q.sents, c.sents[h.sent].text)
			g := " "
			if ci >= 0 && q.labels[ci] {
				g = "*"
			}
			fmt.Printf("   %s [%d] sc=%.2f cov=%.2f typed=%v %.120s\n", g, ci, h.score, h.coverage, h.typed, c.sents[h.sent].text)
		}
		for _, gi := range gold {
			fmt.Printf("   GOLD[%d] %.150s\n", gi, q.sents[gi])
		}
	}
}

func init() {
	if v := os.Getenv("MINCOV"); v != "" {
		fmt.Sscan(v, &minCoverage)
	}
	if v := os.Getenv("LP"); v != "" {
		fmt.Sscan(v, &leadPrior)
	}
	if v := os.Getenv("TI"); v != "" {
		fmt.Sscan(v, &titleImplicit)
	}
	if v := os.Getenv("TIBM"); v != "" {
		fmt.Sscan(v, &titleImplicitBM)
	}
	if v := os.Getenv("TE"); v != "" {
		fmt.Sscan(v, &titleExplicit)
	}
}

func TestZZEmbedded(t *testing.T) {
	c, _ := Default()
	for _, q := range []string{"What is the stock price of Amazon?", "What color is the Echo?", "Who is the mayor of Velmora?", "Who won the 2018 World Cup?", "What is the capital of France?", "What did Tim Cook say about the iPhone?",
		"What did they worry they had built?", "how much did Amazon lose on devices?", "When did the Echo debut?", "How many Alexa devices has Amazon sold?", "Who is Amazon's CEO?", "Why did the downstream impact theory fail?", "What did Dave Limp say?"} {
		in := qaAnalyze(q)
		hits := c.qa.search(c, in, nil, 2, 0)
		a := c.Ask(q)
		fmt.Printf("### %v | %s | %.100s\n", a.Answered, q, a.Answer)
		for _, h := range hits {
			fmt.Printf("    sc=%.2f cov=%.2f typed=%v %.100s\n", h.score, h.coverage, h.typed, c.sents[h.sent].text)
		}
	}
	for _, a := range c.articles {
		fmt.Println("TITLE:", a.Title)
	}
}

func TestZZStats(t *testing.T) {
	items := zzLoad()
	var withAns, answered, correct, rank1 int
	type agg struct{ n, ans, answered, correct, r1 int }
	byType := map[string]*agg{}
	for _, q := range items {
		c, _ := New([]Article{{ID: q.id, Title: q.title, Text: strings.Join(q.sents, "\n\n")}})
		in := qaAnalyze(q.q)
		a := c.Ask(q.q)
		has := false
		for _, l := range q.labels {
			has = has || l
		}
		w := strings.ToLower(strings.Fields(q.q)[0])
		if w == "how" && len(strings.Fields(q.q)) > 1 {
			w += " " + strings.ToLower(strings.Fields(q.q)[1])
			if w != "how many" && w != "how much" {
				w = "how other"
			}
		}
		g := byType[w]
		if g == nil {
			g = &agg{}
			byType[w] = g
		}
		g.n++
		if has {
			withAns++
			g.ans++
			hits := c.qa.search(c, in, nil, 1, 0)
			if len(hits) > 0 {
				if i := zzCited(q.sents, c.sents[hits[0].sent].text); i >= 0 && q.labels[i] {
					rank1++
					g.r1++
				}
			}
		}
		if a.Answered {
			answered++
			g.answered++
			if i := zzCited(q.sents, a.Citations[0].Text); i >= 0 && q.labels[i] {
				correct++
				g.correct++
			}
		}
	}
	p, r := float64(correct)/float64(answered), float64(correct)/float64(withAns)
	fmt.Printf("answered %d correct %d P %.3f R %.3f F1 %.3f rank1 %d/%d\n", answered, correct, p, r, 2*p*r/(p+r), rank1, withAns)
	for k, g := range byType {
		fmt.Printf("  %-10s n=%3d ans=%3d answered=%3d correct=%3d rank1=%3d\n", k, g.n, g.ans, g.answered, g.correct, g.r1)
	}
}

func TestZZRankFail(t *testing.T) {
	items := zzLoad()
	for _, q := range items {
		has := false
		for _, l := range q.labels {
			has = has || l
		}
		if !has {
			continue
		}
		c, _ := New([]Article{{ID: q.id, Title: q.title, Text: strings.Join(q.sents, "\n\n")}})
		in := qaAnalyze(q.q)
		hits := c.qa.search(c, in, nil, 1, 0)
		if len(hits) > 0 {
			if i := zzCited(q.sents, c.sents[hits[0].sent].text); i >= 0 && q.labels[i] {
				continue
			}
		}
		fmt.Printf("### %s | T=%s | want=%b\n", q.q, q.title, in.want)
		for _, h := range hits {
			fmt.Printf("    TOP [%d] sc=%.2f cov=%.2f typed=%v %.140s\n", c.sents[h.sent].pos, h.score, h.coverage, h.typed, c.sents[h.sent].text)
		}
		for i, l := range q.labels {
			if l {
				// score of gold
				for s := range c.sents {
					if strings.Contains(q.sents[i], c.sents[s].text) {
						h := c.qa.rescore(c, c.qa.lookup(in), in, s)
						fmt.Printf("    GOLD[%d] sc=%.2f cov=%.2f typed=%v %.140s\n", i, h.score, h.coverage, h.typed, c.sents[s].text)
						break
					}
				}
			}
		}
	}
}

func zzType(q string) string {
	f := strings.Fields(strings.ToLower(q))
	w := f[0]
	if w == "how" && len(f) > 1 {
		w += " " + f[1]
		if w != "how many" && w != "how much" {
			w = "how other"
		}
	}
	return w
}

func TestZZDump(t *testing.T) {
	items := zzLoad()
	out, _ := os.Create("/tmp/wikidump.tsv")
	defer out.Close()
	for _, q := range items {
		c, _ := New([]Article{{ID: q.id, Title: q.title, Text: strings.Join(q.sents, "\n\n")}})
		in := qaAnalyze(q.q)
		hits := c.qa.search(c, in, nil, 2, 0)
		has := 0
		for _, l := range q.labels {
			if l {
				has = 1
			}
		}
		a := c.Ask(q.q)
		ans := 0
		if a.Answered {
			ans = 1
		}
		if len(hits) == 0 {
			fmt.Fprintf(out, "%s\t%s\t%d\t%d\t-1\t0\t0\t0\t0\t%d\t0\n", q.id, zzType(q.q), has, 0, ans)
			continue
		}
		h := hits[0]
		ci := zzCited(q.sents, c.sents[h.sent].text)
		corr := 0
		if ci >= 0 && q.labels[ci] {
			corr = 1
		}
		second := 0.0
		if len(hits) > 1 {
			second = hits[1].score
		}
		typed := 0
		if h.typed {
			typed = 1
		}
		var unk, tot float64
		for _, qt := range c.qa.lookup(in) {
			tot += qt.covW
			if !qt.known {
				unk += qt.covW
			}
		}
		fmt.Fprintf(out, "%s\t%s\t%d\t%d\t%d\t%.3f\t%.3f\t%d\t%.3f\t%d\t%d\t%.3f\t%.3f\n", q.id, zzType(q.q), has, corr, c.sents[h.sent].pos, h.coverage, h.score, typed, second, ans, len(q.sents), unk/tot, h.focus)
	}
}
