package eval

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/alexa-brief/alexa-brief/briefs"
)

func TestZZCNN(t *testing.T) {
	stories, _ := LoadStories("/work/shared/eval-data/cnndm/dev.jsonl")
	for _, s := range stories {
		if os.Getenv("STORY") != "" && !strings.HasPrefix(s.ID, os.Getenv("STORY")) {
			continue
		}
		c, _ := briefs.New([]briefs.Article{{ID: "story", Text: strings.Join(s.Paragraphs, "\n\n")}})
		fmt.Println("=====", s.ID)
		for _, h := range s.Highlights {
			fmt.Println("H:", h)
		}
		for i, x := range c.Sentences("story") {
			if i < 8 {
				fmt.Printf("S%d: %s\n", i, x)
			}
		}
		for _, p := range c.Brief(3).Points {
			fmt.Println("B:", p.Text)
		}
	}
}
