package bot

import (
	"testing"

	"github.com/alexa-brief/alexa-brief/briefs"
)

// A declined answer shows the closest sentences under their own heading,
// each citing its article; an answer shows none.
func TestAnswerReplyNearest(t *testing.T) {
	c, err := briefs.New([]briefs.Article{{ID: "a", Title: "Ferry cuts", Text: "The board cut six crossings. Fares rise in May."}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		a         briefs.Answer
		heading   bool
		citations int
	}{
		{"declined with nearest", briefs.Answer{Question: "q?", Answer: "The articles don't say.",
			Citations: []briefs.Citation{}, Nearest: []briefs.Citation{{Source: "a", Text: "The board cut six crossings."}, {Source: "a", Text: "Fares rise in May."}}}, true, 1},
		{"declined, nothing near", briefs.Answer{Question: "q?", Answer: "The articles don't say.", Citations: []briefs.Citation{}, Nearest: []briefs.Citation{}}, false, 0},
		{"answered", briefs.Answer{Question: "q?", Answered: true, Answer: "Fares rise in May.",
			Citations: []briefs.Citation{{Source: "a", Text: "Fares rise in May."}}, Nearest: []briefs.Citation{}}, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := AnswerReply(c, tt.a)
			got := false
			for _, s := range r.Sections {
				if s.Heading == "The closest the articles come:" {
					got = true
					if len(s.Items) != len(tt.a.Nearest) {
						t.Errorf("items = %d, want %d", len(s.Items), len(tt.a.Nearest))
					}
					for i, it := range s.Items {
						if it.Text != tt.a.Nearest[i].Text || len(it.Refs) != 1 {
							t.Errorf("item %d = %+v, want %q with one ref", i, it, tt.a.Nearest[i].Text)
						}
					}
				}
			}
			if got != tt.heading {
				t.Errorf("closest heading shown = %v, want %v", got, tt.heading)
			}
			if len(r.Citations) != tt.citations {
				t.Errorf("citations = %d, want %d", len(r.Citations), tt.citations)
			}
		})
	}
}
