// Package docs holds the project's documentation: the Markdown files in this
// folder, linked from the repository's README.md.
//
// The package has no code of its own. Its test, links_test.go, keeps the
// documentation navigable: every relative link in README.md, BENCHMARKS.md
// and docs/*.md must reach a file of the repository, every #anchor a heading
// of its target (by GitHub's slug rules), every page in docs/ must be linked
// from README.md, and README.md must stay under 300 lines. Run it with
//
//	go test ./docs/
package docs
