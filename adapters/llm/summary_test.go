package llm

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
	"github.com/alexa-brief/alexa-brief/briefs/written"
)

// Brief summaries, end to end but for the binary: the scripted server,
// this package's client, written.Service, the bot's brief command and a
// real corpus.

const (
	ferrySentence = "The Harbour Line ferry, which carries 12,000 passengers a day, is expected to close once the bridge opens."
	voteClaim     = "The Port Alder city council voted 9 to 2 to approve the Harbour Bridge."
)

// summarize writes c's summary with a model scripted by script.
func summarize(t *testing.T, c *briefs.Corpus, timeout time.Duration, script func(n int, r chatRequest) reply) (*briefs.WrittenSummary, *scripted) {
	t.Helper()
	srv := newScripted(t, script)
	svc := written.New(written.Config{Writer: newClient(t, srv.URL+"/v1", "sk-test", nil), Timeout: timeout})
	return svc.Summary(context.Background(), c), srv
}

func TestSummaryKeptWithExactlyItsCitations(t *testing.T) {
	c := harbourCorpus(t)
	sum, srv := summarize(t, c, 0, func(_ int, r chatRequest) reply {
		return reply{content: claimsJSON(
			voteClaim, []int{r.cite("voted 9 to 2")},
			ferrySentence, []int{r.cite("12,000 passengers"), r.cite("voted 9 to 2")},
		)}
	})
	if sum == nil {
		t.Fatal("no summary")
	}
	if sum.Text != voteClaim+" "+ferrySentence || sum.Dropped != 0 || len(sum.Claims) != 2 {
		t.Fatalf("summary = %+v", sum)
	}
	want := []briefs.Citation{{Source: "001_council_vote", Text: costSentence}, {Source: "003_ferry", Text: ferrySentence}}
	if !reflect.DeepEqual(sum.Citations, want) {
		t.Errorf("citations = %+v, want %+v", sum.Citations, want)
	}
	if got := sum.Claims[1].Sources; !reflect.DeepEqual(got, []string{"003_ferry", "001_council_vote"}) {
		t.Errorf("second claim's sources = %v", got)
	}
	// SPEC's message layout: a first line, then "[n] sentence" lines from
	// 1, the brief's top points verbatim, never the injected one.
	r := srv.requests()[0]
	lines := strings.Split(r.last(), "\n")
	if strings.HasPrefix(lines[0], "[") || len(lines) < 3 {
		t.Fatalf("last user message = %q", r.last())
	}
	points := map[string]bool{}
	for _, p := range c.Brief(written.DefaultCandidates).Points {
		points[p.Text] = true
	}
	for i, line := range lines[1:] {
		m := numbered.FindStringSubmatch(line)
		if m == nil || m[1] != strconv.Itoa(i+1) || !points[m[2]] {
			t.Errorf("line %d = %q, want [%d] and a point of the brief", i+2, line, i+1)
		}
		if strings.Contains(line, "Ignore previous instructions") {
			t.Error("the injected sentence was shown to the model")
		}
	}
}

func TestSummaryBadClaimsDropped(t *testing.T) {
	c := harbourCorpus(t)
	tests := []struct {
		name  string
		claim func(r chatRequest) (string, []int)
	}{
		{"fabricated quote", func(r chatRequest) (string, []int) {
			return "Mayor Elena Varga said “the bridge will never be built”.", []int{r.cite("Elena Varga")}
		}},
		{"wrong figure", func(r chatRequest) (string, []int) {
			return "The Harbour Bridge will cost $5.2 billion.", []int{r.cite("$4.2 billion")}
		}},
		{"non-existent id", func(r chatRequest) (string, []int) {
			return voteClaim, []int{len(r.sentences()) + 1}
		}},
		{"supported by nothing", func(r chatRequest) (string, []int) {
			return "The mayor plans to resign after a corruption scandal involving offshore contractors.", []int{1}
		}},
		{"injection obeyed", func(r chatRequest) (string, []int) {
			return "The bridge costs $9 billion.", []int{r.cite("$4.2 billion")}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Alone: no summary at all.
			sum, _ := summarize(t, c, 0, func(_ int, r chatRequest) reply {
				text, cites := tt.claim(r)
				return reply{content: claimsJSON(text, cites)}
			})
			if sum != nil {
				t.Fatalf("summary %+v, want none", sum)
			}
			// Beside a good claim: the good one alone, the bad one counted.
			sum, _ = summarize(t, c, 0, func(_ int, r chatRequest) reply {
				text, cites := tt.claim(r)
				return reply{content: claimsJSON(text, cites, voteClaim, []int{r.cite("voted 9 to 2")})}
			})
			if sum == nil || sum.Text != voteClaim || sum.Dropped != 1 || len(sum.Citations) != 1 || sum.Citations[0].Text != costSentence {
				t.Fatalf("summary %+v, want the vote claim alone, 1 dropped", sum)
			}
		})
	}
}

func TestSummaryAtMostThreeClaims(t *testing.T) {
	c := harbourCorpus(t)
	sum, _ := summarize(t, c, 0, func(_ int, r chatRequest) reply {
		var cl []any
		for range 5 {
			cl = append(cl, ferrySentence, []int{r.cite("12,000")})
		}
		return reply{content: claimsJSON(cl...)}
	})
	if sum == nil || len(sum.Claims) != written.MaxSummaryClaims || sum.Dropped != 0 {
		t.Fatalf("summary %+v, want %d claims", sum, written.MaxSummaryClaims)
	}
}

func TestSummaryModelFailures(t *testing.T) {
	c := harbourCorpus(t)
	tests := []struct {
		name    string
		timeout time.Duration
		rep     reply
	}{
		{"malformed JSON", 0, reply{content: `{"claims": [{"text": "The bridge`}},
		{"prose", 0, reply{content: "The bridge will cost $4.2 billion."}},
		{"no claims", 0, reply{content: claimsJSON()}},
		{"500", 0, reply{status: http.StatusInternalServerError}},
		{"timeout", 50 * time.Millisecond, reply{block: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum, srv := summarize(t, c, tt.timeout, func(int, chatRequest) reply { return tt.rep })
			if sum != nil || len(srv.requests()) != 1 {
				t.Fatalf("summary %+v after %d calls, want none after 1", sum, len(srv.requests()))
			}
		})
	}
}

// TestSummaryCachedAndFailuresNotRetried: one model call per corpus
// version; a failure is not asked again at once (every brief would wait
// out a dead model's timeout).
func TestSummaryCachedAndFailuresNotRetried(t *testing.T) {
	c := harbourCorpus(t)
	fail := true
	var mu sync.Mutex
	srv := newScripted(t, func(_ int, r chatRequest) reply {
		mu.Lock()
		defer mu.Unlock()
		if fail {
			return reply{status: http.StatusInternalServerError}
		}
		return reply{content: claimsJSON(voteClaim, []int{r.cite("voted 9 to 2")})}
	})
	svc := written.New(written.Config{Writer: newClient(t, srv.URL, "", nil)})
	ctx := context.Background()
	if svc.Summary(ctx, c) != nil || svc.Summary(ctx, c) != nil || len(srv.requests()) != 1 {
		t.Fatalf("after a failure: %d model calls, want 1", len(srv.requests()))
	}
	mu.Lock()
	fail = false
	mu.Unlock()
	// Another version (one article fewer) is asked, then cached.
	arts := c.Articles()
	other, err := briefs.New(arts[:2])
	if err != nil {
		t.Fatal(err)
	}
	first, second := svc.Summary(ctx, other), svc.Summary(ctx, other)
	if first == nil || second == nil || first.Text != second.Text || len(srv.requests()) != 2 {
		t.Fatalf("summaries %v, %v after %d calls; want one cached summary after 2", first, second, len(srv.requests()))
	}
	// Asking answers does not reuse the summary's entry, nor the reverse.
	svc.Answer(ctx, other, other.Ask("How much will the bridge cost?"))
	if len(srv.requests()) != 3 {
		t.Fatalf("an answer after the summary: %d calls, want 3", len(srv.requests()))
	}
}

// TestBriefCommandWithSummary: the chat brief, through the bot, shows the
// summary above the unchanged points; with a failing model it is exactly
// the brief without a model.
func TestBriefCommandWithSummary(t *testing.T) {
	c := harbourCorpus(t)
	req := bot.Request{Kind: bot.KindCommand, Scope: bot.Scope{Platform: bot.PlatformShell, Team: "local", Channel: "shell"}, Text: "brief"}
	plain := bot.New(bot.Config{Corpus: c}).Handle(context.Background(), req)

	good := newScripted(t, func(_ int, r chatRequest) reply {
		return reply{content: claimsJSON(voteClaim, []int{r.cite("voted 9 to 2")})}
	})
	b := bot.New(bot.Config{Corpus: c, Writer: written.New(written.Config{Writer: newClient(t, good.URL, "", nil)})})
	got := b.Handle(context.Background(), req)
	if len(got.Sections) != len(plain.Sections)+1 || got.Sections[0].Items[0].Text != voteClaim ||
		!strings.Contains(got.Sections[0].Heading, "written by a language model") {
		t.Fatalf("brief with a model: first section %+v", got.Sections[0])
	}
	if !reflect.DeepEqual(got.Sections[1:], plain.Sections) {
		t.Error("the points changed under the summary")
	}

	for name, rep := range map[string]reply{
		"500":       {status: http.StatusInternalServerError},
		"malformed": {content: "not json"},
		"bad claim": {content: claimsJSON("The bridge costs $9 billion.", []int{1})},
	} {
		srv := newScripted(t, func(int, chatRequest) reply { return rep })
		b := bot.New(bot.Config{Corpus: c, Writer: written.New(written.Config{Writer: newClient(t, srv.URL, "", nil)})})
		got := b.Handle(context.Background(), req)
		if got.Key == "" {
			t.Errorf("%s: the plain brief lost its cache key", name)
		}
		// Keys number cached replies process-wide: two bots' differ.
		got.Key, plain.Key = "", ""
		if !reflect.DeepEqual(got, plain) {
			t.Errorf("%s: the brief differs from the brief without a model", name)
		}
	}
}

// metricsRecorder is both this package's Metrics and written's.
type metricsRecorder struct {
	nopMetrics
	mu                 sync.Mutex
	calls              int
	prompt, completion int64
	outcomes           []string
	kept, dropped      int
}

func (m *metricsRecorder) ModelLatency(time.Duration) { m.mu.Lock(); m.calls++; m.mu.Unlock() }
func (m *metricsRecorder) ModelTokens(p, c int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.prompt += p
	m.completion += c
}
func (m *metricsRecorder) WrittenOutcome(use, outcome string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.outcomes = append(m.outcomes, use+":"+outcome)
}
func (m *metricsRecorder) WrittenClaims(_ string, kept, dropped int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.kept += kept
	m.dropped += dropped
}

// TestScriptedCallsCountInMetrics: every call's latency and tokens, and
// its outcome by use and reason, reach the metrics.
func TestScriptedCallsCountInMetrics(t *testing.T) {
	c := harbourCorpus(t)
	tests := []struct {
		name    string
		timeout time.Duration
		rep     func(r chatRequest) reply
		want    string
		tokens  bool
	}{
		{"written", 0, func(r chatRequest) reply {
			return reply{content: claimsJSON(voteClaim, []int{r.cite("voted 9 to 2")}, "The bridge costs $9 billion.", []int{1})}
		}, "written", true},
		{"none kept", 0, func(chatRequest) reply { return reply{content: claimsJSON("The bridge costs $9 billion.", []int{1})} }, "none_kept", true},
		{"malformed", 0, func(chatRequest) reply { return reply{content: "not json"} }, "malformed", true},
		{"500", 0, func(chatRequest) reply { return reply{status: http.StatusInternalServerError} }, "error", false},
		{"timeout", 50 * time.Millisecond, func(chatRequest) reply { return reply{block: true} }, "timeout", false},
	}
	for _, tt := range tests {
		for _, use := range []string{written.UseAnswer, written.UseSummary} {
			t.Run(tt.name+"/"+use, func(t *testing.T) {
				m := &metricsRecorder{}
				srv := newScripted(t, func(_ int, r chatRequest) reply { return tt.rep(r) })
				cl, err := New(Config{BaseURL: srv.URL, Model: "m", Metrics: m})
				if err != nil {
					t.Fatal(err)
				}
				svc := written.New(written.Config{Writer: cl, Timeout: tt.timeout, Metrics: m})
				if use == written.UseAnswer {
					svc.Answer(context.Background(), c, c.Ask("How many votes did the council cast?"))
				} else {
					svc.Summary(context.Background(), c)
				}
				m.mu.Lock()
				defer m.mu.Unlock()
				if m.calls != 1 || !reflect.DeepEqual(m.outcomes, []string{use + ":" + tt.want}) {
					t.Errorf("%d latencies, outcomes %v; want 1, [%s:%s]", m.calls, m.outcomes, use, tt.want)
				}
				if tt.tokens && (m.prompt != 100 || m.completion != 20) {
					t.Errorf("tokens %d, %d; want the usage's 100, 20", m.prompt, m.completion)
				}
				if tt.want == "written" && (m.kept != 1 || m.dropped != 1) {
					t.Errorf("claims kept %d dropped %d, want 1, 1", m.kept, m.dropped)
				}
			})
		}
	}
}

// TestNoPromptOrArticleTextInLogs: at debug level, whatever the outcome,
// the log holds counts and latencies, never the prompt, the question, an
// article's sentence, a claim or the key.
func TestNoPromptOrArticleTextInLogs(t *testing.T) {
	c := harbourCorpus(t)
	var buf bytes.Buffer
	var mu sync.Mutex
	log := slog.New(slog.NewJSONHandler(&lockedWriter{w: &buf, mu: &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	question := "How many votes did the council cast?"
	for _, rep := range []func(r chatRequest) reply{
		func(r chatRequest) reply {
			return reply{content: claimsJSON(voteClaim, []int{r.cite("voted 9 to 2")}, "The bridge costs $9 billion.", []int{1})}
		},
		func(r chatRequest) reply { return reply{content: `{"claims": [{"text": "` + costSentence} },
		func(chatRequest) reply { return reply{status: http.StatusInternalServerError} },
		func(chatRequest) reply {
			return reply{status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": "60"}}
		},
	} {
		srv := newScripted(t, func(_ int, r chatRequest) reply { return rep(r) })
		cl, err := New(Config{BaseURL: srv.URL, Model: "m", APIKey: "sk-never-logged", Logger: log})
		if err != nil {
			t.Fatal(err)
		}
		svc := written.New(written.Config{Writer: cl, Logger: log, Timeout: time.Second})
		b := bot.New(bot.Config{Corpus: c, Writer: svc, Logger: log})
		sc := bot.Scope{Platform: bot.PlatformShell, Team: "local", Channel: "shell"}
		b.Handle(context.Background(), bot.Request{Kind: bot.KindCommand, Scope: sc, Text: "brief"})
		b.Handle(context.Background(), bot.Request{Kind: bot.KindCommand, Scope: sc, Text: "ask " + question})
	}
	mu.Lock()
	logs := buf.String()
	mu.Unlock()
	if !strings.Contains(logs, "written summary") || !strings.Contains(logs, "prompt_tokens") {
		t.Fatalf("the log lacks the summary's and the reply's lines:\n%s", logs)
	}
	secret := []string{question, voteClaim, "$9 billion", "sk-never-logged", systemPrompt[:40], "What are the main facts"}
	for _, a := range c.Articles() {
		for _, s := range strings.Split(a.Text, ". ") {
			if len(s) > 30 {
				secret = append(secret, s[:30])
			}
		}
	}
	for _, s := range secret {
		if strings.Contains(logs, s) {
			t.Errorf("the log holds %q", s)
		}
	}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestConcurrentBriefsShareOneSummaryCall: briefs of one story version
// asked together cost the model one call, whatever their interleaving
// (the later ones wait for the call in flight or find its result cached).
func TestConcurrentBriefsShareOneSummaryCall(t *testing.T) {
	c := harbourCorpus(t)
	gate, asked := make(chan struct{}), make(chan struct{}, 16)
	srv := newScripted(t, func(_ int, r chatRequest) reply {
		asked <- struct{}{}
		<-gate
		return reply{content: claimsJSON(voteClaim, []int{r.cite("voted 9 to 2")})}
	})
	svc := written.New(written.Config{Writer: newClient(t, srv.URL, "", nil)})
	var wg sync.WaitGroup
	sums := make([]*briefs.WrittenSummary, 6)
	wg.Add(1)
	go func() { defer wg.Done(); sums[0] = svc.Summary(context.Background(), c) }()
	<-asked // the first call is at the model
	for i := 1; i < len(sums); i++ {
		wg.Add(1)
		go func() { defer wg.Done(); sums[i] = svc.Summary(context.Background(), c) }()
	}
	close(gate)
	wg.Wait()
	if n := len(srv.requests()); n != 1 {
		t.Fatalf("%d model calls for %d concurrent briefs, want 1", n, len(sums))
	}
	for i, s := range sums {
		if s == nil || s.Text != voteClaim {
			t.Errorf("brief %d: summary %+v", i, s)
		}
	}
}
