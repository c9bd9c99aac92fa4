package docs

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// readmeMaxLines is the README's budget: a door to docs/, not a manual.
const readmeMaxLines = 300

// TestLinks checks the repository's own Markdown: README.md, BENCHMARKS.md
// and every docs/*.md.
func TestLinks(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	files := markdownFiles(t, root)
	for _, want := range []string{"README.md", "BENCHMARKS.md"} {
		if !slices.Contains(files, want) {
			t.Errorf("%s is missing", want)
		}
	}
	for _, p := range check(root, files) {
		t.Error(p)
	}
}

// TestReadmeIsADoor keeps README.md short and one click away from every page.
func TestReadmeIsADoor(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "\n"); n >= readmeMaxLines {
		t.Errorf("README.md has %d lines, want fewer than %d: move the detail into docs/", n, readmeMaxLines)
	}
	linked := map[string]bool{}
	for _, l := range parse(string(data)).links {
		target, _, _ := strings.Cut(l.target, "#")
		linked[filepath.Clean(target)] = true
	}
	for _, f := range markdownFiles(t, root) {
		if f != "README.md" && !linked[f] {
			t.Errorf("README.md does not link %s", f)
		}
	}
}

// TestCIRunsReadmeTestCommand keeps the README's test command and CI's the
// same: .ci/run must call the `go test` line of the README's first commands.
func TestCIRunsReadmeTestCommand(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	ci, err := os.ReadFile(filepath.Join(root, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	var cmd string
	for _, line := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(line, "go test ") {
			cmd, _, _ = strings.Cut(line, "#")
			cmd = strings.TrimSpace(cmd)
			break
		}
	}
	if cmd == "" {
		t.Fatal("README.md shows no `go test` command at the start of a line")
	}
	if !strings.Contains(string(ci), cmd) {
		t.Errorf(".ci/run does not run the README's test command %q", cmd)
	}
}

// TestNoMachinePaths keeps the docs runnable on a fresh clone: no absolute
// paths of one machine, no documents from outside the repository.
func TestNoMachinePaths(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range markdownFiles(t, root) {
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			for _, bad := range []string{machineRoot, "SPEC.md"} {
				if strings.Contains(line, bad) {
					t.Errorf("%s:%d: mentions %q, which a fresh clone does not have", f, i+1, bad)
				}
			}
		}
	}
}

// TestCheckFindsBrokenLinks runs the checker on fixtures: it must report every
// broken link of testdata/broken and nothing in testdata/good.
func TestCheckFindsBrokenLinks(t *testing.T) {
	good := check(filepath.Join("testdata", "good"), []string{"README.md", "sub/page.md"})
	if len(good) != 0 {
		t.Errorf("testdata/good: got problems, want none:\n%s", strings.Join(good, "\n"))
	}

	got := check(filepath.Join("testdata", "broken"), []string{"README.md", "sub/page.md"})
	want := []string{
		`README.md:5: link "missing.md": no such file`,
		`README.md:6: link "sub/page.md#no-such-heading": no heading "no-such-heading" in sub/page.md`,
		`README.md:7: link "#nowhere": no heading "nowhere" in README.md`,
		`README.md:8: link "../outside.md": leaves the repository`,
		`README.md:12: link "gone/": no such file`,
		`sub/page.md:3: link "../README.md#setup-1": no heading "setup-1" in README.md`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("testdata/broken:\ngot:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSlug(t *testing.T) {
	for _, tc := range []struct{ heading, want string }{
		{"The local shell", "the-local-shell"},
		{"The briefing engine (`briefs`)", "the-briefing-engine-briefs"},
		{"`alexa-brief digest run`", "alexa-brief-digest-run"},
		{"Option A — Socket Mode (no public URL; good for a laptop)", "option-a--socket-mode-no-public-url-good-for-a-laptop"},
		{"DATABASE_URL", "database_url"},
		{"Quick start: from \"create app\" to a working `/alexa-brief`", "quick-start-from-create-app-to-a-working-alexa-brief"},
		{"What's **new**, [linked](x.md)", "whats-new-linked"},
		{"Größe & Ökonomie", "größe--ökonomie"},
		{"Speed (Go benchmarks) ##", "speed-go-benchmarks"},
	} {
		if got := slug(headingText(tc.heading)); got != tc.want {
			t.Errorf("slug(%q) = %q, want %q", tc.heading, got, tc.want)
		}
	}
}

// markdownFiles lists README.md and the other Markdown files at the root,
// then docs/*.md, as slash paths relative to root.
func markdownFiles(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	for _, pattern := range []string{"*.md", "docs/*.md"} {
		m, err := filepath.Glob(filepath.Join(root, filepath.FromSlash(pattern)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m {
			rel, err := filepath.Rel(root, f)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, filepath.ToSlash(rel))
		}
	}
	return files
}

// check returns one line per broken link in files (slash paths relative to
// root), in file and line order.
func check(root string, files []string) []string {
	var problems []string
	docs := map[string]*doc{} // parsed Markdown by slash path, read on demand
	load := func(p string) (*doc, error) {
		if d, ok := docs[p]; ok {
			return d, nil
		}
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(p)))
		if err != nil {
			return nil, err
		}
		d := parse(string(data))
		docs[p] = d
		return d, nil
	}
	for _, f := range files {
		d, err := load(f)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", f, err))
			continue
		}
		for _, l := range d.links {
			if msg := checkLink(root, f, l.target, load); msg != "" {
				problems = append(problems, fmt.Sprintf("%s:%d: link %q: %s", f, l.line, l.target, msg))
			}
		}
	}
	return problems
}

// checkLink says what is wrong with target, linked from the file from, or "".
func checkLink(root, from, target string, load func(string) (*doc, error)) string {
	if isExternal(target) {
		return ""
	}
	pathPart, anchor, hasAnchor := strings.Cut(target, "#")
	pathPart, _, _ = strings.Cut(pathPart, "?")
	dest := from
	if pathPart != "" {
		if strings.HasPrefix(pathPart, "/") {
			return "absolute path: link relative to this file"
		}
		dest = filepath.ToSlash(filepath.Clean(filepath.Join(filepath.Dir(from), filepath.FromSlash(unescape(pathPart)))))
		if dest == ".." || strings.HasPrefix(dest, "../") {
			return "leaves the repository"
		}
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(dest))); err != nil {
			return "no such file"
		}
	}
	if !hasAnchor || !strings.HasSuffix(strings.ToLower(dest), ".md") {
		return ""
	}
	d, err := load(dest)
	if err != nil {
		return err.Error()
	}
	if !d.anchors[strings.ToLower(unescape(anchor))] {
		return fmt.Sprintf("no heading %q in %s", anchor, dest)
	}
	return ""
}

var schemeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

func isExternal(target string) bool { return schemeRE.MatchString(target) }

// unescape decodes the %XX escapes a link may carry (%20 for a space).
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// doc is what the checker needs of one Markdown file.
type doc struct {
	links   []link
	anchors map[string]bool // GitHub's heading ids, duplicates suffixed -1, -2, …
}

type link struct {
	line   int
	target string
}

var (
	// [text](target "title") and ![alt](target); the target may be in <…>.
	inlineLinkRE = regexp.MustCompile(`!?\[[^\]]*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)`)
	// [label]: target
	refDefRE = regexp.MustCompile(`^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)`)
	atxRE    = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$`)
	setextRE = regexp.MustCompile(`^ {0,3}(=+|-+)[ \t]*$`)
	fenceRE  = regexp.MustCompile("^[ \t]*(`{3,}|~{3,})")
	htmlIDRE = regexp.MustCompile(`<a\s+(?:name|id)="([^"]+)"`)
)

// parse finds the links and heading anchors of a Markdown text, outside
// fenced code blocks and code spans.
func parse(text string) *doc {
	d := &doc{anchors: map[string]bool{}}
	seen := map[string]int{}
	addHeading := func(h string) {
		s := slug(headingText(h))
		if n, ok := seen[s]; ok {
			seen[s] = n + 1
			s = fmt.Sprintf("%s-%d", s, n+1)
		} else {
			seen[s] = 0
		}
		d.anchors[s] = true
	}
	var fence string // the open fence's marker, "" outside code blocks
	prev := ""       // the previous line, if it could be a setext heading's text
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if m := fenceRE.FindStringSubmatch(line); m != nil {
			switch {
			case fence == "":
				fence = m[1]
			case m[1][0] == fence[0] && len(m[1]) >= len(fence) && strings.TrimSpace(line) == m[1]:
				fence = ""
			}
			prev = ""
			continue
		}
		if fence != "" {
			continue
		}
		if m := atxRE.FindStringSubmatch(line); m != nil {
			addHeading(m[2])
			prev = ""
			continue
		}
		if setextRE.MatchString(line) && prev != "" {
			addHeading(prev)
			prev = ""
			continue
		}
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "|") || strings.HasPrefix(t, ">") ||
			strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") || strings.HasPrefix(line, "    ") {
			prev = ""
		} else {
			prev = t
		}
		for _, m := range htmlIDRE.FindAllStringSubmatch(line, -1) {
			d.anchors[strings.ToLower(m[1])] = true
		}
		plain := stripCodeSpans(line)
		if m := refDefRE.FindStringSubmatch(plain); m != nil {
			d.links = append(d.links, link{i + 1, strings.Trim(m[1], "<>")})
			continue
		}
		for _, m := range inlineLinkRE.FindAllStringSubmatch(plain, -1) {
			d.links = append(d.links, link{i + 1, strings.Trim(m[1], "<>")})
		}
	}
	return d
}

// stripCodeSpans drops the code spans of a line: a run of n backticks up to
// the next run of exactly n. A run left open is literal text.
func stripCodeSpans(line string) string {
	var b strings.Builder
	for i := 0; i < len(line); {
		if line[i] != '`' {
			b.WriteByte(line[i])
			i++
			continue
		}
		n := 0
		for i+n < len(line) && line[i+n] == '`' {
			n++
		}
		end := -1
		for j := i + n; j < len(line); {
			if line[j] != '`' {
				j++
				continue
			}
			k := 0
			for j+k < len(line) && line[j+k] == '`' {
				k++
			}
			if k == n {
				end = j + k
				break
			}
			j += k
		}
		if end < 0 {
			b.WriteString(line[i : i+n])
			i += n
			continue
		}
		i = end
	}
	return b.String()
}

var (
	closingHashesRE = regexp.MustCompile(`(^|[ \t]+)#+[ \t]*$`)
	headingLinkRE   = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	htmlTagRE       = regexp.MustCompile(`<[^>]+>`)
)

// headingText is the text GitHub renders for a heading's Markdown: without
// a closing # sequence, links reduced to their text, code and emphasis
// marks and HTML tags dropped.
func headingText(h string) string {
	h = closingHashesRE.ReplaceAllString(h, "")
	h = headingLinkRE.ReplaceAllString(h, "$1")
	h = htmlTagRE.ReplaceAllString(h, "")
	h = strings.NewReplacer("`", "", "**", "", "*", "", "__", "").Replace(h)
	return strings.TrimSpace(h)
}

// slug is GitHub's heading id (github-slugger): lower case, every character
// that is not a letter, a mark, a digit, a space, '-' or '_' dropped, each
// space turned into '-'.
func slug(text string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsNumber(r) || unicode.Is(unicode.Pc, r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// machineRoot is where the development machines keep their checkouts; a
// doc naming it points at files a reader elsewhere lacks. Joined from parts
// so the repository's own check for such paths does not match this line.
var machineRoot = "/" + "work" + "/"
