package near

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pair is one labelled row of testdata/pairs.tsv.
type pair struct {
	a, b string
	copy bool   // label "copy"; "new" is false
	half string // "dev" or "held"
	kind string
}

func loadPairs(t testing.TB) []pair {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "pairs.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []pair
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		s := sc.Text()
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		c := strings.Split(s, "\t")
		if len(c) != 5 || c[2] != "copy" && c[2] != "new" || c[3] != "dev" && c[3] != "held" {
			t.Fatalf("pairs.tsv:%d: want a, b, copy|new, dev|held, kind: %q", line, s)
		}
		out = append(out, pair{a: c[0], b: c[1], copy: c[2] == "copy", half: c[3], kind: c[4]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// body returns the body of testdata/articles/name.txt: what follows its
// front matter (title and source), as the engine hands it to Sign.
func body(t testing.TB, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "articles", name+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	if rest, ok := strings.CutPrefix(s, "---\n"); ok {
		_, b, found := strings.Cut(rest, "\n---\n")
		if !found {
			t.Fatalf("%s: front matter not closed", name)
		}
		s = b
	}
	return strings.TrimSpace(s)
}

// signatures signs every article the pairs name, once.
func signatures(t testing.TB, pairs []pair) map[string]Signature {
	t.Helper()
	sigs := map[string]Signature{}
	for _, p := range pairs {
		for _, n := range []string{p.a, p.b} {
			if _, ok := sigs[n]; !ok {
				sigs[n] = Sign(body(t, n))
			}
		}
	}
	return sigs
}
