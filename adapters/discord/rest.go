package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
)

// The REST client is our own rather than discordgo's: discordgo sleeps
// without a context, cannot report waits and retries to bot.Metrics, has no
// global 50 requests/s limiter and cannot send nonce/enforce_nonce through
// its MessageSend. discordgo still provides the payload types and the gateway.

// APIError is a final error answer from Discord, with its JSON error code.
type APIError struct {
	Method, Route string
	Status        int
	Code          int    // Discord's JSON error code, e.g. 50013 Missing Permissions
	Message       string // Discord's error message
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d: code %d: %s", e.Method, e.Route, e.Status, e.Code, e.Message)
}

const (
	globalLimit  = 50                   // requests per second per bot (Discord's global limit)
	globalWindow = time.Second          // over which globalLimit counts
	globalMargin = 2 * time.Millisecond // clock rate and resolution; latency is bounded otherwise (limit.go)
	max429       = 8                    // consecutive 429s before giving up
	maxRetries   = 4                    // 5xx or transport errors before giving up
)

type restClient struct {
	base    string // ends with "/"
	token   string // "Bot …", never logged
	client  *http.Client
	metrics bot.Metrics
	backoff time.Duration // first 5xx backoff, doubled per retry

	global *globalLimiter

	mu      sync.Mutex
	buckets map[string]*routeBucket
}

// routeBucket serialises one route and remembers what Discord said about it.
type routeBucket struct {
	sync.Mutex // held for the whole request: Discord counts per route, so do we
	remaining  int
	known      bool
	reset      time.Time
	users      int // goroutines holding or waiting for it; guarded by restClient.mu
}

func newREST(base, token string, client *http.Client, m bot.Metrics) *restClient {
	return &restClient{
		base:    base,
		token:   token,
		client:  client,
		metrics: m,
		backoff: 250 * time.Millisecond,
		buckets: map[string]*routeBucket{},
		global:  newGlobalLimiter(globalLimit, globalWindow, globalMargin),
	}
}

// do sends one JSON request and decodes the answer into out (when not nil).
// It keeps to the route's bucket and the global limit, waits as told on 429,
// retries 5xx and transport errors with backoff, and returns an *APIError
// for a final error answer.
func (c *restClient) do(ctx context.Context, method, path string, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return fmt.Errorf("encode %s %s: %w", method, routeOf(path), err)
		}
	}
	route := method + " " + routeOf(path)
	b := c.acquire(bucketKey(method, path))
	defer c.release(b)
	// Interaction webhooks and callbacks are exempt from the global limit.
	global := !strings.HasPrefix(path, "webhooks/") && !strings.HasPrefix(path, "interactions/")
	limited, failed := 0, 0
	for {
		if err := c.waitBucket(ctx, b); err != nil {
			return fmt.Errorf("%s: %w", route, err)
		}
		release := func() {}
		if global {
			var err error
			if release, err = c.global.acquire(ctx, c.waited); err != nil {
				return fmt.Errorf("%s: %w", route, err)
			}
		}
		status, hdr, resp, err := c.send(ctx, method, path, body)
		release()
		c.metrics.APICall(bot.PlatformDiscord, route, status)
		if err == nil {
			c.update(b, hdr)
		}
		switch {
		case err != nil || status >= 500:
			if ctx.Err() != nil {
				return fmt.Errorf("%s: %w", route, ctx.Err())
			}
			failed++
			if failed > maxRetries {
				if err != nil {
					return fmt.Errorf("%s: %w", route, err)
				}
				return apiError(method, path, status, resp)
			}
			c.metrics.Retried(bot.PlatformDiscord)
			if err := c.sleep(ctx, c.backoff<<(failed-1)); err != nil {
				return fmt.Errorf("%s: %w", route, err)
			}
		case status == http.StatusTooManyRequests:
			c.metrics.RateLimited(bot.PlatformDiscord)
			limited++
			if limited > max429 {
				return apiError(method, path, status, resp)
			}
			wait, isGlobal := retryAfter(hdr, resp)
			if isGlobal {
				c.global.hold(time.Now().Add(wait))
			}
			c.metrics.Retried(bot.PlatformDiscord)
			c.metrics.Waited(bot.PlatformDiscord, wait)
			if err := c.sleep(ctx, wait); err != nil {
				return fmt.Errorf("%s: %w", route, err)
			}
		case status >= 400:
			return apiError(method, path, status, resp)
		default:
			if out != nil && len(resp) > 0 {
				if err := json.Unmarshal(resp, out); err != nil {
					return fmt.Errorf("decode %s: %w", route, err)
				}
			}
			return nil
		}
	}
}

func (c *restClient) send(ctx context.Context, method, path string, body []byte) (int, http.Header, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, nil, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" && !strings.HasPrefix(path, "webhooks/") && !strings.HasPrefix(path, "interactions/") {
		req.Header.Set("Authorization", c.token)
	}
	req.Header.Set("User-Agent", "DiscordBot (https://github.com/alexa-brief/alexa-brief, 1)")
	resp, err := c.client.Do(req)
	if err != nil {
		// *url.Error quotes the URL, and a webhook URL holds the
		// interaction token: keep only the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return 0, nil, nil, err
	}
	return resp.StatusCode, resp.Header, data, nil
}

// acquire locks the bucket of key, creating it when needed. Buckets nobody
// holds and whose window has passed are dropped now and then, so one per
// interaction token does not pile up.
func (c *restClient) acquire(key string) *routeBucket {
	c.mu.Lock()
	b := c.buckets[key]
	if b == nil {
		if len(c.buckets) >= 1024 {
			now := time.Now()
			for k, old := range c.buckets {
				if old.users == 0 && !old.reset.After(now) {
					delete(c.buckets, k)
				}
			}
		}
		b = &routeBucket{}
		c.buckets[key] = b
	}
	b.users++
	c.mu.Unlock()
	b.Lock()
	return b
}

func (c *restClient) release(b *routeBucket) {
	b.Unlock()
	c.mu.Lock()
	b.users--
	c.mu.Unlock()
}

// update reads X-RateLimit-Remaining and X-RateLimit-Reset-After.
func (c *restClient) update(b *routeBucket, h http.Header) {
	rem, err1 := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	after, err2 := strconv.ParseFloat(h.Get("X-RateLimit-Reset-After"), 64)
	if err1 != nil || err2 != nil {
		return
	}
	b.known, b.remaining, b.reset = true, rem, time.Now().Add(seconds(after))
}

func (c *restClient) waitBucket(ctx context.Context, b *routeBucket) error {
	if !b.known || b.remaining > 0 {
		return nil
	}
	if d := time.Until(b.reset); d > 0 {
		c.metrics.Waited(bot.PlatformDiscord, d)
		if err := c.sleep(ctx, d); err != nil {
			return err
		}
	}
	b.known = false // the window has reset; the next answer tells us more
	return nil
}

func (c *restClient) waited(d time.Duration) { c.metrics.Waited(bot.PlatformDiscord, d) }

func (c *restClient) sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// retryAfter reads the 429 body's retry_after (float seconds), falling back
// to the Retry-After header, and whether the limit is global.
func retryAfter(h http.Header, body []byte) (time.Duration, bool) {
	var r struct {
		RetryAfter float64 `json:"retry_after"`
		Global     bool    `json:"global"`
	}
	_ = json.Unmarshal(body, &r)
	global := r.Global || h.Get("X-RateLimit-Global") == "true"
	if r.RetryAfter > 0 {
		return seconds(r.RetryAfter), global
	}
	if s, err := strconv.ParseFloat(h.Get("Retry-After"), 64); err == nil && s > 0 {
		return seconds(s), global
	}
	return time.Second, global
}

func seconds(s float64) time.Duration {
	return time.Duration(math.Ceil(s * float64(time.Second)))
}

func apiError(method, path string, status int, body []byte) error {
	e := &APIError{Method: method, Route: routeOf(path), Status: status}
	var r struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &r) == nil {
		e.Code, e.Message = r.Code, r.Message
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	return e
}

// routeOf names a path for logs, metrics and errors: every id hidden (few
// label values), and never an interaction token (a credential for 15 min).
func routeOf(path string) string {
	path, _, _ = strings.Cut(path, "?")
	p := strings.Split(path, "/")
	for i := range p {
		switch {
		case i == 2 && (p[0] == "webhooks" || p[0] == "interactions"):
			p[i] = "{token}"
		case isSnowflake(p[i]):
			p[i] = "{id}"
		}
	}
	return strings.Join(p, "/")
}

// bucketKey groups requests as Discord's rate limits do: by route and its
// top-level resource (channel, guild, or webhook id and token).
func bucketKey(method, path string) string {
	path, _, _ = strings.Cut(path, "?")
	p := strings.Split(path, "/")
	for i := range p {
		major := i == 1 && (p[0] == "channels" || p[0] == "guilds" || p[0] == "webhooks" || p[0] == "interactions") ||
			i == 2 && (p[0] == "webhooks" || p[0] == "interactions")
		if !major && isSnowflake(p[i]) {
			p[i] = "{id}"
		}
	}
	return method + " " + strings.Join(p, "/")
}

func isSnowflake(s string) bool {
	if s == "" {
		return false
	}
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}

var errNoToken = errors.New("DISCORD_BOT_TOKEN is not set")
