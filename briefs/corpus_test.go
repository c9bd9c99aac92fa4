package briefs

import (
	"strings"
	"sync"
	"testing"
)

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name string
		arts []Article
		want string // in the error
	}{
		{"no articles", nil, "empty corpus"},
		{"no id", []Article{{Text: "Some text."}}, "no id"},
		{"duplicate id", []Article{{ID: "a", Text: "One."}, {ID: "a", Text: "Two."}}, `duplicate article id "a"`},
		{"empty text", []Article{{ID: "a", Text: " \n "}}, `"a": empty text`},
		{"bad utf-8", []Article{{ID: "b", Text: "ok \xff"}}, `"b": text is not valid UTF-8`},
	}
	for _, tt := range tests {
		_, err := New(tt.arts)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want it to contain %q", tt.name, err, tt.want)
		}
	}
}

func TestCorpusBasics(t *testing.T) {
	arts := []Article{
		{ID: "b", Title: "Second", URL: "https://example.com/b", Text: "Globex cut jobs. Shares fell."},
		{ID: "a", Text: "Acme hired staff. Shares rose."},
	}
	c, err := New(arts)
	if err != nil {
		t.Fatal(err)
	}
	arts[0].Text = "changed by the caller"
	got := c.Articles()
	if got[0].Text != "Globex cut jobs. Shares fell." {
		t.Errorf("corpus shares the caller's slice")
	}
	got[1].ID = "changed"
	if c.Articles()[1].ID != "a" {
		t.Errorf("Articles returns the corpus's own slice")
	}
	want := []Source{{ID: "b", Title: "Second", URL: "https://example.com/b"}, {ID: "a", Title: "Acme hired staff", URL: ""}}
	for i, s := range c.Sources() {
		if s != want[i] {
			t.Errorf("source %d = %+v, want %+v", i, s, want[i])
		}
	}
	if len(c.sents) != 4 || len(c.byDoc) != 2 || c.byDoc[1][0] != 2 {
		t.Errorf("sentences = %d, byDoc = %v", len(c.sents), c.byDoc)
	}

	// The version depends on ids and texts only.
	c2, _ := New([]Article{
		{ID: "b", Title: "Other title", Text: "Globex cut jobs. Shares fell."},
		{ID: "a", Text: "Acme hired staff. Shares rose."},
	})
	c3, _ := New([]Article{
		{ID: "b", Text: "Globex cut jobs. Shares fell!"},
		{ID: "a", Text: "Acme hired staff. Shares rose."},
	})
	if c.Version() != c2.Version() || c.Version() == c3.Version() || len(c.Version()) != 16 {
		t.Errorf("versions %q %q %q: want equal, equal, different", c.Version(), c2.Version(), c3.Version())
	}
	d1, _ := Default()
	d2, _ := Default()
	if d1.Version() != d2.Version() {
		t.Errorf("the embedded corpus version is not stable")
	}
}

// A fresh corpus serves concurrent first calls (run with -race): the lazily
// computed views are built once and shared.
func TestCorpusConcurrentFirstUse(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	briefs := make([]Brief, 8)
	for i := range briefs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			briefs[i] = c.Brief(3 + i%3)
			_ = c.Quotes()
			_ = c.Facts()
		}()
	}
	wg.Wait()
	for i, b := range briefs {
		if len(b.Points) != 3+i%3 || b.Points[0].Text != briefs[0].Points[0].Text {
			t.Errorf("brief %d differs: %d points", i, len(b.Points))
		}
	}
}

// A headline line is the article's title, never one of its sentences (so
// never a point, a fact's sentence or an answer).
func TestHeadlineIsNoSentence(t *testing.T) {
	tests := []struct {
		name, text string
		wantTitle  string
		wantSents  []string
	}{
		{"headline line", "Transit board approves route cuts\nThe board voted 7 to 2. Fares rise.",
			"Transit board approves route cuts", []string{"The board voted 7 to 2.", "Fares rise."}},
		{"long headline, blank line", "Maple Valley transit agency to cut 14 bus routes and raise fares amid shortfall\n\nThe board voted.",
			"Maple Valley transit agency to cut 14 bus routes and raise fares amid shortfall", []string{"The board voted."}},
		{"markdown heading", "# Big news\n\nSales fell.", "Big news", []string{"Sales fell."}},
		{"no headline", "Sales fell. Then rose.", "Sales fell", []string{"Sales fell.", "Then rose."}},
		{"hard-wrapped first line", "Amazon’s strategy to profit from its Alexa-enabled devices has\nreportedly fallen short.",
			"Amazon’s strategy to profit from its Alexa-enabled devices has reportedly fallen short",
			[]string{"Amazon’s strategy to profit from its Alexa-enabled devices has\nreportedly fallen short."}},
	}
	for _, tt := range tests {
		c, err := New([]Article{{ID: "a", Text: tt.text}})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Sources()[0].Title; got != tt.wantTitle {
			t.Errorf("%s: title = %q, want %q", tt.name, got, tt.wantTitle)
		}
		var got []string
		for i, s := range c.sents {
			got = append(got, s.text)
			if s.pos != i || s.text != tt.text[s.start:s.end] {
				t.Errorf("%s: sentence %d has pos %d, text %q vs offsets %d:%d", tt.name, i, s.pos, s.text, s.start, s.end)
			}
		}
		if strings.Join(got, "|") != strings.Join(tt.wantSents, "|") {
			t.Errorf("%s: sentences = %q, want %q", tt.name, got, tt.wantSents)
		}
	}
}
