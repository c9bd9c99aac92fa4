package text

import (
	"strings"
	"testing"
)

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"plain", "Amazon lost money. Echo sales fell! Why? Nobody knows.",
			[]string{"Amazon lost money.", "Echo sales fell!", "Why?", "Nobody knows."}},
		{"initialism mid-sentence", "The U.S. economy grew. It was fast.",
			[]string{"The U.S. economy grew.", "It was fast."}},
		{"initialism ends sentence", "Amazon sells in the U.S. The company also sells abroad.",
			[]string{"Amazon sells in the U.S.", "The company also sells abroad."}},
		{"titles", "Mr. Jassy met Dr. Smith and Sen. Warren on Jan. 5 in St. Louis. They talked.",
			[]string{"Mr. Jassy met Dr. Smith and Sen. Warren on Jan. 5 in St. Louis.", "They talked."}},
		{"company suffix", "Amazon.com Inc. said it would cut jobs. Apple Inc. The maker of iPhones did not.",
			[]string{"Amazon.com Inc. said it would cut jobs.", "Apple Inc.", "The maker of iPhones did not."}},
		{"decimals and money", "Revenue rose to $25.5 billion, up 3.2% from Q1. Profit was $1.2 billion.",
			[]string{"Revenue rose to $25.5 billion, up 3.2% from Q1.", "Profit was $1.2 billion."}},
		{"middle initial", "John F. Kennedy spoke. Then he left.",
			[]string{"John F. Kennedy spoke.", "Then he left."}},
		{"e.g. and a.m.", "Devices, e.g. the Echo, sold well. It opened at 9 a.m. Sales started.",
			[]string{"Devices, e.g. the Echo, sold well.", "It opened at 9 a.m.", "Sales started."}},
		{"number abbreviation", "It ranked No. 1 in sales. The answer was no. Then it changed.",
			[]string{"It ranked No. 1 in sales.", "The answer was no.", "Then it changed."}},
		{"typographic quote after period", "He said, “We built a smart timer.” Then he left.",
			[]string{"He said, “We built a smart timer.”", "Then he left."}},
		{"quote spanning sentences", "Limp said, “We don’t have to make money. Instead, we make money later.” It worked.",
			[]string{"Limp said, “We don’t have to make money. Instead, we make money later.”", "It worked."}},
		{"glued articles", "The aim is “the world’s best personal assistant.”Despite this, sales fell.",
			[]string{"The aim is “the world’s best personal assistant.”", "Despite this, sales fell."}},
		{"glued without quote", "It was a smart timer.Despite this, sales fell.",
			[]string{"It was a smart timer.", "Despite this, sales fell."}},
		{"domain is no boundary", "Shop at Amazon.com today. Or not.",
			[]string{"Shop at Amazon.com today.", "Or not."}},
		{"question in quote with attribution", "“Why bother?” Jassy asked. Nobody answered.",
			[]string{"“Why bother?” Jassy asked.", "Nobody answered."}},
		{"straight quotes", `He said, "It is over. We lost." Then silence.`,
			[]string{`He said, "It is over. We lost."`, "Then silence."}},
		{"closing single quote", "She called it ‘a bet.’ The bet failed.",
			[]string{"She called it ‘a bet.’", "The bet failed."}},
		{"single quotes spanning sentences", "‘We lost. It hurts,’ she said. Then she left.",
			[]string{"‘We lost. It hurts,’ she said.", "Then she left."}},
		{"apostrophes are no quotes", "The workers’ union met. ‘It is over.’ Then silence at O’Brien’s.",
			[]string{"The workers’ union met.", "‘It is over.’", "Then silence at O’Brien’s."}},
		{"ellipsis", "Sales fell… and fell. Then… Nothing.",
			[]string{"Sales fell… and fell.", "Then…", "Nothing."}},
		{"paragraphs", "First paragraph here.\n\nSecond one here.\nThird line here.",
			[]string{"First paragraph here.", "Second one here.", "Third line here."}},
		{"headline line", "# Amazon loses billions\n\nThe devices unit lost money.",
			[]string{"Amazon loses billions", "The devices unit lost money."}},
		{"hard-wrapped paragraph", "Amazon's devices unit lost more than twenty five billion dollars over\nfive years, the Journal reported. Jassy\nresponded.",
			[]string{"Amazon's devices unit lost more than twenty five billion dollars over\nfive years, the Journal reported.", "Jassy\nresponded."}},
		{"decoration dropped", "Text one.\n\n***\n\nText two.",
			[]string{"Text one.", "Text two."}},
		{"no final period", "Sales fell sharply", []string{"Sales fell sharply"}},
		{"empty", "  \n ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, sp := range splitSentences(tt.text) {
				got = append(got, tt.text[sp.Start:sp.End])
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("splitSentences(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

// Every sentence of the embedded corpus is the verbatim slice of its
// article, trimmed, in order and without overlap.

func splitSentences(text string) []Span {
	var out []Span
	for _, s := range Segment(text) {
		out = append(out, s.Span)
	}
	return out
}

// Pathological input stays linear and verbatim: a huge paragraph of short
// quoted sentences, and a huge text without any punctuation.
func TestSplitSentencesLarge(t *testing.T) {
	quoted := strings.Repeat("He said, “Yes. No.” Then left. ", 20000)
	if got, want := len(splitSentences(quoted)), 40000; got != want {
		t.Errorf("quoted paragraph: %d sentences, want %d", got, want)
	}
	flat := strings.Repeat("word ", 200000)
	sp := splitSentences(flat)
	if len(sp) != 1 || flat[sp[0].Start:sp[0].End] != strings.TrimSpace(flat) {
		t.Errorf("unpunctuated text: %d sentences, want 1 verbatim", len(sp))
	}
}
