package web

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/alexa-brief/alexa-brief/bot"
)

// fetcher is the method set the core will declare for this adapter; the
// assertion keeps the two from drifting apart before it exists.
type fetcher interface {
	Page(ctx context.Context, url string) (bot.Page, error)
	Feed(ctx context.Context, url, etag, lastModified string) (bot.FeedDoc, error)
}

var _ fetcher = (*Client)(nil)

// local is a client for the httptest servers on 127.0.0.1.
func local(opts Options) *Client {
	opts.AllowPrivate = true
	return New(opts)
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// serve answers every request with body under contentType ("" sends no
// Content-Type at all, not even a sniffed one).
func serve(body []byte, contentType string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if contentType == "" {
			w.Header()["Content-Type"] = nil // stops net/http from sniffing one
		} else {
			w.Header().Set("Content-Type", contentType)
		}
		w.Write(body)
	}
}

// server starts a test server whose handler counts the requests it gets.
func server(t testing.TB, h http.Handler) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// reason is the user-facing reason of err, failing the test when err is
// not a *bot.FetchError.
func reason(t testing.TB, err error) string {
	t.Helper()
	var fe *bot.FetchError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want a *bot.FetchError", err)
	}
	if !strings.HasPrefix(err.Error(), "web: ") {
		t.Errorf("err = %q, want the web: prefix", err)
	}
	return fe.Reason
}

func TestPageExtractsArticle(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/news/bridge", serve(fixture(t, "article.html"), "text/html; charset=utf-8"))
	mux.Handle("/share/bridge", http.RedirectHandler("/news/bridge?utm_source=x", http.StatusFound))
	srv, _ := server(t, mux)

	got, err := local(Options{}).Page(context.Background(), srv.URL+"/share/bridge")
	if err != nil {
		t.Fatal(err)
	}
	if want := srv.URL + "/news/bridge?utm_source=x"; got.URL != want {
		t.Errorf("URL = %q, want the final address %q", got.URL, want)
	}
	fields := []struct{ name, got, want string }{
		{"Title", got.Title, "Harbour bridge reopens after two-year repair"},
		{"Publication", got.Publication, "The Coastal Ledger"},
		{"Author", got.Author, "Maria Okafor"},
		{"Published", got.Published, "2024-03-05T09:30:00Z"},
	}
	for _, f := range fields {
		if f.got != f.want {
			t.Errorf("%s = %q, want %q", f.name, f.got, f.want)
		}
	}
	// Paragraphs verbatim, typographic quotes kept, a blank line between.
	wantText := "The Harbour Bridge reopened to traffic on Tuesday morning after a two-year, $48 million repair that replaced its corroded steel deck and strengthened the pillars against storm surges.\n\n" +
		"“We promised the city a safer crossing, and today we kept that promise,” said Mayor Daniel Reyes, who cut the ribbon shortly after 7 a.m. as the first buses rolled across the span.\n\n"
	if !strings.Contains(got.Text, wantText) {
		t.Errorf("Text does not hold the first paragraphs verbatim:\n%s", got.Text)
	}
	if want := "Cyclists get a separate, protected lane for the first time."; !strings.HasSuffix(got.Text, want) {
		t.Errorf("Text does not end with the last paragraph %q:\n%s", want, got.Text)
	}
	for _, chrome := range []string{"NAV-MARKER", "ADVERT-MARKER", "RELATED-MARKER", "FOOTER-MARKER", "NAV-SCRIPT-MARKER", "Privacy"} {
		if strings.Contains(got.Text, chrome) {
			t.Errorf("Text holds page chrome %q:\n%s", chrome, got.Text)
		}
	}
}

func TestPageDateOnlyAndCharset(t *testing.T) {
	// A date-only published time stays a date, and the charset named by the
	// Content-Type is honoured.
	page := strings.ReplaceAll(string(fixture(t, "article.html")), `content="2024-03-05T09:30:00Z"`, `content="2024-03-05"`)
	page = strings.ReplaceAll(page, `<meta charset="utf-8">`, "")
	page = strings.Map(func(r rune) rune { // ASCII only, then one Latin-1 byte
		switch r {
		case '“', '”':
			return '"'
		case '’':
			return '\''
		case '·', '©':
			return '-'
		}
		return r
	}, page)
	page = strings.ReplaceAll(page, "tolls will not", "tolls (caf\xe9 owners cheered) will not")
	srv, _ := server(t, serve([]byte(page), "text/html; charset=iso-8859-1"))

	got, err := local(Options{}).Page(context.Background(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := got.Published, "2024-03-05"; got != want {
		t.Errorf("Published = %q, want %q", got, want)
	}
	if want := "tolls (café owners cheered) will not"; !strings.Contains(got.Text, want) {
		t.Errorf("Text does not hold %q decoded from Latin-1:\n%s", want, got.Text)
	}
}

func TestDateText(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"2024-03-05T09:30:00Z", "2024-03-05T09:30:00Z"},
		{"2024-03-05T09:30:00+02:00", "2024-03-05T09:30:00+02:00"},
		{"2024-03-05", "2024-03-05"},
		{"2024-03-05T09:30:00", "2024-03-05"},
		{"5 March 2024", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := dateText(tt.raw); got != tt.want {
			t.Errorf("dateText(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

func TestMetaProperties(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(`<html><head>
<meta property="og:site_name" content=" The Coastal Ledger ">
<meta property="og:site_name" content="Second">
<meta name="article:published_time" content="2024-03-05">
<meta property="og:image">
</head><body><meta property="in-body" content="x"></body></html>`))
	if err != nil {
		t.Fatal(err)
	}
	got := metaProperties(doc)
	want := map[string]string{"og:site_name": "The Coastal Ledger", "article:published_time": "2024-03-05"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("metaProperties = %v, want %v", got, want)
	}
}

func TestPageRedirects(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/loop/a", http.RedirectHandler("/loop/b", http.StatusFound))
	mux.Handle("/loop/b", http.RedirectHandler("/loop/a", http.StatusMovedPermanently))
	mux.HandleFunc("/chain/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("to"))
		if n < limit {
			http.Redirect(w, r, fmt.Sprintf("/chain/%d?to=%d", n+1, limit), http.StatusFound)
			return
		}
		serve(fixture(t, "article.html"), "text/html")(w, r)
	})
	srv, hits := server(t, mux)
	c := local(Options{MaxRedirects: 3})

	tests := []struct {
		path     string
		want     string // the reason, "" for success
		wantHits int64
	}{
		{"/loop/a", reasonLoop, 2},
		{"/chain/0?to=3", "", 4},
		{"/chain/0?to=1000", "too many redirects (more than 3)", 4},
	}
	for _, tt := range tests {
		hits.Store(0)
		_, err := c.Page(context.Background(), srv.URL+tt.path)
		got := ""
		if err != nil {
			got = reason(t, err)
		}
		if got != tt.want {
			t.Errorf("Page(%s): reason %q, want %q (err %v)", tt.path, got, tt.want, err)
		}
		if got := hits.Load(); got != tt.wantHits {
			t.Errorf("Page(%s): %d requests, want %d", tt.path, got, tt.wantHits)
		}
	}
}

func TestTooLarge(t *testing.T) {
	const size = 50 << 20
	tests := []struct {
		name       string
		feed       bool
		withLength bool
		want       string
	}{
		{"page with content length", false, true, "the page is over the 10 MiB limit"},
		{"page streamed", false, false, "the page is over the 10 MiB limit"},
		{"feed with content length", true, true, "the feed is over the 10 MiB limit"},
		{"feed streamed", true, false, "the feed is over the 10 MiB limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var written atomic.Int64
			done := make(chan struct{})
			srv, _ := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				defer close(done)
				w.Header().Set("Content-Type", "text/html")
				if tt.withLength {
					w.Header().Set("Content-Length", strconv.Itoa(size))
				}
				chunk := []byte(strings.Repeat("<p>filler</p>\n", 32<<10/14))
				for written.Load() < size {
					n, err := w.Write(chunk)
					written.Add(int64(n))
					if err != nil {
						return // the client hung up: what we want
					}
				}
			}))
			c := local(Options{})
			var err error
			if tt.feed {
				_, err = c.Feed(context.Background(), srv.URL, "", "")
			} else {
				_, err = c.Page(context.Background(), srv.URL)
			}
			if err == nil {
				t.Fatal("got no error, want the size limit")
			}
			if got := reason(t, err); got != tt.want {
				t.Errorf("reason %q, want %q (err %v)", got, tt.want, err)
			}
			select {
			case <-done:
			case <-time.After(20 * time.Second): // a guard against a hang, not a timing check
				t.Fatal("the server is still writing: the client did not drop the connection")
			}
			t.Logf("the server wrote %d bytes", written.Load())
			// The cap plus what socket buffers absorbed, nowhere near 50 MB.
			if got, limit := written.Load(), int64(25<<20); got > limit {
				t.Errorf("the server wrote %d bytes, want under %d", got, limit)
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/silent", func(w http.ResponseWriter, r *http.Request) {
		select { // never answers until the client or the test gives up
		case <-r.Context().Done():
		case <-release:
		}
	})
	mux.HandleFunc("/trickle", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body><p>The first words arrive, then nothing"))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	srv, _ := server(t, mux)
	t.Cleanup(func() { close(release) }) // runs before srv.Close, which waits for handlers

	c := local(Options{Timeout: 300 * time.Millisecond})
	const want = "the server did not answer within 300ms"
	tests := []struct {
		name  string
		fetch func() error
	}{
		{"page, no headers", func() error { _, err := c.Page(context.Background(), srv.URL+"/silent"); return err }},
		{"page, stalled body", func() error { _, err := c.Page(context.Background(), srv.URL+"/trickle"); return err }},
		{"feed, no headers", func() error { _, err := c.Feed(context.Background(), srv.URL+"/silent", "", ""); return err }},
	}
	for _, tt := range tests {
		err := tt.fetch()
		if err == nil {
			t.Errorf("%s: got no error, want a timeout", tt.name)
			continue
		}
		if got := reason(t, err); got != want {
			t.Errorf("%s: reason %q, want %q (err %v)", tt.name, got, want, err)
		}
	}
}

func TestCallerCancelIsNotAFetchError(t *testing.T) {
	srv, _ := server(t, serve(fixture(t, "article.html"), "text/html"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := local(Options{}).Page(ctx, srv.URL)
	var fe *bot.FetchError
	if !errors.Is(err, context.Canceled) || errors.As(err, &fe) {
		t.Errorf("err = %v, want context.Canceled and no FetchError", err)
	}
}

func TestPageRefuses(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	mux := http.NewServeMux()
	mux.Handle("/report.pdf", serve([]byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"), "application/pdf"))
	mux.Handle("/photo.png", serve(png, "image/png"))
	mux.Handle("/untyped.png", serve(png, ""))
	mux.Handle("/data.json", serve([]byte(`{"article":"no"}`), "application/json"))
	mux.Handle("/stub", serve(fixture(t, "stub.html"), "text/html"))
	mux.Handle("/empty", serve(nil, "text/html"))
	mux.Handle("/gone", http.NotFoundHandler())
	srv, _ := server(t, mux)
	c := local(Options{})

	tests := []struct{ path, want string }{
		{"/report.pdf", reasonNotHTML},
		{"/photo.png", reasonNotHTML},
		{"/untyped.png", reasonNotHTML},
		{"/data.json", reasonNotHTML},
		{"/stub", reasonNoText},
		{"/empty", reasonNoText},
		{"/gone", "the server answered 404 Not Found"},
	}
	for _, tt := range tests {
		_, err := c.Page(context.Background(), srv.URL+tt.path)
		if err == nil {
			t.Errorf("Page(%s): no error, want %q", tt.path, tt.want)
			continue
		}
		if got := reason(t, err); got != tt.want {
			t.Errorf("Page(%s): reason %q, want %q (err %v)", tt.path, got, tt.want, err)
		}
	}
}

func TestPageUntypedHTML(t *testing.T) {
	srv, _ := server(t, serve(fixture(t, "article.html"), ""))
	got, err := local(Options{}).Page(context.Background(), srv.URL)
	if err != nil {
		t.Fatalf("HTML without a Content-Type: %v", err)
	}
	if want := "Harbour bridge reopens after two-year repair"; got.Title != want {
		t.Errorf("Title = %q, want %q", got.Title, want)
	}
}

func TestURLRefused(t *testing.T) {
	c := local(Options{})
	tests := []struct{ url, want string }{
		{"ftp://example.com/a", "the URL must be http or https"},
		{"file:///etc/passwd", "the URL must be http or https"},
		{"http://user:secret@127.0.0.1/", "the URL must not contain credentials"},
	}
	for _, tt := range tests {
		_, err := c.Page(context.Background(), tt.url)
		if got := reason(t, err); got != tt.want {
			t.Errorf("Page(%s): reason %q, want %q", tt.url, got, tt.want)
		}
		_, err = c.Feed(context.Background(), tt.url, "", "")
		if got := reason(t, err); got != tt.want {
			t.Errorf("Feed(%s): reason %q, want %q", tt.url, got, tt.want)
		}
	}
}

func TestFeed(t *testing.T) {
	mux := http.NewServeMux()
	for _, name := range []string{"rss.xml", "atom.xml", "rdf.xml"} {
		mux.Handle("/"+name, serve(fixture(t, name), "application/xml"))
	}
	srv, _ := server(t, mux)

	tests := []struct {
		path string
		want bot.FeedDoc
	}{
		{"/rss.xml", bot.FeedDoc{Title: "The Coastal Ledger — News", Items: []bot.FeedItem{
			{GUID: "ledger-2024-0305-bridge", Link: "https://ledger.example/news/bridge", Title: "Harbour bridge reopens after two-year repair", Published: "2024-03-05T09:30:00Z"},
			{Link: srv.URL + "/news/ferry-fares", Title: "Ferry fares rise again", Published: "2024-03-04T16:00:00Z"},
		}}},
		{"/atom.xml", bot.FeedDoc{Title: "Harbour Watch", Items: []bot.FeedItem{
			{GUID: "tag:watch.example,2024:bridge-traffic", Link: "https://watch.example/2024/03/bridge-traffic", Title: "Bridge traffic back to normal", Published: "2024-03-05T07:15:00Z"},
			{GUID: "tag:watch.example,2024:repair-costs", Link: "https://watch.example/2024/03/repair-costs", Title: "Council publishes repair costs", Published: "2024-03-04T12:00:00Z"},
		}}},
		{"/rdf.xml", bot.FeedDoc{Title: "Old Harbour Gazette", Items: []bot.FeedItem{
			{Link: "https://old.example/bridge", Title: "Bridge reopens", Published: "2024-03-05T07:00:00Z"},
		}}},
	}
	c := local(Options{})
	for _, tt := range tests {
		got, err := c.Feed(context.Background(), srv.URL+tt.path, "", "")
		if err != nil {
			t.Errorf("Feed(%s): %v", tt.path, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Feed(%s)\n got %+v\nwant %+v", tt.path, got, tt.want)
		}
	}
}

func TestFeedRefuses(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/html", serve(fixture(t, "article.html"), "text/html"))
	mux.Handle("/html-as-xml", serve(fixture(t, "article.html"), "application/rss+xml"))
	mux.Handle("/malformed", serve(fixture(t, "malformed.xml"), "application/rss+xml"))
	mux.Handle("/json", serve([]byte(`{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[]}`), "application/feed+json"))
	mux.Handle("/text", serve([]byte("not a feed at all"), "text/plain"))
	mux.Handle("/empty", serve(nil, "application/xml"))
	mux.Handle("/other-xml", serve([]byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`), "application/xml"))
	mux.Handle("/gone", http.NotFoundHandler())
	srv, _ := server(t, mux)
	c := local(Options{})

	tests := []struct{ path, want string }{
		{"/html", reasonNotFeed},
		{"/html-as-xml", reasonNotFeed},
		{"/malformed", reasonNotFeed},
		{"/json", reasonNotFeed},
		{"/text", reasonNotFeed},
		{"/empty", reasonNotFeed},
		{"/other-xml", reasonNotFeed},
		{"/gone", "the server answered 404 Not Found"},
	}
	for _, tt := range tests {
		_, err := c.Feed(context.Background(), srv.URL+tt.path, "", "")
		if err == nil {
			t.Errorf("Feed(%s): no error, want %q", tt.path, tt.want)
			continue
		}
		if got := reason(t, err); got != tt.want {
			t.Errorf("Feed(%s): reason %q, want %q (err %v)", tt.path, got, tt.want, err)
		}
	}
}

func TestFeedConditionalGet(t *testing.T) {
	const etag, lastModified = `"v1"`, "Tue, 05 Mar 2024 10:00:00 GMT"
	var sawSince atomic.Value
	srv, hits := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastModified)
		if r.Header.Get("If-None-Match") == etag {
			sawSince.Store(r.Header.Get("If-Modified-Since"))
			w.WriteHeader(http.StatusNotModified)
			return
		}
		serve(fixture(t, "rss.xml"), "application/rss+xml")(w, r)
	}))
	c := local(Options{})

	first, err := c.Feed(context.Background(), srv.URL, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if first.NotModified || len(first.Items) != 2 || first.ETag != etag || first.LastModified != lastModified {
		t.Fatalf("first poll = %+v, want 2 items and validators %s, %s", first, etag, lastModified)
	}

	second, err := c.Feed(context.Background(), srv.URL, first.ETag, first.LastModified)
	if err != nil {
		t.Fatal(err)
	}
	want := bot.FeedDoc{NotModified: true, ETag: etag, LastModified: lastModified}
	if !reflect.DeepEqual(second, want) {
		t.Errorf("second poll = %+v, want %+v", second, want)
	}
	if got, _ := sawSince.Load().(string); got != lastModified {
		t.Errorf("If-Modified-Since = %q, want %q", got, lastModified)
	}
	if got := hits.Load(); got != 2 {
		t.Errorf("%d requests, want 2", got)
	}
}

func TestNumericHostReachesTheAddressItDenotes(t *testing.T) {
	srv, hits := server(t, serve(fixture(t, "article.html"), "text/html"))
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	c := local(Options{})
	for _, host := range []string{"2130706433", "0177.0.0.1", "0x7f.0.0.1", "0x7f.1", "127.1"} {
		hits.Store(0)
		u := fmt.Sprintf("http://%s:%d/", host, port)
		if _, err := c.Page(context.Background(), u); err != nil {
			t.Errorf("Page(%s) with private addresses allowed: %v", u, err)
		}
		if hits.Load() != 1 {
			t.Errorf("Page(%s) did not reach 127.0.0.1", u)
		}
	}
}

func TestPrivateAddressesRefused(t *testing.T) {
	srv, hits := server(t, serve(fixture(t, "article.html"), "text/html"))
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	c := New(Options{}) // AllowPrivate false, as in production

	hosts := []string{
		"127.0.0.1", "localhost", "[::1]", "10.0.0.1", "10.255.1.2", "172.16.5.4", "192.168.1.1",
		"169.254.169.254", "100.64.0.1", "0.0.0.0", "[::ffff:127.0.0.1]", "[fd00::1]", "[fe80::1]",
		"2130706433", "0177.0.0.1", "0x7f.0.0.1", "0x7f.1", "127.1", "017700000001", "0xa9fea9fe",
	}
	for _, host := range hosts {
		u := fmt.Sprintf("http://%s:%d/latest/meta-data/", host, port)
		_, err := c.Page(context.Background(), u)
		if got := reason(t, err); got != reasonPrivate {
			t.Errorf("Page(%s): reason %q, want %q (err %v)", u, got, reasonPrivate, err)
		}
		_, err = c.Feed(context.Background(), u, "", "")
		if got := reason(t, err); got != reasonPrivate {
			t.Errorf("Feed(%s): reason %q, want %q (err %v)", u, got, reasonPrivate, err)
		}
	}
	if got := hits.Load(); got != 0 {
		t.Errorf("the loopback server got %d requests, want 0", got)
	}
}

// TestRedirectToPrivateRefused treats one local server as public and shows
// a redirect from it to loopback refused: by name, at dial time (Control),
// and as a literal, before dialing.
func TestRedirectToPrivateRefused(t *testing.T) {
	target, targetHits := server(t, serve(fixture(t, "article.html"), "text/html"))
	targetPort := target.Listener.Addr().(*net.TCPAddr).Port
	mux := http.NewServeMux()
	mux.Handle("/by-name", http.RedirectHandler(fmt.Sprintf("http://localhost:%d/", targetPort), http.StatusFound))
	mux.Handle("/by-address", http.RedirectHandler(target.URL, http.StatusFound))
	public, publicHits := server(t, mux)
	publicAddr := netip.MustParseAddrPort(public.Listener.Addr().String())

	c := New(Options{})
	c.blocked = func(ap netip.AddrPort) bool { return ap != publicAddr && isBlocked(ap.Addr()) }

	for _, path := range []string{"/by-name", "/by-address"} {
		_, err := c.Page(context.Background(), public.URL+path)
		if got := reason(t, err); got != reasonPrivate {
			t.Errorf("Page(%s): reason %q, want %q (err %v)", path, got, reasonPrivate, err)
		}
		var op *net.OpError
		if dialed := errors.As(err, &op) && op.Op == "dial"; dialed != (path == "/by-name") {
			t.Errorf("Page(%s): refused at dial = %v, want %v (err %v)", path, dialed, path == "/by-name", err)
		}
	}
	if got := publicHits.Load(); got != 2 {
		t.Errorf("the public server got %d requests, want 2", got)
	}
	if got := targetHits.Load(); got != 0 {
		t.Errorf("the loopback target got %d requests, want 0", got)
	}
}

func TestIsBlocked(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"8.8.8.8", false},
		{"1.1.1.1", false},
		{"93.184.216.34", false},
		{"2606:4700:4700::1111", false},
		{"::ffff:8.8.8.8", false},
		{"64:ff9b::808:808", false},
		{"100.63.255.255", false},
		{"100.128.0.0", false},
		{"172.32.0.1", false},
		{"127.0.0.1", true},
		{"127.255.255.254", true},
		{"::1", true},
		{"0.0.0.0", true},
		{"0.1.2.3", true},
		{"::", true},
		{"10.0.0.1", true},
		{"172.16.0.1", true},
		{"172.31.255.255", true},
		{"192.168.1.1", true},
		{"169.254.169.254", true},
		{"100.64.0.1", true},
		{"100.127.255.255", true},
		{"fc00::1", true},
		{"fd12:3456::1", true},
		{"fe80::1", true},
		{"fe80::1%eth0", true},
		{"fec0::1", true},
		{"224.0.0.1", true},
		{"239.255.255.250", true},
		{"ff02::1", true},
		{"255.255.255.255", true},
		{"240.0.0.1", true},
		{"198.18.0.1", true},
		{"192.0.0.8", true},
		{"::ffff:127.0.0.1", true},
		{"::ffff:10.0.0.1", true},
		{"::ffff:169.254.169.254", true},
		{"64:ff9b::7f00:1", true},
		{"64:ff9b::a9fe:a9fe", true},
	}
	for _, tt := range tests {
		if got := isBlocked(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("isBlocked(%s) = %v, want %v", tt.addr, got, tt.want)
		}
	}
	if got := isBlocked(netip.Addr{}); !got {
		t.Errorf("isBlocked(invalid) = false, want true")
	}
}

func TestHostAddr(t *testing.T) {
	tests := []struct {
		host string
		want string // "" when the host is a name
	}{
		{"127.0.0.1", "127.0.0.1"},
		{"2130706433", "127.0.0.1"},
		{"0177.0.0.1", "127.0.0.1"},
		{"0x7f.0.0.1", "127.0.0.1"},
		{"0X7F.0.0.1", "127.0.0.1"},
		{"0x7f.1", "127.0.0.1"},
		{"127.1", "127.0.0.1"},
		{"0x7F000001", "127.0.0.1"},
		{"017700000001", "127.0.0.1"},
		{"127.0.0.1.", "127.0.0.1"},
		{"10.1", "10.0.0.1"},
		{"192.168.257", "192.168.1.1"},
		{"0xa9fea9fe", "169.254.169.254"},
		{"0", "0.0.0.0"},
		{"134744072", "8.8.8.8"},
		{"::1", "::1"},
		{"::ffff:127.0.0.1", "::ffff:127.0.0.1"},
		{"example.com", ""},
		{"localhost", ""},
		{"08.0.0.1", ""},
		{"4294967296", ""},
		{"256.0.0.1", ""},
		{"1.2.3.4.5", ""},
		{"1..2", ""},
		{"0x", ""},
		{"0x1g", ""},
		{"", ""},
		{"1.2.3.4a", ""},
		{"-1", ""},
		{"+1", ""},
		{"1_000", ""},
	}
	for _, tt := range tests {
		a, ok := hostAddr(tt.host)
		got := ""
		if ok {
			got = a.String()
		}
		if got != tt.want {
			t.Errorf("hostAddr(%q) = %q, want %q", tt.host, got, tt.want)
		}
	}
}

func TestSizeText(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{10 << 20, "10 MiB"},
		{512 << 10, "512 KiB"},
		{1000, "1000 bytes"},
	}
	for _, tt := range tests {
		if got := sizeText(tt.n); got != tt.want {
			t.Errorf("sizeText(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
