// Package fanout measures the digest fan-out: many channels due at the same
// instant, posted by the real scheduler through the real Slack and Discord
// adapters against the fake APIs (which enforce the platforms' limits), with
// the ledger in a real SQLite file.
//
//	go test ./tests/fanout -run XXX -bench . -benchtime 1x
//
// Each case reports delivered, duplicates and losses (from what the fake
// API received), the elapsed time, the lower bound the rate limits allow
// and their ratio. See BENCHMARKS.md for the figures.
package fanout

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/discord"
	"github.com/alexa-brief/alexa-brief/adapters/discord/discordtest"
	"github.com/alexa-brief/alexa-brief/adapters/slack"
	"github.com/alexa-brief/alexa-brief/adapters/slack/slacktest"
	"github.com/alexa-brief/alexa-brief/adapters/sqlite"
	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// The limits the lower bound is computed from.
const (
	// Discord: 50 requests/s per bot (the fake enforces it, the adapter
	// keeps to it).
	discordPerSecond = 50
	// Slack: chat.postMessage allows "several hundred messages per minute"
	// per workspace with bursts; the adapter budgets 300/min with a burst
	// of 20, and its GCRA admits burst+1 at once (adapters/slack/ratelimit.go).
	// The fake enforces 1 message per second per channel, which one digest
	// per channel never reaches.
	slackPerMinute = 300
	slackBurst     = 21
)

// fanCase is one fan-out: channels spread evenly over teams.
type fanCase struct {
	platform string
	teams    int
	channels int
}

func (c fanCase) name() string {
	return fmt.Sprintf("%s/teams=%d/channels=%d", c.platform, c.teams, c.channels)
}

// bound is the least time the limits allow for posting msgs messages per
// channel (one digest renders into msgs messages).
func (c fanCase) bound(msgs int) time.Duration {
	switch c.platform {
	case bot.PlatformDiscord:
		n := c.channels * msgs
		if n <= discordPerSecond {
			return 0
		}
		return time.Duration(float64(n-discordPerSecond) / discordPerSecond * float64(time.Second))
	default:
		perTeam := (c.channels + c.teams - 1) / c.teams * msgs
		if perTeam <= slackBurst {
			return 0
		}
		return time.Duration(float64(perTeam-slackBurst) / slackPerMinute * float64(time.Minute))
	}
}

// result is what one fan-out did.
type result struct {
	delivered, duplicates, losses int
	msgsPerDigest                 int
	// limited counts the 429s the fake answered: the limits are to be
	// obeyed, not discovered.
	limited int
	elapsed time.Duration
	summary bot.PassSummary
}

// slot is the instant every subscription is due.
var slot = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// run posts c.channels digests due at once and counts what arrived.
func run(tb testing.TB, c fanCase) result {
	tb.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "fanout.db"))
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	corpus, err := briefs.Default()
	if err != nil {
		tb.Fatal(err)
	}
	b := bot.New(bot.Config{Corpus: corpus, Store: st})
	scopes := make([]bot.Scope, c.channels)
	for i := range scopes {
		sc := bot.Scope{Platform: c.platform, Team: fmt.Sprintf("T%03d", i%c.teams), Channel: fmt.Sprintf("C%05d", i)}
		if c.platform == bot.PlatformDiscord {
			sc.Team, sc.Channel = fmt.Sprintf("%d", 900000000000000000+i%c.teams), fmt.Sprintf("%d", 800000000000000000+i)
		}
		scopes[i] = sc
		if _, err := st.PutSubscription(ctx, bot.Subscription{Scope: sc, Schedule: "daily 09:00", CreatedAt: slot.Add(-time.Hour)}); err != nil {
			tb.Fatal(err)
		}
	}

	var (
		poster   bot.Poster
		received func() map[string][]string // channel → slot key per first part ("" for Discord)
		count    func() map[string]int      // channel → messages
		limited  = func() int { return 0 }
	)
	switch c.platform {
	case bot.PlatformSlack:
		fake := slacktest.New(slacktest.Options{})
		defer fake.Close()
		a, err := slack.New(slack.Config{BotToken: slacktest.DefaultToken, APIURL: fake.URL()}, b, st)
		if err != nil {
			tb.Fatal(err)
		}
		poster = a
		limited = fake.RateLimited
		received = func() map[string][]string {
			out := map[string][]string{}
			for _, m := range fake.Messages() {
				if m.Metadata == nil {
					continue
				}
				if p, ok := m.Metadata.EventPayload["part"]; ok && fmt.Sprint(p) != "1" {
					continue
				}
				out[m.Channel] = append(out[m.Channel], fmt.Sprint(m.Metadata.EventPayload["slot"]))
			}
			return out
		}
		count = func() map[string]int {
			out := map[string]int{}
			for _, m := range fake.Messages() {
				out[m.Channel]++
			}
			return out
		}
	case bot.PlatformDiscord:
		fake := discordtest.New(discordtest.Options{})
		defer fake.Close()
		a, err := discord.New(discord.Config{AppID: fake.AppID(), BotToken: fake.Token(), APIURL: fake.URL()}, b, st)
		if err != nil {
			tb.Fatal(err)
		}
		poster = a
		count = func() map[string]int {
			out := map[string]int{}
			for _, m := range fake.Messages() {
				out[m.ChannelID]++
			}
			return out
		}
		limited = func() int { st := fake.Stats(); return st.GlobalLimit + st.RateLimited }
	}
	s := bot.NewScheduler(bot.SchedulerConfig{
		Store: st, Posters: map[string]bot.Poster{c.platform: poster}, Bot: b,
		Catchup: 6 * time.Hour, Owner: "bench",
	})
	start := time.Now()
	sum, err := s.RunOnce(ctx, slot)
	elapsed := time.Since(start)
	if err != nil {
		tb.Fatalf("RunOnce: %v", err)
	}

	res := result{elapsed: elapsed, summary: sum, limited: limited()}
	perChannel := count()
	// Every digest here is the same first digest, so it renders into the
	// same number of messages: the smallest non-zero count.
	for _, n := range perChannel {
		if n > 0 && (res.msgsPerDigest == 0 || n < res.msgsPerDigest) {
			res.msgsPerDigest = n
		}
	}
	var keys map[string][]string
	if received != nil {
		keys = received()
	}
	for _, sc := range scopes {
		n := perChannel[sc.Channel]
		switch {
		case n == 0:
			res.losses++
			continue
		case keys != nil:
			// Slack: digests are told apart by their slot metadata.
			res.duplicates += len(keys[sc.Channel]) - 1
		default:
			res.duplicates += n/res.msgsPerDigest - 1
		}
		res.delivered++
	}
	// The ledger agrees: every slot posted, none left claimed or failed.
	subs, err := st.Subscriptions(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	for _, sub := range subs {
		d, err := st.LastDelivery(ctx, sub.ID)
		if err != nil || d.State != bot.StatePosted {
			tb.Errorf("subscription %d: ledger %+v, %v; want posted", sub.ID, d, err)
		}
	}
	return res
}

func report(tb testing.TB, c fanCase, r result) {
	bound := c.bound(r.msgsPerDigest)
	ratio := 0.0
	if bound > 0 {
		ratio = r.elapsed.Seconds() / bound.Seconds()
	}
	tb.Logf("%s: delivered=%d duplicates=%d losses=%d 429s=%d messages/digest=%d elapsed=%.2fs bound=%.1fs ratio=%.3f pass: %s",
		c.name(), r.delivered, r.duplicates, r.losses, r.limited, r.msgsPerDigest, r.elapsed.Seconds(), bound.Seconds(), ratio, r.summary)
	if b, ok := tb.(*testing.B); ok {
		b.ReportMetric(float64(r.delivered), "delivered")
		b.ReportMetric(float64(r.duplicates), "duplicates")
		b.ReportMetric(float64(r.losses), "losses")
		b.ReportMetric(float64(r.limited), "429s")
		b.ReportMetric(r.elapsed.Seconds(), "elapsed-s")
		b.ReportMetric(bound.Seconds(), "bound-s")
		b.ReportMetric(ratio, "ratio")
	}
}

func check(tb testing.TB, c fanCase, r result) {
	tb.Helper()
	if r.delivered != c.channels || r.duplicates != 0 || r.losses != 0 {
		tb.Errorf("%s: delivered=%d duplicates=%d losses=%d, want %d, 0, 0", c.name(), r.delivered, r.duplicates, r.losses, c.channels)
	}
	if r.limited != 0 {
		tb.Errorf("%s: the fake answered %d 429s; the limits must be obeyed, not discovered", c.name(), r.limited)
	}
	if r.summary.Posted != c.channels || r.summary.Due != c.channels {
		tb.Errorf("%s: pass %s, want due=posted=%d", c.name(), r.summary, c.channels)
	}
}

// BenchmarkFanout is the 1,000-channel fan-out of issue 6. The single
// Slack workspace case takes about 3.5 minutes (the workspace budget).
func BenchmarkFanout(b *testing.B) {
	for _, c := range []fanCase{
		{bot.PlatformDiscord, 1, 1000},
		{bot.PlatformSlack, 10, 1000},
		{bot.PlatformSlack, 1, 1000},
	} {
		b.Run(c.name(), func(b *testing.B) {
			for range b.N {
				r := run(b, c)
				check(b, c, r)
				report(b, c, r)
			}
		})
	}
}

// TestFanoutSmall is the same measurement at a size a test run affords:
// every digest delivered once, none lost, within the limits.
func TestFanoutSmall(t *testing.T) {
	for _, c := range []fanCase{
		{bot.PlatformDiscord, 1, 120},
		{bot.PlatformSlack, 3, 90},
	} {
		t.Run(c.name(), func(t *testing.T) {
			r := run(t, c)
			check(t, c, r)
			report(t, c, r)
		})
	}
}
