package briefs

import (
	"strings"
	"unicode"
)

// qaCleanQuestion prepares a question as people type it in chat for
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
// words() splits on any space and punctuation and folds ’ into '.
func qaCleanQuestion(q string) string {
	// Unescaped first: "&lt;@U123&gt;" is a mention too.
	q = qaEntityReplacer.Replace(q)
	q = qaStripMarkup(q)
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

var qaEntityReplacer = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&",
	"&quot;", "\"", "&#39;", "'", "&apos;", "'", "&nbsp;", " ")

// qaStripMarkup removes <…> platform markup: mentions, channel and role
// links, special mentions, custom emoji and timestamps are dropped; a
// <url|label> link keeps its label, a bare <url> is dropped. Anything else
// between angle brackets is left as typed.
func qaStripMarkup(q string) string {
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
		if !qaIsMarkup(inner) {
			b.WriteString(q[:i+1])
			q = q[i+1:]
			continue
		}
		b.WriteString(q[:i])
		b.WriteByte(' ')
		if k := strings.IndexByte(inner, '|'); k >= 0 && qaIsLink(inner) {
			b.WriteString(inner[k+1:])
			b.WriteByte(' ')
		}
		q = q[i+j+1:]
	}
}

func qaIsMarkup(inner string) bool {
	if inner == "" || strings.ContainsAny(inner, "\n<") {
		return false
	}
	switch inner[0] {
	case '@', '#', '!', ':':
		return true
	}
	return strings.HasPrefix(inner, "a:") || strings.HasPrefix(inner, "t:") || qaIsLink(inner)
}

func qaIsLink(inner string) bool {
	for _, p := range [...]string{"http://", "https://", "mailto:"} {
		if strings.HasPrefix(inner, p) {
			return true
		}
	}
	return false
}

// qaGenericWords are what a question about the story as a whole is made
// of ("what happened?", "what's going on?", "what is this about?",
// "give me the gist"); qaGenericCues are the words that make it one.
var (
	qaGenericCues = setOf("happen", "happened", "happening", "happens", "going", "news",
		"story", "summary", "summarize", "summarise", "gist", "overview", "latest",
		"headline", "headlines", "about", "tldr", "tl;dr", "recap", "new", "up")
	qaGenericWords = setOf("what", "what's", "whats", "is", "was", "are", "the", "a", "this",
		"it", "that", "these", "all", "so", "far", "on", "give", "me", "us", "tell", "please",
		"can", "could", "you", "quick", "short", "brief", "main", "key", "point", "points",
		"in", "here", "there", "today", "and", "of", "just", "has", "have", "been", "did",
		"does", "do", "there's", "it's", "today's", "hey", "hi", "ok", "okay", "story's")
)

// qaIsGeneric reports whether ws asks about the story as a whole rather
// than for a fact: every word is a generic one and one of them is a cue.
func qaIsGeneric(ws []string) bool {
	cue := false
	for _, w := range ws {
		switch {
		case qaGenericCues[w]:
			cue = true
		case qaGenericWords[w]:
		default:
			return false
		}
	}
	return cue
}
