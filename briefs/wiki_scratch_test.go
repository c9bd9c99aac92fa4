package briefs

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

type wikiItem struct {
	q, title string
	sents    []string
	labels   []bool
}

func loadWiki(t *testing.T) []*wikiItem {
	f, err := os.Open("/work/shared/eval-data/wikiqa/WikiQA-dev.tsv")
	if err != nil {
		t.Skip()
	}
	defer f.Close()
	var items []*wikiItem
	idx := map[string]*wikiItem{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		c := strings.Split(sc.Text(), "\t")
		it := idx[c[0]]
		if it == nil {
			it = &wikiItem{q: c[1], title: c[3]}
			idx[c[0]] = it
			items = append(items, it)
		}
		it.sents = append(it.sents, c[5])
		it.labels = append(it.labels, c[6] == "1")
	}
	return items
}

func TestScratchWiki(t *testing.T) {
	items := loadWiki(t)
	var withAns, top1 int
	type row struct {
		cov, score        float64
		typed, has, right bool
		q, ans            string
	}
	var rows []row
	for _, it := range items {
		c, err := New([]Article{{ID: "x", Title: it.title, Text: strings.Join(it.sents, "\n\n")}})
		if err != nil {
			t.Fatal(err)
		}
		in := qaAnalyze(it.q)
		q := c.qa.lookup(in)
		var hs []qaHit
		for _, s := range c.qa.candidates(q, 64, nil) {
			hs = append(hs, c.qa.rescore(c, q, in, s))
		}
		sort.SliceStable(hs, func(i, j int) bool { return hs[i].score > hs[j].score })
		has := false
		for _, l := range it.labels {
			has = has || l
		}
		if has {
			withAns++
		}
		if len(hs) == 0 {
			rows = append(rows, row{has: has, q: it.q})
			continue
		}
		txt := c.sents[hs[0].sent].text
		right := false
		for i, s := range it.sents {
			if strings.Contains(s, txt) && it.labels[i] {
				right = true
			}
		}
		if right {
			top1++
		}
		rows = append(rows, row{hs[0].coverage, hs[0].score, hs[0].typed, has, right, it.q, txt})
	}
	fmt.Printf("P@1 ranking-only: %d/%d = %.3f\n", top1, withAns, float64(top1)/float64(withAns))
	for _, th := range []float64{0.3, 0.35, 0.4, 0.45, 0.5, 0.6} {
		for _, strict := range []bool{true} {
			ans, cor := 0, 0
			for _, r := range rows {
				if r.cov >= th && (!strict || r.typed) {
					ans++
					if r.right {
						cor++
					}
				}
			}
			p, rc := float64(cor)/float64(ans), float64(cor)/float64(withAns)
			fmt.Printf("cov>=%.2f answered %d correct %d P %.3f R %.3f F1 %.3f\n", th, ans, cor, p, rc, 2*p*rc/(p+rc))
		}
	}
	if os.Getenv("WIKI_DUMP") != "" {
		for _, r := range rows {
			fmt.Printf("has=%v right=%v cov=%.2f typed=%v %s\n     -> %.100s\n", r.has, r.right, r.cov, r.typed, r.q, r.ans)
		}
	}
}
