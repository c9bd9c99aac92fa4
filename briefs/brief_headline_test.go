package briefs

import "testing"

// A headline ending in a period is the title, never a point, whichever
// sign shows it is one.
func TestBriefHeadlineWithPeriodIsNoPoint(t *testing.T) {
	tests := []struct{ name, text, title string }{
		{"title-cased", "Senate Panel Backs Water Bill After Long Fight.\n\nThe Senate water committee voted 9-4 on Tuesday to send the bill to the floor.\n\nThe bill funds new pipes in 40 towns.",
			"Senate Panel Backs Water Bill After Long Fight"},
		{"restated by the lead", "Mayor to shift staff, money to river towns.\n\nMayor Ana Ruiz is shifting staff and money to the river towns as the floods spread.\n\nThe towns asked for help last week.",
			"Mayor to shift staff, money to river towns"},
		{"above a dateline", "Skywriters blast the senator.\n\nPASADENA, Calif., Jan. 1 (UPI) — A handful of pilots wrote messages against the senator over the parade.\n\nThe parade went on.",
			"Skywriters blast the senator"},
	}
	for _, tt := range tests {
		c, err := New([]Article{{ID: "a", Text: tt.text}})
		if err != nil {
			t.Fatal(err)
		}
		b := c.Brief(5)
		if b.Title != tt.title {
			t.Errorf("%s: title = %q, want %q", tt.name, b.Title, tt.title)
		}
		for _, p := range b.Points {
			if p.Text == tt.title+"." {
				t.Errorf("%s: the headline is a point", tt.name)
			}
		}
		if len(b.Points) == 0 {
			t.Errorf("%s: no points", tt.name)
		}
	}
}
