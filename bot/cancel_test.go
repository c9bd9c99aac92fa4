package bot_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/bot/bottest"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// failingStore fails conversation reads: with the context's error when it
// is done, else with err.
type failingStore struct {
	bot.Store
	err error
}

func (s failingStore) Conversation(ctx context.Context, key string) ([]bot.Turn, error) {
	if ctx.Err() != nil {
		return nil, fmt.Errorf("store: %w", ctx.Err())
	}
	return nil, s.err
}

// TestCancelledRequestLogsWarn: a request cancelled from outside (a drain
// out of time) is logged as a warning, not an error of the bot; a store
// failure still is an error.
func TestCancelledRequestLogsWarn(t *testing.T) {
	corpus, err := briefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		cancel bool
		want   string
	}{{"cancelled", true, `"level":"WARN"`}, {"store failure", false, `"level":"ERROR"`}} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			b := bot.New(bot.Config{Corpus: corpus, Store: failingStore{bottest.NewStore(nil), errors.New("disk gone")},
				Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
			ctx, cancel := context.WithCancel(context.Background())
			if tt.cancel {
				cancel()
			}
			defer cancel()
			r := b.Handle(ctx, bot.Request{Kind: bot.KindCommand, Scope: bot.Scope{Platform: bot.PlatformSlack, Team: "T1", Channel: "C1"}, User: "U1", Text: "ask how much was lost?"})
			if !r.Failure {
				t.Error("a failed request got a normal reply")
			}
			if !strings.Contains(buf.String(), tt.want) {
				t.Errorf("log %s; want %s", buf.String(), tt.want)
			}
		})
	}
}
