package summary

import (
	"reflect"
	"testing"

	"github.com/alexa-brief/alexa-brief/briefs/text"
)

func TestFamilies(t *testing.T) {
	tests := []struct {
		name  string
		words []string
		want  map[string]string // term → representative, for related terms only
	}{
		{"a derivation joins", []string{"losses", "lost"}, map[string]string{text.Norm("losses"): text.Norm("lost")}},
		{"death and died, the smaller term representing", []string{"death", "died"}, map[string]string{"die": "death"}},
		{"no relative in the corpus", []string{"losses", "bridge"}, map[string]string{}},
		{"unrelated words stay apart", []string{"council", "vote"}, map[string]string{}},
	}
	for _, tt := range tests {
		terms := map[string]bool{}
		for _, w := range tt.words {
			terms[text.Norm(w)] = true
		}
		if got := families(terms); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: families(%v) = %v, want %v", tt.name, tt.words, got, tt.want)
		}
	}
}

// Forms of one word are one concept: a sentence stating the "losses" has
// covered what another says with "lost".
func TestDerivedFormsAreOneConcept(t *testing.T) {
	sents := corpus([]string{
		"The ferry company lost heavily on the northern route this winter.",
		"Its losses on the northern route forced the ferry company to cut sailings.",
	})
	m := New([]Article{{}}, sents)
	a, b := m.info[0].lemmas, m.info[1].lemmas
	shared := 0
	for _, x := range a {
		for _, y := range b {
			if x == y {
				shared++
			}
		}
	}
	// ferry, company, northern, route, and lose/loss.
	if shared != 5 {
		t.Errorf("the sentences share %d content concepts, want 5 (lost and losses as one)", shared)
	}
}
