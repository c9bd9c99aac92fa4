package written

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/alexa-brief/alexa-brief/briefs"
)

// summaryQuestion is the first line of a summary's prompt, where an
// answer's prompt has the user's question: the same message layout, the
// same reply and the same checks.
const summaryQuestion = "What are the main facts of this story? State them in at most three short claims, most important first."

// MaxSummaryClaims bounds a summary: it is a few lines above the points,
// not a second brief. Claims past it are left out, not counted as dropped.
const MaxSummaryClaims = 3

// summaryRetry is how long a failed summary is not asked again for the
// same story version: every brief would otherwise wait out the timeout
// of a model that is down.
const summaryRetry = time.Minute

// Summary is a short written summary of c's story, from the brief's
// candidate sentences (the top points the summary stage chose, the same
// whatever number of points is shown), each claim verified as an
// answer's is. It is nil when the model fails, times out, replies
// malformed or nothing survives verification: the brief is then shown
// exactly as without a model. Summaries are cached per corpus version; a
// failure is not retried for a minute, and concurrent briefs of one
// version share one model call.
func (s *Service) Summary(ctx context.Context, c *briefs.Corpus) *briefs.WrittenSummary {
	cands := s.summaryCandidates(c)
	if len(cands) == 0 {
		return nil
	}
	texts := make([]string, len(cands))
	for i, ct := range cands {
		texts[i] = ct.Text
	}
	key := cacheKey(c.Version(), summaryQuestion, texts)
	if r, ok := s.cache.get(key); ok {
		return composeSummary(cands, r)
	}
	r, ok := s.sum.do(ctx, key, func() (result, bool) { return s.writeSummary(ctx, key, texts) })
	if !ok {
		return nil
	}
	return composeSummary(cands, r)
}

// writeSummary asks the model, verifies its reply and caches what is left
// under key; false when the model failed.
func (s *Service) writeSummary(ctx context.Context, key string, texts []string) (result, bool) {
	start := time.Now()
	// The call is shared by every brief of this version waiting on it, so
	// one asker's going away does not fail the others; the timeout still
	// bounds it.
	claims, err := s.write(context.WithoutCancel(ctx), summaryQuestion, texts)
	if err != nil {
		s.metrics.WrittenOutcome(UseSummary, outcome(err, 0))
		s.log.Warn("written summary: model failed, brief without summary", logKeyErr, err, logKeyLatency, time.Since(start))
		return result{}, false
	}
	if len(claims) > MaxSummaryClaims {
		claims = claims[:MaxSummaryClaims]
	}
	kept, dropped := Verify(claims, texts)
	r := result{kept: kept, dropped: dropped}
	s.cache.put(key, r)
	s.metrics.WrittenClaims(UseSummary, len(kept), dropped)
	s.metrics.WrittenOutcome(UseSummary, outcome(nil, len(kept)))
	s.log.Debug("written summary", logKeyCandidates, len(texts), logKeyKept, len(kept), logKeyDropped, dropped, logKeyLatency, time.Since(start))
	return r, true
}

// summaryCandidates are the brief's top points, up to the Service's
// candidate count, each with the article its words come from, without any
// that addresses a model.
func (s *Service) summaryCandidates(c *briefs.Corpus) []briefs.Citation {
	text := map[string]string{}
	for _, a := range c.Articles() {
		text[a.ID] = a.Text
	}
	var out []briefs.Citation
	for _, p := range c.Brief(s.n).Points {
		if Instruction(p.Text) {
			continue
		}
		// A point lists every article that supports it; its citation
		// names the one holding its words verbatim.
		for _, id := range p.Sources {
			if strings.Contains(text[id], p.Text) {
				out = append(out, briefs.Citation{Source: id, Text: p.Text})
				break
			}
		}
	}
	return out
}

// composeSummary is what verification kept, as a summary; nil with
// nothing kept.
func composeSummary(cands []briefs.Citation, r result) *briefs.WrittenSummary {
	if len(r.kept) == 0 {
		return nil
	}
	sum := &briefs.WrittenSummary{Citations: []briefs.Citation{}, Dropped: r.dropped}
	var texts []string
	var used []int
	for _, cl := range r.kept {
		texts = append(texts, cl.Text)
		sc := briefs.SummaryClaim{Text: cl.Text}
		for _, n := range uniqueCites(cl.Cites) {
			ct := cands[n-1]
			if !containsString(sc.Sources, ct.Source) {
				sc.Sources = append(sc.Sources, ct.Source)
			}
			if !containsInt(used, n) {
				used = append(used, n)
				sum.Citations = append(sum.Citations, ct)
			}
		}
		sum.Claims = append(sum.Claims, sc)
	}
	sum.Text = strings.Join(texts, " ")
	return sum
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// summaries runs one model call per summary key at a time, so that the
// briefs asked while a summary is being written wait for it instead of
// each asking the model, and remembers failures for summaryRetry.
type summaries struct {
	mu       sync.Mutex
	inFlight map[string]*summaryCall
	failed   map[string]time.Time
}

type summaryCall struct {
	done chan struct{}
	r    result
	ok   bool
}

// do returns the result of write for key, calling it unless a call for
// key is under way (then waiting for that one, or until ctx is done) or
// failed within summaryRetry (then false at once). A successful result is left for the
// caller's cache; write must put it there before returning for later
// callers to find it.
func (s *summaries) do(ctx context.Context, key string, write func() (result, bool)) (result, bool) {
	s.mu.Lock()
	if t, ok := s.failed[key]; ok {
		if time.Since(t) < summaryRetry {
			s.mu.Unlock()
			return result{}, false
		}
		delete(s.failed, key)
	}
	if call, ok := s.inFlight[key]; ok {
		s.mu.Unlock()
		select {
		case <-call.done:
			return call.r, call.ok
		case <-ctx.Done():
			return result{}, false
		}
	}
	if s.inFlight == nil {
		s.inFlight, s.failed = map[string]*summaryCall{}, map[string]time.Time{}
	}
	call := &summaryCall{done: make(chan struct{})}
	s.inFlight[key] = call
	s.mu.Unlock()

	defer func() {
		s.mu.Lock()
		delete(s.inFlight, key)
		if !call.ok {
			s.failed[key] = time.Now()
			// Bounded: one entry per story version that failed lately.
			for k, t := range s.failed {
				if time.Since(t) >= summaryRetry {
					delete(s.failed, k)
				}
			}
		}
		s.mu.Unlock()
		close(call.done)
	}()
	call.r, call.ok = write()
	return call.r, call.ok
}
