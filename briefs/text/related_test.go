package text

import (
	"slices"
	"strings"
	"testing"
)

// relation names how the engine sees two surface words: one term already
// ("same"), a related pair, or "unrelated".
func relation(a, b string) string {
	na, nb := Norm(a), Norm(b)
	if na == nb {
		return "same"
	}
	k, _ := Relate(na, nb)
	return k.String()
}

func TestRelate(t *testing.T) {
	tests := []struct {
		a, b string
		want string
	}{
		// derivations the stemmer misses
		{"lose", "loss", "derived"},
		{"lost", "loss", "derived"},
		{"death", "die", "derived"},
		{"died", "death", "derived"},
		{"costly", "costlier", "derived"},
		// inflections and derivations the normaliser already joins
		{"price", "priced", "same"},
		{"price", "pricing", "same"},
		{"invent", "invention", "same"},
		{"govern", "government", "same"},
		// synonyms in the main sense of each word
		{"buy", "purchase", "synonym"},
		{"bought", "purchased", "synonym"},
		{"car", "automobile", "synonym"},
		{"cars", "automobiles", "synonym"},
		{"hire", "employ", "synonym"},
		// a synonym only in a rare sense of one of them, or none at all
		{"car", "machine", "unrelated"},
		{"game", "lame", "unrelated"},
		{"loss", "love", "unrelated"},
		{"say", "aforesaid", "unrelated"},
		{"buy", "sell", "unrelated"},
		{"price", "loss", "unrelated"},
	}
	for _, tt := range tests {
		if got := relation(tt.a, tt.b); got != tt.want {
			t.Errorf("relation(%q, %q) = %s, want %s", tt.a, tt.b, got, tt.want)
		}
		if got := relation(tt.b, tt.a); got != tt.want {
			t.Errorf("relation(%q, %q) = %s, want %s", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestRelated(t *testing.T) {
	tests := []struct {
		word string
		want []Relation
	}{
		{"car", []Relation{{"auto", Synonym}, {"automobil", Synonym}, {"motorcar", Synonym}}},
		{"loss", []Relation{{"lose", Derived}, {"lossi", Derived}}},
		{"zzzz", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := Related(Norm(tt.word)); !slices.Equal(got, tt.want) {
			t.Errorf("Related(Norm(%q)) = %v, want %v", tt.word, got, tt.want)
		}
	}
}

// TestRelatedTable checks every entry: no term related to itself, every
// relation holds both ways with the same kind, derived terms come before
// synonyms and each kind is in byte order, and no term is a stop word,
// a single letter or holds anything but letters.
func TestRelatedTable(t *testing.T) {
	Related("")
	terms := relatedTable.terms
	if len(terms) < 10_000 {
		t.Fatalf("table has %d terms, want 10,000 at least", len(terms))
	}
	word := func(s string) bool {
		return len(s) >= 2 && strings.Trim(s, "abcdefghijklmnopqrstuvwxyz") == "" && !IsStop(s)
	}
	for term, rels := range terms {
		if !word(term) {
			t.Errorf("term %q: not a word the table may hold", term)
		}
		if len(rels) == 0 {
			t.Errorf("term %q: listed with no relations", term)
		}
		sorted := slices.IsSortedFunc(rels, func(a, b Relation) int {
			if a.Kind != b.Kind {
				return int(a.Kind) - int(b.Kind)
			}
			return strings.Compare(a.Term, b.Term)
		})
		if !sorted {
			t.Errorf("term %q: relations %v out of order", term, rels)
		}
		for i, r := range rels {
			if r.Term == term {
				t.Errorf("term %q: related to itself", term)
			}
			if i > 0 && rels[i-1].Term == r.Term {
				t.Errorf("term %q: %q twice", term, r.Term)
			}
			if !word(r.Term) {
				t.Errorf("term %q: related %q is not a word the table may hold", term, r.Term)
			}
			if k, ok := Relate(r.Term, term); !ok || k != r.Kind {
				t.Errorf("%q → %q is %v, but %q → %q is %v (found %v)", term, r.Term, r.Kind, r.Term, term, k, ok)
			}
		}
	}
}

func BenchmarkLoadRelated(b *testing.B) {
	for b.Loop() {
		loadRelated()
	}
}
