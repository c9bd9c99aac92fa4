package briefs

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestCNNSegScratch(t *testing.T) {
	f, err := os.Open("/work/shared/eval-data/cnndm/dev.jsonl")
	if err != nil {
		t.Skip()
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		var s struct {
			ID         string   `json:"id"`
			Paragraphs []string `json:"article_paragraphs"`
		}
		json.Unmarshal(sc.Bytes(), &s)
		c, _ := New([]Article{{ID: "story", Text: strings.Join(s.Paragraphs, "\n\n")}})
		for _, x := range c.sents {
			fmt.Printf("%.2s| %s\n", s.ID, x.text)
		}
		for _, q := range c.Quotes() {
			fmt.Printf("%.2s Q| %q — %s\n", s.ID, q.Text, q.Speaker)
		}
	}
}
