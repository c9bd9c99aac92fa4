package load

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/slack"
	"github.com/alexa-brief/alexa-brief/adapters/slack/slacktest"
	"github.com/alexa-brief/alexa-brief/adapters/sqlite"
	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// BenchmarkSlackCommand measures what `serve` does for one signed slash
// command, in process and without the network: the Slack adapter's
// handler (signature, form, Handle, Block Kit, JSON) over a Library and a
// SQLite store as serve wires them, with an info-level JSON log as serve
// writes it. It is the profile target for the load figures:
//
//	go test ./tests/load -run XXX -bench SlackCommand -benchmem -cpuprofile /tmp/cpu.out
//	go tool pprof -top tests/load/load.test /tmp/cpu.out
func BenchmarkSlackCommand(b *testing.B) {
	corpus, err := briefs.Default()
	if err != nil {
		b.Fatal(err)
	}
	qs, err := loadQuestions(corpus)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		text func(i int64) string
	}{
		{"brief", func(int64) string { return "brief" }},
		{"ask", func(i int64) string { return "ask " + qs[i%int64(len(qs))].text }},
	} {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { st.Close() })
			log := slog.New(slog.NewJSONHandler(io.Discard, nil))
			lib, err := bot.NewLibrary(ctx, bot.LibraryConfig{Base: corpus.Articles(), Store: st, Logger: log})
			if err != nil {
				b.Fatal(err)
			}
			bt := bot.New(bot.Config{Library: lib, Store: st, Logger: log})
			api := slacktest.New(slacktest.Options{})
			b.Cleanup(api.Close)
			a, err := slack.New(slack.Config{SigningSecret: slackSecret, BotToken: slacktest.DefaultToken, APIURL: api.URL(), Logger: log}, bt, st)
			if err != nil {
				b.Fatal(err)
			}
			mux := http.NewServeMux()
			a.Routes(mux)
			var seq, failures atomic.Int64
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := seq.Add(1)
					user := i % users
					form := url.Values{
						"team_id": {slacktest.DefaultTeam}, "channel_id": {fmt.Sprintf("C%04d", user%20)},
						"user_id": {fmt.Sprintf("U%04d", user)}, "command": {"/alexa-brief"}, "text": {c.text(i)},
						"response_url": {api.ResponseURL(slacktest.DefaultTeam, "C1")}, "trigger_id": {"trig." + strconv.FormatInt(i, 10)},
					}
					body := []byte(form.Encode())
					now := strconv.FormatInt(time.Now().Unix(), 10)
					m := hmac.New(sha256.New, []byte(slackSecret))
					m.Write([]byte("v0:" + now + ":"))
					m.Write(body)
					req := httptest.NewRequest(http.MethodPost, "/slack/commands", bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					req.Header.Set("X-Slack-Request-Timestamp", now)
					req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(m.Sum(nil)))
					w := httptest.NewRecorder()
					mux.ServeHTTP(w, req)
					if w.Code != http.StatusOK || strings.Contains(w.Body.String(), "Sorry") || strings.Contains(w.Body.String(), workingText) {
						failures.Add(1)
					}
				}
			})
			b.StopTimer()
			if n := failures.Load(); n > 0 {
				b.Fatalf("%d of %d replies were failures", n, seq.Load())
			}
		})
	}
}
