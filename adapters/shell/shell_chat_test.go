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
)

// TestCommandPrefixAnyCase: "/ALEXA-BRIEF facts" is the slash command,
// as the command words are case-insensitive.
func TestCommandPrefixAnyCase(t *testing.T) {
	tests := []struct {
		line     string
		wantKind bot.Kind
		wantText string
	}{
		{"/ALEXA-BRIEF facts", bot.KindCommand, "facts"},
		{"/Alexa-Brief", bot.KindCommand, ""},
		{"/alexa-brief quotes", bot.KindCommand, "quotes"},
		{"what is /alexa-brief?", bot.KindMessage, "what is /alexa-brief?"},
	}
	for _, tt := range tests {
		h := &recorder{}
		sh := shell.New(shell.Config{In: strings.NewReader(tt.line + "\n"), Out: io.Discard, Handler: h})
		if err := sh.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		if len(h.reqs) != 1 {
			t.Fatalf("%q: got %d requests, want 1", tt.line, len(h.reqs))
		}
		if got := h.reqs[0]; got.Kind != tt.wantKind || got.Text != tt.wantText {
			t.Errorf("%q: got kind %d text %q, want kind %d text %q", tt.line, got.Kind, got.Text, tt.wantKind, tt.wantText)
		}
	}
}

// TestFormatUser: the shell shows an item's user as it is.
func TestFormatUser(t *testing.T) {
	r := bot.Reply{Sections: []bot.Section{{Items: []bot.Item{{Text: "Set up on Mon 23 Nov 2026 08:00 UTC by", User: "you"}}}}}
	if got, want := shell.Format(r), "  • Set up on Mon 23 Nov 2026 08:00 UTC by you\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		width int
		want  string
	}{
		{"no width", "a b c", 0, "a b c"},
		{"fits", "short line\n", 20, "short line\n"},
		{"words", "the quick brown fox jumps over the lazy dog\n", 16,
			"the quick brown\nfox jumps over\nthe lazy dog\n"},
		{"bullet hangs", "  • Amazon lost $25 billion on devices in four years [1]\n", 24,
			"  • Amazon lost $25\n    billion on devices\n    in four years [1]\n"},
		{"quote hangs", "  “We worried we’ve hired 10,000 people.” — A former employee [2]\n", 30,
			"  “We worried we’ve hired\n   10,000 people.” — A former\n   employee [2]\n"},
		{"source hangs", "  [1] Amazon’s Echo smart speakers — https://example.com/echo\n", 30,
			"  [1] Amazon’s Echo smart\n      speakers —\n      https://example.com/echo\n"},
		{"refusal hangs", "! That looks like the subscribe command\n", 20,
			"! That looks like\n  the subscribe\n  command\n"},
		{"long word kept whole", "see https://example.com/a/very/long/path/indeed now\n", 16,
			"see\nhttps://example.com/a/very/long/path/indeed\nnow\n"},
		{"underline cut", "Title\n" + strings.Repeat("─", 30) + "\n", 10, "Title\n" + strings.Repeat("─", 10) + "\n"},
		{"blank lines kept", "a\n\nb\n", 10, "a\n\nb\n"},
		{"runes not bytes", "ééééé ééééé\n", 11, "ééééé ééééé\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := shell.Wrap(tt.in, tt.width); got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// fakeTerminal is the user's side of a terminal: what the shell reads is
// what the test types, what the shell writes is kept.
type fakeTerminal struct {
	in  *io.PipeReader
	key *io.PipeWriter
	mu  sync.Mutex
	out bytes.Buffer
}

func newFakeTerminal() *fakeTerminal {
	r, w := io.Pipe()
	return &fakeTerminal{in: r, key: w}
}

func (f *fakeTerminal) Read(p []byte) (int, error) { return f.in.Read(p) }

func (f *fakeTerminal) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.out.Write(p)
}

func (f *fakeTerminal) String() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.out.String()
}

func (f *fakeTerminal) typeKeys(t *testing.T, s string) {
	t.Helper()
	if _, err := io.WriteString(f.key, s); err != nil {
		t.Fatal(err)
	}
}

// TestInteractiveLineEditing: on a terminal, arrow keys edit the line and
// recall history instead of arriving as "^[[A" questions; replies are
// wrapped to the terminal's width.
func TestInteractiveLineEditing(t *testing.T) {
	term := newFakeTerminal()
	h := &longReplies{}
	sh := shell.New(shell.Config{In: term, Out: term, Handler: h, Interactive: true,
		Size: func() (int, int) { return 30, 24 }})
	done := make(chan error, 1)
	go func() { done <- sh.Run(context.Background()) }()

	term.typeKeys(t, "who said it\r")             // a question
	term.typeKeys(t, "\x1b[A\r")                  // Up, Enter: the same question again
	term.typeKeys(t, "who sad\x1b[Di\x1b[C it\r") // Left, type, Right: edit in the middle
	term.typeKeys(t, "\x04")                      // Ctrl-D on an empty line leaves
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not end at Ctrl-D")
	}

	got := h.texts()
	want := []string{"who said it", "who said it", "who said it"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("requests: got %q, want %q", got, want)
	}
	out := term.String()
	if !strings.Contains(out, "alexa-brief local chat") {
		t.Errorf("no banner:\n%q", out)
	}
	// The reply's long line arrives wrapped, each line ending CR LF as a
	// raw-mode terminal needs.
	if !strings.Contains(out, "  • one two three four five\r\n    six seven eight nine ten") {
		t.Errorf("reply not wrapped to 30 columns:\n%q", out)
	}
}

// longReplies answers every request with one long list item.
type longReplies struct {
	mu   sync.Mutex
	reqs []bot.Request
}

func (l *longReplies) Handle(ctx context.Context, req bot.Request) bot.Reply {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reqs = append(l.reqs, req)
	return bot.Reply{Sections: []bot.Section{{Items: []bot.Item{{Text: "one two three four five six seven eight nine ten"}}}}}
}

func (l *longReplies) texts() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, r := range l.reqs {
		out = append(out, r.Text)
	}
	return out
}
