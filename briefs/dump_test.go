package briefs

import (
	"fmt"
	"testing"
)

func TestDump(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range c.sents {
		fmt.Printf("%d.%d p%d | %s\n", s.doc, s.pos, s.para, s.text)
	}
	for _, a := range c.articles {
		fmt.Println("TITLE", a.Title)
	}
}

func TestDumpQuotes(t *testing.T) {
	c, _ := Default()
	for _, q := range c.Quotes() {
		fmt.Printf("%q  —  %s [%s]\n", q.Text, q.Speaker, q.Source)
	}
	for d := range c.articles {
		e := newArticleEntities(c.articles[d].Text)
		fmt.Println(e.mainOrg, e.people)
	}
}

func TestDumpFacts(t *testing.T) {
	c, _ := Default()
	for _, f := range c.Facts() {
		fmt.Printf("%-8s %-28q %v | %.70s\n", f.Kind, f.Value, f.Sources, f.Text)
	}
}

func TestDumpBrief(t *testing.T) {
	c, _ := Default()
	b := c.Brief(8)
	fmt.Println("TITLE:", b.Title)
	for _, p := range b.Points {
		fmt.Printf("%v | %s\n", p.Sources, p.Text)
	}
	fmt.Printf("QUOTE: %+v\n", b.Quote)
}
