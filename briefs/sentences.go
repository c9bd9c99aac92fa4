package briefs

// Sentences returns the sentences of article id, verbatim and in order, as
// the segmenter cuts them (what answers and points are made of); nil when
// the corpus has no such article. The quality benchmark takes its LEAD-3
// baseline from it so both sides share one segmenter.
func (c *Corpus) Sentences(id string) []string {
	for d, a := range c.articles {
		if a.ID != id {
			continue
		}
		out := make([]string, len(c.byDoc[d]))
		for i, s := range c.byDoc[d] {
			out[i] = c.sents[s].text
		}
		return out
	}
	return nil
}
