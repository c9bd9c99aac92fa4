package discord

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/alexa-brief/alexa-brief/bot"
)

// Discord's message limits (message.mdx, embed limits).
const (
	maxContent     = 2000
	maxEmbeds      = 10
	maxTitle       = 256
	maxDescription = 4096
	maxFields      = 25
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFooter      = 2048
	maxEmbedTotal  = 6000
	maxNonce       = 25
	maxCustomID    = 100
	maxButtonLabel = 80
	maxButtons     = 25 // 5 rows of 5
)

const (
	colorBrief   = 0x5865F2
	colorFailure = 0xED4245
)

// message is the JSON body of a channel message, an interaction response's
// data, a follow-up or an edit. AllowedMentions is never nil on the wire:
// noMentions makes "parse": [] so nothing a user or an article wrote pings.
type message struct {
	Content         string                            `json:"content,omitempty"`
	Embeds          []*discordgo.MessageEmbed         `json:"embeds,omitempty"`
	Components      []discordgo.MessageComponent      `json:"components,omitempty"`
	AllowedMentions *discordgo.MessageAllowedMentions `json:"allowed_mentions"`
	Flags           discordgo.MessageFlags            `json:"flags,omitempty"`
	Nonce           string                            `json:"nonce,omitempty"`
	EnforceNonce    bool                              `json:"enforce_nonce,omitempty"`
}

// noMentions allows no mention at all. A zero MessageAllowedMentions would
// marshal "parse": null, which Discord reads as "use the defaults".
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// size counts as Discord's limits do. They are documented in characters and
// enforced on UTF-16 code units by some clients; code units are never fewer
// than code points, so counting them keeps us within both readings.
func size(s string) int {
	n := 0
	for _, r := range s { // invalid bytes arrive as U+FFFD, one unit
		n += utf16.RuneLen(r)
	}
	return n
}

// truncate shortens s to at most max units, ending with "…" when cut.
func truncate(s string, max int) string {
	if size(s) <= max {
		return s
	}
	return cut(s, max-1) + "…"
}

// cut returns the longest prefix of s of at most max units, on a rune boundary.
func cut(s string, max int) string {
	n := 0
	for i, r := range s {
		w := utf16.RuneLen(r)
		if n+w > max {
			return s[:i]
		}
		n += w
	}
	return s
}

// split breaks s into chunks of at most max units, preferring a line
// break, then a sentence end, then a space, so a long paragraph reads
// naturally. seps[i] is the whitespace chunk i replaced (for rejoining).
func split(s string, max int) (chunks, seps []string) {
	sep := ""
	for size(s) > max {
		head := cut(s, max)
		at, next := len(head), ""
		for _, sp := range []string{"\n", ". ", " "} {
			if i := strings.LastIndex(head, sp); i > len(head)/2 {
				at, next = i+len(sp), strings.TrimLeft(sp, ".")
				if sp == ". " {
					at = i + 1
				}
				break
			}
		}
		chunks, seps = append(chunks, strings.TrimSpace(s[:at])), append(seps, sep)
		s, sep = strings.TrimLeft(s[at:], " \n"), next
	}
	if s = strings.TrimSpace(s); s != "" {
		chunks, seps = append(chunks, s), append(seps, sep)
	}
	return chunks, seps
}

var markdown = strings.NewReplacer(
	`\`, `\\`, `*`, `\*`, `_`, `\_`, `~`, `\~`, `|`, `\|`, `>`, `\>`, `#`, `\#`, `[`, `\[`, `]`, `\]`,
)

// escape makes article and user text display literally: Discord markdown
// would otherwise turn "*" into italics or "[x](y)" into a disguised link.
// Backticks stay: the core marks commands as `code`, which Slack and
// Discord both show. Inside a code span markdown is not read and a
// backslash shows as one (`CRON\_TZ`), so spans are copied as they are.
// Mentions need no escaping here: embeds never ping and allowed_mentions
// covers content.
func escape(s string) string {
	var b strings.Builder
	for s != "" {
		open := strings.IndexByte(s, '`')
		if open < 0 {
			b.WriteString(markdown.Replace(s))
			break
		}
		b.WriteString(markdown.Replace(s[:open]))
		s = s[open:]
		run := len(s) - len(strings.TrimLeft(s, "`"))
		end := closingRun(s[run:], run)
		if end < 0 {
			// No closing run of the same length: the backticks are
			// literal, and what follows is text.
			b.WriteString(s[:run])
			s = s[run:]
			continue
		}
		span := run + end + run
		b.WriteString(s[:span])
		s = s[span:]
	}
	return b.String()
}

// closingRun returns the offset in s of the first run of exactly n
// backticks (as CommonMark closes a code span), or -1.
func closingRun(s string, n int) int {
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '`')
		if j < 0 {
			return -1
		}
		start := i + j
		k := start
		for k < len(s) && s[k] == '`' {
			k++
		}
		if k-start == n {
			return start
		}
		i = k
	}
	return -1
}

// mention renders an item's user: a Discord mention (shown as the name,
// pinging nobody under allowed_mentions) for a user id, else plain text.
func mention(user string) string {
	if snowflake.MatchString(user) {
		return "<@" + user + ">"
	}
	return escape(user)
}

var snowflake = regexp.MustCompile(`^[0-9]{1,20}$`)

func refs(ns []int) string {
	var b strings.Builder
	for _, n := range ns {
		fmt.Fprintf(&b, " [%d]", n)
	}
	return b.String()
}

// piece is a unit of description text and what joins it to the previous
// one: a blank line between sections, a line break between list items.
type piece struct{ text, sep string }

// maxPiece keeps pieces small so messages pack well: a long paragraph
// continues in the next embed instead of leaving 6,000-unit messages
// half empty.
const maxPiece = 1024

// pieces renders the sections as Discord markdown.
func pieces(r bot.Reply) []piece {
	var out []piece
	add := func(text, sep string) {
		chunks, seps := split(text, maxPiece)
		for i, c := range chunks {
			if i == 0 {
				out = append(out, piece{c, sep})
			} else {
				out = append(out, piece{c, seps[i]})
			}
		}
	}
	for _, s := range r.Sections {
		sep := "\n\n"
		if s.Heading != "" {
			add("**"+escape(s.Heading)+"**", sep)
			sep = "\n"
		}
		if s.Text != "" {
			add(escape(s.Text), sep)
			sep = "\n"
		}
		for _, it := range s.Items {
			line := "• " + escape(it.Text)
			if it.User != "" {
				line += " " + mention(it.User)
			}
			add(line+refs(it.Refs), sep)
			sep = "\n"
		}
		if q := s.Quote; q != nil {
			var b strings.Builder
			for i, line := range strings.Split(escape(q.Text), "\n") {
				if i > 0 {
					b.WriteString("\n")
				}
				b.WriteString("> " + line)
			}
			if q.Speaker != "" || len(q.Refs) > 0 {
				b.WriteString("\n> — " + escape(q.Speaker) + refs(q.Refs))
			}
			add(b.String(), sep)
		}
	}
	return out
}

// citationFields lists the citations as "Sources" fields of at most 1,024 units.
func citationFields(cs []bot.Citation) []*discordgo.MessageEmbedField {
	var lines []string
	for _, c := range cs {
		title := escape(c.Title)
		if title == "" {
			title = escape(c.ID)
		}
		line := fmt.Sprintf("[%d] %s", c.N, title)
		if c.URL != "" && !strings.ContainsAny(c.URL, "()<> ") {
			line = fmt.Sprintf("[%d] [%s](%s)", c.N, title, c.URL)
		}
		lines = append(lines, truncate(line, maxFieldValue))
	}
	var fields []*discordgo.MessageEmbedField
	cur := ""
	flush := func() {
		name := "Sources"
		if len(fields) > 0 {
			name = "Sources (continued)"
		}
		fields = append(fields, &discordgo.MessageEmbedField{Name: name, Value: cur})
		cur = ""
	}
	for _, l := range lines {
		if cur != "" && size(cur)+1+size(l) > maxFieldValue {
			flush()
		}
		if cur != "" {
			cur += "\n"
		}
		cur += l
	}
	if cur != "" {
		flush()
	}
	return fields
}

func embedSize(e *discordgo.MessageEmbed) int {
	n := size(e.Title) + size(e.Description)
	for _, f := range e.Fields {
		n += size(f.Name) + size(f.Value)
	}
	if e.Footer != nil {
		n += size(e.Footer.Text)
	}
	return n
}

// packer lays embeds out over messages within Discord's limits.
type packer struct {
	color int
	room  int // units allowed per message: maxEmbedTotal less what mark adds later
	msgs  []message
	used  int // units used by the last message's embeds
}

// last returns the embed to extend, nil when there is none yet.
func (p *packer) last() *discordgo.MessageEmbed {
	if len(p.msgs) == 0 {
		return nil
	}
	es := p.msgs[len(p.msgs)-1].Embeds
	return es[len(es)-1]
}

// next starts an embed able to take n more units: in the current message
// when it has room, else in a new message.
func (p *packer) next(n int) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Color: p.color}
	if len(p.msgs) == 0 || len(p.msgs[len(p.msgs)-1].Embeds) >= maxEmbeds || p.used+n > p.room {
		p.msgs = append(p.msgs, message{AllowedMentions: noMentions()})
		p.used = 0
	}
	m := &p.msgs[len(p.msgs)-1]
	m.Embeds = append(m.Embeds, e)
	return e
}

func (p *packer) text(pc piece) {
	e := p.last()
	if e != nil && e.Description != "" && len(e.Fields) == 0 && e.Footer == nil {
		add := pc.sep + pc.text
		if size(e.Description)+size(add) <= maxDescription && p.used+size(add) <= p.room {
			e.Description += add
			p.used += size(add)
			return
		}
	}
	if e == nil || e.Description != "" || len(e.Fields) > 0 || e.Footer != nil || p.used+size(pc.text) > p.room {
		e = p.next(size(pc.text))
	}
	e.Description = pc.text
	p.used += size(pc.text)
}

func (p *packer) field(f *discordgo.MessageEmbedField) {
	n := size(f.Name) + size(f.Value)
	e := p.last()
	if e == nil || len(e.Fields) >= maxFields || e.Footer != nil || p.used+n > p.room {
		e = p.next(n)
	}
	e.Fields = append(e.Fields, f)
	p.used += n
}

func (p *packer) footer(text string) {
	e := p.last()
	if e == nil || p.used+size(text) > p.room {
		e = p.next(size(text))
	}
	e.Footer = &discordgo.MessageEmbedFooter{Text: text}
	p.used += size(text)
}

// render turns a Reply into one or more messages within every Discord
// limit: title 256, description 4,096, 25 fields of 1,024, footer 2,048,
// 6,000 per message over all embeds, 10 embeds per message. The title goes
// on the first embed, then the text, the citations as "Sources" fields and
// the footer; buttons sit under the last message. Every message carries
// allowed_mentions "parse": [].
func render(r bot.Reply) []message { return renderWithin(r, 0) }

// renderWithin renders r leaving reserve units free in every message and
// in the footer, for mark.
func renderWithin(r bot.Reply, reserve int) []message {
	p := &packer{color: colorBrief, room: maxEmbedTotal - reserve}
	if r.Failure {
		p.color = colorFailure
	}
	if r.Title != "" {
		// Embed titles render markdown too, and carry user text (an asked
		// question) and article titles.
		title := truncate(escape(r.Title), maxTitle)
		p.next(size(title)).Title = title
		p.used += size(title)
	}
	for _, pc := range pieces(r) {
		p.text(pc)
	}
	for _, f := range citationFields(r.Citations) {
		p.field(f)
	}
	if r.Footer != "" {
		p.footer(truncate(r.Footer, maxFooter-reserve))
	}
	if len(p.msgs) == 0 {
		// Nothing to show is still an answer; Discord refuses empty messages.
		p.msgs = append(p.msgs, message{Content: "…", AllowedMentions: noMentions()})
	}
	if rows := buttons(r.Buttons); len(rows) > 0 {
		p.msgs[len(p.msgs)-1].Components = rows
	}
	return p.msgs
}

// Component custom ids carry the action and its value: "ab|action|value".
const customIDPrefix = "ab|"

func customID(b bot.Button) (string, bool) {
	id := customIDPrefix + b.Action + "|" + b.Value
	return id, size(id) <= maxCustomID
}

// parseCustomID reverses customID.
func parseCustomID(id string) (action, value string, ok bool) {
	rest, ok := strings.CutPrefix(id, customIDPrefix)
	if !ok {
		return "", "", false
	}
	action, value, ok = strings.Cut(rest, "|")
	return action, value, ok && action != ""
}

// buttons renders up to 25 buttons in rows of five. A button whose value
// would not fit Discord's 100-character custom id keeps its action and drops
// the value (the share action then reposts the clicked message itself).
func buttons(bs []bot.Button) []discordgo.MessageComponent {
	var rows []discordgo.MessageComponent
	var row []discordgo.MessageComponent
	seen := map[string]bool{}
	for _, b := range bs {
		if len(seen) == maxButtons {
			break
		}
		id, ok := customID(b)
		if !ok {
			id, _ = customID(bot.Button{Action: b.Action})
		}
		if seen[id] || !utf8.ValidString(id) {
			continue
		}
		seen[id] = true
		style := discordgo.SecondaryButton
		if b.Action == bot.ActionShare {
			style = discordgo.PrimaryButton
		}
		row = append(row, discordgo.Button{Label: truncate(b.Label, maxButtonLabel), Style: style, CustomID: id})
		if len(row) == 5 {
			rows = append(rows, discordgo.ActionsRow{Components: row})
			row = nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, discordgo.ActionsRow{Components: row})
	}
	return rows
}
