package bot_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/bot/bottest"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// handled is one CommandHandled call.
type handled struct{ platform, command, outcome string }

// metrics records CommandHandled calls.
type metrics struct {
	bot.NopMetrics
	mu    sync.Mutex
	calls []handled
}

func (m *metrics) CommandHandled(platform, command, outcome string, latency time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, handled{platform, command, outcome})
}

func (m *metrics) last(t *testing.T) handled {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.calls) == 0 {
		t.Fatal("no CommandHandled call")
	}
	return m.calls[len(m.calls)-1]
}

var (
	corpusOnce sync.Once
	corpus     *briefs.Corpus
	corpusErr  error
)

func testCorpus(t testing.TB) *briefs.Corpus {
	t.Helper()
	corpusOnce.Do(func() { corpus, corpusErr = briefs.Default() })
	if corpusErr != nil {
		t.Fatal(corpusErr)
	}
	return corpus
}

// fixture is a bot over the embedded corpus with an in-memory store.
type fixture struct {
	bot     *bot.Bot
	store   *bottest.Store
	clock   *bottest.Clock
	metrics *metrics
	logs    *bytes.Buffer
}

var epoch = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{
		store:   bottest.NewStore(nil),
		clock:   bottest.NewClock(epoch),
		metrics: &metrics{},
		logs:    &bytes.Buffer{},
	}
	f.bot = bot.New(bot.Config{
		Corpus: testCorpus(t), Store: f.store, Clock: f.clock, Metrics: f.metrics,
		Logger:      slog.New(slog.NewTextHandler(&syncWriter{w: f.logs}, &slog.HandlerOptions{Level: slog.LevelDebug})),
		MinInterval: time.Minute,
	})
	return f
}

type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

var chan1 = bot.Scope{Platform: bot.PlatformSlack, Team: "T1", Channel: "C1"}

func cmd(text string) bot.Request {
	return bot.Request{Kind: bot.KindCommand, Scope: chan1, User: "U1", Text: text, CanManage: true}
}

func dm(text string) bot.Request {
	return bot.Request{Kind: bot.KindMessage, Scope: bot.Scope{Platform: bot.PlatformSlack, Team: "T1", Channel: "D1"}, User: "U1", DM: true, Text: text}
}

// text flattens a reply for substring checks.
func text(r bot.Reply) string {
	var sb strings.Builder
	sb.WriteString(r.Title + "\n")
	for _, s := range r.Sections {
		sb.WriteString(s.Heading + "\n" + s.Text + "\n")
		for _, it := range s.Items {
			sb.WriteString(it.Text + "\n")
		}
		if s.Quote != nil {
			sb.WriteString("“" + s.Quote.Text + "” — " + s.Quote.Speaker + "\n")
		}
	}
	for _, c := range r.Citations {
		fmt.Fprintf(&sb, "[%d] %s\n", c.N, c.Title)
	}
	sb.WriteString(r.Footer)
	return sb.String()
}

func TestCommandGrammar(t *testing.T) {
	long := strings.Repeat("why ", 2500) // 10,000 characters
	tests := []struct {
		name        string
		text        string
		wantCommand string
		wantOutcome string // "" accepts ok or declined
		wantFailure bool
		wantText    string
	}{
		{"bare", "", "brief", "ok", false, "$25 billion"},
		{"brief", "brief", "brief", "ok", false, "Key points"},
		{"upper case", "BRIEF", "brief", "ok", false, "Key points"},
		{"spaces", "   brief   ", "brief", "ok", false, "Key points"},
		{"alias", "summary", "brief", "ok", false, "Key points"},
		{"quotes", "quotes", "quotes", "ok", false, "smart timer"},
		{"quote alias", "quote", "quotes", "ok", false, "Dave Limp"},
		{"facts", "facts", "facts", "ok", false, "Key figures"},
		{"sources", "sources", "sources", "ok", false, "The articles"},
		{"help", "help", "help", "ok", false, "/alexa-brief subscribe <schedule>"},
		{"help alias", "?", "help", "ok", false, "/alexa-brief ask <question>"},
		{"help with words", "help me with subscribe", "help", "ok", false, "/alexa-brief subscribe <schedule>"},
		{"ask", "ask how much did Amazon lose on devices?", "ask", "", false, "$25 billion"},
		{"ask without question", "ask", "ask", "bad_input", true, "needs a question"},
		{"ask too long", "ask " + strings.Repeat("a", 600), "ask", "bad_input", true, "too long"},
		{"extra words", "quotes from Dave", "quotes", "bad_input", true, "/alexa-brief ask from Dave"},
		{"typo", "breif", "unknown", "bad_input", true, "Did you mean `/alexa-brief brief`?"},
		{"typo quotes", "qoutes", "unknown", "bad_input", true, "Did you mean `/alexa-brief quotes`?"},
		{"typo subscribe", "subscrbe daily 09:00", "unknown", "bad_input", true, "Did you mean `/alexa-brief subscribe daily 09:00`?"},
		{"question as command", "who is Dave Limp?", "unknown", "bad_input", true, "Did you mean `/alexa-brief ask who is Dave Limp?`?"},
		{"unicode", "ünïcödé 🚀 日本語", "unknown", "bad_input", true, "Unknown command “ünïcödé”"},
		{"control characters", "\x00quotes\x07\r\n", "quotes", "ok", false, "smart timer"},
		{"invalid utf-8", "qu\xffotes", "unknown", "bad_input", true, "Did you mean"},
		{"10,000 characters", long, "unknown", "bad_input", true, "too long"},
		{"subscribe without schedule", "subscribe", "subscribe", "bad_input", true, "needs a schedule"},
		{"subscribe bad", "subscribe every tuesday-ish", "subscribe", "bad_input", true, "That schedule doesn't work"},
		{"subscribe too often", "subscribe @every 1s", "subscribe", "bad_input", true, "That schedule doesn't work"},
		{"subscribe bare zone", "subscribe CRON_TZ=UTC", "subscribe", "bad_input", true, "That schedule doesn't work"},
		{"subscribe", "subscribe daily 09:00 Europe/Berlin", "subscribe", "ok", false, "Tue 24 Nov 2026 09:00 CET"},
		{"schedule", "schedule", "schedule", "ok", false, "No digest scheduled"},
		{"unsubscribe", "unsubscribe", "unsubscribe", "ok", false, "no digest subscription"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			r := f.bot.Handle(context.Background(), cmd(tt.text))
			got := f.metrics.last(t)
			if got.command != tt.wantCommand {
				t.Errorf("command: got %q, want %q", got.command, tt.wantCommand)
			}
			if tt.wantOutcome == "" && got.outcome != "ok" && got.outcome != "declined" || tt.wantOutcome != "" && got.outcome != tt.wantOutcome {
				t.Errorf("outcome: got %q, want %q", got.outcome, tt.wantOutcome)
			}
			if r.Failure != tt.wantFailure {
				t.Errorf("Failure: got %v, want %v", r.Failure, tt.wantFailure)
			}
			if s := text(r); !strings.Contains(s, tt.wantText) {
				t.Errorf("reply lacks %q:\n%s", tt.wantText, s)
			}
		})
	}
}

func TestDirectMessages(t *testing.T) {
	tests := []struct {
		name, text, wantCommand, wantText string
	}{
		{"question", "How much did Amazon lose on its devices?", "dm", "$25 billion"},
		{"quotes word", "quotes", "quotes", "smart timer"},
		{"brief word", "Brief", "brief", "Key points"},
		{"help word", "help?", "help", "/alexa-brief ask <question>"},
		{"ask prefix", "ask how much did Amazon lose?", "ask", "$25 billion"},
		{"slash command typed in a DM", "/alexa-brief sources", "sources", "The articles"},
		{"command word in a sentence", "quotes from Dave Limp please", "dm", ""},
		{"empty", "  \t ", "dm", "Ask me anything"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			r := f.bot.Handle(context.Background(), dm(tt.text))
			if got := f.metrics.last(t).command; got != tt.wantCommand {
				t.Errorf("command: got %q, want %q", got, tt.wantCommand)
			}
			if s := text(r); !strings.Contains(s, tt.wantText) {
				t.Errorf("reply lacks %q:\n%s", tt.wantText, s)
			}
		})
	}
}

func TestOutOfCorpusDeclined(t *testing.T) {
	f := newFixture(t)
	r := f.bot.Handle(context.Background(), dm("What is the capital of Australia?"))
	if got := f.metrics.last(t).outcome; got != "declined" {
		t.Errorf("outcome: got %q, want declined", got)
	}
	if len(r.Citations) != 0 || r.Failure {
		t.Errorf("got citations %v failure %v, want a plain decline", r.Citations, r.Failure)
	}
}

func TestConversationBoundedAndScoped(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	n := bot.MaxTurns + 4
	for i := range n {
		f.bot.Handle(ctx, dm(fmt.Sprintf("question %d about Amazon devices?", i)))
	}
	keys := f.store.Conversations()
	if len(keys) != 1 {
		t.Fatalf("got %d conversations, want 1: %q", len(keys), keys)
	}
	turns, err := f.store.Conversation(ctx, keys[0])
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(turns), bot.MaxTurns; got != want {
		t.Fatalf("got %d turns, want %d (bounded)", got, want)
	}
	if got, want := turns[len(turns)-1].Question, fmt.Sprintf("question %d about Amazon devices?", n-1); got != want {
		t.Errorf("newest turn: got %q, want %q", got, want)
	}
	if got, want := turns[0].Question, "question 4 about Amazon devices?"; got != want {
		t.Errorf("oldest kept turn: got %q, want %q", got, want)
	}

	// Each of these is a separate conversation.
	others := []bot.Request{
		{Kind: bot.KindMessage, Scope: bot.Scope{Platform: bot.PlatformSlack, Team: "T2", Channel: "D1"}, User: "U1", DM: true, Text: "q?"},
		{Kind: bot.KindMessage, Scope: bot.Scope{Platform: bot.PlatformDiscord, Team: "T1", Channel: "D1"}, User: "U1", DM: true, Text: "q?"},
		{Kind: bot.KindMessage, Scope: bot.Scope{Platform: bot.PlatformSlack, Team: "T1", Channel: "D1"}, User: "U2", DM: true, Text: "q?"},
		{Kind: bot.KindMessage, Scope: bot.Scope{Platform: bot.PlatformSlack, Team: "T1", Channel: "D1"}, User: "U1", Conversation: "thread-1", DM: true, Text: "q?"},
		{Kind: bot.KindCommand, Scope: bot.Scope{Platform: bot.PlatformSlack, Team: "T1", Channel: "C9"}, User: "U1", Text: "ask q?"},
	}
	for _, r := range others {
		f.bot.Handle(ctx, r)
	}
	if got, want := len(f.store.Conversations()), 1+len(others); got != want {
		t.Errorf("got %d conversations, want %d: %q", got, want, f.store.Conversations())
	}
}

func TestFollowUp(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	first := f.bot.Handle(ctx, dm("What did Dave Limp say?"))
	if !strings.Contains(text(first), "make money") {
		t.Fatalf("first answer lacks Dave Limp's quote:\n%s", text(first))
	}
	// The corpus quotes Dave Limp once: the follow-up must resolve "he" to
	// him and say honestly that there is nothing else.
	second := f.bot.Handle(ctx, dm("what else did he say?"))
	if got := text(second); !strings.Contains(got, "Dave Limp") {
		t.Errorf("follow-up does not resolve “he” to Dave Limp:\n%s", got)
	}
	third := f.bot.Handle(ctx, dm("What did the former employee tell the Journal?"))
	if !strings.Contains(text(third), "smart timer") {
		t.Fatalf("third answer lacks the smart timer quote:\n%s", text(third))
	}
	fourth := f.bot.Handle(ctx, dm("what else did he say?"))
	if got := f.metrics.last(t).outcome; got != "ok" || strings.Contains(text(fourth), "smart timer") {
		t.Errorf("follow-up about the former employee: got %s\n%s\nwant another answer", got, text(fourth))
	}
	keys := f.store.Conversations()
	turns, _ := f.store.Conversation(ctx, keys[0])
	if len(turns) != 4 || turns[0].Question != "What did Dave Limp say?" || turns[1].Question != "what else did he say?" {
		t.Errorf("got turns %+v, want both questions in order", turns)
	}
}

func TestSubscribeLifecycle(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	r := f.bot.Handle(ctx, cmd("subscribe weekdays 08:30 America/New_York"))
	if r.Failure {
		t.Fatalf("subscribe failed:\n%s", text(r))
	}
	// 2026-11-23 08:00 UTC is a Monday, 03:00 in New York.
	for _, want := range []string{"Mon 23 Nov 2026 08:30 EST", "Tue 24 Nov 2026 08:30 EST", "Wed 25 Nov 2026 08:30 EST"} {
		if !strings.Contains(text(r), want) {
			t.Errorf("subscribe reply lacks next run %q:\n%s", want, text(r))
		}
	}
	sub, err := f.store.Subscription(ctx, chan1)
	if err != nil {
		t.Fatalf("stored subscription: %v", err)
	}
	if sub.CreatedBy != "U1" || sub.Schedule == "" || !sub.CreatedAt.Equal(epoch) {
		t.Errorf("got subscription %+v, want created by U1 at %v", sub, epoch)
	}

	f.store.PutDelivery(bot.Delivery{SubscriptionID: sub.ID, Slot: epoch.Add(-time.Hour), State: bot.StateFailed, Error: "slack: channel_not_found", Late: true})
	r = f.bot.Handle(ctx, cmd("schedule"))
	for _, want := range []string{"Schedule: `" + sub.Schedule + "`", "Next run: Mon 23 Nov 2026 08:30 EST", "Last delivery: Mon 23 Nov 2026 07:00 UTC — failed (late): slack: channel_not_found"} {
		if !strings.Contains(text(r), want) {
			t.Errorf("schedule reply lacks %q:\n%s", want, text(r))
		}
	}

	// Another workspace's channel of the same id sees and changes nothing.
	other := cmd("unsubscribe")
	other.Team = "T2"
	r = f.bot.Handle(ctx, other)
	if !strings.Contains(text(r), "no digest subscription") {
		t.Errorf("unsubscribe in T2: got\n%s\nwant no subscription", text(r))
	}
	if _, err := f.store.Subscription(ctx, chan1); err != nil {
		t.Errorf("T1's subscription after T2's unsubscribe: %v", err)
	}

	r = f.bot.Handle(ctx, cmd("unsubscribe"))
	if r.Title != "Unsubscribed" {
		t.Errorf("unsubscribe: got\n%s", text(r))
	}
	if _, err := f.store.Subscription(ctx, chan1); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("after unsubscribe: got %v, want ErrNotFound", err)
	}
}

func TestManageDenied(t *testing.T) {
	for _, text := range []string{"subscribe @daily", "unsubscribe"} {
		f := newFixture(t)
		req := cmd(text)
		req.CanManage = false
		r := f.bot.Handle(context.Background(), req)
		if got := f.metrics.last(t).outcome; got != "denied" || !r.Failure {
			t.Errorf("%s without permission: got outcome %q failure %v, want denied", text, got, r.Failure)
		}
	}
	f := newFixture(t)
	req := cmd("subscribe @daily")
	req.CanManage = false
	f.bot.Handle(context.Background(), req)
	if subs, _ := f.store.Subscriptions(context.Background()); len(subs) != 0 {
		t.Errorf("denied subscribe stored %+v", subs)
	}
}

func TestActions(t *testing.T) {
	tests := []struct {
		name, action, value, wantCommand, wantOutcome, wantText string
		wantInChannel                                           bool
	}{
		{"quotes", bot.ActionQuotes, "", "action:quotes", "ok", "smart timer", false},
		{"sources", bot.ActionSources, "", "action:sources", "ok", "The articles", false},
		{"facts", bot.ActionFacts, "", "action:facts", "ok", "Key figures", false},
		{"ask", bot.ActionAsk, "how much did Amazon lose?", "action:ask", "", "$25 billion", false},
		{"share brief", bot.ActionShare, "brief", "action:share", "ok", "Key points", true},
		{"share quotes", bot.ActionShare, "quotes", "action:share", "ok", "smart timer", true},
		{"share subscribe", bot.ActionShare, "subscribe @daily", "action:share", "bad_input", "can be shared", false},
		{"unknown", "explode", "", "action:unknown", "bad_input", "no longer supported", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			req := bot.Request{Kind: bot.KindAction, Scope: chan1, User: "U1", Action: tt.action, Value: tt.value}
			r := f.bot.Handle(context.Background(), req)
			got := f.metrics.last(t)
			if got.command != tt.wantCommand || tt.wantOutcome != "" && got.outcome != tt.wantOutcome {
				t.Errorf("got %s/%s, want %s/%s", got.command, got.outcome, tt.wantCommand, tt.wantOutcome)
			}
			if r.InChannel != tt.wantInChannel {
				t.Errorf("InChannel: got %v, want %v", r.InChannel, tt.wantInChannel)
			}
			if !strings.Contains(text(r), tt.wantText) {
				t.Errorf("reply lacks %q:\n%s", tt.wantText, text(r))
			}
			for _, b := range r.Buttons {
				if r.InChannel && b.Action == bot.ActionShare {
					t.Errorf("shared reply still offers to share")
				}
			}
		})
	}
}

func TestShareAskRepeatsTheAnswer(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.bot.Handle(ctx, dm("What did the former employee tell the Journal?"))
	asked := f.bot.Handle(ctx, dm("what else did he say?"))
	var share *bot.Button
	for i, b := range asked.Buttons {
		if b.Action == bot.ActionShare {
			share = &asked.Buttons[i]
		}
	}
	if share == nil {
		t.Fatalf("answer has no share button: %+v", asked.Buttons)
	}
	req := dm("")
	req.Kind, req.Action, req.Value = bot.KindAction, share.Action, share.Value
	shared := f.bot.Handle(ctx, req)
	if !shared.InChannel {
		t.Errorf("shared answer is not in channel")
	}
	if got, want := text(shared), text(asked); got != want {
		t.Errorf("shared answer differs from the one asked:\ngot\n%s\nwant\n%s", got, want)
	}
}

// panicStore panics on every subscription write.
type panicStore struct{ *bottest.Store }

func (panicStore) PutSubscription(context.Context, bot.Subscription) (bot.Subscription, error) {
	panic("boom")
}

func TestNeverPanics(t *testing.T) {
	var logs bytes.Buffer
	m := &metrics{}
	b := bot.New(bot.Config{Corpus: testCorpus(t), Store: panicStore{bottest.NewStore(nil)}, Metrics: m,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	r := b.Handle(context.Background(), cmd("subscribe @daily"))
	if !r.Failure || !strings.Contains(text(r), "something went wrong") {
		t.Errorf("got reply\n%s\nwant the safe error reply", text(r))
	}
	if strings.Contains(text(r), "boom") {
		t.Errorf("reply leaks the panic: %s", text(r))
	}
	if got := m.last(t).outcome; got != "error" {
		t.Errorf("outcome: got %q, want error", got)
	}
	if n := strings.Count(logs.String(), "\n"); n != 1 || !strings.Contains(logs.String(), "boom") {
		t.Errorf("got log\n%s\nwant one line with the panic", logs.String())
	}
}

func TestStoreErrorIsSafe(t *testing.T) {
	f := newFixture(t)
	f.store.SetErr(errors.New("disk I/O error at /secret/path"))
	for _, req := range []bot.Request{dm("what did Dave Limp say?"), cmd("schedule"), cmd("subscribe @daily"), cmd("unsubscribe")} {
		r := f.bot.Handle(context.Background(), req)
		if got := f.metrics.last(t).outcome; got != "error" {
			t.Errorf("%q: outcome %q, want error", req.Text, got)
		}
		if strings.Contains(text(r), "secret") || !r.Failure {
			t.Errorf("%q: got reply\n%s\nwant a safe failure", req.Text, text(r))
		}
	}
	if !strings.Contains(f.logs.String(), "disk I/O error") {
		t.Errorf("log lacks the store error:\n%s", f.logs.String())
	}
}

func TestNoStore(t *testing.T) {
	b := bot.New(bot.Config{Corpus: testCorpus(t)})
	if r := b.Handle(context.Background(), dm("how much did Amazon lose?")); r.Failure {
		t.Errorf("question without a store: got failure\n%s", text(r))
	}
	if r := b.Handle(context.Background(), cmd("subscribe @daily")); !r.Failure {
		t.Errorf("subscribe without a store: got\n%s\nwant a failure", text(r))
	}
}

func TestLogLine(t *testing.T) {
	f := newFixture(t)
	req := dm("what did Dave Limp say about the device?")
	req.EventID = "Ev123"
	f.bot.Handle(context.Background(), req)
	line := f.logs.String()
	if strings.Count(line, "\n") != 1 {
		t.Fatalf("got %d log lines, want 1:\n%s", strings.Count(line, "\n"), line)
	}
	for _, want := range []string{"platform=slack", "team=T1", "command=dm", "outcome=ok", "latency=", "event_id=Ev123"} {
		if !strings.Contains(line, want) {
			t.Errorf("log line lacks %q: %s", want, line)
		}
	}
	if strings.Contains(line, "Dave") {
		t.Errorf("log line holds message text: %s", line)
	}
}

// TestReplyInvariants checks every reply's citations: numbered 1..n, every
// ref points at one, every cited id is an article, and every item of an
// answer and every quote is verbatim in its article.
func TestReplyInvariants(t *testing.T) {
	c := testCorpus(t)
	texts := map[string]string{}
	for _, a := range c.Articles() {
		texts[a.ID] = a.Text
	}
	f := newFixture(t)
	for _, req := range []bot.Request{cmd(""), cmd("quotes"), cmd("facts"), cmd("sources"), cmd("ask how much did Amazon lose?"), dm("What did they worry they had built?")} {
		r := f.bot.Handle(context.Background(), req)
		byN := map[int]string{}
		for i, ct := range r.Citations {
			if ct.N != i+1 {
				t.Errorf("%q: citation %d numbered %d", req.Text, i, ct.N)
			}
			if _, ok := texts[ct.ID]; !ok || ct.Title == "" {
				t.Errorf("%q: citation %+v is not an article of the corpus", req.Text, ct)
			}
			byN[ct.N] = ct.ID
		}
		for _, s := range r.Sections {
			for _, it := range s.Items {
				for _, n := range it.Refs {
					if _, ok := byN[n]; !ok {
						t.Errorf("%q: item ref [%d] has no citation", req.Text, n)
					}
				}
				if req.Kind == bot.KindMessage || strings.HasPrefix(req.Text, "ask") {
					if len(it.Refs) != 1 || !strings.Contains(texts[byN[it.Refs[0]]], it.Text) {
						t.Errorf("%q: answer item %q is not verbatim in its article", req.Text, it.Text)
					}
				}
			}
			if q := s.Quote; q != nil {
				if len(q.Refs) != 1 || !strings.Contains(texts[byN[q.Refs[0]]], q.Text) {
					t.Errorf("%q: quote %q is not verbatim in its article", req.Text, q.Text)
				}
			}
		}
		for _, b := range r.Buttons {
			if len(b.Value) > 80 {
				t.Errorf("%q: button value of %d bytes", req.Text, len(b.Value))
			}
		}
	}
}

var discordName = regexp.MustCompile(`^[-_'\p{Ll}\p{N}]{1,32}$`)

func TestCommandsTable(t *testing.T) {
	cmds := bot.Commands()
	seen := map[string]bool{}
	var names []string
	for _, c := range cmds {
		names = append(names, c.Name)
		for _, w := range append([]string{c.Name}, c.Aliases...) {
			if seen[w] {
				t.Errorf("word %q selects two commands", w)
			}
			seen[w] = true
		}
		if !discordName.MatchString(c.Name) {
			t.Errorf("name %q is not a valid Discord option name", c.Name)
		}
		if n := len([]rune(c.Description)); n == 0 || n > 100 {
			t.Errorf("%s: description of %d characters, want 1–100", c.Name, n)
		}
		if c.Arg != "" && (c.ArgDescription == "" || len([]rune(c.ArgDescription)) > 100) {
			t.Errorf("%s: argument description %q, want 1–100 characters", c.Name, c.ArgDescription)
		}
		if !strings.HasPrefix(c.Usage, c.Name) {
			t.Errorf("%s: usage %q does not start with the name", c.Name, c.Usage)
		}
	}
	if got, want := strings.Join(names, " "), "brief quotes facts sources ask subscribe unsubscribe schedule stories follow add help"; got != want {
		t.Errorf("commands: got %q, want %q", got, want)
	}
	// Commands returns a copy: changing it does not change the bot.
	cmds[0].Aliases[0] = "changed"
	if bot.Commands()[0].Aliases[0] == "changed" {
		t.Errorf("Commands shares its slices with the table")
	}
	// help is generated from the table.
	f := newFixture(t)
	help := text(f.bot.Handle(context.Background(), cmd("help")))
	for _, c := range bot.Commands() {
		if !strings.Contains(help, "/alexa-brief "+c.Usage) || !strings.Contains(help, c.Description) {
			t.Errorf("help lacks %s", c.Usage)
		}
	}
}

func FuzzHandle(f *testing.F) {
	for _, s := range []string{"", "brief", "ask who?", "subscribe CRON_TZ=UTC", "subscribe 0 9 31 2 *", "\x00", "ünï 🚀", "what else did he say?", "subscribe TZ=", "share"} {
		f.Add(s, uint8(0))
	}
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, s string, kind uint8) {
		req := cmd(s)
		switch kind % 3 {
		case 1:
			req = dm(s)
		case 2:
			req.Kind, req.Action, req.Value = bot.KindAction, bot.ActionShare, s
		}
		r := fx.bot.Handle(context.Background(), req)
		if got := fx.metrics.last(t).outcome; got == "error" {
			t.Fatalf("%q: outcome error (a panic or a bug): %s", s, text(r))
		}
		if r.Title == "" && len(r.Sections) == 0 {
			t.Fatalf("%q: empty reply", s)
		}
	})
}

// "Next run" of an @every subscription is on the grid counted from when it
// was made (and from its last slot), as the scheduler posts it.
func TestScheduleNextRunEvery(t *testing.T) {
	tests := []struct {
		name  string
		after time.Duration // since subscribing
		last  time.Duration // slot of the last delivery, since subscribing; 0 for none
		want  string
	}{
		{"before the first slot", time.Hour, 0, "Next run: Mon 23 Nov 2026 10:00 UTC"},
		{"after a posted slot", 3 * time.Hour, 2 * time.Hour, "Next run: Mon 23 Nov 2026 12:00 UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			if r := f.bot.Handle(ctx, cmd("subscribe @every 2h")); r.Failure {
				t.Fatalf("subscribe failed:\n%s", text(r))
			}
			if tt.last > 0 {
				sub, err := f.store.Subscription(ctx, chan1)
				if err != nil {
					t.Fatal(err)
				}
				f.store.PutDelivery(bot.Delivery{SubscriptionID: sub.ID, Slot: epoch.Add(tt.last), State: bot.StatePosted})
			}
			f.clock.Set(epoch.Add(tt.after))
			r := f.bot.Handle(ctx, cmd("schedule"))
			if got := text(r); !strings.Contains(got, tt.want) {
				t.Errorf("schedule reply lacks %q:\n%s", tt.want, got)
			}
		})
	}
}
