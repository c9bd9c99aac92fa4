package briefs

import (
	"crypto/sha256"
	"encoding"
	"encoding/hex"
	"fmt"
	"hash"
	"slices"
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
//	func (c *Corpus) With(more []Article) (*Corpus, error) // adds articles incrementally
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
	articles  []Article
	version   string
	hashState []byte // the version hash's running state, for With

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
	subjects     [][]string       // sentence → words that may be a speech verb's subject

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
	c := &Corpus{}
	if err := c.append(articles, sha256.New()); err != nil {
		return nil, err
	}
	c.qa = newIndex(c)
	return c, nil
}

// With returns a corpus of c's articles followed by more, as New(c's
// articles + more) would build it, without redoing c's work: only the new
// articles are segmented and indexed (rank.Index.Extend), and the derived
// views (quotes, facts, brief) are recomputed lazily, on first use of the
// new corpus. c is unchanged and stays valid for its readers.
func (c *Corpus) With(more []Article) (*Corpus, error) {
	if len(more) == 0 {
		return c, nil
	}
	h := sha256.New()
	if err := h.(encoding.BinaryUnmarshaler).UnmarshalBinary(c.hashState); err != nil {
		return nil, fmt.Errorf("briefs: extend corpus: %w", err)
	}
	nc := &Corpus{
		articles: slices.Clip(c.articles),
		sents:    slices.Clip(c.sents),
		byDoc:    slices.Clip(c.byDoc),
	}
	old := len(c.articles)
	if err := nc.append(more, h); err != nil {
		return nil, err
	}
	nc.qa = c.qa.Extend(indexSentences(nc, old), titles(nc, old))
	return nc, nil
}

// append validates articles and adds them to c (segmented) and to the
// running version hash h, whose state c keeps for With.
func (c *Corpus) append(articles []Article, h hash.Hash) error {
	seen := make(map[string]bool, len(c.articles)+len(articles))
	for _, a := range c.articles {
		seen[a.ID] = true
	}
	first := len(c.articles)
	for i, a := range articles {
		n := first + i + 1
		if a.ID == "" {
			return fmt.Errorf("briefs: article %d has no id", n)
		}
		if seen[a.ID] {
			return fmt.Errorf("briefs: duplicate article id %q (article %d)", a.ID, n)
		}
		seen[a.ID] = true
		if !utf8.ValidString(a.Text) {
			return fmt.Errorf("briefs: article %q: text is not valid UTF-8", a.ID)
		}
		if strings.TrimSpace(a.Text) == "" {
			return fmt.Errorf("briefs: article %q: empty text", a.ID)
		}
		if strings.TrimSpace(a.Title) == "" {
			a.Title = deriveTitle(a.Text)
		}
		c.articles = append(c.articles, a)
		// Length-prefixed fields keep the hash unambiguous.
		fmt.Fprintf(h, "%d:%s%d:%s", len(a.ID), a.ID, len(a.Text), a.Text)
	}
	state, err := h.(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil {
		return fmt.Errorf("briefs: corpus version: %w", err)
	}
	c.hashState = state
	c.version = hex.EncodeToString(h.Sum(nil))[:16]
	c.segment(first)
	return nil
}

// segment appends to c.sents and c.byDoc the sentences of the articles
// from index first on.
func (c *Corpus) segment(first int) {
	for d := first; d < len(c.articles); d++ {
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
		c.byDoc = append(c.byDoc, ids)
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
