package shell

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/alexa-brief/alexa-brief/bot"
)

// Format renders a reply as plain text for a terminal: the title underlined,
// list items as bullets with their [n] citation numbers, quotes set off
// with their speaker, and the numbered sources at the end. Buttons have no
// meaning in a terminal and are left out. The result ends with a newline.
func Format(r bot.Reply) string {
	var sb strings.Builder
	if r.Title != "" {
		title := r.Title
		if r.Failure {
			title = "! " + title
		}
		sb.WriteString(title + "\n")
		sb.WriteString(strings.Repeat("─", min(utf8.RuneCountInString(title), 72)) + "\n")
	}
	for i, s := range r.Sections {
		if i > 0 || r.Title != "" && s.Heading != "" {
			sb.WriteString("\n")
		}
		if s.Heading != "" {
			sb.WriteString(s.Heading + "\n")
		}
		if s.Text != "" {
			text := s.Text
			if r.Failure && r.Title == "" && i == 0 {
				text = "! " + text
			}
			sb.WriteString(text + "\n")
		}
		for _, it := range s.Items {
			sb.WriteString("  • " + it.Text + refs(it.Refs) + "\n")
		}
		if q := s.Quote; q != nil {
			sb.WriteString("  “" + q.Text + "”")
			if q.Speaker != "" {
				sb.WriteString(" — " + q.Speaker)
			}
			sb.WriteString(refs(q.Refs) + "\n")
		}
	}
	if len(r.Citations) > 0 {
		sb.WriteString("\nSources\n")
		for _, c := range r.Citations {
			line := "  [" + strconv.Itoa(c.N) + "] " + c.Title
			if c.URL != "" {
				line += " — " + c.URL
			}
			sb.WriteString(line + "\n")
		}
	}
	if r.Footer != "" {
		sb.WriteString("(" + r.Footer + ")\n")
	}
	return sb.String()
}

// refs renders citation numbers as " [1][2]".
func refs(ns []int) string {
	if len(ns) == 0 {
		return ""
	}
	var sb strings.Builder
	sb.WriteByte(' ')
	for _, n := range ns {
		sb.WriteString("[" + strconv.Itoa(n) + "]")
	}
	return sb.String()
}
