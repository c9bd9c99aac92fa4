package briefs

import (
	"reflect"
	"testing"
)

// withArticles are a story's first two reports and a later one.
var withArticles = []Article{
	{ID: "vote", Title: "Council approves bridge", Text: "The council approved the Harbour Bridge on Tuesday by 7 votes to 2. \u201cIt will cost $340 million,\u201d said Aiyana Redcloud, the council\u2019s engineer.\n\nThe bridge opens in 2031."},
	{ID: "grant", Text: "The state gave a $120 million grant for the Harbour Bridge. Critics said the budget was too small.\n\nThe bridge will carry 40,000 cars a day."},
	{ID: "update", Title: "Bridge cost rises", Text: "The Harbour Bridge will now cost $430 million, up from $340 million, the council said on Friday.\n\n\u201cThe steel came late,\u201d said Nguy\u1ec5n Th\u1ecb Lan, who leads the works."},
}

// With gives what New gives for the same articles: the same version, the
// same answers, brief, quotes and facts.
func TestWithEqualsNew(t *testing.T) {
	want, err := New(withArticles)
	if err != nil {
		t.Fatal(err)
	}
	for split := 1; split < len(withArticles); split++ {
		base, err := New(withArticles[:split])
		if err != nil {
			t.Fatal(err)
		}
		base.Brief(3) // a derived view of the base is not carried over stale
		got, err := base.With(withArticles[split:])
		if err != nil {
			t.Fatal(err)
		}
		if got.Version() != want.Version() {
			t.Errorf("split %d: version %s, want %s", split, got.Version(), want.Version())
		}
		for _, q := range []string{"How much will the bridge cost?", "What did Nguyễn Thị Lan say?", "When does the bridge open?"} {
			if g, w := got.Ask(q), want.Ask(q); !reflect.DeepEqual(g, w) {
				t.Errorf("split %d: Ask(%q) = %+v, want %+v", split, q, g, w)
			}
		}
		if g, w := got.Brief(3), want.Brief(3); !reflect.DeepEqual(g, w) {
			t.Errorf("split %d: Brief = %+v, want %+v", split, g, w)
		}
		if g, w := got.Quotes(), want.Quotes(); !reflect.DeepEqual(g, w) {
			t.Errorf("split %d: Quotes = %+v, want %+v", split, g, w)
		}
		if g, w := got.Facts(), want.Facts(); !reflect.DeepEqual(g, w) {
			t.Errorf("split %d: Facts = %+v, want %+v", split, g, w)
		}
		if g, w := len(base.Articles()), split; g != w {
			t.Errorf("split %d: base has %d articles after With, want %d", split, g, w)
		}
	}
}

func TestWithRefusesBadArticles(t *testing.T) {
	base, err := New(withArticles[:1])
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		a    Article
	}{
		{"duplicate id", Article{ID: "vote", Text: "Other text."}},
		{"no id", Article{Text: "Text."}},
		{"empty", Article{ID: "x", Text: "  "}},
	} {
		if _, err := base.With([]Article{tt.a}); err == nil {
			t.Errorf("%s: With accepted it", tt.name)
		}
	}
	if got, err := base.With(nil); err != nil || got != base {
		t.Errorf("With(nil) = %p, %v; want the corpus itself", got, err)
	}
}

func TestChangedFigures(t *testing.T) {
	c, err := New(withArticles)
	if err != nil {
		t.Fatal(err)
	}
	got := c.ChangedFigures(func(id string) bool { return id == "update" })
	if len(got) != 1 {
		t.Fatalf("got %d changes %+v, want 1", len(got), got)
	}
	if g := got[0]; g.Value != "$430 million" || g.Was != "$340 million" || !g.Up || g.Sources[0] != "update" {
		t.Errorf("change = %+v, want $430 million up from $340 million in update", g)
	}
	// The first reports change nothing: no later article restates a figure.
	if got := c.ChangedFigures(func(id string) bool { return id == "grant" }); len(got) != 0 {
		t.Errorf("grant: changes %+v, want none", got)
	}
}

func TestChangedFiguresTable(t *testing.T) {
	first := Article{ID: "first", Text: "The defence contract is worth $412 million, the ministry said. The Ministry of Defence hired 300 engineers for it."}
	tests := []struct {
		name, later string
		want        []string // "value<was" or "value>was"
	}{
		{"restated without the old value", "The ministry said the contract is now worth $430 million.", []string{"$430 million>$412 million"}},
		{"fell", "The contract shrank to $390 million after the review.", []string{"$390 million<$412 million"}},
		{"another quantity", "The Ministry of Defence spent $55 million on a new radar.", nil},
		{"a count of something else", "The ministry said 40 ships were delayed by the contract.", nil},
		{"the same value", "The $412 million contract was signed on Monday.", nil},
	}
	for _, tt := range tests {
		c, err := New([]Article{first, {ID: "later", Text: tt.later}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, ch := range c.ChangedFigures(func(id string) bool { return id == "later" }) {
			dir := "<"
			if ch.Up {
				dir = ">"
			}
			got = append(got, ch.Value+dir+ch.Was)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}
