package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/bot/bottest"
)

// storyFixture is a bot over a library with a bridge story.
type storyFixture struct {
	bot   *bot.Bot
	lib   *bot.Library
	store *bottest.Store
	web   *fakeWeb
}

func newStoryFixture(t *testing.T) *storyFixture {
	t.Helper()
	ctx := context.Background()
	f := &storyFixture{store: bottest.NewStore(nil), web: newFakeWeb()}
	f.lib = newLibrary(t, f.store)
	if _, _, err := f.lib.AddStory(ctx, bot.Story{ID: "bridge", Title: "The Harbour Bridge", Match: "harbour bridge"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.lib.Ingest(ctx, stored("vote", bridgeVote), ""); err != nil {
		t.Fatal(err)
	}
	f.bot = bot.New(bot.Config{Library: f.lib, Fetcher: f.web, Store: f.store, Clock: bottest.NewClock(epoch)})
	return f
}

func cmdIn(sc bot.Scope, text string, manage bool) bot.Request {
	return bot.Request{Kind: bot.KindCommand, Scope: sc, User: "U1", Text: text, CanManage: manage}
}

func TestStoryCommands(t *testing.T) {
	ctx := context.Background()
	f := newStoryFixture(t)
	c1 := bot.Scope{Platform: bot.PlatformSlack, Team: "T1", Channel: "C1"}
	c2 := bot.Scope{Platform: bot.PlatformSlack, Team: "T1", Channel: "C2"}
	other := bot.Scope{Platform: bot.PlatformSlack, Team: "T2", Channel: "C1"} // another workspace, same channel id
	tests := []struct {
		name        string
		req         bot.Request
		want        string
		wantFailure bool
	}{
		{"list", cmdIn(c1, "stories", false), "`bridge` — The Harbour Bridge (1 article)", false},
		{"default marked", cmdIn(c1, "stories", false), "`default` — Ferry timetable changes (1 article) · this channel", false},
		{"follow needs a manager", cmdIn(c1, "follow bridge", false), "Only people who can manage this channel", true},
		{"follow an unknown story", cmdIn(c1, "follow nope", true), "There is no story `nope`. Stories: `default` and `bridge`.", true},
		{"follow", cmdIn(c1, "follow Bridge", true), "now come from the story `bridge`", false},
		{"the brief follows", cmdIn(c1, "brief", false), "Harbour Bridge", false},
		{"sources follow", cmdIn(c1, "sources", false), "vote", false},
		{"other channel unchanged", cmdIn(c2, "brief", false), "ferry", false},
		{"other workspace unchanged", cmdIn(other, "stories", false), "`default` — Ferry timetable changes (1 article) · this channel", false},
		{"ask follows", cmdIn(c1, "ask how much will the bridge cost?", false), "$340 million", false},
		{"add needs a manager", cmdIn(c1, "add https://news.example/grant", false), "Only people who can manage this channel", true},
		{"add a page that is not there", cmdIn(c1, "add https://news.example/missing", true), "The server answered 404 Not Found", true},
		{"add a bad url", cmdIn(c1, "add ftp://news.example/x", true), "The URL must be http or https", true},
		{"add to an unknown story", cmdIn(c1, "add https://news.example/grant nope", true), "Stories: `default` and `bridge`.", true},
	}
	for _, tt := range tests {
		r := f.bot.Handle(ctx, tt.req)
		if got := text(r); !strings.Contains(strings.ToLower(got), strings.ToLower(tt.want)) || r.Failure != tt.wantFailure {
			t.Errorf("%s: failure %v, reply:\n%s\nwant failure %v and %q", tt.name, r.Failure, got, tt.wantFailure, tt.want)
		}
	}
	if got := len(f.lib.Articles("")); got != 2 {
		t.Fatalf("refused adds changed the library: %d articles", got)
	}
	f.web.pages["https://news.example/grant"] = bot.Page{Title: "State grant for the bridge", Publication: "News Example", Text: bridgeGrant}
	r := f.bot.Handle(ctx, cmdIn(c1, "add <https://news.example/grant|the grant>", true))
	if got := text(r); r.Failure || !strings.Contains(got, "Added State grant for the bridge to `bridge`") {
		t.Errorf("add: %s", got)
	}
	r = f.bot.Handle(ctx, cmdIn(c1, "ask what did Tomasz Wiśniewski say?", false))
	if got := text(r); !strings.Contains(got, "We waited a long time for this") {
		t.Errorf("the added article is not answered from at once:\n%s", got)
	}
	r = f.bot.Handle(ctx, cmdIn(c1, "add https://news.example/grant", true))
	if got := text(r); !strings.Contains(got, "Already stored: State grant for the bridge") {
		t.Errorf("second add: %s", got)
	}
	// A removed story sends its channels back to the default one.
	if _, err := f.lib.RemoveStory(ctx, "bridge"); err != nil {
		t.Fatal(err)
	}
	if got, err := f.bot.StoryOf(ctx, c1); err != nil || got != bot.DefaultStory {
		t.Errorf("after removal the channel follows %q (%v), want default", got, err)
	}
}

// A digest comes from the channel's story and leads with what that story
// gained: the new article with its publication, the changed figure, the
// new quote. A channel on another story has nothing new.
func TestDigestWhatsNew(t *testing.T) {
	ctx := context.Background()
	f := newStoryFixture(t)
	bridgeCh := bot.Scope{Platform: bot.PlatformSlack, Team: "T1", Channel: "C001"}
	ferryCh := bot.Scope{Platform: bot.PlatformSlack, Team: "T1", Channel: "C002"}
	if err := f.store.PutChannelStory(ctx, bridgeCh, "bridge"); err != nil {
		t.Fatal(err)
	}
	addSub(t, f.store, bridgeCh, "daily 09:00", digestDay1, false)
	addSub(t, f.store, ferryCh, "daily 09:00", digestDay1, true)
	p := fakeFinder{newFakePlatform()}
	s := newTestScheduler(f.store, f.bot, p, "r1", time.Minute)
	run := func(day int) map[string]bot.Reply {
		t.Helper()
		before := len(p.all())
		if _, err := s.RunOnce(ctx, digestDay1.Add(time.Duration(day)*24*time.Hour+9*time.Hour)); err != nil {
			t.Fatal(err)
		}
		out := map[string]bot.Reply{}
		for _, x := range p.all()[before:] {
			out[x.Scope.Channel] = x.Reply
		}
		return out
	}
	first := run(0)
	if got := digestText(first["C001"]); !strings.Contains(got, "Harbour Bridge") || strings.Contains(got, "Ferry timetable") {
		t.Errorf("bridge channel's first digest is not the bridge story:\n%s", got)
	}
	upd := stored("update", bridgeUpdate)
	upd.Source = "Harbour Herald"
	if _, err := f.lib.Ingest(ctx, upd, ""); err != nil {
		t.Fatal(err)
	}
	next := run(1)
	got := digestText(next["C001"])
	for _, want := range []string{
		"New since Mon 2 Mar 2026",
		"(Harbour Herald)",
		"now $430 million, up from $340 million",
		"We will not cut the bus lanes to save money",
		"Key points",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("bridge digest lacks %q:\n%s", want, got)
		}
	}
	if strings.Index(got, "New since") > strings.Index(got, "Key points") {
		t.Errorf("what is new does not lead:\n%s", got)
	}
	if got, want := digestText(next["C002"]), "Nothing new since Mon 2 Mar 2026.\n"; got != want {
		t.Errorf("ferry channel = %q, want %q", got, want)
	}
}
