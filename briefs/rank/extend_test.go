package rank

import (
	"reflect"
	"testing"
)

// extendSents are two articles and a third added later.
var extendSents = []Sentence{
	{Text: "The council approved the bridge on Tuesday.", Doc: 0},
	{Text: "It will cost $340 million, said Aiyana Redcloud.", Doc: 0},
	{Text: "The bridge opens in 2031.", Doc: 1, Para: 0},
	{Text: "Critics said the bridge budget was too small.", Doc: 1, Para: 1},
	{Text: "Now the bridge will cost $430 million, up from $340 million.", Doc: 2},
	{Text: "Nguyễn Thị Lan, the council's engineer, said the steel came late.", Doc: 2, Para: 1},
}

var extendTitles = []string{"Council approves bridge", "", "Bridge cost rises"}

// equalIndexes compares every field but the scratch pool.
func equalIndexes(t *testing.T, got, want *Index) {
	t.Helper()
	g, w := reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem()
	for i := 0; i < g.NumField(); i++ {
		name := g.Type().Field(i).Name
		if name == "pool" {
			continue
		}
		gf, wf := g.Field(i), w.Field(i)
		if !reflect.DeepEqual(reflect.NewAt(gf.Type(), gf.Addr().UnsafePointer()).Elem().Interface(),
			reflect.NewAt(wf.Type(), wf.Addr().UnsafePointer()).Elem().Interface()) {
			t.Errorf("field %s differs: got %v, want %v", name, gf, wf)
		}
	}
}

func TestExtendEqualsRebuild(t *testing.T) {
	for split := 0; split <= 3; split++ {
		// split articles first, the rest added by Extend.
		cut := 0
		for cut < len(extendSents) && extendSents[cut].Doc < split {
			cut++
		}
		base := NewIndex(extendSents[:cut], extendTitles[:split])
		got := base.Extend(extendSents[cut:], extendTitles[split:])
		want := NewIndex(extendSents, extendTitles)
		equalIndexes(t, got, want)
		if got, want := got.Retrieve([]string{"bridg", "cost"}, 3, nil), want.Retrieve([]string{"bridg", "cost"}, 3, nil); !reflect.DeepEqual(got, want) {
			t.Errorf("split %d: Retrieve = %v, want %v", split, got, want)
		}
	}
}

// Two extensions of one index do not see each other, and the base is left
// as it was: a reader of an older version is never disturbed.
func TestExtendBranches(t *testing.T) {
	base := NewIndex(extendSents[:4], extendTitles[:2])
	before := NewIndex(extendSents[:4], extendTitles[:2])
	a := base.Extend(extendSents[4:5], []string{"Bridge cost rises"})
	ferry := []Sentence{{Text: "The ferry will stop running in May.", Doc: 2}, {Text: "A new bridge replaces it.", Doc: 2}}
	b := base.Extend(ferry, []string{"Ferry"})
	equalIndexes(t, base, before)
	equalIndexes(t, a, NewIndex(extendSents[:5], extendTitles))
	equalIndexes(t, b, NewIndex(append(append([]Sentence{}, extendSents[:4]...), ferry...), []string{"Council approves bridge", "", "Ferry"}))
	if got := a.Len(); got != 5 {
		t.Errorf("a.Len() = %d, want 5", got)
	}
}
