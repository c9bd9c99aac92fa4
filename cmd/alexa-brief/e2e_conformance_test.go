package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/briefs"
)

// The conformance tests run the built binary, as a user or the acceptance
// checks would, over a corpus of their own (testdata/conformance: a news
// story unrelated to the embedded one, with and without front matter,
// straight and typographic quotes, scare quotes and figures) and check the
// contract of docs/contract.md: JSON shapes, exit codes, the verbatim invariant and
// streaming. They check invariants and clear facts, not ranking.

const (
	confCorpus = "testdata/conformance/corpus"
	confIngest = "testdata/conformance/ingest/union_rally.txt"
)

// confArticles are the article bodies of the conformance corpus, by id.
func confArticles(t *testing.T) map[string]string {
	t.Helper()
	arts, err := briefs.LoadDir(confCorpus)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, a := range arts {
		m[a.ID] = a.Text
	}
	return m
}

// absCorpus is the conformance corpus as an absolute path: the binary runs
// in a temporary folder.
func absCorpus(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(confCorpus)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// runEnv runs the binary in dir with exactly env (no variable leaks in from
// the developer's shell) and returns its output and exit code.
func runEnv(t *testing.T, bin, dir, stdin string, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append([]string{"HOME=" + dir}, env...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("run %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

// keysOf decodes one JSON object and returns its keys, sorted, and fields.
func keysOf(t *testing.T, raw json.RawMessage) ([]string, map[string]json.RawMessage) {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		t.Fatalf("not a JSON object (%v): %s", err, raw)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, m
}

// checkKeys fails unless raw is an object with exactly the keys want.
func checkKeys(t *testing.T, what string, raw json.RawMessage, want ...string) map[string]json.RawMessage {
	t.Helper()
	got, m := keysOf(t, raw)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s keys = %v, want exactly %v\n%s", what, got, want, raw)
	}
	return m
}

// checkArray fails unless raw is a JSON array (never null) and returns it.
func checkArray(t *testing.T, what string, raw json.RawMessage) []json.RawMessage {
	t.Helper()
	if strings.TrimSpace(string(raw)) == "null" {
		t.Errorf("%s is null, want an array ([] when empty)", what)
		return nil
	}
	var a []json.RawMessage
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Errorf("%s is not an array: %v\n%s", what, err, raw)
	}
	return a
}

func str(t *testing.T, what string, raw json.RawMessage) string {
	t.Helper()
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Errorf("%s is not a string: %s", what, raw)
	}
	return s
}

func strs(t *testing.T, what string, raw json.RawMessage) []string {
	t.Helper()
	var out []string
	for i, r := range checkArray(t, what, raw) {
		out = append(out, str(t, fmt.Sprintf("%s[%d]", what, i), r))
	}
	return out
}

// verbatimIn fails unless text is an exact substring of one of the
// articles ids names.
func verbatimIn(t *testing.T, what, text string, texts map[string]string, ids ...string) {
	t.Helper()
	if text == "" {
		t.Errorf("%s is empty", what)
		return
	}
	for _, id := range ids {
		if strings.Contains(texts[id], text) {
			return
		}
	}
	t.Errorf("%s %q is not an exact substring of its article(s) %v", what, text, ids)
}

func knownIDs(t *testing.T, what string, ids []string, texts map[string]string) {
	t.Helper()
	if len(ids) == 0 {
		t.Errorf("%s lists no article", what)
	}
	for _, id := range ids {
		if _, ok := texts[id]; !ok {
			t.Errorf("%s names unknown article %q", what, id)
		}
	}
}

// singleJSON fails unless out is exactly one JSON value.
func singleJSON(t *testing.T, out string) json.RawMessage {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if dec.More() {
		t.Fatalf("output holds more than one JSON value:\n%s", out)
	}
	return raw
}

// checkQuote checks a QUOTE object and returns its text and speaker.
func checkQuote(t *testing.T, raw json.RawMessage, texts map[string]string) (text, speaker string) {
	t.Helper()
	m := checkKeys(t, "quote", raw, "text", "speaker", "source", "sentence")
	text, speaker = str(t, "quote.text", m["text"]), str(t, "quote.speaker", m["speaker"])
	src, sentence := str(t, "quote.source", m["source"]), str(t, "quote.sentence", m["sentence"])
	knownIDs(t, "quote.source", []string{src}, texts)
	verbatimIn(t, "quote.sentence", sentence, texts, src)
	if !strings.Contains(sentence, text) {
		t.Errorf("quote text %q is not inside its sentence %q", text, sentence)
	}
	verbatimIn(t, "quote.text", text, texts, src)
	if strings.TrimSpace(speaker) == "" {
		t.Errorf("quote %q has no speaker", text)
	}
	return text, speaker
}

// checkAnswer checks an ask object and returns it decoded.
func checkAnswer(t *testing.T, raw json.RawMessage, texts map[string]string) (q string, answered bool, answer string, cites []string) {
	t.Helper()
	m := checkKeys(t, "ask", raw, "question", "answered", "answer", "citations", "confidence", "nearest")
	q, answer = str(t, "question", m["question"]), str(t, "answer", m["answer"])
	if err := json.Unmarshal(m["answered"], &answered); err != nil {
		t.Errorf("answered is not a bool: %s", m["answered"])
	}
	if strings.TrimSpace(answer) == "" {
		t.Errorf("answer to %q is empty", q)
	}
	for _, c := range checkArray(t, "citations", m["citations"]) {
		cm := checkKeys(t, "citation", c, "source", "text")
		src, text := str(t, "citation.source", cm["source"]), str(t, "citation.text", cm["text"])
		knownIDs(t, "citation.source", []string{src}, texts)
		verbatimIn(t, "citation.text", text, texts, src)
		cites = append(cites, src)
	}
	var conf float64
	if err := json.Unmarshal(m["confidence"], &conf); err != nil || conf < 0 || conf > 1 {
		t.Errorf("confidence of %q is not a number in 0..1: %s", q, m["confidence"])
	}
	nearest := checkArray(t, "nearest", m["nearest"])
	for _, c := range nearest {
		cm := checkKeys(t, "nearest", c, "source", "text")
		src, text := str(t, "nearest.source", cm["source"]), str(t, "nearest.text", cm["text"])
		knownIDs(t, "nearest.source", []string{src}, texts)
		verbatimIn(t, "nearest.text", text, texts, src)
	}
	if answered && len(nearest) > 0 {
		t.Errorf("answered %q still lists %d nearest sentences", q, len(nearest))
	}
	if !answered && len(cites) > 0 {
		t.Errorf("unanswered %q still cites %v", q, cites)
	}
	if answered && len(cites) == 0 {
		t.Errorf("answered %q cites nothing", q)
	}
	return q, answered, answer, cites
}

func TestConformanceJSON(t *testing.T) {
	bin := cliBinary(t)
	texts := confArticles(t)
	corpus := absCorpus(t)
	dir := t.TempDir()
	env := []string{"DATABASE_URL=" + filepath.Join(dir, "conf.db")}
	run := func(args ...string) string {
		t.Helper()
		out, errOut, code := runEnv(t, bin, dir, "", env, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, code, errOut)
		}
		return out
	}

	t.Run("brief", func(t *testing.T) {
		m := checkKeys(t, "brief", singleJSON(t, run("brief", "--json", "--corpus", corpus)), "title", "points", "quote", "sources")
		if str(t, "title", m["title"]) == "" {
			t.Error("brief has no title")
		}
		points := checkArray(t, "points", m["points"])
		if len(points) == 0 || len(points) > 5 {
			t.Errorf("got %d points, want 1–5 (default 5)", len(points))
		}
		corroborated := false
		for _, p := range points {
			pm := checkKeys(t, "point", p, "text", "sources")
			text, ids := str(t, "point.text", pm["text"]), strs(t, "point.sources", pm["sources"])
			knownIDs(t, "point.sources", ids, texts)
			verbatimIn(t, "point.text", text, texts, ids...)
			// All three articles report the 14 routes: a point naming
			// them is supported by all three (corroboration).
			if strings.Contains(text, "14 bus routes") {
				corroborated = true
				if len(ids) != 3 {
					t.Errorf("point %q lists sources %v, want all three articles", text, ids)
				}
			}
		}
		if !corroborated {
			t.Errorf("no point names the 14 bus routes every article reports:\n%s", m["points"])
		}
		if string(m["quote"]) == "null" {
			t.Error("quote is null although the articles quote people")
		} else {
			checkQuote(t, m["quote"], texts)
		}
		var ids []string
		for _, s := range checkArray(t, "sources", m["sources"]) {
			sm := checkKeys(t, "source", s, "id", "title", "url")
			ids = append(ids, str(t, "source.id", sm["id"]))
			str(t, "source.url", sm["url"])
		}
		sort.Strings(ids)
		if want := []string{"ledger_transit_cuts", "weekly_commuters", "wire_board_vote"}; !slices.Equal(ids, want) {
			t.Errorf("brief sources = %v, want %v", ids, want)
		}

		m = checkKeys(t, "brief", singleJSON(t, run("brief", "--json", "--max-points", "2", "--corpus", corpus)), "title", "points", "quote", "sources")
		if n := len(checkArray(t, "points", m["points"])); n < 1 || n > 2 {
			t.Errorf("--max-points 2 gave %d points", n)
		}
	})

	t.Run("quotes", func(t *testing.T) {
		qs := checkArray(t, "quotes", singleJSON(t, run("quotes", "--json", "--corpus", corpus)))
		speakers := map[string]string{}
		for _, q := range qs {
			text, speaker := checkQuote(t, q, texts)
			speakers[text] = speaker
		}
		wants := []struct{ text, speaker string }{
			{"We have run out of good options", "Ortega"},                       // “…,” said X
			{"This falls hardest on people who don’t own a car", "Natarajan"},   // typographic apostrophe kept
			{"The state should step in before riders are stranded", "Romero"},   // X wrote
			{"I was elected to protect service, not to dismantle it", "Fraser"}, // straight quotes, "…," X said
			{"We cannot keep running buses that are nearly empty", "Ortega"},    // prefix: text may be longer
		}
		for _, w := range wants {
			found := false
			for text, speaker := range speakers {
				if strings.HasPrefix(text, w.text) {
					found = true
					if !strings.Contains(speaker, w.speaker) {
						t.Errorf("quote %q: speaker %q, want %s", text, speaker, w.speaker)
					}
				}
			}
			if !found {
				t.Errorf("quotes lack %q (%s)", w.text, w.speaker)
			}
		}
		// Scare quotes are not speech.
		for text := range speakers {
			if strings.Contains(text, "doomsday budget") || strings.Contains(text, "death spiral") {
				t.Errorf("scare-quoted term %q listed as a quote", text)
			}
		}
	})

	t.Run("facts", func(t *testing.T) {
		fs := checkArray(t, "facts", singleJSON(t, run("facts", "--json", "--corpus", corpus)))
		kinds := map[string]bool{"money": true, "count": true, "percent": true, "date": true, "period": true}
		values := map[string]string{}
		for _, f := range fs {
			fm := checkKeys(t, "fact", f, "text", "value", "kind", "sources")
			text, value, kind := str(t, "fact.text", fm["text"]), str(t, "fact.value", fm["value"]), str(t, "fact.kind", fm["kind"])
			ids := strs(t, "fact.sources", fm["sources"])
			knownIDs(t, "fact.sources", ids, texts)
			verbatimIn(t, "fact.text", text, texts, ids...)
			if !kinds[kind] {
				t.Errorf("fact %q has kind %q", value, kind)
			}
			if !strings.Contains(text, value) {
				t.Errorf("fact value %q is not in its sentence %q", value, text)
			}
			values[value] = kind
		}
		for value, kind := range map[string]string{"$62 million": "money", "31%": "percent", "$21 million": "money"} {
			found := false
			for v, k := range values {
				if strings.Contains(v, value) {
					found = found || k == kind
				}
			}
			if !found {
				t.Errorf("facts lack %s (%s): %v", value, kind, values)
			}
		}
	})

	t.Run("sources", func(t *testing.T) {
		out := run("sources", "--json", "--corpus", corpus)
		if !strings.Contains(out, "bus routes & raise fares") {
			t.Errorf("sources --json does not keep “&” as it is in the article:\n%s", out)
		}
		ss := checkArray(t, "sources", singleJSON(t, out))
		got := map[string][2]string{}
		for _, s := range ss {
			sm := checkKeys(t, "source", s, "id", "title", "url", "published", "publication", "origin", "copies")
			got[str(t, "id", sm["id"])] = [2]string{str(t, "title", sm["title"]), str(t, "url", sm["url"])}
		}
		want := map[string][2]string{
			"ledger_transit_cuts": {"Maple Valley transit agency to cut 14 bus routes & raise fares amid $62 million shortfall", "https://valleyledger.example/transit-cuts"},
			"weekly_commuters":    {"What Maple Valley’s bus cuts mean for commuters", "https://ntw.example/maple-valley-cuts"},
		}
		for id, w := range want {
			if got[id] != w {
				t.Errorf("source %s = %q, want %q", id, got[id], w)
			}
		}
		// Without front matter the article still works, with no URL.
		if g, ok := got["wire_board_vote"]; !ok || g[0] == "" || g[1] != "" {
			t.Errorf("source wire_board_vote = %q (present %v), want a title and an empty url", g, ok)
		}
		if len(got) != 3 {
			t.Errorf("got %d sources, want 3", len(got))
		}
	})

	t.Run("ask", func(t *testing.T) {
		tests := []struct {
			q        string
			answered bool
			want     string // in the answer when answered
		}{
			{"How many bus routes will be cut?", true, "14"},
			{"Who voted against the plan?", true, "Fraser"},
			{"How much will the cuts save?", true, "$21 million"},
			{"How many passengers did the agency carry in 2019?", true, "48 million"},
			{"What is the capital of Peru?", false, ""},
		}
		for _, tt := range tests {
			_, answered, answer, _ := checkAnswer(t, singleJSON(t, run("ask", "--json", "--corpus", corpus, tt.q)), texts)
			if answered != tt.answered || !strings.Contains(answer, tt.want) {
				t.Errorf("ask %q: answered %v %q; want answered %v with %q", tt.q, answered, answer, tt.answered, tt.want)
			}
			if !answered && strings.Contains(answer, "[1]") {
				t.Errorf("ask %q: the plain no-answer cites: %q", tt.q, answer)
			}
		}
	})

	t.Run("nothing quoted, no figures", func(t *testing.T) {
		bare := t.TempDir()
		body := "The park reopened after the storm.\nNeighbours walked the paths again and children played near the pond.\n"
		if err := os.WriteFile(filepath.Join(bare, "park.txt"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		m := checkKeys(t, "brief", singleJSON(t, run("brief", "--json", "--corpus", bare)), "title", "points", "quote", "sources")
		if got := strings.TrimSpace(string(m["quote"])); got != "null" {
			t.Errorf("brief quote = %s, want null when the article quotes nobody", got)
		}
		for _, cmd := range []string{"quotes", "facts"} {
			if got := strings.TrimSpace(run(cmd, "--json", "--corpus", bare)); got != "[]" {
				t.Errorf("%s --json = %s, want []", cmd, got)
			}
		}
	})

	t.Run("ALEXA_BRIEF_CORPUS", func(t *testing.T) {
		envCorpus := append(slices.Clone(env), "ALEXA_BRIEF_CORPUS="+corpus)
		out, errOut, code := runEnv(t, bin, dir, "", envCorpus, "sources", "--json")
		if code != 0 || !strings.Contains(out, `"wire_board_vote"`) || strings.Contains(out, "000_c1f63e7485ba089f") {
			t.Errorf("sources with ALEXA_BRIEF_CORPUS: exit %d\n%s%s", code, out, errOut)
		}
		// --corpus wins over the variable.
		embedded, err := filepath.Abs("../../briefs/corpus")
		if err != nil {
			t.Fatal(err)
		}
		out, _, code = runEnv(t, bin, dir, "", envCorpus, "sources", "--json", "--corpus", embedded)
		if code != 0 || strings.Contains(out, "wire_board_vote") || !strings.Contains(out, "000_c1f63e7485ba089f") {
			t.Errorf("--corpus did not override ALEXA_BRIEF_CORPUS: exit %d\n%s", code, out)
		}
	})
}

// TestConformanceAskStreams holds stdin open and writes each question only
// after the previous answer arrived: an ask that buffers never answers.
func TestConformanceAskStreams(t *testing.T) {
	bin := cliBinary(t)
	texts := confArticles(t)
	for _, asJSON := range []bool{true, false} {
		args := []string{"ask", "--corpus", absCorpus(t)}
		if asJSON {
			args = append(args, "--json")
		}
		cmd, stdin, r := startPiped(t, bin, args...)
		qs := []string{"Who voted against the plan?", "", "What is the capital of Peru?", "How much will the cuts save?"}
		for _, q := range qs {
			if _, err := io.WriteString(stdin, q+"\r\n"); err != nil {
				t.Fatal(err)
			}
			if q == "" {
				continue // a blank line gets no result line
			}
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("json=%v: reading the answer to %q: %v", asJSON, q, err)
			}
			if !asJSON {
				if strings.TrimSpace(line) == "" {
					t.Errorf("text answer to %q is blank", q)
				}
				continue
			}
			got, _, _, _ := checkAnswer(t, json.RawMessage(line), texts)
			if got != q {
				t.Errorf("answer to %q came for %q", q, got)
			}
		}
		// Text mode ends at EOF; JSON mode at Ctrl-C with stdin still
		// open, like a person at a terminal (a blocked read must not keep
		// the process alive).
		how := "EOF"
		if asJSON {
			how = "SIGINT"
			if err := cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
		} else {
			stdin.Close()
		}
		rest, _ := io.ReadAll(r)
		if err := cmd.Wait(); err != nil || len(rest) != 0 {
			t.Errorf("after %s: %v, extra output %q", how, err, rest)
		}
		stdin.Close()
	}
}

func TestConformanceExitCodes(t *testing.T) {
	bin := cliBinary(t)
	corpus := absCorpus(t)
	empty := t.TempDir()
	thisFile, err := filepath.Abs("e2e_conformance_test.go")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  []string
		args []string
		code int
		want string // in stderr
	}{
		{"unknown command", nil, []string{"breif"}, 2, `did you mean "alexa-brief brief"`},
		{"missing corpus", nil, []string{"brief", "--corpus", "/nonexistent/corpus"}, 2, "--corpus"},
		{"empty corpus", nil, []string{"quotes", "--corpus", empty}, 2, "no .txt or .md"},
		{"bad corpus variable", []string{"ALEXA_BRIEF_CORPUS=/nonexistent/corpus"}, []string{"facts"}, 2, "ALEXA_BRIEF_CORPUS"},
		{"bad max-points", nil, []string{"brief", "--max-points", "-1", "--corpus", corpus}, 2, "--max-points"},
		{"empty question", nil, []string{"ask", " "}, 2, "question is empty"},
		{"ingest wrong type", nil, []string{"ingest", thisFile}, 2, "is not a .txt or .md file"},
		{"remove nothing", nil, []string{"subscriptions", "remove", "--platform", "slack", "--team", "T1", "--channel", "C1"}, 2, "subscriptions list"},
		{"bad schedule", nil, []string{"subscriptions", "add", "--platform", "shell", "--schedule", "every day"}, 2, "daily 09:00"},
		{"bad --now", nil, []string{"digest", "run", "--now", "tomorrow"}, 2, "RFC3339"},
		{"serve bad flag", nil, []string{"serve", "--bogus"}, 2, "usage: alexa-brief serve"},
		{"bad DATABASE_URL scheme", []string{"DATABASE_URL=mysql://db/x"}, []string{"subscriptions", "list"}, 2, "DATABASE_URL"},
		{"slack without secret", []string{"SLACK_BOT_TOKEN=xoxb-conformance-secret"}, []string{"serve", "--check"}, 2, "SLACK_SIGNING_SECRET"},
		{"unopenable database", []string{"DATABASE_URL=/nonexistent/folder/x.db"}, []string{"subscriptions", "list"}, 1, "/nonexistent/folder/x.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			env := append([]string{"DATABASE_URL=" + filepath.Join(dir, "x.db")}, tt.env...)
			out, errOut, code := runEnv(t, bin, dir, "", env, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) || !strings.HasPrefix(errOut, "alexa-brief: ") {
				t.Errorf("%v: exit %d, stderr %q; want exit %d and an alexa-brief: message naming %q", tt.args, code, errOut, tt.code, tt.want)
			}
			if out != "" {
				t.Errorf("%v: a failure printed on stdout: %q", tt.args, out)
			}
			if strings.Contains(errOut, "xoxb-conformance-secret") {
				t.Errorf("%v: stderr echoes a token", tt.args)
			}
		})
	}
}

func TestConformanceIngest(t *testing.T) {
	bin := cliBinary(t)
	dir := t.TempDir()
	corpus := absCorpus(t)
	article, err := filepath.Abs(confIngest)
	if err != nil {
		t.Fatal(err)
	}
	env := []string{"DATABASE_URL=sqlite:" + filepath.Join(dir, "ingest.db")}
	steps := []struct {
		args []string
		want string
	}{
		{[]string{"ingest", article}, "added union_rally"},
		{[]string{"ingest", article}, "already stored: "},
		// A folder holding it: deduplicated too.
		{[]string{"ingest", filepath.Dir(article)}, "0 added, 1 skipped"},
	}
	for _, s := range steps {
		out, errOut, code := runEnv(t, bin, dir, "", env, s.args...)
		if code != 0 || !strings.Contains(out, s.want) {
			t.Errorf("%v: exit %d, want %q in:\n%s%s", s.args, code, s.want, out, errOut)
		}
	}
	out, _, code := runEnv(t, bin, dir, "", env, "sources", "--json", "--corpus", corpus)
	var ss []map[string]any
	if err := json.Unmarshal([]byte(out), &ss); code != 0 || err != nil || len(ss) != 4 {
		t.Fatalf("sources after ingest: exit %d, %v, want the 3 corpus articles and the ingested one:\n%s", code, err, out)
	}
	raw, err := os.ReadFile(article)
	if err != nil {
		t.Fatal(err)
	}
	out, _, _ = runEnv(t, bin, dir, "", env, "ask", "--json", "--corpus", corpus, "When is the rally?")
	texts := confArticles(t)
	texts["union_rally"] = string(raw)
	_, answered, answer, cites := checkAnswer(t, singleJSON(t, out), texts)
	if !answered || !strings.Contains(answer, "March 29") || !slices.Contains(cites, "union_rally") {
		t.Errorf("ask does not answer from the ingested article: %q %v", answer, cites)
	}
}

// TestConformanceShell runs the chat the way a user would, on the
// conformance corpus, and with no arguments at all (the default: embedded
// corpus, SQLite file in the working folder).
func TestConformanceShell(t *testing.T) {
	bin := cliBinary(t)
	texts := confArticles(t)
	dir := t.TempDir()
	session := strings.Join([]string{
		"/alexa-brief quotes",
		"Who voted against the plan?",
		"/alexa-brief facts",
		"/alexa-brief qoutes",
		"",
		"/alexa-brief subscribe daily 25:00",
		"/alexa-brief subscribe daily 09:00 UTC",
		"/alexa-brief schedule",
	}, "\n") + "\n"
	out, errOut, code := runEnv(t, bin, dir, session, []string{"DATABASE_URL=" + filepath.Join(dir, "shell.db")}, "shell", "--corpus", absCorpus(t))
	if code != 0 {
		t.Fatalf("shell: exit %d\n%s", code, errOut)
	}
	got := replies(out)
	for title, wants := range map[string][]string{
		"Quotes":                       {"We have run out of good options", "Marisol Ortega", "don’t own a car"},
		"Who voted against the plan?":  {"Fraser", "[1]", "Sources"},
		"Key figures":                  {"$62 million"},
		"! Unknown command “qoutes”":   {"/alexa-brief quotes"},
		"! That schedule doesn't work": {"25:00"},
		"Subscribed":                   {"daily 09:00 UTC"},
		"Digest schedule":              {"daily 09:00 UTC", "Next run"},
	} {
		r, ok := got[title]
		if !ok {
			t.Errorf("no reply titled %q in:\n%s", title, out)
			continue
		}
		for _, w := range wants {
			if !strings.Contains(r, w) {
				t.Errorf("reply %q lacks %q:\n%s", title, w, r)
			}
		}
	}
	if strings.Contains(got["Quotes"], "doomsday budget") {
		t.Errorf("the shell's quotes list a scare quote:\n%s", got["Quotes"])
	}
	// Every bulleted line of a reply that cites an article is verbatim.
	for _, line := range strings.Split(got["Who voted against the plan?"], "\n") {
		if s, ok := strings.CutPrefix(line, "  • "); ok {
			if i := strings.LastIndex(s, " ["); i > 0 {
				s = s[:i]
			}
			verbatimIn(t, "shell citation", s, texts, "ledger_transit_cuts", "weekly_commuters", "wire_board_vote")
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "shell.db")); err != nil {
		t.Errorf("the shell did not create its SQLite file: %v", err)
	}

	// No arguments, no credentials: the shell on the embedded corpus, with
	// alexa-brief.db in the working folder.
	dir = t.TempDir()
	out, errOut, code = runEnv(t, bin, dir, "/alexa-brief sources\nHow much did Amazon lose?\n", nil)
	if code != 0 || !strings.Contains(out, "Sources") || !strings.Contains(out, "$25 billion") {
		t.Errorf("no-argument run: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "alexa-brief.db")); err != nil {
		t.Errorf("no-argument run made no alexa-brief.db in its folder: %v", err)
	}
}

// TestConformanceDigestRun posts a due shell digest once, prints one
// summary line, and posts nothing more for the same slot.
func TestConformanceDigestRun(t *testing.T) {
	bin := cliBinary(t)
	dir := t.TempDir()
	env := []string{"DATABASE_URL=sqlite://conf.db", "ALEXA_BRIEF_CORPUS=" + absCorpus(t)}
	if out, errOut, code := runEnv(t, bin, dir, "", env, "subscriptions", "add", "--platform", "shell", "--schedule", "daily 09:00 UTC"); code != 0 {
		t.Fatalf("add: exit %d\n%s%s", code, out, errOut)
	}
	// sqlite://conf.db is the relative file conf.db.
	if _, err := os.Stat(filepath.Join(dir, "conf.db")); err != nil {
		t.Errorf("DATABASE_URL=sqlite://conf.db did not make conf.db in the working folder: %v", err)
	}
	out, _, code := runEnv(t, bin, dir, "", env, "subscriptions", "list", "--json")
	var subs []struct {
		NextRun time.Time `json:"next_run"`
	}
	if err := json.Unmarshal([]byte(out), &subs); code != 0 || err != nil || len(subs) != 1 {
		t.Fatalf("list: exit %d, %v\n%s", code, err, out)
	}
	now := subs[0].NextRun.Add(time.Minute).UTC().Format(time.RFC3339)
	out, errOut, code := runEnv(t, bin, dir, "", env, "digest", "run", "--now", now)
	if code != 0 || !strings.Contains(out, "14 bus routes") {
		t.Errorf("digest run: exit %d, want the digest of the conformance corpus:\n%s%s", code, out, errOut)
	}
	if got, want := lastLine(out), "digest run: due=1 posted=1 skipped=0 failed=0 already=0"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	out, _, code = runEnv(t, bin, dir, "", env, "digest", "run", "--now", now)
	if got, want := out, "digest run: due=0 posted=0 skipped=0 failed=0 already=0\n"; code != 0 || got != want {
		t.Errorf("second run: exit %d, output %q, want exactly %q", code, got, want)
	}
}

// TestConformanceShellPrintsDigests subscribes the shell's channel in the
// chat and waits, stdin still open, for the digest to print when it fires.
func TestConformanceShellPrintsDigests(t *testing.T) {
	bin := cliBinary(t)
	dir := t.TempDir()
	cmd := exec.Command(bin, "shell", "--corpus", absCorpus(t))
	cmd.Dir = dir
	cmd.Env = []string{"HOME=" + dir, "DATABASE_URL=" + filepath.Join(dir, "x.db"), "ALEXA_BRIEF_MIN_INTERVAL=1s"}
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
	if _, err := io.WriteString(stdin, "/alexa-brief subscribe @every 2s\n"); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	var seen []string
	digest := false
	for !digest && sc.Scan() {
		seen = append(seen, sc.Text())
		digest = sc.Text() == "── digest for #shell ──"
	}
	// The digest runs to its "Key points" bullets; a bound on lines (not
	// on time) ends the read if the layout changes, since a digest prints
	// every 2 s.
	var body []string
	for digest && len(body) < 200 && sc.Scan() {
		body = append(body, sc.Text())
		if strings.HasPrefix(sc.Text(), "  • ") {
			break
		}
	}
	stdin.Close()
	io.Copy(io.Discard, stdout)
	if err := cmd.Wait(); err != nil {
		t.Errorf("shell: %v", err)
	}
	if !digest {
		t.Fatalf("no digest printed; output:\n%s", strings.Join(seen, "\n"))
	}
	if text := strings.Join(body, "\n"); !strings.Contains(text, "Key points") || !strings.Contains(text, "Maple Valley") {
		t.Errorf("the digest does not brief the conformance corpus:\n%s", text)
	}
}
