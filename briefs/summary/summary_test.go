package summary

import (
	"reflect"
	"strings"
	"testing"

	"github.com/alexa-brief/alexa-brief/briefs/facts"
	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// corpus builds sentences from articles given as paragraphs of text.
func corpus(arts ...[]string) []Sentence {
	var out []Sentence
	for d, paras := range arts {
		pos := 0
		for p, para := range paras {
			for _, sp := range text.Segment(para) {
				s := para[sp.Start:sp.End]
				out = append(out, Sentence{Doc: d, Pos: pos, Para: p, Text: s, Figures: facts.Find(s)})
				pos++
			}
		}
	}
	return out
}

func index(t *testing.T, sents []Sentence, sub string) int {
	t.Helper()
	for i, s := range sents {
		if strings.Contains(s.Text, sub) {
			return i
		}
	}
	t.Fatalf("no sentence holds %q", sub)
	return -1
}

// A story of three articles whose sentences share figures in different
// facts, and restate some facts in other words.
var bridge = [][]string{
	{
		"The Millbrook city council voted 7-2 on Tuesday to replace the Harbor Bridge, approving a $340 million plan after two years of debate.",
		"The state transportation department has pledged a $120 million grant toward the $340 million project.",
		"The rest will come from a $180 million city bond.",
	},
	{
		"The state will contribute a $120 million grant to the $340 million Harbor Bridge replacement, the governor announced Wednesday.",
		"A toll of $2 per crossing is under consideration to help repay the $180 million bond.",
	},
	{
		"On Tuesday the city council voted 7-2 to approve the $340 million plan to replace the Harbor Bridge.",
		"Drivers will face detours of up to 20 minutes during construction, the traffic office said.",
	},
}

func TestSameFactAndSupport(t *testing.T) {
	sents := corpus(bridge...)
	m := New(make([]Article, len(bridge)), sents)
	vote1, vote3 := index(t, sents, "voted 7-2 on Tuesday"), index(t, sents, "On Tuesday the city council")
	grant1, grant2 := index(t, sents, "has pledged"), index(t, sents, "will contribute")
	bond, toll := index(t, sents, "city bond"), index(t, sents, "toll of $2")
	tests := []struct {
		name          string
		a, b          int
		same, support bool // sameFact(a, b); supports(b, a): b supports point a
	}{
		{"the vote, restated", vote1, vote3, true, true},
		{"the grant, restated", grant2, grant1, true, true},
		{"a vote and a grant sharing $340 million", vote1, grant2, false, false},
		{"a grant and a vote sharing $340 million", grant2, vote3, false, false},
		{"a bond and a toll sharing $180 million", bond, toll, false, false},
	}
	for _, tt := range tests {
		if got := m.sameFact(tt.a, tt.b); got != tt.same {
			t.Errorf("%s: sameFact = %v, want %v (overlap %.2f)", tt.name, got, tt.same, m.overlap(tt.a, tt.b))
		}
		if got := m.supports(tt.b, tt.a); got != tt.support {
			t.Errorf("%s: supports = %v, want %v (overlap %.2f)", tt.name, got, tt.support, m.overlap(tt.a, tt.b))
		}
	}
}

func TestPointsCoverFacetsWithTrueSupport(t *testing.T) {
	sents := corpus(bridge...)
	m := New(make([]Article, len(bridge)), sents)
	pts := m.Points(5)
	// facet → the articles stating it, by hand.
	facets := []struct {
		marker string
		docs   []int
	}{
		{"voted 7-2", []int{0, 2}},
		{"$120 million grant", []int{0, 1}},
		{"city bond", []int{0}},
		{"toll of $2", []int{1}},
		{"detours", []int{2}},
	}
	seen := map[string]bool{}
	for _, p := range pts {
		s := sents[p.Sentence].Text
		for _, f := range facets {
			if !strings.Contains(s, f.marker) {
				continue
			}
			if seen[f.marker] {
				t.Errorf("facet %q is in two points (the second: %q)", f.marker, s)
			}
			seen[f.marker] = true
			if !reflect.DeepEqual(p.Docs, f.docs) {
				t.Errorf("point %q cites %v, want %v", s, p.Docs, f.docs)
			}
		}
	}
	for _, f := range facets {
		if !seen[f.marker] {
			t.Errorf("no point states the facet %q; points: %v", f.marker, texts(sents, pts))
		}
	}
}

func texts(sents []Sentence, pts []Point) []string {
	var out []string
	for _, p := range pts {
		out = append(out, sents[p.Sentence].Text)
	}
	return out
}

// A later article that gives the same quantity a new value is the update:
// its sentence is the point, once.
func TestPointsPreferUpdate(t *testing.T) {
	arts := [][]string{
		{"The council approved a $412 million contract for the new harbour tunnel on Monday.", "Work starts in May and will close two lanes."},
		{"The council approved a $430 million contract for the new harbour tunnel on Monday, after a late revision.", "Residents said the closures would hurt shops."},
	}
	sents := corpus(arts...)
	newer := index(t, sents, "$430 million")
	for _, order := range [][2]int{{0, 1}, {1, 0}} {
		m := New([]Article{{Order: order[0]}, {Order: order[1]}}, sents)
		pts := m.Points(3)
		n := 0
		for _, p := range pts {
			if strings.Contains(sents[p.Sentence].Text, "contract") {
				n++
				want := newer
				if order[0] > order[1] {
					want = index(t, sents, "$412 million") // the first article is the later one
				}
				if p.Sentence != want {
					t.Errorf("order %v: contract point %q, want %q", order, sents[p.Sentence].Text, sents[want].Text)
				}
			}
		}
		if n != 1 {
			t.Errorf("order %v: %d contract points, want 1: %v", order, n, texts(sents, pts))
		}
	}
}

func TestPointsDeterministicAndPrefix(t *testing.T) {
	sents := corpus(bridge...)
	long := New(make([]Article, len(bridge)), sents).Points(20)
	for n := 1; n <= len(long); n++ {
		got := New(make([]Article, len(bridge)), sents).Points(n)
		if !reflect.DeepEqual(got, long[:n]) {
			t.Fatalf("Points(%d) is not a prefix of Points(20):\n got %v\nwant %v", n, got, long[:n])
		}
	}
	if got := New(nil, nil).Points(5); got != nil {
		t.Errorf("empty corpus: %v, want no points", got)
	}
}

func TestFitness(t *testing.T) {
	tests := []struct {
		s    string
		want float64
	}{
		{"The council approved the plan on Tuesday after a long debate.", 1},
		{"However, the plan was approved on Tuesday after a long debate.", leaning},
		{"He’s wearing a mask often used to help burn victims.", leaning},
		{"They voted for the plan on Tuesday after a long debate.", leaning},
		{"A council member as mayor in “The Long Debate”", leaning},
		{"Council approves plan.", leaning},
		{"“We approved it,” she said, and the council applauded.", 1},
		{"Editor's note: This story was updated with the vote count.", 0},
		{"Sign up for our newsletter to get the latest council news.", 0},
		{"Watch the council debate the plan »", 0},
		{"By Jane Doe", 0},
	}
	for _, tt := range tests {
		m := New([]Article{{}}, []Sentence{{Text: tt.s}})
		if got := m.fitness(0); got != tt.want {
			t.Errorf("fitness(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}
