package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// TestServeLoggerBuffers: info lines wait for the timer, the size limit or
// flush; a warning is written at once with the lines before it.
func TestServeLoggerBuffers(t *testing.T) {
	var out bytes.Buffer
	var timers []func()
	b := &lineBuffer{w: &out, arm: func(f func()) { timers = append(timers, f) }}
	log := slog.New(flushingHandler{newHandler(b, Config{LogFormat: "json", LogLevel: slog.LevelInfo}), b}).With("k", "v")

	log.Info("one")
	log.Info("two")
	if got := out.String(); got != "" {
		t.Fatalf("info lines written before a flush: %q", got)
	}
	if len(timers) != 1 {
		t.Fatalf("%d flush timers armed for two lines, want 1", len(timers))
	}
	timers[0]()
	if got, want := strings.Count(out.String(), "\n"), 2; got != want {
		t.Fatalf("after the timer: %d lines written, want %d:\n%s", got, want, out.String())
	}

	out.Reset()
	log.Info("three")
	log.Warn("four")
	got := out.String()
	if !strings.Contains(got, `"msg":"three"`) || !strings.Contains(got, `"msg":"four"`) || !strings.Contains(got, `"k":"v"`) {
		t.Fatalf("a warning did not write itself and what waited before it: %q", got)
	}
	if strings.Index(got, "three") > strings.Index(got, "four") {
		t.Errorf("lines out of order: %q", got)
	}

	out.Reset()
	long := strings.Repeat("x", logBufferBytes)
	log.Info(long)
	if !strings.Contains(out.String(), long) {
		t.Errorf("a line past the buffer's size waited")
	}
	out.Reset()
	log.Info("five")
	b.flush()
	if !strings.Contains(out.String(), `"msg":"five"`) {
		t.Errorf("flush left %q unwritten", "five")
	}
}
