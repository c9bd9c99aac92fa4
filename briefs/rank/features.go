package rank

import (
	"math"

	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// FeatureNames name the features of a (question, sentence) pair, in the
// order of the feature vectors and of the model's weights.
var FeatureNames = []string{
	"bm25",            // BM25 of the sentence over the most its question could reach
	"bm25_rel",        // BM25 over the best candidate's
	"bm25_top",        // 1 for the best BM25 candidate
	"idf_cover",       // idf-weighted share of the question's terms in the sentence
	"cover",           // share of the question's terms in the sentence
	"cover_gap",       // idf_cover minus the best candidate's
	"title_cover",     // idf_cover counting the article's title as part of the sentence
	"bigram",          // share of the question's term bigrams in the sentence
	"lcs",             // longest common subsequence of terms over the question's terms
	"wants_type",      // the question asks for a date, figure, person, place or reason
	"type_any",        // the sentence holds a wanted type not named in the question
	"type_missing",    // a type is wanted and the sentence holds none
	"type_date",       // a date wanted and present
	"type_figure",     // a sum, count or percentage wanted and present
	"type_person",     // a person wanted and present
	"type_place",      // a place wanted and present
	"type_name",       // a name wanted and present
	"type_reason",     // a reason wanted and a cause word present
	"counted",         // "how many X": a number followed by X
	"focus",           // the head noun of "what is the X" is in the sentence
	"names",           // share of the question's terms the sentence has as names
	"definition",      // "what/who is X": the sentence names X before its copula or in an appositive
	"pronoun_context", // opens with a pronoun: question terms of the sentence before
	"first",           // the article's first sentence
	"position",        // "what/who is X": position in the article as a share of its sentences
	"length",          // log(1+terms)
	"fragment",        // no final punctuation (caption, heading)
	"quote",           // holds direct speech
	"all_terms",       // every question term is in the sentence
	"cover_typed",     // idf_cover when a wanted type is present, else 0
	"cover_context",   // idf_cover plus what the sentence before carries for a pronoun
	"type_near",       // a wanted type within three terms of a question term
	"density",         // matched terms over the span of the sentence they cover
	"derived_cover",   // idf-weighted share of the question's terms only a derived form of which is in the sentence (lose, loss)
	"synonym_cover",   // the same for synonyms (deficit, shortfall)
	"topic_rest",      // idf_cover over the question's terms that are not in the article's title
	"missing_max",     // the largest idf share of a question term the sentence lacks
	"unknown",         // idf share of the question's terms the corpus never uses
}

const nFeatures = 38

// query is a question resolved against an index.
type query struct {
	q      *Question
	ids    []int32   // term ids, -1 for terms the index lacks
	idf    []float64 // their idf (the largest possible for unknown ones)
	idfSum float64
	// knownIDF sums the idf of the terms the index holds: the most BM25
	// can credit.
	knownIDF float64
	// unknownIDF sums the idf of the terms no sentence holds.
	unknownIDF float64
	focus      int32
	counted    int32
	// derived[i] and synonym[i] are the ids of the terms related to term
	// i that the index holds (text.Related).
	derived, synonym [][]int32
}

func (ix *Index) resolve(q *Question) *query {
	r := &query{q: q, focus: -1, counted: -1}
	maxIDF := ix.idf(0)
	for _, t := range q.Terms {
		id, ok := ix.vocab[t]
		w := maxIDF
		if ok && ix.df[id] > 0 {
			w = ix.idf(ix.df[id])
		} else if !ok {
			id = -1
		}
		r.ids = append(r.ids, id)
		r.idf = append(r.idf, w)
		r.idfSum += w
		if id >= 0 && ix.df[id] > 0 {
			r.knownIDF += w
		} else {
			r.unknownIDF += w
		}
		var der, syn []int32
		for _, rel := range text.Related(t) {
			if rid, ok := ix.vocab[rel.Term]; ok && ix.df[rid] > 0 {
				if rel.Kind == text.Derived {
					der = append(der, rid)
				} else {
					syn = append(syn, rid)
				}
			}
		}
		r.derived = append(r.derived, der)
		r.synonym = append(r.synonym, syn)
	}
	if id, ok := ix.vocab[q.Focus]; ok && q.Focus != "" {
		r.focus = id
	}
	if id, ok := ix.vocab[q.Counted]; ok && q.Counted != "" {
		r.counted = id
	}
	return r
}

func (r *query) has(id int32) bool {
	for _, x := range r.ids {
		if x == id && id >= 0 {
			return true
		}
	}
	return false
}

// features fills x with the features of sentence s for the query; bm is
// the sentence's BM25 and best the best of the candidates'.
func (ix *Index) features(r *query, s int, bm, best float64, x []float64) {
	clear(x)
	seq := ix.seq[ix.seqStart[s]:ix.seqStart[s+1]]
	caps := ix.seqCap[ix.seqStart[s]:ix.seqStart[s+1]]
	n := len(r.ids)
	var present [64]bool
	var cov, covW, titleW, names, restW, restSum, missMax float64
	d := int(ix.doc[s])
	for i, id := range r.ids {
		if i >= len(present) {
			break
		}
		for j, t := range seq {
			if t == id && id >= 0 {
				present[i] = true
				// Capitals of the sentence only: WikiQA's training
				// questions are in lower case, so the question's own
				// capitals were never seen in training.
				if caps[j] {
					names++
					break
				}
			}
		}
		inTitle := id >= 0 && d < len(ix.titles) && containsID(ix.titles[d], id)
		if !inTitle {
			restSum += r.idf[i]
		}
		if present[i] {
			cov++
			covW += r.idf[i]
			titleW += r.idf[i]
			if !inTitle {
				restW += r.idf[i]
			}
		} else {
			if inTitle {
				titleW += r.idf[i]
			}
			missMax = max(missMax, r.idf[i])
		}
	}
	// Topic terms (the article's title) are in most of its sentences
	// whether or not a sentence answers; what the question asks beyond
	// its topic, and the rarest term a sentence lacks, tell an answer from
	// a sentence that is merely about the same thing.
	x[35] = 1
	if restSum > 0 {
		x[35] = restW / restSum
	}
	if r.idfSum > 0 {
		x[36] = missMax / r.idfSum
		x[37] = r.unknownIDF / r.idfSum
	}
	// BM25 over the most the question's terms could reach (each term's
	// idf at full term-frequency saturation): raw BM25 grows with the
	// corpus through idf, so a weight learned on WikiQA's small candidate
	// sets would make the same sentence less likely in a larger story.
	if r.knownIDF > 0 {
		x[0] = bm / ((k1 + 1) * r.knownIDF)
	}
	if best > 0 {
		x[1] = bm / best
	}
	if bm >= best && best > 0 {
		x[2] = 1
	}
	if n > 0 {
		x[3] = covW / r.idfSum
		x[4] = cov / float64(n)
		x[6] = titleW / r.idfSum
		x[7] = bigrams(r.ids, seq)
		x[8] = float64(lcs(r.ids, seq)) / float64(n)
		x[20] = names / float64(n)
	}
	// Reasons and definitions are left out of the typed features: WikiQA
	// asks no "why" and its definitions have no typed token, so weights
	// for them could not be learned.
	want := r.q.Want & (Date | Figure | Person | Place | Name)
	var novel Type
	counted, near := false, false
	for _, tk := range ix.typ[ix.typStart[s]:ix.typStart[s+1]] {
		if tk.term >= 0 && r.has(tk.term) {
			continue // named in the question: no news to it
		}
		novel |= tk.kind
		if tk.kind&want != 0 && !near {
			for k := max(int(tk.at)-4, 0); k < len(seq) && k < int(tk.at)+3; k++ {
				if r.has(seq[k]) {
					near = true
					break
				}
			}
		}
		if r.counted >= 0 && tk.kind&(Count|Money) != 0 {
			for k := int(tk.at); k < len(seq) && k < int(tk.at)+3; k++ {
				if seq[k] == r.counted {
					counted = true
				}
			}
		}
	}
	if want != 0 {
		x[9] = 1
		if novel&want != 0 {
			x[10] = 1
		} else {
			x[11] = 1
		}
	}
	x[12] = b2f(want&Date != 0 && novel&Date != 0)
	x[13] = b2f(want&Figure != 0 && novel&want&Figure != 0)
	x[14] = b2f(want&Person != 0 && novel&Person != 0)
	x[15] = b2f(want&Place != 0 && novel&Place != 0)
	x[16] = b2f(want&Name != 0 && novel&Name != 0)
	x[17] = b2f(r.q.Want&Reason != 0 && novel&Reason != 0)
	x[18] = b2f(counted)
	x[19] = b2f(r.focus >= 0 && containsID(seq, r.focus))
	if r.q.Want&Definition != 0 {
		// "X is a …", or the appositive "X, a dairy farmer".
		for i, id := range r.ids {
			if i >= len(present) || !present[i] {
				continue
			}
			if j := indexID(seq, id); j < int(ix.copula[s]) || j < 64 && ix.appos[s]&(1<<j) != 0 {
				x[21] = 1
				break
			}
		}
	}
	if ix.flags[s]&flagPronoun != 0 && s > 0 && ix.doc[s-1] == ix.doc[s] && r.idfSum > 0 {
		prev := ix.seq[ix.seqStart[s-1]:ix.seqStart[s]]
		gain := 0.0
		for i, id := range r.ids {
			if i < len(present) && !present[i] && id >= 0 && containsID(prev, id) {
				gain += r.idf[i]
			}
		}
		x[22] = gain / r.idfSum
	}
	x[23] = b2f(ix.pos[s] == 0)
	// A share rather than an index: a Wikipedia summary has a handful of
	// sentences and a news article dozens, and the 10th of 40 sits where
	// the 2nd of 8 does.
	// Only for "what/who is X": an encyclopaedia defines its subject
	// first, which is most of what position tells in WikiQA, while a news
	// article states its facts throughout.
	if r.q.Want&Definition != 0 {
		x[24] = float64(ix.pos[s]) / float64(ix.docLen[ix.doc[s]])
	}
	x[25] = math.Log1p(float64(len(seq)))
	x[26] = b2f(ix.flags[s]&flagFragment != 0)
	x[27] = b2f(ix.flags[s]&flagQuote != 0)
	x[28] = b2f(n > 0 && cov == float64(n))
	x[29] = x[3] * x[10]
	x[30] = x[3] + x[22]
	x[31] = b2f(near)
	first, last, matched := -1, -1, 0
	for j, t := range seq {
		if r.has(t) {
			if first < 0 {
				first = j
			}
			last = j
			matched++
		}
	}
	if matched > 0 {
		x[32] = float64(matched) / float64(last-first+1)
	}
	if r.idfSum > 0 {
		var der, syn float64
		for i := range r.ids {
			if i < len(present) && present[i] {
				continue
			}
			switch {
			case anyIn(seq, r.derived[i]):
				der += r.idf[i]
			case anyIn(seq, r.synonym[i]):
				syn += r.idf[i]
			}
		}
		x[33], x[34] = der/r.idfSum, syn/r.idfSum
	}
}

func b2f(v bool) float64 {
	if v {
		return 1
	}
	return 0
}

func containsID(xs []int32, id int32) bool { return indexID(xs, id) >= 0 }

func indexID(xs []int32, id int32) int {
	for i, x := range xs {
		if x == id {
			return i
		}
	}
	return -1
}

// bigrams is the share of the question's consecutive term pairs that are
// consecutive in the sentence.
func bigrams(q, s []int32) float64 {
	if len(q) < 2 {
		return 0
	}
	hit := 0
	for i := 0; i+1 < len(q); i++ {
		if q[i] < 0 || q[i+1] < 0 {
			continue
		}
		for j := 0; j+1 < len(s); j++ {
			if s[j] == q[i] && s[j+1] == q[i+1] {
				hit++
				break
			}
		}
	}
	return float64(hit) / float64(len(q)-1)
}

// lcs is the length of the longest common subsequence of a and b, in
// O(len(a)·len(b)) time and O(len(b)) memory (questions are short).
func lcs(a, b []int32) int {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	var buf [2][128]int
	if len(b) >= 127 {
		b = b[:127]
	}
	prev, cur := buf[0][:len(b)+1], buf[1][:len(b)+1]
	for _, x := range a {
		for j := 1; j <= len(b); j++ {
			switch {
			case x >= 0 && x == b[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// anyIn reports whether seq holds one of ids.
func anyIn(seq, ids []int32) bool {
	for _, id := range ids {
		if containsID(seq, id) {
			return true
		}
	}
	return false
}
