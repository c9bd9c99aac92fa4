package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// The stored corpus: articles, memberships, copies and the revision.

func article(id, text string) bot.StoredArticle {
	return bot.StoredArticle{Article: briefs.Article{ID: id, Title: "Title of " + id, Text: text}, Origin: bot.OriginFile}
}

func withURL(a bot.StoredArticle, url string) bot.StoredArticle { a.URL = url; return a }

func inStories(a bot.StoredArticle, stories ...string) bot.StoredArticle {
	a.Stories = stories
	return a
}

func mustAdd(t *testing.T, s bot.Store, a bot.StoredArticle) bot.StoredArticle {
	t.Helper()
	got, added, err := s.AddArticle(ctx(t), a)
	if err != nil || !added {
		t.Fatalf("AddArticle(%s) = %v, %v; want added", a.ID, added, err)
	}
	return got
}

func mustStory(t *testing.T, s bot.Store, id, match string) bot.Story {
	t.Helper()
	st, err := s.PutStory(ctx(t), bot.Story{ID: id, Title: "Story " + id, Match: match})
	if err != nil {
		t.Fatalf("PutStory(%s): %v", id, err)
	}
	return st
}

func mustRevision(t *testing.T, s bot.Store) bot.Revision {
	t.Helper()
	r, err := s.Revision(ctx(t))
	if err != nil {
		t.Fatalf("Revision: %v", err)
	}
	return r
}

func mustArticles(t *testing.T, s bot.Store) []bot.StoredArticle {
	t.Helper()
	as, err := s.Articles(ctx(t))
	if err != nil {
		t.Fatalf("Articles: %v", err)
	}
	return as
}

// articleIDs lists the ids, "" for none, so that nil and empty compare equal.
func articleIDs(as []bot.StoredArticle) string {
	ids := make([]string, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	return strings.Join(ids, " ")
}

// aboutNow checks a store-set time: UTC, whole seconds, within the test.
func aboutNow(t *testing.T, what string, got, before time.Time) {
	t.Helper()
	if got.Location() != time.UTC || got.Nanosecond() != 0 || got.Before(before.Truncate(time.Second)) || got.After(time.Now().Add(time.Second)) {
		t.Errorf("%s = %v, want now in UTC at second precision", what, got)
	}
}

func testArticleRoundTrip(t *testing.T, s bot.Store) {
	mustStory(t, s, "elections", "")
	mustStory(t, s, "budget", "")
	before := time.Now()
	in := bot.StoredArticle{
		Article: briefs.Article{ID: "a1", Title: "The council votes", Source: "Example News", URL: "https://example.com/a1",
			Published: "2026-01-02", Author: "A. Writer", Text: "The council voted on Tuesday. “We are ready,” said the mayor."},
		Origin:  bot.OriginURL,
		Stories: []string{"elections", "budget", "elections"},
		Copies: []bot.Copy{
			{URL: "https://mirror.example/a1", Publication: "Mirror"},
			{URL: "https://mirror.example/a1", Publication: "Mirror again"}, // once per URL
			{URL: "https://example.com/a1", Publication: "Itself"},          // not a copy
			{URL: "https://wire.example/a1", Publication: "Wire"},
		},
		Seq: 99, AddedAt: time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC), // the store's to set
	}
	got, added, err := s.AddArticle(ctx(t), in)
	if err != nil || !added {
		t.Fatalf("AddArticle = %v, %v; want added", added, err)
	}
	if got.Seq <= 0 {
		t.Errorf("Seq = %d, want > 0", got.Seq)
	}
	aboutNow(t, "AddedAt", got.AddedAt, before)
	want := in
	want.Seq, want.AddedAt = got.Seq, got.AddedAt
	want.Stories = []string{"budget", "elections"}
	want.Copies = []bot.Copy{
		{URL: "https://mirror.example/a1", Publication: "Mirror", AddedAt: got.AddedAt},
		{URL: "https://wire.example/a1", Publication: "Wire", AddedAt: got.AddedAt},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("AddArticle returned\n %+v\nwant %+v", got, want)
	}
	reads := []struct {
		name string
		read func() (bot.StoredArticle, error)
	}{
		{"Article", func() (bot.StoredArticle, error) { return s.Article(ctx(t), "a1") }},
		{"ArticleByURL", func() (bot.StoredArticle, error) { return s.ArticleByURL(ctx(t), "https://example.com/a1") }},
		{"ArticleByURL of a copy", func() (bot.StoredArticle, error) { return s.ArticleByURL(ctx(t), "https://wire.example/a1") }},
		{"Articles", func() (bot.StoredArticle, error) {
			as, err := s.Articles(ctx(t))
			if len(as) != 1 {
				return bot.StoredArticle{}, fmt.Errorf("%d articles, %v", len(as), err)
			}
			return as[0], err
		}},
	}
	for _, r := range reads {
		if got, err := r.read(); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %+v, %v; want %+v", r.name, got, err, want)
		}
	}
	for _, miss := range []func() (bot.StoredArticle, error){
		func() (bot.StoredArticle, error) { return s.Article(ctx(t), "a2") },
		func() (bot.StoredArticle, error) { return s.ArticleByURL(ctx(t), "https://example.com/none") },
		func() (bot.StoredArticle, error) { return s.ArticleByURL(ctx(t), "") },
	} {
		if got, err := miss(); !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("missing article: got %+v, %v; want ErrNotFound", got.ID, err)
		}
	}
	for i, origin := range []string{bot.OriginEmbedded, bot.OriginFile, bot.OriginFeed} {
		a := article(fmt.Sprintf("o%d", i), "Origin "+origin+".")
		a.Origin = origin
		mustAdd(t, s, a)
		if got, err := s.Article(ctx(t), a.ID); err != nil || got.Origin != origin {
			t.Errorf("origin %s read back as %q, %v", origin, got.Origin, err)
		}
	}
}

func testArticleDuplicates(t *testing.T, s bot.Store) {
	a := withURL(article("a", "Text of a."), "https://example.com/a")
	a.Copies = []bot.Copy{{URL: "https://mirror.example/a", Publication: "Mirror"}}
	mustAdd(t, s, a)
	mustAdd(t, s, withURL(article("b", "Text of b."), "https://example.com/b"))
	stored := map[string]bot.StoredArticle{}
	for _, id := range []string{"a", "b"} {
		got, err := s.Article(ctx(t), id)
		if err != nil {
			t.Fatal(err)
		}
		stored[id] = got
	}
	rev := mustRevision(t, s)
	tests := []struct {
		name string
		in   bot.StoredArticle
		want string // the id of the article it duplicates
	}{
		{"same id", article("a", "Other text."), "a"},
		{"same URL", withURL(article("c", "Other text."), "https://example.com/a"), "a"},
		{"a copy's URL", withURL(article("c", "Other text."), "https://mirror.example/a"), "a"},
		{"same text", article("c", "Text of a."), "a"},
		{"id before URL", withURL(article("a", "Other text."), "https://example.com/b"), "a"},
		{"URL before text", withURL(article("c", "Text of a."), "https://example.com/b"), "b"},
		{"copy URL before text", withURL(article("c", "Text of b."), "https://mirror.example/a"), "a"},
		{"duplicate in other stories", inStories(article("c", "Text of b."), bot.DefaultStory), "b"},
	}
	for _, tt := range tests {
		got, added, err := s.AddArticle(ctx(t), tt.in)
		if err != nil || added || !reflect.DeepEqual(got, stored[tt.want]) {
			t.Errorf("%s: AddArticle = %s, %v, %v; want the stored %s, false", tt.name, got.ID, added, err, tt.want)
		}
	}
	if got := mustRevision(t, s); got != rev {
		t.Errorf("refused duplicates moved the revision from %+v to %+v", rev, got)
	}
	if got := articleIDs(mustArticles(t, s)); got != "a b" {
		t.Errorf("Articles = %q, want %q", got, "a b")
	}
	// An empty URL is no URL: two articles without one are both stored.
	mustAdd(t, s, article("c", "Text of c."))
	mustAdd(t, s, article("d", "Text of d."))
}

func testArticleBadInput(t *testing.T, s bot.Store) {
	mustStory(t, s, "budget", "")
	rev := mustRevision(t, s)
	noOrigin := article("x", "x")
	noOrigin.Origin = ""
	webOrigin := article("x", "x")
	webOrigin.Origin = "web"
	noCopyURL := article("x", "x")
	noCopyURL.Copies = []bot.Copy{{Publication: "Mirror"}}
	tests := []struct {
		name     string
		in       bot.StoredArticle
		notFound bool
	}{
		{"no id", article("", "x"), false},
		{"no origin", noOrigin, false},
		{"unknown origin", webOrigin, false},
		{"story id not a slug", inStories(article("x", "x"), "Budget"), false},
		{"default beside another story", inStories(article("x", "x"), bot.DefaultStory, "budget"), false},
		{"copy without URL", noCopyURL, false},
		{"unknown story", inStories(article("x", "x"), "budget", "nope"), true},
	}
	for _, tt := range tests {
		_, added, err := s.AddArticle(ctx(t), tt.in)
		if err == nil || added || errors.Is(err, bot.ErrNotFound) != tt.notFound {
			t.Errorf("%s: AddArticle = %v, %v; want an error (ErrNotFound: %v)", tt.name, added, err, tt.notFound)
		}
	}
	if as := mustArticles(t, s); len(as) != 0 {
		t.Errorf("refused articles were stored: %s", articleIDs(as))
	}
	if got := mustRevision(t, s); got != rev {
		t.Errorf("refused articles moved the revision from %+v to %+v", rev, got)
	}
	// [DefaultStory] alone is the same as no story.
	got := mustAdd(t, s, inStories(article("x", "x"), bot.DefaultStory))
	read, err := s.Article(ctx(t), "x")
	if err != nil || len(got.Stories) != 0 || len(read.Stories) != 0 {
		t.Errorf("article in the default story: stories %q, read back %q, %v; want none", got.Stories, read.Stories, err)
	}
}

func testArticleConcurrent(t *testing.T, s bot.Store) {
	// Twenty ingests of one URL at once: one article, and every caller is
	// told which.
	var mu sync.Mutex
	returned := map[string]int{}
	wins := race(t, 20, func(i int) (bool, error) {
		got, added, err := s.AddArticle(ctx(t), withURL(article(fmt.Sprintf("a%02d", i), fmt.Sprintf("Text %d.", i)), "https://example.com/same"))
		mu.Lock()
		returned[got.ID]++
		mu.Unlock()
		return added, err
	})
	as := mustArticles(t, s)
	if wins != 1 || len(as) != 1 || returned[as[0].ID] != 20 {
		t.Errorf("%d added, %d stored (%s), callers told %v; want 1, and all 20 told its id", wins, len(as), articleIDs(as), returned)
	}
	if r := mustRevision(t, s); r.N != 1 || r.Rewritten != 0 {
		t.Errorf("Revision = %+v, want one addition", r)
	}
}

func testCopies(t *testing.T, s bot.Store) {
	mustAdd(t, s, withURL(article("a", "Text of a."), "https://example.com/a"))
	rev := mustRevision(t, s)
	before := time.Now()
	steps := []struct {
		name      string
		articleID string
		c         bot.Copy
		want      bool
		notFound  bool
	}{
		{"new", "a", bot.Copy{URL: "https://wire.example/a", Publication: "Wire"}, true, false},
		{"another", "a", bot.Copy{URL: "https://mirror.example/a", Publication: "Mirror"}, true, false},
		{"same URL again", "a", bot.Copy{URL: "https://wire.example/a", Publication: "Other"}, false, false},
		{"the article's own URL", "a", bot.Copy{URL: "https://example.com/a"}, false, false},
		{"unknown article", "nope", bot.Copy{URL: "https://x.example/"}, false, true},
	}
	for _, st := range steps {
		got, err := s.AddCopy(ctx(t), st.articleID, st.c)
		if got != st.want || (err != nil) != st.notFound || st.notFound && !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("%s: AddCopy = %v, %v; want %v (ErrNotFound: %v)", st.name, got, err, st.want, st.notFound)
		}
	}
	if ok, err := s.AddCopy(ctx(t), "a", bot.Copy{Publication: "No URL"}); ok || err == nil || errors.Is(err, bot.ErrNotFound) {
		t.Errorf("copy without a URL: %v, %v; want an error", ok, err)
	}
	a, err := s.Article(ctx(t), "a")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range a.Copies {
		got = append(got, c.URL+" "+c.Publication)
		aboutNow(t, "copy AddedAt", c.AddedAt, before)
	}
	if want := []string{"https://wire.example/a Wire", "https://mirror.example/a Mirror"}; !reflect.DeepEqual(got, want) {
		t.Errorf("copies = %q, want %q (in the order added)", got, want)
	}
	if r := mustRevision(t, s); r.N != rev.N+2 || r.Rewritten != r.N {
		t.Errorf("after two copies Revision = %+v, want two rewrites after %+v", r, rev)
	}
	// A copy's URL is a stored URL.
	if got, err := s.ArticleByURL(ctx(t), "https://mirror.example/a"); err != nil || got.ID != "a" {
		t.Errorf("ArticleByURL(copy) = %s, %v; want a", got.ID, err)
	}
	if got, added, err := s.AddArticle(ctx(t), withURL(article("b", "Text of b."), "https://mirror.example/a")); err != nil || added || got.ID != "a" {
		t.Errorf("AddArticle at a copy's URL = %s, %v, %v; want a, false", got.ID, added, err)
	}
}

func testRemoveArticle(t *testing.T, s bot.Store) {
	mustStory(t, s, "budget", "")
	a := inStories(withURL(article("a", "Text of a."), "https://example.com/a"), "budget")
	a.Copies = []bot.Copy{{URL: "https://mirror.example/a"}}
	mustAdd(t, s, a)
	b := mustAdd(t, s, inStories(article("b", "Text of b."), "budget"))
	if ok, err := s.RemoveArticle(ctx(t), "a"); err != nil || !ok {
		t.Fatalf("RemoveArticle = %v, %v; want true", ok, err)
	}
	for _, url := range []string{"https://example.com/a", "https://mirror.example/a"} {
		if _, err := s.ArticleByURL(ctx(t), url); !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("ArticleByURL(%s) after removal: %v, want ErrNotFound", url, err)
		}
	}
	if _, err := s.Article(ctx(t), "a"); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("Article after removal: %v, want ErrNotFound", err)
	}
	if ok, err := s.RemoveArticle(ctx(t), "a"); err != nil || ok {
		t.Errorf("second RemoveArticle = %v, %v; want false", ok, err)
	}
	if got := mustArticles(t, s); len(got) != 1 || !reflect.DeepEqual(got[0], b) {
		t.Errorf("Articles = %s, want b untouched", articleIDs(got))
	}
	// Its memberships and copies went with it: added again, it starts bare.
	again := mustAdd(t, s, bot.StoredArticle{Article: a.Article, Origin: bot.OriginURL})
	read, err := s.Article(ctx(t), "a")
	if err != nil || len(read.Stories) != 0 || len(read.Copies) != 0 || again.Seq <= b.Seq {
		t.Errorf("re-added article: %+v, %v; want no stories, no copies, a new seq", read, err)
	}
}

func testArticlesAfter(t *testing.T, s bot.Store) {
	var added []bot.StoredArticle
	for i := range 5 {
		added = append(added, mustAdd(t, s, article(fmt.Sprintf("a%d", i), fmt.Sprintf("Text %d.", i))))
		if i > 0 && added[i].Seq <= added[i-1].Seq {
			t.Errorf("seq %d after %d, want increasing", added[i].Seq, added[i-1].Seq)
		}
	}
	if all := mustArticles(t, s); !reflect.DeepEqual(all, added) {
		t.Errorf("Articles = %s, want %s as added", articleIDs(all), articleIDs(added))
	}
	tests := []struct {
		after int64
		want  string
	}{
		{0, "a0 a1 a2 a3 a4"},
		{added[1].Seq, "a2 a3 a4"},
		{added[4].Seq, ""},
	}
	for _, tt := range tests {
		got, err := s.ArticlesAfter(ctx(t), tt.after)
		if err != nil || articleIDs(got) != tt.want {
			t.Errorf("ArticlesAfter(%d) = %q, %v; want %q", tt.after, articleIDs(got), err, tt.want)
		}
	}
	// Removing the newest does not free its seq for the next article.
	if _, err := s.RemoveArticle(ctx(t), "a4"); err != nil {
		t.Fatal(err)
	}
	next := mustAdd(t, s, article("a5", "Text 5."))
	if next.Seq <= added[4].Seq {
		t.Errorf("seq %d after a removed %d, want a new one", next.Seq, added[4].Seq)
	}
	if got, err := s.ArticlesAfter(ctx(t), added[3].Seq); err != nil || articleIDs(got) != "a5" {
		t.Errorf("ArticlesAfter(%d) = %q, %v; want a5", added[3].Seq, articleIDs(got), err)
	}
	// A seq is the revision its addition took.
	if r := mustRevision(t, s); r.N != next.Seq {
		t.Errorf("Revision %+v after adding seq %d, want N = the seq", r, next.Seq)
	}
}

func testRevision(t *testing.T, s bot.Store) {
	if r := mustRevision(t, s); r != (bot.Revision{}) {
		t.Errorf("a fresh store is at %+v, want zero", r)
	}
	const (
		unchanged = iota
		added
		rewrote
	)
	a := withURL(article("a", "Text of a."), "https://example.com/a")
	read := func() error {
		_, err1 := s.Articles(ctx(t))
		_, err2 := s.ArticlesAfter(ctx(t), 0)
		_, err3 := s.Stories(ctx(t))
		s.Article(ctx(t), "a") // found or not, a read
		s.ArticleByURL(ctx(t), "https://example.com/a")
		s.Story(ctx(t), "budget")
		return errors.Join(err1, err2, err3)
	}
	add := func(a bot.StoredArticle) func() error {
		return func() error { _, _, err := s.AddArticle(ctx(t), a); return err }
	}
	put := func(st bot.Story) func() error {
		return func() error { _, err := s.PutStory(ctx(t), st); return err }
	}
	steps := []struct {
		name string
		do   func() error
		want int
	}{
		{"reads", read, unchanged},
		{"add an article", add(a), added},
		{"a refused duplicate", add(a), unchanged},
		{"a refused bad article", func() error { s.AddArticle(ctx(t), article("", "x")); return nil }, unchanged},
		{"put a story", put(bot.Story{ID: "budget", Title: "Budget"}), rewrote},
		{"put it unchanged", put(bot.Story{ID: "budget", Title: "Budget"}), unchanged},
		{"retitle it", put(bot.Story{ID: "budget", Title: "The budget"}), rewrote},
		{"add an article to it", add(inStories(article("b", "Text of b."), "budget")), added},
		{"link an article", func() error { return s.LinkArticle(ctx(t), "a", "budget") }, rewrote},
		{"link it again", func() error { return s.LinkArticle(ctx(t), "a", "budget") }, unchanged},
		{"add a copy", func() error { _, err := s.AddCopy(ctx(t), "a", bot.Copy{URL: "https://m.example/a"}); return err }, rewrote},
		{"add it again", func() error { _, err := s.AddCopy(ctx(t), "a", bot.Copy{URL: "https://m.example/a"}); return err }, unchanged},
		{"follow a story", func() error { return s.PutChannelStory(ctx(t), scope("slack", "T1", "C1"), "budget") }, unchanged},
		{"add a feed", func() error { _, err := s.PutFeed(ctx(t), bot.Feed{URL: "https://example.com/feed"}); return err }, unchanged},
		{"reads again", read, unchanged},
		{"remove an article", func() error { _, err := s.RemoveArticle(ctx(t), "b"); return err }, rewrote},
		{"remove a missing one", func() error { _, err := s.RemoveArticle(ctx(t), "b"); return err }, unchanged},
		{"delete a story", func() error { _, err := s.DeleteStory(ctx(t), "budget"); return err }, rewrote},
		{"delete a missing one", func() error { _, err := s.DeleteStory(ctx(t), "budget"); return err }, unchanged},
		{"add after rewrites", add(article("c", "Text of c.")), added},
	}
	prev := mustRevision(t, s)
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		got := mustRevision(t, s)
		want := prev
		switch st.want {
		case added:
			want.N++
		case rewrote:
			want.N++
			want.Rewritten = want.N
		}
		if got != want {
			t.Errorf("%s: Revision %+v → %+v, want %+v", st.name, prev, got, want)
		}
		if only := got.OnlyAddedSince(prev); only != (st.want != rewrote) {
			t.Errorf("%s: OnlyAddedSince = %v, want %v", st.name, only, st.want != rewrote)
		}
		prev = got
	}
}
