package dbg

import (
	"os"
	"testing"

	"github.com/alexa-brief/alexa-brief/briefs"
)

func TestDbg(t *testing.T) {
	b, _ := os.ReadFile(os.Getenv("CAST"))
	c, err := briefs.New([]briefs.Article{{ID: "x", Text: string(b)}})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range c.Quotes() {
		t.Logf("%q — %s  [%.80q]", q.Text, q.Speaker, q.Sentence)
	}
}
