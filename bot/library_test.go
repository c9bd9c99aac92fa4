package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/bot/bottest"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// The test story: a bridge, reported by three outlets, none of them on
// any list the engine has.
const (
	bridgeVote = "The city council approved the Harbour Bridge on Tuesday by seven votes to two. " +
		"The bridge will cost $340 million and open in 2031, the council said.\n\n" +
		"“This bridge will change how the east side lives,” said Aiyana Redcloud, the council’s engineer. " +
		"Opponents said the money should go to the ferry service, which carries 12,000 people a day.\n\n" +
		"Construction is due to begin next spring after a final review of the steel contract."
	bridgeGrant = "The state awarded a $120 million grant to the Harbour Bridge project on Wednesday. " +
		"The grant covers the eastern approach road and two new bus lanes.\n\n" +
		"State officials said the money came from the federal infrastructure fund. " +
		"“We waited a long time for this,” said Tomasz Wiśniewski, who chairs the transport committee.\n\n" +
		"The council must still sign the steel contract before the end of the year."
	bridgeUpdate = "The Harbour Bridge will now cost $430 million, up from $340 million, after steel prices rose sharply, the council said on Friday. " +
		"Officials blamed a late delivery from the mill in the north.\n\n" +
		"“We will not cut the bus lanes to save money,” said Nguyễn Thị Lan, who leads the works. " +
		"The opening date of 2031 stands, she added.\n\n" +
		"Councillors will vote on the higher budget next month."
)

var baseArticles = []briefs.Article{{
	ID: "ferry", Title: "Ferry timetable changes",
	Text: "The ferry service will add two morning crossings from March. The operator said demand grew by 8% last year.\n\nTickets will not change in price.",
}}

// fakeWeb serves pages and feeds from maps, as adapters/web would.
type fakeWeb struct {
	mu     sync.Mutex
	pages  map[string]bot.Page
	feeds  map[string]bot.FeedDoc
	failed map[string]error
	gets   map[string]int
}

func newFakeWeb() *fakeWeb {
	return &fakeWeb{pages: map[string]bot.Page{}, feeds: map[string]bot.FeedDoc{}, failed: map[string]error{}, gets: map[string]int{}}
}

func (w *fakeWeb) Page(ctx context.Context, url string) (bot.Page, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.gets[url]++
	if err := w.failed[url]; err != nil {
		return bot.Page{}, err
	}
	p, ok := w.pages[url]
	if !ok {
		return bot.Page{}, &bot.FetchError{URL: url, Reason: "the server answered 404 Not Found"}
	}
	if p.URL == "" {
		p.URL = url
	}
	return p, nil
}

func (w *fakeWeb) Feed(ctx context.Context, url, etag, lastModified string) (bot.FeedDoc, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.gets[url]++
	if err := w.failed[url]; err != nil {
		return bot.FeedDoc{}, err
	}
	f, ok := w.feeds[url]
	if !ok {
		return bot.FeedDoc{}, &bot.FetchError{URL: url, Reason: "not an RSS or Atom feed"}
	}
	if etag != "" && etag == f.ETag {
		return bot.FeedDoc{NotModified: true, ETag: etag}, nil
	}
	return f, nil
}

func (w *fakeWeb) count(url string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.gets[url]
}

func newLibrary(t *testing.T, st bot.Store) *bot.Library {
	t.Helper()
	lib, err := bot.NewLibrary(context.Background(), bot.LibraryConfig{Base: baseArticles, Store: st})
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

func stored(id, text string) bot.StoredArticle {
	return bot.StoredArticle{Article: briefs.Article{ID: id, Text: text}, Origin: bot.OriginFile}
}

func ids(arts []bot.StoredArticle) string {
	var out []string
	for _, a := range arts {
		out = append(out, a.ID)
	}
	return strings.Join(out, ",")
}

func TestLibraryIngestDedupe(t *testing.T) {
	ctx := context.Background()
	st := bottest.NewStore(nil)
	lib := newLibrary(t, st)
	tests := []struct {
		name       string
		a          bot.StoredArticle
		wantStatus string
		wantID     string
	}{
		{"new", stored("vote", bridgeVote), bot.IngestAdded, "vote"},
		{"same id", stored("vote", bridgeGrant), bot.IngestStored, "vote"},
		{"same text, other id", stored("vote-again", bridgeVote), bot.IngestStored, "vote"},
		{"syndicated copy under another headline", bot.StoredArticle{
			Article: briefs.Article{ID: "wire", Title: "Bridge gets green light", URL: "https://wire.example/bridge?utm_source=x", Source: "Wire Service",
				Text: strings.ReplaceAll(bridgeVote, "“", "\"")}, Origin: bot.OriginURL}, bot.IngestCopy, "vote"},
		{"another article", stored("grant", bridgeGrant), bot.IngestAdded, "grant"},
	}
	for _, tt := range tests {
		res, err := lib.Ingest(ctx, tt.a, "")
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if res.Status != tt.wantStatus || res.Article.ID != tt.wantID {
			t.Errorf("%s: got %s %s, want %s %s", tt.name, res.Status, res.Article.ID, tt.wantStatus, tt.wantID)
		}
	}
	if got, want := ids(lib.Articles(bot.DefaultStory)), "ferry,vote,grant"; got != want {
		t.Errorf("default story = %s, want %s", got, want)
	}
	a, _ := lib.Article("vote")
	if len(a.Copies) != 1 || a.Copies[0].URL != "https://wire.example/bridge" || a.Copies[0].Publication != "Wire Service" {
		t.Errorf("copies of vote = %+v, want the wire copy with its normalised URL", a.Copies)
	}
	c, err := lib.Corpus(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := len(c.Articles()); got != 3 {
		t.Errorf("corpus has %d articles, want 3 (a copy is no article)", got)
	}
	// A bad article changes nothing.
	before := lib.Version()
	if _, err := lib.Ingest(ctx, stored("empty", "   "), ""); err == nil {
		t.Error("an empty article was accepted")
	}
	if _, err := lib.Ingest(ctx, stored("x", bridgeUpdate), "no-such-story"); !errors.Is(err, bot.ErrUnknownStory) {
		t.Errorf("unknown story: err = %v, want ErrUnknownStory", err)
	}
	if lib.Version() != before {
		t.Error("refused ingests moved the revision")
	}
}

func TestLibraryStories(t *testing.T) {
	ctx := context.Background()
	st := bottest.NewStore(nil)
	lib := newLibrary(t, st)
	if _, err := lib.Ingest(ctx, stored("vote", bridgeVote), ""); err != nil {
		t.Fatal(err)
	}
	s, linked, err := lib.AddStory(ctx, bot.Story{ID: "bridge", Title: "The Harbour Bridge", Match: `harbour\s+bridge`})
	if err != nil || linked != 1 || s.ID != "bridge" {
		t.Fatalf("AddStory = %+v, %d, %v; want bridge with 1 linked", s, linked, err)
	}
	// A matching article joins the story (and only it); an explicit story wins.
	res, err := lib.Ingest(ctx, stored("grant", bridgeGrant), "")
	if err != nil || strings.Join(res.Stories, ",") != "bridge" {
		t.Fatalf("grant joined %v (%v), want [bridge]", res.Stories, err)
	}
	other := "The museum opens a new wing for Ottoman textiles on Sunday, its director said.\n\nEntry will be free for a month, the museum said in a statement on its website."
	if res, err := lib.Ingest(ctx, stored("museum", other), ""); err != nil || strings.Join(res.Stories, ",") != bot.DefaultStory {
		t.Fatalf("museum joined %v (%v), want [default]", res.Stories, err)
	}
	for _, tt := range []struct{ story, want string }{
		{bot.DefaultStory, "ferry,museum"},
		{"bridge", "vote,grant"},
	} {
		if got := ids(lib.Articles(tt.story)); got != tt.want {
			t.Errorf("story %s = %s, want %s", tt.story, got, tt.want)
		}
	}
	c, err := lib.Corpus(ctx, "bridge")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Brief(3).Title; got == "" {
		t.Error("the bridge story's brief has no title")
	}
	if _, err := lib.Corpus(ctx, "nope"); !errors.Is(err, bot.ErrUnknownStory) {
		t.Errorf("Corpus(nope) err = %v", err)
	}
	if _, _, err := lib.AddStory(ctx, bot.Story{ID: "empty", Title: "Nothing yet"}); err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Corpus(ctx, "empty"); !errors.Is(err, bot.ErrEmptyStory) {
		t.Errorf("Corpus(empty) err = %v, want ErrEmptyStory", err)
	}
	for _, bad := range []bot.Story{{ID: bot.DefaultStory, Title: "x"}, {ID: "bad", Title: "x", Match: "("}} {
		if _, _, err := lib.AddStory(ctx, bad); err == nil {
			t.Errorf("AddStory(%+v) accepted", bad)
		}
	}
	// Removing a story leaves its articles; those in no other story fall
	// back to the default one.
	if ok, err := lib.RemoveStory(ctx, "bridge"); !ok || err != nil {
		t.Fatalf("RemoveStory = %v, %v", ok, err)
	}
	if got, want := ids(lib.Articles(bot.DefaultStory)), "ferry,vote,grant,museum"; got != want {
		t.Errorf("after removing bridge, default = %s, want %s", got, want)
	}
}

// Two replicas over one store: what one ingests the other answers from
// after a refresh, incrementally for additions and in full after a
// removal; and the incremental corpus is the one a rebuild gives.
func TestLibraryLiveAcrossReplicas(t *testing.T) {
	ctx := context.Background()
	st := bottest.NewStore(nil)
	a, b := newLibrary(t, st), newLibrary(t, st)
	before, err := b.Corpus(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []bot.StoredArticle{stored("vote", bridgeVote), stored("grant", bridgeGrant)} {
		if _, err := a.Ingest(ctx, x, ""); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := b.Corpus(ctx, ""); err != nil || got != before {
		t.Fatal("b changed before it refreshed")
	}
	if err := b.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := b.Corpus(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	all := append(append([]briefs.Article{}, baseArticles...), briefs.Article{ID: "vote", Text: bridgeVote}, briefs.Article{ID: "grant", Text: bridgeGrant})
	want, err := briefs.New(all)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version() != want.Version() {
		t.Errorf("b's corpus version %s, want %s (a rebuild's)", got.Version(), want.Version())
	}
	if ans := got.Ask("How much will the Harbour Bridge cost?"); !ans.Answered || !strings.Contains(ans.Answer, "$340 million") {
		t.Errorf("b's answer after refresh = %+v", ans)
	}
	if ok, err := a.RemoveArticle(ctx, "vote"); !ok || err != nil {
		t.Fatalf("RemoveArticle = %v, %v", ok, err)
	}
	if err := b.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if got := ids(b.Articles("")); got != "ferry,grant" {
		t.Errorf("b after removal = %s, want ferry,grant", got)
	}
	if _, err := a.RemoveArticle(ctx, "ferry"); err == nil {
		t.Error("removing an embedded article was allowed")
	}
}

func TestLibraryIngestURL(t *testing.T) {
	ctx := context.Background()
	st := bottest.NewStore(nil)
	lib := newLibrary(t, st)
	w := newFakeWeb()
	w.pages["https://news.example/bridge"] = bot.Page{Title: "Bridge approved", Publication: "News Example", Published: "2026-11-03", Author: "A. Writer", Text: bridgeVote}
	res, err := lib.IngestURL(ctx, w, "HTTPS://News.Example:443/bridge#top", "", bot.OriginURL)
	if err != nil || res.Status != bot.IngestAdded {
		t.Fatalf("IngestURL = %+v, %v", res, err)
	}
	a := res.Article
	if a.URL != "https://news.example/bridge" || a.Origin != bot.OriginURL || a.Source != "News Example" || a.Published != "2026-11-03" || !strings.HasPrefix(a.ID, "bridge-approved-") {
		t.Errorf("stored %+v", a)
	}
	// The same URL, written differently, is not fetched again.
	res, err = lib.IngestURL(ctx, w, "https://news.example/bridge?utm_campaign=z&fbclid=1", "", bot.OriginURL)
	if err != nil || res.Status != bot.IngestStored || w.count("https://news.example/bridge") != 1 {
		t.Errorf("re-ingest = %+v, %v; fetched %d times", res, err, w.count("https://news.example/bridge"))
	}
	for _, tt := range []struct{ url, want string }{
		{"ftp://news.example/x", "http or https"},
		{"https://user:pw@news.example/x", "credentials"},
		{"https://news.example/missing", "404"},
	} {
		_, err := lib.IngestURL(ctx, w, tt.url, "", bot.OriginURL)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("IngestURL(%s) err = %v, want %q", tt.url, err, tt.want)
		}
	}
	if got := len(lib.Articles("")); got != 2 {
		t.Errorf("%d articles after refusals, want 2", got)
	}
}

// Feeds: the backlog is skipped unless backfilled, new items are ingested
// once whatever the number of pollers, a 304 changes nothing, and
// failures back the feed off.
func TestFeedPoller(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	clock := &fakeClock{t: now}
	st := bottest.NewStore(nil)
	w := newFakeWeb()
	const feedURL = "https://news.example/feed.xml"
	item := func(n int, text string) bot.FeedItem {
		u := fmt.Sprintf("https://news.example/%d", n)
		w.pages[u] = bot.Page{Title: fmt.Sprintf("Story %d", n), Publication: "News Example", Text: text}
		return bot.FeedItem{GUID: fmt.Sprintf("guid-%d", n), Link: u, Title: fmt.Sprintf("Story %d", n)}
	}
	museum := "The museum opens a new wing for Ottoman textiles on Sunday, its director said.\n\nEntry will be free for a month, the museum said in a statement on its website."
	w.feeds[feedURL] = bot.FeedDoc{ETag: `"v1"`, Items: []bot.FeedItem{item(3, bridgeGrant), item(2, museum), item(1, bridgeVote)}}

	libA, libB := newLibrary(t, st), newLibrary(t, st)
	pollers := []*bot.FeedPoller{
		bot.NewFeedPoller(bot.FeedPollerConfig{Library: libA, Fetcher: w, Store: st, Interval: time.Minute, Owner: "a", Clock: clock}),
		bot.NewFeedPoller(bot.FeedPollerConfig{Library: libB, Fetcher: w, Store: st, Interval: time.Minute, Owner: "b", Clock: clock}),
	}
	if _, _, err := pollers[0].Add(ctx, "https://news.example/nothing.xml", "", "", 0); err == nil {
		t.Error("a feed that is not there was added")
	}
	f, rep, err := pollers[0].Add(ctx, feedURL, "", `bridge`, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 1 || rep.Results[0].Article.Title != "Story 3" {
		t.Fatalf("backfill 1 ingested %+v, want Story 3 alone", rep.Results)
	}
	// A new item appears; both replicas poll when it is due.
	w.feeds[feedURL] = bot.FeedDoc{ETag: `"v2"`, Items: append([]bot.FeedItem{item(5, bridgeUpdate), item(4, museum+" Tours start at noon.")}, w.feeds[feedURL].Items...)}
	clock.add(2 * time.Minute)
	var wg sync.WaitGroup
	for _, p := range pollers {
		wg.Add(1)
		go func() { defer wg.Done(); p.PollDue(ctx) }()
	}
	wg.Wait()
	if got := w.count("https://news.example/5"); got != 1 {
		t.Errorf("new item fetched %d times, want 1", got)
	}
	if got := w.count("https://news.example/1"); got != 0 {
		t.Errorf("backlog item fetched %d times, want 0", got)
	}
	for _, l := range []*bot.Library{libA, libB} {
		if err := l.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if got, want := len(l.Articles(bot.DefaultStory)), 3; got != want { // ferry, Story 3, Story 5
			t.Errorf("default story has %d articles, want %d (the museum item does not match)", got, want)
		}
	}
	// Not modified: nothing fetched but the feed.
	clock.add(2 * time.Minute)
	rep, err = pollers[0].Poll(ctx, mustFeed(t, st, f.ID))
	if err != nil || !rep.Unchange {
		t.Errorf("poll of an unchanged feed = %+v, %v", rep, err)
	}
	// A failing feed backs off: its next poll moves further out.
	w.failed[feedURL] = errors.New("connection refused")
	var waits []time.Duration
	for i := 0; i < 3; i++ {
		fd := mustFeed(t, st, f.ID)
		if _, err := pollers[0].Poll(ctx, fd); err == nil {
			t.Fatal("poll of a failing feed succeeded")
		}
		fd = mustFeed(t, st, f.ID)
		waits = append(waits, fd.NextPoll.Sub(clock.Now()))
	}
	if !(waits[0] < waits[1] && waits[1] < waits[2]) {
		t.Errorf("backoff waits %v, want growing", waits)
	}
	if fd := mustFeed(t, st, f.ID); fd.Failures != 3 || fd.LastError == "" {
		t.Errorf("feed state %+v, want 3 failures with the error", fd)
	}
}

func mustFeed(t *testing.T, st bot.Store, id int64) bot.Feed {
	t.Helper()
	f, err := st.Feed(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
