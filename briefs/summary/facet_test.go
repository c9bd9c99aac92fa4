package summary

import (
	"strings"
	"testing"
)

// A later report that adds a facet of its own (here the rescue offer,
// which only the second article reports, in two of its paragraphs) has it
// in the brief, though the first report's lead sentences hold more of the
// words both articles share.
func TestPointsTakeALaterArticlesFacet(t *testing.T) {
	arts := [][]string{
		{
			"Norvik Steel will close its Tarnby steel plant in March, cutting 800 jobs at the town's largest employer. The Tarnby plant has made steel beams since 1961.",
			"Norvik Steel blamed cheap steel imports and high energy prices for the closure of the Tarnby plant. The closure ends steel making in Tarnby.",
			"Workers at the Tarnby plant learned of the closure at a meeting on Monday. The union said the 800 jobs at the plant were the town's best paid.",
			"Shops near the Tarnby plant expect to lose trade after the closure. The town council called the closure of the plant a disaster for Tarnby.",
		},
		{
			"Norvik Steel confirmed on Tuesday that the Tarnby plant will close, with 800 jobs lost.",
			"The regional government offered Norvik Steel a rescue loan to keep the Tarnby furnaces running through the winter.",
			"The rescue loan would be repaid from future steel sales, the regional minister said.",
		},
	}
	sents := corpus(arts...)
	m := New([]Article{{Order: 0}, {Order: 1}}, sents)
	pts := m.Points(3)
	rescue := 0
	for _, p := range pts {
		if strings.Contains(sents[p.Sentence].Text, "rescue loan") {
			rescue++
		}
	}
	if rescue != 1 {
		t.Errorf("%d points on the rescue loan, want 1: %q", rescue, texts(sents, pts))
	}
}
