package shell

import (
	"regexp"
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
			line := "  • " + it.Text
			if it.User != "" {
				line += " " + it.User
			}
			sb.WriteString(line + refs(it.Refs) + "\n")
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

// Wrap breaks the lines of s wider than width columns at spaces, and
// indents each continuation under the text of its line: after a list
// bullet, a refusal's "! ", an opening quote mark or a citation number.
// A word wider than width (a URL) stays whole, as a cut one would no
// longer work; a rule of "─" is shortened instead. A width of 0 or less
// leaves s as it is.
func Wrap(s string, width int) string {
	if width <= 0 {
		return s
	}
	var sb strings.Builder
	for _, line := range strings.SplitAfter(s, "\n") {
		body, nl := strings.CutSuffix(line, "\n")
		sb.WriteString(wrapLine(body, width))
		if nl {
			sb.WriteByte('\n')
		}
	}
	return sb.String()
}

func wrapLine(line string, width int) string {
	if utf8.RuneCountInString(line) <= width {
		return line
	}
	if strings.Trim(line, "─") == "" {
		return strings.Repeat("─", width)
	}
	lead := line[:len(line)-len(strings.TrimLeft(line, " "))]
	words := strings.Fields(line)
	hang := strings.Repeat(" ", hangingIndent(line, lead))
	var sb strings.Builder
	cur, n := lead+words[0], utf8.RuneCountInString(lead+words[0])
	for _, w := range words[1:] {
		wn := utf8.RuneCountInString(w)
		if n+1+wn <= width {
			cur, n = cur+" "+w, n+1+wn
			continue
		}
		sb.WriteString(cur + "\n")
		cur, n = hang+w, len(hang)+wn
	}
	sb.WriteString(cur)
	return sb.String()
}

// citationMark is a source line's "[n] ".
var citationMark = regexp.MustCompile(`^\[[0-9]+\] `)

// hangingIndent is where continuation lines start: under the text that
// follows the line's bullet, refusal mark, opening quote mark or
// citation number.
func hangingIndent(line, lead string) int {
	rest := line[len(lead):]
	n := len(lead)
	switch {
	case strings.HasPrefix(rest, "• "), strings.HasPrefix(rest, "! "):
		n += 2
	case strings.HasPrefix(rest, "“"):
		n++
	default:
		if m := citationMark.FindString(rest); m != "" {
			n += len(m)
		}
	}
	return n
}
