package stories

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// BenchmarkFeedToAnswer times a feed item from its publication to the
// answer that cites it: the poll (feed fetched by adapters/web, the page
// fetched and extracted, the article stored and the library refreshed),
// then the story's corpus (briefs.Corpus.With on the previous one) and
// Ask. After each iteration, untimed, the background work the updates
// started (bot.Library's warm-up of the story's corpus and brief) is
// waited for and reported (bg-*, heap-peak-MiB), so each iteration finds a
// quiet bot, as sporadic items do.
//
// sqlite-1 is one replica on a SQLite file; items=5 publishes five items
// at once, as a poll that finds several new ones. postgres-3 is three
// replicas on one PostgreSQL database, timed until all three answer after
// their Refresh, each item fetched exactly once across them (checked);
// via=Poll has every replica poll the feed at once, so that the item
// claims alone keep each page to one fetch.
func BenchmarkFeedToAnswer(b *testing.B) {
	b.Run("sqlite-1", func(b *testing.B) {
		b.Run("story=embedded", func(b *testing.B) {
			benchDeliver(b, sqliteRig(b, embeddedStory), viaPollDue, 1)
		})
		b.Run("story=10k", func(b *testing.B) {
			r := sqliteRig(b, tenKStory)
			for _, k := range []int{1, 5} {
				b.Run(fmt.Sprintf("items=%d", k), func(b *testing.B) { benchDeliver(b, r, viaPollDue, k) })
			}
		})
	})
	b.Run("postgres-3", func(b *testing.B) {
		b.Run("story=embedded", func(b *testing.B) {
			r := postgresRig(b, embeddedStory, 3)
			for _, mode := range []string{viaPollDue, viaPoll} {
				b.Run("via="+mode, func(b *testing.B) { benchDeliver(b, r, mode, 1) })
			}
		})
		b.Run("story=10k", func(b *testing.B) {
			r := postgresRig(b, tenKStory, 3)
			b.Run("via="+viaPollDue, func(b *testing.B) { benchDeliver(b, r, viaPollDue, 1) })
		})
	})
}

// benchDeliver times k items at a time to every replica's answers, and
// reports what the updates did in the background after (untimed).
func benchDeliver(b *testing.B, r *rig, mode string, k int) {
	r.settle(b)
	var polled, answered, refresh, corpus, ask []time.Duration
	var bgs []bg
	for b.Loop() {
		tm := r.deliver(b, mode, k)
		polled = append(polled, tm.polled)
		answered = append(answered, tm.answered)
		refresh = append(refresh, tm.refresh)
		corpus = append(corpus, tm.corpus)
		ask = append(ask, tm.ask)
		b.StopTimer()
		bgs = append(bgs, r.settle(b))
		b.StartTimer()
	}
	b.ReportMetric(ms(median(answered)), "p50-ms")
	b.ReportMetric(ms(slices.Max(answered)), "max-ms")
	b.ReportMetric(ms(median(polled)), "poll-p50-ms")
	b.ReportMetric(ms(median(refresh)), "refresh-p50-ms")
	b.ReportMetric(ms(median(corpus)), "corpus-p50-ms")
	b.ReportMetric(ms(median(ask)), "ask-p50-ms")
	reportBackground(b, bgs)
}

// TestFeedToAnswer runs the benchmark's paths on the embedded story as a
// test: every item answered by every replica, fetched once.
func TestFeedToAnswer(t *testing.T) {
	t.Run("sqlite-1", func(t *testing.T) {
		r := sqliteRig(t, embeddedStory)
		for _, k := range []int{1, 1, 3} {
			r.deliver(t, viaPollDue, k)
		}
	})
	t.Run("postgres-3", func(t *testing.T) {
		r := postgresRig(t, embeddedStory, 3)
		for _, mode := range []string{viaPollDue, viaPoll, viaPollDue, viaPoll} {
			r.deliver(t, mode, 2)
		}
		if got, want := r.site.feedRequests(), 1+1+3+1+3; got != want {
			t.Errorf("feed fetched %d times, want %d (add, then one per PollDue round and three per Poll round)", got, want)
		}
	})
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
