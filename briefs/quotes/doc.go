// Package quotes is the entities-and-quotes stage of the briefing pipeline:
// it finds the direct speech of an article and names who says it.
//
// People are recognised without any list of names: a run of capitalised
// words is a person when its context says so — it follows an honorific
// ("Ms. Okonjo-Iweala"), stands beside a role noun ("the council's engineer
// Aiyana Redcloud", "Zhang Wei, an analyst"), is the subject or object of a
// speech verb ("said Nguyễn Thị Hoa"), or is a surname reused alone after a
// full name. An organisation suffix ("Ltd", "Council") marks a non-person.
// Gender comes only from what the text states: an honorific, a gendered
// role noun, or the first he/she that can only refer back to the person.
//
// Quotes are attributed from the sentence and its neighbours: "X said",
// "said X", "X, the engineer, told…", "according to X", a paragraph
// introduced by "X said:", a quoted sentence right after one by the same
// speaker, and continuations ("and we lost years of work"). A pronoun
// speaker resolves to the most recent compatible person, preferring
// subjects; "the engineer" resolves to the person introduced with that role.
//
// The general words the rules read (speech verbs, honorifics, role nouns,
// pronouns) come from package text's lexicon; nothing here names a story.
// The rules are written by hand, nothing is fitted; their measure on
// PolNeAR (direct-quote recall, speaker accuracy, per fold with one held
// out) is TestPolNeAR in package eval:
//
//	go test ./briefs/eval -run TestPolNeAR -v -args -eval-data=DIR
package quotes
