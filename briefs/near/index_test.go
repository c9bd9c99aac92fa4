package near

import (
	"fmt"
	"testing"
)

func TestIndex(t *testing.T) {
	sig := func(name string) Signature { return Sign(body(t, name)) }
	short := Sign("Markets closed higher on Tuesday as oil prices rose.")
	type step struct {
		op     string // add, remove, match
		id     string
		sig    Signature
		wantID string // for match; "" means no match
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"empty index matches nothing", []step{
			{op: "match", sig: sig("bridge")},
		}},
		{"copy finds its original", []step{
			{op: "add", id: "bridge", sig: sig("bridge")},
			{op: "add", id: "flood", sig: sig("flood")},
			{op: "match", sig: sig("bridge-copy2"), wantID: "bridge"},
			{op: "match", sig: sig("flood-copy1"), wantID: "flood"},
		}},
		{"near misses find nothing", []step{
			{op: "add", id: "bridge", sig: sig("bridge")},
			{op: "match", sig: sig("bridge-update")},
			{op: "match", sig: sig("bridge-followup")},
		}},
		{"removed article is not matched", []step{
			{op: "add", id: "bridge", sig: sig("bridge")},
			{op: "remove", id: "bridge"},
			{op: "match", sig: sig("bridge-copy1")},
			{op: "remove", id: "absent"},
		}},
		{"best of two candidates", []step{
			{op: "add", id: "copy2", sig: sig("bridge-copy2")},
			{op: "add", id: "orig", sig: sig("bridge")},
			{op: "match", sig: sig("bridge-copy1"), wantID: "orig"},
		}},
		{"equal similarity goes to the smaller id", []step{
			{op: "add", id: "b", sig: sig("rates")},
			{op: "add", id: "a", sig: sig("rates")},
			{op: "match", sig: sig("rates-copy1"), wantID: "a"},
		}},
		{"re-adding an id replaces its signature", []step{
			{op: "add", id: "x", sig: sig("bridge")},
			{op: "add", id: "x", sig: sig("flood")},
			{op: "match", sig: sig("bridge-copy1")},
			{op: "match", sig: sig("flood-copy1"), wantID: "x"},
		}},
		{"position reused after remove", []step{
			{op: "add", id: "bridge", sig: sig("bridge")},
			{op: "remove", id: "bridge"},
			{op: "add", id: "tram", sig: sig("tram")},
			{op: "match", sig: sig("bridge-copy1")},
			{op: "match", sig: sig("tram-copy1"), wantID: "tram"},
		}},
		{"short texts match exactly only", []step{
			{op: "add", id: "brief", sig: short},
			{op: "match", sig: Sign("Markets closed higher on Tuesday, as oil prices rose!"), wantID: "brief"},
			{op: "match", sig: Sign("Markets closed lower on Tuesday as oil prices rose.")},
			{op: "remove", id: "brief"},
			{op: "match", sig: short},
		}},
		{"empty bodies never match", []step{
			{op: "add", id: "empty", sig: Sign("")},
			{op: "match", sig: Sign("")},
			{op: "remove", id: "empty"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ix Index
			for i, s := range tt.steps {
				switch s.op {
				case "add":
					ix.Add(s.id, s.sig)
				case "remove":
					ix.Remove(s.id)
				case "match":
					id, sim, ok := ix.Match(s.sig)
					if got, want := id, s.wantID; got != want || ok != (want != "") {
						t.Errorf("step %d: Match = %q, %.3f, %v; want %q", i, id, sim, ok, want)
					}
					if ok && sim < Threshold {
						t.Errorf("step %d: Match similarity %.3f below Threshold", i, sim)
					}
				}
			}
		})
	}
}

// TestIndexMinSimilarity: the caller's floor replaces Threshold.
func TestIndexMinSimilarity(t *testing.T) {
	ix := Index{MinSimilarity: 0.99}
	ix.Add("bridge", Sign(body(t, "bridge")))
	if id, sim, ok := ix.Match(Sign(body(t, "bridge-copy2"))); ok {
		t.Errorf("Match = %q, %.3f with MinSimilarity 0.99; want no match", id, sim)
	}
	if _, _, ok := ix.Match(Sign(body(t, "bridge"))); !ok {
		t.Errorf("identical body not matched at MinSimilarity 0.99")
	}
}

// TestIndexPairs runs every labelled pair through an Index: it must agree
// with Copies, so banding loses no copy the full comparison finds.
func TestIndexPairs(t *testing.T) {
	ps := loadPairs(t)
	sigs := signatures(t, ps)
	for _, p := range ps {
		var ix Index
		ix.Add(p.a, sigs[p.a])
		_, _, ok := ix.Match(sigs[p.b])
		if want := Copies(sigs[p.a], sigs[p.b]); ok != want {
			t.Errorf("%s ~ %s: Index.Match ok = %v, Copies = %v", p.a, p.b, ok, want)
		}
	}
}

// TestIndexRemoveAll leaves no bucket behind: an index that is emptied
// holds no memory for what it held.
func TestIndexRemoveAll(t *testing.T) {
	var ix Index
	texts := synthetic(200, 1)
	for i, s := range texts {
		ix.Add(fmt.Sprint(i), Sign(s))
	}
	ix.Add("short", Sign("a short text"))
	if got, want := ix.Len(), 201; got != want {
		t.Fatalf("Len = %d, want %d", got, want)
	}
	for i := range texts {
		ix.Remove(fmt.Sprint(i))
	}
	ix.Remove("short")
	if ix.Len() != 0 || len(ix.buckets) != 0 || len(ix.exact) != 0 {
		t.Errorf("after removing all: Len %d, buckets %d, exact %d; want 0, 0, 0", ix.Len(), len(ix.buckets), len(ix.exact))
	}
}
