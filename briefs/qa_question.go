package briefs

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// qaIntent is what a question asks for: its content terms, the answer type it
// expects and the named things it is about.
type qaIntent struct {
	words    []string  // lower-case question words as words() gives them
	terms    []qaQword // content words, in question order
	want     uint16    // answer-type features a good answer sentence has
	prefer   uint16    // the best of want (a place for "where"), when some are fallbacks
	strict   bool      // an answer without one of want is no answer
	quote    bool      // the question asks what someone said
	entities []string  // capitalised names and numbers, as written
	// speaker is the normalised head word of X in "what did X say": the
	// answer must quote X or have X as the subject of a speech verb.
	speaker string
	// focus is the normalised head noun of "what is the X (of …)": when
	// the corpus never uses X nor a synonym, nothing in it answers.
	focus string
	// counted are the normalised words of N in "how many N": the best
	// answer counts them ("About 1,200 people take it").
	counted []string
	// generic: the question asks about the story as a whole ("what
	// happened?"), answered by its lead points.
	generic bool
}

// qaQword is one content word of a question.
type qaQword struct {
	term   string  // normalised (qaNorm)
	surf   string  // as written, lower case
	weight float64 // importance within the question
	entity bool    // a name or number: the corpus must know it
	// required: an answer must contain it (a follow-up's new constraint).
	required bool
	// event: the participle of a passive question ("when was the chair
	// elected?"); required when the corpus uses the word at all, since a
	// text that never does may state the event in other words.
	event bool
}

// Words that only say what kind of answer is wanted, or are too generic to
// retrieve anything, beyond the shared stop list.
var qaQuestionStop = setOf("tell", "please", "know", "article", "articles", "story", "stories",
	"report", "much", "many", "long", "often", "far", "big", "large", "old", "happen",
	"happened", "kind", "sort", "type", "name", "called", "call", "exactly", "really",
	"actually", "anything", "something", "thing", "things", "else", "get", "got", "mean", "does",
	// "Where is X located?" asks where X is; the answer rarely says
	// "located".
	"located", "situated")

// qaWeakWords retrieve little on their own; they still count at a discount.
var qaWeakWords = setOf("say", "said", "think", "make", "made", "go", "went", "take", "took",
	"come", "use", "used", "way", "like", "want", "year", "years", "time", "people", "new")

// qaAnalyze classifies the question and extracts its terms.
func qaAnalyze(question string) qaIntent {
	question = qaCleanQuestion(question)
	in := qaIntent{words: words(question)}
	ws := in.words
	in.generic = qaIsGeneric(ws)
	has := func(i int, w string) bool { return i < len(ws) && ws[i] == w }
	typeWords := map[string]bool{}  // say only what kind of answer is wanted
	focusWords := map[string]bool{} // say it, and may also be in the answer
	for i, w := range ws {
		switch w {
		case "when":
			in.want |= fDate | fPeriod
			in.strict = true
		case "who", "whom", "whose":
			in.want |= fPerson | fEntity
			in.prefer |= fPerson
			// "Who founded it?" wants a name: a sentence naming no one
			// does not answer. "Who is Jo Baker?" wants what the text says
			// of Jo Baker, which need not name anyone else.
			if !has(i+1, "is") && !has(i+1, "was") && !has(i+1, "are") && !has(i+1, "were") {
				in.strict = true
			}
		case "where":
			in.want |= fPlace | fEntity
			in.prefer |= fPlace
			// A place is a name: "where" is not answered without one.
			in.strict = true
		case "why":
			in.want |= fReason
		case "how":
			switch {
			case has(i+1, "much") && qaMoneyQuestion(ws):
				in.want |= fMoney
				in.strict = true
			case has(i+1, "much"), has(i+1, "big"), has(i+1, "large"), has(i+1, "old"), has(i+1, "tall"), has(i+1, "far"):
				in.want |= fNumber | fMoney | fPercent
				in.strict = true
			case has(i+1, "many"):
				in.want |= fNumber
				in.strict = true
				// The word after "many" is what is counted, or the
				// first word of it ("how many bus routes").
				if j := i + 2; j < len(ws) && !isStop(ws[j]) && !qaQuestionStop[ws[j]] {
					in.counted = append(in.counted, qaNorm(ws[j]))
				}
			case has(i+1, "long"):
				in.want |= fPeriod | fDate | fNumber
				in.strict = true
			case has(i+1, "often"):
				in.want |= fNumber | fPeriod
			}
		case "percent", "percentage", "share", "proportion":
			if i > 0 && (ws[i-1] == "what" || ws[i-1] == "which" || ws[i-1] == "a" || ws[i-1] == "market") || i == 0 {
				in.want |= fPercent
				in.strict = true
				typeWords[w] = true
			}
		case "year", "date", "day", "month", "decade", "century":
			if i > 0 && (ws[i-1] == "what" || ws[i-1] == "which") {
				in.want |= fDate
				in.strict = true
				typeWords[w] = true
			}
		case "amount", "cost", "price", "worth":
			if i > 0 && (ws[i-1] == "what" || ws[i-1] == "the") {
				in.want |= fMoney | fNumber
			}
			// "What is the (stock) price of …": a price is a figure; a
			// sentence about pricing without one does not answer.
			if w == "price" && qaAsksWhat(ws, i) {
				in.want |= fMoney | fNumber
				in.strict = true
			}
		case "country", "countries", "city", "cities", "state", "town", "county", "region", "continent":
			// "In what country is Normandy?" asks for a place, which the
			// answer may name ("a region in France") without the word: the
			// word still counts, at a discount.
			if i > 0 && (ws[i-1] == "what" || ws[i-1] == "which") {
				in.want |= fPlace | fEntity
				in.prefer |= fPlace
				in.strict = true
				focusWords[w] = true
			}
		case "color", "colour", "colors", "colours":
			// "What color is …" wants a colour word, not any sentence
			// about the thing. The word stays a term: a colour in an idiom
			// ("red ink") of a sentence that never speaks of colour is
			// no answer.
			if qaAsksWhat(ws, i) {
				in.want |= fColor
				in.strict = true
			}
		case "say", "said", "quote", "quoted", "remark", "remarked", "tell", "told":
			in.quote = true
		case "money", "sum", "cash", "dollars":
			// "How much money comes from reserves?": the sum in the
			// sentence is the money; the word itself need not be there.
			if in.want&fMoney != 0 {
				typeWords[w] = true
			}
		}
	}
	in.speaker = qaSpeakerOf(ws)
	focus, det := qaWhatFocus(ws)
	if focus != "" && det && !qaRelationNouns[focus] {
		in.focus = qaNorm(focus)
		// "What is the deficit?", "what is the new fare?": a measure is
		// answered by its figure, though a sentence without one may still
		// say what it is.
		if in.want == 0 && qaMeasureNouns[focus] {
			in.want = fNumber | fMoney | fPercent
		}
	}
	event := qaPassiveEvent(ws)
	if in.quote && in.want == 0 {
		in.want = fQuote
	}
	caps := qaCapitalisedWords(question)
	for _, w := range ws {
		if isStop(w) || qaQuestionStop[w] || typeWords[w] {
			continue
		}
		qw := qaQword{term: qaNorm(w), surf: w, weight: 1}
		if qaWeakWords[w] || focusWords[w] {
			qw.weight = 0.4
		}
		if caps[w] || qaIsNumberWord(w) && w[0] >= '0' && w[0] <= '9' {
			qw.entity = true
			qw.weight = 1.5
		}
		if w == event && !qw.entity {
			// "When was the chair elected?": a date of something else
			// in a sentence about the chair does not answer.
			qw.event = true
		}
		dup := false
		for _, t := range in.terms {
			if t.term == qw.term {
				dup = true
			}
		}
		if !dup {
			in.terms = append(in.terms, qw)
		}
	}
	in.entities = qaEntityPhrases(question)
	return in
}

// qaRelationNouns head "what is the X of/between …" questions without
// naming a thing the text must mention ("what is the difference between
// A and B").
var qaRelationNouns = setOf("difference", "differences", "meaning", "definition", "purpose",
	"point", "reason", "cause", "effect", "role", "function", "significance", "relationship",
	"relation", "origin", "idea", "goal", "example", "process", "status", "result", "story",
	"term", "word", "best", "first", "last", "main", "same")

// qaMeasureNouns name quantities: "what is the X" asks for a figure.
var qaMeasureNouns = setOf("deficit", "shortfall", "surplus", "budget", "fare", "fares", "fee",
	"fees", "price", "cost", "population", "salary", "wage", "revenue", "income", "profit",
	"loss", "debt", "rate", "total", "size", "height", "length", "width", "depth", "weight",
	"area", "capacity", "value", "tax", "toll", "rent", "score", "temperature", "speed",
	"distance", "age", "number", "amount", "turnout", "ridership", "attendance", "margin",
	"balance", "valuation", "estimate", "tally", "count")

// qaSpeakerOf returns the head word of X in "what did/does/has X say…"
// (the last content word before the speech verb), or "" when X is absent,
// a pronoun (a follow-up resolves it) or the question is of another form.
func qaSpeakerOf(ws []string) string {
	if len(ws) < 4 || ws[0] != "what" {
		return ""
	}
	switch ws[1] {
	case "did", "does", "do", "has", "have", "had", "will", "would", "is", "was", "are", "were":
	default:
		return ""
	}
	for j := 2; j < len(ws); j++ {
		if !qaSpeechVerbs[ws[j]] {
			continue
		}
		for k := j - 1; k >= 2; k-- {
			w := ws[k]
			if isStop(w) || qaQuestionStop[w] {
				continue
			}
			return qaNorm(w)
		}
		return ""
	}
	return ""
}

// qaWhatFocus returns the head noun of "what/which is/was the X (of …)"
// and whether X came with a determiner (a definite description, not a
// name: "what is Remarkable Alexa?" asks what the name stands for).
func qaWhatFocus(ws []string) (string, bool) {
	i := 0
	switch {
	case len(ws) >= 3 && (ws[0] == "what" || ws[0] == "which") &&
		(ws[1] == "is" || ws[1] == "was" || ws[1] == "are" || ws[1] == "were"):
		i = 2
	case len(ws) >= 2 && (ws[0] == "what's" || ws[0] == "whats"):
		i = 1
	case len(ws) >= 2 && ws[0] == "what" && (ws[1] == "the" || ws[1] == "a" || ws[1] == "an"):
		// "what's the fare": words() drops the "'s".
		i = 1
	default:
		return "", false
	}
	det := false
	switch ws[i] {
	case "the", "a", "an", "its", "their", "his", "her":
		det = true
		i++
	}
	head := ""
	for ; i < len(ws); i++ {
		w := ws[i]
		if isStop(w) || qaQuestionStop[w] {
			break
		}
		head = w
	}
	return head, det
}

// qaPassiveEvent returns the participle of a passive wh-question, "when
// was the chair elected?", "where was she born?": the event asked about,
// which the answer sentence must state. "" for any other form.
func qaPassiveEvent(ws []string) string {
	if len(ws) < 4 || ws[0] != "when" && ws[0] != "where" {
		return ""
	}
	switch ws[1] {
	case "was", "were", "is", "are":
	default:
		return ""
	}
	last := ws[len(ws)-1]
	if isStop(last) || qaQuestionStop[last] || qaIsNumberWord(last) {
		return ""
	}
	if len(last) > 4 && (strings.HasSuffix(last, "ed") || strings.HasSuffix(last, "en")) {
		return last
	}
	if l, ok := qaIrregular[last]; ok && l != last {
		return last
	}
	return ""
}

// qaAsksWhat reports whether word i of a question is the thing a what/which
// question asks for: "what color is", "what is the stock price of".
func qaAsksWhat(ws []string, i int) bool {
	for j := i - 1; j >= 0 && j >= i-4; j-- {
		switch ws[j] {
		case "what", "which", "what's":
			return true
		case "of", "for", "in", "on", "to", "with", "by":
			return false
		}
	}
	return false
}

// qaMoneyQuestion reports whether a "how much" question is about money.
func qaMoneyQuestion(ws []string) bool {
	for _, w := range ws {
		switch w {
		case "lose", "lost", "losing", "cost", "costs", "pay", "paid", "spend", "spent", "earn",
			"earned", "make", "made", "worth", "raise", "raised", "invest", "invested", "money",
			"sell", "sold", "charge", "charged", "price", "revenue", "profit", "loss", "fine", "fined":
			return true
		}
	}
	return false
}

// qaCapitalisedWords returns the lower-cased words of s written with a
// capital, except the first word and the pronoun I: in a question those are
// names the corpus must contain to answer.
func qaCapitalisedWords(s string) map[string]bool {
	out := map[string]bool{}
	for i, tok := range strings.Fields(s) {
		for _, w := range words(tok) {
			r, _ := utf8.DecodeRuneInString(strings.TrimLeftFunc(tok, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }))
			if i > 0 && unicode.IsUpper(r) && !isStop(w) {
				out[w] = true
			}
		}
	}
	return out
}

// qaEntityPhrases groups consecutive capitalised words (after the first word)
// and numbers of the question into phrases, as written, for the decline
// message.
func qaEntityPhrases(s string) []string {
	var out []string
	var cur []string
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
		if i > 0 && (unicode.IsUpper(r) && !isStop(strings.ToLower(w)) || unicode.IsDigit(r)) {
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
