package main

import (
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
)

// Config is every setting, read from the environment in one place with its
// defaults; flags of individual subcommands override fields afterwards.
type Config struct {
	Addr string // ALEXA_BRIEF_ADDR, else ":"+PORT
	// AddrFrom names the setting Addr came from, for error messages:
	// "ALEXA_BRIEF_ADDR", "PORT", or "" for the default.
	AddrFrom    string
	DatabaseURL string        // DATABASE_URL: path, sqlite:PATH or postgres://…
	CorpusDir   string        // ALEXA_BRIEF_CORPUS
	Catchup     time.Duration // ALEXA_BRIEF_CATCHUP
	MinInterval time.Duration // ALEXA_BRIEF_MIN_INTERVAL: most frequent schedule allowed
	Drain       time.Duration // ALEXA_BRIEF_SHUTDOWN_TIMEOUT: graceful shutdown bound
	// FeedInterval is ALEXA_BRIEF_FEED_INTERVAL: how often each feed is polled.
	FeedInterval time.Duration
	// AllowPrivateURLs is ALEXA_BRIEF_ALLOW_PRIVATE_URLS=1: fetching
	// loopback and private addresses is allowed (tests, private networks).
	AllowPrivateURLs bool
	// Refresh is ALEXA_BRIEF_REFRESH: how often a running bot checks the
	// store for articles other processes added.
	Refresh   time.Duration
	LogLevel  slog.Level // LOG_LEVEL
	LogFormat string     // LOG_FORMAT: text or json
	Slack     SlackConfig
	Discord   DiscordConfig
	LLM       LLMConfig
}

// SlackConfig holds the Slack settings.
type SlackConfig struct {
	SigningSecret string // SLACK_SIGNING_SECRET
	BotToken      string // SLACK_BOT_TOKEN (xoxb-)
	AppToken      string // SLACK_APP_TOKEN (xapp-), enables Socket Mode
	ClientID      string // SLACK_CLIENT_ID
	ClientSecret  string // SLACK_CLIENT_SECRET
	APIURL        string // SLACK_API_URL, ends with "/"
	// The outbox of accepted DMs and mentions; 0 takes the adapter's
	// defaults.
	Backlog   int           // ALEXA_BRIEF_OUTBOX_BACKLOG
	Freshness time.Duration // ALEXA_BRIEF_OUTBOX_FRESHNESS
}

// DiscordConfig holds the Discord settings.
type DiscordConfig struct {
	AppID      string // DISCORD_APP_ID
	PublicKey  []byte // DISCORD_PUBLIC_KEY, hex-decoded Ed25519 key
	BotToken   string // DISCORD_BOT_TOKEN
	APIURL     string // DISCORD_API_URL
	ShardID    int    // DISCORD_SHARD_ID
	ShardCount int    // DISCORD_SHARD_COUNT, 0 = as the gateway recommends
}

// LLMConfig is the optional language model for written answers; URL empty
// means extractive answers only.
type LLMConfig struct {
	URL       string        // ALEXA_BRIEF_LLM_URL: OpenAI-compatible base, e.g. http://localhost:11434/v1
	Model     string        // ALEXA_BRIEF_LLM_MODEL
	APIKey    string        // ALEXA_BRIEF_LLM_API_KEY, sent as Bearer when set
	Timeout   time.Duration // ALEXA_BRIEF_LLM_TIMEOUT: one answer's wait for the model
	MaxTokens int           // ALEXA_BRIEF_LLM_MAX_TOKENS: the reply's token budget
}

// Defaults, in one place.
const (
	defaultAddr        = ":8080"
	defaultDatabaseURL = "alexa-brief.db"
	defaultCatchup     = 6 * time.Hour
	defaultMinInterval = time.Minute
	defaultDrain       = 20 * time.Second
	defaultRefresh     = 5 * time.Second
	defaultSlackAPI    = "https://slack.com/api/"
	defaultDiscordAPI  = "https://discord.com/api/v9/"
	defaultLLMTimeout  = 15 * time.Second
	// maxLLMTimeout keeps a whole ask under the 30 s the SPEC promises:
	// retrieval and verification take milliseconds, the model the rest.
	maxLLMTimeout    = 25 * time.Second
	defaultMaxTokens = 512
)

// SlackEnabled reports whether any Slack entry point is configured.
func (c Config) SlackEnabled() bool {
	return c.Slack.SigningSecret != "" || c.Slack.BotToken != "" || c.Slack.AppToken != "" || c.Slack.ClientID != ""
}

// DiscordEnabled reports whether any Discord entry point is configured.
func (c Config) DiscordEnabled() bool {
	return len(c.Discord.PublicKey) > 0 || c.Discord.BotToken != ""
}

// HasPlatform reports whether a chat platform is configured.
func (c Config) HasPlatform() bool { return c.SlackEnabled() || c.DiscordEnabled() }

// LoadConfig reads and validates the environment. Every error names the
// variable and what is wrong with it; it never includes a secret's value.
func LoadConfig(getenv func(string) string) (Config, error) {
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	c := Config{
		Addr:        defaultAddr,
		DatabaseURL: or(get("DATABASE_URL"), defaultDatabaseURL),
		CorpusDir:   get("ALEXA_BRIEF_CORPUS"),
		LogFormat:   strings.ToLower(or(get("LOG_FORMAT"), "text")),
		Slack: SlackConfig{
			SigningSecret: get("SLACK_SIGNING_SECRET"),
			BotToken:      get("SLACK_BOT_TOKEN"),
			AppToken:      get("SLACK_APP_TOKEN"),
			ClientID:      get("SLACK_CLIENT_ID"),
			ClientSecret:  get("SLACK_CLIENT_SECRET"),
			APIURL:        or(get("SLACK_API_URL"), defaultSlackAPI),
		},
		Discord: DiscordConfig{
			AppID:    get("DISCORD_APP_ID"),
			BotToken: get("DISCORD_BOT_TOKEN"),
			APIURL:   or(get("DISCORD_API_URL"), defaultDiscordAPI),
		},
	}
	var err error
	if c.Catchup, err = duration(get, "ALEXA_BRIEF_CATCHUP", defaultCatchup, 0); err != nil {
		return c, err
	}
	if c.MinInterval, err = duration(get, "ALEXA_BRIEF_MIN_INTERVAL", defaultMinInterval, time.Second); err != nil {
		return c, err
	}
	if c.Drain, err = duration(get, "ALEXA_BRIEF_SHUTDOWN_TIMEOUT", defaultDrain, 0); err != nil {
		return c, err
	}
	if c.Slack.Backlog, err = integer(get, "ALEXA_BRIEF_OUTBOX_BACKLOG"); err != nil {
		return c, err
	}
	if c.Slack.Freshness, err = duration(get, "ALEXA_BRIEF_OUTBOX_FRESHNESS", 0, time.Second); err != nil {
		return c, err
	}
	if c.FeedInterval, err = duration(get, "ALEXA_BRIEF_FEED_INTERVAL", bot.DefaultFeedInterval, bot.MinFeedInterval); err != nil {
		return c, err
	}
	if c.Refresh, err = duration(get, "ALEXA_BRIEF_REFRESH", defaultRefresh, 100*time.Millisecond); err != nil {
		return c, err
	}
	switch v := get("ALEXA_BRIEF_ALLOW_PRIVATE_URLS"); v {
	case "", "0", "false":
	case "1", "true":
		c.AllowPrivateURLs = true
	default:
		return c, fmt.Errorf("ALEXA_BRIEF_ALLOW_PRIVATE_URLS: %q is not 1 or 0", v)
	}
	if err := c.LogLevel.UnmarshalText([]byte(or(get("LOG_LEVEL"), "info"))); err != nil {
		return c, fmt.Errorf("LOG_LEVEL: %q is not one of debug, info, warn, error", get("LOG_LEVEL"))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return c, fmt.Errorf("LOG_FORMAT: %q is not text or json", c.LogFormat)
	}
	// PORT is what most platforms (Heroku, Cloud Run, Render…) set; an
	// explicit ALEXA_BRIEF_ADDR wins.
	switch addr, port := get("ALEXA_BRIEF_ADDR"), get("PORT"); {
	case addr != "":
		if err := checkAddr(addr); err != nil {
			return c, fmt.Errorf("ALEXA_BRIEF_ADDR: %w", err)
		}
		c.Addr, c.AddrFrom = addr, "ALEXA_BRIEF_ADDR"
	case port != "":
		if n, err := strconv.ParseUint(port, 10, 16); err != nil || n == 0 {
			return c, fmt.Errorf("PORT: %q is not a port number from 1 to 65535 (or set ALEXA_BRIEF_ADDR to host:port)", port)
		}
		c.Addr, c.AddrFrom = ":"+port, "PORT"
	}
	if err := checkDatabaseURL(c.DatabaseURL); err != nil {
		return c, err
	}
	if err := checkURL("SLACK_API_URL", c.Slack.APIURL); err != nil {
		return c, err
	}
	if !strings.HasSuffix(c.Slack.APIURL, "/") {
		c.Slack.APIURL += "/"
	}
	if err := checkURL("DISCORD_API_URL", c.Discord.APIURL); err != nil {
		return c, err
	}
	if !strings.HasSuffix(c.Discord.APIURL, "/") {
		c.Discord.APIURL += "/"
	}
	if t := c.Slack.BotToken; t != "" && !strings.HasPrefix(t, "xoxb-") {
		return c, fmt.Errorf("SLACK_BOT_TOKEN: not a bot token (it must start with xoxb-)")
	}
	if t := c.Slack.AppToken; t != "" && !strings.HasPrefix(t, "xapp-") {
		return c, fmt.Errorf("SLACK_APP_TOKEN: not an app-level token (it must start with xapp-)")
	}
	if (c.Slack.ClientID == "") != (c.Slack.ClientSecret == "") {
		return c, fmt.Errorf("SLACK_CLIENT_ID and SLACK_CLIENT_SECRET: set both for OAuth install, or neither")
	}
	if id := c.Discord.AppID; id != "" {
		// A snowflake: every Discord route and the invite link carry it, so a
		// placeholder fails here with exit 2, not later as a 404.
		if _, err := strconv.ParseUint(id, 10, 64); err != nil {
			return c, fmt.Errorf("DISCORD_APP_ID: %q is not a Discord application id (the number on the Developer Portal's General Information page)", id)
		}
	}
	if k := get("DISCORD_PUBLIC_KEY"); k != "" {
		b, err := hex.DecodeString(k)
		if err != nil || len(b) != 32 {
			return c, fmt.Errorf("DISCORD_PUBLIC_KEY: not a 64-digit hex Ed25519 public key (copy it from the Developer Portal's General Information page)")
		}
		c.Discord.PublicKey = b
		if c.Discord.AppID == "" {
			return c, fmt.Errorf("DISCORD_APP_ID: required with DISCORD_PUBLIC_KEY (the application id, for follow-up messages)")
		}
	}
	if c.Discord.ShardID, err = integer(get, "DISCORD_SHARD_ID"); err != nil {
		return c, err
	}
	if c.Discord.ShardCount, err = integer(get, "DISCORD_SHARD_COUNT"); err != nil {
		return c, err
	}
	if c.Discord.ShardCount > 0 && c.Discord.ShardID >= c.Discord.ShardCount {
		return c, fmt.Errorf("DISCORD_SHARD_ID: %d is not below DISCORD_SHARD_COUNT %d", c.Discord.ShardID, c.Discord.ShardCount)
	}
	if c.Discord.ShardCount == 0 && c.Discord.ShardID != 0 {
		return c, fmt.Errorf("DISCORD_SHARD_ID: set DISCORD_SHARD_COUNT too")
	}
	if c.LLM, err = loadLLM(get); err != nil {
		return c, err
	}
	return c, nil
}

// loadLLM reads the ALEXA_BRIEF_LLM_* settings; the key is never echoed.
func loadLLM(get func(string) string) (LLMConfig, error) {
	l := LLMConfig{URL: get("ALEXA_BRIEF_LLM_URL"), Model: get("ALEXA_BRIEF_LLM_MODEL"), APIKey: get("ALEXA_BRIEF_LLM_API_KEY")}
	var err error
	if l.Timeout, err = duration(get, "ALEXA_BRIEF_LLM_TIMEOUT", defaultLLMTimeout, time.Millisecond); err != nil {
		return l, err
	}
	if l.Timeout > maxLLMTimeout {
		return l, fmt.Errorf("ALEXA_BRIEF_LLM_TIMEOUT: %s is over %s (an answer must come within 30 s)", l.Timeout, maxLLMTimeout)
	}
	if l.MaxTokens, err = integer(get, "ALEXA_BRIEF_LLM_MAX_TOKENS"); err != nil {
		return l, err
	}
	if l.MaxTokens == 0 {
		l.MaxTokens = defaultMaxTokens
	}
	if l.URL == "" {
		return l, nil
	}
	// Not echoed: a base URL may carry credentials.
	if u, err := url.Parse(l.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return l, fmt.Errorf("ALEXA_BRIEF_LLM_URL: not an http(s) URL (e.g. http://localhost:11434/v1)")
	}
	if l.Model == "" {
		return l, fmt.Errorf("ALEXA_BRIEF_LLM_MODEL: required with ALEXA_BRIEF_LLM_URL (the model name the server knows, e.g. qwen2.5:1.5b-instruct)")
	}
	return l, nil
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func duration(get func(string) string, key string, def, min time.Duration) (time.Duration, error) {
	v := get(key)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < min {
		return 0, fmt.Errorf("%s: %q is not a duration of at least %s (e.g. 6h, 90m)", key, v, min)
	}
	return d, nil
}

func integer(get func(string) string, key string) (int, error) {
	v := get(key)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s: %q is not a whole number ≥ 0", key, v)
	}
	return n, nil
}

// checkAddr accepts host:port with a port net.Listen takes (a number up to
// 65535 or a service name such as http), so a typo fails at start-up with
// exit code 2 instead of at listen time with 1.
func checkAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err == nil {
		_, err = net.LookupPort("tcp", port)
	}
	if err != nil {
		return fmt.Errorf("%q is not host:port (e.g. :8080)", addr)
	}
	return nil
}

func checkURL(key, v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s: %q is not an http(s) URL", key, v)
	}
	return nil
}

// checkDatabaseURL accepts a path, sqlite:PATH or postgres://… and never
// echoes a postgres URL, which may hold a password.
func checkDatabaseURL(v string) error {
	switch {
	case isPostgres(v):
		u, err := url.Parse(v)
		if err != nil || u.Host == "" {
			return fmt.Errorf("DATABASE_URL: not a valid postgres:// URL (postgres://user:password@host:5432/db)")
		}
	case hasPrefixFold(v, "postgres:") || hasPrefixFold(v, "postgresql:"):
		// "postgres:/host/db" would otherwise be a SQLite file of that
		// name: each replica would keep its own ledger and post the same
		// digests.
		return fmt.Errorf("DATABASE_URL: not a valid postgres:// URL (postgres://user:password@host:5432/db)")
	case isKeywordDSN(v):
		return fmt.Errorf("DATABASE_URL: a PostgreSQL key=value string is not supported; write it as a URL (postgres://user:password@host:5432/db)")
	case strings.HasPrefix(v, "sqlite:"):
		if p, _ := sqlitePath(v); p == "" {
			return fmt.Errorf("DATABASE_URL: sqlite: needs a path (sqlite:/var/lib/alexa-brief/alexa-brief.db)")
		}
	case strings.Contains(v, "://"):
		return fmt.Errorf("DATABASE_URL: unsupported scheme (use a file path, sqlite:PATH or postgres://…)")
	}
	return nil
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// isKeywordDSN reports whether v is a libpq "host=… dbname=…" string, which
// as a path would name a SQLite file instead of the intended server.
func isKeywordDSN(v string) bool {
	for _, f := range strings.Fields(v) {
		key, _, ok := strings.Cut(f, "=")
		switch strings.ToLower(key) {
		case "host", "hostaddr", "port", "dbname", "user", "password", "sslmode":
			if ok {
				return true
			}
		}
	}
	return false
}

// isPostgres reports whether DATABASE_URL names a PostgreSQL server.
func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}
