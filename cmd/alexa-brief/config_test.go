package main

import (
	"strings"
	"testing"
	"time"
)

func envOf(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestLoadConfigDefaults(t *testing.T) {
	c, err := LoadConfig(envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Addr, ":8080"; got != want {
		t.Errorf("Addr = %q, want %q", got, want)
	}
	if got, want := c.DatabaseURL, "alexa-brief.db"; got != want {
		t.Errorf("DatabaseURL = %q, want %q", got, want)
	}
	if got, want := c.Catchup, 6*time.Hour; got != want {
		t.Errorf("Catchup = %v, want %v", got, want)
	}
	if got, want := c.Slack.APIURL, "https://slack.com/api/"; got != want {
		t.Errorf("Slack.APIURL = %q, want %q", got, want)
	}
	if c.HasPlatform() {
		t.Error("HasPlatform() = true with no credentials")
	}
}

func TestLoadConfigErrors(t *testing.T) {
	const key = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string // substring; "" means valid
	}{
		{"postgres url", map[string]string{"DATABASE_URL": "postgres://u:p@db:5432/x"}, ""},
		{"sqlite prefix", map[string]string{"DATABASE_URL": "sqlite:/tmp/x.db"}, ""},
		{"empty sqlite path", map[string]string{"DATABASE_URL": "sqlite:"}, "DATABASE_URL"},
		{"empty sqlite URL path", map[string]string{"DATABASE_URL": "sqlite://"}, "DATABASE_URL"},
		{"unknown scheme", map[string]string{"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"},
		{"postgres without host", map[string]string{"DATABASE_URL": "postgres://"}, "DATABASE_URL"},
		// Typos of a PostgreSQL URL must not silently become a SQLite file
		// per replica (replicas would then post the same digests).
		{"postgres one slash", map[string]string{"DATABASE_URL": "postgres:/db.internal/ab"}, "DATABASE_URL"},
		{"postgresql no slashes", map[string]string{"DATABASE_URL": "postgresql:db.internal"}, "DATABASE_URL"},
		{"libpq keywords", map[string]string{"DATABASE_URL": "host=db.internal user=ab dbname=ab sslmode=require"}, "DATABASE_URL"},
		{"path with equals", map[string]string{"DATABASE_URL": "data/a=b.db"}, ""},
		{"path with colon", map[string]string{"DATABASE_URL": "data/v1:ab.db"}, ""},
		{"catchup", map[string]string{"ALEXA_BRIEF_CATCHUP": "soon"}, "ALEXA_BRIEF_CATCHUP"},
		{"negative catchup", map[string]string{"ALEXA_BRIEF_CATCHUP": "-1h"}, "ALEXA_BRIEF_CATCHUP"},
		{"log level", map[string]string{"LOG_LEVEL": "loud"}, "LOG_LEVEL"},
		{"log format", map[string]string{"LOG_FORMAT": "xml"}, "LOG_FORMAT"},
		{"addr", map[string]string{"ALEXA_BRIEF_ADDR": "8080"}, "ALEXA_BRIEF_ADDR"},
		{"addr port not a port", map[string]string{"ALEXA_BRIEF_ADDR": ":abc"}, "ALEXA_BRIEF_ADDR"},
		{"addr port too big", map[string]string{"ALEXA_BRIEF_ADDR": "127.0.0.1:99999"}, "ALEXA_BRIEF_ADDR"},
		{"addr any port", map[string]string{"ALEXA_BRIEF_ADDR": "127.0.0.1:0"}, ""},
		{"addr ipv6", map[string]string{"ALEXA_BRIEF_ADDR": "[::1]:8080"}, ""},
		{"slack api url", map[string]string{"SLACK_API_URL": "slack.com"}, "SLACK_API_URL"},
		{"slack bot token type", map[string]string{"SLACK_BOT_TOKEN": "xoxp-123"}, "SLACK_BOT_TOKEN"},
		{"slack app token type", map[string]string{"SLACK_APP_TOKEN": "xoxb-123"}, "SLACK_APP_TOKEN"},
		{"oauth half", map[string]string{"SLACK_CLIENT_ID": "1.2"}, "SLACK_CLIENT_SECRET"},
		{"discord key not hex", map[string]string{"DISCORD_PUBLIC_KEY": "zz", "DISCORD_APP_ID": "1"}, "DISCORD_PUBLIC_KEY"},
		{"discord key short", map[string]string{"DISCORD_PUBLIC_KEY": "abcd", "DISCORD_APP_ID": "1"}, "DISCORD_PUBLIC_KEY"},
		{"discord key no app", map[string]string{"DISCORD_PUBLIC_KEY": key}, "DISCORD_APP_ID"},
		{"discord ok", map[string]string{"DISCORD_PUBLIC_KEY": key, "DISCORD_APP_ID": "1"}, ""},
		// The Kubernetes example's placeholder, left in by mistake.
		{"discord app id placeholder", map[string]string{"DISCORD_BOT_TOKEN": "x", "DISCORD_APP_ID": "REPLACE_WITH_APPLICATION_ID"}, "DISCORD_APP_ID"},
		{"discord app id not a snowflake", map[string]string{"DISCORD_PUBLIC_KEY": key, "DISCORD_APP_ID": "-12"}, "DISCORD_APP_ID"},
		{"discord app id snowflake", map[string]string{"DISCORD_BOT_TOKEN": "x", "DISCORD_APP_ID": "100000000000000001"}, ""},
		{"shard id over count", map[string]string{"DISCORD_SHARD_ID": "2", "DISCORD_SHARD_COUNT": "2"}, "DISCORD_SHARD_ID"},
		{"shard id alone", map[string]string{"DISCORD_SHARD_ID": "1"}, "DISCORD_SHARD_ID"},
		{"shard not a number", map[string]string{"DISCORD_SHARD_COUNT": "two"}, "DISCORD_SHARD_COUNT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(envOf(tt.env))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("got error %v, want none", err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("got no error, want one naming %s", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("got %q, want it to name %s", err, tt.wantErr)
			}
		})
	}
}

func TestLoadConfigNeverEchoesSecrets(t *testing.T) {
	secrets := []struct{ k, v string }{
		{"DATABASE_URL", "postgres://user:hunter2@"},
		{"DATABASE_URL", "host=db user=ab password=hunter2"},
		{"SLACK_BOT_TOKEN", "xoxp-hunter2"},
		{"SLACK_APP_TOKEN", "xoxb-hunter2"},
	}
	for _, s := range secrets {
		_, err := LoadConfig(envOf(map[string]string{s.k: s.v}))
		if err == nil {
			t.Fatalf("%s=%s: want an error", s.k, s.v)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: error %q shows the secret", s.k, err)
		}
	}
}

// The outbox knobs reach the Slack config; unset leaves the adapter's
// defaults (0), and a bad value names its variable.
func TestLoadConfigOutbox(t *testing.T) {
	c, err := LoadConfig(envOf(map[string]string{"ALEXA_BRIEF_OUTBOX_BACKLOG": "20000", "ALEXA_BRIEF_OUTBOX_FRESHNESS": "90s"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Slack.Backlog != 20000 || c.Slack.Freshness != 90*time.Second {
		t.Errorf("Backlog, Freshness = %d, %v; want 20000, 1m30s", c.Slack.Backlog, c.Slack.Freshness)
	}
	if c, _ := LoadConfig(envOf(nil)); c.Slack.Backlog != 0 || c.Slack.Freshness != 0 {
		t.Errorf("unset: Backlog, Freshness = %d, %v; want 0, 0 (the adapter's defaults)", c.Slack.Backlog, c.Slack.Freshness)
	}
	for k, v := range map[string]string{"ALEXA_BRIEF_OUTBOX_BACKLOG": "-1", "ALEXA_BRIEF_OUTBOX_FRESHNESS": "10ms"} {
		if _, err := LoadConfig(envOf(map[string]string{k: v})); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%s: err %v, want one naming it", k, v, err)
		}
	}
}
