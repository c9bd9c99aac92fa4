package briefs

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/alexa-brief/alexa-brief/briefs/facts"
	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// salientKeys are the normalised values of a sentence's money, percent and
// count figures.
func salientKeys(s string) map[string]bool {
	out := map[string]bool{}
	for _, f := range facts.Find(s) {
		if f.Salient() {
			out[f.Key()] = true
		}
	}
	return out
}

// contentTerms are a sentence's normalised content words, numbers aside.
func contentTerms(s string) map[string]bool {
	out := map[string]bool{}
	for _, t := range text.Terms(s) {
		if !text.IsNumber(t) {
			out[t] = true
		}
	}
	return out
}

// supports is the tests' own, cruder check that an article supports a
// point: it holds the point verbatim, or a sentence with the same figures
// (money, percent, count) and a quarter of the point's content, figures
// counted as words.
func supports(article, point string) bool {
	if strings.Contains(article, point) {
		return true
	}
	for _, sp := range text.Segment(article) {
		if s := article[sp.Start:sp.End]; sameFigures(s, point) && 4*sharedContent(s, point) >= len(contentTerms(point))+len(salientKeys(point)) {
			return true
		}
	}
	return false
}

func sameFigures(a, b string) bool { return reflect.DeepEqual(salientKeys(a), salientKeys(b)) }

// sharedContent counts the content words and figures a and b share.
func sharedContent(a, b string) int {
	n := 0
	tb, kb := contentTerms(b), salientKeys(b)
	for t := range contentTerms(a) {
		if tb[t] {
			n++
		}
	}
	for k := range salientKeys(a) {
		if kb[k] {
			n++
		}
	}
	return n
}

// checkBrief asserts what every brief must hold: verbatim points, each
// citing only articles that support it, and no two points stating the same
// figures about the same things.
func checkBrief(t *testing.T, c *Corpus, b Brief) {
	t.Helper()
	texts := map[string]string{}
	for _, a := range c.Articles() {
		texts[a.ID] = a.Text
	}
	for i, p := range b.Points {
		if len(p.Sources) == 0 {
			t.Errorf("point %d has no sources", i)
		}
		verbatim := false
		for _, id := range p.Sources {
			verbatim = verbatim || strings.Contains(texts[id], p.Text)
			if !supports(texts[id], p.Text) {
				t.Errorf("point %d %q cites %s, which does not support it", i, p.Text, id)
			}
		}
		if !verbatim {
			t.Errorf("point %d is not verbatim from its sources: %q", i, p.Text)
		}
		for j := 0; j < i; j++ {
			q := b.Points[j].Text
			if len(salientKeys(p.Text)) > 0 && sameFigures(p.Text, q) && 4*sharedContent(p.Text, q) >= len(contentTerms(p.Text)) {
				t.Errorf("points %d and %d state the same figures about the same things:\n %q\n %q", j, i, q, p.Text)
			}
		}
	}
	if b.Quote != nil {
		if !strings.Contains(texts[b.Quote.Source], b.Quote.Sentence) || !strings.Contains(b.Quote.Sentence, b.Quote.Text) {
			t.Errorf("quote %+v is not verbatim from its source", b.Quote)
		}
		for _, p := range b.Points {
			if p.Text == b.Quote.Sentence {
				t.Errorf("the quote's sentence is also a point: %q", p.Text)
			}
		}
	}
}

// The embedded corpus: five points that say five different things, each
// citing only articles that support it, and every article that holds a
// restatement with the same figures.
func TestBriefEmbedded(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	b := c.Brief(5)
	if len(b.Points) != 5 {
		t.Fatalf("got %d points, want 5", len(b.Points))
	}
	checkBrief(t, c, b)
	for i := range b.Points {
		for j := i + 1; j < len(b.Points); j++ {
			a, bb := contentTerms(b.Points[i].Text), contentTerms(b.Points[j].Text)
			shared := 0
			for w := range a {
				if bb[w] {
					shared++
				}
			}
			if 2*shared >= min(len(a), len(bb)) {
				t.Errorf("points %d and %d share half their content words:\n %q\n %q", i, j, b.Points[i].Text, b.Points[j].Text)
			}
		}
	}
	corroborated := 0
	for _, p := range b.Points {
		if len(p.Sources) > 1 {
			corroborated++
		}
	}
	if corroborated == 0 {
		t.Errorf("no point is corroborated by both articles, though they restate facts: %+v", b.Points)
	}
	if b.Quote == nil {
		t.Errorf("no quote, though the articles quote people")
	}
	if want := c.articles[c.sents[c.brief.lead].doc].Title; b.Title != want {
		t.Errorf("title = %q, want the title of the lead point's article %q", b.Title, want)
	}
	if len(b.Sources) != 2 {
		t.Errorf("got %d sources, want 2", len(b.Sources))
	}
	for i, p := range b.Points {
		t.Logf("%d %v %s", i+1, p.Sources, p.Text)
	}
}

// A story of three articles (testdata/bridge) whose facets share figures:
// the council's vote and the state's grant both hold "$340 million", the
// city's bond and a proposed toll both "$180 million". Each facet is one
// point citing exactly the articles stating it.
func TestBriefCoversFacets(t *testing.T) {
	arts, err := LoadDir("testdata/bridge")
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(arts)
	if err != nil {
		t.Fatal(err)
	}
	b := c.Brief(5)
	checkBrief(t, c, b)
	facets := []struct {
		marker  string // a phrase only this facet's sentences hold
		sources string // the articles stating it, by hand
		main    bool   // the news: must be a point
	}{
		{"voted 7-2", "a1_council_vote,a3_drivers", true},
		{"$120 million grant", "a1_council_vote,a2_state_grant", true},
		{"40,000 vehicles", "a1_council_vote,a3_drivers", false},
		{"federal funds", "a2_state_grant", false},
		{"toll of $2", "a3_drivers", false},
		{"detours", "a3_drivers", false},
		{"voted against", "a1_council_vote", false},
	}
	covered := 0
	for _, f := range facets {
		n := 0
		for _, p := range b.Points {
			if !strings.Contains(p.Text, f.marker) {
				continue
			}
			n++
			if got := strings.Join(p.Sources, ","); got != f.sources {
				t.Errorf("point %q cites %s, want %s", p.Text, got, f.sources)
			}
		}
		switch {
		case n > 1:
			t.Errorf("facet %q is stated by %d points", f.marker, n)
		case n == 0 && f.main:
			t.Errorf("facet %q is missing from the brief", f.marker)
		}
		if n > 0 {
			covered++
		}
	}
	if covered < 4 {
		t.Errorf("the brief covers %d facets, want at least 4 of its 5 points on distinct facets", covered)
	}
	for i, p := range b.Points {
		t.Logf("%d %v %s", i+1, p.Sources, p.Text)
	}
}

// Published dates order the reports: the later article's new figure is
// the point, whatever the corpus order.
func TestBriefLaterUpdateWins(t *testing.T) {
	older := Article{ID: "mon", Published: "2024-05-06", Text: "The council approved a $412 million contract for the harbour tunnel on Monday. Work starts in May."}
	newer := Article{ID: "thu", Published: "2024-05-09T10:00:00Z", Text: "The council approved a $430 million contract for the harbour tunnel on Monday, after a late revision. Residents complained."}
	for _, arts := range [][]Article{{older, newer}, {newer, older}} {
		c, err := New(arts)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range c.Brief(3).Points {
			if strings.Contains(p.Text, "contract") {
				got = append(got, p.Text+" "+strings.Join(p.Sources, ","))
			}
		}
		if want := newer.Text[:strings.Index(newer.Text, " Residents")] + " thu"; len(got) != 1 || got[0] != want {
			t.Errorf("corpus order %s,%s: contract points %q, want only %q", arts[0].ID, arts[1].ID, got, want)
		}
	}
}

func TestBriefMaxPointsAndDeterminism(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	long := c.Brief(8)
	for _, n := range []int{1, 3, 5, 8} {
		got := c.Brief(n)
		if len(got.Points) != n {
			t.Errorf("Brief(%d): %d points", n, len(got.Points))
		}
		if !reflect.DeepEqual(got.Points, long.Points[:n]) {
			t.Errorf("Brief(%d) is not a prefix of Brief(8)", n)
		}
	}
	if got := len(c.Brief(0).Points); got != 5 {
		t.Errorf("Brief(0): %d points, want the default 5", got)
	}
	if got := len(c.Brief(1000).Points); got > maxRanked || got < 10 {
		t.Errorf("Brief(1000): %d points", got)
	}
	// A fresh corpus of the same articles gives the same brief.
	arts, _ := EmbeddedArticles()
	c2, err := New(arts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Brief(5), c2.Brief(5)) {
		t.Errorf("brief differs between two corpora of the same articles")
	}
	// Callers cannot change the cached brief.
	b := c.Brief(5)
	b.Points[0].Sources[0] = "changed"
	b.Quote.Text = "changed"
	if c.Brief(5).Points[0].Sources[0] == "changed" || c.Brief(5).Quote.Text == "changed" {
		t.Errorf("the cached brief was changed through a returned value")
	}
}

// A single article ranks its lead first when the rest elaborates one
// paragraph: news is written that way.
func TestBriefSingleArticleLead(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("Globex cut 1,200 jobs on Monday as demand for its kettles collapsed. ")
	sb.WriteString("The cuts, about a tenth of its staff, will save $300 million a year. ")
	for i := 0; i < 12; i++ {
		fmt.Fprintf(&sb, "Detail number %d about the factory floor and the weather in town. ", i+1)
	}
	c, err := New([]Article{{ID: "one", Text: sb.String()}})
	if err != nil {
		t.Fatal(err)
	}
	b := c.Brief(3)
	if len(b.Points) != 3 {
		t.Fatalf("got %d points", len(b.Points))
	}
	if !strings.HasPrefix(b.Points[0].Text, "Globex cut 1,200 jobs") {
		t.Errorf("first point = %q, want the lead", b.Points[0].Text)
	}
	if b.Quote != nil {
		t.Errorf("quote = %+v, want none", b.Quote)
	}
	if got := strings.Join(b.Points[0].Sources, ","); got != "one" {
		t.Errorf("sources = %s", got)
	}
}

// A lead point drops its dateline: the place and agency are page furniture,
// and the point is still a verbatim substring of its article.
func TestBriefPointDropsDateline(t *testing.T) {
	tests := []struct{ lead, want string }{
		{"OSLO, Norway (Reuters) -- Globex cut 1,200 jobs on Monday as demand for its kettles collapsed.", "Globex cut 1,200 jobs"},
		{"WASHINGTON — Globex cut 1,200 jobs on Monday as demand for its kettles collapsed.", "Globex cut 1,200 jobs"},
		{"Globex cut 1,200 jobs on Monday as demand for its kettles collapsed.", "Globex cut 1,200 jobs"},
	}
	for _, tt := range tests {
		body := tt.lead + " The cuts will save $300 million a year, Globex said.\n\nGlobex cut jobs at the kettle plant before."
		c, err := New([]Article{{ID: "one", Text: body}})
		if err != nil {
			t.Fatal(err)
		}
		got := c.Brief(1).Points[0].Text
		if !strings.HasPrefix(got, tt.want) {
			t.Errorf("lead %q: point = %q, want it to start %q", tt.lead, got, tt.want)
		}
		if !strings.Contains(body, got) {
			t.Errorf("point %q is not a substring of its article", got)
		}
	}
}

// Page furniture and sentences that lean on the one before are not points
// while a sentence that stands alone is left.
func TestBriefSkipsFurniture(t *testing.T) {
	text := "Editor's note: This story was updated with the council's vote count on the plan.\n\n" +
		"The council approved the ferry plan on Tuesday after a long debate about its cost.\n\n" +
		"However, the ferry plan still needs approval from the state before any work begins.\n\n" +
		"Sign up for our newsletter to get the latest news about the ferry plan and the council."
	c, err := New([]Article{{ID: "one", Text: text}})
	if err != nil {
		t.Fatal(err)
	}
	b := c.Brief(2)
	if got := b.Points[0].Text; !strings.HasPrefix(got, "The council approved") {
		t.Errorf("first point = %q, want the sentence that stands alone", got)
	}
	for _, p := range c.Brief(10).Points {
		if strings.HasPrefix(p.Text, "Editor's note") || strings.HasPrefix(p.Text, "Sign up") {
			t.Errorf("furniture became a point: %q", p.Text)
		}
	}
}

// JSON shapes of SPEC.md: empty lists are [], a missing quote is null.
func TestJSONShapes(t *testing.T) {
	c, err := New([]Article{{ID: "a", Text: "Nothing to quote here at all."}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"quotes", c.Quotes(), `[]`},
		{"facts", c.Facts(), `[]`},
		{"brief", c.Brief(5), `{"title":"Nothing to quote here at all","points":[{"text":"Nothing to quote here at all.","sources":["a"]}],"quote":null,"sources":[{"id":"a","title":"Nothing to quote here at all","url":""}]}`},
	}
	for _, tt := range tests {
		got, err := json.Marshal(tt.v)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.want {
			t.Errorf("%s JSON\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}
