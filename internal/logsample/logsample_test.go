package logsample

import (
	"testing"
	"time"
)

func TestAllow(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	s := New(time.Second, func() time.Time { return now })
	type call struct {
		advance        time.Duration
		key            string
		wantOK         bool
		wantSuppressed int
	}
	calls := []call{
		{0, "/a", true, 0},
		{0, "/a", false, 0},
		{500 * time.Millisecond, "/a", false, 0},
		{0, "/b", true, 0}, // keys are sampled apart
		{499 * time.Millisecond, "/a", false, 0},
		{time.Millisecond, "/a", true, 3}, // a second after the last line
		{0, "/b", false, 0},               // /b wrote half a second ago
		{-time.Hour, "/a", true, 0},       // the clock stepped back
	}
	for i, c := range calls {
		now = now.Add(c.advance)
		ok, n := s.Allow(c.key)
		if ok != c.wantOK || n != c.wantSuppressed {
			t.Errorf("call %d (%s): got %v, %d; want %v, %d", i, c.key, ok, n, c.wantOK, c.wantSuppressed)
		}
	}
}
