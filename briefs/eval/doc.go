// Package eval measures the quality of package briefs against public
// research data sets: ROUGE of the brief on CNN stories next to LEAD-3, and
// answer selection and answer triggering on WikiQA and a SQuAD 2.0 sample.
//
// The benchmark itself is a test behind a flag (see quality_test.go and
// README “Quality, measured”); the data is never part of this module.
//
// The ROUGE scorer reproduces Google's rouge_score (the reference Python
// reimplementation of ROUGE-1.5.5): same tokenizer, same n-gram counting,
// same LCS backtracking and the same summary-level ROUGE-Lsum. Stemming is
// the original Porter algorithm, written here because no well-kept Go
// package implements it: kljensen/snowball is Porter2 (a different
// algorithm, which stems e.g. "generously" and "-ly" words differently), and
// the Go ports of the original (reiver/go-porterstemmer and its forks) have
// had no maintenance for years. The algorithm is short and fixed, and its
// published word pairs make a complete test (see TestPorterStem). rouge_score calls NLTK's PorterStemmer, whose
// default mode adds a few irregular forms ("skies", "dying") on top of
// Porter's reference implementation; those words are rare in news text and
// the reference values of ROUGE-1.5.5 are matched (see rouge_test.go).
package eval
