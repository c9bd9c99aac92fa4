package web

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"

	"github.com/alexa-brief/alexa-brief/bot"
)

// minTextRunes is the least article text worth storing. Below it the page
// is a stub, a login wall or an index, and briefing on it would mislead.
const minTextRunes = 200

// extract turns an HTML document into a Page.
func extract(body []byte, contentType string, pageURL *url.URL) (bot.Page, error) {
	r, err := charset.NewReader(bytes.NewReader(body), contentType)
	if err != nil {
		return bot.Page{}, &bot.FetchError{Reason: reasonNoText, Err: fmt.Errorf("decode: %w", err)}
	}
	doc, err := html.Parse(r)
	if err != nil {
		return bot.Page{}, &bot.FetchError{Reason: reasonNoText, Err: fmt.Errorf("parse html: %w", err)}
	}
	// Read before readability mutates the tree.
	meta := metaProperties(doc)

	parser := readability.NewParser() // a Parser holds per-document state: one per page
	article, err := parser.ParseAndMutate(doc, pageURL)
	if err != nil {
		return bot.Page{}, &bot.FetchError{Reason: reasonNoText, Err: err}
	}
	var b strings.Builder
	if article.Node != nil {
		if err := article.RenderText(&b); err != nil {
			return bot.Page{}, &bot.FetchError{Reason: reasonNoText, Err: err}
		}
	}
	text := strings.TrimSpace(b.String())
	if n := utf8.RuneCountInString(text); n < minTextRunes {
		return bot.Page{}, &bot.FetchError{Reason: reasonNoText, Err: fmt.Errorf("%d characters of text, want at least %d", n, minTextRunes)}
	}

	p := bot.Page{
		URL:         pageURL.String(),
		Title:       strings.TrimSpace(article.Title()),
		Publication: strings.TrimSpace(article.SiteName()),
		Author:      author(article.Byline()),
		Published:   publishedTime(article),
		Text:        text,
	}
	if p.Publication == "" {
		p.Publication = meta["og:site_name"]
	}
	if p.Published == "" {
		p.Published = dateText(meta["article:published_time"])
	}
	return p, nil
}

// author is a byline as a name: readability returns the line as the page
// shows it, often "By Jane Doe".
func author(byline string) string {
	byline = strings.Join(strings.Fields(byline), " ")
	if len(byline) > 3 && strings.EqualFold(byline[:3], "by ") {
		byline = byline[3:]
	}
	return byline
}

// publishedTime is readability's published date in the contract's form. A
// time at exactly midnight is written as a date: that is what a page that
// gives only "2024-03-05" parses to, and a date is all it said.
func publishedTime(a readability.Article) string {
	t, err := a.PublishedTime()
	if err != nil || t.IsZero() {
		return ""
	}
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Format(time.DateOnly)
	}
	return t.Format(time.RFC3339)
}

// dateText normalises a meta tag's date to RFC 3339 or YYYY-MM-DD, or ""
// when it is neither.
func dateText(s string) string {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.Format(time.RFC3339)
	}
	if len(s) >= 10 {
		if t, err := time.Parse(time.DateOnly, s[:10]); err == nil {
			return t.Format(time.DateOnly)
		}
	}
	return ""
}

// metaProperties collects <meta property|name=… content=…> pairs, the first
// of each name winning as in most consumers of Open Graph.
func metaProperties(doc *html.Node) map[string]string {
	out := map[string]string{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "meta" {
			var name, content string
			for _, a := range n.Attr {
				switch strings.ToLower(a.Key) {
				case "property", "name":
					if name == "" {
						name = strings.ToLower(strings.TrimSpace(a.Val))
					}
				case "content":
					content = strings.TrimSpace(a.Val)
				}
			}
			if _, seen := out[name]; name != "" && content != "" && !seen {
				out[name] = content
			}
		}
		if n.Type == html.ElementNode && n.Data == "body" {
			return // meta tags belong in the head; the body can be large
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}
