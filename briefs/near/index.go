package near

import "slices"

// Bands and Rows split a signature for locality-sensitive hashing: two
// signatures are compared only when all Rows slots of at least one band are
// equal. With 32 bands of 4 a pair of resemblance J becomes a candidate
// with probability 1-(1-J^4)^32: 0.87 at J=0.5, 0.998 at 0.65, 0.003 at
// 0.1, so copies are not missed at the threshold and unrelated articles
// are rarely verified. The bands cover the first 128 slots only: finding
// candidates needs no more, and 64 bands would double the index's buckets;
// verification compares all Perms slots.
const (
	Bands = 32
	Rows  = 4
)

// The bands must fit in the signature; this fails to compile otherwise.
var _ [Perms - Bands*Rows]struct{}

// Index holds the signatures of stored articles and finds the one a new
// article copies. The zero Index is empty and ready to use. Match may run
// on several goroutines at once; Add and Remove may not run alongside
// anything else, so a caller that adds while others match guards the index
// with a sync.RWMutex.
type Index struct {
	// MinSimilarity is the least similarity Match accepts; zero means
	// Threshold. The banding is tuned for values from 0.5 up.
	MinSimilarity float64

	ids     map[string]int32   // id → position in entries
	entries []entry            // by position; removed ones are zero
	free    []int32            // positions of removed entries, for reuse
	buckets map[uint64][]int32 // band key → entries with that band
	exact   map[uint64][]int32 // Sum → short entries, compared exactly
}

type entry struct {
	id  string
	sig Signature
}

// Len returns the number of articles stored.
func (ix *Index) Len() int { return len(ix.ids) }

// Add stores sig under id, replacing what id held before. A signature of a
// body without words is stored but never matches.
func (ix *Index) Add(id string, sig Signature) {
	if ix.ids == nil {
		ix.ids = map[string]int32{}
		ix.buckets = map[uint64][]int32{}
		ix.exact = map[uint64][]int32{}
	}
	ix.Remove(id)
	var e int32
	if n := len(ix.free); n > 0 {
		e, ix.free = ix.free[n-1], ix.free[:n-1]
		ix.entries[e] = entry{id, sig}
	} else {
		e = int32(len(ix.entries))
		ix.entries = append(ix.entries, entry{id, sig})
	}
	ix.ids[id] = e
	if sig.Sum == 0 {
		return
	}
	if short(sig) {
		ix.exact[sig.Sum] = append(ix.exact[sig.Sum], e)
		return
	}
	for b := range Bands {
		k := bandKey(&sig, b)
		ix.buckets[k] = append(ix.buckets[k], e)
	}
}

// Remove deletes id from the index; removing an absent id does nothing.
func (ix *Index) Remove(id string) {
	e, ok := ix.ids[id]
	if !ok {
		return
	}
	sig := &ix.entries[e].sig
	switch {
	case sig.Sum == 0:
	case short(*sig):
		drop(ix.exact, sig.Sum, e)
	default:
		for b := range Bands {
			drop(ix.buckets, bandKey(sig, b), e)
		}
	}
	delete(ix.ids, id)
	ix.entries[e] = entry{}
	ix.free = append(ix.free, e)
}

// Match returns the stored article that sig's body copies: the one of
// highest similarity at least MinSimilarity (ties go to the smaller id, so
// the answer does not depend on the order of adding). Candidates come from
// the bands and are verified on the whole signature.
func (ix *Index) Match(sig Signature) (id string, similarity float64, ok bool) {
	if sig.Sum == 0 || len(ix.ids) == 0 {
		return "", 0, false
	}
	floor := ix.MinSimilarity
	if floor == 0 {
		floor = Threshold
	}
	best := func(e int32) {
		en := &ix.entries[e]
		s := Similarity(sig, en.sig)
		if s < floor {
			return
		}
		if !ok || s > similarity || s == similarity && en.id < id {
			id, similarity, ok = en.id, s, true
		}
	}
	if short(sig) {
		for _, e := range ix.exact[sig.Sum] {
			best(e)
		}
		return id, similarity, ok
	}
	// A true copy shares most bands; verifying it once per band would cost
	// 32 comparisons, so candidates are remembered (they are few).
	var seen []int32
	for b := range Bands {
		for _, e := range ix.buckets[bandKey(&sig, b)] {
			if !slices.Contains(seen, e) {
				seen = append(seen, e)
				best(e)
			}
		}
	}
	return id, similarity, ok
}

func short(sig Signature) bool { return sig.Shingles < MinShingles }

// bandKey hashes band b's slots together with b, so equal slots in
// different bands do not share a bucket. A collision of keys only adds a
// candidate that verification rejects.
func bandKey(sig *Signature, b int) uint64 {
	h := mix(uint64(b) + seed)
	for _, v := range sig.Mins[b*Rows : (b+1)*Rows] {
		h = mix(h ^ uint64(v))
	}
	return h
}

// drop removes e from m[k], deleting the key when nothing is left.
func drop(m map[uint64][]int32, k uint64, e int32) {
	s := m[k]
	if i := slices.Index(s, e); i >= 0 {
		s = slices.Delete(s, i, i+1)
	}
	if len(s) == 0 {
		delete(m, k)
	} else {
		m[k] = s
	}
}
