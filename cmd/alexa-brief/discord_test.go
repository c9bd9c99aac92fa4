package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/alexa-brief/alexa-brief/adapters/discord/discordtest"
)

func TestDiscordRegister(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	base := map[string]string{
		"DISCORD_APP_ID":    fake.AppID(),
		"DISCORD_BOT_TOKEN": fake.Token(),
		"DISCORD_API_URL":   fake.URL(),
		"DATABASE_URL":      t.TempDir() + "/unused.db",
	}
	tests := []struct {
		name      string
		args      []string
		unset     string
		wantCode  int
		wantOut   string
		wantErr   string
		wantGuild string
	}{
		{"global", []string{"discord", "register"}, "", 0, "registered /alexa-brief with 12 sub-commands globally", "", ""},
		{"guild", []string{"discord", "register", "--guild", "200000000000000002"}, "", 0, "in guild 200000000000000002", "", "200000000000000002"},
		{"no app id", []string{"discord", "register"}, "DISCORD_APP_ID", 2, "", "DISCORD_APP_ID", ""},
		{"no token", []string{"discord", "register"}, "DISCORD_BOT_TOKEN", 2, "", "DISCORD_BOT_TOKEN", ""},
		{"bad guild", []string{"discord", "register", "--guild", "x"}, "", 2, "", "not a Discord guild id", ""},
		{"no action", []string{"discord"}, "", 2, "", "usage: alexa-brief discord register", ""},
		{"unknown action", []string{"discord", "unregister"}, "", 2, "", "unknown action", ""},
		{"stray argument", []string{"discord", "register", "now"}, "", 2, "", "unexpected argument", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(fake.Commands())
			getenv := func(k string) string {
				if k == tt.unset {
					return ""
				}
				return base[k]
			}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, strings.NewReader(""), &stdout, &stderr, getenv)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.wantCode, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.wantOut) || !strings.Contains(stderr.String(), tt.wantErr) {
				t.Errorf("stdout %q, stderr %q; want %q and %q", stdout.String(), stderr.String(), tt.wantOut, tt.wantErr)
			}
			if strings.Contains(stdout.String()+stderr.String(), fake.Token()) {
				t.Error("the token was printed")
			}
			puts := fake.Commands()
			if tt.wantCode != 0 {
				if len(puts) != before {
					t.Error("a failed register reached Discord")
				}
				return
			}
			if len(puts) != before+1 || puts[len(puts)-1].GuildID != tt.wantGuild {
				t.Fatalf("puts %+v", puts)
			}
			if !strings.Contains(stdout.String(), "permissions=83968") || !strings.Contains(stdout.String(), "scope=bot+applications.commands") {
				t.Errorf("invite link missing: %s", stdout.String())
			}
			if tt.wantGuild == "" {
				file, err := os.ReadFile("../../deploy/discord/commands.json")
				if err != nil {
					t.Fatal(err)
				}
				var got, want any
				_ = json.Unmarshal(puts[len(puts)-1].Body, &got)
				_ = json.Unmarshal(file, &want)
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(want)
				if !bytes.Equal(g, w) {
					t.Errorf("sent %s\nwant deploy/discord/commands.json", g)
				}
			}
		})
	}
}
