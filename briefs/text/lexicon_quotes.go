package text

// The lexicon, continued: the words the entities-and-quotes stage
// (package quotes) reads.

// irregularPlurals are the nouns among Irregular's forms.
var irregularPlurals = NewSet("men", "women", "children", "people", "feet", "teeth", "mice",
	"geese", "lives", "wives", "knives", "leaves", "halves", "thieves")

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
