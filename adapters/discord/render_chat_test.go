package discord

import (
	"strings"
	"testing"

	"github.com/alexa-brief/alexa-brief/bot"
)

// TestEscapeCodeSpans: Discord shows backslashes inside code spans, so
// markdown is escaped only outside them.
func TestEscapeCodeSpans(t *testing.T) {
	tests := []struct{ in, want string }{
		{"`/alexa-brief subscribe CRON_TZ=UTC 0 9 * * 1`", "`/alexa-brief subscribe CRON_TZ=UTC 0 9 * * 1`"},
		{"`/alexa-brief subscribe weekdays 08:30 America/New_York`", "`/alexa-brief subscribe weekdays 08:30 America/New_York`"},
		{"a_b `c_d` e_f", `a\_b ` + "`c_d`" + ` e\_f`},
		{"*x* `*y*` and `_z_`", `\*x\* ` + "`*y*`" + ` and ` + "`_z_`"},
		{"``a ` b_c``", "``a ` b_c``"},
		{"an unclosed `a_b", "an unclosed `a\\_b"},
		{"``not closed by one` a_b", "``not closed by one` a\\_b"},
		{"`[x](https://evil)` [y](https://evil)", "`[x](https://evil)` \\[y\\](https://evil)"},
		{"no code: a|b > c", `no code: a\|b \> c`},
		{"", ""},
	}
	for _, tt := range tests {
		if got := escape(tt.in); got != tt.want {
			t.Errorf("escape(%q):\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// TestRenderHelpCodeSpans: the help's examples reach Discord without
// backslashes inside their code spans.
func TestRenderHelpCodeSpans(t *testing.T) {
	r := bot.Reply{Title: "alexa-brief commands", Sections: []bot.Section{{Heading: "Examples", Items: []bot.Item{
		{Text: "`/alexa-brief subscribe CRON_TZ=UTC 0 9 * * 1`"},
		{Text: "`/alexa-brief subscribe weekdays 08:30 America/New_York`"},
	}}}}
	desc := render(r)[0].Embeds[0].Description
	for _, want := range []string{"`/alexa-brief subscribe CRON_TZ=UTC 0 9 * * 1`", "America/New_York`"} {
		if !strings.Contains(desc, want) {
			t.Errorf("description %q lacks %q", desc, want)
		}
	}
}

// TestRenderUserMention: an item's user renders as a Discord mention,
// which shows the name; anything that is not a user id stays plain text.
func TestRenderUserMention(t *testing.T) {
	tests := []struct{ user, want string }{
		{"300000000000000003", "• Set up on Mon 23 Nov 2026 08:00 UTC by <@300000000000000003>"},
		{"operator", "• Set up on Mon 23 Nov 2026 08:00 UTC by operator"},
		{"<@&1> @everyone", `• Set up on Mon 23 Nov 2026 08:00 UTC by <@&1\> @everyone`},
	}
	for _, tt := range tests {
		r := bot.Reply{Sections: []bot.Section{{Items: []bot.Item{{Text: "Set up on Mon 23 Nov 2026 08:00 UTC by", User: tt.user}}}}}
		msgs := render(r)
		if got := msgs[0].Embeds[0].Description; got != tt.want {
			t.Errorf("user %q:\n got %q\nwant %q", tt.user, got, tt.want)
		}
		if msgs[0].AllowedMentions == nil || msgs[0].AllowedMentions.Parse == nil || len(msgs[0].AllowedMentions.Parse) != 0 {
			t.Errorf("allowed_mentions = %+v, want parse []", msgs[0].AllowedMentions)
		}
	}
}
