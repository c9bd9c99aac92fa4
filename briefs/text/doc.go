// Package text is the first stage of the briefing pipeline: it segments an
// article into paragraphs and sentences, pairs quotation marks, splits words
// and normalises them (accent folding, lemmas of irregular forms, Snowball
// stems), and holds the engine's one lexicon (lexicon*.go, a file per
// stage that reads it). Every later stage — entities and quotes, facts,
// ranking, summary — reads text through this package, so a word list or a
// normaliser exists once.
//
// It knows no story: nothing here names a product, person or place.
package text
