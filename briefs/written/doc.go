// Package written is the pipeline's written-answers stage: it lets a
// language model phrase an answer from the sentences extractive question
// answering retrieves, and keeps only what the articles support.
//
// The model is reached through Writer, which adapters/llm implements; this
// package has no network. Its stages, each in its own file:
//
//   - guard.go: candidate sentences that address a model ("ignore previous
//     instructions…") are never shown to it, so an article cannot steer it;
//   - verify.go: each claim the model returns is kept only if its cites
//     exist, its quotes are verbatim, its figures, digits and names appear
//     in the sentences it cites, and most of its content words do too;
//   - written.go: Service ties them together with a per-answer timeout, a
//     bound on concurrent model calls and a cache, and falls back to the
//     extractive answer whenever the model fails or nothing survives.
//
// Whatever the model writes, what a reader sees is either a claim that
// passed these checks, shown with the verbatim sentences it cites, or the
// extractive answer: the model is never trusted, only checked.
package written
