package slacktest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newFake(t *testing.T, opts Options) (*Server, *clock) {
	c := &clock{t: time.Unix(1_800_000_000, 0)}
	opts.Now = c.Now
	s := New(opts)
	t.Cleanup(s.Close)
	return s, c
}

func TestTokens(t *testing.T) {
	s, _ := newFake(t, Options{})
	ctx := context.Background()
	tests := []struct {
		token, want string
	}{
		{DefaultToken, ""},
		{"xoxb-wrong", "invalid_auth"},
		{"", "not_authed"},
	}
	for _, tt := range tests {
		_, err := slack.New(tt.token, slack.OptionAPIURL(s.URL())).AuthTestContext(ctx)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("auth.test with %q: %q, want %q", tt.token, got, tt.want)
		}
	}
	res, err := slack.New(DefaultToken, slack.OptionAPIURL(s.URL())).AuthTestContext(ctx)
	if err != nil || res.UserID != DefaultBotUserID || res.TeamID != DefaultTeam {
		t.Errorf("auth.test = %+v, %v", res, err)
	}
}

func TestPerChannelLimit(t *testing.T) {
	s, c := newFake(t, Options{RetryAfter: 2})
	api := slack.New(DefaultToken, slack.OptionAPIURL(s.URL()))
	ctx := context.Background()
	post := func(ch string) error {
		_, _, err := api.PostMessageContext(ctx, ch, slack.MsgOptionText("hi", false))
		return err
	}
	if err := post("C1"); err != nil {
		t.Fatal(err)
	}
	var rl *slack.RateLimitedError
	if err := post("C1"); !errors.As(err, &rl) || rl.RetryAfter != 2*time.Second {
		t.Errorf("second post within a second: %v, want a 429 with Retry-After 2", err)
	}
	if err := post("C2"); err != nil {
		t.Errorf("another channel: %v", err)
	}
	c.add(time.Second)
	if err := post("C1"); err != nil {
		t.Errorf("a second later: %v", err)
	}
	if got, want := len(s.Messages()), 3; got != want || s.RateLimited() != 1 {
		t.Errorf("messages %d, rate limited %d; want %d and 1", got, s.RateLimited(), want)
	}
}

func TestCheckBlocks(t *testing.T) {
	long := strings.Repeat("x", MaxSectionText+1)
	tests := []struct{ blocks, want string }{
		{`[{"type":"section","text":{"type":"mrkdwn","text":"ok"}}]`, ""},
		{`[{"type":"section","text":{"type":"mrkdwn","text":"` + long + `"}}]`, "invalid_blocks"},
		{`[{"type":"header","text":{"type":"mrkdwn","text":"h"}}]`, "invalid_blocks"},
		{`[{"type":"header","text":{"type":"plain_text","text":"` + strings.Repeat("h", 151) + `"}}]`, "invalid_blocks"},
		{`[` + strings.Repeat(`{"type":"divider"},`, 50) + `{"type":"divider"}]`, "invalid_blocks"},
		{`[{"type":"actions","elements":[{"type":"button","action_id":"a","text":{"type":"plain_text","text":"b"}},{"type":"button","action_id":"a","text":{"type":"plain_text","text":"c"}}]}]`, "invalid_blocks"},
		{`[{"type":"section","text":{"type":"mrkdwn","text":""}}]`, "invalid_blocks"},
		{`not json`, "invalid_blocks_format"},
	}
	for _, tt := range tests {
		if got := CheckBlocks([]byte(tt.blocks)); got != tt.want {
			t.Errorf("CheckBlocks(%.60s) = %q, want %q", tt.blocks, got, tt.want)
		}
	}
}

func TestResponseURLLimits(t *testing.T) {
	s, c := newFake(t, Options{})
	u := s.ResponseURL("T1", "C1")
	post := func() int {
		resp, err := http.Post(u, "application/json", strings.NewReader(`{"text":"hi","response_type":"ephemeral"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for i := range 5 {
		if got := post(); got != http.StatusOK {
			t.Fatalf("use %d: %d", i+1, got)
		}
	}
	if got := post(); got != http.StatusNotFound {
		t.Errorf("sixth use: %d, want 404 used_url", got)
	}
	u2 := s.ResponseURL("T1", "C1")
	c.add(31 * time.Minute)
	u = u2
	if got := post(); got != http.StatusNotFound {
		t.Errorf("after 31 minutes: %d, want 404 expired_url", got)
	}
	if got := len(s.ChannelMessages("C1")); got != 5 {
		t.Errorf("recorded %d, want 5", got)
	}
}

func TestHistoryMetadata(t *testing.T) {
	s, c := newFake(t, Options{})
	api := slack.New(DefaultToken, slack.OptionAPIURL(s.URL()))
	ctx := context.Background()
	md := slack.SlackMetadata{EventType: "alexa_brief_digest", EventPayload: map[string]any{"slot": "k1"}}
	for i := range 3 {
		opts := []slack.MsgOption{slack.MsgOptionText("m", false)}
		if i == 1 {
			opts = append(opts, slack.MsgOptionMetadata(md))
		}
		if _, _, err := api.PostMessageContext(ctx, "C1", opts...); err != nil {
			t.Fatal(err)
		}
		c.add(time.Second)
	}
	for _, with := range []bool{false, true} {
		res, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: "C1", IncludeAllMetadata: with, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Messages) != 2 || !res.HasMore || res.ResponseMetaData.NextCursor == "" {
			t.Fatalf("page = %+v", res)
		}
		got := res.Messages[1].Metadata.EventPayload["slot"]
		if with && got != "k1" || !with && got != nil {
			t.Errorf("include_all_metadata=%v: slot %v", with, got)
		}
	}
}

func TestOAuthAccess(t *testing.T) {
	s, _ := newFake(t, Options{ClientID: "id", ClientSecret: "secret"})
	s.AddGrant("c1", Grant{TeamID: "T9", BotToken: "xoxb-9", BotUserID: "U9"})
	ctx := context.Background()
	if _, err := slack.GetOAuthV2ResponseContext(ctx, http.DefaultClient, "id", "wrong", "c1", "", slack.OAuthOptionAPIURL(s.URL())); err == nil || err.Error() != "bad_client_secret" {
		t.Errorf("bad secret: %v", err)
	}
	res, err := slack.GetOAuthV2ResponseContext(ctx, http.DefaultClient, "id", "secret", "c1", "", slack.OAuthOptionAPIURL(s.URL()))
	if err != nil || res.AccessToken != "xoxb-9" || res.Team.ID != "T9" || res.BotUserID != "U9" {
		t.Fatalf("exchange = %+v, %v", res, err)
	}
	if _, err := slack.GetOAuthV2ResponseContext(ctx, http.DefaultClient, "id", "secret", "c1", "", slack.OAuthOptionAPIURL(s.URL())); err == nil || err.Error() != "invalid_code" {
		t.Errorf("second use of the code: %v, want invalid_code", err)
	}
	if _, err := slack.New("xoxb-9", slack.OptionAPIURL(s.URL())).AuthTestContext(ctx); err != nil {
		t.Errorf("granted token rejected: %v", err)
	}
}

// TestRepliesMetadata: conversations.replies lists the thread's replies
// (which history leaves out), metadata only when asked, and needs ts.
func TestRepliesMetadata(t *testing.T) {
	s, c := newFake(t, Options{})
	api := slack.New(DefaultToken, slack.OptionAPIURL(s.URL()))
	ctx := context.Background()
	md := slack.SlackMetadata{EventType: "alexa_brief_reply", EventPayload: map[string]any{"slot": "event:Ev1"}}
	for _, thread := range []string{"", "1799999999.000100", "1799999999.000200"} {
		opts := []slack.MsgOption{slack.MsgOptionText("m", false), slack.MsgOptionMetadata(md)}
		if thread != "" {
			opts = append(opts, slack.MsgOptionTS(thread))
		}
		if _, _, err := api.PostMessageContext(ctx, "C1", opts...); err != nil {
			t.Fatal(err)
		}
		c.add(time.Second)
	}
	for _, tc := range []struct {
		ts        string
		with      bool
		wantN     int
		wantSlot  any
		wantError string
	}{
		{"1799999999.000100", true, 1, "event:Ev1", ""},
		{"1799999999.000100", false, 1, nil, ""},
		{"1799999999.000300", true, 0, nil, ""},
		{"", true, 0, nil, "invalid_arguments"},
	} {
		msgs, _, _, err := api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{ChannelID: "C1", Timestamp: tc.ts, IncludeAllMetadata: tc.with})
		if tc.wantError != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantError) {
				t.Errorf("ts %q: err %v, want %s", tc.ts, err, tc.wantError)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != tc.wantN {
			t.Fatalf("ts %q: %d replies, want %d", tc.ts, len(msgs), tc.wantN)
		}
		if tc.wantN > 0 {
			if got := msgs[0].Metadata.EventPayload["slot"]; got != tc.wantSlot {
				t.Errorf("ts %q include_all_metadata=%v: slot %v, want %v", tc.ts, tc.with, got, tc.wantSlot)
			}
		}
	}
}
