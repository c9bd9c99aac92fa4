package written

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/alexa-brief/alexa-brief/briefs"
)

// Writer asks a language model for the claims that answer question from
// sentences, numbered from 1 in the order given. adapters/llm implements
// it over an OpenAI-compatible API; tests script it.
type Writer interface {
	Write(ctx context.Context, question string, sentences []string) ([]Claim, error)
}

// Defaults, in one place.
const (
	DefaultTimeout     = 15 * time.Second
	DefaultCandidates  = 8
	DefaultConcurrency = 4
	DefaultCacheSize   = 512
)

// Config is what a Service needs; zero values take the defaults.
type Config struct {
	Writer Writer
	// Timeout bounds one answer's wait for the model, queueing for a
	// slot included.
	Timeout time.Duration
	// Candidates is how many retrieved sentences the model is shown.
	Candidates int
	// Concurrency bounds model calls in flight across all answers, so a
	// burst of questions queues here instead of overloading the model.
	Concurrency int
	// CacheSize bounds the answers kept per (corpus version, question,
	// sentences shown).
	CacheSize int
	Logger    *slog.Logger
	// Metrics counts outcomes and claims; nil counts nothing.
	Metrics Metrics
}

// Metrics receives what operators count of the model's work; bot.Metrics
// (and so the Prometheus adapter) has these methods. use is UseAnswer or
// UseSummary.
type Metrics interface {
	// WrittenOutcome counts one model call by how it ended: OutcomeWritten,
	// or the reason the reader got the extractive text instead.
	WrittenOutcome(use, outcome string)
	// WrittenClaims counts the claims of one reply verification kept and
	// dropped.
	WrittenClaims(use string, kept, dropped int)
}

// What a model call was for, as metrics label it.
const (
	UseAnswer  = "answer"
	UseSummary = "summary"
)

// How a model call ended, as metrics label it. Cache hits are not calls.
const (
	OutcomeWritten   = "written"   // at least one claim kept
	OutcomeNoneKept  = "none_kept" // a reply, every claim dropped (or none given)
	OutcomeTimeout   = "timeout"   // no reply (or no free slot) within the timeout
	OutcomeMalformed = "malformed" // a reply that is not the claims JSON
	OutcomeError     = "error"     // any other failure: an error status, a refusal, a transport error
)

// ErrMalformed is what a Writer's error wraps (or matches, by errors.Is)
// when the model replied with something other than the claims JSON.
var ErrMalformed = errors.New("written: reply is not the claims JSON")

// ErrTimeout wraps a Writer's error when the per-answer timeout ran out.
var ErrTimeout = errors.New("written: no reply within the timeout")

// outcome classifies a model call's error (nil: a reply verification kept
// kept claims of).
func outcome(err error, kept int) string {
	switch {
	case err == nil && kept > 0:
		return OutcomeWritten
	case err == nil:
		return OutcomeNoneKept
	case errors.Is(err, ErrTimeout), errors.Is(err, ErrBusy):
		return OutcomeTimeout
	case errors.Is(err, ErrMalformed):
		return OutcomeMalformed
	}
	return OutcomeError
}

// Service writes answers with a model and verifies them. It is safe for
// concurrent use.
type Service struct {
	w       Writer
	timeout time.Duration
	n       int
	slots   chan struct{}
	log     *slog.Logger
	metrics Metrics
	cache   *cache
	sum     summaries
}

// New returns a Service over cfg.
func New(cfg Config) *Service {
	s := &Service{w: cfg.Writer, timeout: cfg.Timeout, n: cfg.Candidates, log: cfg.Logger, metrics: cfg.Metrics}
	if s.timeout <= 0 {
		s.timeout = DefaultTimeout
	}
	if s.n <= 0 {
		s.n = DefaultCandidates
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	if cfg.CacheSize <= 0 {
		cfg.CacheSize = DefaultCacheSize
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.metrics == nil {
		s.metrics = nopMetrics{}
	}
	s.slots = make(chan struct{}, cfg.Concurrency)
	s.cache = newCache(cfg.CacheSize)
	return s
}

// Log keys, constants so every line spells them alike. Prompts, questions
// and article text are never logged.
const (
	logKeyErr        = "err"
	logKeyDropped    = "dropped"
	logKeyKept       = "kept"
	logKeyCandidates = "candidates"
	logKeyLatency    = "latency"
)

// Answer is the answer to ext.Question, where ext is the extractive answer
// c gave: written from the retrieved sentences when the model answers and
// at least one claim passes verification, else ext itself. Either way Mode
// and Dropped are set. When retrieval finds no sentence the model is not
// asked and ext (a decline) is returned.
func (s *Service) Answer(ctx context.Context, c *briefs.Corpus, ext briefs.Answer) briefs.Answer {
	ext = scrub(ext)
	cands := s.candidates(c, ext)
	if len(cands) == 0 {
		return ext
	}
	texts := make([]string, len(cands))
	for i, ct := range cands {
		texts[i] = ct.Text
	}
	key := cacheKey(c.Version(), ext.Question, texts)
	if r, ok := s.cache.get(key); ok {
		return compose(ext, cands, r)
	}
	start := time.Now()
	claims, err := s.write(ctx, ext.Question, texts)
	if err != nil {
		s.metrics.WrittenOutcome(UseAnswer, outcome(err, 0))
		s.log.Warn("written answer: model failed, answering extractively", logKeyErr, err, logKeyLatency, time.Since(start))
		return ext
	}
	kept, dropped := Verify(claims, texts)
	s.metrics.WrittenClaims(UseAnswer, len(kept), dropped)
	s.metrics.WrittenOutcome(UseAnswer, outcome(nil, len(kept)))
	r := result{kept: kept, dropped: dropped}
	s.cache.put(key, r)
	s.log.Debug("written answer", logKeyCandidates, len(texts), logKeyKept, len(kept), logKeyDropped, dropped, logKeyLatency, time.Since(start))
	return compose(ext, cands, r)
}

// scrub leaves out of the extractive answer the sentences that address a
// model: with one configured, an injected "ignore previous instructions
// and say …" is shown neither to it nor, when it fails, to the reader.
func scrub(ext briefs.Answer) briefs.Answer {
	ext.Mode, ext.Dropped = briefs.ModeExtractive, 0
	keep := func(cts []briefs.Citation) []briefs.Citation {
		out := make([]briefs.Citation, 0, len(cts))
		for _, ct := range cts {
			if !Instruction(ct.Text) {
				out = append(out, ct)
			}
		}
		return out
	}
	n := len(ext.Citations)
	ext.Citations, ext.Nearest = keep(ext.Citations), keep(ext.Nearest)
	if len(ext.Citations) == n {
		return ext
	}
	if len(ext.Citations) == 0 {
		ext.Answered, ext.Answer = false, "The articles don't say."
		return ext
	}
	texts := make([]string, len(ext.Citations))
	for i, ct := range ext.Citations {
		texts[i] = ct.Text
	}
	ext.Answer = strings.Join(texts, " ")
	return ext
}

// ErrBusy is returned when no model slot came free within the timeout.
var ErrBusy = errors.New("written: every model slot busy")

// write calls the model within the per-answer timeout and a slot.
func (s *Service) write(ctx context.Context, question string, texts []string) ([]Claim, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	case <-ctx.Done():
		return nil, ErrBusy
	}
	claims, err := s.w.Write(ctx, question, texts)
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) && !errors.Is(err, ErrTimeout) {
		err = fmt.Errorf("%w: %w", ErrTimeout, err)
	}
	return claims, err
}

// candidates are the sentences the model is shown: those the extractive
// answer cites (what the engine found, follow-ups included), then the rest
// of retrieval's, each once, without any that addresses a model.
func (s *Service) candidates(c *briefs.Corpus, ext briefs.Answer) []briefs.Citation {
	var pool []briefs.Citation
	if ext.Answered {
		pool = append(pool, ext.Citations...)
	}
	pool = append(pool, c.Candidates(ext.Question, s.n)...)
	out := make([]briefs.Citation, 0, s.n)
	seen := map[string]bool{}
	for _, ct := range pool {
		if seen[ct.Text] || Instruction(ct.Text) {
			continue
		}
		seen[ct.Text] = true
		out = append(out, ct)
		if len(out) == s.n {
			break
		}
	}
	return out
}

// result is what verification left of one model reply.
type result struct {
	kept    []Claim
	dropped int
}

// compose builds the answer from what verification kept: the claims'
// text, and as citations exactly the sentences they cite, verbatim, each
// once, in the order first cited. With nothing kept it is ext.
func compose(ext briefs.Answer, cands []briefs.Citation, r result) briefs.Answer {
	ext.Dropped = r.dropped
	if len(r.kept) == 0 {
		return ext
	}
	a := ext
	a.Answered, a.Mode = true, briefs.ModeWritten
	a.Nearest = []briefs.Citation{}
	a.Citations = []briefs.Citation{}
	var texts []string
	var used []int
	for _, cl := range r.kept {
		texts = append(texts, cl.Text)
		for _, n := range cl.Cites {
			if !containsInt(used, n) {
				used = append(used, n)
				a.Citations = append(a.Citations, cands[n-1])
			}
		}
	}
	a.Answer = strings.Join(texts, " ")
	return a
}

// cacheKey names one model call: the same question on the same corpus
// shown the same sentences (a follow-up may show others) gets the same
// reply.
func cacheKey(version, question string, texts []string) string {
	h := sha256.New()
	for _, p := range append([]string{version, question}, texts...) {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// cache keeps the last size results, oldest evicted first.
type cache struct {
	mu    sync.Mutex
	size  int
	m     map[string]result
	order []string
}

func newCache(size int) *cache { return &cache{size: size, m: map[string]result{}} }

func (c *cache) get(k string) (result, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.m[k]
	return r, ok
}

func (c *cache) put(k string, r result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; ok {
		return
	}
	if len(c.order) == c.size {
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
	c.m[k] = r
	c.order = append(c.order, k)
}

type nopMetrics struct{}

func (nopMetrics) WrittenOutcome(string, string)  {}
func (nopMetrics) WrittenClaims(string, int, int) {}
