package discord

import (
	"context"
	"crypto/ed25519"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/alexa-brief/alexa-brief/adapters/discord/discordtest"
	"github.com/alexa-brief/alexa-brief/bot"
)

// recordingPoster is a fake bot.Poster.
type recordingPoster struct {
	mu    sync.Mutex
	posts []post
}

type post struct {
	sc    bot.Scope
	title string
	key   string
}

func (p *recordingPoster) Post(_ context.Context, sc bot.Scope, r bot.Reply, key string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.posts = append(p.posts, post{sc, r.Title, key})
	return "1", nil
}

func dm(id, author, content string) *discordgo.Message {
	return &discordgo.Message{ID: id, ChannelID: "600000000000000006", Content: content, Author: &discordgo.User{ID: author}}
}

func TestAnswerDM(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	h := &stubHandler{}
	a, _ := newTestAdapter(t, fake, h, &memStore{}, nil)
	a.selfID = "100000000000000001"
	p := &recordingPoster{}

	question := dm("700000000000000007", "300000000000000003", "  what did the former employee say?  ")
	answerMessage(t, a, question, p)
	answerMessage(t, a, question, p) // delivered twice (resume, another replica)

	fromBot := dm("700000000000000008", "900000000000000009", "I am a bot")
	fromBot.Author.Bot = true
	inGuild := dm("700000000000000010", "300000000000000003", "guild chatter")
	inGuild.GuildID = "200000000000000002"
	system := dm("700000000000000011", "300000000000000003", "joined")
	system.Type = discordgo.MessageTypeGuildMemberJoin
	for _, m := range []*discordgo.Message{
		fromBot,
		dm("700000000000000009", "100000000000000001", "our own reply"),
		inGuild,
		system,
		dm("700000000000000012", "300000000000000003", "   "),
		{ID: "700000000000000013", Content: "no author"},
		nil,
	} {
		answerMessage(t, a, m, p)
	}

	want := []post{{
		sc:    bot.Scope{Platform: "discord", Team: "dm", Channel: "600000000000000006"},
		title: "ok: what did the former employee say?",
		key:   "dm:700000000000000007",
	}}
	if len(p.posts) != len(want) || p.posts[0] != want[0] {
		t.Fatalf("posts %+v, want %+v", p.posts, want)
	}
	reqs := h.requests()
	wantReq := bot.Request{Kind: bot.KindMessage, Scope: want[0].sc, User: "300000000000000003", DM: true,
		Conversation: "600000000000000006", Text: "what did the former employee say?", CanManage: true, EventID: "700000000000000007"}
	if len(reqs) != 1 || reqs[0] != wantReq {
		t.Errorf("requests %+v, want %+v", reqs, wantReq)
	}
}

// The DM answer goes through the real poster to the fake API, once.
func TestAnswerDMEndToEnd(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	h := &stubHandler{reply: func(req bot.Request) bot.Reply {
		return bot.Reply{Title: "Answer", Sections: []bot.Section{{Text: req.Text}}}
	}}
	a, _ := newTestAdapter(t, fake, h, &memStore{}, nil)
	m := dm("700000000000000007", "300000000000000003", "@everyone how much was lost?")
	fake.FailAfterCommit(1, 502) // the first answer's response is lost
	answerMessage(t, a, m, a)
	answerMessage(t, a, m, a)
	msgs := fake.ChannelMessages("600000000000000006")
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	if msgs[0].Embeds[0].Description != `@everyone how much was lost?` || len(msgs[0].Pings()) != 0 {
		t.Errorf("message %s", msgs[0].Raw)
	}
}

func TestSession(t *testing.T) {
	fake := discordtest.New(discordtest.Options{Shards: 3})
	defer fake.Close()
	tests := []struct {
		id, count int
		wantCount int
		wantErr   bool
	}{
		{0, 0, 3, false}, // as GET /gateway/bot recommends, through the rewriting client
		{2, 4, 4, false},
		{3, 0, 0, true}, // shard 3 of a recommended 3
	}
	for _, tt := range tests {
		a, err := New(Config{AppID: fake.AppID(), BotToken: fake.Token(), APIURL: fake.URL(), ShardID: tt.id, ShardCount: tt.count}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		s, err := a.session(t.Context())
		if (err != nil) != tt.wantErr {
			t.Fatalf("session(%d/%d) err = %v", tt.id, tt.count, err)
		}
		if err != nil {
			continue
		}
		if s.ShardID != tt.id || s.ShardCount != tt.wantCount {
			t.Errorf("shard %d/%d, want %d/%d", s.ShardID, s.ShardCount, tt.id, tt.wantCount)
		}
		if s.Identify.Intents != discordgo.IntentsDirectMessages {
			t.Errorf("intents %b, want DIRECT_MESSAGES only (no privileged intent)", s.Identify.Intents)
		}
		if !s.ShouldReconnectOnError || s.Token != "Bot "+fake.Token() {
			t.Error("session must reconnect and use the bot token")
		}
	}
}

func TestRewriter(t *testing.T) {
	var got []string
	rt := rewriter("http://127.0.0.1:9/api/v9/", roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = append(got, r.URL.String())
		return &http.Response{StatusCode: 204, Body: http.NoBody, Request: r}, nil
	}))
	for _, u := range []string{discordgo.EndpointGatewayBot, "https://cdn.discordapp.com/x.png"} {
		req, _ := http.NewRequest("GET", u, nil)
		if _, err := rt.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"http://127.0.0.1:9/api/v9/gateway/bot", "https://cdn.discordapp.com/x.png"}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("rewritten %q, want %q", got, want)
	}
	if discordgo.EndpointAPI != "https://discord.com/api/v9/" {
		t.Error("discordgo's package endpoints changed")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Run without a token waits for ctx.
func TestRunWithoutGateway(t *testing.T) {
	a, err := New(Config{AppID: "1", PublicKey: testKey(t).Public().(ed25519.PublicKey)}, &stubHandler{}, nil)
	if err == nil {
		err = a.Ready()
	}
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := a.Run(ctx); err != nil {
		t.Errorf("Run = %v", err)
	}
}

// A token Discord refuses ends Run with a configuration error naming the
// variable and makes the adapter unready; an unreachable gateway is
// retried until ctx ends, the adapter ready but degraded meanwhile, with
// the reason.
func TestRunGatewayErrors(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	bad, err := New(Config{AppID: fake.AppID(), BotToken: "wrong", APIURL: fake.URL()}, &stubHandler{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = bad.Run(t.Context())
	if err == nil || !strings.Contains(err.Error(), "DISCORD_BOT_TOKEN") || strings.Contains(err.Error(), "wrong") {
		t.Errorf("Run = %v, want a refusal naming DISCORD_BOT_TOKEN without the token", err)
	}
	if bad.Ready() == nil {
		t.Error("ready with a refused token")
	}
	var ce *bot.ConfigError
	if !errors.As(err, &ce) {
		t.Errorf("Run = %T %v, want a *bot.ConfigError (exit 2)", err, err)
	}
	// One prefix: cmd adds its own context around "discord: gateway: …".
	if got := strings.Count(err.Error(), "discord: "); got != 1 {
		t.Errorf("Run = %q: %d \"discord: \" prefixes, want 1", err, got)
	}
	if got := strings.Count(err.Error(), "gateway: "); got != 1 {
		t.Errorf("Run = %q: %d \"gateway: \" prefixes, want 1", err, got)
	}

	// A shard beyond Discord's recommended count cannot heal: Run stops.
	shard, err := New(Config{AppID: fake.AppID(), BotToken: fake.Token(), APIURL: fake.URL(), ShardID: 1}, &stubHandler{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = shard.Run(t.Context())
	if err == nil || !strings.Contains(err.Error(), "DISCORD_SHARD_ID") || strings.Count(err.Error(), "discord: ") != 1 || shard.Ready() == nil {
		t.Errorf("Run with shard 1 of 1 = %v, want one final error naming DISCORD_SHARD_ID", err)
	}

	good, err := New(Config{AppID: fake.AppID(), BotToken: fake.Token(), APIURL: fake.URL()}, &stubHandler{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- good.Run(ctx) }()
	for fake.Stats().Requests < 2 { // GET /gateway/bot, then GET /gateway before the dial
		time.Sleep(time.Millisecond)
	}
	// The fake refuses the websocket: the gateway stays down. The adapter
	// stays ready (interactions and posting work) and Degraded says why,
	// once the first attempt failed.
	var degraded string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if degraded = good.Degraded(); strings.HasPrefix(degraded, "gateway not connected: ") {
			break
		}
	}
	if !strings.HasPrefix(degraded, "gateway not connected: ") {
		t.Errorf("Degraded = %q while the gateway is retried, want \"gateway not connected: …\"", degraded)
	}
	if err := good.Ready(); err != nil {
		t.Errorf("Ready = %v with only the gateway down, want nil", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v after cancel", err)
	}
}

// Interactions delivered over the gateway (no endpoint URL) answer through
// the REST callback.
func TestGatewayInteraction(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	a, _ := newTestAdapter(t, fake, &stubHandler{}, nil, nil)
	in := &discordgo.Interaction{
		ID: "400000000000000004", Type: discordgo.InteractionApplicationCommand, Token: "gw-token",
		GuildID: "200000000000000002", ChannelID: "210000000000000021",
		Member: &discordgo.Member{User: &discordgo.User{ID: "300000000000000003"}},
		Data:   discordgo.ApplicationCommandInteractionData{Name: CommandName, Options: []*discordgo.ApplicationCommandInteractionDataOption{{Name: "quotes", Type: discordgo.ApplicationCommandOptionSubCommand}}},
	}
	a.interact(t.Context(), in, a.callback(t.Context(), in))
	a.wait()
	cbs := fake.Callbacks()
	if len(cbs) != 1 || cbs[0].Type != 4 || cbs[0].Token != "gw-token" || cbs[0].Data.Embeds[0].Title != "ok: quotes" || cbs[0].Data.Flags != 64 {
		t.Errorf("callbacks %+v", cbs)
	}
}

// TestGatewayCallbackLostAnswer: when Discord took a gateway interaction's
// callback but the answer was lost (502), the retry is told "already
// acknowledged" (40060). That is the callback having worked: the deferred
// answer must still be completed, not abandoned as a failed response.
func TestGatewayCallbackLostAnswer(t *testing.T) {
	for _, tc := range []struct {
		name     string
		lost     bool
		wantType int
	}{
		{"answer arrives", false, 5},
		{"answer lost", true, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := discordtest.New(discordtest.Options{})
			defer fake.Close()
			h := &stubHandler{gate: make(chan struct{})}
			a, _ := newTestAdapter(t, fake, h, nil, nil)
			a.deferAfter = 0
			if tc.lost {
				fake.FailAfterCommit(1, 502)
			}
			in := &discordgo.Interaction{
				ID: "400000000000000004", Type: discordgo.InteractionApplicationCommand, Token: "gw-token",
				GuildID: "200000000000000002", ChannelID: "210000000000000021",
				Member: &discordgo.Member{User: &discordgo.User{ID: "300000000000000003"}},
				Data:   discordgo.ApplicationCommandInteractionData{Name: CommandName, Options: []*discordgo.ApplicationCommandInteractionDataOption{{Name: "quotes", Type: discordgo.ApplicationCommandOptionSubCommand}}},
			}
			a.interact(t.Context(), in, a.callback(t.Context(), in))
			close(h.gate)
			a.wait()
			cbs := fake.Callbacks()
			if len(cbs) != 1 || cbs[0].Type != tc.wantType {
				t.Fatalf("callbacks = %+v, want one of type %d", cbs, tc.wantType)
			}
			var edits int
			for _, w := range fake.Webhooks() {
				if w.Method == http.MethodPatch && w.Target == "@original" {
					edits++
				}
			}
			if got, want := edits, 1; got != want {
				t.Errorf("edits of @original = %d, want %d (the deferred answer completed)", got, want)
			}
		})
	}
}

// answerMessage answers m as a gateway delivery without an outbox does:
// filtered, deduplicated with FirstSeen, answered through p.
func answerMessage(t *testing.T, a *Adapter, m *discordgo.Message, p bot.Poster) {
	t.Helper()
	if dm, ok := a.dmOf(m); ok {
		_ = a.answerDM(t.Context(), dm, p, true)
	}
}
