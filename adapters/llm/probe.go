package llm

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Probe defaults: a probe waits at most ProbeTimeout, and its answer is
// reused for ProbeEvery, so that /readyz stays fast and scrapes and
// readiness checks do not become load on the model.
const (
	ProbeTimeout = 2 * time.Second
	ProbeEvery   = 15 * time.Second
)

// Probe asks the server for its models (GET {BaseURL}/models), which
// OpenAI, Ollama, llama.cpp and vLLM answer cheaply without running the
// model. Its error is safe to show an operator: it names what failed
// (refused, no answer, an HTTP status), never the URL or the key.
func (c *Client) Probe(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(c.base, "/")+"/models", nil)
	if err != nil {
		return errors.New("llm: bad base URL")
	}
	if c.apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.apiKey)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.metrics.APICall(Platform, "models", 0)
		return fmt.Errorf("llm: %s", transportReason(ctx, err))
	}
	res.Body.Close()
	c.metrics.APICall(Platform, "models", res.StatusCode)
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("llm: HTTP %d", res.StatusCode)
	}
	return nil
}

// transportReason names a transport failure without its detail, which
// holds the URL.
func transportReason(ctx context.Context, err error) string {
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded):
		return "no answer within the probe's timeout"
	case errors.As(err, &dns):
		return "host not found"
	case errors.As(err, &op) && op.Op == "dial":
		return "connection refused or unreachable"
	}
	return "request failed"
}

// Reachability caches Probe: Check probes at most once per ProbeEvery, and
// concurrent checks share one probe. It is safe for concurrent use.
type Reachability struct {
	probe   func(context.Context) error
	every   time.Duration
	timeout time.Duration

	mu   sync.Mutex
	at   time.Time // of the last probe; zero before the first
	last error
}

// NewReachability probes c; zero durations take ProbeEvery and ProbeTimeout.
func NewReachability(c *Client, every, timeout time.Duration) *Reachability {
	if every <= 0 {
		every = ProbeEvery
	}
	if timeout <= 0 {
		timeout = ProbeTimeout
	}
	return &Reachability{probe: c.Probe, every: every, timeout: timeout}
}

// Check returns the last probe's result, probing first when it is older
// than the cache period. nil means reachable.
func (r *Reachability) Check(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.at.IsZero() && time.Since(r.at) < r.every {
		return r.last
	}
	// Not the caller's context alone: a cancelled readiness request must
	// not be cached as an unreachable model.
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.timeout)
	defer cancel()
	r.last, r.at = r.probe(pctx), time.Now()
	return r.last
}

// Status is Check as /readyz words it: "reachable" or "unreachable (…)".
func (r *Reachability) Status(ctx context.Context) string {
	if err := r.Check(ctx); err != nil {
		return "unreachable (" + strings.TrimPrefix(err.Error(), "llm: ") + ")"
	}
	return "reachable"
}

// Reachable is Check as a bool, for a gauge.
func (r *Reachability) Reachable() bool { return r.Check(context.Background()) == nil }
