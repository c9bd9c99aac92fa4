package briefs

import (
	"strings"
	"testing"
)

// The quote adds to the points: a quote restating a point gives way to one
// saying something the points do not, though it holds more of the story's
// recurring words.
func TestBriefQuoteAddsToPoints(t *testing.T) {
	arts := []Article{
		{ID: "a", Text: "The Lakeside council approved the new stadium plan on Tuesday after a long debate.\n\n" +
			"“The council approved the stadium plan after a long debate,” said Mayor Lena Okafor.\n\n" +
			"The stadium plan will be built on the old rail yard by 2027."},
		{ID: "b", Text: "Lakeside's council approved the stadium plan on Tuesday, ending a long debate.\n\n" +
			"“Ticket prices for families will rise across the region next season,” said Tomas Vanderberg, who leads a fan group.\n\n" +
			"Critics of the stadium plan said the debate was too short."},
	}
	c, err := New(arts)
	if err != nil {
		t.Fatal(err)
	}
	b := c.Brief(1)
	if len(b.Points) != 1 || !strings.Contains(b.Points[0].Text, "approved") {
		t.Fatalf("points = %+v, want the approval", b.Points)
	}
	if len(c.brief.quotes) < 2 || !strings.Contains(c.brief.quotes[0].Text, "approved") {
		t.Fatalf("ranked quotes = %+v, want the restating quote first (else this test shows nothing)", c.brief.quotes)
	}
	if b.Quote == nil || !strings.HasPrefix(b.Quote.Text, "Ticket prices") {
		t.Errorf("quote = %+v, want the one about ticket prices", b.Quote)
	}
	checkBrief(t, c, b)
}
