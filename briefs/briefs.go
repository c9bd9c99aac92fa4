// Package briefs turns a corpus of news articles into a brief, verbatim
// quotes, key figures and cited answers. It knows nothing of chat platforms
// and imports nothing else of this module.
//
// Every string it returns as a quote or a citation is an exact substring of
// the article it names: extraction only, never generation.
package briefs

// Article is one news article of a corpus.
type Article struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Source    string `json:"source,omitempty"` // publication
	URL       string `json:"url"`
	Published string `json:"published,omitempty"` // date as written in front matter
	Author    string `json:"author,omitempty"`
	Text      string `json:"-"` // body without front matter
}

// Source is an article as listed by the sources command.
type Source struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Quote is direct speech found in an article.
type Quote struct {
	Text     string `json:"text"`     // inside the quote marks, verbatim
	Speaker  string `json:"speaker"`  // as the article names them
	Source   string `json:"source"`   // article id
	Sentence string `json:"sentence"` // the verbatim sentence holding the quote
}

// FactKind classifies a key figure.
type FactKind string

const (
	KindMoney   FactKind = "money"
	KindCount   FactKind = "count"
	KindPercent FactKind = "percent"
	KindDate    FactKind = "date"
	KindPeriod  FactKind = "period"
)

// Fact is a key figure with the sentence it comes from.
type Fact struct {
	Text    string   `json:"text"`  // the verbatim sentence
	Value   string   `json:"value"` // the figure as written, e.g. "$25 billion"
	Kind    FactKind `json:"kind"`
	Sources []string `json:"sources"`
}

// Point is one ranked point of a brief.
type Point struct {
	Text    string   `json:"text"`    // verbatim sentence
	Sources []string `json:"sources"` // every article that supports it
}

// Brief is the consolidated multi-document summary.
type Brief struct {
	Title   string   `json:"title"`
	Points  []Point  `json:"points"`
	Quote   *Quote   `json:"quote"`
	Sources []Source `json:"sources"`
}

// Citation is the verbatim sentence supporting an answer.
type Citation struct {
	Source string `json:"source"`
	Text   string `json:"text"`
}

// Answer is the result of a question.
type Answer struct {
	Question  string     `json:"question"`
	Answered  bool       `json:"answered"`
	Answer    string     `json:"answer"`
	Citations []Citation `json:"citations"`
	// Confidence is the ranker's probability (0–1) that the best sentence
	// answers the question, whether or not it was given.
	Confidence float64 `json:"confidence"`
	// Nearest are the closest sentences, verbatim, when the question is
	// declined (so a reader sees what the articles do say); else empty.
	Nearest []Citation `json:"nearest"`
	// Mode is ModeWritten when a language model wrote the answer from
	// the cited sentences and every claim passed verification,
	// ModeExtractive when a model is configured but the answer is the
	// engine's own; empty (and absent from JSON) with no model.
	Mode string `json:"-"`
	// Dropped counts the model's claims that verification removed; in
	// JSON only when Mode is set.
	Dropped int `json:"-"`
}
