package slack

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/alexa-brief/alexa-brief/adapters/slack/slacktest"
	"github.com/alexa-brief/alexa-brief/bot"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// Sentences below are verbatim from the two corpus articles.
var (
	wsjCite  = bot.Citation{N: 1, ID: "000_c1f63e7485ba089f", Title: "Amazon’s Alexa devices lost over $25 billion", URL: "https://example.com/amazon-alexa?a=1&b=2"}
	echoCite = bot.Citation{N: 2, ID: "002_26eb1baebe2b0c2e", Title: "Echo & Alexa: a smart timer <2014–2021>"}
	buttons  = []bot.Button{
		{Label: "More quotes", Action: bot.ActionQuotes},
		{Label: "Sources", Action: bot.ActionSources},
		{Label: "Share in channel", Action: bot.ActionShare, Value: "brief"},
	}
)

func goldenReplies() map[string]bot.Reply {
	return map[string]bot.Reply{
		"brief": {
			Title: "Amazon’s devices bet: the brief",
			Sections: []bot.Section{
				{Heading: "Key points", Items: []bot.Item{
					{Text: "From 2017 to 2021, Amazon lost over $25 billion due to investments in its Echo, Kindle, and other devices, according to internal documents and sources familiar with the situation, as reported by the Wall Street Journal.", Refs: []int{1, 2}},
					{Text: "Since their debut in 2014, Amazon has sold over 500 million Alexa devices.", Refs: []int{2}},
					{Text: "In response to these challenges, Amazon CEO Andy Jassy is exploring potential solutions, including the launch of a paid version of its voice assistant.", Refs: []int{1}},
				}},
				{Heading: "Quote", Quote: &bot.Quote{Text: "We were hired to do a narrow thing <!channel>", Speaker: "A former senior Amazon employee", Refs: []int{1}}},
			},
			Citations: []bot.Citation{wsjCite, echoCite},
			Buttons:   buttons,
			Footer:    "2 articles · Devices & Services",
		},
		"quotes": {
			Title: "Quotes",
			Sections: []bot.Section{
				{Quote: &bot.Quote{Text: "a smart timer", Speaker: "one former employee", Refs: []int{2}}},
				{Quote: &bot.Quote{Text: "Line one\nLine two & <b>three</b>", Speaker: "Andy Jassy", Refs: []int{1}}},
			},
			Citations: []bot.Citation{wsjCite, echoCite},
			Buttons:   []bot.Button{{Label: "Sources", Action: bot.ActionSources}, {Label: "Share in channel", Action: bot.ActionShare, Value: "quotes"}},
		},
		"answer": {
			Sections: []bot.Section{
				{Heading: "How much did Amazon lose on devices? <!here>", Text: "Amazon lost over $25 billion on its devices from 2017 to 2021 [1]."},
			},
			Citations: []bot.Citation{wsjCite},
			Buttons: []bot.Button{
				{Label: "Ask: What else did the employee say?", Action: bot.ActionAsk, Value: "What else did the employee say?"},
				{Label: "Ask: Who is Andy Jassy?", Action: bot.ActionAsk, Value: "Who is Andy Jassy?"},
			},
		},
		"declined": {
			Sections: []bot.Section{{Text: "The articles don’t say what the weather in Seattle was. Try /alexa-brief quotes or ask about the losses."}},
			Failure:  false,
		},
		"oversized": oversized(),
	}
}

// oversized is a reply past every limit: a 200-character title, 70 long
// sections, one 7,000-character paragraph, 12 citations, 30 buttons.
func oversized() bot.Reply {
	sentence := "Amazon’s strategy to profit from its Alexa-enabled devices has reportedly fallen short <!channel> & more. "
	r := bot.Reply{Title: strings.Repeat("Alexa devices ", 15)}
	r.Sections = append(r.Sections, bot.Section{Heading: "One long paragraph", Text: strings.Repeat(sentence, 70)})
	for i := range 70 {
		r.Sections = append(r.Sections, bot.Section{Heading: fmt.Sprintf("Part %d", i+1), Text: strings.Repeat(sentence, 8)})
	}
	for i := range 12 {
		r.Citations = append(r.Citations, bot.Citation{N: i + 1, ID: fmt.Sprintf("a%d", i), Title: fmt.Sprintf("Article %d", i+1)})
	}
	for i := range 30 {
		r.Buttons = append(r.Buttons, bot.Button{Label: fmt.Sprintf("Ask %d", i), Action: bot.ActionAsk, Value: strings.Repeat("v", 2100)})
	}
	return r
}

func TestRenderGolden(t *testing.T) {
	for name, r := range goldenReplies() {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false) // keep &lt; readable in the golden files
			enc.SetIndent("", "  ")
			if err := enc.Encode(render(r)); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			path := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("render(%s) differs from %s; run go test ./adapters/slack -update and review the diff\ngot:\n%s", name, path, got)
			}
		})
	}
}

// TestRenderLimits checks every rendered message of every golden reply
// against Slack's limits, as the fake Web API enforces them.
func TestRenderLimits(t *testing.T) {
	for name, r := range goldenReplies() {
		msgs := render(r)
		for i, m := range msgs {
			raw, _ := json.Marshal(m.Blocks)
			if code := slacktest.CheckBlocks(raw); code != "" {
				t.Errorf("%s message %d: fake Slack says %s", name, i, code)
			}
			if len(m.Blocks) > maxBlocks {
				t.Errorf("%s message %d: %d blocks, want ≤ %d", name, i, len(m.Blocks), maxBlocks)
			}
			if n := textLen(m.Text); n == 0 || n > maxFallbackText {
				t.Errorf("%s message %d: text of %d characters", name, i, n)
			}
			for _, b := range m.Blocks {
				if s, ok := b.(*slack.SectionBlock); ok && textLen(s.Text.Text) > maxSectionText {
					t.Errorf("%s message %d: section of %d characters", name, i, textLen(s.Text.Text))
				}
				if h, ok := b.(*slack.HeaderBlock); ok && i > 0 {
					t.Errorf("%s message %d: header %q outside the first message", name, i, h.Text.Text)
				}
			}
		}
	}
}

func TestRenderOversizedSplit(t *testing.T) {
	r := oversized()
	msgs := render(r)
	if len(msgs) < 2 {
		t.Fatalf("oversized reply rendered as %d message(s), want several", len(msgs))
	}
	// Nothing lost: every sentence of every section is in some section block.
	var all strings.Builder
	buttons := 0
	for _, m := range msgs {
		for _, b := range m.Blocks {
			switch b := b.(type) {
			case *slack.SectionBlock:
				all.WriteString(b.Text.Text + " ")
			case *slack.ActionBlock:
				buttons += len(b.Elements.ElementSet)
				for _, e := range b.Elements.ElementSet {
					if v := e.(*slack.ButtonBlockElement).Value; textLen(v) > maxButtonValue {
						t.Errorf("button value of %d characters", textLen(v))
					}
				}
			}
		}
	}
	wantSentences := 70 + 70*8
	if got := strings.Count(all.String(), "fallen short &lt;!channel&gt; &amp; more."); got != wantSentences {
		t.Errorf("rendered %d sentences, want %d", got, wantSentences)
	}
	if buttons != maxButtons {
		t.Errorf("rendered %d buttons, want %d (Slack's maximum)", buttons, maxButtons)
	}
	if _, ok := msgs[len(msgs)-1].Blocks[len(msgs[len(msgs)-1].Blocks)-1].(*slack.ActionBlock); !ok {
		t.Error("the buttons do not close the last message")
	}
	if h, ok := msgs[0].Blocks[0].(*slack.HeaderBlock); !ok || textLen(h.Text.Text) > maxHeaderText {
		t.Errorf("first block is not a header within %d characters", maxHeaderText)
	}
}

// TestRenderEscapes: user and article text never carries a live mention or
// an HTML-ish tag, wherever it sits in the reply.
func TestRenderEscapes(t *testing.T) {
	evil := "<!channel> <!here> <!everyone> <@U123> <#C1> a&b >x"
	r := bot.Reply{
		Title:     evil,
		Sections:  []bot.Section{{Heading: evil, Text: evil, Items: []bot.Item{{Text: evil}}, Quote: &bot.Quote{Text: evil, Speaker: evil}}},
		Citations: []bot.Citation{{N: 1, ID: "x", Title: evil, URL: "https://example.com/?q=<!channel>&x=|y"}},
		Buttons:   []bot.Button{{Label: evil, Action: bot.ActionAsk, Value: evil}},
		Footer:    evil,
	}
	for _, m := range render(r) {
		raw, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var decoded struct {
			Text   string `json:"text"`
			Blocks []struct {
				Text     *struct{ Text string } `json:"text"`
				Elements []struct {
					Text  json.RawMessage `json:"text"`
					Value string          `json:"value"`
				} `json:"elements"`
			} `json:"blocks"`
		}
		if err := json.Unmarshal(raw, &decoded); err != nil {
			t.Fatal(err)
		}
		texts := []string{decoded.Text}
		for _, b := range decoded.Blocks {
			if b.Text != nil {
				texts = append(texts, b.Text.Text)
			}
			for _, e := range b.Elements {
				var s string
				if json.Unmarshal(e.Text, &s) != nil {
					var o struct{ Text string }
					_ = json.Unmarshal(e.Text, &o)
					s = o.Text
				}
				texts = append(texts, s)
			}
		}
		for _, s := range texts {
			for _, bad := range []string{"<!channel>", "<!here>", "<!everyone>", "<@U123>", "<#C1>", "a&b", " >x"} {
				if strings.Contains(s, bad) {
					t.Errorf("rendered text %q contains unescaped %q", s, bad)
				}
			}
		}
	}
}

func TestSplitText(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want []string
	}{
		{"short", 10, []string{"short"}},
		{"One two. Three four. Five six.", 20, []string{"One two. Three four.", "Five six."}},
		{"aaaa bbbb cccc dddd", 10, []string{"aaaa bbbb", "cccc dddd"}},
		{"abcdefghijklmnop", 5, []string{"abcde", "fghij", "klmno", "p"}},
		{"abc&amp;defghij", 5, []string{"abc", "&amp;", "defgh", "ij"}},
		{"“quoted” “quoted”", 9, []string{"“quoted”", "“quoted”"}},
	}
	for _, tt := range tests {
		got := splitText(tt.in, tt.n)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("splitText(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"fits", 10, "fits"},
		{"Alexa devices lost money", 15, "Alexa devices…"},
		{"a &amp; b &amp; c", 8, "a &amp;…"},
		{"x&amp;y", 4, "x…"},
	}
	for _, tt := range tests {
		if got := clip(tt.in, tt.n); got != tt.want || textLen(got) > tt.n {
			t.Errorf("clip(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

// TestRenderQuoteLines: every line of a quote gets "> ", so a quote of many
// short lines grows past the 3,000-character section limit after it was
// split to fit; Slack would refuse the whole message (invalid_blocks).
func TestRenderQuoteLines(t *testing.T) {
	line := "Alexa, set a timer"
	for _, tc := range []struct {
		name  string
		lines int
	}{
		{"few lines", 3},
		{"many short lines", 1500},
		{"one line each", 3000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := strings.Repeat(line[:1+tc.lines%len(line)]+"\n", tc.lines)
			r := bot.Reply{Sections: []bot.Section{{Heading: "Quotes", Quote: &bot.Quote{Text: text, Speaker: "a former employee", Refs: []int{1}}}}}
			gotLines := 0
			for i, m := range render(r) {
				raw, _ := json.Marshal(m.Blocks)
				if code := slacktest.CheckBlocks(raw); code != "" {
					t.Errorf("message %d: fake Slack says %s", i, code)
				}
				for _, b := range m.Blocks {
					s, ok := b.(*slack.SectionBlock)
					if !ok {
						continue
					}
					if got := textLen(s.Text.Text); got > maxSectionText {
						t.Errorf("message %d: section of %d characters, want ≤ %d", i, got, maxSectionText)
					}
					for _, l := range strings.Split(s.Text.Text, "\n") {
						if l == line[:1+tc.lines%len(line)] {
							t.Errorf("message %d: quote line %q without its \"> \"", i, l)
						}
						if strings.HasPrefix(l, "> ") && !strings.HasPrefix(l, "> — ") && !strings.HasPrefix(l, "> “") {
							gotLines++
						}
					}
				}
			}
			// Every quoted line survives the split (the first carries “).
			if want := tc.lines - 1; gotLines < want {
				t.Errorf("quoted lines = %d, want at least %d", gotLines, want)
			}
		})
	}
}
