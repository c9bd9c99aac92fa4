// Command floor is the load test's reference server: the least a Slack
// slash command endpoint can do. It verifies the v0 signature as Slack
// asks (HMAC-SHA256 of "v0:timestamp:body", timestamp within 5 minutes,
// constant-time compare) and answers every verified request with the same
// bytes, read once from a file: a reply of the bot's size, with none of
// its work. tests/load builds it and measures it with the same client, at
// the same concurrency and in the same run as `alexa-brief serve`, so the
// bot's throughput can be read as a fraction of this floor.
//
//	floor -addr 127.0.0.1:8081 -reply reply.json   (secret in SLACK_SIGNING_SECRET)
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// maxSkew and maxBody are the bot's limits (PLATFORMS.md, SPEC.md).
const (
	maxSkew = 5 * time.Minute
	maxBody = 1 << 20
)

func main() {
	if err := run(); err != nil {
		slog.Error("floor", "err", err.Error())
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", "127.0.0.1:8081", "listen address")
	replyPath := flag.String("reply", "", "file holding the reply body")
	flag.Parse()
	secret := []byte(os.Getenv("SLACK_SIGNING_SECRET"))
	if len(secret) == 0 {
		return errors.New("floor: SLACK_SIGNING_SECRET is not set")
	}
	reply, err := os.ReadFile(*replyPath)
	if err != nil {
		return fmt.Errorf("floor: reply: %w", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("floor: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /slack/commands", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			http.Error(w, "bad request body", http.StatusBadRequest)
			return
		}
		if !verified(secret, r.Header, body, time.Now()) {
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(reply)
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
		<-sig
		_ = srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("floor: %w", err)
	}
	return nil
}

// verified checks X-Slack-Signature over body as the bot's adapter does.
func verified(secret []byte, h http.Header, body []byte, now time.Time) bool {
	ts, sig := h.Get("X-Slack-Request-Timestamp"), h.Get("X-Slack-Signature")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	if d := now.Sub(time.Unix(sec, 0)); d > maxSkew || d < -maxSkew {
		return false
	}
	hexSig, ok := strings.CutPrefix(sig, "v0=")
	if !ok {
		return false
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil || len(got) != sha256.Size {
		return false
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("v0:" + ts + ":"))
	m.Write(body)
	return hmac.Equal(got, m.Sum(nil))
}
