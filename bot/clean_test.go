package bot

import (
	"context"
	"strings"
	"testing"
	"unicode"

	"github.com/alexa-brief/alexa-brief/briefs"
)

// TestCleanStripsBidiControls: bidi embeddings, overrides, isolates and
// marks in user text are removed, so an echoed question cannot reorder
// the header, title or shared repost it lands in.
func TestCleanStripsBidiControls(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"right-to-left override", "ask who\u202Eevil\u202C paid?", "ask whoevil paid?"},
		{"every embedding and override", "a\u202Ab\u202Bc\u202Cd\u202De\u202Ef", "abcdef"},
		{"isolates", "\u2066x\u2067y\u2068z\u2069", "xyz"},
		{"marks", "left\u200Eright\u200Fend", "leftrightend"},
		{"Arabic letter mark", "a\u061Cb", "ab"},
		{"between words", "ask \u202E what", "ask what"},
		{"only controls", "\u202E\u2066\u200F", ""},
		{"plain text kept", "ask what did Dave Limp say?", "ask what did Dave Limp say?"},
		{"joiners kept (emoji, scripts)", "👩\u200D💻 \u0915\u094D\u200D", "👩\u200D💻 \u0915\u094D\u200D"},
		{"Hebrew text kept", "שלום world", "שלום world"},
	}
	for _, tt := range tests {
		got, ok := clean(tt.in)
		if !ok || got != tt.want {
			t.Errorf("%s: clean(%q) = %q, %v; want %q, true", tt.name, tt.in, got, ok, tt.want)
		}
	}
}

// TestEchoedTextHasNoBidiControls: through Handle, a question and a share
// value carrying controls come back without them in any reply text.
func TestEchoedTextHasNoBidiControls(t *testing.T) {
	c, err := briefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	b := New(Config{Corpus: c})
	sc := Scope{Platform: "test", Team: "T", Channel: "C"}
	for _, req := range []Request{
		{Kind: KindCommand, Scope: sc, User: "U", Text: "ask \u202Ehow much did Amazon lose\u202C?"},
		{Kind: KindCommand, Scope: sc, User: "U", Text: "frobnicate\u2067 \u202Eme"},
		{Kind: KindAction, Scope: sc, User: "U", Action: ActionShare, Value: "ask \u2066what did Dave Limp say?\u2069"},
		{Kind: KindAction, Scope: sc, User: "U", Action: ActionAsk, Value: "who\u200F said it?"},
	} {
		r := b.Handle(context.Background(), req)
		all := r.Title
		for _, s := range r.Sections {
			all += s.Heading + s.Text
			for _, it := range s.Items {
				all += it.Text
			}
		}
		for _, btn := range r.Buttons {
			all += btn.Label + btn.Value
		}
		if i := strings.IndexFunc(all, func(r rune) bool { return unicode.Is(unicode.Bidi_Control, r) }); i >= 0 {
			t.Errorf("%q %q: reply has a bidi control at %d: %q", req.Text, req.Value, i, all)
		}
	}
}
