package summary

import "github.com/alexa-brief/alexa-brief/briefs/text"

// Terms that are forms of one another ("lose", "loss"; "die", "death")
// are one concept: a brief that says "lost $25 billion" has covered the
// "losses" of another sentence, and two sentences stating them state one
// fact. Norm joins inflections; text.Related joins the derivations Norm's
// stemmer leaves apart (WordNet's derivational links).
//
// Families are made within the corpus: two of its terms are one family
// when a chain of derivations links them through terms the corpus holds.
// Chaining through the whole table would join terms no text relates (a
// compound adjective links "heart" and "lung"); chaining through the
// corpus joins them only when the corpus itself uses the link. Synonyms
// stay apart: a synonym holds in one sense of each word, not in every
// sentence.

// families maps each normalised content term of the corpus to its family's
// representative, the smallest term in byte order (so the mapping does not
// depend on the order the terms are met). A term without relatives maps to
// itself and is left out of the map.
func families(terms map[string]bool) map[string]string {
	parent := map[string]string{}
	var find func(string) string
	find = func(t string) string {
		p, ok := parent[t]
		if !ok || p == t {
			return t
		}
		r := find(p)
		parent[t] = r
		return r
	}
	for t := range terms {
		for _, r := range text.Related(t) {
			if r.Kind != text.Derived || !terms[r.Term] {
				continue
			}
			a, b := find(t), find(r.Term)
			if a == b {
				continue
			}
			if b < a {
				a, b = b, a
			}
			parent[a], parent[b] = a, a
		}
	}
	out := make(map[string]string, len(parent))
	for t := range parent {
		if r := find(t); r != t {
			out[t] = r
		}
	}
	return out
}
