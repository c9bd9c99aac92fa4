package bot_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/sqlite"
	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/bot/bottest"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// stores lists the real stores every ledger test runs against, plus the
// in-memory double for speed. PostgreSQL joins in scheduler_pg_test.go.
var ledgerStores = map[string]func(t *testing.T) bot.Store{
	"memory": func(t *testing.T) bot.Store { return bottest.NewStore(nil) },
	"sqlite": func(t *testing.T) bot.Store {
		st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "ledger.db"))
		if err != nil {
			t.Fatalf("sqlite.Open: %v", err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	},
}

// eachStore runs f against every store. Real-store-only tests skip memory.
func eachLedgerStore(t *testing.T, f func(t *testing.T, st bot.Store)) {
	for name, open := range ledgerStores {
		t.Run(name, func(t *testing.T) { f(t, open(t)) })
	}
}

// post is one message the fake platform received.
type fakePost struct {
	Scope bot.Scope
	Key   string
	ID    string
	Reply bot.Reply
	At    time.Time
}

// platform is a fake chat platform shared by several schedulers: it keeps
// every post, so duplicates and losses are visible, and finds posts by key
// like Slack metadata or a Discord nonce.
type fakePlatform struct {
	mu    sync.Mutex
	posts []fakePost
	fail  error         // every Post fails with it
	block chan struct{} // when set, Post waits for it to close
	// started is signalled when a Post begins (buffered, never blocks).
	started chan struct{}
}

func newFakePlatform() *fakePlatform { return &fakePlatform{started: make(chan struct{}, 1000)} }

func (p *fakePlatform) Post(ctx context.Context, sc bot.Scope, r bot.Reply, key string) (string, error) {
	select {
	case p.started <- struct{}{}:
	default:
	}
	if p.block != nil {
		<-p.block
	}
	if p.fail != nil {
		return "", p.fail
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	id := fmt.Sprintf("m%d", len(p.posts)+1)
	p.posts = append(p.posts, fakePost{Scope: sc, Key: key, ID: id, Reply: r, At: time.Now()})
	return id, nil
}

func (p *fakePlatform) byKey() map[string][]fakePost {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string][]fakePost{}
	for _, x := range p.posts {
		out[x.Key] = append(out[x.Key], x)
	}
	return out
}

func (p *fakePlatform) all() []fakePost {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]fakePost(nil), p.posts...)
}

// finder is a platform that can also find earlier posts.
type fakeFinder struct{ *fakePlatform }

func (f fakeFinder) FindPost(ctx context.Context, sc bot.Scope, key string, since time.Time) (string, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, x := range f.posts {
		if x.Scope == sc && x.Key == key {
			return x.ID, true, nil
		}
	}
	return "", false, nil
}

// dyingStore records nothing after a post: the process "died" between
// posting and recording.
type dyingStore struct{ bot.Store }

func (dyingStore) FinishSlot(ctx context.Context, d bot.Delivery) error {
	return errors.New("process died")
}

func schedCorpus(t testing.TB) *briefs.Corpus {
	t.Helper()
	c, err := briefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func addSub(t testing.TB, st bot.Store, sc bot.Scope, spec string, created time.Time, onlyNew bool) bot.Subscription {
	t.Helper()
	s, err := bot.ParseSchedule(spec, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := st.PutSubscription(context.Background(), bot.Subscription{Scope: sc, Schedule: s.Spec(), CreatedAt: created, OnlyNew: onlyNew, CreatedBy: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

func newTestScheduler(st bot.Store, b *bot.Bot, p bot.Poster, owner string, lease time.Duration) *bot.Scheduler {
	return bot.NewScheduler(bot.SchedulerConfig{
		Store:   st,
		Posters: map[string]bot.Poster{bot.PlatformSlack: p},
		Bot:     b,
		Catchup: 6 * time.Hour,
		Lease:   lease,
		Owner:   owner,
		Workers: 8,
	})
}

func digestScope(i int) bot.Scope {
	return bot.Scope{Platform: bot.PlatformSlack, Team: "T1", Channel: fmt.Sprintf("C%03d", i)}
}

var digestDay1 = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

func TestSlotKey(t *testing.T) {
	if got, want := bot.SlotKey(42, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), "sub42-1772442000"; got != want {
		t.Errorf("SlotKey = %q, want %q", got, want)
	}
}

// Several schedulers, one store, the same instant: every slot is posted
// exactly once, and a repeated pass posts nothing.
func TestSchedulerExactlyOnceConcurrent(t *testing.T) {
	eachLedgerStore(t, func(t *testing.T, st bot.Store) {
		const subs, replicas = 40, 4
		for i := range subs {
			addSub(t, st, digestScope(i), "daily 09:00", digestDay1, false)
		}
		b := bot.New(bot.Config{Corpus: schedCorpus(t)})
		p := fakeFinder{newFakePlatform()}
		now := digestDay1.Add(9*time.Hour + 5*time.Second)
		var wg sync.WaitGroup
		sums := make([]bot.PassSummary, replicas)
		for r := range replicas {
			wg.Go(func() {
				s := newTestScheduler(st, b, p, fmt.Sprintf("replica-%d", r), time.Minute)
				sum, err := s.RunOnce(context.Background(), now)
				if err != nil {
					t.Errorf("replica %d: %v", r, err)
				}
				sums[r] = sum
			})
		}
		wg.Wait()
		var total bot.PassSummary
		for _, s := range sums {
			total.Posted += s.Posted
			total.Already += s.Already
			total.Due += s.Due
		}
		if got, want := total.Posted, subs; got != want {
			t.Errorf("posted = %d, want %d (summaries %v)", got, want, sums)
		}
		// A replica sees a slot as due until another records it; whatever
		// it saw due it either posted or found taken.
		for r, s := range sums {
			if s.Due != s.Posted+s.Already || s.Skipped+s.Failed+s.Errors != 0 {
				t.Errorf("replica %d: %v, want due = posted + already", r, s)
			}
		}
		byKey := p.byKey()
		if got, want := len(byKey), subs; got != want {
			t.Errorf("distinct slots posted = %d, want %d", got, want)
		}
		for k, ps := range byKey {
			if len(ps) != 1 {
				t.Errorf("slot %s posted %d times, want 1", k, len(ps))
			}
		}
		// `digest run` again at the same instant: nothing more.
		sum, err := newTestScheduler(st, b, p, "again", time.Minute).RunOnce(context.Background(), now)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Posted != 0 || len(p.all()) != subs {
			t.Errorf("second pass posted %d (platform has %d), want 0 (%d)", sum.Posted, len(p.all()), subs)
		}
	})
}

// The poster posts, then the process dies before recording. Once the lease
// expires another scheduler takes the slot over, finds the post on the
// platform and records it instead of posting again.
func TestSchedulerCrashBetweenPostAndRecord(t *testing.T) {
	eachLedgerStore(t, func(t *testing.T, st bot.Store) {
		sub := addSub(t, st, digestScope(1), "daily 09:00", digestDay1, false)
		b := bot.New(bot.Config{Corpus: schedCorpus(t)})
		p := fakeFinder{newFakePlatform()}
		now := digestDay1.Add(9 * time.Hour)
		const lease = 300 * time.Millisecond

		dead := newTestScheduler(dyingStore{st}, b, p, "dies", lease)
		if _, err := dead.RunOnce(context.Background(), now); err == nil {
			t.Fatal("dying replica: RunOnce = nil error, want the failed record")
		}
		if n := len(p.all()); n != 1 {
			t.Fatalf("posts after crash = %d, want 1", n)
		}
		// While the lease lives, nobody else touches the slot.
		live := newTestScheduler(st, b, p, "survivor", lease)
		sum, err := live.RunOnce(context.Background(), now.Add(time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if sum.Already != 1 || sum.Posted != 0 {
			t.Errorf("pass during the lease = %v, want already=1 posted=0", sum)
		}
		waitLease(t, st, sub.ID, lease)
		sum, err = live.RunOnce(context.Background(), now.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if sum.Posted != 1 {
			t.Errorf("takeover pass = %v, want posted=1", sum)
		}
		if n := len(p.all()); n != 1 {
			t.Errorf("posts after takeover = %d, want 1 (no double post)", n)
		}
		d, err := st.LastDelivery(context.Background(), sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.State != bot.StatePosted || d.MessageID != "m1" || d.Attempts != 2 {
			t.Errorf("ledger = %+v, want posted, message m1, attempts 2", d)
		}
	})
}

// Without a PostFinder a takeover cannot tell whether the dead owner
// posted: the slot is recorded failed rather than risk a second post.
func TestSchedulerTakeoverWithoutFinderIsAtMostOnce(t *testing.T) {
	st := ledgerStores["sqlite"](t)
	sub := addSub(t, st, digestScope(1), "daily 09:00", digestDay1, false)
	b := bot.New(bot.Config{Corpus: schedCorpus(t)})
	p := newFakePlatform()
	now := digestDay1.Add(9 * time.Hour)
	const lease = 300 * time.Millisecond
	newTestScheduler(dyingStore{st}, b, p, "dies", lease).RunOnce(context.Background(), now)
	waitLease(t, st, sub.ID, lease)
	sum, err := newTestScheduler(st, b, p, "survivor", lease).RunOnce(context.Background(), now.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed != 1 || len(p.all()) != 1 {
		t.Errorf("summary %v with %d posts, want failed=1 and still 1 post", sum, len(p.all()))
	}
	d, _ := st.LastDelivery(context.Background(), sub.ID)
	if d.State != bot.StateFailed || !strings.Contains(d.Error, "not posted again") {
		t.Errorf("ledger = %+v, want failed with the reason", d)
	}
}

// waitLease waits (in real time: leases are on the store's clock) until
// the claim on sub's newest slot has expired.
func waitLease(t *testing.T, st bot.Store, subID int64, lease time.Duration) {
	t.Helper()
	d, err := st.LastDelivery(context.Background(), subID)
	if err != nil {
		t.Fatal(err)
	}
	if d.State != bot.StateClaimed {
		t.Fatalf("ledger = %+v, want a claim", d)
	}
	time.Sleep(time.Until(d.LeaseUntil) + 50*time.Millisecond)
}

// Down 10 hours with an hourly schedule and a 6-hour window: one late
// digest for the newest slot, the nine older ones skipped.
func TestSchedulerCatchUp(t *testing.T) {
	eachLedgerStore(t, func(t *testing.T, st bot.Store) {
		sub := addSub(t, st, digestScope(1), "0 * * * *", digestDay1, false)
		b := bot.New(bot.Config{Corpus: schedCorpus(t)})
		p := fakeFinder{newFakePlatform()}
		s := newTestScheduler(st, b, p, "r1", time.Minute)
		ctx := context.Background()
		if sum, err := s.RunOnce(ctx, digestDay1.Add(time.Hour)); err != nil || sum.Posted != 1 {
			t.Fatalf("first pass = %v, %v; want posted=1", sum, err)
		}
		// Down from 01:00 to 11:30: slots 02:00 … 11:00 were missed.
		sum, err := s.RunOnce(ctx, digestDay1.Add(11*time.Hour+30*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		want := bot.PassSummary{Due: 10, Posted: 1, Skipped: 9}
		if sum != want {
			t.Errorf("catch-up pass = %v, want %v", sum, want)
		}
		ds, err := st.Deliveries(ctx, sub.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 11 {
			t.Fatalf("ledger has %d rows, want 11", len(ds))
		}
		if d := ds[0]; d.State != bot.StatePosted || !d.Late || !d.Slot.Equal(digestDay1.Add(11*time.Hour)) {
			t.Errorf("newest row = %+v, want 11:00 posted late", d)
		}
		for _, d := range ds[1:10] {
			if d.State != bot.StateSkipped {
				t.Errorf("row %s = %s, want skipped", d.Slot.Format(time.RFC3339), d.State)
			}
		}
		posts := p.all()
		if len(posts) != 2 {
			t.Fatalf("platform got %d posts, want 2", len(posts))
		}
		if got := digestText(posts[1].Reply); !strings.Contains(got, "This digest is late: it was due Mon 2 Mar 2026 11:00 UTC.") {
			t.Errorf("late digest does not say so:\n%s", got)
		}
		if got := digestText(posts[0].Reply); strings.Contains(got, "late") {
			t.Errorf("on-time digest says late:\n%s", got)
		}
	})
}

// Down for longer than the window: everything missed is skipped, nothing
// is posted late.
func TestSchedulerBeyondCatchUp(t *testing.T) {
	eachLedgerStore(t, func(t *testing.T, st bot.Store) {
		sub := addSub(t, st, digestScope(1), "daily 09:00", digestDay1, false)
		p := fakeFinder{newFakePlatform()}
		s := newTestScheduler(st, bot.New(bot.Config{Corpus: schedCorpus(t)}), p, "r1", time.Minute)
		sum, err := s.RunOnce(context.Background(), digestDay1.Add(2*24*time.Hour+17*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if want := (bot.PassSummary{Due: 3, Skipped: 3}); sum != want {
			t.Errorf("pass = %v, want %v", sum, want)
		}
		if len(p.all()) != 0 {
			t.Errorf("posted %d, want 0", len(p.all()))
		}
		d, err := st.LastDelivery(context.Background(), sub.ID)
		if err != nil || d.State != bot.StateSkipped || !strings.Contains(d.Error, "ALEXA_BRIEF_CATCHUP") {
			t.Errorf("newest row = %+v, %v; want skipped naming ALEXA_BRIEF_CATCHUP", d, err)
		}
		// The next slot is posted normally.
		sum, err = s.RunOnce(context.Background(), digestDay1.Add(3*24*time.Hour+9*time.Hour))
		if err != nil || sum.Posted != 1 || sum.Due != 1 {
			t.Errorf("next day pass = %v, %v; want due=1 posted=1", sum, err)
		}
	})
}

// A pass every 10 minutes across both 2026 DST changes in New York: a
// daily digest posts exactly once per local day, including 8 March (at the
// shifted 03:30) and 1 November (at the first 01:30).
func TestSchedulerDST(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		spec  string
		start time.Time
		want  []string // posted slots
	}{
		{"daily 02:30 America/New_York", time.Date(2026, 3, 7, 0, 0, 0, 0, ny),
			[]string{"2026-03-07T02:30:00-05:00", "2026-03-08T03:30:00-04:00", "2026-03-09T02:30:00-04:00"}},
		{"CRON_TZ=America/New_York 30 1 * * *", time.Date(2026, 10, 31, 0, 0, 0, 0, ny),
			[]string{"2026-10-31T01:30:00-04:00", "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			eachLedgerStore(t, func(t *testing.T, st bot.Store) {
				sub := addSub(t, st, digestScope(1), tt.spec, tt.start, false)
				p := fakeFinder{newFakePlatform()}
				s := newTestScheduler(st, bot.New(bot.Config{Corpus: schedCorpus(t)}), p, "r1", time.Minute)
				for now := tt.start; now.Before(tt.start.Add(3 * 24 * time.Hour)); now = now.Add(10 * time.Minute) {
					if _, err := s.RunOnce(context.Background(), now); err != nil {
						t.Fatal(err)
					}
				}
				var got []string
				for _, x := range p.all() {
					got = append(got, x.Key)
				}
				var want []string
				for _, w := range tt.want {
					want = append(want, bot.SlotKey(sub.ID, mustRFC3339(t, w)))
				}
				if strings.Join(got, " ") != strings.Join(want, " ") {
					t.Errorf("posted slots = %v, want %v (%v)", got, want, tt.want)
				}
				ds, _ := st.Deliveries(context.Background(), sub.ID, 0)
				for _, d := range ds {
					if d.State != bot.StatePosted || d.Late {
						t.Errorf("row %s = %s late=%v, want posted on time", d.Slot, d.State, d.Late)
					}
				}
			})
		})
	}
}

// A poster error is recorded failed with the error, counted, and final.
func TestSchedulerFailedPost(t *testing.T) {
	eachLedgerStore(t, func(t *testing.T, st bot.Store) {
		sub := addSub(t, st, digestScope(1), "daily 09:00", digestDay1, false)
		p := newFakePlatform()
		p.fail = errors.New("slack: channel_not_found")
		m := &digestMetrics{}
		s := bot.NewScheduler(bot.SchedulerConfig{Store: st, Bot: bot.New(bot.Config{Corpus: schedCorpus(t)}),
			Posters: map[string]bot.Poster{bot.PlatformSlack: p}, Catchup: 6 * time.Hour, Metrics: m})
		now := digestDay1.Add(9 * time.Hour)
		sum, err := s.RunOnce(context.Background(), now)
		if err != nil || sum.Failed != 1 {
			t.Fatalf("pass = %v, %v; want failed=1", sum, err)
		}
		d, _ := st.LastDelivery(context.Background(), sub.ID)
		if d.State != bot.StateFailed || d.Error != "slack: channel_not_found" || d.Attempts != 1 {
			t.Errorf("ledger = %+v, want failed with the error", d)
		}
		if got := m.get(bot.StateFailed); got != 1 {
			t.Errorf("metrics failed = %d, want 1", got)
		}
		sum, _ = s.RunOnce(context.Background(), now.Add(time.Minute))
		if sum.Due != 0 {
			t.Errorf("next pass = %v, want nothing due (failed is final)", sum)
		}
	})
}

// A subscription on a platform this process cannot post to is left alone.
func TestSchedulerUnrouted(t *testing.T) {
	st := ledgerStores["sqlite"](t)
	sub := addSub(t, st, bot.Scope{Platform: bot.PlatformDiscord, Team: "G1", Channel: "1"}, "daily 09:00", digestDay1, false)
	s := newTestScheduler(st, bot.New(bot.Config{Corpus: schedCorpus(t)}), newFakePlatform(), "r1", time.Minute)
	sum, err := s.RunOnce(context.Background(), digestDay1.Add(9*time.Hour))
	if err != nil || sum != (bot.PassSummary{Due: 1, Unrouted: 1}) {
		t.Errorf("pass = %v, %v; want due=1 unrouted=1", sum, err)
	}
	if _, err := st.LastDelivery(context.Background(), sub.ID); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("ledger touched: %v", err)
	}
	if got, want := sum.String(), "due=1 posted=0 skipped=0 failed=0 already=0 unrouted=1"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// What the digest says: the brief first; then what is new since the last
// digest; an only-new channel with nothing new gets one line.
func TestSchedulerDigestContent(t *testing.T) {
	arts, err := briefs.EmbeddedArticles()
	if err != nil {
		t.Fatal(err)
	}
	one, err := briefs.New(arts[:1])
	if err != nil {
		t.Fatal(err)
	}
	st := ledgerStores["sqlite"](t)
	b := bot.New(bot.Config{Corpus: one})
	p := fakeFinder{newFakePlatform()}
	s := newTestScheduler(st, b, p, "r1", time.Minute)
	addSub(t, st, digestScope(1), "daily 09:00", digestDay1, true)  // only new
	addSub(t, st, digestScope(2), "daily 09:00", digestDay1, false) // full
	run := func(day int) map[string]bot.Reply {
		t.Helper()
		before := len(p.all())
		if _, err := s.RunOnce(context.Background(), digestDay1.Add(time.Duration(day)*24*time.Hour+9*time.Hour)); err != nil {
			t.Fatal(err)
		}
		out := map[string]bot.Reply{}
		for _, x := range p.all()[before:] {
			out[x.Scope.Channel] = x.Reply
		}
		return out
	}

	first := run(0)
	for ch, r := range first {
		text := digestText(r)
		if !strings.Contains(text, "Key points") || !r.InChannel || !strings.HasPrefix(r.Footer, "From 1 article") || len(r.Citations) != 1 {
			t.Errorf("%s first digest: want key points, in channel, article count footer, 1 citation:\n%s", ch, text)
		}
		if strings.Contains(text, "New since") || strings.Contains(text, "Nothing new") {
			t.Errorf("%s first digest compares with nothing:\n%s", ch, text)
		}
	}

	same := run(1)
	if got, want := digestText(same["C001"]), "Nothing new since Mon 2 Mar 2026.\n"; got != want {
		t.Errorf("only-new, nothing new = %q, want %q", got, want)
	}
	if got := digestText(same["C002"]); !strings.Contains(got, "Nothing new since Mon 2 Mar 2026.") || !strings.Contains(got, "Key points") {
		t.Errorf("full, nothing new:\n%s", got)
	}

	two, err := briefs.New(arts)
	if err != nil {
		t.Fatal(err)
	}
	// An ingest restarts the bot on the grown corpus; the ledger in the
	// store is what tells the next digest what the channel has seen.
	s = newTestScheduler(st, bot.New(bot.Config{Corpus: two}), p, "r1", time.Minute)
	fresh := run(2)
	newTitle := arts[1].Title
	for ch, r := range fresh {
		text := digestText(r)
		if !strings.Contains(text, "New since Tue 3 Mar 2026") || !strings.Contains(text, newTitle) {
			t.Errorf("%s: want the new article under \"New since Tue 3 Mar 2026\":\n%s", ch, text)
		}
		var listed []string
		for _, sec := range r.Sections {
			if strings.HasPrefix(sec.Heading, "New since") {
				for _, it := range sec.Items {
					listed = append(listed, it.Text)
				}
			}
		}
		if len(listed) != 1 || listed[0] != newTitle {
			t.Errorf("%s: new articles listed = %q, want only %q", ch, listed, newTitle)
		}
		if len(r.Citations) != 2 {
			t.Errorf("%s: %d citations, want 2", ch, len(r.Citations))
		}
	}
	if got := digestText(fresh["C001"]); strings.Contains(got, "Key points") {
		t.Errorf("only-new digest repeats the brief:\n%s", got)
	}
	if got := digestText(fresh["C002"]); !strings.Contains(got, "Key points") || strings.Index(got, "New since") > strings.Index(got, "Key points") {
		t.Errorf("full digest: want what is new first, then the brief:\n%s", got)
	}
	// The day after, nothing is new again.
	if got := digestText(run(3)["C001"]); got != "Nothing new since Wed 4 Mar 2026.\n" {
		t.Errorf("only-new the day after = %q", got)
	}
}

// Run posts due slots, and on cancel lets the post in flight finish,
// starts nothing new and releases its claims.
func TestSchedulerRunDrains(t *testing.T) {
	st := ledgerStores["sqlite"](t)
	now := time.Now().UTC().Truncate(time.Second)
	for i := range 3 {
		addSub(t, st, digestScope(i), "daily 09:00", now.Add(-48*time.Hour), false)
	}
	// All three are due: their newest slot is within the window.
	p := fakeFinder{newFakePlatform()}
	p.block = make(chan struct{})
	s := bot.NewScheduler(bot.SchedulerConfig{Store: st, Bot: bot.New(bot.Config{Corpus: schedCorpus(t)}),
		Posters: map[string]bot.Poster{bot.PlatformSlack: p}, Catchup: 48 * time.Hour, Workers: 1, Owner: "r1", Lease: time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	<-p.started // one post in flight, two waiting behind the single worker
	cancel()
	close(p.block)
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
	if n := len(p.all()); n != 1 {
		t.Errorf("posts = %d, want 1 (the one in flight)", n)
	}
	subs, _ := st.Subscriptions(context.Background())
	posted, claimed := 0, 0
	for _, sub := range subs {
		ds, _ := st.Deliveries(context.Background(), sub.ID, 0)
		for _, d := range ds {
			switch d.State {
			case bot.StatePosted:
				posted++
			case bot.StateClaimed:
				claimed++
			}
		}
	}
	if posted != 1 || claimed != 0 {
		t.Errorf("ledger: %d posted, %d claimed; want 1 posted and no claim left", posted, claimed)
	}
}

type digestMetrics struct {
	bot.NopMetrics
	mu sync.Mutex
	n  map[bot.DeliveryState]int
}

func (m *digestMetrics) DigestFinished(platform string, s bot.DeliveryState) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.n == nil {
		m.n = map[bot.DeliveryState]int{}
	}
	m.n[s]++
}

func (m *digestMetrics) get(s bot.DeliveryState) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.n[s]
}

// replyText flattens a reply for assertions.
func digestText(r bot.Reply) string {
	var b strings.Builder
	if r.Title != "" {
		b.WriteString(r.Title + "\n")
	}
	for _, s := range r.Sections {
		if s.Heading != "" {
			b.WriteString(s.Heading + "\n")
		}
		if s.Text != "" {
			b.WriteString(s.Text + "\n")
		}
		for _, it := range s.Items {
			b.WriteString("- " + it.Text + "\n")
		}
		if s.Quote != nil {
			b.WriteString("> " + s.Quote.Text + "\n")
		}
	}
	return b.String()
}

func mustRFC3339(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Run sleeps until the next slot, not until the next poll: with a poll of
// an hour, an every-second schedule still posts every second. (If Run
// waited for the poll, this test would hang until go test's timeout.)
func TestSchedulerRunWakesAtNextSlot(t *testing.T) {
	st := ledgerStores["sqlite"](t)
	// Stored directly: @every 1s is below the minimum users may ask for.
	if _, err := st.PutSubscription(context.Background(), bot.Subscription{Scope: digestScope(1), Schedule: "@every 1s", CreatedAt: time.Now().UTC()}); err != nil {
		t.Fatal(err)
	}
	p := fakeFinder{newFakePlatform()}
	s := bot.NewScheduler(bot.SchedulerConfig{Store: st, Bot: bot.New(bot.Config{Corpus: schedCorpus(t)}),
		Posters: map[string]bot.Poster{bot.PlatformSlack: p}, Catchup: time.Hour, Poll: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	for len(p.all()) < 3 {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
	byKey := p.byKey()
	for k, ps := range byKey {
		if len(ps) != 1 {
			t.Errorf("slot %s posted %d times", k, len(ps))
		}
	}
}

// Changing a channel's schedule does not post a catch-up digest for a slot
// of the new schedule that passed before the change.
func TestSchedulerScheduleChangeStartsFresh(t *testing.T) {
	eachLedgerStore(t, func(t *testing.T, st bot.Store) {
		b := bot.New(bot.Config{Corpus: schedCorpus(t)})
		p := fakeFinder{newFakePlatform()}
		s := newTestScheduler(st, b, p, "r1", time.Minute)
		addSub(t, st, digestScope(1), "daily 09:00", digestDay1, false)
		if sum, err := s.RunOnce(context.Background(), digestDay1.Add(9*time.Hour)); err != nil || sum.Posted != 1 {
			t.Fatalf("first pass = %v, %v", sum, err)
		}
		// At 15:00 the channel switches to 12:00.
		changed := digestDay1.Add(15 * time.Hour)
		addSub(t, st, digestScope(1), "daily 12:00", changed, false)
		sum, err := s.RunOnce(context.Background(), changed.Add(time.Minute))
		if err != nil || sum.Due != 0 {
			t.Errorf("pass after the change = %v, %v; want nothing due", sum, err)
		}
		sum, err = s.RunOnce(context.Background(), digestDay1.Add(36*time.Hour))
		if err != nil || sum != (bot.PassSummary{Due: 1, Posted: 1}) {
			t.Errorf("next day at 12:00 = %v, %v; want due=1 posted=1", sum, err)
		}
	})
}

// After a very long downtime at most 50 skipped rows are written per
// subscription (docs/digests.md "Catch-up after downtime"), whether the newest slot
// is still posted or is skipped too.
func TestSchedulerLongDowntimeBound(t *testing.T) {
	tests := []struct {
		name string
		spec string
		now  time.Time
		want bot.PassSummary
	}{
		// Newest slot 30 minutes old: posted late, 50 older ones skipped.
		{"newest posted", "0 * * * *", digestDay1.Add(200*time.Hour + 30*time.Minute), bot.PassSummary{Due: 51, Posted: 1, Skipped: 50}},
		// Newest slot 8 hours old: beyond the window, skipped with the rest.
		{"newest skipped", "daily 09:00", digestDay1.Add(100*24*time.Hour + 17*time.Hour), bot.PassSummary{Due: 50, Skipped: 50}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eachLedgerStore(t, func(t *testing.T, st bot.Store) {
				sub := addSub(t, st, digestScope(1), tt.spec, digestDay1, false)
				s := newTestScheduler(st, bot.New(bot.Config{Corpus: schedCorpus(t)}), fakeFinder{newFakePlatform()}, "r1", time.Minute)
				got, err := s.RunOnce(context.Background(), tt.now)
				if err != nil {
					t.Fatal(err)
				}
				if got != tt.want {
					t.Errorf("pass = %v, want %v", got, tt.want)
				}
				ds, err := st.Deliveries(context.Background(), sub.ID, 0)
				if err != nil {
					t.Fatal(err)
				}
				skipped := 0
				for _, d := range ds {
					if d.State == bot.StateSkipped {
						skipped++
					}
				}
				if got, want := skipped, 50; got != want {
					t.Errorf("skipped rows = %d, want %d", got, want)
				}
			})
		})
	}
}

// A slot another replica is still posting is not "skipped" when a newer
// slot is due meanwhile: the store leaves the live claim alone, and the
// summary and metrics say so (already), instead of counting a skip for a
// digest that is about to be posted.
func TestSchedulerLiveClaimBehindNewerSlot(t *testing.T) {
	eachLedgerStore(t, func(t *testing.T, st bot.Store) {
		sub := addSub(t, st, digestScope(1), "0 * * * *", digestDay1, false)
		slow := digestDay1.Add(time.Hour)
		if _, ok, err := st.ClaimSlot(context.Background(), sub.ID, slow, "r0", time.Hour); err != nil || !ok {
			t.Fatalf("claim by r0 = %v, %v", ok, err)
		}
		m := &digestMetrics{}
		p := fakeFinder{newFakePlatform()}
		s := bot.NewScheduler(bot.SchedulerConfig{Store: st, Bot: bot.New(bot.Config{Corpus: schedCorpus(t)}),
			Posters: map[string]bot.Poster{bot.PlatformSlack: p}, Catchup: 6 * time.Hour, Owner: "r1", Metrics: m})
		got, err := s.RunOnce(context.Background(), digestDay1.Add(2*time.Hour+10*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if want := (bot.PassSummary{Due: 2, Posted: 1, Already: 1}); got != want {
			t.Errorf("pass = %v, want %v", got, want)
		}
		if got := m.get(bot.StateSkipped); got != 0 {
			t.Errorf("skipped metric = %d, want 0", got)
		}
		ds, err := st.Deliveries(context.Background(), sub.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if d.Slot.Equal(slow) && (d.State != bot.StateClaimed || d.Owner != "r0") {
				t.Errorf("slow slot = %s by %s, want still claimed by r0", d.State, d.Owner)
			}
		}
	})
}
