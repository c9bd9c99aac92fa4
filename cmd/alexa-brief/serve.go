package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/discord"
	"github.com/alexa-brief/alexa-brief/adapters/llm"
	prometheus "github.com/alexa-brief/alexa-brief/adapters/prometheus"
	"github.com/alexa-brief/alexa-brief/adapters/slack"
	"github.com/alexa-brief/alexa-brief/bot"
)

// maxBody is SPEC's request body limit: larger bodies get 413.
const maxBody = 1 << 20

// releaseGrace is how long, past the shutdown timeout, serve waits for
// the platforms to cancel their work in hand and release its claims.
const releaseGrace = 3 * time.Second

// component is a configured platform connection as serve runs it.
type component struct {
	name  string
	run   func(ctx context.Context) error
	ready func() error
	// degraded, when set, says what does not work while the platform is
	// ready ("" when all does): /readyz shows it and stays 200.
	degraded func() string
}

const usageServe = "alexa-brief serve [--check] [--addr HOST:PORT]"

// serveGCPercent is serve's GOGC unless the environment sets one. Its
// live heap is small (the corpus, the caches: tens of MiB) and nearly all
// of what a request allocates is garbage once it is answered, so at the
// runtime's 100 the collector ran dozens of times a second under load and
// took about a tenth of a question's CPU. 200 halves the collections for
// a heap up to twice as large above the live one: 7 MiB more resident at
// the load figures' peak, 6 MiB more through the DM flood
// (BENCHMARKS.md).
const serveGCPercent = 200

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	check := fs.Bool("check", false, "validate configuration, store and corpus, then exit")
	addr := fs.String("addr", e.cfg.Addr, "listen address (ALEXA_BRIEF_ADDR)")
	if err := parseFlags(e, fs, args, usageServe); err != nil {
		return helpOK(err)
	}
	cfg := e.cfg
	cfg.Addr = *addr
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "addr" {
			cfg.AddrFrom = "--addr"
		}
	})
	if err := checkAddr(cfg.Addr); err != nil {
		return usagef("serve: --addr: %v", err)
	}
	if err := cfg.validateServe(); err != nil {
		return usageError{err.Error()}
	}
	if *check && !cfg.HasPlatform() {
		// Serving no platform answers nobody: a check that passes would
		// only hide a missing or misspelt variable.
		return usagef("serve --check: no platform configured: for Slack set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET " +
			"(or SLACK_APP_TOKEN for Socket Mode); for Discord set DISCORD_APP_ID with DISCORD_PUBLIC_KEY " +
			"(interactions endpoint) and/or DISCORD_BOT_TOKEN (gateway)")
	}
	log, flushLog := newServeLogger(e.stderr, cfg)
	defer flushLog()
	ver, rev, _ := buildInfo()
	metrics := prometheus.New(ver, rev)
	if e.getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}

	st, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	lib, err := openLibrary(ctx, e, cfg.CorpusDir, st, log)
	if err != nil {
		return err
	}
	fetch := newFetcher(cfg)
	w, model, err := newWriter(cfg, log, metrics)
	if err != nil {
		return err
	}
	var reach *llm.Reachability
	if model != nil {
		reach = llm.NewReachability(model, 0, 0)
	}
	b := bot.New(bot.Config{Library: lib, Fetcher: fetch, Store: st, Clock: bot.SystemClock{}, Logger: log,
		Metrics: metrics, MinInterval: cfg.MinInterval, Writer: w})

	mux := http.NewServeMux()
	posters := map[string]bot.Poster{}
	var comps []component
	if cfg.SlackEnabled() {
		a, err := slack.New(slack.Config{
			SigningSecret: cfg.Slack.SigningSecret, BotToken: cfg.Slack.BotToken, AppToken: cfg.Slack.AppToken,
			ClientID: cfg.Slack.ClientID, ClientSecret: cfg.Slack.ClientSecret, APIURL: cfg.Slack.APIURL,
			// The adapter labels its lines platform=slack itself.
			Logger: log, Metrics: metrics, ShutdownTimeout: cfg.Drain,
			Backlog: cfg.Slack.Backlog, Freshness: cfg.Slack.Freshness,
		}, b, st)
		if err != nil {
			return usagef("%v", err)
		}
		a.Routes(mux)
		posters[bot.PlatformSlack] = a
		comps = append(comps, component{name: bot.PlatformSlack, run: a.Run, ready: a.Ready})
	}
	if cfg.DiscordEnabled() {
		a, err := discord.New(discord.Config{
			AppID: cfg.Discord.AppID, PublicKey: cfg.Discord.PublicKey, BotToken: cfg.Discord.BotToken,
			APIURL: cfg.Discord.APIURL, ShardID: cfg.Discord.ShardID, ShardCount: cfg.Discord.ShardCount,
			Logger: log.With("platform", bot.PlatformDiscord), Metrics: metrics, ShutdownTimeout: cfg.Drain,
		}, b, st)
		if err != nil {
			return usagef("%v", err)
		}
		a.Routes(mux)
		posters[bot.PlatformDiscord] = a
		comps = append(comps, component{name: bot.PlatformDiscord, run: a.Run, ready: a.Ready, degraded: a.Degraded})
	}
	if *check {
		// Listening is the one thing serve does that the checks above do
		// not cover: a port in use or not allowed fails here, not later.
		ln, err := listen(cfg)
		if err != nil {
			return err
		}
		ln.Close()
		fmt.Fprintf(e.stdout, "configuration ok: store %s, %d articles, platforms %s, listen %s\n",
			storeKind(cfg.DatabaseURL), len(lib.Articles("")), platformNames(comps), cfg.Addr)
		return nil
	}

	for _, c := range comps {
		if err := metrics.PlatformReady(c.name, func() bool { return c.ready() == nil }); err != nil {
			log.Warn("platform readiness metric", logKeyErr, err)
		}
	}
	if reach != nil {
		if err := metrics.ModelReachable(reach.Reachable); err != nil {
			log.Warn("model reachability metric", logKeyErr, err)
		}
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		body := readiness(r.Context(), st, b, comps, reach)
		status := http.StatusOK
		if body.Status != "ready" {
			status = http.StatusServiceUnavailable
		}
		writeJSON(w, status, body)
	})
	mux.Handle("GET /metrics", metrics.Handler())

	ln, err := listen(cfg)
	if err != nil {
		return err
	}
	// Requests keep a context of their own so that a signal lets them finish.
	srv := &http.Server{
		Handler:           limitBody(logRequests(log, mux)),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}

	owner := replicaID()
	sched := bot.NewScheduler(bot.SchedulerConfig{Store: st, Posters: posters, Bot: b, Clock: bot.SystemClock{},
		Catchup: cfg.Catchup, Owner: owner, Logger: log, Metrics: metrics, Drain: cfg.Drain})

	workCtx, stopWork := context.WithCancel(context.Background())
	defer stopWork()
	var wg sync.WaitGroup
	errc := make(chan error, len(comps)+2)
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("serve: http: %w", err)
		}
	}()
	schedDone := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(schedDone)
		if err := sched.Run(workCtx); err != nil && !errors.Is(err, context.Canceled) {
			errc <- fmt.Errorf("serve: scheduler: %w", err)
		}
	}()
	// New articles (ingested here, by another replica or from feeds) are
	// answered from without a restart.
	runLive(workCtx, &wg, cfg, st, lib, fetch, log)
	for _, c := range comps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.run(workCtx); err != nil && !errors.Is(err, context.Canceled) {
				errc <- fmt.Errorf("serve: %w", err)
			}
		}()
	}
	log.Info("serving", logKeyAddr, ln.Addr().String(), logKeyStore, storeKind(cfg.DatabaseURL),
		"platforms", platformNames(comps), "version", ver)

	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-errc:
	}
	log.Info("shutting down", "drain", cfg.Drain.String())
	drainCtx, cancel := context.WithTimeout(context.Background(), cfg.Drain)
	defer cancel()
	// Stop taking work first, let in-flight requests finish, then stop the
	// scheduler and platform connections, which finish their own in-flight posts.
	if err := srv.Shutdown(drainCtx); err != nil {
		log.Warn("http shutdown incomplete", logKeyErr, err)
	}
	stopWork()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-drainCtx.Done():
		// The platforms bound their own drains by the same timeout, then
		// cancel what is in hand and hand its claims back to the store
		// (so that a restart answers it at once rather than after the
		// lease): that tail is short and bounded, so wait for it too.
		select {
		case <-done:
		case <-time.After(releaseGrace):
			log.Warn("shutdown timed out; exiting with work in flight")
		}
	}
	// The store closes (deferred) only after the scheduler has returned:
	// it cancels its posts at the drain and then records their outcomes.
	<-schedDone
	logStopErrors(log, errc)
	log.Info("stopped")
	return runErr
}

// listen opens cfg.Addr; its error names the setting the address came
// from, which is the one to change.
func listen(cfg Config) (net.Listener, error) {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		from := cfg.AddrFrom
		if from == "" {
			from = "the default; set --addr, ALEXA_BRIEF_ADDR or PORT"
		}
		return nil, fmt.Errorf("serve: listen on %s (%s): %w", cfg.Addr, from, err)
	}
	return ln, nil
}

// readyBody is the /readyz answer: Reason says what is not ready first
// (the store, the corpus, else a platform); Platforms says, for every
// configured platform, "ready" or what it lacks.
// With a language model configured, LLM says "reachable" or
// "unreachable (why)"; it never makes the process unready, since answers
// and briefs fall back to the extractive text without it.
type readyBody struct {
	Status    string            `json:"status"`
	Reason    string            `json:"reason,omitempty"`
	Platforms map[string]string `json:"platforms"`
	LLM       string            `json:"llm,omitempty"`
}

func readiness(ctx context.Context, st bot.Store, b *bot.Bot, comps []component, reach *llm.Reachability) readyBody {
	body := readyBody{Status: "ready", Platforms: map[string]string{}}
	if reach != nil {
		// Cached for llm.ProbeEvery, at most llm.ProbeTimeout when stale.
		body.LLM = reach.Status(ctx)
	}
	var reasons []string
	for _, c := range comps {
		if err := c.ready(); err != nil {
			// The adapters prefix their errors with their name, which
			// the key already says.
			msg := strings.TrimPrefix(err.Error(), c.name+": ")
			body.Platforms[c.name] = msg
			reasons = append(reasons, c.name+" not ready: "+msg)
		} else if why := degradedOf(c); why != "" {
			// Ready for what is routed to this replica, short of one
			// part: Discord's gateway down leaves interactions working
			// and only DMs unanswered, and failing readiness would stop
			// the interactions too (on every replica, in a Discord outage).
			body.Platforms[c.name] = "degraded: " + why
		} else {
			body.Platforms[c.name] = "ready"
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	// Heartbeat writes and reads back: a SQLite file deleted under the
	// process still answers Ping but keeps nothing.
	if err := st.Heartbeat(ctx); err != nil {
		reasons = append([]string{"store unreachable"}, reasons...)
	} else if b.Corpus() == nil || len(b.Corpus().Articles()) == 0 {
		reasons = append([]string{"corpus not loaded"}, reasons...)
	}
	if len(reasons) > 0 {
		body.Status, body.Reason = "not ready", reasons[0]
	}
	return body
}

func degradedOf(c component) string {
	if c.degraded == nil {
		return ""
	}
	return c.degraded()
}

// logStopErrors logs the errors components returned while stopping (a
// scheduler that could not release its claims): nothing reads errc after
// the first one, and a drain is still a clean exit (SPEC: exit 0), so the
// log line is the operator's only trace of them.
func logStopErrors(log *slog.Logger, errc <-chan error) {
	for {
		select {
		case err := <-errc:
			log.Error("stopping", logKeyErr, err)
		default:
			return
		}
	}
}

// validateServe checks what serving needs beyond LoadConfig's checks.
func (c Config) validateServe() error {
	s := c.Slack
	if c.SlackEnabled() {
		if s.BotToken == "" && s.ClientID == "" {
			return fmt.Errorf("SLACK_BOT_TOKEN: required to reply in Slack (or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth installs)")
		}
		if s.SigningSecret == "" && s.AppToken == "" {
			return fmt.Errorf("SLACK_SIGNING_SECRET: required to verify Slack requests over HTTP (or set SLACK_APP_TOKEN for Socket Mode)")
		}
		if s.ClientID != "" && s.SigningSecret == "" {
			return fmt.Errorf("SLACK_SIGNING_SECRET: required with SLACK_CLIENT_ID (OAuth installs receive HTTP requests)")
		}
	}
	if c.Discord.BotToken != "" && c.Discord.AppID == "" {
		return fmt.Errorf("DISCORD_APP_ID: required with DISCORD_BOT_TOKEN")
	}
	return nil
}

func platformNames(comps []component) string {
	if len(comps) == 0 {
		return "none"
	}
	s := ""
	for i, c := range comps {
		if i > 0 {
			s += ","
		}
		s += c.name
	}
	return s
}

func storeKind(dsn string) string {
	if isPostgres(dsn) {
		return "postgres"
	}
	return "sqlite"
}

func hostname() string {
	h, err := os.Hostname()
	if err != nil {
		return "alexa-brief"
	}
	return h
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// limitBody answers 413 for bodies over maxBody before any handler reads
// them, and caps chunked bodies of unknown length as they are read.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > maxBody {
			if strings.HasPrefix(r.URL.Path, "/slack/") {
				// As the adapter's 413 for a chunked body: the same body
				// cannot pass on a retry, and Slack counts failed deliveries.
				w.Header().Set("X-Slack-No-Retry", "1")
			}
			http.Error(w, "request body too large (limit 1 MiB)", http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// logRequests writes one debug line per HTTP request (the bot logs the
// command-level line) and a warning for server errors. No bodies, no
// headers: they hold message text and signatures.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		level := slog.LevelDebug
		if sw.status >= 500 {
			level = slog.LevelWarn
		}
		log.Log(r.Context(), level, "http request", logKeyMethod, r.Method, logKeyPath, r.URL.Path,
			logKeyStatus, sw.status, logKeyLatency, time.Since(start).Milliseconds())
	})
}
