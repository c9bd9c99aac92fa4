package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/discord/discordtest"
)

// End-to-end tests of `alexa-brief serve` for Discord: the real binary as a
// subprocess, the fake Discord REST API (discordtest) in the test process.
// The bot token is set too: the gateway then asks the fake for its URL and
// dials the fake, which refuses the websocket, so nothing leaves 127.0.0.1.

// testDiscordSeed is the private seed of RFC 8032 test key 1 (testDiscordPub).
const testDiscordSeed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"

// Discord ids used by these tests.
const (
	e2eGuild   = "200000000000000002"
	e2eChannel = "210000000000000021"
	e2eUser    = "300000000000000003"
)

// Permission bits (Discord's).
const (
	permNone           = "0"
	permManageChannels = "16"
	permAdministrator  = "8"
)

func discordKey(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	seed, err := hex.DecodeString(testDiscordSeed)
	if err != nil {
		t.Fatal(err)
	}
	key := ed25519.NewKeyFromSeed(seed)
	if got := hex.EncodeToString(key.Public().(ed25519.PublicKey)); got != testDiscordPub {
		t.Fatalf("seed gives public key %s, want %s", got, testDiscordPub)
	}
	return key
}

var interactionSeq atomic.Int64

// slashInteraction is an APPLICATION_COMMAND interaction for
// /alexa-brief <sub> [option: value] in the test guild, from a member with
// the given permissions. It returns the body and its interaction token.
func slashInteraction(t *testing.T, appID, sub, option, value, perms string) ([]byte, string) {
	t.Helper()
	n := interactionSeq.Add(1)
	token := fmt.Sprintf("e2e-token-%d", n)
	opt := map[string]any{"name": sub, "type": 1}
	if option != "" {
		opt["options"] = []any{map[string]any{"name": option, "type": 3, "value": value}}
	}
	b, err := json.Marshal(map[string]any{
		"id": strconv.FormatInt(400000000000000000+n, 10), "application_id": appID, "type": 2, "version": 1,
		"token": token, "guild_id": e2eGuild, "channel_id": e2eChannel, "context": 0,
		"member": map[string]any{"user": map[string]any{"id": e2eUser, "username": "reader"}, "permissions": perms},
		"data":   map[string]any{"id": "500000000000000005", "name": "alexa-brief", "type": 1, "options": []any{opt}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b, token
}

// buttonInteraction is a MESSAGE_COMPONENT interaction: a click on the
// button customID under an earlier answer.
func buttonInteraction(t *testing.T, appID, customID string) ([]byte, string) {
	t.Helper()
	n := interactionSeq.Add(1)
	token := fmt.Sprintf("e2e-token-%d", n)
	b, err := json.Marshal(map[string]any{
		"id": strconv.FormatInt(400000000000000000+n, 10), "application_id": appID, "type": 3, "version": 1,
		"token": token, "guild_id": e2eGuild, "channel_id": e2eChannel, "context": 0,
		"member": map[string]any{"user": map[string]any{"id": e2eUser, "username": "reader"}, "permissions": permNone},
		"data":   map[string]any{"custom_id": customID, "component_type": 2},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b, token
}

// buttons maps the labels of an answer's buttons to their custom ids.
func buttons(t *testing.T, m *discordtest.Message) map[string]string {
	t.Helper()
	var rows []struct {
		Components []struct {
			Label    string `json:"label"`
			CustomID string `json:"custom_id"`
		} `json:"components"`
	}
	if len(m.Components) > 0 {
		if err := json.Unmarshal(m.Components, &rows); err != nil {
			t.Fatalf("components: %v: %s", err, m.Components)
		}
	}
	out := map[string]string{}
	for _, r := range rows {
		for _, c := range r.Components {
			out[c.Label] = c.CustomID
		}
	}
	return out
}

// discordPost sends body to /discord/interactions with the given headers.
func discordPost(t *testing.T, base string, body []byte, sig, ts string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+"/discord/interactions", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if sig != "" {
		req.Header.Set("X-Signature-Ed25519", sig)
	}
	if ts != "" {
		req.Header.Set("X-Signature-Timestamp", ts)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

// signDiscord signs timestamp + body as Discord does.
func signDiscord(key ed25519.PrivateKey, ts string, body []byte) string {
	return hex.EncodeToString(ed25519.Sign(key, append([]byte(ts), body...)))
}

type discordAnswer struct {
	typ     int                  // 4, or 5 when deferred
	initial *discordtest.Message // the HTTP response's data
	msg     *discordtest.Message // what the user sees: data of a 4, the edit of a 5
}

// text is everything the user reads: content and embeds.
func (a discordAnswer) text() string {
	var b strings.Builder
	b.WriteString(a.msg.Content + "\n")
	for _, e := range a.msg.Embeds {
		b.WriteString(e.Title + "\n" + e.Description + "\n")
		for _, f := range e.Fields {
			b.WriteString(f.Name + "\n" + f.Value + "\n")
		}
		if e.Footer != nil {
			b.WriteString(e.Footer.Text + "\n")
		}
	}
	return b.String()
}

// checkNoMentions fails unless m sends allowed_mentions {"parse": []}.
func checkNoMentions(t *testing.T, what string, m *discordtest.Message) {
	t.Helper()
	if m.AllowedMentions == nil || m.AllowedMentions.Parse == nil || len(m.AllowedMentions.Parse) != 0 ||
		len(m.AllowedMentions.Users) != 0 || len(m.AllowedMentions.Roles) != 0 {
		am, _ := json.Marshal(m.AllowedMentions)
		t.Errorf("%s: allowed_mentions %s, want {\"parse\": []}: %s", what, am, m.Raw)
	}
	if p := m.Pings(); len(p) != 0 {
		t.Errorf("%s pings %v", what, p)
	}
}

// interact sends a signed interaction and returns the answer, waiting for
// the edit of @original when the bot deferred it.
func interact(t *testing.T, base string, fake *discordtest.Server, key ed25519.PrivateKey, body []byte, token string) discordAnswer {
	t.Helper()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	status, out := discordPost(t, base, body, signDiscord(key, ts, body), ts)
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, out)
	}
	var resp struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	var data discordtest.Message
	if err := json.Unmarshal(resp.Data, &data); err != nil {
		t.Fatalf("data: %v: %s", err, out)
	}
	data.Raw, data.Webhook = resp.Data, true
	a := discordAnswer{typ: resp.Type, initial: &data, msg: &data}
	switch resp.Type {
	case 4:
	case 5:
		waitUntil(t, "the deferred answer", func() bool {
			for _, w := range fake.Webhooks() {
				if w.Token == token && w.Method == http.MethodPatch && w.Target == "@original" {
					m := w.Message
					m.Webhook = true
					a.msg = &m
					return true
				}
			}
			return false
		})
	default:
		t.Fatalf("response type %d, want 4 or 5: %s", resp.Type, out)
	}
	return a
}

func TestE2EDiscordServe(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	key := discordKey(t)
	db := filepath.Join(t.TempDir(), "discord.db")
	env := append(append([]string{}, noPlatformEnv...),
		"DISCORD_PUBLIC_KEY="+testDiscordPub, "DISCORD_APP_ID="+fake.AppID(), "DISCORD_API_URL="+fake.URL(),
		"DISCORD_BOT_TOKEN="+fake.Token(), "DATABASE_URL="+db)
	base, cmd, stderr := startServe(t, env...)

	// The gateway asked the fake, not Discord, where to connect. The fake
	// refuses the websocket: /readyz stays 200, since interactions keep
	// working, and says Discord is degraded and why; connection_up says
	// the gateway is down.
	waitUntil(t, "the gateway's request to the fake", func() bool { return fake.Stats().Requests > 0 })
	var ready struct {
		Status    string            `json:"status"`
		Reason    string            `json:"reason"`
		Platforms map[string]string `json:"platforms"`
	}
	var readyCode int
	waitUntil(t, "/readyz to report the gateway", func() bool {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		readyCode = resp.StatusCode
		if err := json.NewDecoder(resp.Body).Decode(&ready); err != nil {
			t.Fatal(err)
		}
		return strings.HasPrefix(ready.Platforms["discord"], "degraded: gateway not connected: ")
	})
	if readyCode != http.StatusOK || ready.Status != "ready" || ready.Reason != "" {
		t.Errorf("/readyz with only the gateway down: %d %+v, want 200 ready, Discord degraded", readyCode, ready)
	}
	if got := metricSum(t, base, "alexa_brief_platform_ready", `platform="discord"`); got != 1 {
		t.Errorf("alexa_brief_platform_ready{platform=\"discord\"} = %v, want 1 (ready, degraded)", got)
	}
	if got := metricSum(t, base, "alexa_brief_connection_up", `platform="discord"`); got != 0 {
		t.Errorf("alexa_brief_connection_up{platform=\"discord\"} = %v, want 0", got)
	}

	t.Run("PING", func(t *testing.T) {
		body := []byte(`{"type":1,"id":"400000000000000001","application_id":"` + fake.AppID() + `","token":"ping","version":1}`)
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		status, out := discordPost(t, base, body, signDiscord(key, ts, body), ts)
		if status != http.StatusOK || strings.TrimSpace(string(out)) != `{"type":1}` {
			t.Errorf("got %d %s, want 200 {\"type\":1}", status, out)
		}
		// The published vector is validly signed, but at a fixed time long
		// past: outside the 5-minute window, so refused like any replay.
		status, out = discordPost(t, base, []byte(`{"type":1}`), testPingSig, testPingTS)
		if status != http.StatusUnauthorized {
			t.Errorf("PLATFORMS.md vector (2023): got %d %s, want 401", status, out)
		}
	})

	t.Run("bad signatures", func(t *testing.T) {
		handled := metricSum(t, base, "alexa_brief_commands_total", `platform="discord"`)
		webhooks, callbacks, messages := len(fake.Webhooks()), len(fake.Callbacks()), len(fake.Messages())
		_, other, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := slashInteraction(t, fake.AppID(), "quotes", "", "", permNone)
		ping := []byte(`{"type":1}`)
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		tests := []struct {
			name    string
			body    []byte
			sig, ts string
		}{
			{"no headers", body, "", ""},
			{"no timestamp", body, signDiscord(key, ts, body), ""},
			{"another key", body, signDiscord(other, ts, body), ts},
			{"tampered body", append(bytes.Clone(body[:len(body)-1]), ' ', '}'), signDiscord(key, ts, body), ts},
			{"other timestamp", body, signDiscord(key, ts, body), strconv.FormatInt(time.Now().Unix()+1, 10)},
			{"not hex", body, "zz" + signDiscord(key, ts, body)[2:], ts},
			{"short signature", body, signDiscord(key, ts, body)[:64], ts},
			{"PING with a wrong signature", ping, signDiscord(other, ts, ping), ts},
		}
		for _, tt := range tests {
			if status, out := discordPost(t, base, tt.body, tt.sig, tt.ts); status != http.StatusUnauthorized {
				t.Errorf("%s: got %d %s, want 401", tt.name, status, out)
			}
		}
		if got := metricSum(t, base, "alexa_brief_commands_total", `platform="discord"`); got != handled {
			t.Errorf("the bot handled %v requests for unverified ones", got-handled)
		}
		if len(fake.Webhooks()) != webhooks || len(fake.Callbacks()) != callbacks || len(fake.Messages()) != messages {
			t.Errorf("unverified requests reached the Discord API")
		}
		big := bytes.Repeat([]byte("x"), 1<<20+1)
		if status, _ := discordPost(t, base, big, signDiscord(key, ts, big), ts); status != http.StatusRequestEntityTooLarge {
			t.Errorf("1 MiB + 1: got %d, want 413", status)
		}
	})

	t.Run("share button", func(t *testing.T) {
		body, token := slashInteraction(t, fake.AppID(), "quotes", "", "", permNone)
		a := interact(t, base, fake, key, body, token)
		share, ok := buttons(t, a.msg)["Share in channel"]
		if !ok {
			t.Fatalf("the quotes answer has no Share button: %s", a.msg.Components)
		}
		body, token = buttonInteraction(t, fake.AppID(), share)
		shared := interact(t, base, fake, key, body, token)
		if shared.initial.Flags&64 != 0 || shared.msg.Flags&64 != 0 {
			t.Errorf("a shared answer is ephemeral (flags %d/%d)", shared.initial.Flags, shared.msg.Flags)
		}
		checkNoMentions(t, "shared answer", shared.msg)
		if !strings.Contains(shared.text(), "smart timer") {
			t.Errorf("the shared answer lacks the quotes:\n%s", shared.text())
		}
		if _, again := buttons(t, shared.msg)["Share in channel"]; again {
			t.Error("the shared answer offers to share itself again")
		}
	})

	subs := func(t *testing.T) []struct{ Platform, Team, Channel, Schedule string } {
		t.Helper()
		out, errOut, code := runCLI(t, []string{"DATABASE_URL=" + db}, "subscriptions", "list", "--json")
		if code != 0 {
			t.Fatalf("subscriptions list: exit %d %s", code, errOut)
		}
		var list []struct{ Platform, Team, Channel, Schedule string }
		if err := json.Unmarshal([]byte(out), &list); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return list
	}

	t.Run("commands", func(t *testing.T) {
		// In order: the subscription commands build on each other. stored
		// is the channel's schedule in the store afterwards ("" for none).
		tests := []struct {
			name, sub, option, value, perms string
			want                            []string
			stored                          string
		}{
			{"brief", "brief", "", "", permNone, []string{"$25 billion", "\n> — ", "Sources"}, ""}, // "> — " opens the quote's attribution
			{"quotes", "quotes", "", "", permNone, []string{"smart timer", "A former Amazon employee", "Dave Limp"}, ""},
			{"facts", "facts", "", "", permNone, []string{"$25 billion", "500 million"}, ""},
			{"sources", "sources", "", "", permNone, []string{"Amazon’s Echo smart speakers", "reportedly fallen short"}, ""},
			{"help", "help", "", "", permNone, []string{"/alexa-brief ask", "/alexa-brief subscribe"}, ""},
			{"ask", "ask", "question", "How much did Amazon lose on devices?", permNone, []string{"$25 billion", "2017"}, ""},
			{"ask with @everyone", "ask", "question", "@everyone @here how much did Amazon lose on devices?", permNone, []string{"$25 billion"}, ""},
			{"schedule before", "schedule", "", "", permNone, []string{"No digest scheduled"}, ""},
			{"subscribe without Manage Channels", "subscribe", "schedule", "@every 1h", permNone, []string{"Only people who can manage this channel"}, ""},
			{"subscribe bad schedule", "subscribe", "schedule", "every full moon", permManageChannels, []string{"That schedule doesn't work"}, ""},
			{"subscribe", "subscribe", "schedule", "@every 1h", permManageChannels, []string{"Subscribed", "@every 1h"}, "@every 1h"},
			{"schedule", "schedule", "", "", permNone, []string{"@every 1h", "Next run"}, "@every 1h"},
			{"unsubscribe without Manage Channels", "unsubscribe", "", "", permNone, []string{"Only people who can manage this channel"}, "@every 1h"},
			{"resubscribe as administrator", "subscribe", "schedule", "daily 09:00 Europe/Berlin", permAdministrator, []string{"Subscribed"}, "daily 09:00 Europe/Berlin"},
			{"unsubscribe", "unsubscribe", "", "", permManageChannels, []string{"Unsubscribed"}, ""},
			{"schedule after", "schedule", "", "", permNone, []string{"No digest scheduled"}, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				body, token := slashInteraction(t, fake.AppID(), tt.sub, tt.option, tt.value, tt.perms)
				a := interact(t, base, fake, key, body, token)
				if a.initial.Flags&64 == 0 || a.msg.Flags&64 == 0 {
					t.Errorf("flags %d/%d, want ephemeral (64)", a.initial.Flags, a.msg.Flags)
				}
				checkNoMentions(t, "response", a.initial)
				checkNoMentions(t, "answer", a.msg)
				text := a.text()
				for _, w := range tt.want {
					if !strings.Contains(text, w) {
						t.Errorf("answer (type %d) lacks %q:\n%s", a.typ, w, text)
					}
				}
				var stored []string
				for _, s := range subs(t) {
					if s.Platform != "discord" || s.Team != e2eGuild || s.Channel != e2eChannel {
						t.Errorf("unexpected subscription %+v", s)
					}
					stored = append(stored, s.Schedule)
				}
				if want := tt.stored; (want == "" && len(stored) != 0) || (want != "" && (len(stored) != 1 || stored[0] != want)) {
					t.Errorf("stored schedules %q, want %q", stored, want)
				}
			})
		}
	})

	if strings.Contains(stderr.String(), fake.Token()) {
		t.Error("the log contains the bot token")
	}
	stopServe(t, cmd, stderr)
	// The failed gateway connection was logged, as JSON like the rest.
	if countLogLines(stderr.String(), `"msg":"discordgo: error connecting to gateway`) == 0 {
		t.Errorf("no JSON log line from discordgo about the gateway:\n%s", stderr)
	}
	checkJSONLog(t, stderr.String())
}

// TestE2EDigestDiscord runs `digest run` twice for the same instant with a
// bot token against the fake Discord: one message, with a nonce Discord
// enforces and no mentions. digest run posts over REST only; it opens no
// gateway.
func TestE2EDigestDiscord(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	db := filepath.Join(t.TempDir(), "digest.db")
	env := append(append([]string{}, noPlatformEnv...), "DATABASE_URL="+db,
		"DISCORD_BOT_TOKEN="+fake.Token(), "DISCORD_APP_ID="+fake.AppID(), "DISCORD_API_URL="+fake.URL())

	out, errOut, code := runCLI(t, env, "subscriptions", "add", "--platform", "discord", "--team", e2eGuild,
		"--channel", e2eChannel, "--schedule", "@every 1h")
	if code != 0 || !strings.Contains(out, "subscribed discord/"+e2eGuild+"/"+e2eChannel) {
		t.Fatalf("subscriptions add: exit %d\n%s%s", code, out, errOut)
	}
	now := time.Now().UTC().Add(90 * time.Minute).Truncate(time.Second).Format(time.RFC3339)
	runDigestTwice(t, env, now)
	msgs := fake.ChannelMessages(e2eChannel)
	if len(msgs) != 1 {
		t.Fatalf("%d messages after two passes at the same instant, want 1", len(msgs))
	}
	m := msgs[0]
	checkNoMentions(t, "digest", &m)
	if m.Nonce == "" || len(m.Nonce) > 25 || !m.EnforceNonce {
		t.Errorf("nonce %q enforce_nonce %v, want a nonce of at most 25 characters, enforced", m.Nonce, m.EnforceNonce)
	}
	a := discordAnswer{msg: &m}
	if !strings.Contains(a.text(), "$25 billion") {
		t.Errorf("the digest lacks the brief:\n%s", a.text())
	}
	if m.Flags&64 != 0 {
		t.Errorf("a digest is ephemeral (flags %d)", m.Flags)
	}

	out, errOut, code = runCLI(t, env, "subscriptions", "list", "--json")
	if code != 0 {
		t.Fatalf("subscriptions list: exit %d %s", code, errOut)
	}
	var list []struct {
		LastDelivery *struct {
			State     string `json:"state"`
			MessageID string `json:"message_id"`
		} `json:"last_delivery"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 || list[0].LastDelivery == nil {
		t.Fatalf("subscriptions list: %v\n%s", err, out)
	}
	if d := list[0].LastDelivery; d.State != "posted" || d.MessageID != m.ID {
		t.Errorf("delivery %+v, want posted with message id %s", d, m.ID)
	}
}

// TestE2EDiscordRefusedToken: a bot token Discord refuses stops serve with
// exit 2 (a configuration error, which systemd does not restart) and an
// error naming the variable, not the token.
func TestE2EDiscordRefusedToken(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	const wrong = "not-the-bot-token"
	env := append(append([]string{}, noPlatformEnv...), "ALEXA_BRIEF_ADDR="+freeAddr(t),
		"DATABASE_URL="+filepath.Join(t.TempDir(), "refused.db"),
		"DISCORD_APP_ID="+fake.AppID(), "DISCORD_API_URL="+fake.URL(), "DISCORD_BOT_TOKEN="+wrong)
	_, errOut, code := runCLI(t, env, "serve")
	if code != 2 || !strings.Contains(errOut, "DISCORD_BOT_TOKEN") {
		t.Errorf("exit %d, want 2 with an error naming DISCORD_BOT_TOKEN:\n%s", code, errOut)
	}
	if strings.Contains(errOut, wrong) {
		t.Errorf("the refused token is in the output:\n%s", errOut)
	}
	if fake.Stats().Unauthorized == 0 {
		t.Error("the token was never presented to the fake")
	}
}
