package bot

import (
	"errors"
	"testing"
)

func TestNormalizeURL(t *testing.T) {
	tests := []struct {
		raw, want string
	}{
		{"https://example.com/a", "https://example.com/a"},
		{"HTTPS://Example.COM/Path/Kept", "https://example.com/Path/Kept"},
		{"http://example.com:80/a", "http://example.com/a"},
		{"https://example.com:443/a", "https://example.com/a"},
		{"http://example.com:443/a", "http://example.com:443/a"},
		{"https://example.com:80/a", "https://example.com:80/a"},
		{"https://example.com:8443/a", "https://example.com:8443/a"},
		{"http://example.com:/a", "http://example.com/a"},
		{"http://[::1]:80/a", "http://[::1]/a"},
		{"http://[2001:DB8::1]:8080/a", "http://[2001:db8::1]:8080/a"},
		{"https://example.com", "https://example.com/"},
		{"https://example.com?", "https://example.com/"},
		{"https://example.com/a?", "https://example.com/a"},
		{"https://example.com/a#section-2", "https://example.com/a"},
		{"https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"},
		{"https://example.com/a?b=2&a=1&b=1", "https://example.com/a?a=1&b=2&b=1"},
		{"https://example.com/a?utm_source=x&utm_medium=y&UTM_Campaign=z", "https://example.com/a"},
		{"https://example.com/a?id=7&fbclid=abc&gclid=d&dclid=e&msclkid=f", "https://example.com/a?id=7"},
		{"https://example.com/a?mc_cid=1&mc_eid=2&igshid=3&yclid=4&_ga=5&ref_src=twsrc&p=1", "https://example.com/a?p=1"},
		{"https://example.com/a?q=a%20b&utm_term=x", "https://example.com/a?q=a%20b"},
		{"https://example.com/a?&&x=1&", "https://example.com/a?x=1"},
		{"https://example.com/a?ref=home", "https://example.com/a?ref=home"},
		{"  https://example.com/a  ", "https://example.com/a"},
		{"https://example.com/caf%C3%A9", "https://example.com/caf%C3%A9"},
	}
	for _, tt := range tests {
		got, err := NormalizeURL(tt.raw)
		if err != nil {
			t.Errorf("NormalizeURL(%q): %v", tt.raw, err)
			continue
		}
		if got != tt.want {
			t.Errorf("NormalizeURL(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

func TestNormalizeURLRefuses(t *testing.T) {
	tests := []struct {
		raw, want string
	}{
		{"ftp://example.com/a", "the URL must be http or https"},
		{"file:///etc/passwd", "the URL must be http or https"},
		{"javascript:alert(1)", "the URL must be http or https"},
		{"example.com/a", "the URL must be http or https"},
		{"https://user:secret@example.com/a", "the URL must not contain credentials"},
		{"https://user@example.com/a", "the URL must not contain credentials"},
		{"http:opaque", `the URL "http:opaque" has no host`},
		{"https:///a", `the URL "https:///a" has no host`},
		{"http://exa mple.com/", `the URL "http://exa mple.com/" is not valid`},
	}
	for _, tt := range tests {
		got, err := NormalizeURL(tt.raw)
		if err == nil {
			t.Errorf("NormalizeURL(%q) = %q, want error %q", tt.raw, got, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("NormalizeURL(%q) error = %q, want %q", tt.raw, err, tt.want)
		}
	}
}

func TestFeedItemKey(t *testing.T) {
	tests := []struct {
		item FeedItem
		want string
	}{
		{FeedItem{GUID: "g1", Link: "https://example.com/1"}, "g1"},
		{FeedItem{Link: "https://example.com/1"}, "https://example.com/1"},
		{FeedItem{}, ""},
	}
	for _, tt := range tests {
		if got := tt.item.Key(); got != tt.want {
			t.Errorf("%+v.Key() = %q, want %q", tt.item, got, tt.want)
		}
	}
}

func TestFetchError(t *testing.T) {
	cause := errors.New("read tcp: reset")
	err := error(&FetchError{URL: "https://example.com/a", Reason: "the page is over the 10 MiB limit", Err: cause})
	if got, want := err.Error(), "https://example.com/a: the page is over the 10 MiB limit: read tcp: reset"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, cause) {
		t.Errorf("errors.Is(err, cause) = false, want true")
	}
	var fe *FetchError
	if !errors.As(err, &fe) || fe.Reason != "the page is over the 10 MiB limit" {
		t.Errorf("errors.As: got %v, want the FetchError", fe)
	}
	if got, want := (&FetchError{Reason: "too many redirects"}).Error(), "too many redirects"; got != want {
		t.Errorf("Error() without URL and cause = %q, want %q", got, want)
	}
}
