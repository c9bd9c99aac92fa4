package sqlstore

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
)

func TestCheckArticle(t *testing.T) {
	base := func() bot.StoredArticle {
		return bot.StoredArticle{Article: briefs.Article{ID: "a", URL: "https://example.com/a", Text: "x"}, Origin: bot.OriginURL}
	}
	with := func(f func(*bot.StoredArticle)) bot.StoredArticle { a := base(); f(&a); return a }
	tests := []struct {
		name        string
		in          bot.StoredArticle
		wantStories []string
		wantCopies  []bot.Copy
		wantErr     string
	}{
		{"plain", base(), nil, nil, ""},
		{"stories sorted, once each", with(func(a *bot.StoredArticle) { a.Stories = []string{"b", "a", "b"} }), []string{"a", "b"}, nil, ""},
		{"default alone is none", with(func(a *bot.StoredArticle) { a.Stories = []string{"default", "default"} }), nil, nil, ""},
		{"copies once per URL, not its own", with(func(a *bot.StoredArticle) {
			a.Copies = []bot.Copy{{URL: "u1", Publication: "P1", AddedAt: time.Now()}, {URL: "u1", Publication: "P2"}, {URL: a.URL}, {URL: "u2"}}
		}), nil, []bot.Copy{{URL: "u1", Publication: "P1"}, {URL: "u2"}}, ""},
		{"no id", with(func(a *bot.StoredArticle) { a.ID = "" }), nil, nil, "empty id"},
		{"no origin", with(func(a *bot.StoredArticle) { a.Origin = "" }), nil, nil, `article a: origin "" is not embedded, file, url or feed`},
		{"bad story", with(func(a *bot.StoredArticle) { a.Stories = []string{"Bad"} }), nil, nil, `article a: story id "Bad"`},
		{"default beside others", with(func(a *bot.StoredArticle) { a.Stories = []string{"x", "default"} }), nil, nil, "cannot be joined beside"},
		{"copy without URL", with(func(a *bot.StoredArticle) { a.Copies = []bot.Copy{{Publication: "P"}} }), nil, nil, "a copy needs its URL"},
	}
	for _, tt := range tests {
		in := tt.in
		in.Seq, in.AddedAt = 7, time.Now()
		got, err := CheckArticle(in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: err %v, want %q", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got.Stories, tt.wantStories) || !reflect.DeepEqual(got.Copies, tt.wantCopies) || got.Seq != 0 || !got.AddedAt.IsZero() {
			t.Errorf("%s: got %+v, %v; want stories %q, copies %+v, no seq or time", tt.name, got, err, tt.wantStories, tt.wantCopies)
		}
	}
	// The caller's slices are left alone.
	in := with(func(a *bot.StoredArticle) { a.Stories = []string{"b", "a"} })
	CheckArticle(in)
	if in.Stories[0] != "b" {
		t.Errorf("CheckArticle sorted the caller's slice: %q", in.Stories)
	}
}

func TestStoryChecks(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		err  error
		want string // "" for no error; else a part of it
	}{
		{"story ok", CheckStory(bot.Story{ID: "budget", Match: "council|mayor"}), ""},
		{"story bad id", CheckStory(bot.Story{ID: "-budget"}), "want 1 to 63 lowercase letters"},
		{"story bad rule", CheckStory(bot.Story{ID: "budget", Match: "(x"}), "story budget: match rule"},
		{"default with a rule", CheckStory(bot.Story{ID: "default", Match: "x"}), "cannot have a match rule"},
		{"default titled", CheckStory(bot.Story{ID: "default", Title: "T"}), ""},
		{"link ok", CheckLink("a", "budget"), ""},
		{"link default", CheckLink("a", "default"), "joins it by belonging to none"},
		{"link no article", CheckLink("", "budget"), "empty article id"},
		{"feed ok", CheckFeed(bot.Feed{URL: "https://example.com/f", Story: "default"}), ""},
		{"feed no URL", CheckFeed(bot.Feed{}), "empty feed URL"},
		{"feed bad story", CheckFeed(bot.Feed{URL: "u", Story: "A"}), "feed u: story id"},
		{"feed bad rule", CheckFeed(bot.Feed{URL: "u", Match: "[a-"}), "feed u: match rule"},
		{"feed failures", CheckFeed(bot.Feed{URL: "u", Failures: -1}), "negative failures"},
		{"poll ok", CheckFeedPoll(now, now.Add(time.Millisecond)), ""},
		{"poll same ms", CheckFeedPoll(now, now.Add(999*time.Microsecond)), "is not after now"},
		{"poll back", CheckFeedPoll(now, now.Add(-time.Hour)), "is not after now"},
		{"keys ok", CheckFeedItemKeys("a", "b"), ""},
		{"keys none", CheckFeedItemKeys(), ""},
		{"keys empty", CheckFeedItemKeys("a", ""), "empty feed item key"},
		{"finish stored", CheckFeedItemFinish(bot.FeedItemStored), ""},
		{"finish claimed", CheckFeedItemFinish(bot.FeedItemClaimed), `state "claimed" is not stored, skipped or failed`},
	}
	for _, tt := range tests {
		switch {
		case tt.want == "" && tt.err != nil:
			t.Errorf("%s: %v, want no error", tt.name, tt.err)
		case tt.want != "" && (tt.err == nil || !strings.Contains(tt.err.Error(), tt.want)):
			t.Errorf("%s: %v, want %q", tt.name, tt.err, tt.want)
		}
	}
	for _, err := range []error{UnknownArticle("a"), UnknownStory("s"), UnknownFeed(3)} {
		if !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("%v is not ErrNotFound", err)
		}
	}
	if err := LostFeedItem(3, "g", "r1"); !errors.Is(err, bot.ErrClaimLost) || err.Error() != `finish feed item 3/"g" for r1: claim no longer held` {
		t.Errorf("LostFeedItem = %q", err)
	}
}

func TestArticleSet(t *testing.T) {
	var set ArticleSet
	for _, id := range []string{"a", "b"} {
		if err := set.ScanArticle(fakeRow{vals: []any{int64(len(id)), id, "", "", "", "", "", "x", "file", "stamp@100"}}, fakeTimes{}); err != nil {
			t.Fatal(err)
		}
	}
	rows := []fakeRow{{vals: []any{"a", "budget"}}, {vals: []any{"a", "elections"}}, {vals: []any{"gone", "budget"}}}
	for _, r := range rows {
		if err := set.ScanMembership(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := set.ScanCopy(fakeRow{vals: []any{"b", "u1", "P", "stamp@200"}}, fakeTimes{}); err != nil {
		t.Fatal(err)
	}
	got := set.Articles()
	if set.Len() != 2 || !reflect.DeepEqual(got[0].Stories, []string{"budget", "elections"}) || got[1].Stories != nil ||
		!reflect.DeepEqual(got[1].Copies, []bot.Copy{{URL: "u1", Publication: "P", AddedAt: time.Unix(200, 0).UTC()}}) || got[0].Copies != nil {
		t.Errorf("assembled %+v", got)
	}
}

func TestChangeBump(t *testing.T) {
	tests := []struct {
		c    Change
		want string
	}{
		{Unchanged, ""},
		{Added, "UPDATE corpus_revision SET n = n + 1 WHERE id = 1"},
		{Rewrote, "UPDATE corpus_revision SET n = n + 1, rewritten = n + 1 WHERE id = 1"},
	}
	for _, tt := range tests {
		if got := tt.c.Bump(); got != tt.want {
			t.Errorf("Change(%d).Bump() = %q, want %q", tt.c, got, tt.want)
		}
	}
}
