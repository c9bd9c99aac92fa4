package text

import "fmt"

// The lexicon, continued: the words of figures (package facts) and of
// sentences that cannot stand alone in a brief (package summary).

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

// MonthNumbers map the first three letters of a month's name to its
// number ("sep" → "09").
var MonthNumbers = func() map[string]string {
	out := make(map[string]string, len(monthNames))
	for i, m := range monthNames {
		out[m[:3]] = fmt.Sprintf("%02d", i+1)
	}
	return out
}()

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
