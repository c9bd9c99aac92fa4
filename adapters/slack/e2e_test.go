package slack

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/alexa-brief/alexa-brief/adapters/slack/slacktest"
	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// TestEndToEndRealBot drives the real bot over the embedded corpus through
// the HTTP endpoints against the fake Web API: a signed slash command, a
// DM question, and the Share button under the brief.
func TestEndToEndRealBot(t *testing.T) {
	corpus, err := briefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(bot.Config{Corpus: corpus})
	h := &recorder{fn: b.Handle}
	e := newEnv(t, h, nil)
	e.a.inlineDeadline = 1 << 62 // this test is about content, not timing

	resp := e.post("/slack/commands", form, commandForm(e, "C1", "brief"), nil)
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("brief: %d %s", resp.StatusCode, body)
	}
	var brief inlineResponse
	if err := json.Unmarshal([]byte(body), &brief); err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(brief.Blocks)
	if code := slacktest.CheckBlocks(raw); code != "" || brief.ResponseType != "ephemeral" {
		t.Errorf("brief: %s, response_type %s", code, brief.ResponseType)
	}
	text := allText(t, raw)
	if !strings.Contains(text, "25 billion") {
		t.Errorf("brief lacks the $25 billion loss:\n%s", text)
	}
	t.Logf("brief:\n%s", text)

	resp = e.post("/slack/events", "application/json", dmEvent("EvE2E", "D1", "U1", "How much did Amazon lose on devices?", ""), nil)
	readBody(t, resp)
	e.a.Wait()
	msgs := e.api.ChannelMessages("D1")
	if len(msgs) != 1 {
		t.Fatalf("%d DM replies, want 1", len(msgs))
	}
	answer := allText(t, msgs[0].Blocks)
	if !strings.Contains(answer, "25 billion") {
		t.Errorf("answer lacks the $25 billion loss:\n%s", answer)
	}
	t.Logf("answer:\n%s", answer)

	// Press the brief's "Share in channel" button.
	var actions []struct {
		Type     string `json:"type"`
		Elements []struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(raw, &actions); err != nil {
		t.Fatal(err)
	}
	share, found := "", false
	for _, blk := range actions {
		for _, el := range blk.Elements {
			if actionName(el.ActionID) == bot.ActionShare {
				share, found = el.Value, true
			}
		}
	}
	if !found {
		t.Fatal("the brief has no Share button")
	}
	resp = e.post("/slack/interactivity", form, actionPayload(e, bot.ActionShare, share), nil)
	readBody(t, resp)
	e.a.Wait()
	var shared []slacktest.Message
	for _, m := range e.api.ChannelMessages("C1") {
		if m.Method == "response_url" {
			shared = append(shared, m)
		}
	}
	if len(shared) != 1 || shared[0].ResponseType != "in_channel" || shared[0].ReplaceOriginal ||
		!strings.Contains(allText(t, shared[0].Blocks), "25 billion") {
		t.Errorf("shared = %+v, want the brief in_channel", shared)
	}
}
