package load

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/alexa-brief/alexa-brief/adapters/discord/discordtest"
	"github.com/alexa-brief/alexa-brief/adapters/slack/slacktest"
)

// TestCheck: the load run counts a response as an answer only when it
// carries what the bot should have said; errors, failure replies and
// acknowledgements are told apart. It runs by default: it is quick and
// needs no binary.
func TestCheck(t *testing.T) {
	q := &question{text: "How much did Amazon lose on devices?", want: "From 2017 to 2021, Amazon",
		articles: []string{"Intro. From 2017 to 2021, Amazon lost over $25 billion. Amazon has sold 500 million devices."}}
	slackAsk := job{kind: &mix[0], q: q}
	slackBrief := job{kind: &mix[1]}
	discordAsk := job{kind: &mix[4], q: q}
	tests := []struct {
		name   string
		j      job
		status int
		body   string
		want   outcome
	}{
		{"slack answer", slackAsk, 200, `{"response_type":"ephemeral","text":"x","blocks":[{"type":"section","text":{"type":"mrkdwn","text":"• From 2017 to 2021, Amazon lost over $25 billion [1]"}}]}`, answered},
		{"slack answer rewrapped", slackAsk, 200, `{"text":"x","blocks":[{"text":{"text":"From 2017 to\n2021, Amazon"}}]}`, answered},
		{"slack wrong answer", slackAsk, 200, `{"text":"x","blocks":[{"text":{"text":"The corpus does not say."}}]}`, failed},
		{"slack follow-up answer", slackAsk, 200, `{"text":"x","blocks":[{"text":{"text":"How much did Amazon lose on devices?"}},{"text":{"text":"• Amazon has sold 500 million devices. [1]\n• Intro. [1] [2]"}}]}`, answered},
		{"slack follow-up not verbatim", slackAsk, 200, `{"text":"x","blocks":[{"text":{"text":"How much did Amazon lose on devices?"}},{"text":{"text":"• Amazon has sold 500 million devices. [1]\n• Amazon sold 600 million. [1]"}}]}`, failed},
		{"slack follow-up without the question", slackAsk, 200, `{"text":"x","blocks":[{"text":{"text":"• Amazon has sold 500 million devices. [1]"}}]}`, failed},
		{"slack escaped", slackBrief, 200, `{"text":"x","blocks":[{"text":{"text":"over $25 billion &amp; more"}}]}`, answered},
		{"slack working", slackAsk, 200, `{"response_type":"ephemeral","text":"Working on it…"}`, deferred},
		{"slack sorry", slackBrief, 200, `{"text":"Sorry, something went wrong. Please try again. $25 billion"}`, failed},
		{"slack 401", slackAsk, http.StatusUnauthorized, `invalid signature`, failed},
		{"slack not JSON", slackAsk, 200, `<html>`, failed},
		{"discord answer", discordAsk, 200, `{"type":4,"data":{"embeds":[{"description":"From 2017 to 2021, Amazon lost"}],"allowed_mentions":{"parse":[]}}}`, answered},
		{"discord deferred", discordAsk, 200, `{"type":5,"data":{"flags":64}}`, deferred},
		{"discord pong", discordAsk, 200, `{"type":1}`, failed},
		{"discord empty", discordAsk, 200, `{"type":4,"data":{"content":""}}`, failed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, why := check(tt.j, tt.status, []byte(tt.body))
			if got != tt.want {
				t.Errorf("got %d (%s), want %d", got, why, tt.want)
			}
		})
	}
}

// TestUnanswered: a deferred Slack command counts as answered only when
// something was posted to its response_url.
func TestUnanswered(t *testing.T) {
	api := slacktest.New(slacktest.Options{})
	defer api.Close()
	discordAPI := discordtest.New(discordtest.Options{})
	defer discordAPI.Close()
	done := api.ResponseURL(slacktest.DefaultTeam, "C1")
	lost := api.ResponseURL(slacktest.DefaultTeam, "C1")
	resp, err := http.Post(done, "application/json", strings.NewReader(`{"text":"the answer"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("post to response_url: %d", resp.StatusCode)
	}
	got := unanswered(api, discordAPI, []deferredRef{{"slack", done}, {"slack", lost}, {"discord", "load-token-1"}})
	want := []string{"slack " + lost, "discord load-token-1"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
