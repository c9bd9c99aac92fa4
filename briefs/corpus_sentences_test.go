package briefs

import (
	"strings"
	"testing"
)

// Every sentence of the embedded corpus is the verbatim slice of its
// article, trimmed, in order and without overlap.
func TestSentencesVerbatim(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for d, ids := range c.byDoc {
		text := c.articles[d].Text
		prevEnd := 0
		for pos, id := range ids {
			s := c.sents[id]
			if s.doc != d || s.pos != pos {
				t.Errorf("sentence %d: doc, pos = %d, %d, want %d, %d", id, s.doc, s.pos, d, pos)
			}
			if s.text != text[s.start:s.end] || s.text != strings.TrimSpace(s.text) || s.start < prevEnd {
				t.Errorf("sentence %d is not a clean verbatim slice: %q", id, s.text)
			}
			prevEnd = s.end
		}
	}
}

func TestEmbeddedSegmentation(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{
		"The company’s strategy for Alexa continues to aim at creating “the world’s best personal assistant.”":                                                                                                      false,
		"A former Amazon employee candidly remarked to the Journal, “We worried we’ve hired 10,000 people and we’ve built a smart timer.”":                                                                          false,
		"Former Amazon devices SVP Dave Limp encapsulated this philosophy in 2019, stating, “We don’t have to make money when we sell you the device. Instead, we make money when people actually use the device.”": false,
		"Since their debut in 2014, Amazon has sold over 500 million Alexa devices.":                                                                                                                                false,
	}
	for _, s := range c.sents {
		if _, ok := want[s.text]; ok {
			want[s.text] = true
		}
	}
	for s, found := range want {
		if !found {
			t.Errorf("sentence not found: %q", s)
		}
	}
	if got, want := len(c.byDoc[0]), 13; got != want {
		t.Errorf("article 000: %d sentences, want %d", got, want)
	}
	if got, want := c.sents[c.byDoc[1][0]].para, 0; got != want {
		t.Errorf("first paragraph index = %d, want %d", got, want)
	}
	if got, want := c.sents[c.byDoc[1][len(c.byDoc[1])-1]].para, 8; got != want {
		t.Errorf("last paragraph index of article 002 = %d, want %d", got, want)
	}
}
