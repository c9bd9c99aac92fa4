package load

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/alexa-brief/alexa-brief/adapters/sqlite"
	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// BenchmarkHandle measures the bot core alone: bot.Bot.Handle on the
// embedded corpus with a SQLite store in a temp dir, from as many
// goroutines as GOMAXPROCS, no HTTP and no signatures.
//
//	go test ./tests/load -run XXX -bench Handle -benchmem
//
// ask/first: each question from a new user, so Ask runs and the store
// reads an empty conversation and writes a new one. ask/follow-up: 50 users
// who keep asking, so FollowUp runs on a stored history (up to the bot's
// turn limit). ask/no-store: the same questions without a store, to show
// what the store costs. brief: the cached brief rendered into a reply.
func BenchmarkHandle(b *testing.B) {
	corpus, err := briefs.Default()
	if err != nil {
		b.Fatal(err)
	}
	qs, err := loadQuestions(corpus)
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name  string
		store bool
		users int64 // distinct users cycled through; 0: a new user per request
		text  func(i int64) string
	}{
		{"ask/first", true, 0, func(i int64) string { return "ask " + qs[i%int64(len(qs))].text }},
		{"ask/follow-up", true, 50, func(i int64) string { return "ask " + qs[i%int64(len(qs))].text }},
		{"ask/no-store", false, 0, func(i int64) string { return "ask " + qs[i%int64(len(qs))].text }},
		{"brief", true, 50, func(int64) string { return "brief" }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			cfg := bot.Config{Corpus: corpus}
			if c.store {
				st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { st.Close() })
				cfg.Store = st
			}
			bt := bot.New(cfg)
			var seq atomic.Int64
			var failures atomic.Int64
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := seq.Add(1)
					user := i
					if c.users > 0 {
						user = i % c.users
					}
					r := bt.Handle(ctx, bot.Request{
						Kind:      bot.KindCommand,
						Scope:     bot.Scope{Platform: bot.PlatformSlack, Team: "T1", Channel: fmt.Sprintf("C%02d", user%20)},
						User:      fmt.Sprintf("U%d", user),
						Text:      c.text(i),
						CanManage: true,
					})
					// A failure reply is cheap and would flatter the figures.
					if r.Failure || len(r.Sections) == 0 {
						failures.Add(1)
					}
				}
			})
			b.StopTimer()
			if n := failures.Load(); n > 0 {
				b.Fatalf("%d of %d replies were failures or empty", n, seq.Load())
			}
		})
	}
}
