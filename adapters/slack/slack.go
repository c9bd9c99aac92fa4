// Package slack connects alexa-brief to Slack: signed slash commands,
// Events API direct messages and mentions, button actions, Socket Mode,
// Block Kit rendering, a rate-limited poster and OAuth v2 install.
//
// HTTP and Socket Mode share one code path: both hand the same payloads
// to command, accept (which stores events in the outbox, outbox.go) and
// interaction.
package slack

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/internal/logsample"
)

// Handler answers a request; *bot.Bot implements it.
type Handler interface {
	Handle(ctx context.Context, req bot.Request) bot.Reply
}

// Store is the part of bot.Store the adapter uses: event dedup across
// replicas, the outbox of accepted events, and per-workspace installs.
type Store interface {
	bot.Outbox
	FirstSeen(ctx context.Context, platform, eventID string) (bool, error)
	PutInstall(ctx context.Context, in bot.Install) error
	Install(ctx context.Context, platform, team string) (bot.Install, error)
}

// Config is what the adapter needs; cmd fills it from the environment.
type Config struct {
	SigningSecret string // verifies HTTP requests; without it every HTTP request gets 401
	BotToken      string // xoxb-: single-workspace token, and fallback for teams without an install
	AppToken      string // xapp-: enables Socket Mode
	ClientID      string // OAuth v2 install, with ClientSecret
	ClientSecret  string
	APIURL        string // Web API base ending in "/", default https://slack.com/api/
	Logger        *slog.Logger
	Metrics       bot.Metrics
	Now           func() time.Time // the clock for signatures and OAuth state
	HTTPClient    *http.Client
	// StateSecret signs the OAuth state cookie; derived from ClientSecret
	// when nil.
	StateSecret []byte

	// The outbox (outbox.go). Workers is how many accepted events are
	// answered at once (default 4); Backlog how many may wait before new
	// ones get a busy reply instead (default 1000); Freshness how old an
	// unanswered event may grow before it is expired unanswered (default
	// 10m). Owner names this process in the store's claims (default host,
	// pid and a random suffix).
	Workers   int
	Backlog   int
	Freshness time.Duration
	Owner     string
	// ShutdownTimeout bounds how long Run, once cancelled, goes on
	// answering stored events and finishing commands in hand (default
	// 15s); cmd passes ALEXA_BRIEF_SHUTDOWN_TIMEOUT. Events not answered
	// by then stay stored.
	ShutdownTimeout time.Duration
}

// Adapter is the Slack side of alexa-brief. It is safe for concurrent use.
type Adapter struct {
	cfg      Config
	h        Handler
	st       Store
	log      *slog.Logger
	metrics  bot.Metrics
	http     *http.Client // instrumented: every call counted in Metrics.APICall
	verifier verifier

	// The adapter owns the goroutines that finish slash commands and
	// answer events after the HTTP ack; work is their context, cancelled
	// only when a drain runs out of time. It is stored, against the usual
	// rule, because it is the adapter's lifetime, not a request's.
	work       context.Context
	cancelWork context.CancelFunc
	wg         sync.WaitGroup
	idle       chan func(ctx context.Context) // async's idle workers receive

	// outbox answers the stored events (outbox.go) with a fixed pool of
	// workers, whatever the traffic.
	outbox *bot.OutboxWorkers

	// sampled writes at most a line a second per kind for floods of
	// rejected or replayed requests; metrics count every one.
	sampled *logsample.Sampler

	renders renderCache // Block Kit of replies with a Key

	limits  *limiter
	botUser atomic.Pointer[string] // the default token's bot user id, from auth.test

	socketUp    atomic.Bool
	socketEver  atomic.Bool            // Socket Mode has connected since Run started
	fatal       atomic.Pointer[string] // a bot token error Ready reports
	socketFatal atomic.Pointer[string] // an app token error, cleared on connect

	// Test hooks: the inline deadline for slash commands, the timeout of
	// one API attempt, how the poster sleeps and jitters, the outbox's
	// the drain's timer.
	inlineDeadline time.Duration
	attemptTimeout time.Duration
	sleep          func(ctx context.Context, d time.Duration) error
	jitter         func(d time.Duration) time.Duration
	after          func(d time.Duration) <-chan time.Time
}

// Platform is the adapter's platform name.
const platform = bot.PlatformSlack

const (
	defaultAPIURL = "https://slack.com/api/"
	// Slack gives a slash command 3 s; keep margin for the network.
	defaultInlineDeadline = 2500 * time.Millisecond
)

var (
	_ bot.Poster     = (*Adapter)(nil)
	_ bot.PostFinder = (*Adapter)(nil)
)

// New returns an adapter answering with h and keeping event ids and
// installs in st.
func New(cfg Config, h Handler, st Store) (*Adapter, error) {
	if h == nil || st == nil {
		return nil, errors.New("slack: new: handler and store are required")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = defaultAPIURL
	}
	if !strings.HasSuffix(cfg.APIURL, "/") {
		cfg.APIURL += "/"
	}
	if (cfg.ClientID == "") != (cfg.ClientSecret == "") {
		return nil, errors.New("slack: new: set both client id and client secret, or neither")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Metrics == nil {
		cfg.Metrics = bot.NopMetrics{}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	// Workers, Backlog, Freshness, ShutdownTimeout and Owner are the
	// outbox's: bot.NewOutboxWorkers checks them and fills in defaults.
	if cfg.StateSecret == nil && cfg.ClientSecret != "" {
		m := hmac.New(sha256.New, []byte(cfg.ClientSecret))
		m.Write([]byte("alexa-brief slack oauth state"))
		cfg.StateSecret = m.Sum(nil)
	}
	client := *cfg.HTTPClient
	base := client.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	client.Transport = &countingTransport{base: base, metrics: cfg.Metrics, api: cfg.APIURL}
	work, cancel := context.WithCancel(context.Background())
	a := &Adapter{
		cfg:            cfg,
		h:              h,
		st:             st,
		log:            cfg.Logger.With(keyPlatform, platform),
		metrics:        cfg.Metrics,
		http:           &client,
		verifier:       verifier{secret: []byte(cfg.SigningSecret), now: cfg.Now},
		work:           work,
		cancelWork:     cancel,
		idle:           make(chan func(ctx context.Context)),
		limits:         newLimiter(time.Now),
		sampled:        logsample.New(time.Second, cfg.Now),
		inlineDeadline: defaultInlineDeadline,
		attemptTimeout: defaultAttemptTimeout,
		sleep:          sleepCtx,
		jitter:         defaultJitter,
		after:          time.After,
	}
	ob, err := bot.NewOutboxWorkers(bot.OutboxConfig{
		Platform: platform, Store: st, Handler: outboxHandler{a},
		Owner: cfg.Owner, Workers: cfg.Workers, Backlog: cfg.Backlog, Freshness: cfg.Freshness,
		Shutdown: cfg.ShutdownTimeout, Logger: a.log, Metrics: cfg.Metrics,
		// One shutdown bound for the outbox and the slash command work.
		Wait: a.wg.Wait, OnTimeout: cancel,
		After: func(d time.Duration) <-chan time.Time { return a.after(d) },
	})
	if err != nil {
		cancel()
		return nil, fmt.Errorf("slack: new: %w", err)
	}
	a.outbox = ob
	return a, nil
}

// Routes registers the Slack endpoints on mux.
func (a *Adapter) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /slack/commands", a.verified(a.serveCommand))
	mux.HandleFunc("POST /slack/events", a.verified(a.serveEvents))
	mux.HandleFunc("POST /slack/interactivity", a.verified(a.serveInteractivity))
	mux.HandleFunc("GET /slack/install", a.serveInstall)
	mux.HandleFunc("GET /slack/oauth/callback", a.serveOAuthCallback)
}

// Run learns the bot user with auth.test, starts the outbox's workers
// (which first expire the events too old to answer, then answer those
// still pending, whoever accepted them), runs Socket Mode when an app
// token is set (reconnecting with backoff), and otherwise waits for ctx.
// On cancellation it stops taking work, answers the events already
// stored and finishes what is in flight, up to the shutdown timeout;
// events it has not answered by then are put back for the next start (or
// another replica). It returns nil.
func (a *Adapter) Run(ctx context.Context) error {
	if a.cfg.BotToken != "" {
		_, err := a.botUserID(ctx)
		if code, ok := refusedAuth(err); ok {
			// At start-up a refused token is a configuration error, not
			// an outage to wait out.
			a.drain()
			return &bot.ConfigError{Err: fmt.Errorf("slack: Slack refused SLACK_BOT_TOKEN (auth.test: %s): check the bot token", code)}
		}
		if err != nil && ctx.Err() == nil {
			a.log.Warn("slack: auth.test failed; will retry on first event", keyError, err)
		}
	}
	a.startOutbox()
	var err error
	if a.cfg.AppToken != "" {
		err = a.runSocket(ctx)
	} else {
		<-ctx.Done()
	}
	a.drain()
	return err
}

// drain stops the outbox and waits for in-flight work, cancelling it when
// it runs past the shutdown timeout.
func (a *Adapter) drain() { a.stopOutbox() }

// Wait blocks until the work started by earlier requests is done: delayed
// slash command replies and actions, and, while Run runs the outbox, every
// stored event answered and every busy reply posted.
func (a *Adapter) Wait() {
	for {
		a.wg.Wait()
		if !a.outbox.Running() || a.outbox.Idle() {
			a.wg.Wait()
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Ready reports a configuration problem found at run time (a revoked
// token), or Socket Mode being down.
func (a *Adapter) Ready() error {
	for _, p := range []*string{a.fatal.Load(), a.socketFatal.Load()} {
		if p != nil {
			return fmt.Errorf("slack: %s", *p)
		}
	}
	if a.cfg.AppToken != "" && !a.socketUp.Load() {
		return errors.New("slack: socket mode not connected")
	}
	return nil
}

// async runs f on a goroutine the adapter owns: one left idle by earlier
// work when there is one, else a new one. A new goroutine's stack grew by
// copying, twice or three times, through the engine's calls of every
// question (4 % of serve's CPU at load); an idle one has grown already.
func (a *Adapter) async(f func(ctx context.Context)) {
	a.wg.Add(1)
	select {
	case a.idle <- f:
	default:
		go a.worker(f)
	}
}

// workerIdle is how long a worker waits for more work before it exits.
const workerIdle = time.Second

func (a *Adapter) worker(f func(ctx context.Context)) {
	t := time.NewTimer(workerIdle)
	defer t.Stop()
	for {
		a.runWork(f)
		t.Reset(workerIdle)
		select {
		case f = <-a.idle:
		case <-t.C:
			return
		}
	}
}

func (a *Adapter) runWork(f func(ctx context.Context)) {
	defer a.wg.Done()
	defer func() {
		if p := recover(); p != nil {
			a.log.Error("slack: panic in background work", keyError, fmt.Sprint(p))
		}
	}()
	f(a.work)
}

// client returns a Web API client for token.
func (a *Adapter) client(token string) *slack.Client {
	return slack.New(token, slack.OptionAPIURL(a.cfg.APIURL), slack.OptionHTTPClient(a.http))
}

// token returns the bot token for a team: its install's, else its
// Enterprise Grid organisation's (an org-wide install), else the
// configured one.
func (a *Adapter) token(ctx context.Context, team, enterprise string) (string, error) {
	for _, id := range []string{team, enterprise} {
		if id == "" {
			continue
		}
		in, err := a.st.Install(ctx, platform, id)
		switch {
		case err == nil && in.BotToken != "":
			return in.BotToken, nil
		case err != nil && !errors.Is(err, bot.ErrNotFound):
			if a.cfg.BotToken == "" {
				return "", fmt.Errorf("slack: install of %s: %w", id, err)
			}
			a.log.Warn("slack: install lookup failed; using the configured token", keyTeam, id, keyError, err)
		}
	}
	if a.cfg.BotToken == "" {
		return "", fmt.Errorf("slack: no bot token for team %s (install the app or set SLACK_BOT_TOKEN)", team)
	}
	return a.cfg.BotToken, nil
}

// botUserID is the configured token's bot user, learnt once with auth.test.
func (a *Adapter) botUserID(ctx context.Context) (string, error) {
	if p := a.botUser.Load(); p != nil {
		return *p, nil
	}
	if a.cfg.BotToken == "" {
		return "", nil
	}
	res, err := a.client(a.cfg.BotToken).AuthTestContext(ctx)
	if err != nil {
		if code, ok := refusedAuth(err); ok {
			msg := "bot token rejected by auth.test: " + code + " (check SLACK_BOT_TOKEN)"
			a.fatal.Store(&msg)
		}
		return "", fmt.Errorf("slack: auth.test: %w", err)
	}
	a.botUser.Store(&res.UserID)
	return res.UserID, nil
}

// refusedAuth reports whether err is Slack refusing a token, and its error
// code: retrying with the same token cannot help.
func refusedAuth(err error) (string, bool) {
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) {
		return "", false
	}
	switch se.Err {
	case "invalid_auth", "not_authed", "account_inactive", "token_revoked":
		return se.Err, true
	}
	return "", false
}

// countingTransport counts every HTTP call in Metrics.APICall, labelled by
// Web API method ("response_url" for posts to a response URL).
type countingTransport struct {
	base    http.RoundTripper
	metrics bot.Metrics
	api     string
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	method := "response_url"
	if u := r.URL.String(); strings.HasPrefix(u, t.api) {
		method = strings.TrimPrefix(u, t.api)
		if i := strings.IndexAny(method, "?/"); i >= 0 {
			method = method[:i]
		}
	}
	resp, err := t.base.RoundTrip(r)
	status := 0
	if err == nil {
		status = resp.StatusCode
	}
	t.metrics.APICall(platform, method, status)
	return resp, err
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
