package text

import "strings"

// The lexicon: every word list of the engine, in one place (as bleve keeps
// one stop-word file per language). Lists hold general English function
// words, speech verbs, titles and calendar words — nothing about any one
// story. A stage that needs a list asks for it here.

// Set is a set of lower-case words.
type Set map[string]bool

// Has reports whether w is in the set.
func (s Set) Has(w string) bool { return s[w] }

// NewSet builds a set from words.
func NewSet(words ...string) Set {
	m := make(Set, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// union returns a new set of s's words and others'.
func (s Set) union(others ...Set) Set { return union(append([]Set{s}, others...)...) }

func union(sets ...Set) Set {
	out := Set{}
	for _, s := range sets {
		for w := range s {
			out[w] = true
		}
	}
	return out
}

// StopWords are function words that carry no topic.
var StopWords = NewSet(
	"a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
	"are", "aren't", "as", "at", "be", "because", "been", "before", "being", "below", "between",
	"both", "but", "by", "can", "can't", "cannot", "could", "couldn't", "did", "didn't", "do",
	"does", "doesn't", "doing", "don't", "down", "during", "each", "either", "else", "ever",
	"few", "for", "from", "further", "had", "hadn't", "has", "hasn't", "have", "haven't",
	"having", "he", "he'd", "he'll", "her", "here", "hers", "herself", "him", "himself",
	"his", "how", "however", "i", "i'd", "i'll", "i'm", "i've", "if", "in", "into", "is", "isn't",
	"it", "it's", "its", "itself", "just", "let's", "may", "me", "might", "more", "most",
	"must", "mustn't", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once",
	"only", "or", "other", "ought", "our", "ours", "ourselves", "out", "over", "own", "same",
	"shall", "shan't", "she", "she'd", "she'll", "should", "shouldn't", "so", "some", "such",
	"than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these",
	"they", "they'd", "they'll", "they're", "they've", "this", "those", "through", "thus", "to",
	"too", "under", "until", "up", "upon", "us", "very", "was", "wasn't", "we", "we'd", "we'll",
	"we're", "we've", "were", "weren't", "what", "when", "where", "which", "while", "who",
	"whom", "whose", "why", "will", "with", "won't", "would", "wouldn't", "yet", "you",
	"you'd", "you'll", "you're", "you've", "your", "yours", "yourself", "yourselves",
	"what's", "where's", "who's", "how's", "that's", "there's", "here's", "when's", "why's",
	"ain't", "whether", "within", "without", "via", "per", "among", "amid", "onto",
)

// speechLemmas are the verbs that introduce direct or reported speech; every
// inflection of them is in SpeechVerbs.
var speechLemmas = []string{
	"say", "tell", "ask", "add", "write", "reply", "explain", "note", "remark", "continue",
	"insist", "argue", "shout", "wonder", "state", "declare", "comment", "acknowledge", "admit",
	"recall", "quip", "tweet", "post", "respond", "warn", "claim", "announce", "predict",
	"observe", "concede", "caution", "stress", "emphasize", "emphasise", "conclude", "suggest",
	"confirm", "vow", "joke", "boast", "complain", "lament", "exclaim", "whisper", "answer",
	"testify", "assert", "contend", "maintain", "urge", "promise", "recount", "counter",
	"mutter", "scream", "yell", "cry", "sigh", "laugh", "begin", "agree", "deny", "report",
	"estimate", "describe", "elaborate", "retort", "grumble", "plead", "pledge",
	// verbs news copy uses to hand over to a quotation ("the statement
	// read", "protesters chanted")
	"read", "chant", "charge", "assure", "muse", "scoff", "snap", "gush", "reiterate",
	"interject", "demand", "inquire", "murmur", "bellow", "tease", "disagree",
	"quote", "recite", "remind", "propose", "opine", "proclaim", "affirm", "allege",
	"groan", "snarl", "huff", "hiss",
}

// speechIrregular are the irregular forms of speech lemmas.
var speechIrregular = map[string][]string{
	"say": {"said"}, "tell": {"told"}, "write": {"wrote", "written"}, "begin": {"began", "begun"},
}

// SpeechVerbs holds every inflection of the speech lemmas: "said",
// "says", "saying", "told", "warned", "adding".
var SpeechVerbs = func() Set {
	s := Set{}
	for _, l := range speechLemmas {
		for _, f := range Inflections(l) {
			s[f] = true
		}
		for _, f := range speechIrregular[l] {
			s[f] = true
		}
	}
	return s
}()

// Inflections returns the regular verb forms of lemma: the lemma, -s, -ed
// and -ing, with the usual spelling changes (argue → argued, reply →
// replied, quip → quipped).
func Inflections(lemma string) []string {
	n := len(lemma)
	if n < 2 {
		return []string{lemma}
	}
	last, prev := lemma[n-1], lemma[n-2]
	vowel := func(b byte) bool { return b == 'a' || b == 'e' || b == 'i' || b == 'o' || b == 'u' }
	var s, ed, ing string
	switch {
	case last == 'y' && !vowel(prev):
		s, ed, ing = lemma[:n-1]+"ies", lemma[:n-1]+"ied", lemma+"ing"
	case last == 'e':
		s, ed, ing = lemma+"s", lemma+"d", lemma[:n-1]+"ing"
	case last == 's' || last == 'h' && (prev == 's' || prev == 'c') || last == 'x':
		s, ed, ing = lemma+"es", lemma+"ed", lemma+"ing"
	case doubledFinal[lemma] || n <= 4 && vowel(prev) && !vowel(last) && last != 'w' && last != 'y' &&
		(n < 3 || !vowel(lemma[n-3]) || strings.HasPrefix(lemma[n-4:], "qu")):
		// one-syllable verbs ending consonant-vowel-consonant (quip) and
		// two-syllable ones stressed at the end (admit) double it
		s, ed, ing = lemma+"s", lemma+string(last)+"ed", lemma+string(last)+"ing"
	default:
		s, ed, ing = lemma+"s", lemma+"ed", lemma+"ing"
	}
	return []string{lemma, s, ed, ing}
}

// doubledFinal are the verbs of more than one syllable, stressed on the
// last, whose final consonant doubles (admitted, preferred).
var doubledFinal = NewSet("admit", "commit", "omit", "submit", "permit", "transmit", "regret",
	"refer", "prefer", "confer", "defer", "infer", "control", "compel", "rebut", "occur", "patrol")

// Irregular maps irregular verb forms to their lemma, so "lost" meets "lose"
// and "built" meets "build".
var Irregular = map[string]string{
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
	"thrown": "throw", "dealt": "deal", "sought": "seek", "lent": "lend", "left": "leave",
	"found": "find", "got": "get", "gotten": "get", "hit": "hit", "cut": "cut", "put": "put",
	"set": "set", "sat": "sit", "slept": "sleep", "stole": "steal", "stolen": "steal",
	"swore": "swear", "sworn": "swear", "tore": "tear", "torn": "tear", "woke": "wake",
	"forgot": "forget", "forgotten": "forget", "froze": "freeze", "frozen": "freeze",
	"rode": "ride", "ridden": "ride", "shook": "shake", "shaken": "shake", "bore": "bear",
	"borne": "bear", "beat": "beat", "beaten": "beat", "bent": "bend", "bound": "bind",
	"bred": "breed", "clung": "cling", "crept": "creep", "dug": "dig",
	"fed": "feed", "fled": "flee", "flung": "fling", "forbade": "forbid", "forgave": "forgive",
	"hung": "hang", "heard": "hear", "laid": "lay", "lit": "light", "overcame": "overcome",
	"sank": "sink", "sunk": "sink", "shone": "shine", "shrank": "shrink", "slid": "slide",
	"spun": "spin", "sprang": "spring", "stuck": "stick", "stung": "sting", "strove": "strive",
	"swam": "swim", "swum": "swim", "swung": "swing", "understood": "understand", "wept": "weep",
	"withdrew": "withdraw", "withdrawn": "withdraw", "wound": "wind", "wrung": "wring",
	"undertook": "undertake", "overtook": "overtake", "arose": "arise", "arisen": "arise",
	"was": "be", "were": "be", "been": "be", "is": "be", "are": "be", "am": "be",
	"had": "have", "has": "have", "did": "do", "done": "do", "does": "do",
	"men": "man", "women": "woman", "children": "child", "people": "person", "feet": "foot",
	"teeth": "tooth", "mice": "mouse", "geese": "goose", "lives": "life", "wives": "wife",
	"knives": "knife", "leaves": "leaf", "halves": "half", "thieves": "thief",
}

// Honorifics precede a name and tell its gender where they can.
var Honorifics = map[string]Gender{
	"mr": Male, "mrs": Female, "ms": Female, "miss": Female, "mx": Unknown, "dr": Unknown,
	"prof": Unknown, "sir": Male, "dame": Female, "lady": Female, "lord": Male, "madam": Female,
	"madame": Female, "mme": Female, "mlle": Female, "monsieur": Male, "herr": Male, "frau": Female,
	"señor": Male, "señora": Female, "sr": Unknown, "sra": Female, "rev": Unknown, "fr": Male,
	"sen": Unknown, "rep": Unknown, "gov": Unknown, "gen": Unknown, "lt": Unknown, "col": Unknown,
	"sgt": Unknown, "capt": Unknown, "cmdr": Unknown, "adm": Unknown, "maj": Unknown, "hon": Unknown,
	"pres": Unknown, "supt": Unknown, "insp": Unknown, "det": Unknown, "judge": Unknown,
}

// Gender of a person as far as the text tells.
type Gender int8

const (
	Unknown Gender = iota
	Male
	Female
)

// Pronouns maps third-person personal pronouns to their gender (Unknown for
// the plural or neutral "they").
var Pronouns = map[string]Gender{
	"he": Male, "him": Male, "his": Male, "himself": Male,
	"she": Female, "her": Female, "hers": Female, "herself": Female,
	"they": Unknown, "them": Unknown, "their": Unknown, "theirs": Unknown,
}

// GenderedNouns are role nouns that state a gender.
var GenderedNouns = map[string]Gender{
	"man": Male, "woman": Female, "spokesman": Male, "spokeswoman": Female, "chairman": Male,
	"chairwoman": Female, "congressman": Male, "congresswoman": Female, "businessman": Male,
	"businesswoman": Female, "father": Male, "mother": Female, "son": Male, "daughter": Female,
	"husband": Male, "wife": Female, "brother": Male, "sister": Female, "king": Male,
	"queen": Female, "prince": Male, "princess": Female, "actor": Male, "actress": Female,
	"boy": Male, "girl": Female, "uncle": Male, "aunt": Female, "grandfather": Male,
	"grandmother": Female, "widow": Female, "widower": Male, "councilman": Male,
	"councilwoman": Female, "policeman": Male, "policewoman": Female,
}

// RoleNouns name what a person is or does: "the council's engineer",
// "spokesperson", "the chief executive". A capitalised phrase beside one is
// a person; with an article they stand for a person already named.
var RoleNouns = union(NewSet(
	"ceo", "cfo", "coo", "cto", "svp", "evp", "vp", "president", "founder", "cofounder", "co-founder",
	"spokesperson", "analyst", "director", "executive", "manager", "secretary", "chief", "head",
	"officer", "economist", "researcher", "reporter", "judge", "lawyer", "attorney", "coach",
	"leader", "mayor", "general", "governor", "senator", "minister", "employee", "engineer",
	"author", "editor", "partner", "investor", "professor", "scientist", "commissioner", "star",
	"singer", "player", "prosecutor", "sheriff", "chancellor", "premier", "pope", "bishop",
	"captain", "chair", "member", "official", "spokesman", "representative", "adviser", "advisor",
	"aide", "strategist", "consultant", "expert", "teacher", "student", "resident", "owner",
	"worker", "staffer", "staff", "doctor", "nurse", "physician", "surgeon", "planner",
	"architect", "designer", "developer", "programmer", "founder", "inventor", "writer",
	"columnist", "correspondent", "journalist", "critic", "historian", "lecturer", "dean",
	"principal", "superintendent", "treasurer", "auditor", "inspector", "detective", "officer",
	"trooper", "soldier", "veteran", "farmer", "activist", "organizer", "organiser", "campaigner",
	"candidate", "lawmaker", "legislator", "councillor", "councilor", "delegate", "ambassador",
	"diplomat", "envoy", "negotiator", "mediator", "regulator", "administrator", "coordinator",
	"supervisor", "foreman", "operator", "driver", "pilot", "captain", "chef", "artist",
	"musician", "composer", "producer", "filmmaker", "photographer", "athlete", "goalkeeper",
	"striker", "midfielder", "defender", "manager", "trainer", "referee", "umpire", "owner",
	"landlord", "tenant", "shopkeeper", "merchant", "banker", "broker", "trader", "accountant",
	"chairperson", "vice", "deputy", "assistant", "associate", "senior", "principal", "fellow",
	"specialist", "technician", "scholar", "researcher", "pastor", "priest", "rabbi", "imam",
	"monk", "nun", "father", "witness", "victim", "survivor", "neighbor", "neighbour", "friend",
	"colleague", "spouse", "parent", "citizen", "voter", "customer", "user", "patient",
	"agent", "biologist", "chemist", "physicist", "economist",
	"fisherman", "fisherwoman", "spokeswoman", "pollster", "host", "anchor", "commentator",
	"mayor", "councilmember", "nominee", "contender", "frontrunner", "challenger", "incumbent",
	"hopeful", "donor", "fundraiser", "surrogate", "attorney", "counsel", "pastor", "reverend",
), NewSet(keysOf(GenderedNouns)...))

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// OrgSuffixes end an organisation's name ("Acme Corp", "the Ministry"); a
// capitalised phrase holding one is not a person.
var OrgSuffixes = NewSet(
	"inc", "corp", "corporation", "co", "ltd", "llc", "plc", "gmbh", "ag", "sa", "nv", "bv",
	"group", "company", "companies", "university", "college", "school", "bank", "institute",
	"agency", "department", "ministry", "council", "committee", "party", "fund", "foundation",
	"association", "society", "union", "federation", "commission", "authority", "board",
	"court", "office", "center", "centre", "hospital", "clinic", "museum", "library", "church",
	"times", "journal", "post", "news", "press", "herald", "tribune", "gazette", "review",
	"magazine", "network", "media", "studios", "labs", "technologies", "systems", "services",
	"holdings", "partners", "capital", "ventures", "industries", "airlines", "motors",
	"street", "avenue", "road", "bridge", "river", "lake", "mountain", "park", "square",
	"city", "county", "state", "states", "province", "republic", "kingdom", "island", "islands",
	"house", "hall", "tower", "station", "airport", "port", "harbour", "harbor", "district",
	"prize", "award", "awards", "cup", "league", "championship", "olympics", "festival",
	"act", "bill", "treaty", "accord", "plan", "program", "programme", "project", "initiative",
	"day", "week", "month", "year", "war", "summit", "conference", "forum",
)

// monthNames are the months in calendar order: Months, MonthAbbrevs and
// MonthNumbers are all derived from them.
var monthNames = []string{"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"}

// MonthAbbrevs are the abbreviations alone ("Jan.", "Sept."): each month's
// first three letters, "sept" too, and none for "may", which is its own.
var MonthAbbrevs = func() Set {
	s := NewSet("sept")
	for _, m := range monthNames {
		if len(m) > 3 {
			s[m[:3]] = true
		}
	}
	return s
}()

// Months are the month names and their abbreviations.
var Months = union(NewSet(monthNames...), MonthAbbrevs)

// Weekdays are the days of the week.
var Weekdays = NewSet("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

// TimeWords mark a date or time without a digit.
var TimeWords = NewSet("today", "yesterday", "tomorrow", "tonight", "q1", "q2", "q3", "q4",
	"century", "centuries", "decade", "decades", "quarter", "spring", "summer", "autumn", "winter")

// PeriodUnits measure a span of time ("three years", "18 months").
var PeriodUnits = NewSet("year", "years", "month", "months", "week", "weeks", "day", "days",
	"hour", "hours", "minute", "minutes", "decade", "decades", "century", "centuries")

// NumberWords are numbers written as words.
var NumberWords = NewSet("one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
	"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
	"eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
	"ninety", "hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion",
	"billions", "trillion", "trillions", "dozen", "dozens", "half")

// Magnitudes scale a number ("$25 billion").
var Magnitudes = NewSet("hundred", "k", "m", "bn", "mn", "tn").union(ScaleWords)

// ScaleWords are the magnitudes written out that follow a number in a sum
// ("25 billion dollars").
var ScaleWords = NewSet("thousand", "million", "billion", "trillion")

// Currencies are currency words that follow a number.
var Currencies = NewSet("dollar", "dollars", "euro", "euros", "pound", "pounds", "cents", "cent",
	"yen", "yuan", "usd", "eur", "gbp", "rupee", "rupees", "franc", "francs", "won", "peso", "pesos",
	"rand", "krona", "kronor", "krone", "kroner", "real", "reais", "ruble", "rubles", "lira")

// PercentWords express a percentage.
var PercentWords = NewSet("percent", "percentage", "pct", "per cent")

// ColorWords are basic colour terms.
var ColorWords = NewSet("red", "orange", "yellow", "green", "blue", "purple", "violet", "pink",
	"brown", "black", "white", "gray", "grey", "silver", "gold", "golden", "beige", "cyan",
	"magenta", "indigo", "turquoise", "maroon", "navy", "crimson", "scarlet", "teal", "amber")

// ReasonWords introduce a cause.
var ReasonWords = NewSet("because", "due", "since", "reason", "result", "order",
	"cause", "caused", "causes", "response", "thanks", "owing", "so")

// PlacePreps precede a place name.
var PlacePreps = NewSet("in", "at", "near", "from", "across", "outside", "inside")

// Auxiliaries stand between a subject and its verb ("she has said").
var Auxiliaries = NewSet("will", "would", "has", "had", "have", "is", "was", "can", "could",
	"did", "does", "may", "might", "should", "must", "shall")

// Determiners open a noun phrase that describes rather than names ("the
// port's director", "its founder").
var Determiners = NewSet("the", "a", "an", "one", "its", "their", "his", "her")

// ClauseOpeners begin an introductory clause ("Despite becoming a household
// name, …") that a title skips for its main clause.
var ClauseOpeners = NewSet("despite", "although", "though", "while", "as", "after", "when", "since", "if",
	"because", "under", "in", "on", "following", "amid", "with", "for", "once", "before", "during")

// NamingVerbs name or describe what follows ("called “the future”") rather
// than introduce speech.
var NamingVerbs = NewSet("called", "calls", "call", "calling", "dubbed", "dubs", "dubbing",
	"named", "names", "naming", "nicknamed", "branded", "labelled", "labeled", "termed", "known",
	"titled", "entitled", "as", "like", "word", "words", "term", "phrase", "slogan", "motto")

// Abbreviations the segmenter must not split after.
var (
	// TitleAbbrevs are followed by a name or number: never a sentence end.
	TitleAbbrevs = NewSet(
		"mr", "mrs", "ms", "dr", "prof", "sen", "rep", "reps", "gov", "gen", "lt", "col", "sgt", "capt",
		"cmdr", "adm", "maj", "st", "mt", "ft", "rev", "hon", "pres", "supt", "insp", "det", "messrs",
		"vs", "v", "approx", "ca", "cf", "ave", "blvd", "rd", "e.g", "i.e", "mme", "mlle", "sra", "fr",
	).union(MonthAbbrevs) // "Jan. 5"
	// NumAbbrevs precede a number ("No. 1").
	NumAbbrevs = NewSet("no", "nos", "vol", "vols", "fig", "figs", "pp", "art", "sec", "ch")
	// SuffixAbbrevs often end a sentence, but need not.
	SuffixAbbrevs = NewSet(
		"inc", "corp", "co", "ltd", "al", "llc", "plc", "jr", "sr", "bros", "cos", "etc", "a.m", "p.m", "ph.d",
		"esq", "dept", "univ", "assn", "mass", "calif", "fla", "ariz", "wash", "ill", "mich", "penn")
	// Openers start sentences often enough to end one after "U.S." or "Inc.".
	Openers = NewSet(
		"however", "meanwhile", "despite", "still", "yet", "although", "since", "last", "now",
		"instead", "according", "earlier", "later", "shares", "analysts", "officials", "critics")
	// TimeZones follow "a.m." and "p.m." inside a sentence.
	TimeZones = NewSet("eastern", "pacific", "central", "mountain", "et", "pt", "ct", "mt", "gmt",
		"utc", "bst", "cet", "est", "edt", "pst", "pdt", "local", "time")
)
