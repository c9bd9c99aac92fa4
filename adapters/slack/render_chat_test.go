package slack

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/alexa-brief/alexa-brief/bot"
)

// TestRenderUserMention: an item's user renders as a Slack mention, which
// shows the name; anything that is not a user id stays inert text.
func TestRenderUserMention(t *testing.T) {
	tests := []struct{ user, want string }{
		{"U0001", "• Set up on Mon 23 Nov 2026 08:00 UTC by <@U0001>"},
		{"W0ABC12", "• Set up on Mon 23 Nov 2026 08:00 UTC by <@W0ABC12>"},
		{"operator", "• Set up on Mon 23 Nov 2026 08:00 UTC by operator"},
		{"<!channel>", "• Set up on Mon 23 Nov 2026 08:00 UTC by &lt;!channel&gt;"},
	}
	for _, tt := range tests {
		r := bot.Reply{Sections: []bot.Section{{Items: []bot.Item{{Text: "Set up on Mon 23 Nov 2026 08:00 UTC by", User: tt.user}}}}}
		texts := slackTexts(render(r))
		if got := strings.Join(texts, "\n"); got != tt.want {
			t.Errorf("user %q:\n got %q\nwant %q", tt.user, got, tt.want)
		}
	}
}

// slackTexts returns the mrkdwn of every section block.
func slackTexts(msgs []message) []string {
	var out []string
	for _, m := range msgs {
		for _, b := range m.Blocks {
			if s, ok := b.(*slack.SectionBlock); ok {
				out = append(out, s.Text.Text)
			}
		}
	}
	return out
}
