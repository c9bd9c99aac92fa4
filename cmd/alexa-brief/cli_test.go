package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/bot/bottest"
	"github.com/alexa-brief/alexa-brief/briefs"
)

func TestSQLitePath(t *testing.T) {
	tests := []struct {
		dsn    string
		want   string
		wantOK bool
	}{
		{"alexa-brief.db", "alexa-brief.db", true},
		{"/var/lib/ab/x.db", "/var/lib/ab/x.db", true},
		{"sqlite:data/x.db", "data/x.db", true},
		{"sqlite:///abs/x.db", "/abs/x.db", true},
		{"sqlite://data/x.db", "data/x.db", true},
		{"sqlite:/abs/x.db", "/abs/x.db", true},
		{"postgres://u:p@h/db", "", false},
		{"postgresql://h/db", "", false},
	}
	for _, tt := range tests {
		got, ok := sqlitePath(tt.dsn)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("sqlitePath(%q): got %q %v, want %q %v", tt.dsn, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestLibraryMergesStoredArticles(t *testing.T) {
	ctx := context.Background()
	st := bottest.NewStore(nil)
	for _, a := range []briefs.Article{
		{ID: "bridge", Title: "Bridge", Text: "The council approved the bridge. It will cost $40 million."},
		// Same id as an embedded article: the base corpus wins.
		{ID: "000_c1f63e7485ba089f", Title: "Impostor", Text: "Something else entirely."},
	} {
		if _, _, err := st.AddArticle(ctx, bot.StoredArticle{Article: a, Origin: bot.OriginFile}); err != nil {
			t.Fatal(err)
		}
	}
	lib, err := openLibrary(ctx, &env{}, "", st, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := lib.Corpus(ctx, bot.DefaultStory)
	if err != nil {
		t.Fatal(err)
	}
	var ids, titles []string
	for _, a := range c.Articles() {
		ids = append(ids, a.ID)
		titles = append(titles, a.Title)
	}
	if got, want := strings.Join(ids, " "), "000_c1f63e7485ba089f 002_26eb1baebe2b0c2e bridge"; got != want {
		t.Errorf("ids: got %q, want %q", got, want)
	}
	if strings.Contains(strings.Join(titles, " "), "Impostor") {
		t.Errorf("a stored article replaced an embedded one: %q", titles)
	}
}

func TestReadLineLimit(t *testing.T) {
	long := strings.Repeat("x", 200)
	r := bufio.NewReaderSize(strings.NewReader(long+"\nshort\r\nlast"), 16)
	var got []string
	for {
		line, err := readLine(r, 50)
		if err == nil || line != "" {
			got = append(got, line)
		}
		if err != nil {
			break
		}
	}
	want := []string{strings.Repeat("x", 50), "short", "last"}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d: got %q, want %q", i, got[i], want[i])
		}
	}
}

// runMain runs the command in-process with a database in a temp folder.
func runMain(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	dir := t.TempDir()
	env := map[string]string{"DATABASE_URL": filepath.Join(dir, "ab.db")}
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb, func(k string) string { return env[k] })
	if _, err := os.Stat(env["DATABASE_URL"]); err == nil && args[0] != "shell" && args[0] != "ingest" {
		t.Errorf("%v created the database", args)
	}
	return out.String(), errb.String(), code
}

func TestAskTextOneLinePerQuestion(t *testing.T) {
	out, errOut, code := runMain(t, "How much did Amazon lose on devices?\n\nWhat is the capital of Australia?\n", "ask")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want 2:\n%s", len(lines), out)
	}
	if !strings.Contains(lines[0], "$25 billion") || !strings.Contains(lines[0], "[Amazon") {
		t.Errorf("answer line lacks the figure or its source title: %s", lines[0])
	}
	if strings.Contains(lines[1], "[") {
		t.Errorf("declined answer cites a source: %s", lines[1])
	}
}

func TestCorpusFlag(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bridge.txt"), []byte("The council approved the river bridge on Monday. The bridge will cost $40 million, the mayor said.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runMain(t, "", "sources", "--corpus", dir)
	if code != 0 || !strings.Contains(out, "river bridge") || strings.Contains(out, "Amazon") {
		t.Errorf("sources --corpus: exit %d\n%s%s", code, out, errOut)
	}
	out, _, code = runMain(t, "", "ask", "--corpus", dir, "how much will the bridge cost?", "--json")
	if code != 0 || !strings.Contains(out, `"answered":true`) || !strings.Contains(out, "$40 million") {
		t.Errorf("ask --corpus with a trailing flag: exit %d\n%s", code, out)
	}
}

func TestTextOutputsCite(t *testing.T) {
	for _, cmd := range []string{"brief", "quotes", "facts", "sources"} {
		out, errOut, code := runMain(t, "", cmd)
		if code != 0 || !strings.Contains(out, "[1] ") || !strings.Contains(out, "[2] ") {
			t.Errorf("%s: exit %d, output lacks numbered sources:\n%s%s", cmd, code, out, errOut)
		}
	}
}

func TestHelpFlagsExitZero(t *testing.T) {
	for _, cmd := range []string{"brief", "quotes", "facts", "sources", "ask", "ingest", "shell"} {
		out, _, code := runMain(t, "", cmd, "-h")
		if code != 0 || !strings.Contains(out, "usage: alexa-brief "+cmd) {
			t.Errorf("%s -h: exit %d, output %q", cmd, code, out)
		}
	}
}

func TestAskQuestionArgs(t *testing.T) {
	tests := []struct {
		args []string
		want string // the question as answered
	}{
		{[]string{"ask", "--json", "how", "much?"}, "how much?"},
		{[]string{"ask", "how", "--json", "much?"}, "how much?"},                            // flags may follow words
		{[]string{"ask", "--json", "--", "-5", "degrees", "--json?"}, "-5 degrees --json?"}, // after --, words only
	}
	for _, tt := range tests {
		out, errOut, code := runMain(t, "", tt.args...)
		var a struct {
			Question string `json:"question"`
		}
		if err := json.Unmarshal([]byte(out), &a); code != 0 || err != nil || a.Question != tt.want {
			t.Errorf("%v: exit %d (%s), question %q, want %q", tt.args, code, errOut, a.Question, tt.want)
		}
	}
}

// A valid --addr is covered by the e2e serve tests (runMain refuses
// commands that create the database, as serve does).
func TestServeAddrExitCode(t *testing.T) {
	tests := []struct {
		addr string
		want int
	}{
		{":abc", exitUsage},            // not a port: bad input, not a listen failure
		{"127.0.0.1:99999", exitUsage}, // out of range
		{"8080", exitUsage},
	}
	for _, tt := range tests {
		_, errOut, got := runMain(t, "", "serve", "--check", "--addr", tt.addr)
		if got != tt.want {
			t.Errorf("serve --check --addr %s: got exit %d, want %d (stderr %q)", tt.addr, got, tt.want, errOut)
		}
	}
}
