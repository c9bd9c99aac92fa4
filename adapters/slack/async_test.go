package slack

import (
	"bytes"
	"context"
	"log/slog"
	"runtime"
	"strings"
	"testing"
)

// goroutineID is the number in the first line of this goroutine's stack
// trace ("goroutine 42 [running]:").
func goroutineID() string {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	id, _, _ := strings.Cut(strings.TrimPrefix(string(buf), "goroutine "), " ")
	return id
}

// TestAsyncReusesIdleWorker: work handed to async after earlier work has
// finished runs on the goroutine that ran it, not on a new one (whose
// stack would grow again by copying), and a panic in one piece of work
// neither stops the worker nor leaves Wait waiting.
func TestAsyncReusesIdleWorker(t *testing.T) {
	var logs bytes.Buffer
	a := &Adapter{
		work: context.Background(),
		idle: make(chan func(ctx context.Context)),
		log:  slog.New(slog.NewTextHandler(&logs, nil)),
	}
	ids := make(chan string, 3)
	a.async(func(context.Context) { ids <- goroutineID() })
	first := <-ids
	a.wg.Wait()
	// As async does when a worker is idle, but waiting for the worker to
	// be idle: async itself starts a new goroutine when it is not yet.
	toIdle := func(f func(context.Context)) {
		a.wg.Add(1)
		a.idle <- f
	}
	toIdle(func(context.Context) { ids <- goroutineID(); panic("boom") })
	second := <-ids
	a.wg.Wait()
	toIdle(func(context.Context) { ids <- goroutineID() })
	third := <-ids
	a.wg.Wait()
	if second != first || third != first {
		t.Errorf("work ran on goroutines %s, %s, %s; want one idle worker reused", first, second, third)
	}
	if got := logs.String(); !strings.Contains(got, "panic in background work") {
		t.Errorf("log %q does not report the panic", got)
	}
}
