package shell_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/shell"
	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/bot/bottest"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// recorder is a Handler that records requests and answers with a fixed reply.
type recorder struct {
	mu   sync.Mutex
	reqs []bot.Request
}

func (r *recorder) Handle(ctx context.Context, req bot.Request) bot.Reply {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = append(r.reqs, req)
	return bot.Reply{Title: "reply " + req.Text}
}

func TestRunRequests(t *testing.T) {
	in := strings.Join([]string{
		"/alexa-brief",
		"/alexa-brief quotes",
		"/alexa-brief   ask  who said it?  ",
		"",
		"   ",
		"what did Dave Limp say?",
		"/alexa-briefing is a question",
		"/help",
		"quotes",
		"last line without newline",
	}, "\n")
	h := &recorder{}
	var out bytes.Buffer
	sh := shell.New(shell.Config{In: strings.NewReader(in), Out: &out, Handler: h})
	if err := sh.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v", err)
	}
	type want struct {
		kind bot.Kind
		text string
		dm   bool
	}
	wants := []want{
		{bot.KindCommand, "", false},
		{bot.KindCommand, "quotes", false},
		{bot.KindCommand, "ask  who said it?", false},
		{bot.KindMessage, "what did Dave Limp say?", true},
		{bot.KindMessage, "/alexa-briefing is a question", true},
		{bot.KindMessage, "quotes", true},
		{bot.KindMessage, "last line without newline", true},
	}
	// "/alexa-briefing" is not the slash command but starts with "/": the
	// shell explains instead of sending it.
	wants = append(wants[:4], wants[5:]...)
	if len(h.reqs) != len(wants) {
		t.Fatalf("got %d requests, want %d: %+v", len(h.reqs), len(wants), h.reqs)
	}
	for i, w := range wants {
		got := h.reqs[i]
		if got.Kind != w.kind || got.Text != w.text || got.DM != w.dm {
			t.Errorf("request %d: got kind %d text %q dm %v, want kind %d text %q dm %v", i, got.Kind, got.Text, got.DM, w.kind, w.text, w.dm)
		}
		wantScope := bot.Scope{Platform: bot.PlatformShell, Team: "local", Channel: "shell"}
		if got.Scope != wantScope {
			t.Errorf("request %d: got scope %+v, want %+v", i, got.Scope, wantScope)
		}
		if got.Conversation == "" || got.Conversation != h.reqs[0].Conversation {
			t.Errorf("request %d: conversation %q, want one per session (first %q)", i, got.Conversation, h.reqs[0].Conversation)
		}
		if !got.CanManage || got.User == "" || got.EventID == "" {
			t.Errorf("request %d: got CanManage %v user %q event %q, want true and non-empty", i, got.CanManage, got.User, got.EventID)
		}
	}
	if !strings.Contains(out.String(), "only slash command here is /alexa-brief") {
		t.Errorf("output lacks the hint for an unknown slash command:\n%s", out.String())
	}
	if strings.Contains(out.String(), "> ") {
		t.Errorf("piped output shows a prompt:\n%s", out.String())
	}
}

func TestQuit(t *testing.T) {
	h := &recorder{}
	sh := shell.New(shell.Config{In: strings.NewReader("/alexa-brief\n/quit\n/alexa-brief quotes\n"), Out: io.Discard, Handler: h})
	if err := sh.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got, want := len(h.reqs), 1; got != want {
		t.Fatalf("got %d requests, want %d (nothing after /quit)", got, want)
	}
}

func TestInteractivePrompt(t *testing.T) {
	var out bytes.Buffer
	sh := shell.New(shell.Config{In: strings.NewReader("/alexa-brief\n"), Out: &out, Handler: &recorder{}, Interactive: true})
	if err := sh.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v", err)
	}
	// The terminal echoes the typed line after its prompt, prints the
	// reply above the next prompt and leaves that prompt's line at EOF.
	got := out.String()
	if !strings.HasPrefix(got, "alexa-brief local chat") || !strings.Contains(got, "\r\n> /alexa-brief\r\n") ||
		!strings.Contains(got, "reply ") || !strings.HasSuffix(got, "> \r\n") {
		t.Errorf("got %q, want the banner, a prompt before the line, the reply and a last prompt", got)
	}
}

// blockingReader never returns, like a terminal nobody types into.
type blockingReader struct{ done chan struct{} }

func (r blockingReader) Read(p []byte) (int, error) {
	<-r.done
	return 0, io.EOF
}

func TestRunStopsOnCancel(t *testing.T) {
	r := blockingReader{done: make(chan struct{})}
	defer close(r.done)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	sh := shell.New(shell.Config{In: r, Out: io.Discard, Handler: &recorder{}})
	go func() { errc <- sh.Run(ctx) }()
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("Run after cancel: got %v, want nil", err)
	}
}

func TestPost(t *testing.T) {
	var out bytes.Buffer
	sh := shell.New(shell.Config{In: strings.NewReader(""), Out: &out, Handler: &recorder{}})
	r := bot.Reply{Title: "Daily digest", Sections: []bot.Section{{Items: []bot.Item{{Text: "A point.", Refs: []int{1}}}}},
		Citations: []bot.Citation{{N: 1, ID: "a", Title: "Article A", URL: "https://example.com/a"}}}
	id, err := sh.Post(context.Background(), sh.Scope(), r, "slot-1")
	if err != nil || id == "" {
		t.Fatalf("Post: got id %q err %v, want an id", id, err)
	}
	for _, want := range []string{"digest for #shell", "Daily digest", "  • A point. [1]", "[1] Article A — https://example.com/a"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("digest output lacks %q:\n%s", want, out.String())
		}
	}
	id2, err := sh.Post(context.Background(), sh.Scope(), r, "slot-2")
	if err != nil || id2 == id {
		t.Errorf("second Post: got id %q err %v, want a new id (first %q)", id2, err, id)
	}
	other := bot.Scope{Platform: bot.PlatformSlack, Team: "T1", Channel: "C1"}
	if _, err := sh.Post(context.Background(), other, r, "k"); err == nil {
		t.Errorf("Post to %+v: got nil error, want a refusal", other)
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		name  string
		reply bot.Reply
		want  string
	}{
		{
			name: "brief",
			reply: bot.Reply{
				Title: "The story",
				Sections: []bot.Section{
					{Heading: "Key points", Items: []bot.Item{{Text: "One.", Refs: []int{1, 2}}, {Text: "Two."}}},
					{Quote: &bot.Quote{Text: "We said it.", Speaker: "Dave Limp", Refs: []int{2}}},
				},
				Citations: []bot.Citation{{N: 1, ID: "a", Title: "A"}, {N: 2, ID: "b", Title: "B", URL: "https://b.example"}},
				Buttons:   []bot.Button{{Label: "Sources", Action: bot.ActionSources}},
				Footer:    "From 2 articles",
			},
			want: "The story\n─────────\n\nKey points\n  • One. [1][2]\n  • Two.\n\n  “We said it.” — Dave Limp [2]\n\nSources\n  [1] A\n  [2] B — https://b.example\n(From 2 articles)\n",
		},
		{
			name:  "failure without title",
			reply: bot.Reply{Sections: []bot.Section{{Text: "No."}}, Failure: true},
			want:  "! No.\n",
		},
		{
			name:  "failure with title",
			reply: bot.Reply{Title: "Bad", Sections: []bot.Section{{Text: "Because."}}, Failure: true},
			want:  "! Bad\n─────\nBecause.\n",
		},
		{
			name:  "empty",
			reply: bot.Reply{},
			want:  "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := shell.Format(tt.reply); got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// TestSession drives the real bot over the embedded corpus and an
// in-memory store, as `alexa-brief shell` does.
func TestSession(t *testing.T) {
	c, err := briefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	st := bottest.NewStore(nil)
	b := bot.New(bot.Config{Corpus: c, Store: st, Clock: bottest.NewClock(time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC))})
	in := strings.Join([]string{
		"/alexa-brief",
		"/alexa-brief quotes",
		"how much did Amazon lose on devices?",
		"/alexa-brief breif",
		"/alexa-brief subscribe @every 1m",
		"/alexa-brief schedule",
	}, "\n") + "\n"
	var out bytes.Buffer
	if err := shell.New(shell.Config{In: strings.NewReader(in), Out: &out, Handler: b}).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"$25 billion",
		"smart timer.” — A former Amazon employee",
		"Did you mean `/alexa-brief brief`?",
		"Subscribed",
		"Schedule: `@every 1m`",
		"Next run: ",
		"[1] ",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("session output lacks %q", want)
		}
	}
	if testing.Verbose() {
		t.Log("\n" + got)
	}
}
