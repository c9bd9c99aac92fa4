package main

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// Log keys used across the command, in one place so lines stay greppable.
const (
	logKeyErr     = "err"
	logKeyAddr    = "addr"
	logKeyMethod  = "method"
	logKeyPath    = "path"
	logKeyStatus  = "status"
	logKeyLatency = "latency_ms"
	logKeyStore   = "store"
)

// newLogger builds the one slog handler of the process from LOG_FORMAT and
// LOG_LEVEL. Everything below receives it as a field.
func newLogger(w io.Writer, cfg Config) *slog.Logger {
	return slog.New(newHandler(w, cfg))
}

func newHandler(w io.Writer, cfg Config) slog.Handler {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.NewJSONHandler(w, opts)
	}
	return slog.NewTextHandler(w, opts)
}

// logFlushEvery is how long a line of serve's log may wait in its buffer.
const logFlushEvery = 100 * time.Millisecond

// logBufferBytes flushes a fuller buffer at once.
const logBufferBytes = 32 << 10

// newServeLogger is newLogger for serve, whose info line per request was
// one write(2) each: a tenth of what a cached brief costs it. Lines wait
// in a buffer for up to logFlushEvery (or logBufferBytes); a warning or
// an error is written at once with what came before it, so the line that
// explains a failure is never the one held back. flush writes what waits;
// serve calls it before it returns.
func newServeLogger(w io.Writer, cfg Config) (log *slog.Logger, flush func()) {
	b := &lineBuffer{w: w, arm: func(f func()) { time.AfterFunc(logFlushEvery, f) }}
	return slog.New(flushingHandler{newHandler(b, cfg), b}), b.flush
}

// lineBuffer collects whole lines (a slog handler writes one line a
// call) and writes them in batches.
type lineBuffer struct {
	w     io.Writer
	arm   func(func()) // calls its argument once, logFlushEvery later
	mu    sync.Mutex
	buf   []byte
	armed bool
}

func (b *lineBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) >= logBufferBytes {
		b.flushLocked()
	} else if !b.armed {
		b.armed = true
		b.arm(func() {
			b.mu.Lock()
			defer b.mu.Unlock()
			b.armed = false
			b.flushLocked()
		})
	}
	return len(p), nil
}

func (b *lineBuffer) flush() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.flushLocked()
}

func (b *lineBuffer) flushLocked() {
	if len(b.buf) > 0 {
		_, _ = b.w.Write(b.buf) // nowhere to report a failed log write
		b.buf = b.buf[:0]
	}
}

// flushingHandler writes a warning or worse through at once.
type flushingHandler struct {
	slog.Handler
	b *lineBuffer
}

func (h flushingHandler) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Level >= slog.LevelWarn {
		h.b.flush()
	}
	return err
}

func (h flushingHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return flushingHandler{h.Handler.WithAttrs(as), h.b}
}

func (h flushingHandler) WithGroup(name string) slog.Handler {
	return flushingHandler{h.Handler.WithGroup(name), h.b}
}
