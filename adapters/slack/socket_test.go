package slack

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/slack/slacktest"
	"github.com/alexa-brief/alexa-brief/bot"
)

// TestSocketMode runs the adapter over Socket Mode against the fake: a DM
// and a slash command go through the same code as HTTP, envelopes are
// acked, and a dropped connection comes back.
func TestSocketMode(t *testing.T) {
	h := &recorder{}
	e := newEnv(t, h, func(c *Config, _ *slacktest.Options) { c.AppToken = slacktest.DefaultAppToken })
	m := &connMetrics{}
	e.a.metrics = m
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.a.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
	}()
	bg := context.Background()
	if err := e.api.WaitConnections(bg, 1); err != nil {
		t.Fatal(err)
	}

	var ev map[string]any
	if err := json.Unmarshal([]byte(dmEvent("EvS1", "D7", "U1", "hello over the socket", "")), &ev); err != nil {
		t.Fatal(err)
	}
	id, err := e.api.SendEnvelope("events_api", ev)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.api.WaitAck(bg, id); err != nil {
		t.Fatal(err)
	}
	e.a.Wait()
	if msgs := e.api.ChannelMessages("D7"); len(msgs) != 1 {
		t.Fatalf("DM replies = %d, want 1", len(msgs))
	}

	// A slash command: the answer comes back in the ack's payload.
	id, err = e.api.SendEnvelope("slash_commands", map[string]any{
		"team_id": slacktest.DefaultTeam, "channel_id": "C5", "user_id": "U1", "command": "/alexa-brief",
		"text": "brief", "response_url": e.api.ResponseURL(slacktest.DefaultTeam, "C5"), "trigger_id": "t",
	})
	if err != nil {
		t.Fatal(err)
	}
	ack, err := e.api.WaitAck(bg, id)
	if err != nil {
		t.Fatal(err)
	}
	var p inlineResponse
	if err := json.Unmarshal(ack.Payload, &p); err != nil || p.ResponseType != "ephemeral" || len(p.Blocks) != 1 {
		t.Errorf("ack payload = %s (%v), want an ephemeral answer", ack.Payload, err)
	}

	// Cut the line: the adapter reconnects and answers again.
	e.api.DropConnections()
	if err := e.api.WaitConnections(bg, 2); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(dmEvent("EvS2", "D7", "U1", "still there?", "")), &ev); err != nil {
		t.Fatal(err)
	}
	// The fake may still be finishing the handshake with the new client;
	// resend until the envelope is acked on a live connection.
	for {
		id, err = e.api.SendEnvelope("events_api", ev)
		if err == nil {
			break
		}
	}
	if _, err := e.api.WaitAck(bg, id); err != nil {
		t.Fatal(err)
	}
	e.a.Wait()
	if msgs := e.api.ChannelMessages("D7"); len(msgs) != 2 {
		t.Errorf("DM replies after reconnect = %d, want 2", len(msgs))
	}
	var reqs []string
	for _, r := range h.requests() {
		if r.Kind == bot.KindMessage {
			reqs = append(reqs, r.Text)
		}
	}
	if len(reqs) != 2 {
		t.Errorf("DMs handled = %q", reqs)
	}
	if up, down := m.counts(); up < 2 || down < 1 {
		t.Errorf("connection metrics: up %d, down %d; want ≥2 and ≥1", up, down)
	}
}

// An inline answer too big for a Socket Mode ack (Slack drops 20 KB and
// more silently) is acked empty and delivered through response_url.
func TestSocketModeLargeAnswer(t *testing.T) {
	big := bot.Reply{Title: "Brief"}
	for range 8 {
		// Three bytes per character on the wire: within Slack's character
		// limits, far beyond 20 KB of JSON.
		big.Sections = append(big.Sections, bot.Section{Text: strings.Repeat("亚马逊设备部门亏损 ", 140)})
	}
	h := &recorder{fn: func(context.Context, bot.Request) bot.Reply { return big }}
	e := newEnv(t, h, func(c *Config, _ *slacktest.Options) { c.AppToken = slacktest.DefaultAppToken })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.a.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()
	bg := context.Background()
	if err := e.api.WaitConnections(bg, 1); err != nil {
		t.Fatal(err)
	}
	id, err := e.api.SendEnvelope("slash_commands", map[string]any{
		"team_id": slacktest.DefaultTeam, "channel_id": "C5", "user_id": "U1", "command": "/alexa-brief",
		"text": "brief", "response_url": e.api.ResponseURL(slacktest.DefaultTeam, "C5"), "trigger_id": "t",
	})
	if err != nil {
		t.Fatal(err)
	}
	ack, err := e.api.WaitAck(bg, id)
	if err != nil {
		t.Fatal(err)
	}
	e.a.Wait()
	if len(ack.Payload) != 0 && string(ack.Payload) != "null" && string(ack.Payload) != "{}" {
		t.Errorf("ack payload of %d bytes, want an empty ack", len(ack.Payload))
	}
	if n := e.api.DroppedAcks(); n != 0 {
		t.Errorf("%d acks over 20 KB were sent (Slack drops them)", n)
	}
	var via []string
	for _, m := range e.api.Messages() {
		via = append(via, m.Method)
	}
	if len(via) == 0 || via[0] != "response_url" || !strings.Contains(e.api.Messages()[0].Text+string(e.api.Messages()[0].Blocks), "亚马逊") {
		t.Errorf("messages via %v, want the answer through response_url", via)
	}
}

type connMetrics struct {
	countMetrics
}

func (m *connMetrics) Connection(_ string, up bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if up {
		m.connectionsUp++
	} else {
		m.connDown++
	}
}

func (m *connMetrics) counts() (int, int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.connectionsUp, m.connDown
}

// TestReady: a bot token or app token Slack refuses at start-up ends Run
// with a configuration error (exit 2); a bot token found revoked later, or
// an app token revoked after Socket Mode connected, makes Ready fail with
// the reason while the adapter keeps serving and retrying.
func TestReady(t *testing.T) {
	e := newEnv(t, nil, func(c *Config, _ *slacktest.Options) { c.BotToken = "xoxb-revoked" })
	if err := e.a.Ready(); err != nil {
		t.Errorf("Ready before any call = %v", err)
	}
	if _, err := e.a.botUserID(context.Background()); err == nil {
		t.Fatal("auth.test with a bad token succeeded")
	}
	if err := e.a.Ready(); err == nil || !strings.Contains(err.Error(), "invalid_auth") {
		t.Errorf("Ready = %v, want invalid_auth", err)
	}

	tests := []struct {
		name     string
		mutate   func(*Config, *slacktest.Options)
		variable string
	}{
		{"bot token", func(c *Config, _ *slacktest.Options) { c.BotToken = "xoxb-revoked" }, "SLACK_BOT_TOKEN"},
		{"app token", func(c *Config, _ *slacktest.Options) { c.AppToken = "xapp-wrong" }, "SLACK_APP_TOKEN"},
	}
	for _, tt := range tests {
		t.Run("refused at start: "+tt.name, func(t *testing.T) {
			e := newEnv(t, nil, tt.mutate)
			e.a.sleep = func(ctx context.Context, _ time.Duration) error {
				t.Error("Run backs off to retry a refused token")
				return errors.New("stop")
			}
			err := e.a.Run(context.Background())
			var ce *bot.ConfigError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.variable) {
				t.Errorf("Run = %v, want a *bot.ConfigError naming %s", err, tt.variable)
			}
			if err != nil && strings.Contains(err.Error(), "revoked") || err != nil && strings.Contains(err.Error(), "wrong") {
				t.Errorf("Run = %v shows the token", err)
			}
		})
	}

	t.Run("app token revoked while connected", func(t *testing.T) {
		e := newEnv(t, nil, func(c *Config, _ *slacktest.Options) { c.AppToken = slacktest.DefaultAppToken })
		waiting := make(chan struct{})
		var once sync.Once
		e.a.sleep = func(ctx context.Context, _ time.Duration) error {
			once.Do(func() { close(waiting) })
			<-ctx.Done()
			return ctx.Err()
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- e.a.Run(ctx) }()
		if err := e.api.WaitConnections(ctx, 1); err != nil {
			t.Fatal(err)
		}
		e.api.RevokeAppToken(slacktest.DefaultAppToken)
		e.api.DropConnections()
		<-waiting // the loop gave up on this attempt and is backing off
		if err := e.a.Ready(); err == nil || !strings.Contains(err.Error(), "invalid_auth") {
			t.Errorf("Ready = %v, want the app token's invalid_auth", err)
		}
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
	})
}
