package text

import (
	_ "embed"
	"slices"
	"strings"
	"sync"
)

// Paraphrase from a general resource: related.txt relates the terms Norm
// makes, derived by a fixed rule from WordNet 3.0 (internal/genrelated
// documents the rule; WORDNET-LICENSE is WordNet's notice). It knows no
// story: every pair comes from WordNet, none is added by hand.

//go:generate go run ./internal/genrelated -wordnet /usr/share/wordnet -o related.txt

//go:embed related.txt
var relatedData string

// RelationKind says how two terms are related.
type RelationKind uint8

const (
	// Derived terms are forms of one another that Norm does not join: a
	// derivation (die, death; lose, loss) or an irregular inflection
	// (costly, costlier).
	Derived RelationKind = iota + 1
	// Synonym terms share a meaning in a frequent sense of each
	// (buy, purchase; car, automobile).
	Synonym
)

func (k RelationKind) String() string {
	switch k {
	case Derived:
		return "derived"
	case Synonym:
		return "synonym"
	}
	return "unrelated"
}

// Relation is a term related to another, and how.
type Relation struct {
	Term string
	Kind RelationKind
}

// relatedTable is related.txt parsed, loaded on first use: most commands
// never ask.
var relatedTable struct {
	once  sync.Once
	terms map[string][]Relation
}

// Related returns the terms related to term (a term as Norm returns it),
// derived ones first, each kind in byte order of the terms; nil when there
// are none. The slice is shared: callers must not modify it.
func Related(term string) []Relation {
	relatedTable.once.Do(loadRelated)
	return relatedTable.terms[term]
}

// Relate reports how terms a and b are related, if they are.
func Relate(a, b string) (RelationKind, bool) {
	for _, r := range Related(a) {
		if r.Term == b {
			return r.Kind, true
		}
	}
	return 0, false
}

// loadRelated parses the table: one line per term, the term and then its
// related terms, each marked '+' (derived) or '=' (synonym). Terms are
// substrings of the embedded text and all relations share one backing
// array, so loading allocates little beyond the map.
func loadRelated() {
	data := relatedData
	terms := make(map[string][]Relation, strings.Count(data, "\n"))
	all := make([]Relation, 0, strings.Count(data, " "))
	for line := range strings.Lines(data) {
		line = strings.TrimRight(line, "\r\n") // a checkout may have made CRLF of the table
		if line == "" || line[0] == '#' {
			continue
		}
		term, rest, _ := strings.Cut(line, " ")
		start := len(all)
		for rest != "" {
			var tok string
			tok, rest, _ = strings.Cut(rest, " ")
			if len(tok) < 2 {
				continue
			}
			switch tok[0] {
			case '+':
				all = append(all, Relation{Term: tok[1:], Kind: Derived})
			case '=':
				all = append(all, Relation{Term: tok[1:], Kind: Synonym})
			}
		}
		if len(all) > start {
			terms[term] = slices.Clip(all[start:])
		}
	}
	relatedTable.terms = terms
}
