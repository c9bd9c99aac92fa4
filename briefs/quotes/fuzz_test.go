package quotes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzExtract checks Extract's contract on any text: no panic, every quote
// inside its sentence and the article, in text order, with a speaker.
func FuzzExtract(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.txt"))
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(string(data))
		}
	}
	for _, s := range []string{
		"“", "”", "“a b c d", "Mr. “x y z w,” he said.", "‘’‘", "A B C D E F said “x y z w”",
		"“Hi,” said the.", "He said: \n\n“a b c d\n\n“e f g h,” she said.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		if !utf8.ValidString(doc) {
			return
		}
		prev := -1
		for _, q := range Extract(doc, nil) {
			if q.Text.Start < q.Sentence.Start || q.Text.End > q.Sentence.End || q.Sentence.End > len(doc) || q.Text.Start > q.Text.End {
				t.Fatalf("quote %+v outside its sentence or the article (%d bytes)", q, len(doc))
			}
			if q.Text.Start < prev {
				t.Fatalf("quotes out of order: %+v", q)
			}
			prev = q.Text.Start
			if strings.TrimSpace(q.Speaker) == "" {
				t.Fatalf("quote %q without a speaker", doc[q.Text.Start:q.Text.End])
			}
		}
	})
}
