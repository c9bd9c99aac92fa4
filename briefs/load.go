package briefs

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

//go:embed corpus/*.txt
var embedded embed.FS

// Default returns the embedded corpus: the two articles in briefs/corpus.
func Default() (*Corpus, error) {
	arts, err := EmbeddedArticles()
	if err != nil {
		return nil, err
	}
	return New(arts)
}

// EmbeddedArticles parses the embedded corpus files.
func EmbeddedArticles() ([]Article, error) {
	return loadFS(embedded, "corpus")
}

// LoadDir reads every *.txt and *.md file under dir (recursively) as one
// article whose id is the file name without its extension. Files are read
// in lexical path order so the corpus, and so its brief, is deterministic.
func LoadDir(dir string) ([]Article, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("briefs: corpus folder: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("briefs: corpus %s is not a folder", dir)
	}
	arts, err := loadFS(os.DirFS(dir), ".")
	if err != nil {
		return nil, err
	}
	if len(arts) == 0 {
		return nil, fmt.Errorf("briefs: corpus folder %s holds no .txt or .md files", dir)
	}
	return arts, nil
}

// loadFS reads the articles under root of fsys. Error messages name files by
// their path inside fsys, which for LoadDir is relative to the folder given.
func loadFS(fsys fs.FS, root string) ([]Article, error) {
	var files []string
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("briefs: read %s: %w", p, err)
		}
		if d.IsDir() {
			return nil
		}
		switch strings.ToLower(path.Ext(p)) {
		case ".txt", ".md":
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	arts := make([]Article, 0, len(files))
	seen := make(map[string]string, len(files))
	for _, p := range files {
		base := path.Base(p)
		id := strings.TrimSuffix(base, path.Ext(base))
		if prev, dup := seen[id]; dup {
			return nil, fmt.Errorf("briefs: duplicate article id %q: %s and %s", id, prev, p)
		}
		seen[id] = p
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("briefs: read %s: %w", p, err)
		}
		a, err := ParseArticle(id, data)
		if err != nil {
			return nil, fmt.Errorf("briefs: %s: %w", filepath.FromSlash(p), err)
		}
		arts = append(arts, a)
	}
	return arts, nil
}

// Errors of ParseArticle, for callers that want to tell them apart.
var (
	ErrEmpty   = errors.New("empty article")
	ErrNotUTF8 = errors.New("text is not valid UTF-8")
)

// ParseArticle parses one article file: optional front matter between two
// "---" lines (title, source, url, published, author; other keys are
// ignored), then the body. The body is kept as written apart from a byte
// order mark, CRLF line ends and surrounding blank space, so offsets into
// Text stay meaningful for citations.
func ParseArticle(id string, data []byte) (Article, error) {
	a := Article{ID: id}
	if !utf8.Valid(data) {
		return a, ErrNotUTF8
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	if body, meta, ok := frontMatter(text); ok {
		text = body
		a.Title = meta["title"]
		a.Source = meta["source"]
		a.URL = meta["url"]
		a.Published = meta["published"]
		a.Author = meta["author"]
	}
	a.Text = strings.TrimSpace(text)
	if a.Text == "" {
		return a, ErrEmpty
	}
	if a.Title == "" {
		a.Title = deriveTitle(a.Text)
	}
	return a, nil
}

// frontMatter splits "---\nkey: value\n---\nbody". Values may be quoted.
func frontMatter(text string) (body string, meta map[string]string, ok bool) {
	t := strings.TrimLeft(text, " \t\n")
	if !strings.HasPrefix(t, "---") {
		return text, nil, false
	}
	first, rest, found := strings.Cut(t, "\n")
	if !found || strings.TrimSpace(first) != "---" {
		return text, nil, false
	}
	meta = map[string]string{}
	for {
		line, after, more := strings.Cut(rest, "\n")
		if strings.TrimSpace(line) == "---" {
			return after, meta, true
		}
		if !more {
			// No closing line: not front matter after all.
			return text, nil, false
		}
		rest = after
		k, v, isKV := strings.Cut(line, ":")
		if !isKV {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
			v = v[1 : len(v)-1]
		}
		meta[k] = v
	}
}

// deriveTitle makes a title for an article without one: a leading Markdown
// heading or short first line if there is one, else the first sentence.
// A long sentence is cut at its first clause break past 40 characters, or
// else at a word boundary, so the title still reads as a phrase.
func deriveTitle(text string) string {
	text = strings.TrimSpace(text)
	first, rest, multi := strings.Cut(text, "\n")
	first = strings.TrimSpace(first)
	if h := strings.TrimLeft(first, "#"); h != first {
		return truncateWords(strings.TrimSpace(h), maxTitle)
	}
	if multi && strings.TrimSpace(rest) != "" && utf8.RuneCountInString(first) <= maxTitle &&
		!strings.ContainsAny(lastRuneOf(first), ".!?”\"") && strings.ContainsFunc(first, unicode.IsLetter) {
		return first // a headline line
	}
	s := first
	if sp := splitSentences(text); len(sp) > 0 {
		s = strings.Join(strings.Fields(text[sp[0].start:sp[0].end]), " ")
	}
	s = strings.TrimRight(s, ". ")
	if utf8.RuneCountInString(s) > maxTitle {
		s = skipIntro(s)
	}
	if utf8.RuneCountInString(s) <= maxTitle {
		return s
	}
	for i, r := range s {
		if r != ',' && r != ';' && r != ':' && r != '—' {
			continue
		}
		if n := utf8.RuneCountInString(s[:i]); n >= 40 && n <= maxTitle {
			return s[:i]
		}
		if utf8.RuneCountInString(s[:i]) > maxTitle {
			break
		}
	}
	return truncateWords(s, maxTitle-10)
}

const maxTitle = 100

// skipIntro drops an introductory clause ("Despite becoming a household
// name, …") so that a long first sentence yields its main clause as title.
func skipIntro(s string) string {
	first, _, _ := strings.Cut(s, " ")
	switch strings.ToLower(first) {
	case "despite", "although", "though", "while", "as", "after", "when", "since", "if", "because",
		"under", "in", "on", "following", "amid", "with", "for", "once", "before", "during":
	default:
		return s
	}
	i := strings.Index(s, ", ")
	if i < 0 || utf8.RuneCountInString(s[:i]) > 60 {
		return s
	}
	rest := s[i+2:]
	r, n := utf8.DecodeRuneInString(rest)
	return string(unicode.ToUpper(r)) + rest[n:]
}

func lastRuneOf(s string) string {
	r, _ := utf8.DecodeLastRuneInString(s)
	return string(r)
}

// truncateWords cuts s to at most max characters at a word boundary,
// adding "…".
func truncateWords(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	cut, n := 0, 0
	for i := range s {
		if n == max {
			break
		}
		if s[i] == ' ' {
			cut = i
		}
		n++
	}
	if cut == 0 {
		cut = len(string([]rune(s)[:max]))
	}
	return strings.TrimRight(s[:cut], " ,;:—–-") + "…"
}
