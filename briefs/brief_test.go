package briefs

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestBriefEmbedded(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	b := c.Brief(5)
	if len(b.Points) != 5 {
		t.Fatalf("got %d points, want 5", len(b.Points))
	}
	if got, want := b.Title, "Amazon’s strategy to profit from its Alexa-enabled devices has reportedly fallen short"; got != want {
		t.Errorf("title = %q, want %q", got, want)
	}
	texts := map[string]string{}
	for _, a := range c.Articles() {
		texts[a.ID] = a.Text
	}
	loss := 0
	for i, p := range b.Points {
		if len(p.Sources) == 0 {
			t.Errorf("point %d has no sources", i)
		}
		found := false
		for _, id := range p.Sources {
			found = found || strings.Contains(texts[id], p.Text)
		}
		if !found {
			t.Errorf("point %d is not verbatim from its sources: %q", i, p.Text)
		}
		if strings.Contains(p.Text, "$25 billion") {
			loss++
			if got, want := strings.Join(p.Sources, ","), "000_c1f63e7485ba089f,002_26eb1baebe2b0c2e"; got != want {
				t.Errorf("the $25 billion point cites %s, want %s", got, want)
			}
			if i != 0 {
				t.Errorf("the $25 billion point is point %d, want it first", i)
			}
		}
	}
	if loss != 1 {
		t.Errorf("the $25 billion loss appears in %d points, want exactly 1", loss)
	}
	if b.Quote == nil || !strings.Contains(b.Quote.Text, "smart timer") {
		t.Errorf("quote = %+v, want the smart timer quote", b.Quote)
	}
	if len(b.Sources) != 2 {
		t.Errorf("got %d sources, want 2", len(b.Sources))
	}
}

func TestBriefMaxPointsAndDeterminism(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	long := c.Brief(8)
	for _, n := range []int{1, 3, 5, 8} {
		got := c.Brief(n)
		if len(got.Points) != n {
			t.Errorf("Brief(%d): %d points", n, len(got.Points))
		}
		if !reflect.DeepEqual(got.Points, long.Points[:n]) {
			t.Errorf("Brief(%d) is not a prefix of Brief(8)", n)
		}
	}
	if got := len(c.Brief(0).Points); got != 5 {
		t.Errorf("Brief(0): %d points, want the default 5", got)
	}
	if got := len(c.Brief(1000).Points); got > maxRanked || got < 10 {
		t.Errorf("Brief(1000): %d points", got)
	}
	// A fresh corpus of the same articles gives the same brief.
	arts, _ := EmbeddedArticles()
	c2, err := New(arts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Brief(5), c2.Brief(5)) {
		t.Errorf("brief differs between two corpora of the same articles")
	}
	// Callers cannot change the cached brief.
	b := c.Brief(5)
	b.Points[0].Sources[0] = "changed"
	b.Quote.Text = "changed"
	if c.Brief(5).Points[0].Sources[0] == "changed" || c.Brief(5).Quote.Text == "changed" {
		t.Errorf("the cached brief was changed through a returned value")
	}
}

// A single article ranks its lead first: news is written that way.
func TestBriefSingleArticleLead(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("Globex cut 1,200 jobs on Monday as demand for its kettles collapsed. ")
	sb.WriteString("The cuts, about a tenth of its staff, will save $300 million a year. ")
	for i := 0; i < 12; i++ {
		fmt.Fprintf(&sb, "Detail number %d about the factory floor and the weather in town. ", i+1)
	}
	c, err := New([]Article{{ID: "one", Text: sb.String()}})
	if err != nil {
		t.Fatal(err)
	}
	b := c.Brief(3)
	if len(b.Points) != 3 {
		t.Fatalf("got %d points", len(b.Points))
	}
	if !strings.HasPrefix(b.Points[0].Text, "Globex cut 1,200 jobs") {
		t.Errorf("first point = %q, want the lead", b.Points[0].Text)
	}
	if b.Quote != nil {
		t.Errorf("quote = %+v, want none", b.Quote)
	}
	if got := strings.Join(b.Points[0].Sources, ","); got != "one" {
		t.Errorf("sources = %s", got)
	}
}

// JSON shapes of SPEC.md: empty lists are [], a missing quote is null.
func TestJSONShapes(t *testing.T) {
	c, err := New([]Article{{ID: "a", Text: "Nothing to quote here at all."}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"quotes", c.Quotes(), `[]`},
		{"facts", c.Facts(), `[]`},
		{"brief", c.Brief(5), `{"title":"Nothing to quote here at all","points":[{"text":"Nothing to quote here at all.","sources":["a"]}],"quote":null,"sources":[{"id":"a","title":"Nothing to quote here at all","url":""}]}`},
	}
	for _, tt := range tests {
		got, err := json.Marshal(tt.v)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.want {
			t.Errorf("%s JSON\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}
