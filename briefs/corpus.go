package briefs

// (Corpus struct: see below)
// Corpus is an indexed, immutable set of articles. Build one with New; all
// methods are safe for concurrent use.
//
// The contract other packages rely on (implementations live in this package):
//
//	func New(articles []Article) (*Corpus, error)     // validates ids, builds indexes
//	func Default() (*Corpus, error)                    // the embedded corpus
//	func EmbeddedArticles() ([]Article, error)
//	func LoadDir(dir string) ([]Article, error)        // *.txt and *.md under dir, front matter
//	func ParseArticle(id string, data []byte) (Article, error)
//	func (c *Corpus) Articles() []Article
//	func (c *Corpus) Version() string                  // stable hash of the articles
//	func (c *Corpus) Brief(maxPoints int) Brief         // cached per corpus
//	func (c *Corpus) Quotes() []Quote
//	func (c *Corpus) Facts() []Fact
//	func (c *Corpus) Sources() []Source
//	func (c *Corpus) Ask(question string) Answer
//	func (c *Corpus) FollowUp(question string, history []Exchange) Answer
//
// Exchange is one earlier question and its answer in a conversation; FollowUp
// uses the most recent ones to resolve "what else did he say?" or "and in
// 2021?" against the corpus.
type Exchange struct {
	Question string `json:"question"`
	Answer   Answer `json:"answer"`
}

// Corpus holds the articles and their indexes.
type Corpus struct {
	articles []Article
	qa       *qaIndex
}
