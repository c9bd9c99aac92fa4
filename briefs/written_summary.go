package briefs

// WrittenSummary is a short summary of a story that a language model wrote
// from its brief's top sentences, holding only the claims that passed
// verification (package written). It sits above a brief's points, which
// stay as they are; `brief --json` gives it as "summary" when a model is
// configured (null when the model wrote nothing that survived).
type WrittenSummary struct {
	// Text is the kept claims, joined.
	Text string `json:"text"`
	// Citations are exactly the sentences the kept claims cite, verbatim,
	// each once, in the order first cited.
	Citations []Citation `json:"citations"`
	// Dropped counts the claims verification removed.
	Dropped int `json:"dropped"`
	// Claims are the kept claims one by one, with the articles each rests
	// on, for a chat rendering that cites them like points.
	Claims []SummaryClaim `json:"-"`
}

// SummaryClaim is one kept claim of a WrittenSummary.
type SummaryClaim struct {
	Text    string
	Sources []string // ids of the articles holding the sentences it cites
}
