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
			{"We had to make hard choices this year,", "Maria Lopez"},              // verbatim: the comma is inside the marks
			{"The market has changed faster than anyone expected,", "Maria Lopez"}, // "she"
			{"This is too little, too late,", "Tom Baker"},                         // appositive
			// "called its new product line “a bet on…”" names, it does not speak.
			{"Our best days are ahead of us.", "Maria Lopez"},       // "The chief executive", straight quotes
			{"no further layoffs are planned this year.", "Globex"}, // "the company"
			{"Why would anyone stay?", "one engineer"},
		}},
		{"premiere.txt", []q{
			{"I don't plan to buy a sports car collection,", "Daniel Radcliffe"}, // "he", not the role
			{"You have been a joy to watch.", "President Bush"},                  // "the president"
			{"My savings are gone and nobody will help me.", "Karima"},           // appositive
			{"We will rebuild the studio,", "Daniel Radcliffe"},                  // surname
			{"and we lost years of work.", "Daniel Radcliffe"},                   // continuation
		}},
		{"harbour.txt", []q{
			{"We will not cut corners on safety,", "Grace Mbeki"},                     // "she": the person before, not the one after
			{"The contractor told us the ‘final’ estimate was final,", "Omar Haddad"}, // ‘final’ inside is no quote of its own
			{"It was not.", "Omar Haddad"},                                            // same speaker goes on, no attribution
			{"every month of delay costs us boats.", "Luca Bianchi"},                  // role word dropped
			{"It is a disgrace,", "Mary O’Neill"},                                     // single marks; O’Neill's ’ is no closing mark
			// “temporary setback” is a scare quote.
		}},
		{"library.txt", []q{
			{"It will open in 2028,", "Dana Reyes"}, // title dropped
			{"We have waited twenty years for this.", "Sam Ortiz"},
			{"Who will pay for the books?", "Beth Ng"},                      // role word dropped, like the title above
			{"The state grant covers the first three years.", "Dana Reyes"}, // surname
			// "called the design "a reading room…"" names, it does not speak;
			// "vanity project" is a scare quote.
		}},
		{"ledger.txt", []q{
			{"We have run out of good options,", "Marisol Ortega"},
			{"Every route we cut is a neighbourhood that loses a lifeline.", "Marisol Ortega"}, // same paragraph, no attribution
			{"This falls hardest on people who don’t own a car,", "Priya Natarajan"},
		}},
		{"roles.txt", []q{
			{"Construction starts in May,", "Hiro Tanaka"}, // "the architect" named in an appositive
			// "dubbed … “…”" names; the lone quote in a paragraph of its
			// own has nobody to go on from.
			{"Everyone off the scaffold now!", "The foreman"}, // "called out:" is speech
			{"We will win,", "Keisha Brandt"},                 // "the union’s president, Keisha Brandt."
			{"We always do,", "Keisha Brandt"},
			{"Maybe not,", "Ken Ito"}, // short and capitalised, yet speech
		}},
		{"gender.txt", []q{
			{"The pipes are older than all of us,", "Ada Kowal"}, // "she" skips Mr. Brandt, named last
			{"We have a plan,", "Ivo Brandt"},
			{"We’ve waited long enough,", "Nell Vance"},
			{"It’s the workers’ money,", "Tam Roe"}, // workers’ is an apostrophe
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

// The example: a pronoun after a newly named person is that
// person's, not the previous speaker's, with no name on any list.
func TestQuotesPronounAfterNewName(t *testing.T) {
	text := "“We will vote yes,” said Oluwaseun Adeyemi. He left early.\n\n" +
		"Marcus Hale disagreed. \"It will cost more,\" he said.\n\n" +
		"Siobhán Ní Bhriain, the council’s engineer, nodded. “It will,” she said. “But less than doing nothing,” the engineer added.\n\n" +
		"Nakashima objected to the timetable. “Nobody will drive on it before 2030,” she said."
	c, err := New([]Article{{ID: "hale", Text: text}})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ text, speaker string }{
		{"We will vote yes,", "Oluwaseun Adeyemi"},
		{"It will cost more,", "Marcus Hale"},
		{"It will,", "Siobhán Ní Bhriain"},
		{"But less than doing nothing,", "Siobhán Ní Bhriain"},
		// A surname alone, never written in full: still the subject the
		// pronoun stands for, not the last person named in full.
		{"Nobody will drive on it before 2030,", "Nakashima"},
	}
	got := c.Quotes()
	if len(got) != len(want) {
		t.Fatalf("got %d quotes, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Text != w.text || got[i].Speaker != w.speaker {
			t.Errorf("quote %d = %q by %q, want %q by %q", i, got[i].Text, got[i].Speaker, w.text, w.speaker)
		}
	}
	assertQuotesVerbatim(t, c)
}

// A follow-up report writes a surname alone for a person the first report
// named in full; its "she said" then goes to her, not to the only person
// the follow-up itself names in full. A surname two people of the story
// share refers to neither, and a "he said" after it goes to the name as
// the article writes it.
func TestQuotesAcrossArticles(t *testing.T) {
	c, err := New([]Article{
		{ID: "first", Text: "Chief executive Oluwaseun Adeyemi-Lindqvist defended the plan on Monday.\n\n" +
			"Engineers led by Tevita Fifita and Eero Fifita objected to the schedule."},
		{ID: "later", Text: "A mediator, Ngaire Whakatōhea, joined the talks on Tuesday.\n\n" +
			"Adeyemi-Lindqvist said the budget was fixed. “Every extra dollar has to come from somewhere,” she told reporters.\n\n" +
			"Fifita disagreed. “The schedule cannot hold,” he said."},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, q := range c.Quotes() {
		got[q.Text] = q.Speaker
	}
	for _, tt := range []struct{ quote, speaker string }{
		{"Every extra dollar has to come from somewhere,", "Oluwaseun Adeyemi-Lindqvist"},
		{"The schedule cannot hold,", "Fifita"},
	} {
		if s := got[tt.quote]; s != tt.speaker {
			t.Errorf("%q: speaker %q, want %q", tt.quote, s, tt.speaker)
		}
	}
	assertQuotesVerbatim(t, c)
}
