package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/briefs"
)

// TestDigestListsSourcesOnce: every adapter shows both the citations and
// the footer, so a digest names each source in one of them only.
func TestDigestListsSourcesOnce(t *testing.T) {
	c, err := briefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	sub := Subscription{Schedule: "@daily"}
	prev := &Delivery{Slot: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), CorpusVersion: "older"}
	tests := []struct {
		name  string
		since *Delivery
	}{
		{"first digest", nil},
		{"later digest", prev},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := composeDigest(c, sub, tt.since, time.Time{}, false)
			if len(r.Citations) == 0 {
				t.Fatal("no citations")
			}
			for _, cit := range r.Citations {
				// The footer shortens long titles: compare their start.
				for _, s := range []string{cit.URL, string([]rune(cit.Title)[:min(20, len([]rune(cit.Title)))])} {
					if s == "" {
						continue
					}
					if got := strings.Count(r.Footer, s); got != 0 {
						t.Errorf("footer %q repeats citation %q", r.Footer, s)
					}
				}
			}
		})
	}
}
