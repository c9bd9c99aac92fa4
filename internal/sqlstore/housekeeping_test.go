package sqlstore

import (
	"reflect"
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
