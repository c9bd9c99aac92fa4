package discord

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/alexa-brief/alexa-brief/adapters/discord/discordtest"
	"github.com/alexa-brief/alexa-brief/bot"
)

func channelScope(ch string) bot.Scope {
	return bot.Scope{Platform: bot.PlatformDiscord, Team: "200000000000000002", Channel: ch}
}

func TestPostNonce(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	a, _ := newTestAdapter(t, fake, nil, nil, nil)
	sc := channelScope("210000000000000021")
	r := goldenReplies["brief"]
	r.Buttons = append(r.Buttons, bot.Button{Label: "Share in channel", Action: bot.ActionShare, Value: "brief"})
	id, err := a.Post(t.Context(), sc, r, "sub-7/2026-11-23T09:00:00Z")
	if err != nil {
		t.Fatal(err)
	}
	msgs := fake.ChannelMessages(sc.Channel)
	if len(msgs) != 1 || msgs[0].ID != id {
		t.Fatalf("messages %+v, id %q", msgs, id)
	}
	m := msgs[0]
	if len(m.Nonce) != 25 || !m.EnforceNonce {
		t.Errorf("nonce %q enforce %v, want 25 characters enforced", m.Nonce, m.EnforceNonce)
	}
	if strings.Contains(string(m.Components), "share") {
		t.Error("a channel message offers to share itself")
	}
	// The same key again (a scheduler retry after a crash) returns the
	// message already posted.
	id2, err := a.Post(t.Context(), sc, r, "sub-7/2026-11-23T09:00:00Z")
	if err != nil || id2 != id {
		t.Errorf("repost = %q, %v; want %q", id2, err, id)
	}
	if n := len(fake.ChannelMessages(sc.Channel)); n != 1 {
		t.Errorf("%d messages after a repost, want 1", n)
	}
	// Another channel with the same key is another message.
	if _, err := a.Post(t.Context(), channelScope("210000000000000022"), r, "sub-7/2026-11-23T09:00:00Z"); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Messages()); n != 2 {
		t.Errorf("%d messages, want 2", n)
	}
}

// A response lost after Discord stored the message: the retry carries the
// same nonce and posts nothing new.
func TestPostRetryAfterLostResponse(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	m := &metrics{}
	a, _ := newTestAdapter(t, fake, nil, nil, m)
	fake.FailAfterCommit(1, 502)
	fake.Fail(1, 503)
	if _, err := a.Post(t.Context(), channelScope("210000000000000021"), goldenReplies["answer"], ""); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Messages()); n != 1 {
		t.Errorf("%d messages, want 1", n)
	}
	if got := m.snapshot().retried; got != 2 {
		t.Errorf("retried %d, want 2", got)
	}
}

func TestPostErrors(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	a, _ := newTestAdapter(t, fake, nil, nil, nil)
	fake.Fail(maxRetries+1, 500)
	_, err := a.Post(t.Context(), channelScope("210000000000000021"), goldenReplies["answer"], "k")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 500 {
		t.Fatalf("err = %v, want a final 500 after %d retries", err, maxRetries)
	}
	if n := fake.Stats().Requests; n != maxRetries+1 {
		t.Errorf("%d requests, want %d", n, maxRetries+1)
	}

	bad, err := New(Config{AppID: fake.AppID(), BotToken: "wrong", APIURL: fake.URL()}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.Post(t.Context(), channelScope("210000000000000021"), goldenReplies["answer"], "k")
	if !errors.As(err, &apiErr) || apiErr.Status != 401 || !strings.Contains(err.Error(), "401: Unauthorized") {
		t.Errorf("err = %v, want Discord's 401", err)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Error("the error shows the token")
	}

	for _, sc := range []bot.Scope{{Platform: "slack", Channel: "C1"}, {Platform: "discord", Channel: "not-an-id"}} {
		if _, err := a.Post(t.Context(), sc, goldenReplies["answer"], ""); err == nil {
			t.Errorf("Post(%+v) accepted", sc)
		}
	}
	noToken, _ := New(Config{APIURL: fake.URL()}, nil, nil)
	if _, err := noToken.Post(t.Context(), channelScope("210000000000000021"), goldenReplies["answer"], ""); err == nil {
		t.Error("Post without a token accepted")
	}
}

// A storm of posts to one channel keeps to the bucket Discord announces in
// its headers: no 429 at all, every message delivered once.
func TestRateLimitStorm(t *testing.T) {
	fake := discordtest.New(discordtest.Options{RouteLimit: 3, RouteWindow: 100e6})
	defer fake.Close()
	m := &metrics{}
	a, _ := newTestAdapter(t, fake, nil, nil, m)
	const n = 15
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			_, err := a.Post(t.Context(), channelScope("210000000000000021"), bot.Reply{Title: fmt.Sprint("digest ", i)}, fmt.Sprint("k", i))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := len(fake.ChannelMessages("210000000000000021")); got != n {
		t.Errorf("%d messages, want %d", got, n)
	}
	if s := fake.Stats(); s.RateLimited != 0 || s.GlobalLimit != 0 {
		t.Errorf("stats %+v: limits were discovered, not obeyed", s)
	}
	if got := m.snapshot(); got.waited == 0 {
		t.Errorf("metrics %+v: no wait recorded", got)
	}
}

// 429s Discord sends anyway (shared scope) are waited out as told.
func TestRateLimitedAnswers(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	m := &metrics{}
	a, _ := newTestAdapter(t, fake, nil, nil, m)
	fake.RateLimitNext(3, 0.05)
	if _, err := a.Post(t.Context(), channelScope("210000000000000021"), goldenReplies["quotes"], ""); err != nil {
		t.Fatal(err)
	}
	got := m.snapshot()
	if got.limited != 3 || got.retried != 3 {
		t.Errorf("rate limited %d, retried %d; want 3 and 3", got.limited, got.retried)
	}
	if n := len(fake.Messages()); n != 1 {
		t.Errorf("%d messages", n)
	}
	fake.RateLimitNext(max429+1, 0.001)
	_, err := a.Post(t.Context(), channelScope("210000000000000021"), goldenReplies["quotes"], "")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 429 {
		t.Errorf("err = %v, want a final 429 after %d", err, max429)
	}
}

// Fan-out to many channels keeps to the global 50 requests/s.
func TestGlobalLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("takes over two seconds")
	}
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	a, _ := newTestAdapter(t, fake, nil, nil, nil)
	const n = 120
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for i := range n {
		wg.Go(func() {
			_, err := a.Post(t.Context(), channelScope(fmt.Sprint(220000000000000000+i)), bot.Reply{Title: "digest"}, "slot")
			mu.Lock()
			errs = append(errs, err)
			mu.Unlock()
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := len(fake.Messages()); got != n {
		t.Errorf("%d messages, want %d", got, n)
	}
	if s := fake.Stats(); s.GlobalLimit != 0 || s.RateLimited != 0 {
		t.Errorf("stats %+v, want no 429", s)
	}
}

func TestRouteNames(t *testing.T) {
	tests := []struct{ method, path, route, bucket string }{
		{"POST", "channels/123/messages", "channels/{id}/messages", "POST channels/123/messages"},
		{"PATCH", "webhooks/100/tok-en/messages/@original", "webhooks/{id}/{token}/messages/@original", "PATCH webhooks/100/tok-en/messages/@original"},
		{"POST", "interactions/55/secret/callback", "interactions/{id}/{token}/callback", "POST interactions/55/secret/callback"},
		{"PUT", "applications/9/guilds/8/commands", "applications/{id}/guilds/{id}/commands", "PUT applications/{id}/guilds/{id}/commands"},
	}
	for _, tt := range tests {
		if got := routeOf(tt.path); got != tt.route {
			t.Errorf("routeOf(%q) = %q, want %q", tt.path, got, tt.route)
		}
		if got := bucketKey(tt.method, tt.path); got != tt.bucket {
			t.Errorf("bucketKey(%q) = %q, want %q", tt.path, got, tt.bucket)
		}
	}
}
