package briefs

import "github.com/alexa-brief/alexa-brief/briefs/rank"

// Candidates returns up to n sentences a written answer to question may
// draw on, best first: the ones extractive Ask retrieves and ranks, in the
// ranker's order, verbatim with their article ids, each text once.
//
// It is empty when retrieval finds nothing to answer from: the question
// has no word to look for, or names something the corpus never mentions
// (whatever the nearest sentences say, they are not about it). A caller
// then declines without asking a model.
func (c *Corpus) Candidates(question string, n int) []Citation {
	if n <= 0 {
		return nil
	}
	q := rank.Analyze(question)
	var hits []rank.Scored
	if q.IsGeneric() {
		// "What happened?": the brief's leading points, as Ask gives.
		hits = c.leadHits(nil, n)
	} else {
		r := c.search(q, nil)
		if r.empty || len(r.missing) > 0 {
			return nil
		}
		hits = r.ranked
	}
	out := make([]Citation, 0, min(n, len(hits)))
	seen := map[string]bool{}
	for _, h := range hits {
		ct := c.cite(h.Sent)
		if seen[ct.Text] {
			continue // the same sentence in two articles: one is enough
		}
		seen[ct.Text] = true
		out = append(out, ct)
		if len(out) == n {
			break
		}
	}
	return out
}
