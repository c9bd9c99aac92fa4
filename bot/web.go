package bot

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Page is a web article as the core stores it. An adapter that fetches the
// web fills it in; the core never sees HTML.
type Page struct {
	URL         string // the final address, after redirects
	Title       string
	Publication string // the site's name, e.g. "The Guardian"
	Author      string
	Published   string // RFC 3339, YYYY-MM-DD, or "" when unknown
	Text        string // the article's plain text, paragraphs separated by blank lines
}

// FeedItem is one entry of an RSS or Atom feed.
type FeedItem struct {
	GUID      string
	Link      string
	Title     string
	Published string // RFC 3339, YYYY-MM-DD, or "" when unknown
}

// Key is what makes an item new: its guid, or its link when the feed gives
// no guid (the spec's rule for the backlog and later polls).
func (i FeedItem) Key() string {
	if i.GUID != "" {
		return i.GUID
	}
	return i.Link
}

// FeedDoc is one poll of a feed (what the web holds; Feed is the stored record). ETag and LastModified are the validators to
// send with the next poll; NotModified says the server answered 304, in
// which case Items is empty and nothing changed.
type FeedDoc struct {
	Title        string
	Items        []FeedItem
	ETag         string
	LastModified string
	NotModified  bool
}

// FetchError is a fetch that failed for a reason the user can act on. The
// chat and the CLI show Reason, never Err: Reason is a fixed sentence with no
// server-supplied text, Err is the detail for the log.
type FetchError struct {
	URL    string // the address asked for
	Reason string // e.g. "the page is over the 10 MiB limit"
	Err    error  // the underlying cause; may be nil
}

func (e *FetchError) Error() string {
	s := e.Reason
	if e.URL != "" {
		s = e.URL + ": " + s
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *FetchError) Unwrap() error { return e.Err }

// trackingParams are query parameters that say how a reader arrived, not
// what they read; two links differing only in them are the same article.
var trackingParams = []string{
	"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_ga", "ref_src",
}

// NormalizeURL gives the form under which an article's address is stored and
// deduplicated: lowercase scheme and host, no default port, no fragment, no
// tracking parameters, the remaining query parameters sorted by name (stably,
// so repeated names keep their order), and "/" for an empty path. Its errors
// URLError is a URL refused before any fetch: its text is safe to show.
type URLError struct{ Msg string }

func (e *URLError) Error() string { return e.Msg }

// are sentences fit to show the user.
func NormalizeURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", &URLError{fmt.Sprintf("the URL %q is not valid", raw)}
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", &URLError{"the URL must be http or https"}
	}
	if u.User != nil {
		// Credentials in a stored address would be shown to every channel
		// that follows the story.
		return "", &URLError{"the URL must not contain credentials"}
	}
	if u.Opaque != "" || u.Hostname() == "" {
		return "", &URLError{fmt.Sprintf("the URL %q has no host", raw)}
	}

	host := strings.ToLower(u.Host)
	// An empty port ("http://example.com:/") is the default one too.
	if port := u.Port(); port == "" || (port == "80" && u.Scheme == "http") || (port == "443" && u.Scheme == "https") {
		host = strings.TrimSuffix(host, ":"+port)
	}
	u.Host = host

	u.Fragment, u.RawFragment = "", ""
	u.RawQuery = normalizeQuery(u.RawQuery)
	u.ForceQuery = false
	if u.Path == "" {
		u.Path, u.RawPath = "/", ""
	}
	return u.String(), nil
}

// normalizeQuery works on the raw pairs rather than url.Values so that each
// kept pair keeps the encoding the publisher gave it.
func normalizeQuery(raw string) string {
	type pair struct{ key, raw string }
	var pairs []pair
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, _, _ := strings.Cut(part, "=")
		if key, err := url.QueryUnescape(k); err == nil {
			k = key
		}
		if isTrackingParam(k) {
			continue
		}
		pairs = append(pairs, pair{k, part})
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return strings.Compare(a.key, b.key) })
	kept := make([]string, len(pairs))
	for i, p := range pairs {
		kept[i] = p.raw
	}
	return strings.Join(kept, "&")
}

func isTrackingParam(key string) bool {
	key = strings.ToLower(key)
	return strings.HasPrefix(key, "utm_") || slices.Contains(trackingParams, key)
}
