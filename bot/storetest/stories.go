package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
)

// Stories, memberships made after the fact, the channels' stories, and the
// corpus and feeds across replicas.

func testStoryRoundTrip(t *testing.T, s bot.Store) {
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	in := bot.Story{ID: "city-budget-2026", Title: "City budget", Match: `budget|council`, CreatedAt: created}
	got, err := s.PutStory(ctx(t), in)
	if err != nil || !reflect.DeepEqual(got, in) {
		t.Fatalf("PutStory = %+v, %v; want %+v", got, err, in)
	}
	if read, err := s.Story(ctx(t), in.ID); err != nil || !reflect.DeepEqual(read, in) {
		t.Errorf("Story = %+v, %v; want %+v", read, err, in)
	}
	before := time.Now()
	now, err := s.PutStory(ctx(t), bot.Story{ID: "elections", Title: "Elections"})
	if err != nil {
		t.Fatal(err)
	}
	aboutNow(t, "CreatedAt", now.CreatedAt, before)
	// An update changes the title and rule and keeps CreatedAt, whatever it is given.
	upd, err := s.PutStory(ctx(t), bot.Story{ID: in.ID, Title: "Budget", CreatedAt: created.AddDate(4, 0, 0)})
	want := bot.Story{ID: in.ID, Title: "Budget", CreatedAt: created}
	if err != nil || !reflect.DeepEqual(upd, want) {
		t.Errorf("update = %+v, %v; want %+v", upd, err, want)
	}
	// The default story may be stored, for its title.
	def, err := s.PutStory(ctx(t), bot.Story{ID: bot.DefaultStory, Title: "The harbour bridge"})
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.Stories(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if wantAll := []bot.Story{want, def, now}; !reflect.DeepEqual(all, wantAll) {
		t.Errorf("Stories = %+v, want %+v (by id)", all, wantAll)
	}
	if _, err := s.Story(ctx(t), "nope"); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("missing story: %v, want ErrNotFound", err)
	}
}

func testStoryValidation(t *testing.T, s bot.Store) {
	tests := []struct {
		id, match string
		ok        bool
	}{
		{"a", "", true},
		{"0", "", true},
		{"city-budget-2026", `budget|council`, true},
		{"x" + strings.Repeat("-", 62), "", true}, // 63 characters
		{bot.DefaultStory, "", true},
		{"", "", false},
		{"-a", "", false},
		{"Budget", "", false},
		{"a_b", "", false},
		{"a b", "", false},
		{"a/b", "", false},
		{"élection", "", false},
		{"x" + strings.Repeat("y", 63), "", false}, // 64 characters
		{"bad-rule", "(budget", false},
		{"bad-class", "[a-", false},
		{bot.DefaultStory + "-2", "x", true},
		{bot.DefaultStory, "budget", false}, // the default story takes what no rule matches
	}
	for _, tt := range tests {
		_, err := s.PutStory(ctx(t), bot.Story{ID: tt.id, Title: "t", Match: tt.match})
		if (err == nil) != tt.ok {
			t.Errorf("PutStory(%q, match %q): %v; want ok %v", tt.id, tt.match, err, tt.ok)
		}
		if tt.match == "" && (bot.CheckStoryID(tt.id) == nil) != tt.ok {
			t.Errorf("CheckStoryID(%q) disagrees with the store", tt.id)
		}
	}
	all, err := s.Stories(ctx(t))
	if err != nil || len(all) != 6 {
		t.Errorf("Stories = %+v, %v; want the 6 valid ones", all, err)
	}
}

func testLinkArticle(t *testing.T, s bot.Store) {
	mustStory(t, s, "elections", "")
	mustStory(t, s, "budget", "")
	mustAdd(t, s, article("a", "Text of a."))
	for _, st := range []string{"elections", "budget", "elections"} {
		if err := s.LinkArticle(ctx(t), "a", st); err != nil {
			t.Fatalf("LinkArticle(a, %s): %v", st, err)
		}
	}
	if a, err := s.Article(ctx(t), "a"); err != nil || !reflect.DeepEqual(a.Stories, []string{"budget", "elections"}) {
		t.Errorf("stories = %q, %v; want budget elections", a.Stories, err)
	}
	tests := []struct {
		name, article, story string
		notFound             bool
	}{
		{"unknown article", "nope", "budget", true},
		{"unknown story", "a", "nope", true},
		{"the default story", "a", bot.DefaultStory, false},
		{"story id not a slug", "a", "Budget", false},
		{"no article id", "", "budget", false},
	}
	for _, tt := range tests {
		err := s.LinkArticle(ctx(t), tt.article, tt.story)
		if err == nil || errors.Is(err, bot.ErrNotFound) != tt.notFound {
			t.Errorf("%s: LinkArticle = %v; want an error (ErrNotFound: %v)", tt.name, err, tt.notFound)
		}
	}
}

func testDeleteStory(t *testing.T, s bot.Store) {
	mustStory(t, s, "budget", "")
	mustStory(t, s, "elections", "")
	mustAdd(t, s, inStories(article("a", "Text of a."), "budget", "elections"))
	mustAdd(t, s, inStories(article("b", "Text of b."), "budget"))
	mustAdd(t, s, article("c", "Text of c."))
	sc1, sc2 := scope("slack", "T1", "C1"), scope("slack", "T1", "C2")
	for sc, st := range map[bot.Scope]string{sc1: "budget", sc2: "elections"} {
		if err := s.PutChannelStory(ctx(t), sc, st); err != nil {
			t.Fatal(err)
		}
	}
	feeds := map[string]bot.Feed{}
	for _, st := range []string{"budget", "elections", bot.DefaultStory} {
		f, err := s.PutFeed(ctx(t), bot.Feed{URL: "https://example.com/" + st + ".xml", Story: st})
		if err != nil {
			t.Fatal(err)
		}
		feeds[st] = f
	}
	if ok, err := s.DeleteStory(ctx(t), "budget"); err != nil || !ok {
		t.Fatalf("DeleteStory = %v, %v; want true", ok, err)
	}
	if _, err := s.Story(ctx(t), "budget"); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("deleted story: %v, want ErrNotFound", err)
	}
	// The articles stay, out of the story.
	var got []string
	for _, a := range mustArticles(t, s) {
		got = append(got, a.ID+":"+strings.Join(a.Stories, ","))
	}
	if want := []string{"a:elections", "b:", "c:"}; !reflect.DeepEqual(got, want) {
		t.Errorf("articles after delete = %q, want %q", got, want)
	}
	if _, err := s.ChannelStory(ctx(t), sc1); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("a follow of the deleted story: %v, want ErrNotFound", err)
	}
	if st, err := s.ChannelStory(ctx(t), sc2); err != nil || st != "elections" {
		t.Errorf("another channel's follow = %q, %v; want elections", st, err)
	}
	wantFeeds := map[string]string{"budget": "", "elections": "elections", bot.DefaultStory: bot.DefaultStory}
	for st, f := range feeds {
		if got, err := s.Feed(ctx(t), f.ID); err != nil || got.Story != wantFeeds[st] {
			t.Errorf("feed of %s: story %q, %v; want %q", st, got.Story, err, wantFeeds[st])
		}
	}
	if ok, err := s.DeleteStory(ctx(t), "budget"); err != nil || ok {
		t.Errorf("second DeleteStory = %v, %v; want false", ok, err)
	}
	// Made again, the story starts empty.
	mustStory(t, s, "budget", "")
	if b, err := s.Article(ctx(t), "b"); err != nil || len(b.Stories) != 0 {
		t.Errorf("b in the re-made story: %q, %v", b.Stories, err)
	}
	// Deleting the default story's row drops only its title: feeds stay pinned.
	if _, err := s.PutStory(ctx(t), bot.Story{ID: bot.DefaultStory, Title: "Devices"}); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.DeleteStory(ctx(t), bot.DefaultStory); err != nil || !ok {
		t.Errorf("DeleteStory(default) = %v, %v; want true", ok, err)
	}
	if f, err := s.Feed(ctx(t), feeds[bot.DefaultStory].ID); err != nil || f.Story != bot.DefaultStory {
		t.Errorf("feed pinned to the default story: %q, %v", f.Story, err)
	}
}

func testChannelStory(t *testing.T, s bot.Store) {
	mustStory(t, s, "budget", "")
	mustStory(t, s, "elections", "")
	scopes := []bot.Scope{
		scope("slack", "TA", "C1"),
		scope("slack", "TB", "C1"), // same channel id, other team
		scope("discord", "TA", "C1"),
		scope("slack", "TA", "C2"),
	}
	check := func(step string, want ...string) {
		t.Helper()
		for i, sc := range scopes {
			got, err := s.ChannelStory(ctx(t), sc)
			if want[i] == "" && !errors.Is(err, bot.ErrNotFound) || want[i] != "" && (err != nil || got != want[i]) {
				t.Errorf("%s: ChannelStory(%v) = %q, %v; want %q", step, sc, got, err, want[i])
			}
		}
	}
	for i, st := range []string{"budget", "elections", "budget"} {
		if err := s.PutChannelStory(ctx(t), scopes[i], st); err != nil {
			t.Fatal(err)
		}
	}
	check("followed", "budget", "elections", "budget", "")
	if err := s.PutChannelStory(ctx(t), scopes[0], "elections"); err != nil {
		t.Fatal(err)
	}
	check("replaced", "elections", "elections", "budget", "")
	// Following the default story is following none.
	if err := s.PutChannelStory(ctx(t), scopes[1], bot.DefaultStory); err != nil {
		t.Fatal(err)
	}
	check("back to default", "elections", "", "budget", "")
	if err := s.PutChannelStory(ctx(t), scopes[2], "nope"); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("following an unknown story: %v, want ErrNotFound", err)
	}
	for _, bad := range []struct {
		sc    bot.Scope
		story string
	}{{scope("slack", "", "C1"), "budget"}, {bot.Scope{}, "budget"}, {scopes[3], "Budget"}, {scopes[3], ""}} {
		if err := s.PutChannelStory(ctx(t), bad.sc, bad.story); err == nil || errors.Is(err, bot.ErrNotFound) {
			t.Errorf("PutChannelStory(%+v, %q) = %v, want an error", bad.sc, bad.story, err)
		}
	}
	check("after refusals", "elections", "", "budget", "")
}

// runCorpusReplicas is RunReplicas's part for the corpus and the feeds.
func runCorpusReplicas(t *testing.T, open func(t *testing.T, n int) []bot.Store) {
	t.Run("AddArticleAcrossReplicas", func(t *testing.T) {
		stores := open(t, 3)
		wins := race(t, 21, func(i int) (bool, error) {
			_, added, err := stores[i%len(stores)].AddArticle(ctx(t), withURL(article(fmt.Sprintf("a%02d", i), fmt.Sprintf("Text %d.", i)), "https://example.com/same"))
			return added, err
		})
		if wins != 1 {
			t.Fatalf("got %d articles added across replicas, want 1", wins)
		}
		if as := mustArticles(t, stores[1]); len(as) != 1 {
			t.Errorf("another replica sees %d articles, want 1", len(as))
		}
	})
	t.Run("RevisionAcrossReplicas", func(t *testing.T) {
		stores := open(t, 2)
		r := mustRevision(t, stores[1])
		mustAdd(t, stores[0], article("a", "Text of a."))
		r2 := mustRevision(t, stores[1])
		got, err := stores[1].ArticlesAfter(ctx(t), r.N)
		if r2.N == r.N || !r2.OnlyAddedSince(r) || err != nil || articleIDs(got) != "a" {
			t.Errorf("after another replica's addition: %+v → %+v, ArticlesAfter = %q, %v; want a", r, r2, articleIDs(got), err)
		}
		if _, err := stores[0].AddCopy(ctx(t), "a", bot.Copy{URL: "https://mirror.example/a"}); err != nil {
			t.Fatal(err)
		}
		if r3 := mustRevision(t, stores[1]); r3.OnlyAddedSince(r2) {
			t.Errorf("after another replica's copy: %+v → %+v, want a rewrite", r2, r3)
		}
	})
	t.Run("ClaimFeedPollAcrossReplicas", func(t *testing.T) {
		stores := open(t, 3)
		f := mustFeed(t, stores[0], "https://example.com/feed.xml")
		wins := race(t, 21, func(i int) (bool, error) {
			return stores[i%len(stores)].ClaimFeedPoll(ctx(t), f.ID, t0, t0.Add(15*time.Minute))
		})
		if wins != 1 {
			t.Fatalf("got %d polls across replicas, want 1", wins)
		}
	})
	t.Run("ClaimFeedItemAcrossReplicas", func(t *testing.T) {
		stores := open(t, 3)
		f := mustFeed(t, stores[0], "https://example.com/feed.xml")
		wins := race(t, 21, func(i int) (bool, error) {
			return stores[i%len(stores)].ClaimFeedItem(ctx(t), f.ID, "guid-1", fmt.Sprintf("replica-%d", i), time.Hour)
		})
		if wins != 1 {
			t.Fatalf("got %d claims of one item across replicas, want 1", wins)
		}
	})
}
