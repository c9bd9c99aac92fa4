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

	"github.com/alexa-brief/alexa-brief/briefs/text"
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
		// Hidden files and folders (.git, .DS_Store, editor backups) are
		// no articles, whatever their extension.
		if p != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
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
	// ErrFrontMatter: the file opens front matter and never closes it, so
	// where the body starts is a guess; better to say so than to take the
	// metadata for the article's first sentence.
	ErrFrontMatter = errors.New("front matter opened with --- but never closed (add a line --- after its last key)")
)

// ParseArticle parses one article file: optional front matter between two
// "---" lines (title, source, url, published, author; other keys are
// ignored), then the body. The body is kept as written apart from a byte
// order mark and surrounding blank space (CRLF line ends included), so
// citations are substrings of the file itself.
func ParseArticle(id string, data []byte) (Article, error) {
	a := Article{ID: id}
	if !utf8.Valid(data) {
		return a, ErrNotUTF8
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	// CRLF line ends are kept: a citation that spans a hard-wrapped line
	// must be a substring of the file as written, and the segmenter reads
	// "\r" as the space it is.
	text := string(data)
	body, meta, ok, err := frontMatter(text)
	if err != nil {
		return a, err
	}
	if ok {
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
// A "---" line followed by "key: value" with no closing "---" is
// ErrFrontMatter; a "---" followed by prose is a rule, part of the body.
func frontMatter(text string) (body string, meta map[string]string, ok bool, err error) {
	t := strings.TrimLeft(text, " \t\r\n")
	if !strings.HasPrefix(t, "---") {
		return text, nil, false, nil
	}
	first, rest, found := strings.Cut(t, "\n")
	if !found || strings.TrimSpace(first) != "---" {
		return text, nil, false, nil
	}
	meta = map[string]string{}
	for {
		line, after, more := strings.Cut(rest, "\n")
		if strings.TrimSpace(line) == "---" {
			return after, meta, true, nil
		}
		if k, v, isKV := metaLine(line); isKV {
			meta[k] = v
		}
		if !more {
			if len(meta) > 0 {
				return text, nil, false, ErrFrontMatter
			}
			// No closing line and no key: a rule, not front matter.
			return text, nil, false, nil
		}
		rest = after
	}
}

// metaLine parses "key: value" (the key one word, the value optionally
// quoted).
func metaLine(line string) (k, v string, ok bool) {
	k, v, ok = strings.Cut(line, ":")
	k = strings.ToLower(strings.TrimSpace(k))
	if !ok || k == "" || strings.ContainsAny(k, " \t") {
		return "", "", false
	}
	v = strings.TrimSpace(v)
	if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
		v = v[1 : len(v)-1]
	}
	return k, v, true
}

// deriveTitle makes a title for an article without one: a leading Markdown
// heading or short first line if there is one, else the first sentence.
// A long sentence is cut at its first clause break past 40 characters, or
// else at a word boundary, so the title still reads as a phrase.
func deriveTitle(body string) string {
	body = strings.TrimSpace(body)
	if h, _, ok := headline(body); ok {
		return truncateWords(h, maxTitle)
	}
	first, _, _ := strings.Cut(body, "\n")
	s := first
	if sp := text.Segment(body); len(sp) > 0 {
		s = strings.Join(strings.Fields(body[sp[0].Start:sp[0].End]), " ")
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

// headline returns the heading an article's text opens with: a Markdown
// "# heading" line, or a short first line without final punctuation
// followed by more text ("Transit board approves route cuts"). end is the
// byte offset in text where that line ends. A headline is the title, not
// a sentence of the body: the segmenter leaves it out.
func headline(body string) (h string, end int, ok bool) {
	lead := len(body) - len(strings.TrimLeft(body, " \t\r\n"))
	first, rest, multi := strings.Cut(body[lead:], "\n")
	end = lead + len(first)
	first = strings.TrimSpace(first)
	if t := strings.TrimLeft(first, "#"); t != first {
		t = strings.TrimSpace(t)
		return t, end, t != ""
	}
	n := utf8.RuneCountInString(first)
	if !multi || strings.TrimSpace(rest) == "" || n > 2*maxTitle || !strings.ContainsFunc(first, unicode.IsLetter) {
		return "", 0, false
	}
	if strings.ContainsAny(lastRuneOf(first), ".!?…:;,”\"’'") {
		if h, ok := stoppedHeadline(first, rest); ok {
			return h, end, true
		}
		return "", 0, false
	}
	if n > maxTitle {
		return "", 0, false
	}
	next, _, _ := strings.Cut(rest, "\n")
	next = strings.TrimSpace(next)
	switch {
	case next == "":
		return first, end, true // a blank line after it
	case isLowerStart(next):
		return "", 0, false // hard-wrapped body going on mid-sentence
	case n >= 60:
		// As long as a wrapped line: a headline only if it does not stop
		// on a word that cannot end one ("…powered by the").
		f := strings.Fields(first)
		if text.IsStop(strings.ToLower(f[len(f)-1])) {
			return "", 0, false
		}
	}
	return first, end, true
}

// stoppedHeadline reports whether first, a first line ending in
// punctuation and followed by rest, is still a headline (some feeds end
// their titles with a period: "Senate panel backs water bill."). It must
// be alone in its paragraph (a blank line after it) and read as a
// headline: title-cased ("Wash Post Fact-Check: If Obama Says It, It’s
// True."), or one short sentence stating what the next paragraph, the
// lead, goes on to say — at least half its content terms recur there — or
// standing above a lead that opens with a dateline, where a story's body
// begins ("DALLAS (AP) — …"). A lead
// sentence that opens an article in a paragraph of its own is long and
// says more than the next paragraph repeats. The title is the line
// without its final period.
func stoppedHeadline(first, rest string) (string, bool) {
	body := strings.TrimLeft(rest, " \t\r")
	if !strings.HasPrefix(body, "\n") {
		return "", false
	}
	next, _, _ := strings.Cut(strings.TrimLeft(body, " \t\r\n"), "\n\n")
	switch {
	case titleCased(first):
		// Prose never capitalises every content word: even a long or
		// two-sentence line so written is a headline ("Senators Agree. Will
		// the House?").
	case utf8.RuneCountInString(first) > maxTitle || len(text.Segment(first)) != 1 || !restated(first, next) && text.Dateline(next) == 0:
		return "", false
	}
	return strings.TrimSuffix(first, "."), true
}

// titleCased reports a line whose content words (stop words aside) all
// open with a capital, at least three of them.
func titleCased(line string) bool {
	n := 0
	for _, f := range strings.Fields(line) {
		f = strings.TrimLeftFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		r, _ := utf8.DecodeRuneInString(f)
		if !unicode.IsLetter(r) || text.IsStop(strings.ToLower(text.Fold(f))) {
			continue
		}
		if !unicode.IsUpper(r) {
			return false
		}
		n++
	}
	return n >= 3
}

// restated reports whether at least half of line's content terms recur in
// para.
func restated(line, para string) bool {
	in := map[string]bool{}
	for _, t := range text.Terms(para) {
		in[t] = true
	}
	n, shared := 0, 0
	for _, t := range text.Terms(line) {
		if text.IsNumber(t) {
			continue
		}
		n++
		if in[t] {
			shared++
		}
	}
	return n >= 3 && 2*shared >= n
}

// skipIntro drops an introductory clause ("Despite becoming a household
// name, …") so that a long first sentence yields its main clause as title.
func skipIntro(s string) string {
	first, _, _ := strings.Cut(s, " ")
	if !text.ClauseOpeners[strings.ToLower(first)] {
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
