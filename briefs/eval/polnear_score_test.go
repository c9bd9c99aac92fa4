package eval

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSpeakerMatches(t *testing.T) {
	tests := []struct {
		speaker, source string
		want            bool
	}{
		{"Aiyana Redcloud", "Redcloud", true},
		{"Aiyana Redcloud", "the council’s engineer, Aiyana Redcloud,", true},
		{"María José Carrasco", "Maria Carrasco", true}, // accents folded
		{"Zhang Wei", "she", true},                      // a pronoun source accepts any named speaker
		{"he", "she", false},                            // but not a pronoun
		{"", "Zhang", false},
		{"Marcus Hale", "Oluwaseun Adeyemi", false},
		{"the ministry", "the ministry", true},
		{"the ministry", "the board", false}, // "the" is no name word
	}
	for _, tt := range tests {
		if got := SpeakerMatches(tt.speaker, tt.source); got != tt.want {
			t.Errorf("SpeakerMatches(%q, %q) = %v, want %v", tt.speaker, tt.source, got, tt.want)
		}
	}
}

// span returns the code-point offsets of sub in s, as PolNeAR writes them.
func span(s, sub string) (int, int) {
	i := strings.Index(s, sub)
	a := utf8.RuneCountInString(s[:i])
	return a, a + utf8.RuneCountInString(sub)
}

// found returns the byte span of sub in s as a returned quote.
func found(s, sub, speaker string) FoundQuote {
	i := strings.Index(s, sub)
	return FoundQuote{Start: i, End: i + len(sub), Speaker: speaker}
}

func TestScoreQuotes(t *testing.T) {
	doc := "Søren said: “We lost the boat, and the nets.” Later: “It is over,” he said. “We go home.” Then “a scare” word."
	g1a, g1b := span(doc, "“We lost the boat, and the nets.”")
	g2a, _ := span(doc, "“It is over,”")
	_, g2d := span(doc, "“We go home.”")
	_, g2c := span(doc, "“It is over,”")
	g2e, _ := span(doc, "“We go home.”")
	gold := []GoldQuote{
		{Start: g1a, End: g1b, Source: "Søren"},
		// “It is over,” he said. “We go home.”: one content of two parts.
		{Start: g2a, End: g2d, Source: "he"},
	}
	contents := [][][2]int{{{g1a, g1b}}, {{g2a, g2c}, {g2e, g2d}}}
	tests := []struct {
		name string
		got  []FoundQuote
		want QuoteScore
	}{
		{"all found", []FoundQuote{
			found(doc, "We lost the boat, and the nets.", "Søren Dahl"),
			found(doc, "It is over,", "Søren Dahl"),
			found(doc, "We go home.", "Søren Dahl"),
		}, QuoteScore{Gold: 2, Found: 1, SpeakerRight: 1, PartsFound: 2, PartsRight: 2, PronounFound: 1, PronounRight: 1, Returned: 3}},
		{"under 80 percent", []FoundQuote{
			found(doc, "We lost the boat,", "Søren"),
		}, QuoteScore{Gold: 2, Returned: 1}},
		{"wrong speaker and a quote of nothing annotated", []FoundQuote{
			found(doc, "We lost the boat, and the nets.", "Ann"),
			found(doc, "a scare", "Ann"),
		}, QuoteScore{Gold: 2, Found: 1, PartsFound: 1, Returned: 2, NoDirect: 1, NoContent: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := ScoreQuotes(doc, gold, contents, tt.got)
			if got != tt.want {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}
