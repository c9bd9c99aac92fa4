package rank

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// Type is a set of answer types: what a question asks for, or what a
// sentence holds.
type Type uint16

// Answer types.
const (
	Date Type = 1 << iota
	Money
	Count
	Percent
	Person
	Place
	Reason
	Definition
	Name // any capitalised name
)

// Figure is any kind of number.
const Figure = Money | Count | Percent

// Question is what a question asks: its terms, the answer type it expects,
// its focus and the names it mentions.
type Question struct {
	Text  string   // as asked, cleaned of chat markup
	Words []string // lower-case words, as text.Words gives them
	// Terms are the normalised content words, in order, without
	// duplicates.
	Terms []string
	Wh    string // the question word ("what", "how much", …), "" if none
	Want  Type   // the answer types a good answer sentence holds
	// Focus is the normalised head noun of "what/who is the X (of …)".
	Focus string
	// Counted is the normalised noun of "how many X".
	Counted string
	// Names are the normalised terms written with a capital (after the
	// first word) or in digits: things the corpus must mention.
	Names map[string]bool
	// Entities are the capitalised phrases and numbers as written.
	Entities []string
	// Speaker is the normalised head of X in "what did X say?".
	Speaker string
	// Required terms must all be in an answer sentence (a follow-up's
	// new constraint).
	Required []string
}

// Analyze reads a question.
func Analyze(q string) Question {
	q = CleanQuestion(q)
	ws := text.Words(q)
	out := Question{Text: q, Words: ws, Names: map[string]bool{}}
	has := func(i int, w string) bool { return i >= 0 && i < len(ws) && ws[i] == w }
	typeWords := map[string]bool{} // say only what kind of answer is wanted
	for i, w := range ws {
		if out.Wh != "" {
			break
		}
		switch w {
		case "when", "when's":
			out.Wh, out.Want = "when", Date
		case "who", "whom", "whose", "who's":
			out.Wh, out.Want = "who", Person|Name
			if has(i+1, "is") || has(i+1, "was") || has(i+1, "are") || has(i+1, "were") || w == "who's" {
				// "Who is Jo Baker?" wants what the text says of her,
				// which need not name anyone else.
				out.Want = Definition
			}
		case "where", "where's":
			out.Wh, out.Want = "where", Place|Name
		case "why", "why's":
			out.Wh, out.Want = "why", Reason
		case "how", "how's":
			out.Wh = "how"
			switch {
			case has(i+1, "much") && moneyQuestion(ws):
				out.Wh, out.Want = "how much", Money
			case i+1 < len(ws) && text.DegreeWords[ws[i+1]]:
				out.Wh, out.Want = "how much", Figure
			case has(i+1, "many"):
				out.Wh, out.Want = "how many", Count
				if j := i + 2; j < len(ws) && !text.IsStop(ws[j]) && !text.QuestionFillers[ws[j]] {
					out.Counted = text.Norm(ws[j])
				}
			case has(i+1, "long"):
				out.Wh, out.Want = "how long", Date|Count
			case has(i+1, "often"):
				out.Wh, out.Want = "how often", Count
			}
		case "what", "which", "what's", "whats":
			out.Wh = "what"
			next := ""
			if i+1 < len(ws) {
				next = ws[i+1]
			}
			switch {
			case text.DateNouns[next]:
				out.Want = Date
				typeWords[next] = true
			case text.PlaceNouns[next]:
				// "In what town is the fair?": the answer names the
				// town, rarely with the word.
				out.Want = Place | Name
				typeWords[next] = true
			case text.PersonNouns[next]:
				out.Want = Person | Name
			case text.ShareNouns[next]:
				out.Want = Percent
				typeWords[next] = true
			case next == "is" || next == "are" || next == "was" || next == "were" || w == "what's" || w == "whats" ||
				next == "does" && i+2 < len(ws) && len(ws) <= i+5 && (ws[len(ws)-1] == "mean" || ws[len(ws)-1] == "stand"):
				out.Want = Definition
			}
		}
	}
	out.Speaker = speakerOf(ws)
	if f, det := whatFocus(ws); f != "" && det {
		out.Focus = text.Norm(f)
		if out.Want&^Definition == 0 && text.MeasureNouns[f] {
			out.Want = Figure
		}
	}
	if out.Want&Money != 0 {
		// "How much money comes from reserves?": the sum in the sentence
		// is the money; the word itself need not be there.
		for _, w := range ws {
			if text.MoneyNouns[w] || text.Currencies[w] {
				typeWords[w] = true
			}
		}
	}
	caps := capitalised(q)
	speech := out.Speaker != "" || isSpeechQuestion(ws)
	for _, w := range ws {
		if text.IsStop(w) || text.QuestionFillers[w] || typeWords[w] || text.WhWords[w] {
			continue
		}
		if speech && text.SpeechVerbs[w] {
			continue // "what did X say": the speaking is checked, not the word
		}
		t := text.Norm(w)
		if caps[w] || w[0] >= '0' && w[0] <= '9' {
			out.Names[t] = true
		}
		if !slices.Contains(out.Terms, t) {
			out.Terms = append(out.Terms, t)
		}
	}
	out.Entities = entityPhrases(q)
	return out
}

// moneyQuestion reports whether a "how much" question is about money.
func moneyQuestion(ws []string) bool {
	for _, w := range ws {
		if text.MoneyWords[w] {
			return true
		}
	}
	return false
}

// speakerOf returns the normalised head of X in "what did/does/has X
// say…", or "" (X absent, a pronoun, or another form of question).
func speakerOf(ws []string) string {
	if len(ws) < 4 || ws[0] != "what" || !text.Auxiliaries[ws[1]] && ws[1] != "do" && ws[1] != "have" && ws[1] != "were" && ws[1] != "are" {
		return ""
	}
	for j := 2; j < len(ws); j++ {
		if !text.SpeechVerbs[ws[j]] {
			continue
		}
		for k := j - 1; k >= 2; k-- {
			if w := ws[k]; !text.IsStop(w) && !text.QuestionFillers[w] {
				return text.Norm(w)
			}
		}
		return ""
	}
	return ""
}

// whatFocus returns the head noun of "what/which/who is/was the X (of …)" and
// whether X came with a determiner (a description, not a name).
func whatFocus(ws []string) (string, bool) {
	i := 0
	switch {
	case len(ws) >= 3 && (ws[0] == "what" || ws[0] == "which" || ws[0] == "who") && text.Copulas[ws[1]]:
		i = 2
	case len(ws) >= 2 && (ws[0] == "what's" || ws[0] == "whats"):
		i = 1
	case len(ws) >= 2 && ws[0] == "what" && (ws[1] == "the" || ws[1] == "a" || ws[1] == "an"):
		i = 1 // "what's the fare": text.Words drops the "'s"
	default:
		return "", false
	}
	det := false
	if text.Determiners[ws[i]] {
		det = true
		i++
	}
	head := ""
	for ; i < len(ws); i++ {
		if w := ws[i]; text.IsStop(w) || text.QuestionFillers[w] {
			break
		}
		head = ws[i]
	}
	return head, det
}

// capitalised returns the lower-cased words of s written with a capital,
// except the first word: in a question those are names.
func capitalised(s string) map[string]bool {
	out := map[string]bool{}
	for i, tok := range strings.Fields(s) {
		t := strings.TrimLeftFunc(tok, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		r, _ := utf8.DecodeRuneInString(t)
		if i == 0 || !unicode.IsUpper(r) {
			continue
		}
		for _, w := range text.Words(tok) {
			if !text.IsStop(w) {
				out[w] = true
			}
		}
	}
	return out
}

// entityPhrases groups consecutive capitalised words (after the first)
// and numbers of s into phrases, as written.
func entityPhrases(s string) []string {
	var out, cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, " "))
			cur = cur[:0]
		}
	}
	for i, tok := range strings.Fields(s) {
		w := strings.TrimFunc(tok, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		w = strings.TrimSuffix(strings.TrimSuffix(w, "’s"), "'s")
		if w == "" {
			flush()
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		if i > 0 && (unicode.IsUpper(r) && !text.IsStop(strings.ToLower(w)) || unicode.IsDigit(r)) {
			cur = append(cur, w)
		} else {
			flush()
		}
		if strings.ContainsAny(tok[len(tok)-1:], ",.?!;:") {
			flush()
		}
	}
	flush()
	return out
}

// isSpeechQuestion reports "what did X say", with X a name or a pronoun.
func isSpeechQuestion(ws []string) bool {
	if len(ws) < 3 || ws[0] != "what" {
		return false
	}
	for _, w := range ws[2:] {
		if text.SpeechVerbs[w] {
			return true
		}
	}
	return false
}
