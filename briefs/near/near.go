// Package near recognises near-duplicate articles: syndicated copies of one
// wire story that differ in headline, byline or dateline, an added "first
// published by" line, a trimmed last paragraph, typographic quotes, accents
// or wrapping. A copy corroborates the story it copies; it is not a new
// article. Stories that share only a paragraph or two, two outlets' own
// accounts of one event, and an update that brings several new paragraphs
// are new articles and must not match.
//
// # How
//
// An article body is cut into overlapping 5-word shingles of the words
// text.Words finds, accents folded by text.Fold, numbers kept, so quote
// marks, dashes, case, whitespace and line wrapping do not count. Sign keeps
// a MinHash signature of the shingle set: for each of 256 seeded hash
// functions, the least hash over the shingles. The fraction of equal slots
// of two signatures estimates the Jaccard resemblance |A∩B|/|A∪B| of their
// shingle sets (Broder 1997). Index bands the slots so that a lookup among
// 10,000 articles verifies only the few that share a band.
//
// # Why these choices
//
// MinHash rather than SimHash: SimHash over words (as github.com/mfonda/simhash
// is used) estimates the cosine of word-count vectors, which does not
// separate the cases here: on the pairs of testdata it is 0.965 or more for
// copies but up to 0.960 for updates and 0.86 for another outlet's account
// of the same event. Over shingles SimHash would estimate nearly what MinHash
// does, from one 64-bit fingerprint whose error is several times that of 256
// slots. MinHash over shingles measures shared runs of words, which copying
// keeps and rewording does not; its error is known (sqrt(J(1-J)/256), 0.03
// near the threshold) and banding makes it indexable.
//
// Resemblance rather than containment of the shorter text in the longer:
// both were measured on the development pairs of testdata (TestMeasureChoice).
// Containment forgives a trimmed ending and added boilerplate, but it also
// calls an update a copy of the story it extends, since the original lies
// wholly inside it (containment 0.94 and 1.0 for the two such updates of the
// development half); its best F1 there is 0.957 at precision 0.917.
// Resemblance separates the development half: near misses up to 0.626,
// copies from 0.699. The price is that a copy which drops or adds much more
// than a paragraph is not found, and an update that adds a single paragraph
// is taken for a copy: from the text alone it cannot be told from a copy
// with a trimmed ending seen from the other side.
//
// Texts of fewer than MinShingles shingles are never matched by MinHash, whose
// slots on a tiny set say little; they match only when their words are the
// same.
//
// Written here because no well-kept Go library fits: github.com/mfonda/simhash
// is SimHash and unmaintained since 2015, and the Go MinHash packages
// (github.com/ekzhu/minhash-lsh, github.com/dgryski/go-minhash) have not
// changed since 2019; what is needed is a hundred lines. The hashing is
// written out (FNV-1a, splitmix64) because hash/maphash is seeded per
// process and signatures are kept.
package near

import (
	"slices"

	"github.com/alexa-brief/alexa-brief/briefs/text"
)

const (
	// Perms is the number of MinHash slots of a signature. With 256 the
	// estimate's standard error near the threshold is 0.03; with 128 it was
	// 0.04, and the estimated gap between the development set's copies and
	// near misses shrank to 0.02.
	Perms = 256
	// ShingleWords is the length of a shingle in words. Five is long enough
	// that two reporters writing about one event rarely share one by chance,
	// short enough that an edited sentence costs only the shingles around
	// the edit.
	ShingleWords = 5
	// MinShingles is the least number of distinct shingles a text needs to
	// be compared by MinHash; shorter texts match only exactly.
	MinShingles = 20

	// Threshold is the least estimated resemblance at which two bodies are
	// copies. Chosen on the development half of testdata/pairs.tsv alone:
	// there the highest near miss (an update that adds five paragraphs to
	// the whole original) scores 0.626 and the lowest copy (two copies of
	// one story, one with a byline and credit lines, the other trimmed
	// and edited) 0.699; Threshold is the midpoint, to two decimals.
	// TestThreshold recomputes it.
	Threshold = 0.66
)

// Signature is the MinHash signature of an article body with what is needed
// to compare it: the size of its shingle set and a hash of its whole word
// sequence.
type Signature struct {
	// Mins holds the low 16 bits of the least 64-bit hash of each
	// permutation over the shingles ("b-bit minwise hashing", Li and König
	// 2010): half the memory of 32-bit slots, at the cost of a chance
	// agreement of 1 in 65,536 per slot between different minima. The low
	// bits of the full minimum are kept, not the minimum of truncated
	// hashes, whose small values would collide far more often.
	Mins     [Perms]uint16
	Shingles int    // distinct shingles in the body
	Sum      uint64 // hash of all the body's words in order; 0 for a body without words
}

// Sign returns the signature of an article body (not its title: copies
// change headlines). It is deterministic across processes and machines.
func Sign(body string) Signature {
	ws := words(body)
	sig := Signature{Sum: sum(ws)}
	sh := shingles(ws)
	sig.Shingles = len(sh)
	// Slot by slot rather than shingle by shingle: the running minimum
	// stays in a register (15% faster than the other order). Slot i
	// hashes the shingle again under its own seed; the cheaper a*x+b
	// family was tried and, at 128 slots on the pairs of testdata, strayed
	// further from the exact resemblance (root-mean-square error 1.14
	// standard deviations against 1.03).
	for i, s := range seeds {
		m := ^uint64(0)
		for _, x := range sh {
			m = min(m, mix(x^s))
		}
		sig.Mins[i] = uint16(m)
	}
	return sig
}

// Similarity returns the estimated resemblance of the bodies two signatures
// were made from, in [0, 1]. Identical word sequences score 1; a body
// without words scores 0 against anything, and a short body (fewer than
// MinShingles shingles) 0 against anything it is not identical to.
func Similarity(a, b Signature) float64 {
	if a.Sum == 0 || b.Sum == 0 {
		return 0
	}
	if a.Sum == b.Sum {
		return 1
	}
	if a.Shingles < MinShingles || b.Shingles < MinShingles {
		return 0
	}
	eq := 0
	for i := range a.Mins {
		if a.Mins[i] == b.Mins[i] {
			eq++
		}
	}
	est := float64(eq) / Perms
	// Resemblance can never exceed the ratio of the sets' sizes; capping
	// there removes estimates that only MinHash noise made high.
	lo, hi := min(a.Shingles, b.Shingles), max(a.Shingles, b.Shingles)
	return min(est, float64(lo)/float64(hi))
}

// Copies reports whether b is a copy of a (or a of b: the relation is
// symmetric): their similarity reaches Threshold.
func Copies(a, b Signature) bool { return Similarity(a, b) >= Threshold }

// words returns the body's words as text.Words splits them, accents folded
// so a copy stripped to ASCII still matches.
func words(body string) []string {
	ws := text.Words(body)
	for i, w := range ws {
		ws[i] = text.Fold(w)
	}
	return ws
}

// shingles returns the distinct hashes of the ShingleWords-word windows of
// ws, sorted.
func shingles(ws []string) []uint64 {
	if len(ws) < ShingleWords {
		return nil
	}
	wh := make([]uint64, len(ws))
	for i, w := range ws {
		wh[i] = fnv1a(w)
	}
	out := make([]uint64, 0, len(ws)-ShingleWords+1)
	for i := 0; i+ShingleWords <= len(wh); i++ {
		var h uint64
		for _, x := range wh[i : i+ShingleWords] {
			h = mix(h ^ x) // order matters: "a b" and "b a" differ
		}
		out = append(out, h)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// sum hashes the whole word sequence; never 0 for a non-empty one, so 0
// can stand for "no words".
func sum(ws []string) uint64 {
	if len(ws) == 0 {
		return 0
	}
	h := uint64(len(ws))
	for _, w := range ws {
		h = mix(h ^ fnv1a(w))
	}
	if h == 0 {
		h = 1
	}
	return h
}

// fnv1a is the 64-bit FNV-1a hash of s.
func fnv1a(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// mix is the splitmix64 finaliser: every input bit reaches every output
// bit. FNV's multiplication does not give that (its low output bits depend
// on low input bits only), nor does xor-ing word hashes into a shingle.
func mix(z uint64) uint64 {
	z ^= z >> 30
	z *= 0xbf58476d1ce4e5b9
	z ^= z >> 27
	z *= 0x94d049bb133111eb
	return z ^ z>>31
}

// seed fixes the permutations. Changing it changes every stored signature;
// testdata/golden.txt catches that.
const seed = 0x616c6578615f6e72 // "alexa_nr"

// seeds are the slots' own seeds: the splitmix64 sequence from seed.
var seeds = func() (s [Perms]uint64) {
	state := uint64(seed)
	for i := range s {
		state += 0x9e3779b97f4a7c15
		s[i] = mix(state)
	}
	return s
}()
