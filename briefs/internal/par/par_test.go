package par

import (
	"sync/atomic"
	"testing"
)

func TestForVisitsEachIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 7, 5000, 12345} {
		seen := make([]int32, n)
		var calls atomic.Int64
		For(n, func(i int) {
			atomic.AddInt32(&seen[i], 1)
			calls.Add(1)
		})
		if got := calls.Load(); got != int64(n) {
			t.Errorf("n=%d: %d calls, want %d", n, got, n)
		}
		for i, c := range seen {
			if c != 1 {
				t.Fatalf("n=%d: index %d visited %d times, want 1", n, i, c)
			}
		}
	}
}
