package stories

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/postgres"
	"github.com/alexa-brief/alexa-brief/adapters/sqlite"
	"github.com/alexa-brief/alexa-brief/adapters/web"
	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
	"github.com/alexa-brief/alexa-brief/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// benchStory is the story of 10,000 generated articles.
const benchStory = "bench"

// storySize is a story a rig starts with: the embedded corpus alone (the
// default story), or the embedded corpus as the default story and 10,000
// generated articles in benchStory.
type storySize struct {
	name  string
	story string
	arts  func() []bot.StoredArticle
}

var (
	embeddedStory = storySize{name: "embedded", story: bot.DefaultStory, arts: func() []bot.StoredArticle { return nil }}
	tenKStory     = storySize{name: "10k", story: benchStory, arts: story10k}
)

// storeHandle is a store a replica opens.
type storeHandle interface {
	bot.Store
	Close() error
}

// replica is one bot process as far as stories go: its own store handle,
// library and feed poller.
type replica struct {
	name string
	st   storeHandle
	lib  *bot.Library
	poll *bot.FeedPoller
}

// rig is one or more replicas over one database, polling one feed of a
// newsSite.
type rig struct {
	site  *newsSite
	clk   *clock
	story string
	reps  []*replica
	feed  bot.Feed
	next  int // the next item's number
}

// timing is what one delivery took, from the items' publication.
type timing struct {
	polled   time.Duration // every replica's poll returned
	answered time.Duration // every replica answered from every item
	// The slowest replica's steps after the poll.
	refresh, corpus, ask time.Duration
}

// fill stores the story's articles through st.AddArticle, as a setup step.
func fill(tb testing.TB, st bot.Store, size storySize) {
	tb.Helper()
	ctx := context.Background()
	if size.story != bot.DefaultStory {
		if _, err := st.PutStory(ctx, bot.Story{ID: size.story, Title: "Device makers' year"}); err != nil {
			tb.Fatal(err)
		}
	}
	for _, a := range size.arts() {
		if _, added, err := st.AddArticle(ctx, a); err != nil || !added {
			tb.Fatalf("fill: %s: added %v, %v", a.ID, added, err)
		}
	}
}

func embedded(tb testing.TB) []briefs.Article {
	tb.Helper()
	base, err := briefs.EmbeddedArticles()
	if err != nil {
		tb.Fatal(err)
	}
	return base
}

// newRig opens one replica per store handle (all on one database, the
// first filled with size's articles), adds the site's feed (its three
// backlog items marked as seen) and builds every library's corpus of the
// story, as a replica serving requests has it.
func newRig(tb testing.TB, size storySize, stores []storeHandle) *rig {
	tb.Helper()
	ctx := context.Background()
	r := &rig{
		site:  newNewsSite(tb),
		clk:   &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)},
		story: size.story,
	}
	base := embedded(tb)
	start := time.Now()
	fill(tb, stores[0], size)
	filled := time.Since(start)
	for i, st := range stores {
		lib, err := bot.NewLibrary(ctx, bot.LibraryConfig{Base: base, Store: st})
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := lib.Corpus(ctx, r.story); err != nil {
			tb.Fatal(err)
		}
		name := fmt.Sprintf("replica-%d", i)
		p := bot.NewFeedPoller(bot.FeedPollerConfig{
			Library: lib, Fetcher: web.New(web.Options{AllowPrivate: true}), Store: st,
			Interval: bot.DefaultFeedInterval, Owner: name, Clock: r.clk,
		})
		r.reps = append(r.reps, &replica{name: name, st: st, lib: lib, poll: p})
	}
	for ; r.next < 3; r.next++ {
		r.site.publish(makeItem(r.next))
	}
	story := r.story
	if story == bot.DefaultStory {
		story = ""
	}
	f, rep, err := r.reps[0].poll.Add(ctx, r.site.feedURL(), story, "", 0)
	if err != nil {
		tb.Fatal(err)
	}
	if len(rep.Results) != 0 || rep.Items != 3 {
		tb.Fatalf("feed add: %d items, %d ingested; want a backlog of 3, none ingested", rep.Items, len(rep.Results))
	}
	r.feed = f
	tb.Logf("rig: %d replicas, story %s of %d stored articles (filled in %s, ready in %s)",
		len(stores), r.story, len(size.arts()), filled.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	return r
}

// sqliteRig is one replica on a SQLite file.
func sqliteRig(tb testing.TB, size storySize) *rig {
	tb.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "bot.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return newRig(tb, size, []storeHandle{st})
}

// postgresRig is n replicas on one PostgreSQL database (pgtest: skipped
// without PostgreSQL unless ALEXA_BRIEF_REQUIRE_POSTGRES=1).
func postgresRig(tb testing.TB, size storySize, n int) *rig {
	tb.Helper()
	url := pgtest.URL(tb)
	var stores []storeHandle
	for range n {
		st, err := postgres.Open(context.Background(), url)
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { st.Close() })
		stores = append(stores, st)
	}
	return newRig(tb, size, stores)
}

// How the replicas poll.
const (
	// viaPollDue: each replica runs PollDue, as FeedPoller.Run does; the
	// store's poll claim lets one of them poll the feed.
	viaPollDue = "PollDue"
	// viaPoll: every replica polls the feed at once (Poll, no poll claim),
	// so only the item claims keep an item from being fetched twice.
	viaPoll = "Poll"
)

// deliver publishes the next k items at once and times them to every
// replica's answers: all replicas poll (concurrently, by mode), then each,
// concurrently, refreshes its library when there are several (the refresh
// another replica's Watch does), builds the story's corpus and asks each
// item's question. It fails tb unless every replica answers every question
// citing its item's article and each item's page was fetched exactly once.
func (r *rig) deliver(tb testing.TB, mode string, k int) timing {
	tb.Helper()
	ctx := context.Background()
	var items []newsItem
	var links []string
	for range k {
		it := makeItem(r.next)
		r.next++
		link, err := bot.NormalizeURL(r.site.link(it.n))
		if err != nil {
			tb.Fatal(err)
		}
		items, links = append(items, it), append(links, link)
	}

	t0 := time.Now()
	for _, it := range items {
		r.site.publish(it)
	}
	r.clk.advance(bot.DefaultFeedInterval)
	polled := make([]int, len(r.reps))
	var wg sync.WaitGroup
	for i, rp := range r.reps {
		wg.Go(func() {
			switch mode {
			case viaPollDue:
				polled[i] = rp.poll.PollDue(ctx)
			case viaPoll:
				f, err := rp.st.Feed(ctx, r.feed.ID)
				if err != nil {
					tb.Errorf("%s: feed: %v", rp.name, err)
					return
				}
				if _, err := rp.poll.Poll(ctx, f); err != nil {
					tb.Errorf("%s: poll: %v", rp.name, err)
				}
				polled[i] = 1
			}
		})
	}
	wg.Wait()
	var tm timing
	tm.polled = time.Since(t0)

	answers := make([][]briefs.Answer, len(r.reps))
	errs := make([]error, len(r.reps))
	at := make([]time.Duration, len(r.reps))
	steps := make([][3]time.Duration, len(r.reps))
	for i, rp := range r.reps {
		wg.Go(func() {
			t := time.Now()
			if len(r.reps) > 1 {
				if errs[i] = rp.lib.Refresh(ctx); errs[i] != nil {
					return
				}
			}
			steps[i][0], t = time.Since(t), time.Now()
			c, err := rp.lib.Corpus(ctx, r.story)
			if err != nil {
				errs[i] = err
				return
			}
			steps[i][1], t = time.Since(t), time.Now()
			for _, it := range items {
				answers[i] = append(answers[i], c.Ask(it.question))
			}
			steps[i][2] = time.Since(t)
			at[i] = time.Since(t0)
		})
	}
	wg.Wait()
	tm.answered = slices.Max(at)
	for _, s := range steps {
		tm.refresh, tm.corpus, tm.ask = max(tm.refresh, s[0]), max(tm.corpus, s[1]), max(tm.ask, s[2])
	}

	if n := sum(polled); n != 1 && mode == viaPollDue {
		tb.Fatalf("%d replicas polled the due feed, want 1", n)
	}
	for i, rp := range r.reps {
		if errs[i] != nil {
			tb.Fatalf("%s: %v", rp.name, errs[i])
		}
		for j, it := range items {
			if !cites(rp.lib, answers[i][j], links[j]) {
				tb.Fatalf("item %d: %s: %q got %+v, want an answer citing %s", it.n, rp.name, it.question, answers[i][j], links[j])
			}
		}
	}
	for _, it := range items {
		if n := r.site.gets(it.n); n != 1 {
			tb.Fatalf("item %d: page fetched %d times across %d replicas, want exactly once", it.n, n, len(r.reps))
		}
		e, err := r.reps[0].st.FeedItem(ctx, r.feed.ID, fmt.Sprintf("bench-gazette-%d", it.n))
		if err != nil || e.State != bot.FeedItemStored || e.ArticleID == "" || e.Attempts != 1 {
			tb.Fatalf("item %d: ledger %+v, %v; want stored once", it.n, e, err)
		}
	}
	return tm
}

// cites reports whether a answers and cites the article at url.
func cites(lib *bot.Library, a briefs.Answer, url string) bool {
	if !a.Answered {
		return false
	}
	for _, c := range a.Citations {
		if sa, ok := lib.Article(c.Source); ok && sa.URL == url {
			return true
		}
	}
	return false
}

// settle waits for what updates set off in the background (see
// background), then makes sure each library's corpus of the story has its
// brief, as the warm-up leaves it, and returns what it waited for.
func (r *rig) settle(tb testing.TB) bg {
	tb.Helper()
	out := background()
	t0 := time.Now()
	for _, rp := range r.reps {
		settleLib(tb, rp.lib, r.story)
	}
	out.brief = time.Since(t0)
	return out
}

// quiet is settle for one library.
func quiet(tb testing.TB, lib *bot.Library, story string) bg {
	tb.Helper()
	out := background()
	t0 := time.Now()
	settleLib(tb, lib, story)
	out.brief = time.Since(t0)
	return out
}

// settleLib builds the corpus and brief of the story and of the default
// story, or waits for a warm-up building them: Brief's sync.Once makes the
// call wait for one in progress.
func settleLib(tb testing.TB, lib *bot.Library, story string) {
	tb.Helper()
	for _, s := range []string{story, bot.DefaultStory} {
		c, err := lib.Corpus(context.Background(), s)
		if err != nil {
			tb.Fatal(err)
		}
		c.Brief(0)
	}
}

// bg is what updates did in the background, as background measured it.
type bg struct {
	wall, cpu time.Duration
	peak      uint64 // the largest heap seen meanwhile
	most      int    // the most background goroutines seen at once
	// brief is how long the story's brief took once the background work
	// was done: zero when the warm-up had left it ready, the whole
	// Brief when it had not (what the first "brief" request would wait).
	brief time.Duration
}

// background waits until no goroutine an update started is left: those
// bot.Library.install creates (its warm-up of the stories in use, corpus
// and brief), found by their stacks. It samples the heap meanwhile. It
// never fails on time: a warm-up that does not end is reported by the
// test's -timeout.
func background() bg {
	t0 := time.Now()
	c0, _ := cpuTime()
	var out bg
	for {
		n := updateGoroutines()
		out.peak = max(out.peak, heap())
		out.most = max(out.most, n)
		if n == 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	out.wall = time.Since(t0)
	if c1, ok := cpuTime(); ok {
		out.cpu = c1 - c0
	}
	return out
}

// updateGoroutines counts the goroutines created by bot.Library.install.
func updateGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "created by github.com/alexa-brief/alexa-brief/bot.(*Library).install ") {
			n++
		}
	}
	return n
}

// heap is the bytes of heap objects, live or not yet collected.
func heap() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}
