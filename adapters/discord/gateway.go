package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/alexa-brief/alexa-brief/bot"
)

// dmTimeout bounds the answer to one direct message, shutdown included.
const dmTimeout = time.Minute

// session builds the gateway session: DIRECT_MESSAGES only (DM content
// arrives without the privileged MESSAGE_CONTENT intent), no state cache,
// discordgo's own reconnect and resume, and the configured shard or the
// count GET /gateway/bot recommends. Its errors carry no prefix:
// runGateway adds the one.
func (a *Adapter) session(ctx context.Context) (*discordgo.Session, error) {
	s, err := discordgo.New(a.rest.token)
	if err != nil {
		return nil, err
	}
	// discordgo's endpoints are package variables fixed at init; rewrite
	// the host per client instead of changing them for the whole process.
	s.Client = &http.Client{Timeout: a.cfg.HTTPClient.Timeout, Transport: rewriter(a.cfg.APIURL, a.cfg.HTTPClient.Transport)}
	s.Identify.Intents = discordgo.IntentsDirectMessages
	s.StateEnabled = false
	s.ShouldReconnectOnError = true
	s.ShouldRetryOnRateLimit = true
	routeLibraryLogs(a.log)
	count := a.cfg.ShardCount
	if count == 0 {
		gb, err := s.GatewayBot(discordgo.WithContext(ctx))
		if err != nil {
			return nil, fmt.Errorf("recommended shard count: %w", err)
		}
		count = max(gb.Shards, 1)
	}
	if a.cfg.ShardID >= count {
		return nil, fmt.Errorf("%w: shard %d is not below the shard count %d", errBadShard, a.cfg.ShardID, count)
	}
	s.ShardID, s.ShardCount = a.cfg.ShardID, count
	return s, nil
}

// discordgo logs through one package-level function, by default as plain
// text on the standard logger, which breaks LOG_FORMAT=json. Its lines go
// to the logger of the adapter that last opened a session instead (a
// process has one gateway). Sessions keep discordgo's default level, so
// only its errors arrive: no payloads, no token.
var (
	libraryLog    atomic.Pointer[slog.Logger]
	routeLogsOnce sync.Once
)

func routeLibraryLogs(log *slog.Logger) {
	libraryLog.Store(log)
	routeLogsOnce.Do(func() {
		discordgo.Logger = func(msgL, _ int, format string, a ...any) {
			level := slog.LevelError
			switch msgL {
			case discordgo.LogWarning:
				level = slog.LevelWarn
			case discordgo.LogInformational:
				level = slog.LevelInfo
			case discordgo.LogDebug:
				level = slog.LevelDebug
			}
			libraryLog.Load().Log(context.Background(), level, "discordgo: "+fmt.Sprintf(format, a...))
		}
	})
}

// runGateway connects and stays connected until ctx is done. Network
// trouble is retried with backoff (discordgo reconnects and resumes by
// itself once connected); a token Discord refuses is final.
func (a *Adapter) runGateway(ctx context.Context) error {
	var s *discordgo.Session
	for wait := time.Second; ; wait = min(2*wait, 5*time.Minute) {
		var err error
		if s == nil {
			s, err = a.session(ctx)
			if err == nil {
				a.addHandlers(ctx, s)
			}
		}
		if err == nil {
			if err = s.Open(); err == nil {
				break
			}
		}
		if refused(err) {
			err = fmt.Errorf("discord: gateway: Discord refused the bot token (check DISCORD_BOT_TOKEN): %w", err)
			a.setGateErr(err)
			return &bot.ConfigError{Err: err}
		}
		if errors.Is(err, errBadShard) {
			// Retrying cannot fix the configuration.
			err = fmt.Errorf("discord: gateway: %w", err)
			a.setGateErr(err)
			return &bot.ConfigError{Err: err}
		}
		a.setGateDown("gateway not connected: " + err.Error())
		a.log.Error("discord: gateway connection failed; retrying", keyErr, err, "in", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
	<-ctx.Done()
	if err := s.Close(); err != nil {
		a.log.Warn("discord: gateway close", keyErr, err)
	}
	a.m.Connection(bot.PlatformDiscord, false)
	return nil
}

// errBadShard is a DISCORD_SHARD_ID beyond the shard count Discord
// recommends: final, like a refused token.
var errBadShard = errors.New("DISCORD_SHARD_ID out of range")

// refused reports an authentication failure: retrying cannot help.
func refused(err error) bool {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		return re.Response.StatusCode == http.StatusUnauthorized
	}
	var ce *websocket.CloseError
	return errors.As(err, &ce) && ce.Code == 4004 // authentication failed
}

func (a *Adapter) addHandlers(ctx context.Context, s *discordgo.Session) {
	log := a.log.With(keyShard, fmt.Sprintf("%d/%d", s.ShardID, s.ShardCount))
	if s.ShardID != 0 {
		log.Info("discord: direct messages arrive on shard 0 only; this shard serves gateway interactions")
	}
	s.AddHandler(func(_ *discordgo.Session, e *discordgo.Ready) {
		a.mu.Lock()
		if e.User != nil {
			a.selfID = e.User.ID
		}
		a.mu.Unlock()
		log.Info("discord: gateway ready")
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Connect) {
		log.Info("discord: gateway connected")
		a.setGateDown("")
		a.m.Connection(bot.PlatformDiscord, true)
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
		log.Warn("discord: gateway disconnected; discordgo reconnects and resumes")
		a.setGateDown("gateway disconnected; reconnecting")
		a.m.Connection(bot.PlatformDiscord, false)
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) {
		log.Info("discord: gateway session resumed")
		a.setGateDown("")
		a.m.Connection(bot.PlatformDiscord, true)
	})
	s.AddHandler(func(_ *discordgo.Session, e *discordgo.MessageCreate) {
		a.acceptDM(ctx, e.Message)
	})
	// Without an interactions endpoint URL, Discord delivers commands and
	// button clicks over the gateway; the answer goes back over REST.
	s.AddHandler(func(_ *discordgo.Session, e *discordgo.InteractionCreate) {
		in := e.Interaction
		if in == nil || in.Type == discordgo.InteractionPing || a.h == nil {
			return
		}
		a.interact(ctx, in, a.callback(ctx, in))
	})
}

// callback answers a gateway-delivered interaction over REST.
func (a *Adapter) callback(ctx context.Context, in *discordgo.Interaction) func(interactionResponse) error {
	return func(resp interactionResponse) error {
		err := a.rest.do(ctx, http.MethodPost, "interactions/"+in.ID+"/"+in.Token+"/callback", resp, nil)
		var apiErr *APIError
		if errors.As(err, &apiErr) && apiErr.Code == errAlreadyAcknowledged {
			// interact responds once, so this is our own retry after
			// Discord took the first attempt and its answer was lost.
			return nil
		}
		return err
	}
}

// errAlreadyAcknowledged is Discord's "Interaction has already been
// acknowledged" JSON error code.
const errAlreadyAcknowledged = 40060

func (a *Adapter) setGateErr(err error) {
	a.mu.Lock()
	a.gateErr = err
	a.mu.Unlock()
}

// setGateDown records why the gateway is down, "" once it is up.
func (a *Adapter) setGateDown(why string) {
	a.mu.Lock()
	a.gateDown = why
	a.mu.Unlock()
}

// dmPayload is what the outbox keeps of a direct message: what it takes
// to answer it, and no more.
type dmPayload struct {
	ID      string `json:"id"` // Discord's message id: the dedup key and the answer's nonce
	Channel string `json:"channel"`
	User    string `json:"user"`
	Text    string `json:"text"`
}

// dmOf keeps what a gateway message needs answered, or reports that it is
// not for the bot: not a direct message, from a bot (ourselves included)
// or the system, not plain text.
func (a *Adapter) dmOf(m *discordgo.Message) (dmPayload, bool) {
	if m == nil || m.Author == nil || m.GuildID != "" || m.Author.Bot || m.Author.System {
		return dmPayload{}, false
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return dmPayload{}, false
	}
	a.mu.Lock()
	self := a.selfID
	a.mu.Unlock()
	if m.Author.ID == self {
		return dmPayload{}, false
	}
	text := strings.TrimSpace(m.Content)
	if text == "" || a.h == nil {
		return dmPayload{}, false
	}
	return dmPayload{ID: m.ID, Channel: m.ChannelID, User: m.Author.ID, Text: text}, true
}

// dmEventID is the message's id in FirstSeen and the outbox.
func dmEventID(messageID string) string { return "message:" + messageID }

// acceptDM takes one gateway message: stored in the outbox for its workers
// to answer (a delivery seen before, on a resume or by another replica, is
// ignored there), or without an outbox answered in process.
func (a *Adapter) acceptDM(ctx context.Context, m *discordgo.Message) {
	p, ok := a.dmOf(m)
	if !ok {
		return
	}
	if a.outbox != nil {
		data, _ := json.Marshal(p) // strings only: it cannot fail
		// Not cancelled with Run: a message arriving while the gateway
		// closes is still stored (Accept bounds the store calls itself).
		if a.outbox.Accept(context.WithoutCancel(ctx), dmEventID(p.ID), data, keyMessage, p.ID) {
			return
		}
		// The gateway does not deliver again what we leave unstored:
		// better a rare double answer than silence while the store
		// hiccups.
		a.log.Warn("discord: direct message not stored; answering it in process", keyMessage, p.ID)
	}
	a.background(func() {
		mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), dmTimeout)
		defer cancel()
		a.answerDM(mctx, p, a, a.outbox == nil)
	})
}

// answerDM answers one direct message through p with the message id as
// key, so a retried post is deduplicated by its nonce. With dedup, a
// message delivered twice (resume, replicas) is answered once thanks to
// Store.FirstSeen; the outbox's workers dedupe on enqueue instead.
func (a *Adapter) answerDM(ctx context.Context, dm dmPayload, p bot.Poster, dedup bool) error {
	log := a.log.With(keyMessage, dm.ID)
	if dedup && a.st != nil {
		first, err := a.st.FirstSeen(ctx, bot.PlatformDiscord, dmEventID(dm.ID))
		switch {
		case err != nil:
			// Better a rare double answer than silence while the store hiccups.
			log.Warn("discord: dedup check failed; answering anyway", keyErr, err)
		case !first:
			log.Debug("discord: message already answered")
			return nil
		}
	}
	req := bot.Request{
		Kind:         bot.KindMessage,
		Scope:        bot.Scope{Platform: bot.PlatformDiscord, Team: dmTeam, Channel: dm.Channel},
		User:         dm.User,
		DM:           true,
		Conversation: dm.Channel,
		Text:         dm.Text,
		CanManage:    true,
		EventID:      dm.ID,
	}
	reply := a.handle(ctx, req)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if _, err := p.Post(ctx, req.Scope, reply, dmKeyPrefix+dm.ID); err != nil {
		if ctx.Err() == nil {
			log.Error("discord: answering a direct message failed", keyErr, err)
		}
		return err
	}
	return nil
}

// rewriter sends requests for discordgo's fixed https://discord.com/api/vN/
// to base (DISCORD_API_URL) instead; with the default base it changes nothing.
func rewriter(base string, next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	u, err := url.Parse(base)
	if err != nil || base == DefaultAPIURL {
		return next
	}
	return rewriteTransport{base: u, next: next}
}

type rewriteTransport struct {
	base *url.URL
	next http.RoundTripper
}

func (t rewriteTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rest, ok := strings.CutPrefix(r.URL.String(), discordgo.EndpointAPI)
	if !ok {
		return t.next.RoundTrip(r)
	}
	u, err := t.base.Parse(rest)
	if err != nil {
		return nil, err
	}
	r = r.Clone(r.Context())
	r.URL, r.Host = u, u.Host
	return t.next.RoundTrip(r)
}
