package main

import (
	"slices"
	"strings"

	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// kind of a relation, written as its mark in the table.
type kind byte

const (
	derived kind = '+' // WordNet's own mark for a derivationally related form
	synonym kind = '='
)

// Settings of the rule, chosen for precision over reach: a sense counts when
// it holds a fair share of the uses of its term in WordNet's sense-tagged
// corpora (SemCor), so rare senses ("game", lame) relate nothing.
const (
	// minShare: a sense relates its word when it holds at least this share
	// of the tagged uses of the word's term.
	minShare = 0.05
	// mainShare: of two synonyms, at least one must use the shared sense
	// this often: sharing a minor sense on both sides ("still" and "calm")
	// is not enough.
	mainShare = 0.25
)

// table maps a term to its related terms and how they relate.
type table map[string]map[string]kind

// add records a and b as related both ways, under their normalised terms.
// A derivation outranks a synonymy of the same pair.
func (t table) add(a, b string, k kind) {
	na, nb := text.Norm(a), text.Norm(b)
	if na == nb {
		return // the engine's normaliser already joins them
	}
	t.put(na, nb, k)
	t.put(nb, na, k)
}

func (t table) put(a, b string, k kind) {
	m := t[a]
	if m == nil {
		m = map[string]kind{}
		t[a] = m
	}
	if old, ok := m[b]; !ok || old == synonym {
		m[b] = k
	}
}

// usable reports a single word the engine can meet as a term: letters only
// (no collocations, hyphenated compounds or numbers), two letters at least,
// neither a stop word nor normalised to one ("theses" is "these" to the
// engine). A lemma the normaliser takes for an inflection of another
// word ("said", an adjective, is "say" to the engine) is left out: in
// running text it is that other word.
func usable(w string) bool {
	if len(w) < 2 || text.IsStop(w) || text.IsNumber(w) {
		return false
	}
	if _, ok := text.Irregular[w]; ok {
		return false
	}
	if text.IsStop(text.Norm(w)) {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// share returns the part of its term's tagged uses that w's sense in
// synset id holds. The term is what the engine sees: every lemma with the
// same normalised form, in every part of speech ("privates" is "private"
// to it, and the rare plural's sense gets a tiny share). A term WordNet
// never saw tagged has a share only when it has a single sense.
func (wn *wordnet) share(w word, id synsetID) float64 {
	if w.proper || !usable(w.lemma) {
		return 0
	}
	rank := wn.rank(w.lemma, id)
	if rank == 0 {
		return 0
	}
	total, senses := 0, 0
	for _, lp := range wn.terms[text.Norm(w.lemma)] {
		n := len(wn.senses[lp])
		senses += n
		for r := 1; r <= n; r++ {
			total += wn.counts[senseRank{lp, r}]
		}
	}
	if total == 0 {
		if senses == 1 {
			return 1
		}
		return 0
	}
	return float64(wn.counts[senseRank{lemmaPOS{w.lemma, id.pos}, rank}]) / float64(total)
}

// synonyms adds the words that share a synset in senses frequent for both
// and the main one for at least one of them.
func (wn *wordnet) synonyms(t table) {
	for _, s := range wn.sorted() {
		shares := make([]float64, len(s.words))
		for i, w := range s.words {
			shares[i] = wn.share(w, s.id)
		}
		for i, a := range s.words {
			for j := i + 1; j < len(s.words); j++ {
				lo, hi := shares[i], shares[j]
				if lo > hi {
					lo, hi = hi, lo
				}
				if lo >= minShare && hi >= mainShare {
					t.add(a.lemma, s.words[j].lemma, synonym)
				}
			}
		}
	}
}

// derivations adds WordNet's derivationally related forms ("+") and
// pertainyms ("\": adjective to noun, adverb to adjective) between senses
// frequent for both words.
func (wn *wordnet) derivations(t table) {
	for _, s := range wn.sorted() {
		for _, p := range s.ptrs {
			if p.sym != "+" && p.sym != `\` || p.src == 0 || p.tgt == 0 {
				continue
			}
			to := wn.synsets[p.to]
			if to == nil || p.src > len(s.words) || p.tgt > len(to.words) {
				continue
			}
			a, b := s.words[p.src-1], to.words[p.tgt-1]
			if wn.share(a, s.id) >= minShare && wn.share(b, to.id) >= minShare {
				t.add(a.lemma, b.lemma, derived)
			}
		}
	}
}

// inflections adds the irregular inflections of the exception lists that
// the engine's normaliser does not already bring to their lemma
// ("costlier", "smote"). A form that is itself a lemma of the same part of
// speech ("lay" of "lie") is left out: it has a meaning of its own.
func (wn *wordnet) inflections(t table) {
	for _, e := range wn.exceptions {
		if len(wn.senses[lemmaPOS{e.form, e.pos}]) > 0 || !usable(e.form) || !usable(e.lemma) {
			continue
		}
		t.add(e.form, e.lemma, derived)
	}
}

// glossed adds the nouns WordNet defines through a verb of nearly the same
// spelling: "loss", "the act of losing", "something that is lost". WordNet
// has no derivation pointer for some of these, yet they are how a text
// paraphrases an event ("lost $5 billion", "a $5 billion loss"). The verb
// must appear inflected (as "-ing", "-ed" or an irregular form), as
// deverbal definitions have it, open the definition, be tagged in SemCor
// and be spelled nearly as the noun is: "fork", "the region of the angle
// formed by…", stays apart from "form", and so, for precision, do "sale",
// "the general activity of selling", and "sell".
func (wn *wordnet) glossed(t table) {
	for _, s := range wn.sorted() {
		if s.id.pos != 'n' {
			continue
		}
		def, _, _ := strings.Cut(s.gloss, ";")
		for _, n := range s.words {
			if wn.share(n, s.id) < minShare {
				continue
			}
			toks := strings.FieldsFunc(def, func(r rune) bool { return r < 'a' || r > 'z' })
			for _, tok := range toks[:min(len(toks), glossHead)] {
				for _, v := range wn.verbLemmas(tok) {
					if nearSpelling(v, n.lemma) && wn.tagged(v, 'v') && usable(v) {
						t.add(n.lemma, v, derived)
					}
				}
			}
		}
	}
}

// glossHead is how many words open a definition: a deverbal noun is
// defined by its verb there ("the act of losing", "something that is lost").
const glossHead = 4

// nearSpelling reports two words that agree in all letters but the last of
// the shorter, which has four letters at least, and differ in length by a
// suffix of three letters at most: lose, loss; conquer, conquest; laugh,
// laughter — not love, loss, nor push, pushcart.
func nearSpelling(a, b string) bool {
	short, long := min(len(a), len(b)), max(len(a), len(b))
	return a != b && short >= 4 && long-short <= 3 && commonPrefix(a, b) >= short-1
}

// verbLemmas returns the verb lemmas tok is an inflection of, by WordNet's
// exception list and its detachment rules for "-ed" and "-ing" (wndb(5),
// morphy(7)); a base form yields none.
func (wn *wordnet) verbLemmas(tok string) []string {
	out := slices.Clone(wn.verbExceptions[tok])
	for _, r := range [...]struct{ suffix, ending string }{{"ed", ""}, {"ed", "e"}, {"ing", ""}, {"ing", "e"}} {
		if stem, ok := strings.CutSuffix(tok, r.suffix); ok && len(stem) > 1 {
			if l := stem + r.ending; len(wn.senses[lemmaPOS{l, 'v'}]) > 0 && !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
	}
	return out
}

// tagged reports whether lemma has a sense of pos tagged in SemCor.
func (wn *wordnet) tagged(lemma string, pos byte) bool {
	key := lemmaPOS{lemma, pos}
	for r := 1; r <= len(wn.senses[key]); r++ {
		if wn.counts[senseRank{key, r}] > 0 {
			return true
		}
	}
	return false
}

// commonPrefix is the length of the longest common prefix of a and b.
func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
