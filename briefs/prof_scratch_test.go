package briefs

import (
	"testing"
	"time"
)

func TestProfScratch(t *testing.T) {
	arts := genArticles(2000, 4)
	t0 := time.Now()
	c, err := New(arts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("New: %v", time.Since(t0))
	t0 = time.Now()
	c.Quotes()
	t.Logf("Quotes: %v", time.Since(t0))
	t0 = time.Now()
	c.Facts()
	t.Logf("Facts: %v", time.Since(t0))
	t0 = time.Now()
	c.Brief(3)
	t.Logf("Brief: %v", time.Since(t0))
}
