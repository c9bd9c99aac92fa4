package briefs

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/alexa-brief/alexa-brief/briefs/facts"
	"github.com/alexa-brief/alexa-brief/briefs/rank"
	"github.com/alexa-brief/alexa-brief/briefs/text"
)

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
	version  string

	// sents holds every sentence of every article, in article order;
	// byDoc[d] lists the ids (indexes into sents) of article d's sentences.
	sents []sentence
	byDoc [][]int

	// qa is the sentence index question answering retrieves from and
	// ranks with (package rank).
	qa *rank.Index
	// speakers maps a sentence to the normalised words naming the speakers
	// of its quotations, built on the first "what did X say" question.
	speakersOnce sync.Once
	speakers     map[string][]string
	spoken       map[string][]int // speaker word → sentences

	// Derived views are computed on first use and then served from memory:
	// a corpus is immutable, so computing them once is always correct.
	quotesOnce sync.Once
	quotes     []Quote
	factsOnce  sync.Once
	facts      []Fact
	figsOnce   sync.Once
	figs       [][]facts.Figure // per sentence
	briefOnce  sync.Once
	brief      rankedBrief
}

// New validates the articles, segments them into sentences and builds the
// indexes. The slice is copied: later changes by the caller do not leak in.
func New(articles []Article) (*Corpus, error) {
	if len(articles) == 0 {
		return nil, fmt.Errorf("briefs: empty corpus: no articles")
	}
	c := &Corpus{articles: make([]Article, len(articles))}
	seen := make(map[string]int, len(articles))
	h := sha256.New()
	for i, a := range articles {
		if a.ID == "" {
			return nil, fmt.Errorf("briefs: article %d has no id", i+1)
		}
		if j, dup := seen[a.ID]; dup {
			return nil, fmt.Errorf("briefs: duplicate article id %q (articles %d and %d)", a.ID, j+1, i+1)
		}
		seen[a.ID] = i
		if !utf8.ValidString(a.Text) {
			return nil, fmt.Errorf("briefs: article %q: text is not valid UTF-8", a.ID)
		}
		if strings.TrimSpace(a.Text) == "" {
			return nil, fmt.Errorf("briefs: article %q: empty text", a.ID)
		}
		if strings.TrimSpace(a.Title) == "" {
			a.Title = deriveTitle(a.Text)
		}
		c.articles[i] = a
		// Length-prefixed fields keep the hash unambiguous.
		fmt.Fprintf(h, "%d:%s%d:%s", len(a.ID), a.ID, len(a.Text), a.Text)
	}
	c.version = hex.EncodeToString(h.Sum(nil))[:16]
	c.segment()
	c.qa = newIndex(c)
	return c, nil
}

// segment fills c.sents and c.byDoc.
func (c *Corpus) segment() {
	c.byDoc = make([][]int, len(c.articles))
	for d := range c.articles {
		body := c.articles[d].Text
		// A headline line is the article's title, not a sentence of its
		// body: it must not become a point, a fact's sentence or an answer.
		off, para0 := 0, 0
		if _, end, ok := headline(body); ok {
			off, para0 = end, 1
		}
		segs := text.Segment(body[off:])
		if len(segs) == 0 && off > 0 {
			off, para0 = 0, 0
			segs = text.Segment(body)
		}
		ids := make([]int, 0, len(segs))
		for pos, sp := range segs {
			start, end := sp.Start+off, sp.End+off
			ids = append(ids, len(c.sents))
			c.sents = append(c.sents, sentence{
				doc: d, pos: pos, para: sp.Para + para0,
				start: start, end: end,
				text: body[start:end],
			})
		}
		c.byDoc[d] = ids
	}
}

// sentence is one sentence of the corpus. Its text is always the verbatim
// slice of its article: citations and points are cut from it unchanged.
type sentence struct {
	doc        int    // index into c.articles
	pos        int    // sentence index within its article
	para       int    // paragraph index within its article
	start, end int    // byte offsets into c.articles[doc].Text
	text       string // == c.articles[doc].Text[start:end]
}

// Articles returns a copy of the corpus's articles, in order.
func (c *Corpus) Articles() []Article {
	out := make([]Article, len(c.articles))
	copy(out, c.articles)
	return out
}

// Version is a stable hash of the article ids and texts: two corpora with
// the same articles have the same version, whatever their titles.
func (c *Corpus) Version() string { return c.version }

// Sources lists the articles as the sources command shows them.
func (c *Corpus) Sources() []Source {
	out := make([]Source, len(c.articles))
	for i, a := range c.articles {
		out[i] = Source{ID: a.ID, Title: a.Title, URL: a.URL}
	}
	return out
}
