// Package web fetches what "follow stories" reads from the web: article
// pages, turned into bot.Page by readability extraction, and RSS or Atom
// feeds, turned into bot.FeedDoc. It is the only package that talks to
// arbitrary servers named by users, so its limits are about safety first.
//
// # Limits, and why
//
//   - Timeout (default 30s) bounds the whole exchange, from dialing to the
//     last body byte, so a server that trickles a response cannot hold a
//     chat command or a scheduler pass.
//   - MaxBytes (default 10 MiB) is checked twice: a Content-Length over it is
//     refused before any body byte is read, and otherwise at most MaxBytes+1
//     bytes are read and the connection is dropped, so memory stays bounded
//     and a 50 MB download stops at the cap. The cap applies after gzip
//     decoding, so a compressed bomb is stopped too.
//   - MaxRedirects (default 10) stops long chains; a redirect back to an
//     address already visited is reported as a loop at once.
//   - Unless AllowPrivate is set, no connection may reach a private,
//     loopback, link-local, unspecified, multicast, CGNAT (100.64/10) or
//     unique-local (fc00::/7) address, IPv4-mapped or NAT64 forms of them
//     included. A URL could otherwise read a cloud metadata service or an
//     internal admin page and post it to a chat. The check runs in the
//     dialer's Control hook against the address actually dialed, so it
//     covers every redirect hop, every address a name resolves to, and DNS
//     rebinding. Hosts written as addresses are also checked before
//     dialing, including the numeric forms inet_aton accepts
//     ("2130706433", "0177.0.0.1", "0x7f.1"), which Go's URL parser
//     treats as names but browsers and C resolvers treat as 127.0.0.1.
//     Environment proxies are ignored: through a proxy the dial would reach
//     the proxy, and the check would judge the wrong address.
//   - Only http and https URLs without credentials are fetched (the rules
//     of bot.NormalizeURL).
//
// # Errors
//
// Every failure a user can act on is a *bot.FetchError wrapped as
// "web: page: …" or "web: feed: …"; its Reason is a fixed sentence that
// never contains server-supplied text: "the page is over the 10 MiB limit",
// "the address is private or loopback", "the address redirects in a loop",
// "too many redirects (more than 10)", "the server did not answer within
// 30s", "the server could not be reached", "the server answered 404 Not
// Found", "the response is not HTML", "no article text found" (under 200
// characters extracted), "not an RSS or Atom feed", "a redirect leads to
// an address that is not http or https", and bot.NormalizeURL's refusals
// ("the URL must be http or https", "the URL must not contain credentials"). A
// cancelled caller context is returned as the context's error, not as a
// FetchError.
//
// # Libraries
//
// Article extraction is codeberg.org/readeck/go-readability/v2, a
// line-by-line port of Mozilla's Readability.js (Firefox's reader view),
// maintained by Readeck; it drops navigation, ads and footers and reads the
// title, byline, site name and published time from meta tags and JSON-LD.
// Where it finds no site name or date, og:site_name and
// article:published_time are read directly. The page is decoded with
// golang.org/x/net/html/charset, which honours the Content-Type charset and
// <meta charset>, rather than readability's own byte-statistics guess.
//
// Feeds are parsed with github.com/mmcdole/gofeed, which reads RSS 0.9x,
// 1.0 and 2.0 and Atom into one shape. It is pinned at v1.3.0: that release
// builds and passes this package's tests, while v1.4.2, the newest version
// the module proxy serves, is noted by the project as not an approved
// release; there was no reason to take it. gofeed also reads JSON Feed, which this package refuses because
// the contract promises RSS or Atom.
package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/alexa-brief/alexa-brief/bot"
)

// Defaults for the zero Options.
const (
	DefaultTimeout      = 30 * time.Second
	DefaultMaxBytes     = 10 << 20
	DefaultMaxRedirects = 10
	DefaultUserAgent    = "alexa-brief (+https://github.com/alexa-brief/alexa-brief)"
)

// Options configure a Client; zero fields take the defaults above.
type Options struct {
	// AllowPrivate lets the client reach loopback and private addresses
	// (tests, private networks). Off, such connections are refused.
	AllowPrivate bool
	Timeout      time.Duration // per fetch, dial to last byte
	MaxBytes     int64         // largest body accepted, after decoding
	MaxRedirects int           // redirects followed per fetch
	UserAgent    string
}

// Client fetches pages and feeds. It is safe for concurrent use.
type Client struct {
	http         *http.Client
	timeout      time.Duration
	maxBytes     int64
	maxRedirects int
	userAgent    string
	// blocked says whether a connection may not go to an address; nil when
	// everything is allowed. A field, not a constant rule, so tests can
	// treat one local server as public and show a redirect from it refused.
	blocked func(netip.AddrPort) bool
}

// User-facing reasons that take no parameter.
const (
	reasonPrivate     = "the address is private or loopback"
	reasonLoop        = "the address redirects in a loop"
	reasonUnreachable = "the server could not be reached"
	reasonNotHTML     = "the response is not HTML"
	reasonNoText      = "no article text found"
	reasonNotFeed     = "not an RSS or Atom feed"
)

var (
	errRedirectLoop     = errors.New("redirect loop")
	errTooManyRedirects = errors.New("too many redirects")
)

// What each fetch asks for: servers that negotiate send the right thing,
// and the rest are judged by what they send.
const (
	acceptHTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
	acceptFeed = "application/rss+xml,application/atom+xml,application/rdf+xml;q=0.9,application/xml;q=0.8,text/xml;q=0.8,*/*;q=0.1"
)

// New returns a Client with opts' limits.
func New(opts Options) *Client {
	c := &Client{
		timeout:      opts.Timeout,
		maxBytes:     opts.MaxBytes,
		maxRedirects: opts.MaxRedirects,
		userAgent:    opts.UserAgent,
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.maxBytes <= 0 {
		c.maxBytes = DefaultMaxBytes
	}
	if c.maxRedirects <= 0 {
		c.maxRedirects = DefaultMaxRedirects
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	if !opts.AllowPrivate {
		c.blocked = func(ap netip.AddrPort) bool { return isBlocked(ap.Addr()) }
	}
	dialer := &net.Dialer{Timeout: c.timeout, KeepAlive: 30 * time.Second, Control: c.control}
	c.http = &http.Client{
		Transport: &http.Transport{
			Proxy: nil, // see the package doc: a proxy would bypass the address check
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				return dialer.DialContext(ctx, network, dialAddr(addr))
			},
			ForceAttemptHTTP2:      true,
			TLSHandshakeTimeout:    10 * time.Second,
			MaxIdleConns:           16,
			IdleConnTimeout:        90 * time.Second,
			MaxResponseHeaderBytes: 1 << 20,
		},
		CheckRedirect: c.checkRedirect,
	}
	return c
}

// Page fetches rawURL and extracts its article.
func (c *Client) Page(ctx context.Context, rawURL string) (bot.Page, error) {
	fetchCtx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	p, err := c.page(fetchCtx, rawURL)
	if err != nil {
		return bot.Page{}, c.fail(ctx, fetchCtx, "page", rawURL, err)
	}
	return p, nil
}

func (c *Client) page(ctx context.Context, rawURL string) (bot.Page, error) {
	resp, err := c.get(ctx, rawURL, acceptHTML, nil)
	if err != nil {
		return bot.Page{}, err
	}
	defer resp.Body.Close()
	if err := c.checkResponse(resp, "page"); err != nil {
		return bot.Page{}, err
	}
	// A declared type is judged before reading, so a PDF is not downloaded
	// only to be refused.
	contentType := resp.Header.Get("Content-Type")
	if contentType != "" && !isHTML(contentType) {
		return bot.Page{}, &bot.FetchError{Reason: reasonNotHTML, Err: fmt.Errorf("content type %q", contentType)}
	}
	body, err := c.read(resp, "page")
	if err != nil {
		return bot.Page{}, err
	}
	if contentType == "" {
		if sniffed := http.DetectContentType(body); !isHTML(sniffed) {
			return bot.Page{}, &bot.FetchError{Reason: reasonNotHTML, Err: fmt.Errorf("sniffed content type %q", sniffed)}
		}
	}
	return extract(body, contentType, resp.Request.URL)
}

// Feed fetches the feed at rawURL. etag and lastModified are the validators
// from the previous poll ("" for none); when the server says nothing
// changed, the Feed has NotModified set and carries the validators to keep.
func (c *Client) Feed(ctx context.Context, rawURL, etag, lastModified string) (bot.FeedDoc, error) {
	fetchCtx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	f, err := c.feed(fetchCtx, rawURL, etag, lastModified)
	if err != nil {
		return bot.FeedDoc{}, c.fail(ctx, fetchCtx, "feed", rawURL, err)
	}
	return f, nil
}

func (c *Client) feed(ctx context.Context, rawURL, etag, lastModified string) (bot.FeedDoc, error) {
	header := http.Header{}
	if etag != "" {
		header.Set("If-None-Match", etag)
	}
	if lastModified != "" {
		header.Set("If-Modified-Since", lastModified)
	}
	resp, err := c.get(ctx, rawURL, acceptFeed, header)
	if err != nil {
		return bot.FeedDoc{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		// A 304 may carry fresher validators (RFC 9110 §15.4.5); else the
		// old ones stay valid.
		f := bot.FeedDoc{NotModified: true, ETag: etag, LastModified: lastModified}
		if v := resp.Header.Get("ETag"); v != "" {
			f.ETag = v
		}
		if v := resp.Header.Get("Last-Modified"); v != "" {
			f.LastModified = v
		}
		return f, nil
	}
	if err := c.checkResponse(resp, "feed"); err != nil {
		return bot.FeedDoc{}, err
	}
	// The Content-Type is not judged: feeds are served as text/xml,
	// application/xml, text/plain and even text/html; the body decides.
	body, err := c.read(resp, "feed")
	if err != nil {
		return bot.FeedDoc{}, err
	}
	f, err := parseFeed(body, resp.Request.URL)
	if err != nil {
		return bot.FeedDoc{}, err
	}
	f.ETag = resp.Header.Get("ETag")
	f.LastModified = resp.Header.Get("Last-Modified")
	return f, nil
}

// get sends one GET, following redirects under checkRedirect.
func (c *Client) get(ctx context.Context, rawURL, accept string, header http.Header) (*http.Response, error) {
	if _, err := bot.NormalizeURL(rawURL); err != nil {
		return nil, &bot.FetchError{Reason: err.Error()}
	}
	// The address is fetched as given: normalising drops and reorders query
	// parameters, which some servers care about.
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return nil, &bot.FetchError{Reason: fmt.Sprintf("url %q is not valid", rawURL)}
	}
	if err := c.checkHost(u); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("new request: %w", err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", accept)
	return c.http.Do(req)
}

// checkRedirect lets at most maxRedirects redirects through, stops a loop
// at its first repeat, and checks each new host written as an address
// (names are checked by control when dialed).
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	next := req.URL.String()
	for _, v := range via {
		if v.URL.String() == next {
			return fmt.Errorf("%w back to %s", errRedirectLoop, next)
		}
	}
	if len(via) > c.maxRedirects {
		return fmt.Errorf("%w: more than %d", errTooManyRedirects, c.maxRedirects)
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return &bot.FetchError{Reason: "a redirect leads to an address that is not http or https"}
	}
	return c.checkHost(req.URL)
}

// checkResponse refuses what can be refused from the status line and the
// headers alone.
func (c *Client) checkResponse(resp *http.Response, noun string) error {
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// The status text is Go's, not the server's: the reason must not
		// carry server-supplied words into a chat.
		return &bot.FetchError{Reason: fmt.Sprintf("the server answered %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))}
	}
	if resp.ContentLength > c.maxBytes {
		return &bot.FetchError{Reason: c.tooLarge(noun), Err: fmt.Errorf("content length %d", resp.ContentLength)}
	}
	return nil
}

// read reads the body up to the cap. One byte more than the cap is asked
// for so that "exactly at the cap" and "over it" can be told apart; the
// caller's Close then drops the connection instead of draining it.
func (c *Client) read(resp *http.Response, noun string) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if int64(len(body)) > c.maxBytes {
		return nil, &bot.FetchError{Reason: c.tooLarge(noun)}
	}
	return body, nil
}

func (c *Client) tooLarge(noun string) string {
	return fmt.Sprintf("the %s is over the %s limit", noun, sizeText(c.maxBytes))
}

// fail turns err into the error Page and Feed return: a *bot.FetchError
// with a user-safe reason, or the caller's own context error.
func (c *Client) fail(callerCtx, fetchCtx context.Context, what, rawURL string, err error) error {
	var fe *bot.FetchError
	switch {
	case errors.As(err, &fe):
		if fe.URL == "" {
			fe.URL = rawURL
		}
		return fmt.Errorf("web: %s: %w", what, err)
	case callerCtx.Err() != nil:
		// The caller gave up (shutdown, a cancelled command); nothing the
		// user should be told about the server.
		return fmt.Errorf("web: %s %s: %w", what, rawURL, err)
	case errors.Is(err, errBlocked):
		fe = &bot.FetchError{Reason: reasonPrivate}
	case errors.Is(err, errRedirectLoop):
		fe = &bot.FetchError{Reason: reasonLoop}
	case errors.Is(err, errTooManyRedirects):
		fe = &bot.FetchError{Reason: fmt.Sprintf("too many redirects (more than %d)", c.maxRedirects)}
	case fetchCtx.Err() != nil || isTimeout(err):
		fe = &bot.FetchError{Reason: fmt.Sprintf("the server did not answer within %s", c.timeout)}
	default:
		fe = &bot.FetchError{Reason: reasonUnreachable}
	}
	fe.URL, fe.Err = rawURL, err
	return fmt.Errorf("web: %s: %w", what, fe)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

// isHTML reports whether a Content-Type names an HTML document.
func isHTML(contentType string) bool {
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		// A malformed parameter still leaves a usable type before the ';'.
		mediaType, _, _ = strings.Cut(contentType, ";")
		mediaType = strings.ToLower(strings.TrimSpace(mediaType))
	}
	return mediaType == "text/html" || mediaType == "application/xhtml+xml"
}

// sizeText writes a byte count as an operator would configure it.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}

// parseFeed reads an RSS or Atom document. Links are resolved against the
// feed's final address, since some feeds give relative ones.
func parseFeed(body []byte, base *url.URL) (bot.FeedDoc, error) {
	switch gofeed.DetectFeedType(bytes.NewReader(body)) {
	case gofeed.FeedTypeRSS, gofeed.FeedTypeAtom:
	case gofeed.FeedTypeJSON:
		return bot.FeedDoc{}, &bot.FetchError{Reason: reasonNotFeed, Err: errors.New("a JSON Feed")}
	default:
		return bot.FeedDoc{}, &bot.FetchError{Reason: reasonNotFeed, Err: errors.New("no rss, rdf:RDF or feed root element")}
	}
	parsed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return bot.FeedDoc{}, &bot.FetchError{Reason: reasonNotFeed, Err: err}
	}
	f := bot.FeedDoc{Title: strings.TrimSpace(parsed.Title)}
	for _, it := range parsed.Items {
		if it == nil {
			continue
		}
		item := bot.FeedItem{
			GUID:      strings.TrimSpace(it.GUID),
			Link:      resolve(base, strings.TrimSpace(it.Link)),
			Title:     strings.TrimSpace(it.Title),
			Published: feedTime(it.PublishedParsed, it.UpdatedParsed),
		}
		if item.Key() == "" {
			continue // with neither guid nor link it can be neither tracked nor fetched
		}
		f.Items = append(f.Items, item)
	}
	return f, nil
}

func resolve(base *url.URL, link string) string {
	if link == "" || base == nil {
		return link
	}
	ref, err := url.Parse(link)
	if err != nil {
		return link
	}
	return base.ResolveReference(ref).String()
}

// feedTime is an item's date: when it was published, else when it was
// last updated (Atom requires only updated).
func feedTime(published, updated *time.Time) string {
	for _, t := range []*time.Time{published, updated} {
		if t != nil && !t.IsZero() {
			return t.Format(time.RFC3339)
		}
	}
	return ""
}
