package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/alexa-brief/alexa-brief/bot"
)

// replyText is everything a reply shows, for comparing contents.
func replyText(r bot.Reply) string {
	var b strings.Builder
	b.WriteString(r.Title)
	for _, s := range r.Sections {
		b.WriteString("\n" + s.Heading + "\n" + s.Text)
		for _, it := range s.Items {
			b.WriteString("\n" + it.Text)
		}
		if s.Quote != nil {
			b.WriteString("\n" + s.Quote.Text)
		}
	}
	for _, c := range r.Citations {
		b.WriteString("\n" + c.Title)
	}
	return b.String() + "\n" + r.Footer
}

// TestCachedReplies: the brief, quotes and facts are built once per story
// corpus, and a cache that served them stale fails here: a channel
// following another story, a new article, a removed one, a share.
func TestCachedReplies(t *testing.T) {
	ctx := context.Background()
	f := newStoryFixture(t)
	plain := bot.Scope{Platform: bot.PlatformSlack, Team: "T1", Channel: "C1"}
	bridge := bot.Scope{Platform: bot.PlatformSlack, Team: "T1", Channel: "C2"}
	if r := f.bot.Handle(ctx, cmdIn(bridge, "follow bridge", true)); r.Failure {
		t.Fatalf("follow: %s", replyText(r))
	}
	brief := func(sc bot.Scope, cmd string) bot.Reply {
		t.Helper()
		r := f.bot.Handle(ctx, cmdIn(sc, cmd, false))
		if r.Failure {
			t.Fatalf("%s: %s", cmd, replyText(r))
		}
		return r
	}
	for _, cmd := range []string{"brief", "quotes", "facts"} {
		a1, a2 := brief(plain, cmd), brief(plain, cmd)
		if a1.Key == "" || a1.Key != a2.Key || replyText(a1) != replyText(a2) {
			t.Errorf("%s twice: keys %q, %q; want one non-empty key for one content", cmd, a1.Key, a2.Key)
		}
		if b := brief(bridge, cmd); b.Key == a1.Key || replyText(b) == replyText(a1) {
			t.Errorf("%s: the bridge channel got the default story's reply (key %q)", cmd, b.Key)
		}
	}

	// A new article in the bridge story: its brief changes, the default
	// story's does not.
	before, plainBefore := brief(bridge, "brief"), brief(plain, "brief")
	if _, err := f.lib.Ingest(ctx, stored("update", bridgeUpdate), ""); err != nil {
		t.Fatal(err)
	}
	after := brief(bridge, "brief")
	if after.Key == before.Key || !strings.Contains(after.Footer, "3 articles") && !strings.Contains(replyText(after), "430") {
		t.Errorf("brief after a new article: key %q (before %q), footer %q; want a new reply from 3 articles", after.Key, before.Key, after.Footer)
	}
	if got := brief(plain, "brief"); got.Key != plainBefore.Key {
		t.Errorf("default story's brief rebuilt (key %q, was %q) though its corpus did not change", got.Key, plainBefore.Key)
	}
	if ok, err := f.lib.RemoveArticle(ctx, "update"); !ok || err != nil {
		t.Fatalf("RemoveArticle = %v, %v", ok, err)
	}
	if got := brief(bridge, "brief"); got.Key == after.Key || replyText(got) == replyText(after) {
		t.Errorf("brief after removing the article is still the reply that had it (key %q)", got.Key)
	}

	// Share reposts for the channel: no key (it is not the cached content)
	// and the cached reply stays ephemeral, with its share button.
	shared := f.bot.Handle(ctx, bot.Request{Kind: bot.KindAction, Scope: plain, User: "U1", Action: bot.ActionShare, Value: "brief", CanManage: true})
	if shared.Failure || !shared.InChannel || shared.Key != "" {
		t.Errorf("shared brief: failure %v, in channel %v, key %q; want in channel without key", shared.Failure, shared.InChannel, shared.Key)
	}
	again := brief(plain, "brief")
	if again.InChannel {
		t.Error("a share made the cached brief in_channel")
	}
	hasShare := false
	for _, b := range again.Buttons {
		hasShare = hasShare || b.Action == bot.ActionShare
	}
	if !hasShare {
		t.Error("a share took the share button off the cached brief")
	}
}
