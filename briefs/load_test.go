package briefs

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEmbeddedArticles(t *testing.T) {
	arts, err := EmbeddedArticles()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range arts {
		ids = append(ids, a.ID)
		if a.Title == "" || a.Text == "" {
			t.Errorf("article %s: empty title or text", a.ID)
		}
	}
	if got, want := strings.Join(ids, ","), "000_c1f63e7485ba089f,002_26eb1baebe2b0c2e"; got != want {
		t.Errorf("ids = %s, want %s", got, want)
	}
	if got, want := arts[0].Title, "Amazon’s strategy to profit from its Alexa-enabled devices has reportedly fallen short"; got != want {
		t.Errorf("derived title = %q, want %q", got, want)
	}
	if !strings.HasSuffix(arts[0].Text, "“the world’s best personal assistant.”") {
		t.Errorf("article 000 text does not end with its last sentence")
	}
}

func TestLoadDirFrontMatter(t *testing.T) {
	arts, err := LoadDir("testdata/frontmatter")
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 2 {
		t.Fatalf("got %d articles, want 2 (the .csv is no article)", len(arts))
	}
	a, b := arts[0], arts[1]
	want := Article{ID: "alpha", Title: "Acme recalls 2 million kettles", Source: "The Daily Example",
		URL: "https://example.com/acme-kettles", Published: "2024-03-05", Author: "Jo Writer",
		Text: "Acme Corp. recalled 2 million kettles on Tuesday after reports of overheating.\n\nThe company said no injuries had been reported."}
	if a != want {
		t.Errorf("alpha:\n got %+v\nwant %+v", a, want)
	}
	if got, want := b.ID, "beta"; got != want {
		t.Errorf("nested id = %q, want %q", got, want)
	}
	if got, want := b.Text, "Acme shares fell 4.5% on Wednesday.\r\nAnalysts expect more losses."; got != want {
		t.Errorf("beta text (CRLF kept as written) = %q, want %q", got, want)
	}
	if got, want := b.Title, "Acme shares fell 4.5% on Wednesday"; got != want {
		t.Errorf("beta derived title = %q, want %q", got, want)
	}
}

func TestLoadDirErrors(t *testing.T) {
	tmp := t.TempDir()
	dangling := filepath.Join(tmp, "gone.txt")
	if err := os.Symlink(filepath.Join(tmp, "missing"), dangling); err != nil {
		t.Skipf("symlink: %v", err)
	}
	tests := []struct {
		dir      string
		wantFile string // the error names this file
		wantIs   error
	}{
		{"testdata/badutf8", "broken.txt", ErrNotUTF8},
		{"testdata/empty", "blank.txt", ErrEmpty},
		{"testdata/dup", "story", nil},
		{tmp, "gone.txt", nil},
		{"testdata/does-not-exist", "does-not-exist", nil},
		{"testdata/frontmatter/notes.csv", "notes.csv", nil},
		{"testdata/unclosed", "open.md", ErrFrontMatter},
	}
	for _, tt := range tests {
		_, err := LoadDir(tt.dir)
		if err == nil {
			t.Errorf("LoadDir(%s): no error", tt.dir)
			continue
		}
		if !strings.Contains(err.Error(), tt.wantFile) {
			t.Errorf("LoadDir(%s) = %v, want the error to name %s", tt.dir, err, tt.wantFile)
		}
		if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
			t.Errorf("LoadDir(%s) = %v, want errors.Is %v", tt.dir, err, tt.wantIs)
		}
	}
	if _, err := LoadDir(t.TempDir()); err == nil {
		t.Errorf("LoadDir(empty folder): no error")
	}
}

func TestParseArticle(t *testing.T) {
	tests := []struct {
		name, data      string
		wantTitle, text string
	}{
		{"no front matter", "Sales fell. Then rose.", "Sales fell", "Sales fell. Then rose."},
		{"heading", "# Big news\n\nSales fell.", "Big news", "# Big news\n\nSales fell."},
		{"headline line", "Amazon cuts Alexa jobs\nThe company said on Monday it would cut jobs.", "Amazon cuts Alexa jobs", "Amazon cuts Alexa jobs\nThe company said on Monday it would cut jobs."},
		{"a rule, then prose", "---\nSales fell. Then rose.", "Sales fell", "---\nSales fell. Then rose."},
		{"bom", "\ufeffSales fell.", "Sales fell", "Sales fell."},
		{"long first sentence", "Despite becoming a household name, Amazon’s Echo smart speakers, powered by the virtual assistant Alexa, have been a financial drain on the company, racking up billions in losses.",
			"Amazon’s Echo smart speakers, powered by the virtual assistant Alexa", ""},
		{"long without commas", strings.Repeat("word ", 40) + "end.", strings.TrimSpace(strings.Repeat("word ", 18)) + "…", ""},
	}
	for _, tt := range tests {
		a, err := ParseArticle("x", []byte(tt.data))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if a.Title != tt.wantTitle {
			t.Errorf("%s: title = %q, want %q", tt.name, a.Title, tt.wantTitle)
		}
		if tt.text != "" && a.Text != tt.text {
			t.Errorf("%s: text = %q, want %q", tt.name, a.Text, tt.text)
		}
	}
	for _, data := range []string{"---\ntitle: no end\nSales fell.", "---\ntitle: no end", "\n---\r\nsource: x\r\n\r\nSales fell.\r\n"} {
		if _, err := ParseArticle("x", []byte(data)); !errors.Is(err, ErrFrontMatter) {
			t.Errorf("unclosed front matter %q: err = %v, want ErrFrontMatter", data, err)
		}
	}
	if _, err := ParseArticle("x", []byte("---\ntitle: only front matter\n---\n")); !errors.Is(err, ErrEmpty) {
		t.Errorf("front matter only: err = %v, want ErrEmpty", err)
	}
}

// Hidden files and folders (.git, .drafts, .notes.txt) are no articles.
func TestLoadDirSkipsHidden(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"story.txt":             "Acme cut jobs.",
		"sub/other.md":          "Globex hired staff.",
		".hidden.txt":           "Hidden notes.",
		".git/HEAD.txt":         "ref: refs/heads/main",
		".drafts/draft.md":      "A draft.",
		"sub/.cache/cached.txt": "Cached copy.",
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	arts, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range arts {
		ids = append(ids, a.ID)
	}
	if got, want := strings.Join(ids, ","), "story,other"; got != want {
		t.Errorf("ids = %s, want %s", got, want)
	}
}

func TestHeadline(t *testing.T) {
	tests := []struct {
		name, text string
		want       string // "" when the text opens with no headline
	}{
		{"short line", "Transit board approves route cuts\nThe board voted 7 to 2.", "Transit board approves route cuts"},
		{"markdown heading", "# Big news\n\nSales fell.", "Big news"},
		{"blank line after", "Maple Valley transit agency to cut 14 bus routes and raise fares amid shortfall\n\nThe agency voted.", "Maple Valley transit agency to cut 14 bus routes and raise fares amid shortfall"},
		{"a sentence", "Sales fell.\nThen rose.", ""},
		{"one line only", "Transit board approves route cuts", ""},
		{"hard-wrapped", "Amazon’s strategy to profit from its Alexa-enabled devices has\nreportedly fallen short.", ""},
		{"title-cased, with a period", "Senate Panel Backs Water Bill After Long Fight.\n\nThe committee voted on Tuesday.", "Senate Panel Backs Water Bill After Long Fight"},
		{"with a period, restated by the lead", "Mayor to shift staff, money to river towns.\n\nMayor Ana Ruiz is shifting staff and money to the river towns as floods spread.", "Mayor to shift staff, money to river towns"},
		{"with a period, above a dateline", "Skywriters blast the senator.\n\nPASADENA, Calif., Jan. 1 (UPI) — A handful of pilots wrote messages over the parade.", "Skywriters blast the senator"},
		{"a short lead paragraph saying something new", "The council met on Tuesday.\n\nA fire broke out in the harbour overnight, officials said.", ""},
		{"title-cased but not alone in its paragraph", "Senate Panel Backs Water Bill After Long Fight.\nThe committee voted on Tuesday.", ""},
		{"two sentences, title-cased", "Mayor Acts. Will Towns Get Money?\n\nThe mayor acted on Monday.", "Mayor Acts. Will Towns Get Money?"},
		{"two sentences", "The mayor acted. Towns wait for money.\n\nThe mayor acted and towns wait for money.", ""},
		{"long wrapped line ending on a stop word", "Amazon’s Echo smart speakers, powered by the virtual assistant Alexa, and the\nKindle lost money.", ""},
	}
	for _, tt := range tests {
		got, _, ok := headline(tt.text)
		if !ok {
			got = ""
		}
		if got != tt.want {
			t.Errorf("%s: headline = %q, want %q", tt.name, got, tt.want)
		}
	}
}
