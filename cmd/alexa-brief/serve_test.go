package main

import (
	"bytes"
	"errors"
	"log/slog"
	"maps"
	"strings"
	"testing"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/bot/bottest"
	"github.com/alexa-brief/alexa-brief/briefs"
)

func TestLogStopErrors(t *testing.T) {
	tests := []struct {
		name string
		errs []error
		want []string // substrings, one log line each
	}{
		{"none", nil, nil},
		{"release failed", []error{errors.New("serve: scheduler: release claims: database is locked")},
			[]string{"release claims: database is locked"}},
		{"two", []error{errors.New("serve: slack: socket closed"), errors.New("serve: scheduler: release claims: timeout")},
			[]string{"socket closed", "release claims: timeout"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errc := make(chan error, 4)
			for _, err := range tt.errs {
				errc <- err
			}
			var buf bytes.Buffer
			logStopErrors(slog.New(slog.NewTextHandler(&buf, nil)), errc)
			lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
			if buf.Len() == 0 {
				lines = nil
			}
			if got, want := len(lines), len(tt.want); got != want {
				t.Fatalf("got %d log lines %q, want %d", got, lines, want)
			}
			for i, w := range tt.want {
				if !strings.Contains(lines[i], w) || !strings.Contains(lines[i], "level=ERROR") {
					t.Errorf("line %d: got %q, want an error line with %q", i, lines[i], w)
				}
			}
			if got := len(errc); got != 0 {
				t.Errorf("got %d errors left in the channel, want 0", got)
			}
		})
	}
}

// Readiness per platform: a platform not ready fails /readyz; one only
// degraded (Discord's gateway down, interactions working) keeps it ready
// and says what is missing.
func TestReadinessDegraded(t *testing.T) {
	corpus, err := briefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	st := bottest.NewStore(nil)
	b := bot.New(bot.Config{Corpus: corpus, Store: st})
	ok := func() error { return nil }
	down := func() string { return "gateway not connected: refused" }
	for _, tt := range []struct {
		name  string
		comps []component
		want  readyBody
	}{
		{"all ready", []component{{name: "slack", ready: ok}, {name: "discord", ready: ok, degraded: func() string { return "" }}},
			readyBody{Status: "ready", Platforms: map[string]string{"slack": "ready", "discord": "ready"}}},
		{"gateway down", []component{{name: "slack", ready: ok}, {name: "discord", ready: ok, degraded: down}},
			readyBody{Status: "ready", Platforms: map[string]string{"slack": "ready", "discord": "degraded: gateway not connected: refused"}}},
		{"token refused", []component{{name: "discord", ready: func() error { return errors.New("discord: token refused") }, degraded: down}},
			readyBody{Status: "not ready", Reason: "discord not ready: token refused", Platforms: map[string]string{"discord": "token refused"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := readiness(t.Context(), st, b, tt.comps, nil)
			if got.Status != tt.want.Status || got.Reason != tt.want.Reason || !maps.Equal(got.Platforms, tt.want.Platforms) {
				t.Errorf("readiness = %+v, want %+v", got, tt.want)
			}
		})
	}
}
