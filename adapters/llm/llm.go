// Package llm is the client of an OpenAI-compatible chat completions API
// (OpenAI, Ollama, llama.cpp, vLLM …) that writes answers for package
// written. It builds the prompt the SPEC lays out, asks for the claims
// JSON, and reads the reply; it checks nothing of what the model says,
// which is written.Verify's job.
package llm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/alexa-brief/alexa-brief/briefs/written"
)

var _ written.Writer = (*Client)(nil)

// Platform is the name metrics count the model's calls under.
const Platform = "llm"

// DefaultMaxTokens bounds one reply: a few claims of a sentence or two.
const DefaultMaxTokens = 512

// defaultRetryAfter is the wait after a 429 that does not say how long.
const defaultRetryAfter = time.Second

// Metrics receives the calls operators count; bot.Metrics (and so the
// Prometheus adapter) has these methods.
type Metrics interface {
	APICall(platform, method string, status int)
	RateLimited(platform string)
	Retried(platform string)
	Waited(platform string, d time.Duration)
	// ModelLatency records one chat completion call, whatever its end.
	ModelLatency(d time.Duration)
	// ModelTokens counts the tokens a reply's usage reports.
	ModelTokens(prompt, completion int64)
}

// Config is what a Client needs.
type Config struct {
	// BaseURL is the API base, "{BaseURL}/chat/completions" the endpoint
	// (e.g. http://localhost:11434/v1 for Ollama).
	BaseURL string
	Model   string
	// APIKey is sent as "Authorization: Bearer" when set.
	APIKey    string
	MaxTokens int // default DefaultMaxTokens
	// HTTPClient defaults to one without a timeout of its own: the
	// caller's context bounds each answer.
	HTTPClient *http.Client
	Logger     *slog.Logger
	Metrics    Metrics
}

// Client writes claims with a chat model. It is safe for concurrent use.
type Client struct {
	chat      openai.ChatCompletionService
	base      string // for the reachability probe
	apiKey    string
	hc        *http.Client
	model     string
	maxTokens int
	log       *slog.Logger
	metrics   Metrics
}

// New returns a Client over cfg.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" || cfg.Model == "" {
		return nil, errors.New("llm: base URL and model are required")
	}
	c := &Client{model: cfg.Model, maxTokens: cfg.MaxTokens, log: cfg.Logger, metrics: cfg.Metrics}
	if c.maxTokens <= 0 {
		c.maxTokens = DefaultMaxTokens
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.metrics == nil {
		c.metrics = nopMetrics{}
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	c.base, c.apiKey, c.hc = cfg.BaseURL, cfg.APIKey, hc
	// The service alone, not openai.NewClient: the client reads
	// OPENAI_API_KEY, OPENAI_BASE_URL and more from the environment, which
	// would send a key nobody configured here to whatever server is set.
	// Its own retries are off: they would retry a 500 the SPEC answers
	// extractively, and a 429 on their own schedule; Write waits as
	// Retry-After says, once, within the answer's deadline.
	opts := []option.RequestOption{
		option.WithBaseURL(cfg.BaseURL),
		option.WithHTTPClient(hc),
		option.WithMaxRetries(0),
	}
	if cfg.APIKey != "" {
		opts = append(opts, option.WithAPIKey(cfg.APIKey))
	}
	c.chat = openai.NewChatCompletionService(opts...)
	return c, nil
}

// ErrRateLimited is a 429 whose Retry-After is past the answer's deadline,
// or a second 429.
var ErrRateLimited = errors.New("llm: rate limited")

// Write asks the model for the claims answering question from sentences.
// A 429 waits as Retry-After says (a second when it does not say) and
// retries once, unless the wait would outlast ctx.
func (c *Client) Write(ctx context.Context, question string, sentences []string) ([]written.Claim, error) {
	params := c.params(question, sentences)
	for attempt := 0; ; attempt++ {
		start := time.Now()
		var res *http.Response
		comp, err := c.chat.New(ctx, params, option.WithResponseInto(&res))
		status := 0
		if res != nil {
			status = res.StatusCode
		}
		latency := time.Since(start)
		c.metrics.APICall(Platform, "chat.completions", status)
		c.metrics.ModelLatency(latency)
		if err == nil {
			c.metrics.ModelTokens(comp.Usage.PromptTokens, comp.Usage.CompletionTokens)
			c.log.Debug("model replied", "status", status, "latency", latency,
				"prompt_tokens", comp.Usage.PromptTokens, "completion_tokens", comp.Usage.CompletionTokens)
			return claimsOf(comp)
		}
		var apiErr *openai.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusTooManyRequests {
			return nil, fmt.Errorf("llm: chat completion: %w", err)
		}
		c.metrics.RateLimited(Platform)
		if attempt > 0 {
			return nil, fmt.Errorf("%w: twice", ErrRateLimited)
		}
		wait := defaultRetryAfter
		if apiErr.Response != nil {
			if d, ok := retryAfter(apiErr.Response.Header.Get("Retry-After"), time.Now()); ok {
				wait = d
			}
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return nil, fmt.Errorf("%w: retry after %s is past the answer's deadline", ErrRateLimited, wait)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("llm: waiting to retry: %w", ctx.Err())
		case <-t.C:
		}
		c.metrics.Waited(Platform, wait)
		c.metrics.Retried(Platform)
	}
}

func (c *Client) params(question string, sentences []string) openai.ChatCompletionNewParams {
	return openai.ChatCompletionNewParams{
		Model: c.model,
		Messages: []openai.ChatCompletionMessageParamUnion{
			openai.SystemMessage(systemPrompt),
			openai.UserMessage(UserMessage(question, sentences)),
		},
		MaxTokens: openai.Int(int64(c.maxTokens)),
		// Deterministic where the server allows: the cache assumes the
		// same prompt gets the same reply.
		Temperature: openai.Float(0),
		ResponseFormat: openai.ChatCompletionNewParamsResponseFormatUnion{
			OfJSONSchema: &openai.ResponseFormatJSONSchemaParam{
				JSONSchema: openai.ResponseFormatJSONSchemaJSONSchemaParam{
					Name:   "claims",
					Schema: claimsSchema,
					Strict: openai.Bool(true),
				},
			},
		},
	}
}

func claimsOf(comp *openai.ChatCompletion) ([]written.Claim, error) {
	if comp == nil || len(comp.Choices) == 0 {
		return nil, fmt.Errorf("%w: no choices", ErrMalformed)
	}
	m := comp.Choices[0].Message
	if m.Content == "" && m.Refusal != "" {
		return nil, errors.New("llm: the model refused")
	}
	return ParseClaims(m.Content)
}

// retryAfter reads a Retry-After value: seconds (fractions allowed) or an
// HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

type nopMetrics struct{}

func (nopMetrics) APICall(string, string, int)  {}
func (nopMetrics) RateLimited(string)           {}
func (nopMetrics) Retried(string)               {}
func (nopMetrics) Waited(string, time.Duration) {}
func (nopMetrics) ModelLatency(time.Duration)   {}
func (nopMetrics) ModelTokens(int64, int64)     {}
