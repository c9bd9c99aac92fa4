package slack

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"

	"github.com/alexa-brief/alexa-brief/adapters/slack/slacktest"
)

// TestResponseURLNotLogged: a response_url lets anyone post to the channel
// for 30 minutes, so a failed delivery must not quote it in the error or
// the logs, whatever the transport failure.
func TestResponseURLNotLogged(t *testing.T) {
	const secretPath = "/commands/T1/4242/s3cr3tHookToken"
	refused := func(t *testing.T) string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close() // nothing listens: connection refused
		return "http://" + addr + secretPath
	}
	hangup := func(t *testing.T) string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				c.Close() // the request is read by nobody: EOF
			}
		}()
		return "http://" + l.Addr().String() + secretPath
	}
	for _, tc := range []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"connection refused", refused},
		{"connection closed", hangup},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			e := newEnv(t, nil, func(c *Config, _ *slacktest.Options) {
				c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			})
			u := tc.url(t)
			err := e.a.respond(context.Background(), u, render(digest), false)
			if err == nil {
				t.Fatal("respond succeeded; want a transport error")
			}
			e.a.deliverNow(context.Background(), "T1", "C1", u, render(digest), false)
			for _, got := range []string{err.Error(), logs.String()} {
				if strings.Contains(got, "s3cr3tHookToken") {
					t.Errorf("response_url leaked:\n%s", got)
				}
			}
			// The failure is still classified as transient, and retried.
			if got, want := e.metrics.retried, 2*(maxFailures-1); got != want {
				t.Errorf("retries = %d, want %d", got, want)
			}
		})
	}
}
