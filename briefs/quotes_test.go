package briefs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestQuotesEmbedded(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	got := c.Quotes()
	want := []Quote{
		{Text: "the world’s best personal assistant.", Speaker: "Amazon", Source: "000_c1f63e7485ba089f",
			Sentence: "The company’s strategy for Alexa continues to aim at creating “the world’s best personal assistant.”"},
		{Text: "We worried we’ve hired 10,000 people and we’ve built a smart timer.", Speaker: "A former Amazon employee", Source: "002_26eb1baebe2b0c2e",
			Sentence: "A former Amazon employee candidly remarked to the Journal, “We worried we’ve hired 10,000 people and we’ve built a smart timer.”"},
		{Text: "We don’t have to make money when we sell you the device. Instead, we make money when people actually use the device.", Speaker: "Dave Limp", Source: "002_26eb1baebe2b0c2e",
			Sentence: "Former Amazon devices SVP Dave Limp encapsulated this philosophy in 2019, stating, “We don’t have to make money when we sell you the device. Instead, we make money when people actually use the device.”"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d quotes, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("quote %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	assertQuotesVerbatim(t, c)
}

func assertQuotesVerbatim(t *testing.T, c *Corpus) {
	t.Helper()
	text := map[string]string{}
	for _, a := range c.Articles() {
		text[a.ID] = a.Text
	}
	for _, q := range c.Quotes() {
		if !strings.Contains(text[q.Source], q.Sentence) || !strings.Contains(q.Sentence, q.Text) {
			t.Errorf("quote not verbatim: %+v", q)
		}
		for _, scare := range []string{"downstream impact", "Remarkable Alexa", "growth engine", "Project Phoenix"} {
			if strings.Trim(q.Text, ",.") == scare {
				t.Errorf("scare quote or name reported as a quote: %+v", q)
			}
		}
	}
}

func TestQuotesAttribution(t *testing.T) {
	type q struct{ text, speaker string }
	tests := []struct {
		file string
		want []q
	}{
		{"globex.txt", []q{
			{"We had to make hard choices this year", "Maria Lopez"},
			{"The market has changed faster than anyone expected", "Maria Lopez"}, // "she"
			{"This is too little, too late", "Tom Baker"},                         // appositive
			{"a bet on a market that doesn’t exist yet.", "Tom Baker"},            // "Mr. Baker", partial
			{"Our best days are ahead of us.", "Maria Lopez"},                     // "The chief executive", straight quotes
			{"no further layoffs are planned this year.", "Globex"},               // "the company"
			{"Why would anyone stay?", "one engineer"},
		}},
		{"premiere.txt", []q{
			{"I don't plan to buy a sports car collection", "Daniel Radcliffe"}, // "he", not the role
			{"You have been a joy to watch.", "President Bush"},                 // "the president"
			{"My savings are gone and nobody will help me.", "Karima"},          // appositive
			{"We will rebuild the studio", "Daniel Radcliffe"},                  // surname
			{"and we lost years of work.", "Daniel Radcliffe"},                  // continuation
		}},
	}
	for _, tt := range tests {
		data, err := os.ReadFile(filepath.Join("testdata", "quotes", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		a, err := ParseArticle(strings.TrimSuffix(tt.file, ".txt"), data)
		if err != nil {
			t.Fatal(err)
		}
		c, err := New([]Article{a})
		if err != nil {
			t.Fatal(err)
		}
		got := c.Quotes()
		if len(got) != len(tt.want) {
			for _, q := range got {
				t.Logf("got %q — %s", q.Text, q.Speaker)
			}
			t.Errorf("%s: got %d quotes, want %d", tt.file, len(got), len(tt.want))
			continue
		}
		for i, w := range tt.want {
			if got[i].Text != w.text || got[i].Speaker != w.speaker {
				t.Errorf("%s: quote %d = %q by %q, want %q by %q", tt.file, i, got[i].Text, got[i].Speaker, w.text, w.speaker)
			}
		}
		assertQuotesVerbatim(t, c)
	}
}
