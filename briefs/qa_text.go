package briefs

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Question-answering vocabulary: the normalisation of words shared by the
// index and the questions, synonym groups for paraphrased questions, and the
// answer-type features of sentences.

// qaNorm maps a lower-case word to the term the QA index stores: irregular
// verb forms are brought to their lemma before stemming, so "lost" meets
// "lose" and "built" meets "build".
func qaNorm(w string) string {
	w = qaFold(w)
	if l, ok := qaIrregular[w]; ok {
		w = l
	}
	return stem(w)
}

// qaFold drops the accents of Latin letters, so a question typed without
// them ("Perez", "cafe") meets the text that has them ("Pérez", "café").
func qaFold(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return w
	}
	var b strings.Builder
	for _, r := range w {
		if f, ok := qaFoldMap[r]; ok {
			b.WriteRune(f)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var qaFoldMap = func() map[rune]rune {
	m := map[rune]rune{}
	for base, accented := range map[rune]string{
		'a': "àáâãäåāăą", 'c': "çćĉċč", 'd': "ďđ", 'e': "èéêëēĕėęě", 'g': "ĝğġģ",
		'i': "ìíîïĩīĭįı", 'n': "ñńņňŉ", 'o': "òóôõöøōŏő", 'r': "ŕŗř", 's': "śŝşšș",
		't': "ţťŧț", 'u': "ùúûüũūŭůűų", 'y': "ýÿŷ", 'z': "źżž", 'l': "ĺļľŀł",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()

var qaIrregular = map[string]string{
	"lost": "lose", "built": "build", "made": "make", "said": "say", "says": "say",
	"told": "tell", "sold": "sell", "bought": "buy", "won": "win", "began": "begin",
	"begun": "begin", "wrote": "write", "written": "write", "took": "take",
	"taken": "take", "gave": "give", "given": "give", "went": "go", "gone": "go",
	"came": "come", "saw": "see", "seen": "see", "knew": "know", "known": "know",
	"grew": "grow", "grown": "grow", "led": "lead", "held": "hold", "paid": "pay",
	"spent": "spend", "met": "meet", "ran": "run", "fell": "fall", "fallen": "fall",
	"rose": "rise", "risen": "rise", "thought": "think", "brought": "bring",
	"caught": "catch", "taught": "teach", "fought": "fight", "felt": "feel",
	"kept": "keep", "meant": "mean", "sent": "send", "stood": "stand", "wore": "wear",
	"drove": "drive", "driven": "drive", "chose": "choose", "chosen": "choose",
	"spoke": "speak", "spoken": "speak", "broke": "break", "broken": "break",
	"became": "become", "hid": "hide", "hidden": "hide", "shot": "shoot",
	"struck": "strike", "sang": "sing", "sung": "sing", "flew": "fly", "flown": "fly",
	"ate": "eat", "eaten": "eat", "drew": "draw", "drawn": "draw", "threw": "throw",
	"thrown": "throw", "dealt": "deal", "sought": "seek", "lent": "lend",
	"born": "birth", "died": "die", "dead": "die", "death": "die",
	// Derived nouns that questions swap for their verb ("how much did they
	// lose" for "losses").
	"loss": "lose", "losses": "lose", "sale": "sell", "sales": "sell", "growth": "grow",
	"investment": "invest", "investments": "invest", "departure": "depart",
	"development": "develop", "developments": "develop", "creation": "create",
	"purchase": "buy", "purchases": "buy", "purchased": "buy",
}

// qaSynonymGroups are word families a question may use for the words of the
// text. They are general news and encyclopaedic paraphrases, not tuned to
// any article: a question word matches its group's other members at a
// discount (synonymWeight).
var qaSynonymGroups = [][]string{
	{"lose", "loss", "losses", "deficit"},
	{"deficit", "shortfall", "gap", "hole"},
	{"worry", "worried", "concern", "concerns", "fear", "afraid", "anxious"},
	{"build", "develop", "create", "construct", "make"},
	{"hire", "hired", "employ", "recruit", "staff"},
	{"employee", "worker", "staff", "staffer", "insider"},
	{"ceo", "chief", "boss", "head", "leader", "executive"},
	{"say", "state", "stating", "remark", "tell", "comment", "add", "explain", "note", "according"},
	{"buy", "purchase", "acquire", "acquisition"},
	{"sell", "sale", "sales"},
	{"start", "begin", "launch", "debut", "introduce", "unveil", "open"},
	{"stop", "end", "scrap", "cancel", "dissolve", "axe", "shut", "close"},
	{"company", "firm", "business", "corporation"},
	{"money", "dollar", "cash", "fund", "funding"},
	{"profit", "profitable", "profitability", "earnings", "gain"},
	{"revenue", "income", "turnover"},
	{"cost", "price", "spend", "expense", "invest", "investment"},
	{"device", "gadget", "product", "hardware"},
	{"customer", "user", "consumer", "buyer", "client"},
	{"big", "large", "size", "huge"},
	{"increase", "rise", "grow", "growth", "boost", "climb", "raise"},
	{"decrease", "fall", "drop", "decline", "cut", "trim", "reduce", "shrink"},
	{"problem", "issue", "challenge", "trouble", "difficulty"},
	{"plan", "strategy", "intend", "aim"},
	{"try", "attempt", "seek"},
	{"show", "reveal", "indicate", "suggest", "showcase", "demonstrate"},
	{"help", "assist", "aid", "support"},
	{"leave", "depart", "departure", "quit", "resign"},
	{"join", "connect", "attach", "link", "bind", "bond"},
	{"birth", "bear"},
	{"die", "kill"},
	{"locate", "base", "headquarter"},
	{"write", "author", "writer", "compose"},
	{"marry", "marriage", "wife", "husband", "spouse"},
	{"film", "movie"},
	{"invent", "inventor", "invention"},
	{"famous", "known", "popular", "renowned"},
	{"use", "usage", "utilize"},
	{"job", "role", "position", "post"},
	{"smart", "intelligent"},
	{"country", "nation"},
	{"law", "legislation", "bill"},
	{"win", "victory", "beat", "defeat", "champion"},
	{"war", "conflict", "battle"},
	{"car", "vehicle", "automobile"},
	{"child", "kid", "children"},
	{"doctor", "physician"},
	{"price", "pricing"},
	{"ai", "intelligence"},
	{"play", "portray", "star", "act", "role"},
	{"sing", "perform", "singer", "performer"},
	{"make", "manufacture", "manufacturer", "produce", "producer", "maker"},
	{"own", "owner", "ownership", "possess"},
	{"found", "establish", "founder", "create"},
	{"discover", "discovery", "detect"},
	{"locate", "situate"},
	{"mean", "meaning", "refer", "denote", "definition"},
}

// synonymWeight discounts a match through a synonym against the word itself.
const synonymWeight = 0.6

// qaSynonyms maps a term to the other terms of its groups.
var qaSynonyms = func() map[string][]string {
	m := make(map[string][]string)
	for _, g := range qaSynonymGroups {
		var ts []string
		for _, w := range g {
			ts = append(ts, qaNorm(w))
		}
		for _, t := range ts {
			for _, u := range ts {
				if u != t && !qaContainsStr(m[t], u) {
					m[t] = append(m[t], u)
				}
			}
		}
	}
	return m
}()

func qaContainsStr(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// Answer-type features of a sentence.
const (
	fMoney uint16 = 1 << iota
	fNumber
	fPercent
	fDate
	fPeriod
	fEntity // a capitalised name after the first word
	fPerson // a name next to a person cue (title, role, speech verb)
	fQuote  // direct speech
	fReason
	fPlace
	fFragment // no final punctuation: a caption, heading or list item
	fColor    // a colour word
	fPronoun  // a third-person pronoun: it may stand for a name before it
)

var (
	qaMonthWords = setOf("january", "february", "march", "april", "june", "july", "august",
		"september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul",
		"aug", "sep", "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday",
		"friday", "saturday", "sunday", "today", "yesterday", "tomorrow", "q1", "q2", "q3", "q4",
		"century", "centuries", "decade", "decades", "quarter", "spring", "summer", "autumn", "winter")
	qaPeriodWords = setOf("year", "years", "month", "months", "week", "weeks", "day", "days",
		"hour", "hours", "minute", "minutes", "decade", "decades", "century", "centuries", "since", "until", "ago")
	qaNumberWords = setOf("one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
		"ten", "eleven", "twelve", "twenty", "thirty", "forty", "fifty", "hundred", "hundreds",
		"thousand", "thousands", "million", "millions", "billion", "billions", "trillion",
		"dozen", "dozens", "half", "first", "second", "third")
	qaMoneyWords = setOf("dollar", "dollars", "euro", "euros", "pound", "pounds", "cents",
		"yen", "yuan", "usd", "eur", "gbp", "rupees", "francs")
	qaPercentWords = setOf("percent", "percentage", "pct")
	qaAnaphora     = setOf("it", "its", "they", "them", "their", "he", "him", "his", "she", "her")
	qaColorWords   = setOf("red", "orange", "yellow", "green", "blue", "purple", "violet", "pink",
		"brown", "black", "white", "gray", "grey", "silver", "gold", "golden", "beige", "cyan",
		"magenta", "indigo", "turquoise", "maroon", "navy", "crimson", "scarlet", "teal", "amber")
	qaReasonWords = setOf("because", "due", "since", "reason", "result", "after", "order",
		"cause", "caused", "causes", "led", "response", "thanks", "owing", "so")
	qaPersonCues = setOf("ceo", "president", "chief", "founder", "director", "spokesperson",
		"spokesman", "spokeswoman", "minister", "senator", "judge", "svp", "vp", "chairman",
		"mr", "mrs", "ms", "dr", "said", "says", "told", "stated", "stating", "remarked",
		"wrote", "born", "actor", "actress", "singer", "player", "author", "writer",
		"professor", "executive", "manager", "head", "leader", "king", "queen", "who", "he", "she", "his", "her")
)

// qaSentenceFeatures derives the answer types a sentence can answer from its
// words and raw text.
func qaSentenceFeatures(text string, ws []string) uint16 {
	var f uint16
	var grouped map[string]bool // "1,200"-like substrings of text, built on the first year
	for i, w := range ws {
		c := w[0]
		if c >= '0' && c <= '9' {
			year := qaIsYear(w)
			if year && grouped == nil {
				grouped = qaGroupedThousands(text)
			}
			switch {
			case year && !grouped[w[:1]+","+w[1:]]:
				// "1,200 people" is a count, not the year 1200.
				f |= fDate
			case i > 0 && qaMonthWords[ws[i-1]], i+1 < len(ws) && qaMonthWords[ws[i+1]]:
				f |= fDate // the day of a date, not a count
			default:
				f |= fNumber
			}
			if i+1 < len(ws) && qaPeriodWords[ws[i+1]] {
				f |= fPeriod
			}
			continue
		}
		switch {
		case qaPercentWords[w]:
			f |= fPercent | fNumber
		case qaMonthWords[w]:
			f |= fDate
		case qaPeriodWords[w] && (w == "since" || w == "until" || w == "ago"):
			f |= fPeriod
		case qaNumberWords[w]:
			f |= fNumber
		case qaReasonWords[w]:
			f |= fReason
		case qaColorWords[w]:
			f |= fColor
		case qaAnaphora[w]:
			f |= fPronoun
		}
		if qaMoneyWords[w] && i > 0 && (qaIsNumberWord(ws[i-1])) {
			f |= fMoney
		}
	}
	if strings.ContainsAny(text, "$€£¥") {
		f |= fMoney | fNumber
	}
	if strings.ContainsAny(text, "“”\"") {
		f |= fQuote
	}
	f |= qaCapitalFeatures(text)

	if t := strings.TrimRight(text, " \t\n"); t != "" {
		r, _ := utf8.DecodeLastRuneInString(t)
		if !strings.ContainsRune(".!?\"”’')…;", r) {
			f |= fFragment
		}
	}
	return f
}

func qaIsNumberWord(w string) bool {
	return w != "" && (w[0] >= '0' && w[0] <= '9' || qaNumberWords[w])
}

// qaGroupedThousands lists every "d,ddd" substring of text, so that each
// year-like word is checked against it in constant time: searching the
// sentence once per year was quadratic in a sentence full of numbers.
func qaGroupedThousands(text string) map[string]bool {
	out := map[string]bool{}
	digit := func(b byte) bool { return b >= '0' && b <= '9' }
	for i := 1; i+3 < len(text); i++ {
		if text[i] == ',' && digit(text[i-1]) && digit(text[i+1]) && digit(text[i+2]) && digit(text[i+3]) {
			out[text[i-1:i+4]] = true
		}
	}
	return out
}

func qaIsYear(w string) bool {
	if len(w) != 4 {
		return false
	}
	for i := 0; i < 4; i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w >= "1000" && w <= "2199"
}

// qaCapitalFeatures finds capitalised names after the first word, and marks
// a person when a name sits next to a person cue or two capitalised words
// follow each other (a first and last name).
func qaCapitalFeatures(text string) uint16 {
	var f uint16
	first := true
	prevCap, prevCue := false, false
	prevTok := ""
	for _, tok := range strings.Fields(text) {
		before := prevTok
		prevTok = tok
		w := strings.TrimFunc(tok, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if w == "" {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		lw := strings.ToLower(w)
		isCap := unicode.IsUpper(r) && !first && !isStop(lw)
		if isCap {
			f |= fEntity
			if prevCap || prevCue {
				f |= fPerson
			}
		} else if prevCap && qaPersonCues[lw] {
			f |= fPerson
		}
		// A capitalised word after "in", "at", "near" or "from" is likely a
		// place.
		if isCap && qaPlacePreps[before] {
			f |= fPlace
		}
		prevCue = qaPersonCues[lw]
		prevCap = isCap
		first = false
	}
	return f
}

// qaPlacePreps are the locative prepositions before a place name. The
// token just before is checked, not the whole sentence for "in "+token:
// that scan was quadratic in a long sentence of capitalised words.
var qaPlacePreps = map[string]bool{"in": true, "at": true, "near": true, "from": true}
