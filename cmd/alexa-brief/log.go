package main

import (
	"io"
	"log/slog"
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
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
