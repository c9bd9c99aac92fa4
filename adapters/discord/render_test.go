package discord

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alexa-brief/alexa-brief/bot"
)

var update = flag.Bool("update", false, "rewrite golden files and deploy/discord/commands.json")

// golden compares got with testdata/name.golden, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./adapters/discord -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (-update rewrites it)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

var citations = []bot.Citation{
	{N: 1, ID: "000_c1f63e7485ba089f", Title: "Amazon’s Alexa devices lost over $25 billion", URL: "https://example.com/alexa-losses"},
	{N: 2, ID: "002_26eb1baebe2b0c2e", Title: "Amazon’s Echo: a smart timer that cost billions"},
}

var smartTimer = &bot.Quote{
	Text:    "We worried we’ve hired 10,000 people and we’ve built a smart timer",
	Speaker: "A former Amazon employee",
	Refs:    []int{2},
}

var goldenReplies = map[string]bot.Reply{
	"brief": {
		Title: "Amazon’s Alexa devices: over $25 billion lost in 2017–2021",
		Sections: []bot.Section{
			{Items: []bot.Item{
				{Text: "From 2017 to 2021, Amazon lost over $25 billion due to investments in its Echo, Kindle, and other devices.", Refs: []int{1, 2}},
				{Text: "Since their debut in 2014, Amazon has sold over 500 million Alexa devices.", Refs: []int{2}},
				{Text: "Andy Jassy, who stepped into the role of Amazon CEO in 2021 following Jeff Bezos’s departure, has made it clear that cost-cutting is a top priority.", Refs: []int{2}},
			}},
			{Quote: smartTimer},
		},
		Citations: citations,
		Buttons: []bot.Button{
			{Label: "More quotes", Action: bot.ActionQuotes},
			{Label: "Sources", Action: bot.ActionSources},
		},
		Footer: "2 articles · /alexa-brief ask <question> for more",
	},
	"quotes": {
		Title: "Quotes",
		Sections: []bot.Section{
			{Quote: smartTimer},
			{Quote: &bot.Quote{Text: "Remarkable Alexa", Speaker: "Amazon", Refs: []int{2}}},
		},
		Citations: citations[1:],
	},
	"answer": {
		Title: "How much did Amazon lose on devices?",
		Sections: []bot.Section{{
			Text:  "From 2017 to 2021, Amazon lost over $25 billion due to investments in its Echo, Kindle, and other devices, according to internal documents and sources familiar with the situation, as reported by the Wall Street Journal.",
			Items: []bot.Item{{Text: "Supported by the *Wall Street Journal* report [sic] _internal documents_", Refs: []int{1}}},
		}},
		Citations: citations[:1],
		Buttons:   []bot.Button{{Label: "Ask a follow-up", Action: bot.ActionAsk, Value: "and in 2021?"}},
	},
	"declined": {
		Title:    "I don't know",
		Sections: []bot.Section{{Text: "The articles don't say what the weather was in Seattle. Try /alexa-brief help."}},
		Failure:  true,
	},
}

func TestRenderGolden(t *testing.T) {
	replies := map[string]bot.Reply{"oversized": oversized()}
	for k, v := range goldenReplies {
		replies[k] = v
	}
	for name, r := range replies {
		t.Run(name, func(t *testing.T) {
			msgs := render(r)
			checkLimits(t, msgs)
			got, err := json.MarshalIndent(msgs, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, name, append(got, '\n'))
		})
	}
}

// oversized is far beyond one message: 30 long paragraphs, a paragraph
// longer than a description, 60 citations and an overlong title and footer.
func oversized() bot.Reply {
	var r bot.Reply
	r.Title = strings.Repeat("Amazon’s devices unit ", 20)
	sentence := "Amazon’s strategy to profit from its Alexa-enabled devices has reportedly fallen short, resulting in significant financial losses for the company. "
	for i := range 30 {
		r.Sections = append(r.Sections, bot.Section{Heading: fmt.Sprintf("Part %d", i+1), Text: strings.Repeat(sentence, 6)})
	}
	r.Sections = append(r.Sections, bot.Section{Text: strings.Repeat(sentence, 40)}) // ~6,000 characters
	for i := range 60 {
		r.Citations = append(r.Citations, bot.Citation{N: i + 1, ID: fmt.Sprintf("a%02d", i), Title: strings.Repeat("A long article title ", 3), URL: fmt.Sprintf("https://example.com/articles/%d", i)})
	}
	r.Footer = strings.Repeat("f", 3000)
	r.Buttons = []bot.Button{{Label: "More quotes", Action: bot.ActionQuotes}}
	return r
}

// checkLimits asserts every Discord limit on rendered messages.
func checkLimits(t *testing.T, msgs []message) {
	t.Helper()
	if len(msgs) == 0 {
		t.Fatal("no messages")
	}
	for i, m := range msgs {
		if size(m.Content) > maxContent {
			t.Errorf("message %d: content %d > %d", i, size(m.Content), maxContent)
		}
		if len(m.Embeds) > maxEmbeds {
			t.Errorf("message %d: %d embeds", i, len(m.Embeds))
		}
		if m.AllowedMentions == nil || m.AllowedMentions.Parse == nil || len(m.AllowedMentions.Parse) != 0 {
			t.Errorf("message %d: allowed_mentions %+v, want parse []", i, m.AllowedMentions)
		}
		if m.Content == "" && len(m.Embeds) == 0 {
			t.Errorf("message %d is empty", i)
		}
		total := 0
		for j, e := range m.Embeds {
			if size(e.Title) > maxTitle || size(e.Description) > maxDescription || len(e.Fields) > maxFields {
				t.Errorf("message %d embed %d: title %d, description %d, %d fields", i, j, size(e.Title), size(e.Description), len(e.Fields))
			}
			for _, f := range e.Fields {
				if f.Name == "" || f.Value == "" || size(f.Name) > maxFieldName || size(f.Value) > maxFieldValue {
					t.Errorf("message %d embed %d: field %q of %d", i, j, f.Name, size(f.Value))
				}
			}
			if e.Footer != nil && size(e.Footer.Text) > maxFooter {
				t.Errorf("message %d embed %d: footer %d", i, j, size(e.Footer.Text))
			}
			total += embedSize(e)
		}
		if total > maxEmbedTotal {
			t.Errorf("message %d: embeds total %d > %d", i, total, maxEmbedTotal)
		}
		if i < len(msgs)-1 && len(m.Components) > 0 {
			t.Errorf("message %d: buttons before the last message", i)
		}
	}
}

func TestRenderOversizedKeepsEverything(t *testing.T) {
	r := oversized()
	msgs := render(r)
	if len(msgs) < 3 {
		t.Fatalf("got %d messages, want the reply split over several", len(msgs))
	}
	var text strings.Builder
	for _, m := range msgs {
		for _, e := range m.Embeds {
			text.WriteString(e.Description + "\n")
			for _, f := range e.Fields {
				text.WriteString(f.Value + "\n")
			}
		}
	}
	all := strings.Join(strings.Fields(text.String()), " ")
	for i, s := range r.Sections {
		if want := strings.Join(strings.Fields(escape(s.Text)), " "); !strings.Contains(all, want) {
			t.Errorf("section %d text lost in the split", i)
		}
	}
	for _, c := range r.Citations {
		if want := fmt.Sprintf("[%d] [", c.N); !strings.Contains(all, want) {
			t.Errorf("citation %d lost", c.N)
		}
	}
	if got := msgs[0].Embeds[0].Title; size(got) > maxTitle || !strings.HasSuffix(got, "…") {
		t.Errorf("title %q not truncated to %d", got, maxTitle)
	}
	last := msgs[len(msgs)-1]
	if last.Components == nil || last.Embeds[len(last.Embeds)-1].Footer == nil {
		t.Error("buttons and footer belong on the last message")
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		in       string
		max      int
		want     []string
		wantSeps []string
	}{
		{"short", 10, []string{"short"}, []string{""}},
		{"one two three four", 9, []string{"one two", "three", "four"}, []string{"", " ", " "}},
		{"First one. Second. Third", 14, []string{"First one.", "Second. Third"}, []string{"", " "}},
		{"line one\nline two", 12, []string{"line one", "line two"}, []string{"", "\n"}},
		{"aaaaaaaaaa", 4, []string{"aaaa", "aaaa", "aa"}, []string{"", "", ""}},
		{"😀😀😀", 4, []string{"😀😀", "😀"}, []string{"", ""}}, // two UTF-16 units each
	}
	for _, tt := range tests {
		got, seps := split(tt.in, tt.max)
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tt.want) || fmt.Sprintf("%q", seps) != fmt.Sprintf("%q", tt.wantSeps) {
			t.Errorf("split(%q, %d) = %q %q, want %q %q", tt.in, tt.max, got, seps, tt.want, tt.wantSeps)
		}
	}
}

func TestEscape(t *testing.T) {
	got := escape("*bold* _it_ `code` [x](https://evil) ~s~ a|b > q # h \\")
	want := `\*bold\* \_it\_ ` + "`code`" + ` \[x\](https://evil) \~s\~ a\|b \> q \# h \\`
	if got != want {
		t.Errorf("escape = %q, want %q", got, want)
	}
}

func TestCustomID(t *testing.T) {
	tests := []struct {
		b          bot.Button
		wantFits   bool
		wantAction string
		wantValue  string
	}{
		{bot.Button{Action: bot.ActionShare, Value: "ask what did Jassy say?"}, true, "share", "ask what did Jassy say?"},
		{bot.Button{Action: bot.ActionQuotes}, true, "quotes", ""},
		{bot.Button{Action: bot.ActionAsk, Value: "a|b"}, true, "ask", "a|b"},
		{bot.Button{Action: bot.ActionShare, Value: strings.Repeat("x", 120)}, false, "", ""},
	}
	for _, tt := range tests {
		id, fits := customID(tt.b)
		if fits != tt.wantFits {
			t.Errorf("customID(%+v) fits = %v, want %v", tt.b, fits, tt.wantFits)
			continue
		}
		if !fits {
			continue
		}
		action, value, ok := parseCustomID(id)
		if !ok || action != tt.wantAction || value != tt.wantValue {
			t.Errorf("parseCustomID(%q) = %q, %q, %v", id, action, value, ok)
		}
	}
	if _, _, ok := parseCustomID("other|x"); ok {
		t.Error("foreign custom id accepted")
	}
}

// TestRenderTitleEscaped: the title carries user text (an asked question)
// and article titles, and Discord renders markdown in embed titles, so it
// is escaped like the description: it reads exactly as typed.
func TestRenderTitleEscaped(t *testing.T) {
	for _, title := range []string{
		"How much did Amazon lose?",
		"**Alexa** __devices__ ||lost|| $25 billion?",
		"# a smart timer > [click](https://evil.example) ~~x~~ a\\b",
	} {
		e := render(bot.Reply{Title: title, Sections: []bot.Section{{Text: "a smart timer"}}})[0].Embeds[0]
		if got := bareMarkdown(e.Title); got != "" {
			t.Errorf("title %q: renders %q as markdown", e.Title, got)
		}
		if got, want := unescapeMarkdown(e.Title), title; got != want {
			t.Errorf("title reads %q, want %q", got, want)
		}
	}
}

// bareMarkdown returns the first markdown character of s not escaped by a
// backslash, or "".
func bareMarkdown(s string) string {
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\':
			i++
		case strings.ContainsRune("*_~|[]>#", rune(s[i])):
			return s[i : i+1]
		}
	}
	return ""
}

func unescapeMarkdown(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
