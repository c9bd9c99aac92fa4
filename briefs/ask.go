package briefs

// Question answering. Stub until the QA work lands: it declines everything.

type qaIndex struct{}

func newQAIndex(c *Corpus) *qaIndex { return &qaIndex{} }

// Ask answers one question from the corpus.
func (c *Corpus) Ask(question string) Answer {
	return Answer{Question: question, Answer: "The articles don't say.", Citations: []Citation{}}
}

// FollowUp answers a question in the light of earlier exchanges.
func (c *Corpus) FollowUp(question string, history []Exchange) Answer { return c.Ask(question) }
