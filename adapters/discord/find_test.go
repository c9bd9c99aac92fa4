package discord

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/alexa-brief/alexa-brief/adapters/discord/discordtest"
	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/bot/bottest"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// The bot's user id differs from the application id here, so a FindPost
// that assumed they were equal would find nothing.
const testBotUser = "100000000000000077"

func newFindFake(opts discordtest.Options) *discordtest.Server {
	opts.BotUserID = testBotUser
	return discordtest.New(opts)
}

// footerEmbed is a message whose last embed's footer is text.
func footerEmbed(text string) discordtest.Message {
	return discordtest.Message{Embeds: []*discordgo.MessageEmbed{{Description: "d"}, {Footer: &discordgo.MessageEmbedFooter{Text: text}}}}
}

// A digest whose response was lost (Discord stored it, we saw only 502s)
// is found by FindPost, by the bot's user id learned once from /users/@me.
func TestFindPostLostResponse(t *testing.T) {
	fake := newFindFake(discordtest.Options{})
	defer fake.Close()
	m := &metrics{}
	a, _ := newTestAdapter(t, fake, nil, nil, m)
	sc := channelScope("210000000000000021")
	slot := time.Now().Truncate(time.Minute)
	key := bot.SlotKey(7, slot)
	fake.FailAfterCommit(1, 502)
	fake.Fail(maxRetries, 502)
	if _, err := a.Post(t.Context(), sc, goldenReplies["brief"], key); err == nil {
		t.Fatal("Post succeeded; want the lost response to surface as an error")
	}
	msgs := fake.ChannelMessages(sc.Channel)
	if len(msgs) != 1 {
		t.Fatalf("%d messages stored, want 1", len(msgs))
	}
	for range 2 {
		id, found, err := a.FindPost(t.Context(), sc, key, slot)
		if err != nil || !found || id != msgs[0].ID {
			t.Errorf("FindPost = %q, %v, %v; want %q, true", id, found, err, msgs[0].ID)
		}
	}
	if got := m.route("GET users/@me"); got != 1 {
		t.Errorf("GET users/@me called %d times, want once", got)
	}
	// The marker is visible, plain and within the footer.
	footer := msgs[0].Embeds[len(msgs[0].Embeds)-1].Footer
	if footer == nil || !strings.HasSuffix(footer.Text, "\nalexa-brief digest · "+key) && footer.Text != "alexa-brief digest · "+key {
		t.Errorf("footer %+v, want it to end with the marker line", footer)
	}
}

func TestFindPost(t *testing.T) {
	fake := newFindFake(discordtest.Options{RouteLimit: 100})
	defer fake.Close()
	a, _ := newTestAdapter(t, fake, nil, nil, nil)
	const ch, other = "210000000000000021", "210000000000000022"
	since := time.Now().Add(-time.Hour).Truncate(time.Second)
	key := bot.SlotKey(7, since)
	marker := "alexa-brief digest · " + key

	// Noise around the digest: another author typing its footer, the same
	// footer in another channel, an older digest of the same key (before
	// the margin), the next slot's digest, and chatter.
	fake.AddMessage(ch, "300000000000000003", since.Add(time.Minute), footerEmbed(marker))
	otherMsg := fake.AddMessage(other, testBotUser, since.Add(time.Minute), footerEmbed(marker))
	fake.AddMessage(ch, testBotUser, since.Add(-time.Hour), footerEmbed(marker))
	fake.AddMessage(ch, testBotUser, since.Add(2*time.Minute), footerEmbed("alexa-brief digest · "+bot.SlotKey(7, since.Add(time.Hour))))
	fake.AddMessage(ch, testBotUser, since.Add(3*time.Minute), footerEmbed(marker+" · part 2/2"))
	fake.AddMessage(ch, "300000000000000003", since.Add(4*time.Minute), discordtest.Message{Content: marker})

	tests := []struct {
		name    string
		channel string
		key     string
		found   bool
	}{
		{"only another author's, another channel's or an older copy", ch, key, false},
		{"key absent", ch, "sub8-1", false},
		{"empty channel", "210000000000000023", key, false},
	}
	for _, tt := range tests {
		id, found, err := a.FindPost(t.Context(), channelScope(tt.channel), tt.key, since)
		if err != nil || found != tt.found {
			t.Errorf("%s: FindPost = %q, %v, %v; want found=%v", tt.name, id, found, err, tt.found)
		}
	}

	// Now the real thing: a digest split over several messages is found by
	// its first message.
	long := goldenReplies["brief"]
	for range 12 {
		long.Sections = append(long.Sections, bot.Section{Text: strings.Repeat("Alexa is a smart timer. ", 80)})
	}
	first, err := a.Post(t.Context(), channelScope(ch), long, key)
	if err != nil {
		t.Fatal(err)
	}
	posted := fake.ChannelMessages(ch)
	if n := len(posted) - 5; n < 2 {
		t.Fatalf("the long digest took %d message(s), want several", n)
	}
	id, found, err := a.FindPost(t.Context(), channelScope(ch), key, since)
	if err != nil || !found || id != first {
		t.Errorf("FindPost = %q, %v, %v; want the first message %q", id, found, err, first)
	}
	// Each channel has its own digest of the slot.
	if id, found, err := a.FindPost(t.Context(), channelScope(other), key, since); err != nil || !found || id != otherMsg.ID {
		t.Errorf("FindPost in the other channel = %q, %v, %v; want %q", id, found, err, otherMsg.ID)
	}
}

// Pages are followed forward from the slot, within the route's bucket; a
// channel busier than FindPost reads is "cannot tell", not "not posted".
func TestFindPostPages(t *testing.T) {
	fake := newFindFake(discordtest.Options{RouteLimit: 3, RouteWindow: 50 * time.Millisecond})
	defer fake.Close()
	a, _ := newTestAdapter(t, fake, nil, nil, nil)
	const ch = "210000000000000021"
	since := time.Now().Add(-time.Hour)
	key := bot.SlotKey(3, since)
	at := since
	for i := range 3*findPageSize - 7 {
		at = since.Add(time.Duration(i) * time.Second)
		fake.AddMessage(ch, "300000000000000003", at, discordtest.Message{Content: fmt.Sprint("chatter ", i)})
	}
	want := fake.AddMessage(ch, testBotUser, at.Add(time.Second), footerEmbed("sources\nalexa-brief digest · "+key))
	id, found, err := a.FindPost(t.Context(), channelScope(ch), key, since)
	if err != nil || !found || id != want.ID {
		t.Errorf("FindPost = %q, %v, %v; want %q on the third page", id, found, err, want.ID)
	}
	if s := fake.Stats(); s.RateLimited != 0 {
		t.Errorf("stats %+v: the bucket was not kept", s)
	}

	for i := range findPages * findPageSize {
		fake.AddMessage(ch, "300000000000000003", at.Add(time.Duration(i+2)*time.Second), discordtest.Message{Content: "more"})
	}
	_, found, err = a.FindPost(t.Context(), channelScope(ch), bot.SlotKey(3, at), at)
	if err == nil || found {
		t.Errorf("FindPost over %d messages = found %v, err %v; want an error", findPages*findPageSize, found, err)
	}
}

// Errors mean "cannot tell": a history Discord shows as empty for want of
// Read Message History, and HTTP failures after the retries.
func TestFindPostErrors(t *testing.T) {
	fake := newFindFake(discordtest.Options{})
	defer fake.Close()
	a, _ := newTestAdapter(t, fake, nil, nil, nil)
	const ch = "210000000000000021"
	since := time.Now().Add(-time.Minute)
	key := bot.SlotKey(1, since)
	if _, err := a.Post(t.Context(), channelScope(ch), goldenReplies["answer"], key); err != nil {
		t.Fatal(err)
	}
	fake.DenyHistory(ch)
	_, found, err := a.FindPost(t.Context(), channelScope(ch), key, since)
	if err == nil || found || !strings.Contains(err.Error(), "Read Message History") {
		t.Errorf("FindPost without Read Message History = %v, %v; want an error naming the permission", found, err)
	}

	fake.Fail(maxRetries+1, 500)
	_, found, err = a.FindPost(t.Context(), channelScope("210000000000000022"), key, since)
	var apiErr *APIError
	if found || !errors.As(err, &apiErr) || apiErr.Status != 500 {
		t.Errorf("FindPost = %v, %v; want the final 500", found, err)
	}
	if strings.Count(err.Error(), "discord: ") != 1 {
		t.Errorf("error %q: want one prefix", err)
	}

	for _, tt := range []struct {
		sc  bot.Scope
		key string
	}{
		{bot.Scope{Platform: bot.PlatformSlack, Channel: ch}, key},
		{channelScope("general"), key},
		{channelScope(ch), ""},
	} {
		if _, found, err := a.FindPost(t.Context(), tt.sc, tt.key, since); err == nil || found {
			t.Errorf("FindPost(%+v, %q) = %v, %v; want an error", tt.sc, tt.key, found, err)
		}
	}
}

// Direct-message answers deduplicate by nonce but carry no digest marker.
func TestPostMarksDigestsOnly(t *testing.T) {
	fake := newFindFake(discordtest.Options{})
	defer fake.Close()
	a, _ := newTestAdapter(t, fake, nil, nil, nil)
	for _, key := range []string{"", dmKeyPrefix + "700000000000000007"} {
		if _, err := a.Post(t.Context(), channelScope("210000000000000021"), goldenReplies["answer"], key); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range fake.Messages() {
		if strings.Contains(string(m.Raw), markerPrefix) {
			t.Errorf("a non-digest message carries the marker: %s", m.Raw)
		}
	}
}

// renderMarked keeps every Discord limit with the marker added, for long
// replies and long footers alike.
func TestRenderMarkedLimits(t *testing.T) {
	key := bot.SlotKey(123456, time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	long := goldenReplies["brief"]
	long.Footer = strings.Repeat("f", 3000)
	for range 30 {
		long.Sections = append(long.Sections, bot.Section{Text: strings.Repeat("Amazon's devices unit lost over $25 billion. ", 40)})
	}
	for _, r := range []bot.Reply{{}, goldenReplies["answer"], long} {
		msgs := renderMarked(r, key)
		for i, m := range msgs {
			total := 0
			for _, e := range m.Embeds {
				total += embedSize(e)
				if e.Footer != nil && size(e.Footer.Text) > maxFooter {
					t.Errorf("message %d: footer of %d", i, size(e.Footer.Text))
				}
			}
			if total > maxEmbedTotal || len(m.Embeds) > maxEmbeds {
				t.Errorf("message %d: %d embeds, %d units", i, len(m.Embeds), total)
			}
			last := m.Embeds[len(m.Embeds)-1]
			fm := fetchedMessage{}
			fm.Embeds = make([]struct {
				Footer *struct {
					Text string `json:"text"`
				} `json:"footer"`
			}, 1)
			fm.Embeds[0].Footer = &struct {
				Text string `json:"text"`
			}{last.Footer.Text}
			if got := fm.firstPartOf(key); got != (i == 0) {
				t.Errorf("message %d of %d: firstPartOf = %v (footer %q)", i+1, len(msgs), got, last.Footer.Text[max(0, len(last.Footer.Text)-60):])
			}
		}
	}
}

// dyingStore loses the outcome: the process "died" between posting and
// recording.
type dyingStore struct{ *bottest.Store }

func (dyingStore) FinishSlot(context.Context, bot.Delivery) error { return errors.New("process died") }

// A replica posts a digest to Discord and dies before recording it. Once
// its lease has expired another replica takes the slot over, finds the
// post through FindPost and records it: one message on Discord, and the
// slot posted rather than failed.
func TestTakeoverFindsPost(t *testing.T) {
	corpus, err := briefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	fake := newFindFake(discordtest.Options{})
	defer fake.Close()
	a, _ := newTestAdapter(t, fake, nil, nil, nil)

	var clock atomic.Int64 // the store judges leases by this clock
	// Ten minutes into the hour, so that both passes see the same @hourly
	// slot whatever the wall clock reads when the test runs.
	now := time.Now().UTC().Truncate(time.Hour).Add(10 * time.Minute)
	clock.Store(now.UnixNano())
	st := bottest.NewStore(func() time.Time { return time.Unix(0, clock.Load()) })
	sc := channelScope("210000000000000021")
	sub, err := st.PutSubscription(t.Context(), bot.Subscription{Scope: sc, Schedule: "@hourly", CreatedAt: now.Add(-3 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	scheduler := func(st bot.Store, owner string) *bot.Scheduler {
		return bot.NewScheduler(bot.SchedulerConfig{
			Store: st, Posters: map[string]bot.Poster{bot.PlatformDiscord: a}, Bot: bot.New(bot.Config{Corpus: corpus}),
			Catchup: 2 * time.Hour, Lease: time.Minute, Owner: owner,
		})
	}
	if _, err := scheduler(dyingStore{st}, "dies").RunOnce(t.Context(), now); err == nil {
		t.Fatal("the dying replica recorded its post")
	}
	msgs := fake.ChannelMessages(sc.Channel)
	if len(msgs) == 0 {
		t.Fatal("nothing posted before the crash")
	}

	clock.Add(int64(2 * time.Minute)) // the lease expires
	sum, err := scheduler(st, "survivor").RunOnce(t.Context(), now.Add(2*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Posted != 1 || sum.Failed != 0 {
		t.Errorf("takeover pass = %v, want posted=1", sum)
	}
	if n := len(fake.ChannelMessages(sc.Channel)); n != len(msgs) {
		t.Errorf("%d messages after the takeover, want %d (no second post)", n, len(msgs))
	}
	d, err := st.LastDelivery(t.Context(), sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.State != bot.StatePosted || d.MessageID != msgs[0].ID || d.Attempts != 2 {
		t.Errorf("ledger %+v, want posted as %s after 2 attempts", d, msgs[0].ID)
	}
}
