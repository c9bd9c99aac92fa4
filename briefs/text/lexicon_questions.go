package text

// The lexicon, continued: the words of questions and conversations, read
// by the question analysis of package rank.

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

// Words that make a question ask for a figure or a quotation.
var (
	// DegreeWords after "how" ask for a figure ("how big", "how far");
	// "how much" too, unless it is about money.
	DegreeWords = NewSet("much", "big", "large", "old", "tall", "far")
	// ShareNouns after "what" ask for a percentage ("what share of…").
	ShareNouns = NewSet("percent", "percentage", "share", "proportion")
	// QuoteWords ask for what someone said, beside the speech verbs.
	QuoteWords = NewSet("quote", "quotes", "mention", "mentioned")
)
