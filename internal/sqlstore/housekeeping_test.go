package sqlstore

import (
	"fmt"
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

func turns(n int) []bot.Turn {
	ts := make([]bot.Turn, n)
	for i := range ts {
		ts[i] = bot.Turn{Question: fmt.Sprintf("q%d", i), Answer: briefs.Answer{}}
	}
	return ts
}

func TestLastTurns(t *testing.T) {
	tests := []struct {
		n         int
		wantLen   int
		wantFirst string
	}{
		{0, 0, ""},
		{1, 1, "q0"},
		{bot.MaxTurns, bot.MaxTurns, "q0"},
		{bot.MaxTurns + 1, bot.MaxTurns, "q1"},
		{bot.MaxTurns + 7, bot.MaxTurns, "q7"},
	}
	for _, tt := range tests {
		in := turns(tt.n)
		got := LastTurns(in)
		if len(got) != tt.wantLen {
			t.Errorf("LastTurns(%d turns) kept %d, want %d", tt.n, len(got), tt.wantLen)
			continue
		}
		if tt.wantLen > 0 && (got[0].Question != tt.wantFirst || got[len(got)-1].Question != in[len(in)-1].Question) {
			t.Errorf("LastTurns(%d turns) kept %s..%s, want %s..%s", tt.n, got[0].Question, got[len(got)-1].Question, tt.wantFirst, in[len(in)-1].Question)
		}
	}
}

func TestTurnsRoundTrip(t *testing.T) {
	in := turns(3)
	in[1].Answer = briefs.Answer{Question: "q1", Answered: true, Answer: "Amazon's devices unit lost over $25 billion.", Citations: []briefs.Citation{{Source: "amazon-devices", Text: "lost over $25 billion"}}}
	data, err := EncodeTurns(in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeTurns([]byte(data))
	if err != nil || !reflect.DeepEqual(got, in) {
		t.Errorf("round trip: got %+v, %v; want %+v", got, err, in)
	}
	if _, err := DecodeTurns([]byte("{not json")); err == nil {
		t.Errorf("DecodeTurns accepted broken JSON")
	}
}
