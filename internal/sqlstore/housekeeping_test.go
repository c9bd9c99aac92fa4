package sqlstore

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
)

func TestPrunerDue(t *testing.T) {
	var p Pruner
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	steps := []struct {
		at   time.Time
		want bool
	}{
		{t0, true}, // the first call always prunes
		{t0, false},
		{t0.Add(PruneEvery - time.Nanosecond), false},
		{t0.Add(PruneEvery), true},
		{t0.Add(PruneEvery + time.Minute), false},
		{t0.Add(3 * PruneEvery), true},
	}
	for i, st := range steps {
		if got := p.Due(st.at); got != st.want {
			t.Errorf("step %d: Due(%s) = %v, want %v", i, st.at.Format(time.TimeOnly), got, st.want)
		}
	}
}

func TestPrunerConcurrent(t *testing.T) {
	var p Pruner
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var wins atomic.Int32
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if p.Due(now) {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	if got := wins.Load(); got != 1 {
		t.Errorf("%d of 16 concurrent callers pruned, want 1", got)
	}
}

func TestTurnRoundTrip(t *testing.T) {
	in := bot.Turn{Question: "q1", Answer: briefs.Answer{Question: "q1", Answered: true, Answer: "Amazon's devices unit lost over $25 billion.",
		Citations: []briefs.Citation{{Source: "amazon-devices", Text: "lost over $25 billion"}}}}
	data, err := EncodeTurn(in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeTurn([]byte(data))
	if err != nil || !reflect.DeepEqual(got, in) {
		t.Errorf("round trip: got %+v, %v; want %+v", got, err, in)
	}
	if _, err := DecodeTurn([]byte("{not json")); err == nil {
		t.Errorf("DecodeTurn accepted broken JSON")
	}
}

// StoredTurn must return what the round trip does, for every turn it
// accepts. Each string field of a turn, found by reflection so a field
// added later is covered, is set in turn to text the encoder keeps and to
// invalid UTF-8, which it changes and StoredTurn must refuse.
func TestStoredTurn(t *testing.T) {
	full := bot.Turn{Question: "who said “smart timer”?", Answer: briefs.Answer{
		Question: "who said <that> & why?", Answered: true, Answer: "a \"quoted\" answer\n\u2028",
		Citations: []briefs.Citation{{Source: "a1", Text: "one"}}, Confidence: 0.1 + 0.2,
		Nearest: []briefs.Citation{}, Mode: briefs.ModeWritten, Dropped: 2,
	}}
	var paths [][]int
	var walk func(v reflect.Value, path []int)
	walk = func(v reflect.Value, path []int) {
		switch v.Kind() {
		case reflect.String:
			paths = append(paths, slices.Clone(path))
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i), append(path, i))
			}
		case reflect.Slice:
			if v.Len() == 0 {
				v = reflect.MakeSlice(v.Type(), 1, 1) // walked for its element's fields
			}
			walk(v.Index(0), append(path, -1))
		}
	}
	walk(reflect.ValueOf(full), nil)
	if len(paths) < 8 {
		t.Fatalf("found %d string fields, want at least 8", len(paths))
	}
	set := func(tr *bot.Turn, path []int, s string) {
		v := reflect.ValueOf(tr).Elem()
		for _, i := range path {
			if i >= 0 {
				v = v.Field(i)
				continue
			}
			if v.Len() == 0 {
				v.Set(reflect.MakeSlice(v.Type(), 1, 1))
			}
			v = v.Index(0)
		}
		v.SetString(s)
	}
	check := func(name string, tr bot.Turn) {
		t.Helper()
		data, err := EncodeTurn(tr)
		if err != nil {
			t.Fatal(err)
		}
		want, err := DecodeTurn([]byte(data))
		if err != nil {
			t.Fatal(err)
		}
		got, ok := StoredTurn(tr)
		if keeps := reflect.DeepEqual(tr, want); ok != keeps {
			t.Errorf("%s: StoredTurn ok = %v, want %v (whether the round trip keeps the turn)", name, ok, keeps)
		}
		if ok && !reflect.DeepEqual(got, want) {
			t.Errorf("%s: StoredTurn = %+v, the round trip %+v", name, got, want)
		}
	}
	check("full", full)
	check("empty", bot.Turn{})
	for _, p := range paths {
		for _, s := range []string{"kept: é & <b>", "bad: \xff\xfe"} {
			tr := full
			tr.Answer.Citations = slices.Clone(full.Answer.Citations)
			tr.Answer.Nearest = slices.Clone(full.Answer.Nearest)
			set(&tr, p, s)
			check(fmt.Sprintf("field %v = %q", p, s), tr)
		}
	}
	// The caller keeps its turn: the stored one shares no slice with it.
	got, _ := StoredTurn(full)
	got.Answer.Citations[0].Text = "changed"
	if full.Answer.Citations[0].Text != "one" {
		t.Errorf("StoredTurn shares its citations with the caller's turn")
	}
}

// TestEncodeTurnIsTurnJSON: EncodeTurn writes the turn's fields by hand, so
// it must stay what json.Marshal of a bot.Turn gives once decoded, for
// every kind of text, and bot.Turn must have no field it leaves out.
func TestEncodeTurnIsTurnJSON(t *testing.T) {
	if got, want := reflect.TypeFor[bot.Turn]().NumField(), 2; got != want {
		t.Fatalf("bot.Turn has %d fields, EncodeTurn writes %d: add the new one there", got, want)
	}
	for _, tr := range []bot.Turn{
		{},
		{Question: "who said <that> & why?", Answer: briefs.Answer{Question: "q", Answered: true,
			Answer: "a \"quoted\" <b>answer</b> & more\n\u2028", Citations: []briefs.Citation{{Source: "a1", Text: "one & two"}},
			Confidence: 0.1 + 0.2, Nearest: []briefs.Citation{}}},
		{Question: "bad \xff", Answer: briefs.Answer{Answer: "bad \xfe", Mode: briefs.ModeWritten, Dropped: 1}},
	} {
		data, err := EncodeTurn(tr)
		if err != nil {
			t.Fatal(err)
		}
		std, err := json.Marshal(tr)
		if err != nil {
			t.Fatal(err)
		}
		var got, want any
		if err := json.Unmarshal([]byte(data), &got); err != nil {
			t.Fatalf("EncodeTurn(%+v) = %s, not JSON: %v", tr, data, err)
		}
		if err := json.Unmarshal(std, &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("EncodeTurn(%+v):\n got %s\nwant %s", tr, data, std)
		}
	}
}
