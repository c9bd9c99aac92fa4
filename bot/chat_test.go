package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/bot/bottest"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// Chat fixes of issue 13: what users type and what they are shown.

// TestPlainCommandWordsNeedSlash: a command word that changes the channel,
// typed without the slash in a DM or the shell, gets a pointer to the
// slash form instead of an answer ("they never mention 09:00").
func TestPlainCommandWordsNeedSlash(t *testing.T) {
	tests := []struct {
		text        string
		wantCommand string
		wantText    string // "" for a question: the reply is an answer
	}{
		{"subscribe daily 09:00", "subscribe", "`/alexa-brief subscribe daily 09:00`"},
		{"Subscribe @every 2h", "subscribe", "`/alexa-brief subscribe @every 2h`"},
		{"subscribe", "subscribe", "`/alexa-brief subscribe <schedule>`"},
		{"sub weekdays 08:30", "subscribe", "`/alexa-brief subscribe weekdays 08:30`"},
		{"unsubscribe", "unsubscribe", "`/alexa-brief unsubscribe`"},
		{"unsubscribe.", "unsubscribe", "`/alexa-brief unsubscribe`"},
		{"stop", "unsubscribe", "`/alexa-brief unsubscribe`"},
		{"follow x", "follow", "`/alexa-brief follow x`"},
		{"follow", "follow", "`/alexa-brief follow <story>`"},
		{"add https://example.com/a.html", "add", "`/alexa-brief add https://example.com/a.html`"},
		{"add example.com/news/a", "add", "`/alexa-brief add example.com/news/a`"},
		// Sentences that start with those words are still questions.
		{"follow up on what Dave Limp said about the devices?", "dm", ""},
		{"add up the losses on devices?", "dm", ""},
		{"stop selling devices at a loss, did Amazon say that?", "dm", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			f := newFixture(t)
			r := f.bot.Handle(context.Background(), dm(tt.text))
			got := f.metrics.last(t)
			if got.command != tt.wantCommand {
				t.Errorf("command: got %q, want %q", got.command, tt.wantCommand)
			}
			if tt.wantText == "" {
				if r.Failure || r.Title != tt.text {
					t.Errorf("got\n%s\nwant an answer to the question", text(r))
				}
				return
			}
			if s := text(r); !r.Failure || !strings.Contains(s, tt.wantText) {
				t.Errorf("got failure=%v\n%s\nwant a refusal pointing to %s", r.Failure, s, tt.wantText)
			}
			if got.outcome != "bad_input" {
				t.Errorf("outcome: got %q, want bad_input", got.outcome)
			}
		})
	}
}

// TestSlashCommandCaseAndMention: the command prefix is case-insensitive
// like the command words, and a leading mention (Slack <@U…>, Discord
// <@…>) is not taken for the command word.
func TestSlashCommandCaseAndMention(t *testing.T) {
	tests := []struct {
		name string
		req  bot.Request
		want string // the reply's title
	}{
		{"upper-case prefix in a DM", dm("/ALEXA-BRIEF facts"), "Key figures"},
		{"mixed-case prefix in a DM", dm("/Alexa-Brief quotes"), "Quotes"},
		{"Slack mention", cmd("<@U123> facts"), "Key figures"},
		{"Slack mention with a name", cmd("<@U123|alexa-brief> facts"), "Key figures"},
		{"Discord mention", cmd("<@123456789012345678> facts"), "Key figures"},
		{"Discord nickname mention", cmd("<@!123456789012345678> quotes"), "Quotes"},
		{"two mentions", cmd("<@U1> <@U2> sources"), "The articles"},
		{"mention alone", cmd("<@U123>"), "Amazon"},
		{"mention in a DM", dm("<@U123> facts"), "Key figures"},
		{"mention after the prefix in a DM", dm("/alexa-brief <@U123> facts"), "Key figures"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			r := f.bot.Handle(context.Background(), tt.req)
			if got := r.Title; r.Failure || !strings.Contains(got, tt.want) {
				t.Errorf("got title %q (failure %v), want %q:\n%s", got, r.Failure, tt.want, text(r))
			}
		})
	}
}

func bridgeCorpus(t *testing.T) *briefs.Corpus {
	t.Helper()
	arts, err := briefs.LoadDir("../briefs/testdata/bridge")
	if err != nil {
		t.Fatal(err)
	}
	c, err := briefs.New(arts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestQuoteTrailingComma: “Millbrook cannot carry this alone,” said
// Vasquez: the comma belongs to the sentence around the quote, not to
// what she said. Replies drop it; the JSON keeps the text verbatim.
func TestQuoteTrailingComma(t *testing.T) {
	c := bridgeCorpus(t)
	texts := map[string]string{}
	for _, a := range c.Articles() {
		texts[a.ID] = a.Text
	}
	var verbatim int
	for _, q := range c.Quotes() {
		if strings.HasSuffix(q.Text, ",") {
			verbatim++
		}
	}
	if verbatim == 0 {
		t.Fatal("the bridge corpus has no quote ending in a comma: the test tests nothing")
	}
	replies := map[string]bot.Reply{"quotes": bot.QuotesReply(c, 0), "brief": bot.BriefReply(c, 5)}
	for name, r := range replies {
		for _, s := range r.Sections {
			q := s.Quote
			if q == nil {
				continue
			}
			if got := q.Text; strings.HasSuffix(got, ",") {
				t.Errorf("%s: quote %q ends with a comma", name, got)
			}
			found := false
			for _, text := range texts {
				found = found || strings.Contains(text, q.Text)
			}
			if !found {
				t.Errorf("%s: quote %q is not a substring of an article", name, q.Text)
			}
		}
	}
}

// TestSubscribeNextRunsSeconds: runs less than a minute apart show their
// seconds, so "@every 2s" does not list the same minute three times.
func TestSubscribeNextRunsSeconds(t *testing.T) {
	tests := []struct {
		schedule string
		want     []string
	}{
		{"@every 2s", []string{"Mon 23 Nov 2026 08:00:02 UTC", "Mon 23 Nov 2026 08:00:04 UTC", "Mon 23 Nov 2026 08:00:06 UTC"}},
		{"@every 2h", []string{"Mon 23 Nov 2026 10:00 UTC", "Mon 23 Nov 2026 12:00 UTC", "Mon 23 Nov 2026 14:00 UTC"}},
	}
	for _, tt := range tests {
		t.Run(tt.schedule, func(t *testing.T) {
			b := bot.New(bot.Config{Corpus: testCorpus(t), Store: bottest.NewStore(nil), Clock: bottest.NewClock(epoch), MinInterval: time.Second})
			r := b.Handle(context.Background(), cmd("subscribe "+tt.schedule))
			var got []string
			for _, s := range r.Sections {
				if s.Heading == "Next runs" {
					for _, it := range s.Items {
						got = append(got, it.Text)
					}
				}
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("next runs: got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestScheduleSetUpByMention: who set a digest up is a user the adapters
// render as a mention (a name on Slack and Discord), not a raw id in text.
func TestScheduleSetUpByMention(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if r := f.bot.Handle(ctx, cmd("subscribe daily 09:00")); r.Failure {
		t.Fatalf("subscribe failed:\n%s", text(r))
	}
	r := f.bot.Handle(ctx, cmd("schedule"))
	var got *bot.Item
	for _, s := range r.Sections {
		for i, it := range s.Items {
			if strings.HasPrefix(it.Text, "Set up") {
				got = &s.Items[i]
			}
		}
	}
	if got == nil {
		t.Fatalf("no \"Set up\" line:\n%s", text(r))
	}
	if got.User != "U1" || strings.Contains(got.Text, "U1") {
		t.Errorf("got item %+v, want user U1 as a mention, not in the text", *got)
	}
}

// TestOverlongCommandLoggedAsItself: a command over the length limit is
// counted and logged as the command it is, not "unknown".
func TestOverlongCommandLoggedAsItself(t *testing.T) {
	long := strings.Repeat("why ", 1100)
	tests := []struct {
		name string
		req  bot.Request
		want string
	}{
		{"ask", cmd("ask " + long), "ask"},
		{"alias", cmd("Q " + long), "ask"},
		{"subscribe", cmd("subscribe " + long), "subscribe"},
		{"not a command", cmd(long), "unknown"},
		{"dm", dm(long), "dm"},
		{"slash ask in a dm", dm("/alexa-brief ask " + long), "ask"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			r := f.bot.Handle(context.Background(), tt.req)
			if got := f.metrics.last(t); got.command != tt.want || got.outcome != "bad_input" {
				t.Errorf("got command %q outcome %q, want %q bad_input", got.command, got.outcome, tt.want)
			}
			if !strings.Contains(text(r), "too long") {
				t.Errorf("reply:\n%s\nwant it to say too long", text(r))
			}
			if !strings.Contains(f.logs.String(), "command="+tt.want+" ") {
				t.Errorf("log line lacks command=%s: %s", tt.want, f.logs.String())
			}
		})
	}
}

// TestScheduleHidesInternalErrors: a delivery that failed inside (a story
// that did not build) is not shown with its Go error chain; what the
// platform said, or the scheduler's own sentence, is.
func TestScheduleHidesInternalErrors(t *testing.T) {
	tests := []struct {
		stored  string
		want    string
		notWant string
	}{
		{`library: briefs: article "x": empty text`, "failed: an internal error", "briefs:"},
		{"bot: no corpus loaded", "failed: an internal error", "bot:"},
		{"slack: channel_not_found", "failed: slack: channel_not_found", ""},
		{"discord: Missing Access (50001)", "failed: discord: Missing Access (50001)", ""},
		{"gave up after 3 attempts", "failed: gave up after 3 attempts", ""},
	}
	for _, tt := range tests {
		t.Run(tt.stored, func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			if r := f.bot.Handle(ctx, cmd("subscribe daily 09:00")); r.Failure {
				t.Fatalf("subscribe failed:\n%s", text(r))
			}
			sub, err := f.store.Subscription(ctx, chan1)
			if err != nil {
				t.Fatal(err)
			}
			f.store.PutDelivery(bot.Delivery{SubscriptionID: sub.ID, Slot: epoch, State: bot.StateFailed, Error: tt.stored})
			got := text(f.bot.Handle(ctx, cmd("schedule")))
			if !strings.Contains(got, tt.want) || tt.notWant != "" && strings.Contains(got, tt.notWant) {
				t.Errorf("got\n%s\nwant %q and not %q", got, tt.want, tt.notWant)
			}
		})
	}
}
