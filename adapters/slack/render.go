package slack

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackutilsx"

	"github.com/alexa-brief/alexa-brief/bot"
)

// Block Kit limits (docs.slack.dev block reference, chat.postMessage).
const (
	maxBlocks       = 50
	maxSectionText  = 3000
	maxHeaderText   = 150
	maxButtonText   = 75
	maxButtonValue  = 2000
	maxActionID     = 255
	maxButtons      = 25
	maxContextElems = 10
	maxFallbackText = 4000
	// maxMessageText bounds the text of all blocks of one message: Slack
	// has refused (msg_blocks_too_long) messages of about 13,000
	// characters whose blocks were each within their limit.
	maxMessageText = 12000
)

// message is one Slack message as the adapter sends it.
type message struct {
	Text   string        `json:"text"`
	Blocks []slack.Block `json:"blocks"`
}

// escape makes user and article text inert: Slack treats only &, < and >
// as control characters, so <!channel> becomes &lt;!channel&gt; and pings
// nobody.
func escape(s string) string { return slackutilsx.EscapeMessage(s) }

// mention renders an item's user: a Slack mention (shown as the name) for
// a user id, else inert text.
func mention(user string) string {
	if userID.MatchString(user) {
		return "<@" + user + ">"
	}
	return escape(user)
}

var userID = regexp.MustCompile(`^[UW][A-Z0-9]{2,}$`)

// unescape undoes Slack's escaping of incoming message text.
func unescape(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return unescaper.Replace(s)
}

// unescaper is built once: building a Replacer costs more than using it.
var unescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// textLen counts characters as Slack does, in UTF-16 code units.
func textLen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// prefixLen returns the byte length of the longest prefix of s that is at
// most n UTF-16 units.
func prefixLen(s string, n int) int {
	units := 0
	for i, r := range s {
		units += utf16.RuneLen(r)
		if units > n {
			return i
		}
	}
	return len(s)
}

// safeCut moves a cut at byte i of escaped text back so that it does not
// split an entity such as &amp;.
func safeCut(s string, i int) int {
	if j := strings.LastIndexByte(s[:i], '&'); j >= 0 && i-j < 5 && !strings.Contains(s[j:i], ";") {
		return j
	}
	return i
}

// clip shortens escaped text to at most n units, at a word boundary when
// one is near, ending with "…".
func clip(s string, n int) string {
	if textLen(s) <= n {
		return s
	}
	cut := safeCut(s, prefixLen(s, n-1))
	if sp := strings.LastIndexFunc(s[:cut], unicode.IsSpace); sp > cut*2/3 {
		cut = sp
	}
	return strings.TrimRightFunc(s[:cut], unicode.IsSpace) + "…"
}

// splitText splits escaped text into chunks of at most n units, at a
// paragraph, sentence or word boundary when possible.
func splitText(s string, n int) []string {
	var out []string
	for textLen(s) > n {
		limit := prefixLen(s, n)
		cut := -1
		// One byte past the limit: a separator's trailing space may sit
		// there; it is trimmed off the chunk.
		window := s[:min(len(s), limit+1)]
		for _, sep := range []string{"\n\n", "\n", ". ", "? ", "! ", "; ", ", "} {
			if i := strings.LastIndex(window, sep); i > limit/2 {
				cut = i + len(sep)
				break
			}
		}
		if cut < 0 {
			if i := strings.LastIndexFunc(window, unicode.IsSpace); i > limit/2 {
				cut = i + 1
			}
		}
		if cut < 0 {
			cut = safeCut(s, limit)
			if cut == 0 {
				cut = limit
			}
		}
		chunk := strings.TrimRightFunc(s[:cut], unicode.IsSpace)
		if chunk != "" {
			out = append(out, chunk)
		}
		s = strings.TrimLeftFunc(s[cut:], unicode.IsSpace)
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

func mrkdwn(s string) *slack.TextBlockObject {
	// verbatim: no automatic linking of channel names or mentions in
	// article text; the only links are the ones the renderer writes.
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, true)
}

func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
}

func refs(ns []int) string {
	var b strings.Builder
	for _, n := range ns {
		b.WriteString(" [" + strconv.Itoa(n) + "]")
	}
	return b.String()
}

// paragraphs renders a section as escaped mrkdwn paragraphs, each of them
// at most maxSectionText units.
func paragraphs(s bot.Section) []string {
	var ps []string
	if s.Text != "" {
		ps = append(ps, escape(s.Text))
	}
	for _, it := range s.Items {
		line := "• " + escape(it.Text)
		if it.User != "" {
			line += " " + mention(it.User)
		}
		ps = append(ps, line+refs(it.Refs))
	}
	if q := s.Quote; q != nil {
		line := "“" + escape(q.Text) + "”"
		if q.Speaker != "" {
			line += " — " + escape(q.Speaker)
		}
		ps = append(ps, line+refs(q.Refs))
	}
	var out []string
	for i, p := range ps {
		quote := s.Quote != nil && i == len(ps)-1
		if quote {
			out = append(out, quoteChunks(p, maxSectionText-64)...)
			continue
		}
		out = append(out, splitText(p, maxSectionText)...)
	}
	if s.Heading != "" {
		h := "*" + clip(escape(s.Heading), 200) + "*"
		if len(out) > 0 && textLen(h)+1+textLen(out[0]) <= maxSectionText {
			out[0] = h + "\n" + out[0]
		} else {
			out = append([]string{h}, out...)
		}
	}
	return out
}

// quoteChunks splits escaped quote text into "> "-prefixed chunks of at
// most maxSectionText units. Every line gains two units, so a chunk of many
// short lines that fit before the prefix is split again, smaller.
func quoteChunks(p string, limit int) []string {
	var out []string
	for _, c := range splitText(p, limit) {
		q := "> " + strings.ReplaceAll(c, "\n", "\n> ")
		if textLen(q) > maxSectionText && limit > 1 {
			out = append(out, quoteChunks(c, limit/2)...)
			continue
		}
		out = append(out, q)
	}
	return out
}

// sectionBlocks packs paragraphs into as few section blocks as fit.
func sectionBlocks(ps []string) []slack.Block {
	var blocks []slack.Block
	var cur string
	flush := func() {
		if cur != "" {
			blocks = append(blocks, slack.NewSectionBlock(mrkdwn(cur), nil, nil))
			cur = ""
		}
	}
	for _, p := range ps {
		if cur != "" && textLen(cur)+1+textLen(p) > maxSectionText {
			flush()
		}
		if cur == "" {
			cur = p
		} else {
			cur += "\n" + p
		}
	}
	flush()
	return blocks
}

// citationLine renders "[n] <url|title>", or "[n] title" without a usable URL.
func citationLine(c bot.Citation) string {
	title := clip(escape(strings.TrimSpace(c.Title)), 500)
	if title == "" {
		title = escape(c.ID)
	}
	line := "[" + strconv.Itoa(c.N) + "] "
	if u, err := url.Parse(c.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		link := strings.ReplaceAll(escape(u.String()), "|", "%7C")
		return line + "<" + link + "|" + strings.ReplaceAll(title, "|", "¦") + ">"
	}
	return line + title
}

// actionID keeps button action ids unique within a message: a repeated
// action gets "#2", "#3"… which actionName strips again.
func actionID(action string, seen map[string]int) string {
	seen[action]++
	id := action
	if n := seen[action]; n > 1 {
		id += "#" + strconv.Itoa(n)
	}
	if len(id) > maxActionID {
		id = id[:maxActionID]
	}
	return id
}

// actionName is the bot action of a button's action_id.
func actionName(id string) string {
	name, _, _ := strings.Cut(id, "#")
	return name
}

// clipValue shortens a button value to Slack's limit without splitting a rune.
func clipValue(s string) string {
	if textLen(s) <= maxButtonValue {
		return s
	}
	s = s[:prefixLen(s, maxButtonValue)]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// render turns a reply into one or more messages within Slack's limits:
// ≤50 blocks each, sections ≤3000 units, header ≤150, text ≤4000. A long
// reply becomes several messages, never an error; the header opens the
// first and the buttons close the last.
func render(r bot.Reply) []message {
	var blocks []slack.Block
	title := strings.TrimSpace(r.Title)
	if title != "" {
		blocks = append(blocks, slack.NewHeaderBlock(plain(clip(escape(title), maxHeaderText))))
	}
	for _, s := range r.Sections {
		blocks = append(blocks, sectionBlocks(paragraphs(s))...)
	}
	if len(r.Citations) > 0 {
		var els []slack.MixedElement
		for _, c := range r.Citations {
			els = append(els, mrkdwn(clip(citationLine(c), maxSectionText)))
			if len(els) == maxContextElems {
				blocks = append(blocks, slack.NewContextBlock("", els...))
				els = nil
			}
		}
		if len(els) > 0 {
			blocks = append(blocks, slack.NewContextBlock("", els...))
		}
	}
	if f := strings.TrimSpace(r.Footer); f != "" {
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn(clip(escape(f), maxSectionText))))
	}
	if len(r.Buttons) > 0 {
		seen := map[string]int{}
		var els []slack.BlockElement
		for _, b := range r.Buttons {
			if len(els) == maxButtons || b.Action == "" {
				continue
			}
			label := clip(escape(strings.TrimSpace(b.Label)), maxButtonText)
			if label == "" {
				label = escape(b.Action)
			}
			els = append(els, slack.NewButtonBlockElement(actionID(b.Action, seen), clipValue(b.Value), plain(label)))
		}
		if len(els) > 0 {
			blocks = append(blocks, slack.NewActionBlock("", els...))
		}
	}
	if len(blocks) == 0 {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwn("…"), nil, nil))
	}

	// Pack into messages.
	var msgs []message
	var cur []slack.Block
	size := 0
	for _, b := range blocks {
		n := blockLen(b)
		if len(cur) > 0 && (len(cur) == maxBlocks || size+n > maxMessageText) {
			msgs = append(msgs, message{Blocks: cur})
			cur, size = nil, 0
		}
		cur = append(cur, b)
		size += n
	}
	msgs = append(msgs, message{Blocks: cur})

	fallback := fallbackText(r)
	for i := range msgs {
		msgs[i].Text = fallback
		if len(msgs) > 1 && i > 0 {
			msgs[i].Text = clip(fmt.Sprintf("(%d/%d) %s", i+1, len(msgs), fallback), maxFallbackText)
		}
	}
	return msgs
}

// fallbackText is the notification text: the title and the start of the
// first section, escaped.
func fallbackText(r bot.Reply) string {
	var parts []string
	if t := strings.TrimSpace(r.Title); t != "" {
		parts = append(parts, t)
	}
	for _, s := range r.Sections {
		switch {
		case s.Text != "":
			parts = append(parts, s.Text)
		case len(s.Items) > 0:
			parts = append(parts, s.Items[0].Text)
		case s.Quote != nil:
			parts = append(parts, "“"+s.Quote.Text+"”")
		case s.Heading != "":
			parts = append(parts, s.Heading)
		}
		if len(parts) >= 2 {
			break
		}
	}
	t := escape(strings.Join(parts, "\n"))
	if t == "" {
		t = "alexa-brief"
	}
	return clip(t, maxFallbackText)
}

// blockLen is the text a block carries, for the per-message budget.
func blockLen(b slack.Block) int {
	switch b := b.(type) {
	case *slack.HeaderBlock:
		return textLen(b.Text.Text)
	case *slack.SectionBlock:
		return textLen(b.Text.Text)
	case *slack.ContextBlock:
		n := 0
		for _, e := range b.ContextElements.Elements {
			if t, ok := e.(*slack.TextBlockObject); ok {
				n += textLen(t.Text)
			}
		}
		return n
	case *slack.ActionBlock:
		n := 0
		for _, e := range b.Elements.ElementSet {
			if bt, ok := e.(*slack.ButtonBlockElement); ok {
				n += textLen(bt.Text.Text) + textLen(bt.Value)
			}
		}
		return n
	}
	return 0
}
