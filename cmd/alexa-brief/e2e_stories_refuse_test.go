package main

import (
	"path"
	"slices"
	"strings"
	"testing"
)

// Bad input to the stories subcommands: each is refused with exit 2 and a
// message naming the problem, fetches nothing it need not, and leaves the
// stored articles, feeds and stories as they were. A server that does not
// answer within 30 s is left out: the binary's timeout is fixed at 30 s, too
// long for this suite; adapters/web tests it with a short timeout.

// withoutPrivate is env without ALEXA_BRIEF_ALLOW_PRIVATE_URLS.
func withoutPrivate(env []string) []string {
	return slices.DeleteFunc(slices.Clone(env), func(v string) bool { return strings.HasPrefix(v, "ALEXA_BRIEF_ALLOW_PRIVATE_URLS=") })
}

func TestStoriesBadInputE2E(t *testing.T) {
	news := startNews(t)
	b := newStoryBin(t)
	b.ok("stories", "add", "bridge", "--title", "Harbour Bridge", "--match", "harbour bridge")
	b.ingestOne(news.URL + "/herald.html")
	b.ok("feeds", "add", news.URL+"/feed.xml", "--story", "bridge")
	snapshot := func() string {
		return b.ok("articles", "list", "--json") + b.ok("feeds", "list", "--json") + b.ok("stories", "list", "--json")
	}
	before := snapshot()
	port := news.URL[strings.LastIndexByte(news.URL, ':')+1:]
	base := news.URL

	tests := []struct {
		name      string
		noPrivate bool // run without ALEXA_BRIEF_ALLOW_PRIVATE_URLS
		args      []string
		want      string   // on stderr
		unfetched []string // paths the server must not be asked for
	}{
		{"ftp", false, []string{"ingest", "ftp://127.0.0.1:" + port + "/museum.html"}, "the URL must be http or https", []string{"/museum.html"}},
		{"credentials", false, []string{"ingest", "https://user:pw@127.0.0.1:" + port + "/"}, "the URL must not contain credentials", []string{"/"}},
		{"loopback", true, []string{"ingest", base + "/museum.html"}, "the address is private or loopback", []string{"/museum.html"}},
		{"loopback as a number", true, []string{"ingest", "http://2130706433:" + port + "/museum.html"}, "http://2130706433:" + port + "/museum.html: the address is private or loopback", []string{"/museum.html"}},
		{"loopback in octal", true, []string{"ingest", "http://0177.0.0.1:" + port + "/museum.html"}, "the address is private or loopback", []string{"/museum.html"}},
		{"loopback IPv4-mapped", true, []string{"ingest", "http://[::ffff:127.0.0.1]:" + port + "/museum.html"}, "the address is private or loopback", []string{"/museum.html"}},
		{"loopback by name", true, []string{"ingest", "http://localhost:" + port + "/museum.html"}, "the address is private or loopback", []string{"/museum.html"}},
		{"feed on loopback in hex", true, []string{"feeds", "add", "http://0x7f.1:" + port + "/arts.atom"}, "the address is private or loopback", []string{"/arts.atom"}},
		{"pdf", false, []string{"ingest", base + "/report.pdf"}, base + "/report.pdf: the response is not HTML", nil},
		{"no article text", false, []string{"ingest", base + "/empty.html"}, base + "/empty.html: no article text found", nil},
		{"one bad page of two stores neither", false, []string{"ingest", base + "/museum.html", base + "/empty.html"}, "no article text found", nil},
		{"404", false, []string{"ingest", base + "/gone.html"}, "the server answered 404 Not Found", nil},
		{"50 MB streamed", false, []string{"ingest", base + "/huge.html"}, base + "/huge.html: the page is over the 10 MiB limit", nil},
		{"50 MB declared", false, []string{"ingest", base + "/huge-declared.html"}, "the page is over the 10 MiB limit", nil},
		{"redirect loop", false, []string{"ingest", base + "/loop/a"}, base + "/loop/a: the address redirects in a loop", nil},
		{"unknown story", false, []string{"ingest", base + "/museum.html", "--story", "nope"}, `no such story: "nope" (stories: default, bridge)`, []string{"/museum.html"}},
		{"feed of malformed XML", false, []string{"feeds", "add", base + "/malformed.xml"}, base + "/malformed.xml: not an RSS or Atom feed", nil},
		{"feed that is a page", false, []string{"feeds", "add", base + "/museum.html"}, base + "/museum.html: not an RSS or Atom feed", nil},
		{"feed for an unknown story", false, []string{"feeds", "add", base + "/arts.atom", "--story", "nope"}, `no such story: "nope"`, []string{"/arts.atom"}},
		{"feed with negative backfill", false, []string{"feeds", "add", base + "/arts.atom", "--backfill", "-1"}, "--backfill -1: must be 0 or more", []string{"/arts.atom"}},
		{"feed with a bad rule", false, []string{"feeds", "add", base + "/arts.atom", "--match", "(("}, `--match "((" is not a valid regular expression`, []string{"/arts.atom"}},
		{"feed of ftp", false, []string{"feeds", "add", "ftp://127.0.0.1:" + port + "/feed.xml"}, "the URL must be http or https", nil},
		{"story with a bad id", false, []string{"stories", "add", "Harbour_Bridge!", "--title", "Harbour Bridge"}, `story id "Harbour_Bridge!"`, nil},
		{"story with a bad rule", false, []string{"stories", "add", "tolls", "--title", "Tolls", "--match", "(toll"}, `--match "(toll" is not a valid regular expression`, nil},
		{"story without a title", false, []string{"stories", "add", "tolls"}, "--title is required", nil},
		{"story named default", false, []string{"stories", "add", "default", "--title", "Mine"}, `"default" is the embedded corpus's story`, nil},
		{"articles of an unknown story", false, []string{"articles", "list", "--story", "nope"}, `no such story: "nope"`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits := map[string]int{}
			for _, p := range tt.unfetched {
				hits[p] = news.hitsOf(p)
			}
			env := b.env
			if tt.noPrivate {
				env = withoutPrivate(env)
			}
			out, errOut, code := runEnv(t, b.bin, b.dir, "", env, tt.args...)
			if code != 2 || !strings.Contains(errOut, tt.want) {
				t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q\nstdout: %s", tt.args, code, errOut, tt.want, out)
			}
			for p, n := range hits {
				if got := news.hitsOf(p); got != n {
					t.Errorf("%v: the server was asked for %s", tt.args, p)
				}
			}
			if strings.HasPrefix(tt.name, "50 MB") {
				p := "/" + path.Base(tt.args[1])
				if sent := news.waitHuge(t, p); sent >= hugeSize {
					t.Errorf("%s: the client read all %d bytes; want it to stop at the cap", p, sent)
				} else {
					t.Logf("%s: the server sent %d bytes before the client gave up", p, sent)
				}
			}
			if after := snapshot(); after != before {
				t.Errorf("%v changed the stored state:\nbefore:\n%s\nafter:\n%s", tt.args, before, after)
			}
		})
	}
}
