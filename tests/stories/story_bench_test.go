package stories

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/sqlite"
	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// BenchmarkStory10k measures updates of a story of 10,000 articles in a
// library over SQLite (the articles stored with store.AddArticle during
// setup, not timed):
//
//   - ingest/burst=N: lib.Ingest of N new articles one after the other
//     (each stores the article and refreshes the library), in articles/s;
//     then, untimed, the background work they started (each update warms
//     the story's corpus and brief) is waited for, and its CPU time, its
//     wall time and the heap at its peak are reported. A burst of 5 is a
//     feed poll that finds 5 new items.
//   - ingest+corpus/burst=3: the same with the story's corpus built after
//     each ingest (as the first question after it does), in articles/s.
//     Each update then finds the previous corpus built and starts a
//     warm-up of its own: bg-goroutines-max shows how many run at once.
//   - corpus-with: the first lib.Corpus after one ingest, which extends the
//     previous corpus with briefs.Corpus.With.
//   - corpus-new: briefs.New on the story's 10,001 articles and more, the
//     full rebuild With saves.
//   - refresh-added: lib.Refresh after another store handle (another
//     process) added one article: Revision, ArticlesAfter, extend.
//   - refresh-rewritten: lib.Refresh after another handle recorded a copy
//     of a stored article, which is not an addition: the full reload every
//     replica does then (every article read and signed again).
//   - new-library: a fresh bot.NewLibrary over the same store, the reload
//     of a restart.
func BenchmarkStory10k(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "bot.db")
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	start := time.Now()
	fill(b, st, tenKStory)
	filled := time.Since(start)
	base := embedded(b)
	lib, err := bot.NewLibrary(ctx, bot.LibraryConfig{Base: base, Store: st})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := lib.Corpus(ctx, benchStory); err != nil {
		b.Fatal(err)
	}
	b.Logf("story of %d articles: filled in %s, library and corpus ready %s later", len(story10k()), filled.Round(time.Millisecond), (time.Since(start) - filled).Round(time.Millisecond))
	// other is a second handle on the file: another process's writes.
	other, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer other.Close()
	next := 0 // the next item number
	newItem := func() bot.StoredArticle {
		a := makeItem(next).stored()
		next++
		return a
	}

	for _, bc := range []struct {
		name   string
		burst  int
		corpus bool // build the story's corpus after each ingest
	}{{"ingest/burst=1", 1, false}, {"ingest/burst=5", 5, false}, {"ingest+corpus/burst=3", 3, true}} {
		b.Run(bc.name, func(b *testing.B) {
			quiet(b, lib, benchStory)
			var took time.Duration
			var bgs []bg
			articles := 0
			for b.Loop() {
				t0 := time.Now()
				for range bc.burst {
					res, err := lib.Ingest(ctx, newItem(), benchStory)
					if err != nil || res.Status != bot.IngestAdded {
						b.Fatalf("ingest: %v, %v", res, err)
					}
					articles++
					if bc.corpus {
						if _, err := lib.Corpus(ctx, benchStory); err != nil {
							b.Fatal(err)
						}
					}
				}
				took += time.Since(t0)
				b.StopTimer()
				bgs = append(bgs, quiet(b, lib, benchStory))
				b.StartTimer()
			}
			b.ReportMetric(float64(articles)/took.Seconds(), "articles/s")
			b.ReportMetric(ms(took)/float64(articles), "ms/article")
			reportBackground(b, bgs)
		})
	}

	b.Run("corpus-with", func(b *testing.B) {
		var ds []time.Duration
		for b.Loop() {
			b.StopTimer()
			quiet(b, lib, benchStory)
			a := newItem()
			if _, err := lib.Ingest(ctx, a, benchStory); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			t0 := time.Now()
			c, err := lib.Corpus(ctx, benchStory)
			ds = append(ds, time.Since(t0))
			if err != nil || !slices.ContainsFunc(c.Articles(), func(x briefs.Article) bool { return x.ID == a.ID }) {
				b.Fatalf("corpus after ingest of %s: %v", a.ID, err)
			}
		}
		reportLatency(b, ds)
		b.ReportMetric(1/median(ds).Seconds(), "articles/s")
	})

	b.Run("corpus-new", func(b *testing.B) {
		quiet(b, lib, benchStory)
		var arts []briefs.Article
		for _, a := range lib.Articles(benchStory) {
			arts = append(arts, a.Article)
		}
		var ds []time.Duration
		for b.Loop() {
			t0 := time.Now()
			c, err := briefs.New(arts)
			ds = append(ds, time.Since(t0))
			if err != nil || len(c.Articles()) != len(arts) {
				b.Fatal(err)
			}
		}
		reportLatency(b, ds)
		b.ReportMetric(float64(len(arts)), "articles")
	})

	b.Run("refresh-added", func(b *testing.B) {
		var ds []time.Duration
		for b.Loop() {
			b.StopTimer()
			quiet(b, lib, benchStory)
			a := newItem()
			a.Stories = []string{benchStory}
			if _, added, err := other.AddArticle(ctx, a); err != nil || !added {
				b.Fatalf("add %s: %v, %v", a.ID, added, err)
			}
			b.StartTimer()
			t0 := time.Now()
			if err := lib.Refresh(ctx); err != nil {
				b.Fatal(err)
			}
			ds = append(ds, time.Since(t0))
			if _, ok := lib.Article(a.ID); !ok {
				b.Fatalf("%s not in the library after Refresh", a.ID)
			}
		}
		reportLatency(b, ds)
	})

	b.Run("refresh-rewritten", func(b *testing.B) {
		var ds []time.Duration
		copies := 0
		for b.Loop() {
			b.StopTimer()
			quiet(b, lib, benchStory)
			copies++
			url := fmt.Sprintf("https://syndicate.example/copy/%d", copies)
			if added, err := other.AddCopy(ctx, "gen-00000", bot.Copy{URL: url, Publication: "Syndicate"}); err != nil || !added {
				b.Fatalf("add copy: %v, %v", added, err)
			}
			v := lib.Version()
			b.StartTimer()
			t0 := time.Now()
			if err := lib.Refresh(ctx); err != nil {
				b.Fatal(err)
			}
			ds = append(ds, time.Since(t0))
			if lib.Version() == v {
				b.Fatal("Refresh did not move the library to the new revision")
			}
		}
		reportLatency(b, ds)
	})

	b.Run("new-library", func(b *testing.B) {
		quiet(b, lib, benchStory)
		var ds []time.Duration
		for b.Loop() {
			t0 := time.Now()
			l, err := bot.NewLibrary(ctx, bot.LibraryConfig{Base: base, Store: st})
			ds = append(ds, time.Since(t0))
			if err != nil || len(l.Articles(benchStory)) != len(lib.Articles(benchStory)) {
				b.Fatalf("new library: %v", err)
			}
		}
		reportLatency(b, ds)
	})
}

// reportBackground reports what the updates of each iteration did in the
// background: mean CPU and wall time, the most goroutines at once, the
// largest heap seen, and the longest wait for the brief after.
func reportBackground(b *testing.B, bgs []bg) {
	var cpu, wall, brief time.Duration
	var peak uint64
	most := 0
	for _, x := range bgs {
		cpu, wall = cpu+x.cpu, wall+x.wall
		peak, most = max(peak, x.peak), max(most, x.most)
		brief = max(brief, x.brief)
	}
	n := float64(max(len(bgs), 1))
	b.ReportMetric(cpu.Seconds()/n, "bg-cpu-s")
	b.ReportMetric(wall.Seconds()/n, "bg-wall-s")
	b.ReportMetric(float64(most), "bg-goroutines-max")
	b.ReportMetric(float64(peak)/(1<<20), "heap-peak-MiB")
	b.ReportMetric(brief.Seconds(), "brief-after-max-s")
}

// reportLatency reports the p50 and max of ds in milliseconds.
func reportLatency(b *testing.B, ds []time.Duration) {
	b.ReportMetric(ms(median(ds)), "p50-ms")
	b.ReportMetric(ms(slices.Max(ds)), "max-ms")
}
