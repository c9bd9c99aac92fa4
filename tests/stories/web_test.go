package stories

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// newsSite is a publisher on 127.0.0.1: an RSS feed of its latest items at
// /feed.xml (with an ETag, answering 304 to a poll that has it) and each
// item's article page at /news/N. It counts the requests for every page,
// so a test can tell how many times each item was fetched.
type newsSite struct {
	srv *httptest.Server

	mu       sync.Mutex
	items    []newsItem // oldest first
	version  int        // bumped by each publish: the feed's ETag
	pageGets map[string]int
	feedGets int
}

// feedLen is how many items the feed lists, newest first.
const feedLen = 20

func newNewsSite(tb testing.TB) *newsSite {
	s := &newsSite{pageGets: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /feed.xml", s.feed)
	mux.HandleFunc("GET /news/{n}", s.page)
	// Start once s.srv is set: the feed handler reads its URL.
	s.srv = httptest.NewUnstartedServer(mux)
	s.srv.Start()
	tb.Cleanup(s.srv.Close)
	return s
}

func (s *newsSite) feedURL() string { return s.srv.URL + "/feed.xml" }

func (s *newsSite) link(n int) string { return fmt.Sprintf("%s/news/%d", s.srv.URL, n) }

// publish puts item it at the top of the feed.
func (s *newsSite) publish(it newsItem) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items = append(s.items, it)
	s.version++
}

// gets is how many times item n's page was requested.
func (s *newsSite) gets(n int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pageGets[fmt.Sprint(n)]
}

func (s *newsSite) feedRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.feedGets
}

var pubDay = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)

func (s *newsSite) feed(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.feedGets++
	etag := fmt.Sprintf(`"v%d"`, s.version)
	var items []newsItem
	for i := len(s.items) - 1; i >= 0 && len(items) < feedLen; i-- {
		items = append(items, s.items[i])
	}
	s.mu.Unlock()
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<rss version="2.0"><channel><title>Bench Gazette</title><link>` + s.srv.URL + `/</link><description>News</description>` + "\n")
	for _, it := range items {
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s</link><guid isPermaLink=\"false\">bench-gazette-%d</guid><pubDate>%s</pubDate></item>\n",
			html.EscapeString(it.title), s.link(it.n), it.n, pubDay.Add(time.Duration(it.n)*time.Minute).Format(time.RFC1123Z))
	}
	b.WriteString("</channel></rss>\n")
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	fmt.Fprint(w, b.String())
}

func (s *newsSite) page(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("n")
	s.mu.Lock()
	s.pageGets[key]++
	var it *newsItem
	for i := range s.items {
		if fmt.Sprint(s.items[i].n) == key {
			it = &s.items[i]
		}
	}
	s.mu.Unlock()
	if it == nil {
		http.NotFound(w, r)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>%s</title>`, html.EscapeString(it.title))
	b.WriteString(`<meta property="og:site_name" content="Bench Gazette">`)
	fmt.Fprintf(&b, `<meta property="article:published_time" content="%s">`, pubDay.Add(time.Duration(it.n)*time.Minute).Format(time.RFC3339))
	b.WriteString(`</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article>`)
	fmt.Fprintf(&b, "<h1>%s</h1>", html.EscapeString(it.title))
	for _, p := range it.paras {
		fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(strings.Join(p, " ")))
	}
	b.WriteString(`</article><footer>© Bench Gazette</footer></body></html>`)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, b.String())
}

// clock is the pollers' clock: a feed falls due when a test moves it on.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
