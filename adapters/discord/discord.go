// Package discord makes alexa-brief a Discord application: the signed
// interactions endpoint (/alexa-brief and its buttons), direct messages over
// the gateway, embeds rendering of bot.Reply, a rate-limited poster for
// replies and digests, and command registration.
package discord

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/internal/logsample"
)

// DefaultAPIURL is Discord's REST base.
const DefaultAPIURL = "https://discord.com/api/v9/"

// Handler answers requests: the bot core.
type Handler interface {
	Handle(ctx context.Context, req bot.Request) bot.Reply
}

// Store is what the adapter keeps: the gateway may deliver a message or an
// interaction twice (resume, several replicas), and a captured interaction
// may be replayed; FirstSeen makes each happen once. A store that is also
// a bot.OutboxStore (every real one) keeps direct messages until they are
// answered (outbox.go).
type Store interface {
	FirstSeen(ctx context.Context, platform, eventID string) (bool, error)
}

// Config configures an Adapter.
type Config struct {
	AppID      string            // application id (follow-ups, command registration)
	PublicKey  ed25519.PublicKey // verifies interactions; nil disables the endpoint
	BotToken   string            // REST and gateway; empty disables the gateway and posting
	APIURL     string            // REST base, DefaultAPIURL when empty
	ShardID    int               // gateway shard; DMs arrive on shard 0 only
	ShardCount int               // 0: as GET /gateway/bot recommends
	Logger     *slog.Logger
	Metrics    bot.Metrics
	HTTPClient *http.Client // REST calls; default with a 15 s timeout
	// Now is the clock signature timestamps are checked against
	// (default time.Now).
	Now func() time.Time
	// The outbox of direct messages (outbox.go), as Slack's: Workers
	// answered at once (default 4), Backlog waiting before new ones get a
	// busy reply (default 1000), Freshness how old a stored one may be and
	// still be answered (default 10m), Owner this process in the store's
	// claims (default host, pid and a random suffix), ShutdownTimeout how
	// long Run, once cancelled, goes on answering (default 15s). Used when
	// the store is a bot.OutboxStore; otherwise DMs are answered in process.
	Workers         int
	Backlog         int
	Freshness       time.Duration
	Owner           string
	ShutdownTimeout time.Duration
}

// Adapter is the Discord side of alexa-brief. It is safe for concurrent use.
type Adapter struct {
	cfg  Config
	h    Handler
	st   Store
	log  *slog.Logger
	m    bot.Metrics
	rest *restClient
	// outbox holds accepted direct messages until they are answered; nil
	// without a bot token, a handler or a store that keeps an outbox.
	outbox *bot.OutboxWorkers

	// deferAfter is how long an interaction waits for the handler before
	// answering "thinking…" (type 5): Discord allows 3 s for the first answer.
	deferAfter time.Duration
	// followUpFor bounds a deferred answer: the interaction token lives 15 min.
	followUpFor time.Duration

	// sampled writes at most a line a second per kind for floods of
	// rejected or replayed requests; metrics count every one.
	sampled *logsample.Sampler

	mu      sync.Mutex
	idle    *sync.Cond // signalled when running drops to zero
	running int        // interaction work still going after its HTTP answer
	selfID  string     // our bot user id, from the gateway's READY
	gateErr error      // set when Discord refused the bot token
	// gateDown says why the gateway is not connected ("" while it is):
	// direct messages, which arrive only over it, go unanswered meanwhile.
	gateDown string
}

// Log keys.
const (
	keyErr         = "err"
	keyInteraction = "interaction"
	keyMessage     = "message"
	keyShard       = "shard"
	keySuppressed  = "suppressed" // like lines left out of a sampled log since the last one
)

// New checks the configuration and returns an adapter. h and st may be nil
// for an adapter used only to Register commands or Post.
func New(cfg Config, h Handler, st Store) (*Adapter, error) {
	if cfg.PublicKey != nil && len(cfg.PublicKey) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("discord: public key has %d bytes, want %d", len(cfg.PublicKey), ed25519.PublicKeySize)
	}
	if (cfg.PublicKey != nil || cfg.BotToken != "") && cfg.AppID == "" {
		return nil, errors.New("discord: the application id (DISCORD_APP_ID) is required with a public key or bot token")
	}
	if cfg.ShardCount > 0 && (cfg.ShardID < 0 || cfg.ShardID >= cfg.ShardCount) {
		return nil, fmt.Errorf("discord: shard %d is not below shard count %d", cfg.ShardID, cfg.ShardCount)
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if !strings.HasSuffix(cfg.APIURL, "/") {
		cfg.APIURL += "/"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Metrics == nil {
		cfg.Metrics = bot.NopMetrics{}
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 15 * time.Second}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	token := ""
	if cfg.BotToken != "" {
		token = "Bot " + strings.TrimPrefix(cfg.BotToken, "Bot ")
	}
	a := &Adapter{
		cfg:         cfg,
		h:           h,
		st:          st,
		log:         cfg.Logger,
		m:           cfg.Metrics,
		rest:        newREST(cfg.APIURL, token, cfg.HTTPClient, cfg.Metrics),
		deferAfter:  2500 * time.Millisecond,
		followUpFor: 14 * time.Minute,
		sampled:     logsample.New(time.Second, cfg.Now),
	}
	a.idle = sync.NewCond(&a.mu)
	if cfg.BotToken != "" {
		a.gateDown = "gateway not connected yet"
	}
	if ob, ok := st.(bot.OutboxStore); ok && h != nil && cfg.BotToken != "" {
		w, err := bot.NewOutboxWorkers(bot.OutboxConfig{
			Platform: bot.PlatformDiscord, Store: ob, Handler: outboxHandler{a},
			Owner: cfg.Owner, Workers: cfg.Workers, Backlog: cfg.Backlog, Freshness: cfg.Freshness,
			Shutdown: cfg.ShutdownTimeout, Logger: cfg.Logger, Metrics: cfg.Metrics,
		})
		if err != nil {
			return nil, fmt.Errorf("discord: %w", err)
		}
		a.outbox = w
	}
	return a, nil
}

var (
	_ bot.Poster     = (*Adapter)(nil)
	_ bot.PostFinder = (*Adapter)(nil)
)

// Routes mounts POST /discord/interactions when a public key is configured.
func (a *Adapter) Routes(mux *http.ServeMux) {
	if a.cfg.PublicKey == nil {
		return
	}
	mux.Handle("/discord/interactions", http.HandlerFunc(a.serveInteractions))
}

// Ready reports whether the adapter can serve: not with a bot token
// Discord refused (nothing it posts would go through). The gateway being
// down is not a reason: interactions over HTTP and posting still work,
// and taking the replica out of service would stop those too without
// bringing the gateway back; Degraded reports it instead.
func (a *Adapter) Ready() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.gateErr
}

// Degraded says what does not work while the adapter is ready: the
// gateway not connected (when a bot token configures one), so direct
// messages, which arrive only over it, go unanswered. "" when all works.
func (a *Adapter) Degraded() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.gateErr != nil || a.cfg.BotToken == "" {
		return ""
	}
	return a.gateDown
}

// Run keeps the gateway connection for direct messages (and interactions in
// gateway-only mode) while ctx lives, when a bot token is set; otherwise it
// waits for ctx. Either way it returns after the interaction work started
// by the HTTP endpoint has finished.
func (a *Adapter) Run(ctx context.Context) error {
	defer a.wait()
	if a.cfg.BotToken == "" {
		<-ctx.Done()
		return nil
	}
	if a.outbox != nil {
		// Stored DMs are answered from the start, the gateway's own and
		// those another replica or an earlier start accepted; on the way
		// out the gateway is closed first, so the drain takes no new ones.
		a.outbox.Start()
		defer a.outbox.Stop()
	}
	return a.runGateway(ctx)
}

// background runs f as tracked work that outlives its HTTP request.
func (a *Adapter) background(f func()) {
	a.mu.Lock()
	a.running++
	a.mu.Unlock()
	go func() {
		defer func() {
			a.mu.Lock()
			a.running--
			if a.running == 0 {
				a.idle.Broadcast()
			}
			a.mu.Unlock()
		}()
		f()
	}()
}

// wait blocks until no background work is left.
func (a *Adapter) wait() {
	a.mu.Lock()
	for a.running > 0 {
		a.idle.Wait()
	}
	a.mu.Unlock()
}
