// Package rank answers questions as learning to rank, in the stages
// Lucene keeps apart: retrieval (Index: BM25 over a corpus's sentences,
// terms the text.Norm of the words that are not stop words), question
// analysis (Analyze: question word, wanted answer type, focus, names), and
// ranking (Model: logistic regressions over general features of each
// question–sentence pair, FeatureNames — pairwise weights that order a
// question's candidates, and a pointwise probability that the best one
// answers, which decides whether it is given). What the caller does with the
// ranking — answer, decline, show the closest sentences — is package
// briefs' business.
//
// The model is data: cmd/train-ranker fits it on WikiQA train, chooses
// its L2 penalty, training subset and decline threshold on WikiQA dev,
// and writes model.json, which is embedded and which a test in
// briefs/eval reproduces from the data. The fit is deterministic
// (Newton's method); the seed only draws cross-validation folds and the
// bootstrap of the threshold rule.
//
// Why a logistic regression written here: the model is some thirty
// weights fitted once on twenty thousand rows, where Newton's method with
// an L2 penalty converges in a few iterations to the one optimum, so a
// rerun gives the same weights and the test can demand them. Of the Go
// libraries, golearn's linear models wrap liblinear through cgo (the
// binary must build with CGO_ENABLED=0) and gonum has the linear algebra
// but no fitting, so a dependency would save little of the hundred lines
// of Fit and solve. Gradient-boosted trees would capture interactions,
// but are harder to reproduce bit for bit and to read in review.
//
// Nothing here knows a story: word lists come from package text.
package rank
