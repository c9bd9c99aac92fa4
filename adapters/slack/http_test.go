package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/slack/slacktest"
	"github.com/alexa-brief/alexa-brief/bot"
)

const form = "application/x-www-form-urlencoded"

func TestURLVerification(t *testing.T) {
	e := newEnv(t, nil, nil)
	resp := e.post("/slack/events", "application/json", uvBody, nil)
	got := readBody(t, resp)
	if resp.StatusCode != http.StatusOK || got != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("url_verification: %d %q, want 200 and the challenge", resp.StatusCode, got)
	}
}

func commandForm(e *env, channel, text string) string {
	return url.Values{
		"token": {"deprecated"}, "team_id": {slacktest.DefaultTeam}, "team_domain": {"test"},
		"channel_id": {channel}, "channel_name": {"general"}, "user_id": {"U1"}, "user_name": {"ada"},
		"command": {"/alexa-brief"}, "text": {text}, "response_url": {e.api.ResponseURL(slacktest.DefaultTeam, channel)},
		"trigger_id": {"123.456.abc"}, "api_app_id": {"A0TEST"},
	}.Encode()
}

type inlineResponse struct {
	ResponseType string            `json:"response_type"`
	Text         string            `json:"text"`
	Blocks       []json.RawMessage `json:"blocks"`
}

func TestSlashCommandInline(t *testing.T) {
	h := &recorder{fn: func(_ context.Context, req bot.Request) bot.Reply {
		return bot.Reply{Title: "Brief", Sections: []bot.Section{{Text: "Amazon lost over $25 billion."}}, InChannel: req.Text == "share"}
	}}
	e := newEnv(t, h, nil)
	for _, tt := range []struct{ text, wantType string }{{"brief", "ephemeral"}, {"share", "in_channel"}} {
		resp := e.post("/slack/commands", form, commandForm(e, "C1", tt.text), nil)
		var got inlineResponse
		if err := json.Unmarshal([]byte(readBody(t, resp)), &got); err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK || got.ResponseType != tt.wantType || len(got.Blocks) != 2 || !strings.Contains(got.Text, "Brief") {
			t.Errorf("%s: %d %+v, want 200 %s with a header and a section", tt.text, resp.StatusCode, got, tt.wantType)
		}
	}
	e.a.Wait()
	reqs := h.requests()
	want := bot.Request{Kind: bot.KindCommand, Scope: bot.Scope{Platform: "slack", Team: slacktest.DefaultTeam, Channel: "C1"},
		User: "U1", Text: "brief", CanManage: true, EventID: "123.456.abc"}
	if len(reqs) != 2 || reqs[0] != want {
		t.Errorf("requests = %+v, want first %+v", reqs, want)
	}
	if n := len(e.api.Messages()); n != 0 {
		t.Errorf("%d messages posted for inline answers, want 0", n)
	}
}

func TestSlashCommandSSLCheck(t *testing.T) {
	h := &recorder{}
	e := newEnv(t, h, nil)
	resp := e.post("/slack/commands", form, "ssl_check=1&token=x", nil)
	if body := readBody(t, resp); resp.StatusCode != http.StatusOK || body != "" {
		t.Errorf("ssl_check: %d %q, want 200 and an empty body", resp.StatusCode, body)
	}
	if n := len(h.requests()); n != 0 {
		t.Errorf("ssl_check reached the bot %d times", n)
	}
}

// TestSlashCommandSlow: a handler slower than the inline deadline gets an
// immediate ack; the answer arrives through response_url.
func TestSlashCommandSlow(t *testing.T) {
	release := make(chan struct{})
	h := &recorder{fn: func(_ context.Context, req bot.Request) bot.Reply {
		<-release
		return bot.Reply{Title: "Quotes <!channel>", Sections: []bot.Section{{Quote: &bot.Quote{Text: "a smart timer"}}}, InChannel: true}
	}}
	e := newEnv(t, h, nil)
	e.a.inlineDeadline = 1 // the handler cannot beat it: it waits for release
	resp := e.post("/slack/commands", form, commandForm(e, "C1", "quotes"), nil)
	var ack inlineResponse
	if err := json.Unmarshal([]byte(readBody(t, resp)), &ack); err != nil {
		t.Fatal(err)
	}
	if ack.Text != workingText || ack.ResponseType != "ephemeral" {
		t.Errorf("ack = %+v, want an ephemeral %q", ack, workingText)
	}
	if n := len(e.api.Messages()); n != 0 {
		t.Fatalf("%d messages before the handler finished", n)
	}
	close(release)
	e.a.Wait()
	msgs := e.api.Messages()
	if len(msgs) != 1 {
		t.Fatalf("got %d messages, want 1 via response_url", len(msgs))
	}
	m := msgs[0]
	if m.Method != "response_url" || m.Channel != "C1" || m.ResponseType != "in_channel" || m.ReplaceOriginal {
		t.Errorf("message = %+v, want an in_channel response_url post", m)
	}
	if !strings.Contains(string(m.Blocks), "a smart timer") || strings.Contains(allText(t, m.Blocks), "<!channel>") {
		t.Errorf("blocks = %s", m.Blocks)
	}
}

func dmEvent(eventID, channel, user, text, threadTS string) string {
	ev := map[string]any{
		"token": "x", "team_id": slacktest.DefaultTeam, "api_app_id": "A0TEST", "type": "event_callback",
		"event_id": eventID, "event_time": 1800000000,
		"event": map[string]any{"type": "message", "channel": channel, "channel_type": "im", "user": user,
			"text": text, "ts": "1800000000.000100", "thread_ts": threadTS, "event_ts": "1800000000.000100"},
		"authorizations": []map[string]any{{"team_id": slacktest.DefaultTeam, "user_id": "UBOT", "is_bot": true}},
	}
	b, _ := json.Marshal(ev)
	return string(b)
}

// TestDMAnsweredOnce: Slack's three retries of one event (same event_id)
// produce one reply.
func TestDMAnsweredOnce(t *testing.T) {
	h := &recorder{}
	e := newEnv(t, h, nil)
	body := dmEvent("Ev0001", "D1", "U1", "what did jassy say?", "")
	for retry := 0; retry <= 3; retry++ {
		hdr := http.Header{}
		if retry > 0 {
			hdr.Set("X-Slack-Retry-Num", fmt.Sprint(retry))
			hdr.Set("X-Slack-Retry-Reason", "http_timeout")
		}
		resp := e.post("/slack/events", "application/json", body, hdr)
		readBody(t, resp)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("delivery %d: status %d, want 200", retry, resp.StatusCode)
		}
	}
	e.a.Wait()
	if got := len(h.requests()); got != 1 {
		t.Errorf("bot handled the event %d times, want 1", got)
	}
	msgs := e.api.ChannelMessages("D1")
	if len(msgs) != 1 {
		t.Fatalf("%d replies in the DM, want 1", len(msgs))
	}
	if msgs[0].Token != slacktest.DefaultToken || msgs[0].ThreadTS != "" {
		t.Errorf("reply = %+v", msgs[0])
	}
	req := h.requests()[0]
	want := bot.Request{Kind: bot.KindMessage, Scope: bot.Scope{Platform: "slack", Team: slacktest.DefaultTeam, Channel: "D1"},
		User: "U1", DM: true, Text: "what did jassy say?", EventID: "Ev0001"}
	if req != want {
		t.Errorf("request = %+v, want %+v", req, want)
	}
}

func TestDMThreadAndMention(t *testing.T) {
	h := &recorder{}
	e := newEnv(t, h, nil)
	resp := e.post("/slack/events", "application/json", dmEvent("Ev1", "D1", "U1", "and the losses?", "1799999999.000001"), nil)
	readBody(t, resp)

	mention := map[string]any{
		"team_id": slacktest.DefaultTeam, "type": "event_callback", "event_id": "Ev2",
		"event": map[string]any{"type": "app_mention", "channel": "C9", "user": "U2",
			"text": "<@UBOT> how much did Amazon lose?", "ts": "1800000001.000200"},
	}
	b, _ := json.Marshal(mention)
	resp = e.post("/slack/events", "application/json", string(b), nil)
	readBody(t, resp)
	e.a.Wait()

	dm := e.api.ChannelMessages("D1")
	if len(dm) != 1 || dm[0].ThreadTS != "1799999999.000001" {
		t.Errorf("DM replies = %+v, want one in thread 1799999999.000001", dm)
	}
	ch := e.api.ChannelMessages("C9")
	if len(ch) != 1 || ch[0].ThreadTS != "1800000001.000200" {
		t.Errorf("mention replies = %+v, want one in the mention's thread", ch)
	}
	var got []string
	for _, r := range h.requests() {
		got = append(got, fmt.Sprintf("%s|%s|%v", r.Text, r.Conversation, r.DM))
	}
	want := map[string]bool{"and the losses?|1799999999.000001|true": true, "how much did Amazon lose?|1800000001.000200|false": true}
	if len(got) != 2 || !want[got[0]] || !want[got[1]] {
		t.Errorf("requests = %q, want %v", got, want)
	}
}

// TestIgnoredEvents: bots, the bot itself, edits and channel chatter get
// no answer.
func TestIgnoredEvents(t *testing.T) {
	h := &recorder{}
	e := newEnv(t, h, nil)
	events := []map[string]any{
		{"type": "message", "channel": "D1", "channel_type": "im", "user": "U1", "bot_id": "B9", "text": "from a bot"},
		{"type": "message", "channel": "D1", "channel_type": "im", "subtype": "bot_message", "bot_id": "B9", "text": "bot"},
		{"type": "message", "channel": "D1", "channel_type": "im", "subtype": "message_changed", "message": map[string]any{"user": "U1", "text": "edited"}},
		{"type": "message", "channel": "D1", "channel_type": "im", "user": "UBOT", "text": "my own reply"},
		{"type": "message", "channel": "D1", "channel_type": "im", "user": "UOTHERBOT", "text": "own user per authorizations"},
		{"type": "message", "channel": "C1", "channel_type": "channel", "user": "U1", "text": "channel chatter"},
		{"type": "reaction_added", "user": "U1"},
	}
	for i, ev := range events {
		b, _ := json.Marshal(map[string]any{
			"team_id": slacktest.DefaultTeam, "type": "event_callback", "event_id": fmt.Sprintf("EvIgn%d", i), "event": ev,
			"authorizations": []map[string]any{{"team_id": slacktest.DefaultTeam, "user_id": "UOTHERBOT", "is_bot": true}},
		})
		resp := e.post("/slack/events", "application/json", string(b), nil)
		readBody(t, resp)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("event %d: status %d", i, resp.StatusCode)
		}
	}
	e.a.Wait()
	if n := len(h.requests()); n != 0 {
		t.Errorf("bot handled %d ignored events: %+v", n, h.requests())
	}
	if n := len(e.api.Messages()); n != 0 {
		t.Errorf("%d replies to ignored events", n)
	}
}

// TestMentionInjection: <!channel> typed by a user and found in an article
// sentence is posted escaped, so it pings nobody.
func TestMentionInjection(t *testing.T) {
	article := "Amazon said <!channel> the devices unit & Alexa <!here> lost money."
	h := &recorder{fn: func(_ context.Context, req bot.Request) bot.Reply {
		return bot.Reply{
			Title:     req.Text,
			Sections:  []bot.Section{{Heading: req.Text, Text: article, Quote: &bot.Quote{Text: article, Speaker: "<@U999>"}}},
			Citations: []bot.Citation{{N: 1, ID: "a", Title: "<!everyone> article"}},
			Buttons:   []bot.Button{{Label: "Ask: " + req.Text, Action: bot.ActionAsk, Value: req.Text}},
		}
	}}
	e := newEnv(t, h, nil)
	// Slack sends @channel typed in a DM as <!channel>, and a literal "<" as &lt;.
	resp := e.post("/slack/events", "application/json", dmEvent("EvInj", "D1", "U1", "<!channel> &lt;!channel&gt; what happened?", ""), nil)
	readBody(t, resp)
	resp = e.post("/slack/commands", form, commandForm(e, "C1", "ask <!channel> what happened?"), nil)
	inline := readBody(t, resp)
	e.a.Wait()

	var dm []string
	for _, r := range h.requests() {
		if r.Kind == bot.KindMessage {
			dm = append(dm, r.Text)
		}
	}
	if len(dm) != 1 || dm[0] != "<!channel> <!channel> what happened?" {
		t.Errorf("bot saw DMs %q, want the user's text unescaped", dm)
	}
	msgs := e.api.ChannelMessages("D1")
	if len(msgs) != 1 {
		t.Fatalf("%d DM replies, want 1", len(msgs))
	}
	for name, text := range map[string]string{
		"text field": msgs[0].Form.Get("text"), "blocks": allText(t, msgs[0].Blocks), "inline command reply": allText(t, []byte(inline)),
	} {
		for _, bad := range []string{"<!channel>", "<!here>", "<!everyone>", "<@U999>"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s contains a live %s: %q", name, bad, text)
			}
		}
		if !strings.Contains(text, "&lt;!channel&gt;") {
			t.Errorf("%s lacks the escaped mention: %q", name, text)
		}
	}
	if msgs[0].Form.Get("link_names") != "" || msgs[0].Form.Get("parse") != "" {
		t.Errorf("link_names/parse set: %v", msgs[0].Form)
	}
}

// allText decodes JSON and joins every string Slack displays in it.
func allText(t *testing.T, raw []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("bad JSON %s: %v", raw, err)
	}
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			b.WriteString(v + "\n")
		case []any:
			for _, x := range v {
				walk(x)
			}
		case map[string]any:
			for k, x := range v {
				if k == "value" { // a button's value is data returned to the bot, never displayed
					continue
				}
				walk(x)
			}
		}
	}
	walk(v)
	return b.String()
}

func actionPayload(e *env, actionID, value string) string {
	p := map[string]any{
		"type": "block_actions", "trigger_id": "t1", "api_app_id": "A0TEST",
		"team": map[string]any{"id": slacktest.DefaultTeam}, "user": map[string]any{"id": "U1"},
		"channel":      map[string]any{"id": "C1"},
		"container":    map[string]any{"type": "message", "channel_id": "C1", "message_ts": "1800000000.000100"},
		"response_url": e.api.ResponseURL(slacktest.DefaultTeam, "C1"),
		"actions": []map[string]any{{"type": "button", "action_id": actionID, "block_id": "b1", "value": value,
			"text": map[string]any{"type": "plain_text", "text": "x"}, "action_ts": "1800000000.1"}},
	}
	b, _ := json.Marshal(p)
	return url.Values{"payload": {string(b)}}.Encode()
}

func TestInteractivity(t *testing.T) {
	h := &recorder{fn: func(_ context.Context, req bot.Request) bot.Reply {
		return bot.Reply{Sections: []bot.Section{{Text: req.Action + ":" + req.Value}}, InChannel: req.Action == bot.ActionShare}
	}}
	e := newEnv(t, h, nil)
	for _, p := range []string{actionPayload(e, "share", "brief"), actionPayload(e, "ask#2", "Who is Andy Jassy?")} {
		resp := e.post("/slack/interactivity", form, p, nil)
		if body := readBody(t, resp); resp.StatusCode != http.StatusOK || body != "" {
			t.Errorf("ack: %d %q, want an empty 200", resp.StatusCode, body)
		}
		e.a.Wait()
	}
	reqs := h.requests()
	if len(reqs) != 2 || reqs[0].Kind != bot.KindAction || reqs[0].Action != "share" || reqs[0].Value != "brief" ||
		reqs[1].Action != "ask" || reqs[1].Value != "Who is Andy Jassy?" || reqs[0].Channel != "C1" || reqs[0].User != "U1" {
		t.Errorf("requests = %+v", reqs)
	}
	msgs := e.api.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want 2", len(msgs))
	}
	if m := msgs[0]; m.Method != "response_url" || m.ResponseType != "in_channel" || m.ReplaceOriginal {
		t.Errorf("share reply = %+v, want in_channel without replacing the original", m)
	}
	if m := msgs[1]; m.ResponseType != "ephemeral" || m.ReplaceOriginal {
		t.Errorf("ask reply = %+v, want ephemeral", m)
	}
}

// TestSlashCommandOversized: a long answer comes back as the inline first
// part plus further parts through response_url, within its 5 uses.
func TestSlashCommandOversized(t *testing.T) {
	h := &recorder{fn: func(context.Context, bot.Request) bot.Reply { return oversized() }}
	e := newEnv(t, h, nil)
	e.a.inlineDeadline = 1 << 62
	resp := e.post("/slack/commands", form, commandForm(e, "C1", "brief"), nil)
	var first inlineResponse
	if err := json.Unmarshal([]byte(readBody(t, resp)), &first); err != nil {
		t.Fatal(err)
	}
	e.a.Wait()
	parts := len(render(oversized()))
	msgs := e.api.ChannelMessages("C1")
	if len(first.Blocks) == 0 || len(msgs) != min(parts-1, 5) {
		t.Fatalf("inline part of %d blocks and %d response_url posts; want a part and %d posts", len(first.Blocks), len(msgs), min(parts-1, 5))
	}
	if parts-1 > 5 && !strings.Contains(string(msgs[4].Blocks), "more parts were left out") {
		t.Errorf("last post = %s, want the note about left-out parts", msgs[4].Blocks)
	}
}

// TestEnterpriseInstall: an org-wide install (stored under the
// enterprise id) serves events from any workspace of the organisation.
func TestEnterpriseInstall(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.api.AddToken("xoxb-org", "T5")
	if err := e.st.PutInstall(context.Background(), bot.Install{Platform: "slack", Team: "E1", Enterprise: "E1", BotToken: "xoxb-org"}); err != nil {
		t.Fatal(err)
	}
	var ev map[string]any
	if err := json.Unmarshal([]byte(dmEvent("EvOrg", "D5", "U1", "hi", "")), &ev); err != nil {
		t.Fatal(err)
	}
	ev["team_id"], ev["enterprise_id"] = "T5", "E1"
	b, _ := json.Marshal(ev)
	readBody(t, e.post("/slack/events", "application/json", string(b), nil))
	e.a.Wait()
	if m := e.api.ChannelMessages("D5"); len(m) != 1 || m[0].Token != "xoxb-org" {
		t.Errorf("replies = %+v, want one with the organisation's token", m)
	}
}

// TestEventReplyLostResponse: a reply whose post went through but whose
// answer was lost (timeout, 503) is not posted twice: before posting again
// the retry looks for it by its metadata, in the DM or in the thread.
func TestEventReplyLostResponse(t *testing.T) {
	mention, _ := json.Marshal(map[string]any{
		"team_id": slacktest.DefaultTeam, "type": "event_callback", "event_id": "EvM",
		"event": map[string]any{"type": "app_mention", "channel": "C9", "user": "U2",
			"text": "<@UBOT> how much did Amazon lose?", "ts": "1800000001.000200"},
	})
	for _, tc := range []struct {
		name, channel, body, thread string
	}{
		{"dm", "D1", dmEvent("EvD", "D1", "U1", "what did jassy say?", ""), ""},
		{"dm thread", "D1", dmEvent("EvT", "D1", "U1", "and the losses?", "1799999999.000001"), "1799999999.000001"},
		{"mention", "C9", string(mention), "1800000001.000200"},
	} {
		for _, f := range []slacktest.Fault{{Lost: true, Delay: time.Minute}, {Lost: true, Status: 503}} {
			t.Run(fmt.Sprintf("%s/%d", tc.name, f.Status), func(t *testing.T) {
				e := newEnv(t, nil, nil)
				e.a.attemptTimeout = 50 * time.Millisecond
				e.api.Inject("chat.postMessage", f, 1)
				readBody(t, e.post("/slack/events", "application/json", tc.body, nil))
				e.a.Wait()
				msgs := e.api.ChannelMessages(tc.channel)
				if got, want := len(msgs), 1; got != want {
					t.Fatalf("replies = %d, want %d", got, want)
				}
				if got, want := msgs[0].ThreadTS, tc.thread; got != want {
					t.Errorf("thread = %q, want %q", got, want)
				}
			})
		}
	}
}
