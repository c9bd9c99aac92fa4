package briefs

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/alexa-brief/alexa-brief/briefs/rank"
)

// converse asks the questions in turn, each with the earlier exchanges as
// history, and returns the exchanges.
func converse(c *Corpus, questions ...string) []Exchange {
	var h []Exchange
	for _, q := range questions {
		a := c.FollowUp(q, h)
		h = append(h, Exchange{Question: q, Answer: a})
	}
	return h
}

func TestFollowUp(t *testing.T) {
	emb, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	small := loadQACorpus(t)
	tests := []struct {
		name      string
		c         *Corpus
		questions []string
		answered  bool
		want      string // substring of the last answer
		notCited  bool   // the last answer cites nothing cited before
	}{
		{"else said by a described speaker", emb, []string{"What did they worry they had built?", "what else did he say?"}, true, "former senior Amazon employee", true},
		{"else said, nothing more", emb, []string{"What did Dave Limp say?", "what else did he say?"}, false, "Dave Limp", true},
		{"else said by a named speaker", small, []string{"What did the harbor director say?", "what else did she say?"}, true, "Quint told reporters", true},
		{"new year constraint", emb, []string{"how much did Amazon lose on devices?", "and in 2021?"}, true, "2021", false},
		{"new person constraint", emb, []string{"What did Dave Limp say?", "what about Jassy?"}, true, "Jassy", false},
		{"constraint on a smaller corpus", small, []string{"How much will the new terminal cost?", "and the oyster study?"}, false, "The articles don't say", false},
		{"tell me more", emb, []string{"What did they worry they had built?", "tell me more"}, true, "", true},
		{"more, then more", small, []string{"Why do the fishermen oppose the plan?", "tell me more", "tell me more"}, true, "", true},
		{"pronoun resolved to the speaker", small, []string{"Who leads the fishermen's cooperative?", "what did he say?"}, true, "We were never asked", false},
		{"fresh question", emb, []string{"What did Dave Limp say?", "How many Alexa devices has Amazon sold?"}, true, "500 million", false},
		{"no history", emb, []string{"What did they worry they had built?"}, true, "smart timer", false},
		{"out of corpus stays declined", emb, []string{"What did Dave Limp say?", "Who won the 2018 World Cup?"}, false, "The articles don't say", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := converse(tt.c, tt.questions...)
			last := h[len(h)-1].Answer
			checkVerbatim(t, tt.c, last)
			if last.Answered != tt.answered {
				t.Fatalf("answered = %v, want %v (answer %q)", last.Answered, tt.answered, last.Answer)
			}
			if !strings.Contains(last.Answer, tt.want) {
				t.Errorf("answer = %q, want it to contain %q", last.Answer, tt.want)
			}
			if tt.notCited {
				before := citedSetOf(h[:len(h)-1])
				for _, ct := range last.Citations {
					if before[ct.Text] {
						t.Errorf("cites %q again", ct.Text)
					}
				}
			}
		})
	}
}

func citedSetOf(h []Exchange) map[string]bool { return citedSet(h) }

// A follow-up resolves against the most recent exchange only, and a
// question that names its own subject is no follow-up: nothing of an
// earlier topic leaks into the answer.
func TestFollowUpDoesNotLeakEarlierTopics(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		questions []string
		// same: questions whose last answer the last one must equal (the
		// conversation without the earlier topic).
		same    []string
		notWant string // in the last answer
	}{
		{"names its own subject", []string{"Who is Zorblax?", "surrogate Amazon"}, []string{"surrogate Amazon"}, "Zorblax"},
		{"after two topic changes", []string{"How much did Amazon lose on devices?", "what about Zorblax?", "what about Echo?", "and in 2014?"},
			[]string{"How much did Amazon lose on devices?", "what about Echo?", "and in 2014?"}, "Zorblax"},
		{"a replaced name", []string{"Who is Zorblax?", "what about Amazon?"}, []string{"Who is Amazon?"}, "Zorblax"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := converse(c, tt.questions...)
			got := h[len(h)-1].Answer
			w := converse(c, tt.same...)
			want := w[len(w)-1].Answer
			if strings.Contains(got.Answer, tt.notWant) {
				t.Errorf("answer = %q, mentions %q from an earlier exchange", got.Answer, tt.notWant)
			}
			if got.Answer != want.Answer {
				t.Errorf("got %q, want %q (as after %q)", got.Answer, want.Answer, tt.same)
			}
		})
	}
}

// TestResolveFromLastFreshQuestion: resolve analyses only the exchanges
// from the last fresh question on, which must give what folding the whole
// history gives. Every history of up to four questions drawn from a mix of
// fresh questions, constraints, "more" and "else said" is compared with
// that fold.
func TestResolveFromLastFreshQuestion(t *testing.T) {
	fold := func(history []Exchange) rank.Question {
		var cur rank.Question
		for i, ex := range history {
			q := rank.Analyze(ex.Question)
			switch {
			case i == 0:
				cur = q
			case q.IsMore(), q.IsElseSaid():
			case followsUp(q):
				cur = narrow(cur, q)
			default:
				cur = q
			}
		}
		return cur
	}
	questions := []string{
		"How much did the harbour authority spend?",
		"and in 2019?",
		"what about Ortega?",
		"tell me more",
		"what else did she say?",
		"Who leads the fishermen's cooperative?",
	}
	var walk func(h []Exchange)
	walk = func(h []Exchange) {
		if len(h) > 0 {
			if got, want := resolve(h), fold(h); !reflect.DeepEqual(got, want) {
				var qs []string
				for _, ex := range h {
					qs = append(qs, ex.Question)
				}
				t.Errorf("resolve(%q):\n got %+v\nwant %+v", qs, got, want)
			}
		}
		if len(h) == 4 {
			return
		}
		for _, q := range questions {
			walk(append(slices.Clip(h), Exchange{Question: q}))
		}
	}
	walk(nil)
}
