package briefs

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestCNNScratch(t *testing.T) {
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
			Highlights []string `json:"highlights"`
		}
		json.Unmarshal(sc.Bytes(), &s)
		if !strings.HasPrefix(s.ID, os.Getenv("STORY")) {
			continue
		}
		c, _ := New([]Article{{ID: "story", Text: strings.Join(s.Paragraphs, "\n\n")}})
		fmt.Println("==", s.ID, len(c.sents))
		for _, h := range s.Highlights {
			fmt.Println("  HL:", h)
		}
		for i := 0; i < 5 && i < len(c.sents); i++ {
			fmt.Printf("  S%d: %.150s\n", i, c.sents[i].text)
		}
		for _, p := range c.Brief(3).Points {
			fmt.Printf("  B: %.150s\n", p.Text)
		}
	}
}
