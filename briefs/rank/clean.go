package rank

import (
	"strings"
	"unicode"
)

// CleanQuestion prepares a question as people type it in chat for
// analysis: platform markup is not part of what they ask, and a question
// typed in capitals is the same question as in lower case.
//
//   - Slack and Discord mentions and channel links (<@U123>, <@&123>,
//     <#C1|general>, <!here>, <:emoji:1>, <t:1700000000:R>), @everyone,
//     @here and @channel are dropped; a link keeps its label.
//   - HTML entities Slack escapes (&lt; &gt; &amp;) become their characters.
//   - When most words are written in capitals the question is shouted, not
//     full of acronyms: those words are lower-cased, so "WHAT IS THE NEW
//     FARE" is not read as four names the corpus must contain.
//
// Extra spaces, a missing "?" and curly apostrophes need nothing here:
// text.Words splits on any space and punctuation and folds ’ into '.
func CleanQuestion(q string) string {
	// Unescaped first: "&lt;@U123&gt;" is a mention too.
	q = entityReplacer.Replace(q)
	q = stripMarkup(q)
	fields := strings.Fields(q)
	kept := fields[:0]
	for _, f := range fields {
		switch strings.ToLower(strings.TrimRight(f, ",.:;!?")) {
		case "@everyone", "@here", "@channel", "<3", "</3":
			continue
		}
		kept = append(kept, f)
	}
	caps, lettered := 0, 0
	for _, f := range kept {
		hasUpper, hasLower := false, false
		for _, r := range f {
			hasUpper = hasUpper || unicode.IsUpper(r)
			hasLower = hasLower || unicode.IsLower(r)
		}
		if hasUpper || hasLower {
			lettered++
			if hasUpper && !hasLower {
				caps++
			}
		}
	}
	if lettered > 0 && caps*2 > lettered && (caps >= 2 || lettered == 1) {
		for i, f := range kept {
			if strings.ToUpper(f) == f {
				kept[i] = strings.ToLower(f)
			}
		}
	}
	return strings.Join(kept, " ")
}

var entityReplacer = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&",
	"&quot;", "\"", "&#39;", "'", "&apos;", "'", "&nbsp;", " ")

// stripMarkup removes <…> platform markup: mentions, channel and role
// links, special mentions, custom emoji and timestamps are dropped; a
// <url|label> link keeps its label, a bare <url> is dropped. Anything else
// between angle brackets is left as typed.
func stripMarkup(q string) string {
	if !strings.Contains(q, "<") {
		return q
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(q, '<')
		if i < 0 {
			b.WriteString(q)
			return b.String()
		}
		j := strings.IndexByte(q[i:], '>')
		if j < 0 {
			b.WriteString(q)
			return b.String()
		}
		inner := q[i+1 : i+j]
		if !isMarkup(inner) {
			b.WriteString(q[:i+1])
			q = q[i+1:]
			continue
		}
		b.WriteString(q[:i])
		b.WriteByte(' ')
		if k := strings.IndexByte(inner, '|'); k >= 0 && isLink(inner) {
			b.WriteString(inner[k+1:])
			b.WriteByte(' ')
		}
		q = q[i+j+1:]
	}
}

func isMarkup(inner string) bool {
	if inner == "" || strings.ContainsAny(inner, "\n<") {
		return false
	}
	switch inner[0] {
	case '@', '#', '!', ':':
		return true
	}
	return strings.HasPrefix(inner, "a:") || strings.HasPrefix(inner, "t:") || isLink(inner)
}

func isLink(inner string) bool {
	for _, p := range [...]string{"http://", "https://", "mailto:"} {
		if strings.HasPrefix(inner, p) {
			return true
		}
	}
	return false
}
