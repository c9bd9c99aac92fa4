package quotes

import (
	"os"
	"testing"

	"github.com/alexa-brief/alexa-brief/briefs/text"
)

func TestDebugCast(t *testing.T) {
	path := os.Getenv("CAST")
	if path == "" {
		t.Skip()
	}
	b, _ := os.ReadFile(path)
	doc := string(b)
	sents := text.Segment(doc)
	c := newCast(doc, sents, func(int) bool { return false })
	for _, p := range c.people {
		t.Logf("person %q g=%d roles=%v strong=%v", p.name, p.gender, p.roles, p.strong)
	}
	t.Logf("mainOrg %q", c.mainOrg)
	for _, q := range Extract(doc, sents) {
		t.Logf("%q — %s", doc[q.Text.Start:q.Text.End], q.Speaker)
	}
}
