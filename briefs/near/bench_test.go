package near

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// synthetic returns n invented articles of about 300 words drawn, with a
// fixed seed, from a Zipf-distributed vocabulary of 20,000 made-up words,
// so common words recur as in news but unrelated articles share few
// five-word runs.
func synthetic(n int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, 0x6e656172))
	zipf := rand.NewZipf(r, 1.1, 2, 19_999)
	vocab := make([]string, 20_000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%x", i)
	}
	out := make([]string, n)
	var b strings.Builder
	for i := range out {
		b.Reset()
		for w := range 280 + r.IntN(60) {
			if w > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(vocab[zipf.Uint64()])
		}
		out[i] = b.String()
	}
	return out
}

func BenchmarkSignature(b *testing.B) {
	text := body(b, "bridge") // 300 words, 285 shingles
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Sign(text)
	}
}

// BenchmarkIndexMatch10k looks up one article among 10,000: a copy of a
// stored one (found after verifying its candidates) and a new article
// (usually no candidate at all). Signing the query is not timed.
func BenchmarkIndexMatch10k(b *testing.B) {
	texts := synthetic(10_001, 7)
	var ix Index
	for i, s := range texts[:10_000] {
		ix.Add(fmt.Sprint(i), Sign(s))
	}
	// The copy: article 5000 with its last 40 words cut and a credit line.
	ws := strings.Fields(texts[5000])
	cp := Sign(strings.Join(ws[:len(ws)-40], " ") + " This story was first published by the Ledger.")
	fresh := Sign(texts[10_000])
	b.Run("copy", func(b *testing.B) {
		for b.Loop() {
			if id, _, ok := ix.Match(cp); !ok || id != "5000" {
				b.Fatalf("Match = %q, %v; want 5000", id, ok)
			}
		}
	})
	b.Run("new", func(b *testing.B) {
		for b.Loop() {
			if id, _, ok := ix.Match(fresh); ok {
				b.Fatalf("Match = %q; want no match", id)
			}
		}
	})
}

// BenchmarkIndexAdd10k builds an index of 10,000 signatures and reports
// the heap it keeps per article.
func BenchmarkIndexAdd10k(b *testing.B) {
	texts := synthetic(10_000, 7)
	sigs := make([]Signature, len(texts))
	for i, s := range texts {
		sigs[i] = Sign(s)
	}
	ids := make([]string, len(texts))
	for i := range ids {
		ids[i] = fmt.Sprint(i)
	}
	var ix *Index
	for b.Loop() {
		ix = &Index{}
		for i, s := range sigs {
			ix.Add(ids[i], s)
		}
	}
	// What an index of 10,000 keeps, signatures and buckets together.
	b.StopTimer()
	var before, after runtime.MemStats
	ix = nil
	runtime.GC()
	runtime.ReadMemStats(&before)
	ix = &Index{}
	for i, s := range sigs {
		ix.Add(ids[i], s)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(len(sigs)), "heap-B/article")
	runtime.KeepAlive(ix)
}
