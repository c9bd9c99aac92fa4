package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The stories tests that need a running bot: the feed poller and the
// library's refresh run inside `shell` (and `serve`), so these drive a
// shell over pipes while other processes change the store or the news
// server changes its feed. Waits have generous deadlines; none measures
// speed.

// shellEnd is the shell's fixed reply to a slash command other than
// /alexa-brief. Each line a test writes is followed by "/end", and the
// reply to the line is everything printed before this one.
const shellEnd = "The only slash command here is /alexa-brief (try /alexa-brief help). Anything else you type is a question."

// shellWait bounds each wait for the shell: generous, for a loaded machine.
const shellWait = 60 * time.Second

// lockedBuffer collects a process's stderr while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// liveShell is `alexa-brief shell` running with its stdin held open.
type liveShell struct {
	t      *testing.T
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  chan string // stdout, line by line; closed at EOF
	stderr lockedBuffer
	ended  bool
}

func (b *storyBin) startShell(extra ...string) *liveShell {
	t := b.t
	t.Helper()
	s := &liveShell{t: t, lines: make(chan string, 4096)}
	s.cmd = exec.Command(b.bin, "shell")
	s.cmd.Env = append([]string{"HOME=" + b.dir}, append(slices.Clone(b.env), extra...)...)
	s.cmd.Dir = b.dir
	s.cmd.Stderr = &s.stderr
	var err error
	if s.stdin, err = s.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(s.lines)
		r := bufio.NewReader(stdout)
		for {
			line, err := r.ReadString('\n')
			if line != "" {
				s.lines <- line
			}
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		if !s.ended { // the test failed before closing it
			s.cmd.Process.Kill()
			for range s.lines {
			}
			s.cmd.Wait()
		}
	})
	return s
}

// say writes line and returns the shell's reply to it.
func (s *liveShell) say(line string) string {
	s.t.Helper()
	if _, err := io.WriteString(s.stdin, line+"\n/end\n"); err != nil {
		s.t.Fatalf("writing %q to the shell: %v\nstderr:\n%s", line, err, s.stderr.String())
	}
	var reply strings.Builder
	deadline := time.After(shellWait)
	for {
		select {
		case l, ok := <-s.lines:
			if !ok {
				s.t.Fatalf("the shell ended while answering %q; it printed:\n%s\nstderr:\n%s", line, reply.String(), s.stderr.String())
			}
			if strings.TrimSuffix(l, "\n") == shellEnd {
				return strings.TrimLeft(reply.String(), "\n")
			}
			reply.WriteString(l)
		case <-deadline:
			s.t.Fatalf("no reply to %q within %v; so far:\n%s\nstderr:\n%s", line, shellWait, reply.String(), s.stderr.String())
		}
	}
}

// close ends the shell's input and waits for it to exit; it returns the
// exit code and stderr.
func (s *liveShell) close() (int, string) {
	s.t.Helper()
	s.stdin.Close()
	drained := make(chan struct{})
	go func() {
		for range s.lines {
		}
		close(drained)
	}()
	select {
	case <-drained:
	case <-time.After(shellWait):
		s.t.Fatalf("the shell did not exit within %v of the end of its input", shellWait)
	}
	err := s.cmd.Wait()
	s.ended = true
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return ee.ExitCode(), s.stderr.String()
	case err != nil:
		s.t.Fatalf("shell: %v", err)
	}
	return 0, s.stderr.String()
}

// waitFor polls cond every 200ms until it holds, failing the test with
// what after shellWait.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(shellWait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %v waiting for %s", shellWait, what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestStoriesFeedsE2E(t *testing.T) {
	news := startNews(t)
	b := newStoryBin(t)
	b.ok("stories", "add", "bridge", "--title", "Harbour Bridge")
	feedURL := news.URL + "/feed.xml"

	// The feed holds three items; --backfill 1 ingests the newest alone.
	out := b.ok("feeds", "add", feedURL, "--story", "bridge", "--backfill", "1")
	first := addedID.FindStringSubmatch(out)
	if first == nil || out != "feed 1: "+feedURL+" (3 items now; 1 ingested)\n"+first[0]+"Drilling begins for the harbour bridge foundations (story `bridge`)\n" {
		t.Fatalf("feeds add --backfill 1: got\n%s", out)
	}
	// An Atom feed with its backlog skipped, its items joining by rule.
	atomURL := news.URL + "/arts.atom"
	if out := b.ok("feeds", "add", atomURL); out != "feed 2: "+atomURL+" (1 items now; 0 ingested)\n" {
		t.Errorf("feeds add arts.atom: got %q", out)
	}
	if got, want := b.ok("feeds", "list"), "1\t"+feedURL+"\tstory bridge\n2\t"+atomURL+"\tstory (by rule)\n"; got != want {
		t.Errorf("feeds list:\n got %q\nwant %q", got, want)
	}
	feeds := checkArray(t, "feeds list --json", singleJSON(t, b.ok("feeds", "list", "--json")))
	if len(feeds) != 2 {
		t.Fatalf("feeds list --json: got %d feeds, want 2", len(feeds))
	}
	for i, want := range [][2]string{{feedURL, "bridge"}, {atomURL, ""}} {
		_, m := keysOf(t, feeds[i])
		if str(t, "url", m["url"]) != want[0] || str(t, "story", m["story"]) != want[1] || string(m["failures"]) != "0" {
			t.Errorf("feeds list --json [%d]: got %s, want url %s, story %q, no failures", i, feeds[i], want[0], want[1])
		}
	}

	// A new item appears; a running shell's poller (every 10s, the least
	// allowed) fetches it and nothing of the backlog.
	news.setFeed("feed_v2.xml")
	sh := b.startShell()
	waitFor(t, "the poller to store the feed's new item", func() bool {
		return slices.ContainsFunc(b.articles(), func(a articleJSON) bool {
			return a.Title == "Harbour bridge towers pass the halfway mark"
		})
	})
	// What the poller stored reaches the chat that runs it.
	sh.say("/alexa-brief follow bridge")
	if r := sh.say("/alexa-brief sources"); !strings.Contains(r, "Harbour bridge towers pass the halfway mark (Northport Courier, 2026-06-30) · from a feed") {
		t.Errorf("the shell's sources lack the polled article:\n%s", r)
	}
	if code, errOut := sh.close(); code != 0 || strings.Contains(errOut, "feed") {
		t.Errorf("shell: exit %d, stderr:\n%s", code, errOut)
	}

	got := b.articles()
	want := []articleJSON{
		{first[1], "Drilling begins for the harbour bridge foundations", news.URL + "/courier/foundations.html", []string{"bridge"}},
		{"", "Harbour bridge towers pass the halfway mark", news.URL + "/courier/towers.html", []string{"bridge"}},
	}
	if !slices.EqualFunc(got, want, func(a, b articleJSON) bool {
		return (b.ID == "" || a.ID == b.ID) && a.Title == b.Title && a.URL == b.URL && slices.Equal(a.Stories, b.Stories)
	}) {
		t.Errorf("articles list --json:\n got %+v\nwant %+v", got, want)
	}
	if src := b.sources("bridge"); len(src) != 2 || src[0].Origin != "feed" || src[1].Origin != "feed" || src[1].Publication != "Northport Courier" {
		t.Errorf("sources --json --story bridge: got %+v, want two articles of origin feed", src)
	}
	for _, tt := range []struct {
		path string
		want int
	}{
		{"/courier/foundations.html", 1}, // backfilled, and not fetched again
		{"/courier/towers.html", 1},      // new
		{"/courier/survey-divers.html", 0},
		{"/courier/route-meeting.html", 0},
		{"/museum.html", 0}, // the Atom feed's backlog
	} {
		if got := news.hitsOf(tt.path); got != tt.want {
			t.Errorf("%s fetched %d times, want %d", tt.path, got, tt.want)
		}
	}
	if n := news.hitsOf("/feed.xml"); n < 2 {
		t.Errorf("feed.xml fetched %d times, want at least 2 (add, then a poll)", n)
	}

	if got, want := b.ok("feeds", "remove", feedURL), "removed feed "+feedURL+" (its articles stay stored)\n"; got != want {
		t.Errorf("feeds remove URL: got %q, want %q", got, want)
	}
	b.ok("feeds", "remove", "2")
	if got := b.ok("feeds", "list", "--json"); strings.TrimSpace(got) != "[]" {
		t.Errorf("feeds list --json after removing both: %s", got)
	}
	if got := b.articles(); len(got) != 2 {
		t.Errorf("removing feeds removed articles: %+v", got)
	}
}

func TestStoriesLiveE2E(t *testing.T) {
	news := startNews(t)
	b := newStoryBin(t)
	b.ok("stories", "add", "bridge", "--title", "Harbour Bridge", "--match", "harbour bridge")
	b.ingestOne(news.URL + "/herald.html")
	const gazette = "Zsófia Kovács's firm wins the harbour bridge contract"

	sh := b.startShell("ALEXA_BRIEF_REFRESH=200ms")
	if r := sh.say("/alexa-brief follow bridge"); !strings.HasPrefix(r, "Following Harbour Bridge\n") {
		t.Fatalf("follow bridge: got\n%s", r)
	}
	r := sh.say("/alexa-brief sources")
	if !strings.Contains(r, "Council approves Harbour Bridge at $1.2 billion") || strings.Contains(r, gazette) {
		t.Fatalf("sources before the ingest: got\n%s", r)
	}

	// Another process stores an article; the running shell answers from
	// it without a restart.
	out := b.ok("ingest", news.URL+"/gazette.html")
	if !strings.Contains(out, ": "+gazette+" (story `bridge`)") {
		t.Fatalf("ingest gazette: got\n%s", out)
	}
	time.Sleep(200 * time.Millisecond) // one ALEXA_BRIEF_REFRESH
	waitFor(t, "the shell's sources to list the new article", func() bool {
		r = sh.say("/alexa-brief sources")
		return strings.Contains(r, gazette)
	})
	if !strings.Contains(r, gazette+" (The Bayside Gazette, 2025-04-11) · from the web — "+news.URL+"/gazette.html") ||
		!strings.Contains(r, "Council approves Harbour Bridge at $1.2 billion") {
		t.Errorf("sources after the ingest:\n%s", r)
	}
	if r := sh.say("/alexa-brief ask How long will construction take?"); !strings.Contains(r, "46 months") {
		t.Errorf("ask after the ingest does not answer from the new article:\n%s", r)
	}
	if code, errOut := sh.close(); code != 0 || errOut != "" {
		t.Errorf("shell: exit %d, stderr:\n%s", code, errOut)
	}
}

func TestStoriesChatE2E(t *testing.T) {
	news := startNews(t)
	b := newStoryBin(t)
	b.ok("stories", "add", "bridge", "--title", "Harbour Bridge", "--match", "harbour bridge")
	heraldID := b.ingestOne(news.URL + "/herald.html")
	const (
		def    = "Amazon’s strategy to profit from its Alexa-enabled devices has reportedly fallen short"
		herald = "Council approves Harbour Bridge at $1.2 billion"
		tolls  = "Harbour bridge toll to be capped for shift workers"
	)

	sh := b.startShell()
	tests := []struct {
		say       string
		want      []string
		notWanted []string
	}{
		{"/alexa-brief stories", []string{
			"Stories\n───────\n  • `default` — " + def + " (2 articles) · this channel\n  • `bridge` — Harbour Bridge (1 article)\n",
			"`/alexa-brief follow <story>` briefs this channel on another story.",
		}, nil},
		{"/alexa-brief brief", []string{def + "\n"}, []string{"Harbour", "bridge"}},
		{"/alexa-brief follow nope", []string{"! There is no story `nope`. Stories: `default` and `bridge`."}, []string{"Following"}},
		{"/alexa-brief brief", []string{def + "\n"}, []string{"Harbour"}}, // the refusal changed nothing
		{"/alexa-brief follow bridge", []string{"Following Harbour Bridge\n", "now come from the story `bridge`."}, nil},
		{"/alexa-brief brief", []string{herald + "\n", "$1.2 billion", "Sources\n  [1] " + herald + " — " + news.URL + "/herald.html\n"}, []string{"Alexa"}},
		{"/alexa-brief add " + news.URL + "/courier_tolls.html bridge", []string{"Added " + tolls + " to `bridge`.", news.URL + "/courier_tolls.html"}, nil},
		{"/alexa-brief add " + news.URL + "/museum.html nope", []string{"! Nothing was added", `No such story: "nope". Stories: ` + "`default` and `bridge`."}, nil},
		{"/alexa-brief add " + news.URL + "/herald.html", []string{"Already stored: " + herald + ". Nothing changed."}, nil},
		{"/alexa-brief add " + news.URL + "/wire_copy.html", []string{"This page is a copy of " + herald + " (" + heraldID + ")"}, nil},
		{"/alexa-brief add " + news.URL + "/empty.html", []string{"! Nothing was added", "No article text found"}, nil},
		{"/alexa-brief add ftp://127.0.0.1/herald.html", []string{"! Nothing was added", "must be http or https"}, nil},
		{"/alexa-brief stories", []string{
			"  • `default` — " + def + " (2 articles)\n",
			"  • `bridge` — Harbour Bridge (2 articles) · this channel\n",
		}, nil},
		{"/alexa-brief sources", []string{herald, "also carried by Coastal Wire", tolls + " (Northport Courier, 2025-05-20T17:45:00+10:00) · from the web"}, nil},
		{"/alexa-brief ask What will the weekly toll be capped at?", []string{"$25 a week"}, nil},
	}
	for _, tt := range tests {
		r := sh.say(tt.say)
		for _, w := range tt.want {
			if !strings.Contains(r, w) {
				t.Errorf("%s: the reply lacks %q:\n%s", tt.say, w, r)
			}
		}
		for _, u := range tt.notWanted {
			if strings.Contains(r, u) {
				t.Errorf("%s: the reply holds %q:\n%s", tt.say, u, r)
			}
		}
	}
	if code, errOut := sh.close(); code != 0 || errOut != "" {
		t.Errorf("shell: exit %d, stderr:\n%s", code, errOut)
	}
	if n := news.hitsOf("/museum.html"); n != 0 {
		t.Errorf("an add to an unknown story fetched the page (%d requests)", n)
	}

	// The chat's add stored the article for every process, and the
	// channel's story outlived the session.
	got := b.articles()
	if len(got) != 2 || got[1].Title != tolls || !slices.Equal(got[1].Stories, []string{"bridge"}) {
		t.Errorf("articles list --json after the chat: %+v", got)
	}
	out, errOut, code := runEnv(t, b.bin, b.dir, "/alexa-brief stories\n", b.env, "shell")
	if code != 0 || !strings.Contains(out, "`bridge` — Harbour Bridge (2 articles) · this channel") {
		t.Errorf("a new shell: exit %d:\n%s\nstderr:\n%s", code, out, errOut)
	}
}
