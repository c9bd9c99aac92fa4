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
	"estimate", "predict", "describe", "elaborate", "retort", "grumble", "plead", "pledge",
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
	"bred": "breed", "built-in": "build", "clung": "cling", "crept": "creep", "dug": "dig",
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

// Months are the month names and their abbreviations.
var Months = NewSet("january", "february", "march", "april", "may", "june", "july", "august",
	"september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul",
	"aug", "sep", "sept", "oct", "nov", "dec")

// MonthAbbrevs are the abbreviations alone ("Jan.", "Sept.").
var MonthAbbrevs = NewSet("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")

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
var Magnitudes = NewSet("hundred", "thousand", "million", "billion", "trillion", "k", "m", "bn", "mn", "tn")

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
		"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
		"vs", "v", "approx", "ca", "cf", "ave", "blvd", "rd", "e.g", "i.e", "mme", "mlle", "sra", "fr")
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

// Question words and the words around them that say what kind of answer a
// question wants (used by the question analysis of package rank).
var (
	// WhWords open a question.
	WhWords = NewSet("what", "which", "who", "whom", "whose", "when", "where", "why", "how",
		"what's", "who's", "where's", "when's", "why's", "how's", "whats")
	// QuestionFillers say what kind of answer is wanted, or are too
	// generic to retrieve anything, beyond the stop words.
	QuestionFillers = NewSet("tell", "please", "know", "article", "articles", "story", "stories",
		"much", "many", "long", "often", "far", "big", "large", "old", "kind", "sort", "type",
		"name", "exactly", "really", "actually", "anything", "something", "thing", "things",
		"else", "get", "got", "does", "located", "situated", "happen", "happened")
	// DateNouns after "what"/"which" ask for a date ("what year").
	DateNouns = NewSet("year", "years", "date", "day", "month", "decade", "century", "era", "time", "period")
	// PlaceNouns after "what"/"which" ask for a place ("in what country").
	PlaceNouns = NewSet("country", "countries", "city", "cities", "state", "states", "town", "county",
		"region", "continent", "province", "place", "island", "nation", "capital", "village", "area")
	// PersonNouns after "what"/"which" ask for a person ("which actor").
	PersonNouns = NewSet("person", "people", "man", "woman", "actor", "actress", "singer", "player",
		"president", "author", "writer", "king", "queen", "leader", "team", "band", "artist", "character")
	// MoneyWords make a "how much" question one about money.
	MoneyWords = NewSet("lose", "lost", "losing", "cost", "costs", "pay", "paid", "spend", "spent",
		"earn", "earned", "make", "made", "worth", "raise", "raised", "invest", "invested", "money",
		"sell", "sold", "charge", "charged", "price", "revenue", "profit", "loss", "fine", "fined",
		"budget", "fund", "funding", "salary", "fare", "fee", "fees", "dollars", "cash")
	// MoneyNouns say only that a sum is wanted ("how much money").
	MoneyNouns = NewSet("money", "sum", "cash", "funds", "amount")
	// MeasureNouns name quantities: "what is the X" asks for a figure.
	MeasureNouns = NewSet("deficit", "shortfall", "surplus", "budget", "fare", "fares", "fee",
		"fees", "price", "cost", "population", "salary", "wage", "revenue", "income", "profit",
		"loss", "debt", "rate", "total", "size", "height", "length", "width", "depth", "weight",
		"area", "capacity", "value", "tax", "toll", "rent", "score", "temperature", "speed",
		"distance", "age", "number", "amount", "turnout", "ridership", "attendance", "margin")
	// Copulas link a subject to what defines it ("X is a …").
	Copulas = NewSet("is", "are", "was", "were", "refers", "means", "describes", "denotes")
)

// Follow-up phrases of a conversation, compared with a question's words
// joined by single spaces.
var (
	// MoreRequests ask for more on the same question.
	MoreRequests = NewSet("more", "tell me more", "go on", "continue", "keep going", "anything else",
		"what else", "and", "more please", "tell me more please", "more details", "what more",
		"say more", "can you tell me more", "tell me more about that", "more about that",
		"anything more", "what else do they say", "what else do the articles say", "and then", "then what")
	// ConstraintOpeners start a question that only narrows the last one.
	ConstraintOpeners = []string{"and ", "what about ", "how about ", "what of ", "and what about ", "same for ", "but "}
	// AddresseeVerbs take the person spoken to as their object ("told
	// reporters"), never the speaker.
	AddresseeVerbs = NewSet("tell", "tells", "told", "telling", "warn", "warns", "warned", "warning",
		"urge", "urges", "urged", "urging", "remind", "reminds", "reminded", "assure", "assured", "assures")
	// OtherWords ask for something besides what was given.
	OtherWords = NewSet("else", "other", "more", "again", "another")
)

// A question about the story as a whole ("what happened?", "what's going
// on?", "give me the gist") is made of GenericWords and holds one of the
// GenericCues.
var (
	GenericCues = NewSet("happen", "happened", "happening", "happens", "going", "news",
		"story", "summary", "summarize", "summarise", "gist", "overview", "latest",
		"headline", "headlines", "about", "tldr", "tl;dr", "recap", "new", "up")
	GenericWords = NewSet("what", "what's", "whats", "is", "was", "are", "the", "a", "this",
		"it", "that", "these", "all", "so", "far", "on", "give", "me", "us", "tell", "please",
		"can", "could", "you", "quick", "short", "brief", "main", "key", "point", "points",
		"in", "here", "there", "today", "and", "of", "just", "has", "have", "been", "did",
		"does", "do", "there's", "it's", "today's", "hey", "hi", "ok", "okay", "story's")
)

// The words below serve the entities-and-quotes stage (package quotes).

// irregularPlurals are the nouns among Irregular's forms.
var irregularPlurals = NewSet("men", "women", "children", "people", "feet", "teeth", "mice",
	"geese", "lives", "wives", "knives", "leaves", "halves", "thieves", "built-in")

// PastForms are the irregular verb forms ("took", "gave", "told"); filled
// from Irregular.
var PastForms = func() Set {
	out := Set{}
	for f, l := range Irregular {
		if !irregularPlurals[f] && f != l {
			out[f] = true
		}
	}
	return out
}()

// CommonVerbs are frequent present-tense verbs that end a subject phrase
// ("The company continues to…", "She believes…").
var CommonVerbs = NewSet("continues", "continue", "remains", "aims", "wants", "plans", "seeks",
	"hopes", "calls", "describes", "sees", "believes", "thinks", "expects", "promises", "vows",
	"pledges", "needs", "gets", "goes", "makes", "takes", "gives", "puts", "keeps", "knows")

// ClauseWords open a clause: walking back from a verb, a subject stops at one.
var ClauseWords = NewSet("that", "and", "but", "while", "as", "because", "when", "after",
	"before", "since", "if", "which", "who", "so", "though", "although", "where", "whom")

// LyNonAdverbs end in -ly yet are no adverbs.
var LyNonAdverbs = NewSet("italy", "family", "apply", "supply", "reply", "ally", "july", "early",
	"only", "rally", "belly", "bully", "jelly", "lily", "holy", "ugly", "silly", "daily", "weekly",
	"monthly", "yearly", "likely", "lonely", "friendly", "elderly", "assembly", "anomaly", "comply",
	"multiply", "fly", "rely", "butterfly", "monopoly", "homily", "folly")

// TimeAdverbs stand between a subject and its verb without ending it ("Lee
// later said", "she also told").
var TimeAdverbs = NewSet("also", "later", "then", "once", "again", "previously", "recently",
	"earlier", "first", "still", "never", "often", "always", "repeatedly", "simply", "even",
	"already", "now", "since", "ultimately", "finally", "subsequently", "separately")

// NameParticles are lower-case words inside a person's name ("Ludwig van
// Beethoven", "María de la Cruz", "Osama bin Laden").
var NameParticles = NewSet("de", "da", "del", "della", "di", "do", "dos", "das", "du", "van",
	"von", "der", "den", "ter", "ten", "la", "le", "bin", "binti", "bint", "ibn", "al", "el",
	"y", "e", "zu", "af", "av", "mac", "ap", "ben", "st")

// DeterminerWords open a description ("the engineer", "a spokeswoman").
var DeterminerWords = NewSet("the", "a", "an", "this", "that", "its", "his", "her", "their",
	"our", "one", "another", "some", "several", "two", "three", "many")

// Collectives stand for an organisation as a speaker ("the company said",
// "the ministry said"): their head nouns besides OrgSuffixes.
var Collectives = NewSet("company", "firm", "group", "retailer", "giant", "business",
	"corporation", "campaign", "government", "administration", "team", "organization",
	"organisation", "department", "agency", "ministry", "council", "committee", "party",
	"statement", "spokesperson", "spokesman", "spokeswoman", "office", "police", "army",
	"military", "court", "board", "union", "state", "city", "county", "magazine", "newspaper",
	"paper", "network", "outlet", "website", "site", "report", "study", "survey", "letter")

// PhrasalSpeech are two-word speech verbs ("went on", "shot back"): the
// first word alone is no speech verb.
var PhrasalSpeech = NewSet("went on", "goes on", "going on", "shot back", "fired back", "hit back",
	"pointed out", "points out", "chimed in", "chimes in", "weighed in", "spoke up", "cut in",
	"put it", "puts it", "summed up", "sums up", "went further", "followed up", "wrote back",
	"called out", "cried out", "spoke out", "speaks out", "said of", "says of")

// CompanyNouns stand for the article's main organisation ("the company
// said", "the firm’s statement").
var CompanyNouns = NewSet("company", "firm", "corporation", "retailer", "giant", "business",
	"group", "maker", "manufacturer", "carrier", "chain", "startup", "conglomerate", "insurer",
	"lender", "bank", "automaker", "airline", "publisher", "developer", "operator", "brand")

// OtherPronouns are the personal pronouns Pronouns leaves out: first and
// second person and "it", which state no gender.
var OtherPronouns = NewSet("i", "me", "we", "us", "you", "it")

// Coordinators join clauses; a quotation opening with one goes on with
// earlier speech ("and we lost years of work").
var Coordinators = NewSet("and", "but", "or", "so", "nor", "yet")

// Prepositions head the phrases that follow a name or open a sentence ("an
// adviser at the bank", "In 2019, …").
var Prepositions = NewSet("of", "at", "for", "in", "with", "on", "by", "from", "to", "after",
	"before", "during", "since", "under", "over", "about", "into", "through", "against")

// DescribingVerbs describe what follows rather than quote it ("described
// the plan as “a gamble”"); NamingVerbs holds the naming ones.
var DescribingVerbs = NewSet("described", "describes", "describing", "describe", "deemed",
	"considered", "hailed", "billed")

// Figures (package facts): the words that give a figure its value.

// NotCounted follow a number without being what it counts ("turns 6 next
// Friday", "at 10:21 a.m.", "3 times").
var NotCounted = NewSet("next", "last", "ago", "later", "earlier", "times", "percent", "a.m", "p.m",
	"a.m.", "p.m.", "am", "pm", "o'clock", "each", "apiece", "per", "old", "straight", "consecutive")

// CollectiveNouns are counted without a plural -s ("200 staff", "40 police").
var CollectiveNouns = NewSet("police", "staff", "personnel", "cattle", "livestock", "crew", "sheep", "fish", "deer")

// NumberValues are the values of the numbers written as words ("twenty
// five" is 20 + 5); "a" counts one ("a billion dollars").
var NumberValues = map[string]float64{
	"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
	"fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
	"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

// MagnitudeValues scale the number before them ("25bn", "3 million").
var MagnitudeValues = map[string]float64{
	"hundred": 1e2, "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6,
	"billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "dozen": 12,
}

// CurrencySigns map a currency sign, with its country prefix, to its ISO
// code, longest first so "US$" wins over "$". "¥" is read as yen, its more
// common use in English news.
var CurrencySigns = []struct{ Sign, Code string }{
	{"US$", "USD"}, {"NZ$", "NZD"}, {"HK$", "HKD"}, {"A$", "AUD"}, {"C$", "CAD"}, {"S$", "SGD"},
	{"$", "USD"}, {"€", "EUR"}, {"£", "GBP"}, {"¥", "JPY"}, {"₹", "INR"},
}

// CurrencyCodes map a currency written out, or its code, to the ISO code.
var CurrencyCodes = map[string]string{
	"dollars": "USD", "euros": "EUR", "pounds": "GBP", "sterling": "GBP", "yen": "JPY",
	"yuan": "CNY", "rupees": "INR", "usd": "USD", "eur": "EUR", "gbp": "GBP", "jpy": "JPY",
	"cny": "CNY", "inr": "INR",
}

// MonthNumbers map the first three letters of a month's name to its number.
var MonthNumbers = map[string]string{
	"jan": "01", "feb": "02", "mar": "03", "apr": "04", "may": "05", "jun": "06", "jul": "07",
	"aug": "08", "sep": "09", "oct": "10", "nov": "11", "dec": "12",
}

// PartOrdinals number the parts of a year ("first quarter" is Q1).
var PartOrdinals = map[string]string{
	"first": "1", "second": "2", "third": "3", "fourth": "4", "1st": "1", "2nd": "2", "3rd": "3",
	"4th": "4", "final": "last", "last": "last",
}

// Summary (package summary): what makes a sentence unfit to stand alone.

// LeaningOpeners start a sentence that leans on the one before it ("They
// highlighted…", "However, …", "This comes after…"): read alone, it is not
// understood.
var LeaningOpeners = NewSet("he", "she", "they", "it", "its", "his", "her", "their", "them", "him",
	"this", "that", "these", "those", "there", "however", "but", "and", "or", "nor", "so", "yet",
	"still", "also", "additionally", "instead", "meanwhile", "moreover", "furthermore", "besides",
	"unfortunately", "fortunately", "then", "thus", "hence", "therefore", "otherwise", "nonetheless",
	"nevertheless", "likewise", "similarly", "conversely", "indeed", "anyway", "here", "such",
	"both", "neither", "either", "another", "others", "afterwards", "later", "earlier")

// BoilerplateOpeners start the furniture of a news page rather than news:
// notes to readers, calls to action, bylines and credits.
var BoilerplateOpeners = []string{
	"editor's note", "click here", "scroll down", "read more", "sign up", "subscribe", "follow us",
	"follow him", "follow her", "copyright", "all rights reserved", "this story has been",
	"this article", "watch:", "watch the", "photo:", "image:", "video:", "getty images",
	"advertisement", "related:", "see also", "share this", "e-mail to a friend", "email to a friend",
	"the associated press contributed", "reporting by", "correction:",
}
