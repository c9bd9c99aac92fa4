// Package prometheus implements bot.Metrics with prometheus/client_golang
// and serves them in the Prometheus text format.
package prometheus

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	prom "github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/alexa-brief/alexa-brief/bot"
)

const namespace = "alexa_brief"

// Metrics holds the collectors; it implements bot.Metrics.
type Metrics struct {
	reg         *prom.Registry
	commands    *prom.CounterVec
	latency     *prom.HistogramVec
	declined    *prom.CounterVec
	digests     *prom.CounterVec
	apiCalls    *prom.CounterVec
	rateLimited *prom.CounterVec
	retries     *prom.CounterVec
	waits       *prom.HistogramVec
	connection  *prom.GaugeVec
	unverified  *prom.CounterVec
	unsaved     *prom.CounterVec
	outbox      *prom.CounterVec
	backlog     *prom.GaugeVec
	llmLatency  prom.Histogram
	llmTokens   *prom.CounterVec
	llmOutcomes *prom.CounterVec
	llmClaims   *prom.CounterVec
}

var _ bot.Metrics = (*Metrics)(nil)

// New registers every collector, plus Go runtime and process metrics and a
// build-info gauge, on a registry of its own (so tests can make several).
func New(version, commit string) *Metrics {
	m := &Metrics{
		reg: prom.NewRegistry(),
		commands: prom.NewCounterVec(prom.CounterOpts{Namespace: namespace, Name: "commands_total",
			Help: "Requests handled, by platform, command and outcome."}, []string{"platform", "command", "outcome"}),
		latency: prom.NewHistogramVec(prom.HistogramOpts{Namespace: namespace, Name: "answer_latency_seconds",
			Help:    "Time to produce a reply, by platform and command.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}}, []string{"platform", "command"}),
		declined: prom.NewCounterVec(prom.CounterOpts{Namespace: namespace, Name: "questions_declined_total",
			Help: "Questions answered with \"the articles don't say\", by platform."}, []string{"platform"}),
		digests: prom.NewCounterVec(prom.CounterOpts{Namespace: namespace, Name: "digests_total",
			Help: "Digest slots reaching a final state, by platform and state."}, []string{"platform", "state"}),
		apiCalls: prom.NewCounterVec(prom.CounterOpts{Namespace: namespace, Name: "platform_api_calls_total",
			Help: "Platform API calls, by platform, method and HTTP status (0: transport error)."}, []string{"platform", "method", "status"}),
		rateLimited: prom.NewCounterVec(prom.CounterOpts{Namespace: namespace, Name: "rate_limited_total",
			Help: "HTTP 429 answers from a platform."}, []string{"platform"}),
		retries: prom.NewCounterVec(prom.CounterOpts{Namespace: namespace, Name: "retries_total",
			Help: "Platform API calls retried."}, []string{"platform"}),
		waits: prom.NewHistogramVec(prom.HistogramOpts{Namespace: namespace, Name: "rate_limit_wait_seconds",
			Help:    "Time spent waiting to keep within platform rate limits.",
			Buckets: []float64{.01, .05, .1, .25, .5, 1, 2, 5, 10, 30, 60}}, []string{"platform"}),
		connection: prom.NewGaugeVec(prom.GaugeOpts{Namespace: namespace, Name: "connection_up",
			Help: "1 while the Slack Socket Mode or Discord gateway connection is up."}, []string{"platform"}),
		unverified: prom.NewCounterVec(prom.CounterOpts{Namespace: namespace, Name: "unverified_requests_total",
			Help: "Requests refused with 401 for a missing, wrong or stale signature (their log lines are sampled)."}, []string{"platform"}),
		unsaved: prom.NewCounterVec(prom.CounterOpts{Namespace: namespace, Name: "conversations_not_saved_total",
			Help: "Answers given whose exchange the store failed to save (a follow-up lacks its context)."}, []string{"platform"}),
		outbox: prom.NewCounterVec(prom.CounterOpts{Namespace: namespace, Name: "outbox_events_total",
			Help: "Accepted events by how they ended: answered, failed (reply not posted), expired (past the freshness window), busy (refused with a busy reply), dropped (refused, busy reply not sent)."}, []string{"platform", "outcome"}),
		backlog: prom.NewGaugeVec(prom.GaugeOpts{Namespace: namespace, Name: "outbox_backlog",
			Help: "Accepted events waiting for an answer or being answered, as last counted."}, []string{"platform"}),
		llmLatency: prom.NewHistogram(prom.HistogramOpts{Namespace: namespace, Name: "llm_call_seconds",
			Help:    "Time of one call to the language model (chat completion), whatever its end.",
			Buckets: []float64{.1, .25, .5, 1, 2, 3, 5, 8, 12, 15, 20, 25}}),
		llmTokens: prom.NewCounterVec(prom.CounterOpts{Namespace: namespace, Name: "llm_tokens_total",
			Help: "Tokens the language model's replies report using, by kind (prompt, completion)."}, []string{"kind"}),
		llmOutcomes: prom.NewCounterVec(prom.CounterOpts{Namespace: namespace, Name: "llm_outcomes_total",
			Help: "Language model calls by use (answer, summary) and outcome: written, or why the extractive text was shown (none_kept, timeout, malformed, error)."}, []string{"use", "outcome"}),
		llmClaims: prom.NewCounterVec(prom.CounterOpts{Namespace: namespace, Name: "llm_claims_total",
			Help: "Claims of the language model's replies by use (answer, summary) and verdict (kept, dropped by verification)."}, []string{"use", "verdict"}),
	}
	build := prom.NewGaugeVec(prom.GaugeOpts{Namespace: namespace, Name: "build_info",
		Help: "Build information; the value is always 1."}, []string{"version", "commit"})
	build.WithLabelValues(version, commit).Set(1)
	m.reg.MustRegister(m.commands, m.latency, m.declined, m.digests, m.apiCalls, m.rateLimited,
		m.retries, m.waits, m.connection, m.unverified, m.unsaved, m.outbox, m.backlog,
		m.llmLatency, m.llmTokens, m.llmOutcomes, m.llmClaims, build,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves /metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Registry exposes the registry, for tests that gather.
func (m *Metrics) Registry() *prom.Registry { return m.reg }

func (m *Metrics) CommandHandled(platform, command, outcome string, latency time.Duration) {
	m.commands.WithLabelValues(platform, command, outcome).Inc()
	m.latency.WithLabelValues(platform, command).Observe(latency.Seconds())
	if outcome == "declined" {
		m.declined.WithLabelValues(platform).Inc()
	}
}

func (m *Metrics) DigestFinished(platform string, state bot.DeliveryState) {
	m.digests.WithLabelValues(platform, string(state)).Inc()
}

func (m *Metrics) APICall(platform, method string, status int) {
	m.apiCalls.WithLabelValues(platform, method, strconv.Itoa(status)).Inc()
}

func (m *Metrics) RateLimited(platform string) { m.rateLimited.WithLabelValues(platform).Inc() }
func (m *Metrics) Retried(platform string)     { m.retries.WithLabelValues(platform).Inc() }
func (m *Metrics) Waited(platform string, d time.Duration) {
	m.waits.WithLabelValues(platform).Observe(d.Seconds())
}

func (m *Metrics) Connection(platform string, up bool) {
	v := 0.0
	if up {
		v = 1
	}
	m.connection.WithLabelValues(platform).Set(v)
}

func (m *Metrics) Unverified(platform string)           { m.unverified.WithLabelValues(platform).Inc() }
func (m *Metrics) ConversationNotSaved(platform string) { m.unsaved.WithLabelValues(platform).Inc() }

func (m *Metrics) OutboxEvents(platform, outcome string, n int) {
	m.outbox.WithLabelValues(platform, outcome).Add(float64(n))
}

func (m *Metrics) OutboxBacklog(platform string, n int) {
	m.backlog.WithLabelValues(platform).Set(float64(n))
}

func (m *Metrics) ModelLatency(d time.Duration) { m.llmLatency.Observe(d.Seconds()) }

func (m *Metrics) ModelTokens(prompt, completion int64) {
	m.llmTokens.WithLabelValues("prompt").Add(float64(max(prompt, 0)))
	m.llmTokens.WithLabelValues("completion").Add(float64(max(completion, 0)))
}

func (m *Metrics) WrittenOutcome(use, outcome string) {
	m.llmOutcomes.WithLabelValues(use, outcome).Inc()
}

func (m *Metrics) WrittenClaims(use string, kept, dropped int) {
	m.llmClaims.WithLabelValues(use, "kept").Add(float64(max(kept, 0)))
	m.llmClaims.WithLabelValues(use, "dropped").Add(float64(max(dropped, 0)))
}

// ModelReachable exports reachable as the gauge llm_reachable: 1 while the
// language model answers its probe (as /readyz reports it), else 0. It is
// called at every scrape; the probe caches its answer, so scrapes do not
// load the model. Registering it twice is an error.
func (m *Metrics) ModelReachable(reachable func() bool) error {
	g := prom.NewGaugeFunc(prom.GaugeOpts{Namespace: namespace, Name: "llm_reachable",
		Help: "1 while the language model answers its probe (GET {base}/models), as /readyz reports it, else 0."}, func() float64 {
		if reachable() {
			return 1
		}
		return 0
	})
	if err := m.reg.Register(g); err != nil {
		return fmt.Errorf("prometheus: llm_reachable: %w", err)
	}
	return nil
}

// PlatformReady exports ready as the gauge platform_ready{platform}: 1 while
// the platform can serve (what /readyz checks), 0 while not. ready is
// called at every scrape, so the gauge is never stale. A platform is
// registered once; a second registration is an error.
func (m *Metrics) PlatformReady(platform string, ready func() bool) error {
	g := prom.NewGaugeFunc(prom.GaugeOpts{Namespace: namespace, Name: "platform_ready",
		Help:        "1 while the platform is ready to serve (as /readyz reports it), else 0.",
		ConstLabels: prom.Labels{"platform": platform}}, func() float64 {
		if ready() {
			return 1
		}
		return 0
	})
	if err := m.reg.Register(g); err != nil {
		return fmt.Errorf("prometheus: platform_ready %s: %w", platform, err)
	}
	return nil
}
