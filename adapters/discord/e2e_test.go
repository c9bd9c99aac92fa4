package discord

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/alexa-brief/alexa-brief/adapters/discord/discordtest"
	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/bot/bottest"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// The real core behind the real endpoint: what a Discord user sees.
func TestWithRealBot(t *testing.T) {
	corpus, err := briefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	store := bottest.NewStore(time.Now)
	core := bot.New(bot.Config{Corpus: corpus, Store: store})
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	a, srv := newTestAdapter(t, fake, core, store, nil)
	a.deferAfter = time.Minute // answers come as type 4 here; deferral has its own test

	const guild, channel = "200000000000000002", "210000000000000021"
	tests := []struct {
		name      string
		in        interaction
		wantFlags int
		wantText  string
		wantColor bool // failure colour
	}{
		{"brief", interaction{typ: 2, sub: "brief"}, 64, "$25 billion", false},
		{"quotes", interaction{typ: 2, sub: "quotes"}, 64, "smart timer", false},
		{"facts", interaction{typ: 2, sub: "facts"}, 64, "", false},
		{"sources", interaction{typ: 2, sub: "sources"}, 64, "", false},
		{"help", interaction{typ: 2, sub: "help"}, 64, "/alexa-brief ask", false},
		{"ask", interaction{typ: 2, sub: "ask", opts: map[string]string{"question": "How much did Amazon lose on devices?"}}, 64, "$25 billion", false},
		{"subscribe refused", interaction{typ: 2, sub: "subscribe", perms: "2048", opts: map[string]string{"schedule": "@daily"}}, 64, "manage", true},
		{"subscribe bad schedule", interaction{typ: 2, sub: "subscribe", perms: "16", opts: map[string]string{"schedule": "every full moon"}}, 64, "", true},
		{"subscribe", interaction{typ: 2, sub: "subscribe", perms: "16", opts: map[string]string{"schedule": "weekdays 09:00 Europe/Paris"}}, 64, "", false},
		{"schedule", interaction{typ: 2, sub: "schedule"}, 64, "", false},
		{"unsubscribe", interaction{typ: 2, sub: "unsubscribe", perms: "8"}, 64, "", false},
		{"share quotes", interaction{typ: 3, customID: "ab|share|quotes"}, 0, "smart timer", false},
		{"more quotes button", interaction{typ: 3, customID: "ab|quotes|"}, 64, "smart timer", false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Each its own interaction: the store remembers ids.
			tt.in.id = strconv.Itoa(400000000000000100 + i)
			tt.in.guild, tt.in.channel = guild, channel
			if tt.in.perms == "" {
				tt.in.perms = "0"
			}
			resp, out := postSigned(t, srv.URL, testKey(t), tt.in.json(t))
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, out)
			}
			r := decodeResponse(t, out)
			if r.Type != 4 || len(r.Data.Embeds) == 0 {
				t.Fatalf("response %s", out)
			}
			// Only shared replies are shown to the whole channel.
			if r.Data.Flags != tt.wantFlags {
				t.Errorf("flags %d, want %d", r.Data.Flags, tt.wantFlags)
			}
			var text strings.Builder
			for _, e := range r.Data.Embeds {
				text.WriteString(e.Title + "\n" + e.Description + "\n")
			}
			if !strings.Contains(text.String(), tt.wantText) {
				t.Errorf("reply does not mention %q:\n%s", tt.wantText, text.String())
			}
			if failed := strings.Contains(string(out), `"color":15548997`); failed != tt.wantColor {
				t.Errorf("failure colour = %v, want %v: %s", failed, tt.wantColor, out)
			}
		})
	}

	// A DM over the gateway, through the real poster to the fake API.
	answerMessage(t, a, &discordgo.Message{ID: "700000000000000007", ChannelID: "600000000000000006",
		Content: "@everyone what did the former employee say?", Author: &discordgo.User{ID: "300000000000000003"}}, a)
	answerMessage(t, a, &discordgo.Message{ID: "700000000000000007", ChannelID: "600000000000000006",
		Content: "@everyone what did the former employee say?", Author: &discordgo.User{ID: "300000000000000003"}}, a)
	a.wait()
	msgs := fake.ChannelMessages("600000000000000006")
	if len(msgs) != 1 {
		t.Fatalf("%d DM answers, want 1", len(msgs))
	}
	if len(msgs[0].Pings()) != 0 || msgs[0].AllowedMentions == nil || msgs[0].AllowedMentions.Parse == nil {
		t.Errorf("DM answer may ping: %s", msgs[0].Raw)
	}
}
