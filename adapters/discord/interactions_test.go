package discord

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/discord/discordtest"
	"github.com/alexa-brief/alexa-brief/bot"
)

// PLATFORMS.md vector 5: RFC 8032 test-1 key, cross-checked in Python.
func TestVerifyVectors(t *testing.T) {
	pub := ed25519.PublicKey(mustHex(t, testPub))
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32)).Public().(ed25519.PublicKey)
	const (
		ts       = "1700000000"
		pingBody = `{"type":1}`
		pingSig  = "1695961a47c91a1ec033b819b7e87e3dbc583dd0cee6d1fd0216f58ac87b6228ae531ddbf91fb7bc28d7edf7f08604da16f54624f38a6bc0614e4dc13cd47f0f"
		cmdBody  = `{"type":2,"id":"1","token":"tok","data":{"name":"alexa-brief"}}`
		cmdSig   = "5ed9618ad6a173fc66d5cbdb289375b73896d140f90b32fb880b1fed43ae46eb8b96eee0efc3910c8f35bf955d488850aa6881307894cc604076bf6a578fc30d"
	)
	tests := []struct {
		name    string
		key     ed25519.PublicKey
		sig, ts string
		body    string
		want    bool
	}{
		{"ping valid", pub, pingSig, ts, pingBody, true},
		{"command valid", pub, cmdSig, ts, cmdBody, true},
		{"tampered body", pub, pingSig, ts, `{"type":2}`, false},
		{"body with a space", pub, pingSig, ts, `{"type": 1}`, false},
		{"tampered timestamp", pub, pingSig, "1700000001", pingBody, false},
		{"wrong key", other, pingSig, ts, pingBody, false},
		{"signature of another body", pub, cmdSig, ts, pingBody, false},
		{"missing signature", pub, "", ts, pingBody, false},
		{"missing timestamp", pub, pingSig, "", pingBody, false},
		{"not hex", pub, "zz" + pingSig[2:], ts, pingBody, false},
		{"short signature", pub, pingSig[:64], ts, pingBody, false},
	}
	for _, tt := range tests {
		if got := verify(tt.key, tt.sig, tt.ts, []byte(tt.body)); got != tt.want {
			t.Errorf("%s: verify = %v, want %v", tt.name, got, tt.want)
		}
	}
	// Our test key is the vector's key.
	if got := hex.EncodeToString(testKey(t).Public().(ed25519.PublicKey)); got != testPub {
		t.Fatalf("test key %s, want %s", got, testPub)
	}
}

func TestInteractionsEndpoint(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	h := &stubHandler{}
	_, srv := newTestAdapter(t, fake, h, nil, nil)
	key := testKey(t)
	sign := func(ts string, body []byte) string {
		return hex.EncodeToString(ed25519.Sign(key, append([]byte(ts), body...)))
	}
	ping := []byte(`{"type":1}`)
	big := append([]byte(`{"type":1,"pad":"`), bytes.Repeat([]byte("x"), 1<<20)...)
	big = append(big, `"}`...)
	tests := []struct {
		name       string
		method     string
		body       []byte
		sig, ts    string
		wantStatus int
		wantBody   string
	}{
		{"ping", "POST", ping, sign("1700000000", ping), "1700000000", 200, `{"type":1}`},
		{"ping vector signature", "POST", ping, "1695961a47c91a1ec033b819b7e87e3dbc583dd0cee6d1fd0216f58ac87b6228ae531ddbf91fb7bc28d7edf7f08604da16f54624f38a6bc0614e4dc13cd47f0f", "1700000000", 200, `{"type":1}`},
		{"missing signature", "POST", ping, "", "1700000000", 401, ""},
		{"tampered body", "POST", []byte(`{"type":1} `), sign("1700000000", ping), "1700000000", 401, ""},
		{"tampered timestamp", "POST", ping, sign("1700000000", ping), "1700000009", 401, ""},
		{"over 1 MiB", "POST", big, sign("1700000000", big), "1700000000", 413, ""},
		{"signed garbage", "POST", []byte("nope"), sign("1700000000", []byte("nope")), "1700000000", 400, ""},
		{"signed but stale", "POST", ping, sign("1", ping), "1", 401, ""},
		{"GET", "GET", nil, "", "", 405, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, srv.URL+"/discord/interactions", bytes.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("X-Signature-Ed25519", tt.sig)
			req.Header.Set("X-Signature-Timestamp", tt.ts)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			_, _ = buf.ReadFrom(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d, want %d (%s)", resp.StatusCode, tt.wantStatus, buf.String())
			}
			if tt.wantBody != "" {
				if got := buf.String(); got != tt.wantBody {
					t.Errorf("body = %s, want %s", got, tt.wantBody)
				}
				if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type = %q", ct)
				}
			}
		})
	}
	if n := len(h.requests()); n != 0 {
		t.Errorf("handler saw %d requests; only verified commands may reach it", n)
	}
}

// response is the part of an interaction response the tests look at.
type response struct {
	Type int `json:"type"`
	Data struct {
		Flags           int             `json:"flags"`
		Embeds          []embed         `json:"embeds"`
		Components      json.RawMessage `json:"components"`
		AllowedMentions *struct {
			Parse []string `json:"parse"`
		} `json:"allowed_mentions"`
	} `json:"data"`
}

type embed struct {
	Title       string `json:"title"`
	Description string `json:"description"`
}

func decodeResponse(t *testing.T, body []byte) response {
	t.Helper()
	var r response
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	if r.Type != 1 && (r.Data.AllowedMentions == nil || r.Data.AllowedMentions.Parse == nil || len(r.Data.AllowedMentions.Parse) != 0) {
		t.Errorf(`response without allowed_mentions {"parse": []}: %s`, body)
	}
	return r
}

// Every sub-command, end to end through the HTTP endpoint.
func TestSubCommands(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	h := &stubHandler{}
	a, srv := newTestAdapter(t, fake, h, nil, nil)
	const guild, channel = "200000000000000002", "210000000000000021"
	tests := []struct {
		sub      string
		opts     map[string]string
		perms    string
		guild    string
		wantText string
		wantMgr  bool
	}{
		{"brief", nil, "2048", guild, "brief", false},
		{"quotes", nil, "0", guild, "quotes", false},
		{"facts", nil, "0", guild, "facts", false},
		{"sources", nil, "0", guild, "sources", false},
		{"help", nil, "0", guild, "help", false},
		{"ask", map[string]string{"question": "  How much did Amazon lose?  "}, "0", guild, "ask How much did Amazon lose?", false},
		{"subscribe", map[string]string{"schedule": "weekdays 09:00 Europe/Paris"}, "16", guild, "subscribe weekdays 09:00 Europe/Paris", true},
		{"subscribe", map[string]string{"schedule": "@daily"}, "8", guild, "subscribe @daily", true},
		{"subscribe", map[string]string{"schedule": "@daily"}, "2048", guild, "subscribe @daily", false},
		{"unsubscribe", nil, "16", guild, "unsubscribe", true},
		{"schedule", nil, "0", guild, "schedule", false},
		{"ask", map[string]string{"question": "what else?"}, "", "", "ask what else?", true}, // DM
	}
	for i, tt := range tests {
		t.Run(tt.sub, func(t *testing.T) {
			body := interaction{typ: 2, guild: tt.guild, channel: channel, perms: tt.perms, sub: tt.sub, opts: tt.opts}.json(t)
			resp, out := postSigned(t, srv.URL, testKey(t), body)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, out)
			}
			r := decodeResponse(t, out)
			if r.Type != 4 || r.Data.Flags != 64 {
				t.Errorf("response type %d flags %d, want 4 and ephemeral 64", r.Type, r.Data.Flags)
			}
			if len(r.Data.Embeds) == 0 || r.Data.Embeds[0].Title != "ok: "+tt.wantText {
				t.Errorf("embeds %+v, want the handler's reply", r.Data.Embeds)
			}
			reqs := h.requests()
			if len(reqs) != i+1 {
				t.Fatalf("handler saw %d requests, want %d", len(reqs), i+1)
			}
			got := reqs[i]
			wantTeam, wantDM := guild, false
			if tt.guild == "" {
				wantTeam, wantDM = "dm", true
			}
			want := bot.Request{
				Kind: bot.KindCommand, Scope: bot.Scope{Platform: "discord", Team: wantTeam, Channel: channel},
				User: "300000000000000003", DM: wantDM, Text: tt.wantText, CanManage: tt.wantMgr, EventID: "400000000000000004",
			}
			if wantDM {
				want.Conversation = channel
			}
			if got != want {
				t.Errorf("request\n got %+v\nwant %+v", got, want)
			}
			// The handler's share button survives in an ephemeral reply.
			if !strings.Contains(string(r.Data.Components), `"custom_id":"ab|share|`+tt.wantText+`"`) {
				t.Errorf("share button missing: %s", r.Data.Components)
			}
		})
	}
	a.wait()
}

func TestShareButton(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	h := &stubHandler{reply: func(req bot.Request) bot.Reply {
		return bot.Reply{Title: req.Action + ": " + req.Value, Buttons: []bot.Button{{Label: "Share in channel", Action: bot.ActionShare, Value: req.Value}}}
	}}
	a, srv := newTestAdapter(t, fake, h, nil, nil)
	body := interaction{typ: 3, guild: "200000000000000002", channel: "210000000000000021", perms: "0", customID: "ab|share|ask who is Andy Jassy?"}.json(t)
	resp, out := postSigned(t, srv.URL, testKey(t), body)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, out)
	}
	r := decodeResponse(t, out)
	if r.Type != 4 || r.Data.Flags != 0 {
		t.Errorf("type %d flags %d, want 4 and not ephemeral", r.Type, r.Data.Flags)
	}
	if strings.Contains(string(r.Data.Components), "share") {
		t.Errorf("a shared message still offers to share: %s", r.Data.Components)
	}
	reqs := h.requests()
	if len(reqs) != 1 || reqs[0].Kind != bot.KindAction || reqs[0].Action != bot.ActionShare || reqs[0].Value != "ask who is Andy Jassy?" {
		t.Fatalf("requests %+v", reqs)
	}

	// A share whose command did not fit the custom id reposts the message.
	body = interaction{typ: 3, guild: "200000000000000002", channel: "210000000000000021", perms: "0", customID: "ab|share|",
		messageObj: map[string]any{"id": "1", "channel_id": "210000000000000021", "flags": 64, "embeds": []any{map[string]any{"title": "The brief", "description": "@everyone hello"}}}}.json(t)
	_, out = postSigned(t, srv.URL, testKey(t), body)
	r = decodeResponse(t, out)
	if r.Type != 4 || r.Data.Flags != 0 || len(r.Data.Embeds) != 1 || r.Data.Embeds[0].Title != "The brief" {
		t.Errorf("repost = %s", out)
	}
	if len(h.requests()) != 1 {
		t.Error("a repost needs no handler call")
	}
	a.wait()
}

func TestButtonActions(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	h := &stubHandler{}
	a, srv := newTestAdapter(t, fake, h, nil, nil)
	for _, id := range []string{"ab|quotes|", "ab|sources|", "ab|ask|and in 2021?"} {
		body := interaction{typ: 3, guild: "200000000000000002", channel: "210000000000000021", perms: "0", customID: id}.json(t)
		resp, out := postSigned(t, srv.URL, testKey(t), body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: status %d", id, resp.StatusCode)
		}
		if r := decodeResponse(t, out); r.Type != 4 || r.Data.Flags != 64 {
			t.Errorf("%s: type %d flags %d", id, r.Type, r.Data.Flags)
		}
	}
	var got []string
	for _, r := range h.requests() {
		got = append(got, r.Action+"="+r.Value)
	}
	if want := "quotes= sources= ask=and in 2021?"; strings.Join(got, " ") != want {
		t.Errorf("actions %q, want %q", strings.Join(got, " "), want)
	}
	// An unknown custom id gets a polite ephemeral refusal, not the handler.
	body := interaction{typ: 3, guild: "200000000000000002", channel: "210000000000000021", perms: "0", customID: "other"}.json(t)
	_, out := postSigned(t, srv.URL, testKey(t), body)
	if r := decodeResponse(t, out); r.Type != 4 || r.Data.Flags != 64 || len(h.requests()) != 3 {
		t.Errorf("unknown component answered %s", out)
	}
	a.wait()
}

// A slow answer is deferred (type 5, ephemeral) and completed by editing
// @original, the rest of a long reply as follow-ups, against the fake API.
func TestDeferredAnswer(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	h := &stubHandler{gate: make(chan struct{}), reply: func(bot.Request) bot.Reply { return oversized() }}
	a, srv := newTestAdapter(t, fake, h, nil, nil)
	a.deferAfter = 0 // the handler blocks until released: always the slow path

	body := interaction{typ: 2, guild: "200000000000000002", channel: "210000000000000021", perms: "0", sub: "ask",
		opts: map[string]string{"question": "what happened?"}, token: "deferred-token"}.json(t)
	resp, out := postSigned(t, srv.URL, testKey(t), body)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	r := decodeResponse(t, out)
	if r.Type != 5 || r.Data.Flags != 64 {
		t.Fatalf("response %s, want type 5 with flags 64", out)
	}
	if n := len(fake.Webhooks()); n != 0 {
		t.Fatalf("%d webhook calls before the answer exists", n)
	}
	close(h.gate)
	a.wait()

	calls := fake.Webhooks()
	want := len(render(oversized()))
	if len(calls) != want {
		t.Fatalf("%d webhook calls, want %d (one edit, then follow-ups)", len(calls), want)
	}
	for i, c := range calls {
		wantMethod, wantTarget := "POST", ""
		if i == 0 {
			wantMethod, wantTarget = "PATCH", "@original"
		}
		if c.Method != wantMethod || c.Target != wantTarget || c.Token != "deferred-token" || c.AppID != fake.AppID() {
			t.Errorf("call %d: %s %q token %q", i, c.Method, c.Target, c.Token)
		}
		if c.Message.Flags != 64 {
			t.Errorf("call %d: flags %d, want ephemeral", i, c.Message.Flags)
		}
		if !bytes.Contains(c.Message.Raw, []byte(`"allowed_mentions":{"parse":[]`)) {
			t.Errorf("call %d without allowed_mentions parse []: %s", i, c.Message.Raw)
		}
	}
	if !strings.Contains(string(calls[len(calls)-1].Message.Components), "ab|quotes|") {
		t.Error("the last message should carry the buttons")
	}
}

// A handler that outlives the interaction token's budget still gets the
// user an answer: the apology, before the token expires.
func TestDeferredTimeout(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	h := &stubHandler{gate: make(chan struct{}), reply: func(bot.Request) bot.Reply { return bot.Reply{Title: "late"} }}
	defer close(h.gate)
	a, srv := newTestAdapter(t, fake, h, nil, nil)
	a.deferAfter, a.followUpFor = 0, time.Millisecond
	body := interaction{typ: 2, guild: "200000000000000002", channel: "210000000000000021", perms: "0", sub: "brief"}.json(t)
	_, out := postSigned(t, srv.URL, testKey(t), body)
	if r := decodeResponse(t, out); r.Type != 5 {
		t.Fatalf("type %d, want 5", r.Type)
	}
	a.wait()
	calls := fake.Webhooks()
	if len(calls) != 1 || calls[0].Target != "@original" || len(calls[0].Message.Embeds) != 1 {
		t.Fatalf("calls %+v", calls)
	}
	// Whichever came first, the handler's reply or the apology, it was delivered.
	if title := calls[0].Message.Embeds[0].Title; title != "late" && !strings.Contains(title, "too long") {
		t.Errorf("title %q", title)
	}
}

// A fast reply longer than one message: type 4 with the first part, the
// rest as follow-ups.
func TestLongFastReply(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	h := &stubHandler{reply: func(bot.Request) bot.Reply { return oversized() }}
	a, srv := newTestAdapter(t, fake, h, nil, nil)
	body := interaction{typ: 2, guild: "200000000000000002", channel: "210000000000000021", perms: "0", sub: "brief"}.json(t)
	_, out := postSigned(t, srv.URL, testKey(t), body)
	a.wait()
	if r := decodeResponse(t, out); r.Type != 4 {
		t.Fatalf("type %d", r.Type)
	}
	calls := fake.Webhooks()
	if want := len(render(oversized())) - 1; len(calls) != want {
		t.Fatalf("%d follow-ups, want %d", len(calls), want)
	}
	for i, c := range calls {
		if c.Method != "POST" || c.Target != "" || c.Message.Flags != 64 {
			t.Errorf("follow-up %d: %s %q flags %d", i, c.Method, c.Target, c.Message.Flags)
		}
	}
}

// "@everyone" typed by a user or found in an article pings no one: every
// body on the wire says allowed_mentions {"parse": []}.
func TestEveryoneInjection(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	article := "@everyone @here <@&123456789012345678> the devices unit lost $25 billion"
	h := &stubHandler{reply: func(req bot.Request) bot.Reply {
		return bot.Reply{Title: req.Text, Sections: []bot.Section{{Text: article, Quote: &bot.Quote{Text: "@everyone look", Speaker: "<@300000000000000003>"}}}}
	}}
	a, srv := newTestAdapter(t, fake, h, &memStore{}, nil)

	body := interaction{typ: 2, guild: "200000000000000002", channel: "210000000000000021", perms: "0", sub: "ask",
		opts: map[string]string{"question": "@everyone @here what did they say?"}}.json(t)
	_, out := postSigned(t, srv.URL, testKey(t), body)
	if !bytes.Contains(out, []byte(`"allowed_mentions":{"parse":[]`)) {
		t.Errorf("interaction response without allowed_mentions parse []: %s", out)
	}
	var raw map[string]any
	if err := json.Unmarshal(out, &raw); err != nil {
		t.Fatal(err)
	}
	if c, _ := raw["data"].(map[string]any)["content"].(string); strings.Contains(c, "@everyone") {
		t.Errorf("content carries a mention: %q", c)
	}

	// The same text as a channel message (digest or DM answer).
	if _, err := a.Post(t.Context(), bot.Scope{Platform: "discord", Team: "200000000000000002", Channel: "210000000000000021"},
		h.reply(bot.Request{Text: "@everyone digest"}), "digest-1"); err != nil {
		t.Fatal(err)
	}
	msgs := fake.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	m := msgs[0]
	if !bytes.Contains(m.Raw, []byte(`"allowed_mentions":{"parse":[]`)) {
		t.Errorf("message without allowed_mentions parse []: %s", m.Raw)
	}
	if m.AllowedMentions == nil || m.AllowedMentions.Parse == nil || len(m.AllowedMentions.Parse) != 0 {
		t.Errorf("allowed_mentions = %+v", m.AllowedMentions)
	}
	// Even with the text moved into content, nothing would ping.
	m.Content = article
	if p := m.Pings(); len(p) != 0 {
		t.Errorf("pings %v, want none", p)
	}
	m.AllowedMentions = nil
	if p := m.Pings(); len(p) == 0 {
		t.Error("the fake's mention check cannot fail: without allowed_mentions @everyone must ping")
	}
	a.wait()
}
