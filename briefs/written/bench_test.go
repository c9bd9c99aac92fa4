package written

import (
	"context"
	"testing"

	"github.com/alexa-brief/alexa-brief/briefs"
)

// echoWriter is a model that answers at once with the first two sentences
// it is shown, each cited: model time is excluded, verification does every
// check on sentences of real length.
type echoWriter struct{}

func (echoWriter) Write(_ context.Context, _ string, sentences []string) ([]Claim, error) {
	claims := []Claim{{Text: sentences[0], Cites: []int{1}}}
	if len(sentences) > 1 {
		claims = append(claims, Claim{Text: clauseOr(sentences[1]), Cites: []int{2}})
	}
	return claims, nil
}

func clauseOr(s string) string {
	if c := clause(s); c != "" {
		return c
	}
	return s
}

var benchQuestions = []string{
	"How much did Amazon lose on devices?",
	"Who is the CEO of Amazon?",
	"What did the former employee say?",
	"What is Remarkable Alexa?",
}

// BenchmarkWrittenOverhead is what a written answer adds to the extractive
// one, model excluded: retrieval of the candidates, the guard, verifying
// the reply and composing the answer. A cache of one with questions in
// turn makes every iteration a miss.
func BenchmarkWrittenOverhead(b *testing.B) {
	c := corpora(b)["embedded"]
	svc := New(Config{Writer: echoWriter{}, CacheSize: 1})
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		q := benchQuestions[i%len(benchQuestions)]
		_ = svc.Answer(ctx, c, c.Ask(q))
	}
}

// BenchmarkExtractiveAsk is the baseline the overhead is added to.
func BenchmarkExtractiveAsk(b *testing.B) {
	c := corpora(b)["embedded"]
	for i := 0; b.Loop(); i++ {
		_ = c.Ask(benchQuestions[i%len(benchQuestions)])
	}
}

// BenchmarkVerify is verification alone: two claims against eight
// sentences.
func BenchmarkVerify(b *testing.B) {
	c := corpora(b)["embedded"]
	var shown []string
	for _, ct := range c.Candidates(benchQuestions[0], DefaultCandidates) {
		shown = append(shown, ct.Text)
	}
	claims, _ := echoWriter{}.Write(context.Background(), "", shown)
	for b.Loop() {
		Verify(claims, shown)
	}
}

// BenchmarkSummaryOverhead is what a written summary adds to a brief,
// model excluded: the brief's candidate points (ranked once per corpus,
// so served from memory as in the bot), the guard, locating each point's
// article, verifying the reply and composing the summary. Two corpora in
// turn with a cache of one make every iteration a miss.
func BenchmarkSummaryOverhead(b *testing.B) {
	cs := corpora(b)
	pair := []*briefs.Corpus{cs["embedded"], cs["harbour"]}
	for _, c := range pair {
		c.Brief(DefaultCandidates) // ranked once per corpus, as any brief would
	}
	svc := New(Config{Writer: echoWriter{}, CacheSize: 1})
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		if svc.Summary(ctx, pair[i%2]) == nil {
			b.Fatal("no summary")
		}
	}
}
