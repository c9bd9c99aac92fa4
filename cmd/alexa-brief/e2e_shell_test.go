package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/alexa-brief/alexa-brief/briefs"
)

// cliBinary builds the real binary once per test run (into a folder that
// TestMain removes) and returns its path.
func cliBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end: builds the binary")
	}
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "alexa-brief-e2e-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "alexa-brief")
		build := exec.Command("go", "build", "-o", binPath, ".")
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := build.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// startPiped starts the binary with its own database and pipes on stdin and
// stdout, for tests that converse with it line by line.
func startPiped(t *testing.T, bin string, args ...string) (*exec.Cmd, io.WriteCloser, *bufio.Reader) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"DATABASE_URL=" + filepath.Join(t.TempDir(), "x.db")}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, stdin, bufio.NewReader(stdout)
}

// runBin runs the binary with a clean environment: no platform tokens leak in
// from the developer's shell, the database lives in dir.
func runBin(t *testing.T, bin, dir, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runEnv(t, bin, dir, stdin, []string{"DATABASE_URL=" + filepath.Join(dir, "alexa-brief.db")}, args...)
}

// replies splits shell output into replies by their titles: a title is a
// line followed by an underline of "─".
func replies(out string) map[string]string {
	lines := strings.Split(out, "\n")
	var starts []int
	for i := 0; i+1 < len(lines); i++ {
		if u := lines[i+1]; u != "" && strings.Trim(u, "─") == "" && lines[i] != "" {
			starts = append(starts, i)
		}
	}
	got := map[string]string{}
	for k, s := range starts {
		end := len(lines)
		if k+1 < len(starts) {
			end = starts[k+1]
		}
		got[lines[s]] = strings.Join(lines[s:end], "\n")
	}
	return got
}

func TestShellE2E(t *testing.T) {
	bin := cliBinary(t)
	dir := t.TempDir()
	session := strings.Join([]string{
		"/alexa-brief",
		"/alexa-brief quotes",
		"How much did Amazon lose on devices?",
		"What did Dave Limp say?",
		"what else did he say?",
		"What is the capital of Australia?",
		"/alexa-brief breif",
		"/alexa-brief subscribe every now and then",
		"/alexa-brief subscribe @every 1m",
		"/alexa-brief schedule",
	}, "\n") + "\n"
	out, errOut, code := runBin(t, bin, dir, session, "shell")
	if code != 0 {
		t.Fatalf("shell exited %d\nstderr:\n%s", code, errOut)
	}
	got := replies(out)
	check := func(title string, wants []string, unwanted ...string) {
		t.Helper()
		r, ok := got[title]
		if !ok {
			t.Errorf("no reply titled %q in:\n%s", title, out)
			return
		}
		for _, w := range wants {
			if !strings.Contains(r, w) {
				t.Errorf("reply %q lacks %q:\n%s", title, w, r)
			}
		}
		for _, u := range unwanted {
			if strings.Contains(r, u) {
				t.Errorf("reply %q holds %q:\n%s", title, u, r)
			}
		}
	}
	// The brief is the first reply; its title comes from the corpus.
	first := strings.SplitN(out, "\n", 2)[0]
	check(first, []string{"$25 billion", "[1]", "Sources\n  [1] "})
	check("Quotes", []string{"smart timer.”", "— A former Amazon employee", "— Dave Limp"})
	check("How much did Amazon lose on devices?", []string{"$25 billion", "Sources\n  [1] "})
	check("What did Dave Limp say?", []string{"We don’t have to make money", "Sources\n  [1] "})
	// Dave Limp is quoted once: the follow-up must resolve “he” to him.
	check("what else did he say?", []string{"Dave Limp"})
	check("What is the capital of Australia?", nil, "[1]", "Australia is", "Sources")
	check("! Unknown command “breif”", []string{"Did you mean `/alexa-brief brief`?", "/alexa-brief subscribe <schedule>"})
	check("! That schedule doesn't work", []string{"every now and then"})
	check("Subscribed", []string{"@every 1m", "Next runs"})
	check("Digest schedule", []string{"Schedule: `@every 1m`", "Next run: ", "Last delivery: "})
	if _, err := os.Stat(filepath.Join(dir, "alexa-brief.db")); err != nil {
		t.Errorf("the shell did not create its SQLite file: %v", err)
	}

	// The subscription outlives the session: a new shell lists it.
	out, errOut, code = runBin(t, bin, dir, "/alexa-brief schedule\n", "shell")
	if code != 0 || !strings.Contains(out, "Schedule: `@every 1m`") {
		t.Errorf("second session: exit %d, output:\n%s\nstderr:\n%s", code, out, errOut)
	}

	// Piped input gets replies only: no banner, no prompt.
	if strings.Contains(out, "> ") || strings.Contains(out, "Ctrl-D") {
		t.Errorf("piped shell printed a prompt or banner:\n%s", out)
	}
}

// Strict mirrors of the JSON shapes of docs/contract.md: decoding with
// DisallowUnknownFields fails on any extra field.
type (
	jsonQuote struct {
		Text     *string `json:"text"`
		Speaker  *string `json:"speaker"`
		Source   *string `json:"source"`
		Sentence *string `json:"sentence"`
	}
	jsonBrief struct {
		Title  *string `json:"title"`
		Points *[]struct {
			Text    *string   `json:"text"`
			Sources *[]string `json:"sources"`
		} `json:"points"`
		Quote   *jsonQuote `json:"quote"`
		Sources *[]struct {
			ID    *string `json:"id"`
			Title *string `json:"title"`
			URL   *string `json:"url"`
		} `json:"sources"`
	}
	jsonFact struct {
		Text    *string   `json:"text"`
		Value   *string   `json:"value"`
		Kind    *string   `json:"kind"`
		Sources *[]string `json:"sources"`
	}
	jsonAnswer struct {
		Question  *string `json:"question"`
		Answered  *bool   `json:"answered"`
		Answer    *string `json:"answer"`
		Citations *[]struct {
			Source *string `json:"source"`
			Text   *string `json:"text"`
		} `json:"citations"`
		Confidence *float64 `json:"confidence"`
		Nearest    *[]struct {
			Source *string `json:"source"`
			Text   *string `json:"text"`
		} `json:"nearest"`
	}
)

func decodeStrict(t *testing.T, data string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode %T: %v\n%s", v, err, data)
	}
	if dec.More() {
		t.Fatalf("decode %T: more than one JSON value:\n%s", v, data)
	}
}

func articleTexts(t *testing.T) map[string]string {
	t.Helper()
	arts, err := briefs.EmbeddedArticles()
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, a := range arts {
		m[a.ID] = a.Text
	}
	return m
}

func TestCLIE2E(t *testing.T) {
	bin := cliBinary(t)
	texts := articleTexts(t)

	t.Run("brief json", func(t *testing.T) {
		dir := t.TempDir()
		out, errOut, code := runBin(t, bin, dir, "", "brief", "--json", "--max-points", "3")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var b jsonBrief
		decodeStrict(t, out, &b)
		if b.Title == nil || *b.Title == "" || b.Points == nil || b.Sources == nil {
			t.Fatalf("brief lacks title, points or sources:\n%s", out)
		}
		if n := len(*b.Points); n == 0 || n > 3 {
			t.Errorf("got %d points, want 1–3", n)
		}
		all := ""
		for _, p := range *b.Points {
			if p.Text == nil || p.Sources == nil || len(*p.Sources) == 0 {
				t.Errorf("point without text or sources:\n%s", out)
				continue
			}
			all += *p.Text
			for _, id := range *p.Sources {
				if _, ok := texts[id]; !ok {
					t.Errorf("point cites unknown article %q", id)
				}
			}
		}
		// The binary gives the library's brief, and --max-points cuts the
		// same ranking: the points are the first three of the default five.
		c, err := briefs.Default()
		if err != nil {
			t.Fatal(err)
		}
		var want string
		for _, p := range c.Brief(5).Points[:3] {
			want += p.Text
		}
		if all != want {
			t.Errorf("the three points are not the first three of the five-point brief:\n%s", out)
		}
		for _, s := range *b.Sources {
			if s.ID == nil || s.Title == nil || s.URL == nil {
				t.Errorf("source lacks id, title or url:\n%s", out)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "alexa-brief.db")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("brief created a database file (stat: %v)", err)
		}
	})

	t.Run("quotes facts sources json", func(t *testing.T) {
		dir := t.TempDir()
		out, _, code := runBin(t, bin, dir, "", "quotes", "--json")
		var qs []jsonQuote
		decodeStrict(t, out, &qs)
		found := false
		for _, q := range qs {
			if q.Text == nil || q.Speaker == nil || q.Source == nil || q.Sentence == nil {
				t.Fatalf("quote lacks a field:\n%s", out)
			}
			if !strings.Contains(texts[*q.Source], *q.Sentence) || !strings.Contains(*q.Sentence, *q.Text) {
				t.Errorf("quote %q is not verbatim in its sentence and article", *q.Text)
			}
			found = found || strings.Contains(*q.Text, "smart timer")
		}
		if code != 0 || !found {
			t.Errorf("exit %d; smart timer quote found: %v\n%s", code, found, out)
		}

		out, _, code = runBin(t, bin, dir, "", "facts", "--json")
		var fs []jsonFact
		decodeStrict(t, out, &fs)
		kinds := map[string]bool{"money": true, "count": true, "percent": true, "date": true, "period": true}
		for _, f := range fs {
			if f.Text == nil || f.Value == nil || f.Kind == nil || f.Sources == nil || !kinds[*f.Kind] {
				t.Errorf("fact with a missing field or unknown kind:\n%s", out)
				break
			}
		}
		if code != 0 || len(fs) == 0 {
			t.Errorf("facts: exit %d, %d facts", code, len(fs))
		}

		out, _, code = runBin(t, bin, dir, "", "sources", "--json")
		var ss []map[string]any
		decodeStrict(t, out, &ss)
		if code != 0 || len(ss) != 2 || ss[0]["id"] != "000_c1f63e7485ba089f" || ss[1]["id"] != "002_26eb1baebe2b0c2e" {
			t.Errorf("sources: exit %d:\n%s", code, out)
		}
	})

	t.Run("ask json lines from stdin", func(t *testing.T) {
		dir := t.TempDir()
		in := "How much did Amazon lose on devices?\n\nWhat is the capital of Australia?\n"
		out, errOut, code := runBin(t, bin, dir, in, "ask", "--json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if len(lines) != 2 {
			t.Fatalf("got %d lines, want 2 (one per question, blank lines skipped):\n%s", len(lines), out)
		}
		var a, b jsonAnswer
		decodeStrict(t, lines[0], &a)
		decodeStrict(t, lines[1], &b)
		if !*a.Answered || len(*a.Citations) == 0 || !strings.Contains(*a.Answer, "$25 billion") {
			t.Errorf("first answer:\n%s", lines[0])
		}
		for _, c := range *a.Citations {
			if !strings.Contains(texts[*c.Source], *c.Text) {
				t.Errorf("citation %q is not verbatim in %s", *c.Text, *c.Source)
			}
		}
		if *b.Answered || *b.Answer == "" || b.Citations == nil {
			t.Errorf("out-of-corpus answer:\n%s", lines[1])
		}
	})

	t.Run("ask answers each line as it is read", func(t *testing.T) {
		cmd, stdin, r := startPiped(t, bin, "ask", "--json")
		for _, q := range []string{"How much did Amazon lose?", "What did Dave Limp say?"} {
			// The next question is written only after the previous answer
			// arrived: a binary that buffers its output never answers.
			if _, err := io.WriteString(stdin, q+"\n"); err != nil {
				t.Fatal(err)
			}
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("reading the answer to %q: %v", q, err)
			}
			var a jsonAnswer
			decodeStrict(t, line, &a)
			if *a.Question != q {
				t.Errorf("got answer to %q, want to %q", *a.Question, q)
			}
		}
		stdin.Close()
		if err := cmd.Wait(); err != nil {
			t.Errorf("ask: %v", err)
		}
	})

	t.Run("ask text", func(t *testing.T) {
		out, _, code := runBin(t, bin, t.TempDir(), "", "ask", "how", "much", "did", "Amazon", "lose?")
		if code != 0 || !strings.Contains(out, "$25 billion") || !strings.Contains(out, "[1] ") {
			t.Errorf("exit %d:\n%s", code, out)
		}
	})

	t.Run("bad usage exits 2", func(t *testing.T) {
		tests := []struct {
			args []string
			want string
		}{
			{[]string{"brief", "--bogus"}, "usage: alexa-brief brief"},
			{[]string{"brief", "--max-points", "0"}, "at least 1"},
			{[]string{"brief", "--max-points", "many"}, "invalid value"},
			{[]string{"quotes", "extra"}, "unexpected argument"},
			{[]string{"ask", "--max-points", "3"}, "usage: alexa-brief ask"},
			{[]string{"facts", "--corpus", "/nonexistent/corpus"}, "/nonexistent/corpus"},
			{[]string{"ingest"}, "name at least one article"},
			{[]string{"ingest", "/nonexistent/article.txt"}, "/nonexistent/article.txt"},
			{[]string{"version", "now"}, "unexpected argument"},
			{[]string{"shell", "--bogus"}, "usage: alexa-brief shell"},
		}
		for _, tt := range tests {
			_, errOut, code := runBin(t, bin, t.TempDir(), "", tt.args...)
			if code != 2 || !strings.Contains(errOut, tt.want) {
				t.Errorf("%v: exit %d, stderr %q; want exit 2 naming %q", tt.args, code, errOut, tt.want)
			}
		}
	})

	t.Run("version", func(t *testing.T) {
		out, _, code := runBin(t, bin, t.TempDir(), "", "version")
		if code != 0 || !strings.HasPrefix(out, "alexa-brief ") {
			t.Errorf("exit %d: %q", code, out)
		}
	})

	t.Run("ingest", func(t *testing.T) {
		dir := t.TempDir()
		art := filepath.Join(dir, "bridge.md")
		body := "---\ntitle: Council approves the river bridge\nurl: https://example.com/bridge\n---\n" +
			"The city council approved the new river bridge on Monday. The bridge will cost $40 million, the mayor said.\n"
		if err := os.WriteFile(art, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		out, errOut, code := runBin(t, bin, dir, "", "ingest", art)
		if code != 0 || !strings.Contains(out, "added bridge") {
			t.Fatalf("first ingest: exit %d\n%s%s", code, out, errOut)
		}
		out, _, code = runBin(t, bin, dir, "", "ingest", art)
		if code != 0 || !strings.Contains(out, "already stored: Council approves the river bridge") {
			t.Errorf("second ingest: exit %d, want the article skipped:\n%s", code, out)
		}
		out, _, _ = runBin(t, bin, dir, "", "sources", "--json")
		if !strings.Contains(out, `"bridge"`) || !strings.Contains(out, "000_c1f63e7485ba089f") {
			t.Errorf("sources after ingest lack the ingested or the embedded articles:\n%s", out)
		}
		out, _, _ = runBin(t, bin, dir, "How much will the bridge cost?\n", "ask", "--json")
		if !strings.Contains(out, "$40 million") {
			t.Errorf("ask does not use the ingested article:\n%s", out)
		}
	})
}
