package briefs

import (
	"strings"
	"testing"
)

func TestFactsEmbedded(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	facts := c.Facts()
	both := "000_c1f63e7485ba089f,002_26eb1baebe2b0c2e"
	want := map[string]struct {
		kind    FactKind
		sources string
	}{
		"$25 billion":               {KindMoney, both},
		"500 million Alexa devices": {KindCount, "002_26eb1baebe2b0c2e"},
		"10,000 people":             {KindCount, "002_26eb1baebe2b0c2e"},
		"2017 to 2021":              {KindPeriod, both},
		"first quarter of 2023":     {KindPeriod, "002_26eb1baebe2b0c2e"},
		"2011":                      {KindDate, "002_26eb1baebe2b0c2e"},
		"2014":                      {KindDate, "002_26eb1baebe2b0c2e"},
		"2019":                      {KindDate, "002_26eb1baebe2b0c2e"},
	}
	seen := map[string]int{}
	for _, f := range facts {
		seen[f.Value]++
		if w, ok := want[f.Value]; ok {
			if f.Kind != w.kind || strings.Join(f.Sources, ",") != w.sources {
				t.Errorf("fact %q: kind %s sources %v, want %s %s", f.Value, f.Kind, f.Sources, w.kind, w.sources)
			}
		}
		if !strings.Contains(f.Text, f.Value) {
			t.Errorf("fact %q: value not in its sentence %q", f.Value, f.Text)
		}
	}
	for v := range want {
		if seen[v] != 1 {
			t.Errorf("fact %q found %d times, want once", v, seen[v])
		}
	}
	if facts[0].Kind != KindMoney {
		t.Errorf("first fact = %+v, want a money figure first", facts[0])
	}
}

// The same figure written differently in two articles is one fact citing
// both, with the first article's wording; other amounts stay apart.
func TestFactsMergeByValue(t *testing.T) {
	c, err := New([]Article{
		{ID: "a", Text: "The utility lost $2.5bn last year and cut 40% of its staff."},
		{ID: "b", Text: "Losses reached 2.5 billion dollars, and 40 percent of workers went."},
		{ID: "c", Text: "A rival lost $2.4 billion in 2023."},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range c.Facts() {
		got = append(got, f.Value+" "+string(f.Kind)+" "+strings.Join(f.Sources, ","))
	}
	want := "$2.5bn money a,b|$2.4 billion money c|40% percent a,b|2023 date c"
	if g := strings.Join(got, "|"); g != want {
		t.Errorf("facts\n got %s\nwant %s", g, want)
	}
}
