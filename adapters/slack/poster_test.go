package slack

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/slack/slacktest"
	"github.com/alexa-brief/alexa-brief/bot"
)

func scope(channel string) bot.Scope {
	return bot.Scope{Platform: bot.PlatformSlack, Team: slacktest.DefaultTeam, Channel: channel}
}

var digest = bot.Reply{Title: "Daily brief", Sections: []bot.Section{{Text: "Amazon lost over $25 billion from 2017 to 2021."}}}

// TestPost429Storm: the fake answers 429 four times; the poster waits as
// told each time, then succeeds, and counts it all.
func TestPost429Storm(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.api.Inject("chat.postMessage", slacktest.Fault{Status: 429, RetryAfter: "3"}, 4)
	ts, err := e.a.Post(context.Background(), scope("C1"), digest, "")
	if err != nil || ts == "" {
		t.Fatalf("Post = %q, %v; want success after the storm", ts, err)
	}
	if got := e.api.Calls("chat.postMessage"); got != 5 {
		t.Errorf("chat.postMessage calls = %d, want 5", got)
	}
	if got := len(e.api.Messages()); got != 1 {
		t.Errorf("messages = %d, want 1", got)
	}
	if e.metrics.rateLimited != 4 || e.metrics.retried != 4 {
		t.Errorf("metrics: rate limited %d, retried %d; want 4 and 4", e.metrics.rateLimited, e.metrics.retried)
	}
	var waited []time.Duration
	for _, d := range e.slept {
		if d > 0 {
			waited = append(waited, d)
		}
	}
	if want := "[3s 3s 3s 3s]"; fmt.Sprint(waited) != want {
		t.Errorf("waits = %v, want %s (Retry-After)", waited, want)
	}
	if got := e.metrics.calls["chat.postMessage 429"]; got != 4 {
		t.Errorf("APICall(chat.postMessage, 429) = %d, want 4", got)
	}
}

func TestPost429WithoutRetryAfter(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.api.Inject("chat.postMessage", slacktest.Fault{Status: 429}, 1)
	e.api.Inject("chat.postMessage", slacktest.Fault{Status: 429, RetryAfter: "1.5"}, 1)
	if _, err := e.a.Post(context.Background(), scope("C1"), digest, ""); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprint([]time.Duration{defaultRetryAfter, defaultRetryAfter}); fmt.Sprint(e.slept) != want {
		t.Errorf("waits = %v, want %s", e.slept, want)
	}
}

// TestPostPacing: back-to-back posts to one channel keep to one a second,
// so the fake (which enforces it) never has to send a 429; another channel
// is not held up.
func TestPostPacing(t *testing.T) {
	e := newEnv(t, nil, nil)
	ctx := context.Background()
	for range 4 {
		if _, err := e.a.Post(ctx, scope("C1"), digest, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.a.Post(ctx, scope("C2"), digest, ""); err != nil {
		t.Fatal(err)
	}
	if got := e.api.RateLimited(); got != 0 {
		t.Errorf("fake sent %d 429s, want 0", got)
	}
	if want := "[1s 1s 1s]"; fmt.Sprint(e.slept) != want {
		t.Errorf("waits = %v, want %s", e.slept, want)
	}
	if got := len(e.api.Messages()); got != 5 {
		t.Errorf("messages = %d, want 5", got)
	}
}

// TestPostWorkspaceBudget: 40 channels at once: a burst of 20, then one
// every 200 ms (300 a minute).
func TestPostWorkspaceBudget(t *testing.T) {
	e := newEnv(t, nil, nil)
	for i := range 40 {
		if _, err := e.a.Post(context.Background(), scope(fmt.Sprintf("C%d", i)), digest, ""); err != nil {
			t.Fatal(err)
		}
	}
	want := strings.TrimSuffix(strings.Repeat("200ms ", 40-teamBurst-1), " ")
	if got := strings.Trim(fmt.Sprint(e.slept), "[]"); got != want {
		t.Errorf("waits = %s, want %d × 200ms", got, 40-teamBurst-1)
	}
}

func TestPostRetries5xx(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.api.Inject("chat.postMessage", slacktest.Fault{Status: 503}, 2)
	if _, err := e.a.Post(context.Background(), scope("C1"), digest, ""); err != nil {
		t.Fatal(err)
	}
	// Backoff 500ms, then 1s; between them the channel's pacing adds
	// 500ms, as a failed attempt may still have posted.
	if want := "[500ms 500ms 1s]"; fmt.Sprint(e.slept) != want {
		t.Errorf("waits = %v, want %s", e.slept, want)
	}
	if e.metrics.retried != 2 || e.api.Calls("chat.postMessage") != 3 {
		t.Errorf("retried %d, calls %d; want 2 and 3", e.metrics.retried, e.api.Calls("chat.postMessage"))
	}
}

func TestPostGivesUp(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.api.Inject("chat.postMessage", slacktest.Fault{Status: 500}, 100)
	_, err := e.a.Post(context.Background(), scope("C1"), digest, "")
	if err == nil || !strings.Contains(err.Error(), "slack: chat.postMessage") || !strings.Contains(err.Error(), "500") {
		t.Errorf("err = %v, want a final chat.postMessage error naming the 500", err)
	}
	if got := e.api.Calls("chat.postMessage"); got != maxFailures {
		t.Errorf("calls = %d, want %d", got, maxFailures)
	}
}

func TestPostRetriesTimeout(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.a.attemptTimeout = 50 * time.Millisecond
	e.api.Inject("chat.postMessage", slacktest.Fault{Delay: time.Minute}, 1)
	if _, err := e.a.Post(context.Background(), scope("C1"), digest, ""); err != nil {
		t.Fatal(err)
	}
	if got := len(e.api.Messages()); got != 1 || e.metrics.retried != 1 {
		t.Errorf("messages %d, retried %d; want 1 and 1", got, e.metrics.retried)
	}
}

func TestPostFinalErrorCode(t *testing.T) {
	e := newEnv(t, nil, func(_ *Config, o *slacktest.Options) { o.Channels = []string{"C1"} })
	_, err := e.a.Post(context.Background(), scope("CGONE"), digest, "")
	if err == nil || !strings.Contains(err.Error(), "slack: chat.postMessage: channel_not_found") {
		t.Errorf("err = %v, want slack: chat.postMessage: channel_not_found", err)
	}
	if got := e.api.Calls("chat.postMessage"); got != 1 {
		t.Errorf("calls = %d, want 1 (no retry of a permanent error)", got)
	}

	e.api.Inject("chat.postMessage", slacktest.Fault{Error: "invalid_auth"}, 1)
	if _, err := e.a.Post(context.Background(), scope("C1"), digest, ""); err == nil || !strings.Contains(err.Error(), "invalid_auth") {
		t.Errorf("err = %v, want invalid_auth", err)
	}
}

// TestPostOversized: a reply past every limit is split, every part
// accepted by the fake (which checks the limits), with the digest key on
// each part.
func TestPostOversized(t *testing.T) {
	e := newEnv(t, nil, nil)
	ts, err := e.a.Post(context.Background(), scope("C1"), oversized(), "sub7@2026-11-23T09:00:00Z")
	if err != nil {
		t.Fatal(err)
	}
	msgs := e.api.Messages()
	if len(msgs) < 2 || msgs[0].TS != ts {
		t.Fatalf("%d messages, first ts %q vs returned %q", len(msgs), msgs[0].TS, ts)
	}
	for i, m := range msgs {
		if m.Metadata == nil || m.Metadata.EventType != digestEventType || m.Metadata.EventPayload["slot"] != "sub7@2026-11-23T09:00:00Z" {
			t.Errorf("part %d metadata = %+v", i+1, m.Metadata)
		}
		if got := m.Metadata.EventPayload["part"]; fmt.Sprint(got) != fmt.Sprint(i+1) {
			t.Errorf("part %d numbered %v", i+1, got)
		}
	}
	if got := e.api.RateLimited(); got != 0 {
		t.Errorf("fake sent %d 429s, want 0", got)
	}
}

func TestFindPost(t *testing.T) {
	e := newEnv(t, nil, nil)
	ctx := context.Background()
	since := time.Unix(1_799_999_000, 0)
	if _, err := e.a.Post(ctx, scope("C1"), digest, ""); err != nil {
		t.Fatal(err)
	}
	ts, err := e.a.Post(ctx, scope("C1"), digest, "sub1@2026-11-23T09:00:00Z")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key   string
		since time.Time
		found bool
	}{
		{"sub1@2026-11-23T09:00:00Z", since, true},
		{"sub1@2026-11-24T09:00:00Z", since, false},
		{"sub1@2026-11-23T09:00:00Z", time.Unix(1_900_000_000, 0), false},
	}
	for _, tt := range tests {
		got, found, err := e.a.FindPost(ctx, scope("C1"), tt.key, tt.since)
		if err != nil || found != tt.found || (found && got != ts) {
			t.Errorf("FindPost(%s, %v) = %q, %v, %v; want found=%v ts %s", tt.key, tt.since.Unix(), got, found, err, tt.found, ts)
		}
	}
}

// TestTeamToken: a team with an install is served with its own token.
func TestTeamToken(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.api.AddToken("xoxb-team2", "T2")
	if err := e.st.PutInstall(context.Background(), bot.Install{Platform: "slack", Team: "T2", BotToken: "xoxb-team2", BotUserID: "UB2"}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := e.a.Post(ctx, bot.Scope{Platform: "slack", Team: "T2", Channel: "C1"}, digest, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.a.Post(ctx, scope("C2"), digest, ""); err != nil {
		t.Fatal(err)
	}
	msgs := e.api.Messages()
	if len(msgs) != 2 || msgs[0].Token != "xoxb-team2" || msgs[0].Team != "T2" || msgs[1].Token != slacktest.DefaultToken {
		t.Errorf("tokens used: %+v", msgs)
	}
}

// TestPostLostResponse: a digest whose post went through but whose answer
// was lost (timeout, 503) is not posted twice: the retry finds it first.
func TestPostLostResponse(t *testing.T) {
	for _, f := range []slacktest.Fault{{Lost: true, Delay: time.Minute}, {Lost: true, Status: 503}} {
		e := newEnv(t, nil, nil)
		e.a.attemptTimeout = 50 * time.Millisecond
		e.api.Inject("chat.postMessage", f, 1)
		ts, err := e.a.Post(context.Background(), scope("C1"), digest, "sub3@2026-11-23T09:00:00Z")
		if err != nil {
			t.Fatal(err)
		}
		msgs := e.api.Messages()
		if len(msgs) != 1 || msgs[0].TS != ts {
			t.Errorf("fault %+v: %d messages (ts %q, returned %q), want the one that went through", f, len(msgs), msgs[0].TS, ts)
		}
		if got := e.api.Calls("chat.postMessage"); got != 1 {
			t.Errorf("fault %+v: %d chat.postMessage calls, want 1", f, got)
		}
	}
}
