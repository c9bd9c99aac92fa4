package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/alexa-brief/alexa-brief/bot"
)

// maxReconnectWait caps the wait between Socket Mode runs that failed.
const maxReconnectWait = 5 * time.Minute

// runSocket keeps a Socket Mode connection until ctx is done. slack-go
// reconnects with backoff inside RunContext; when RunContext itself gives
// up (a rejected token, say) this loop starts it again after its own
// backoff, so a fixed token or a Slack outage heals without a restart.
func (a *Adapter) runSocket(ctx context.Context) error {
	api := slack.New(a.cfg.BotToken,
		slack.OptionAPIURL(a.cfg.APIURL),
		slack.OptionHTTPClient(a.http),
		slack.OptionAppLevelToken(a.cfg.AppToken))
	for failures := 0; ; {
		sm := socketmode.New(api, socketmode.OptionLog(slog.NewLogLogger(a.log.Handler(), slog.LevelDebug)))
		runCtx, cancel := context.WithCancel(ctx)
		events := make(chan struct{})
		go func() {
			defer close(events)
			a.socketEvents(runCtx, sm)
		}()
		err := sm.RunContext(runCtx)
		cancel()
		<-events
		a.setSocket(false, err)
		if ctx.Err() != nil {
			return nil
		}
		failures++
		if code, ok := refusedAuth(err); ok {
			msg := "socket mode: app token rejected: " + code + " (check SLACK_APP_TOKEN and its connections:write scope)"
			a.socketFatal.Store(&msg)
			if !a.socketEver.Load() {
				// Refused before it ever connected: the token is wrong,
				// not revoked while serving, and waiting will not fix it.
				return &bot.ConfigError{Err: fmt.Errorf("slack: Slack refused SLACK_APP_TOKEN (apps.connections.open: %s): check the app-level token and its connections:write scope", code)}
			}
		}
		wait := min(a.jitter(backoff(failures)), maxReconnectWait)
		a.log.Warn("slack: socket mode stopped; reconnecting", keyError, err, keyWait, wait, keyAttempt, failures)
		if err := a.sleep(ctx, wait); err != nil {
			return nil
		}
	}
}

// setSocket records a connection state change once: a log line and the
// Connection metric.
func (a *Adapter) setSocket(up bool, cause error) {
	if a.socketUp.Swap(up) == up {
		return
	}
	a.metrics.Connection(platform, up)
	if up {
		a.socketEver.Store(true)
		a.socketFatal.Store(nil)
		a.log.Info("slack: socket mode connected")
		return
	}
	a.log.Warn("slack: socket mode disconnected", keyError, cause)
}

// socketEvents reads the client's events until ctx is done. Every envelope
// is acknowledged at once (Slack wants it within 3 s); the work runs on
// adapter-owned goroutines through the same code as HTTP.
func (a *Adapter) socketEvents(ctx context.Context, sm *socketmode.Client) {
	for {
		select {
		case <-ctx.Done():
			return
		case evt, ok := <-sm.Events:
			if !ok {
				return
			}
			a.socketEvent(ctx, sm, evt)
		}
	}
}

func (a *Adapter) socketEvent(ctx context.Context, sm *socketmode.Client, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		// After a drop slack-go reconnects on its own; this is the
		// first sign of it.
		a.setSocket(false, errors.New("connection lost; reconnecting"))
		a.log.Debug("slack: socket mode connecting")
	case socketmode.EventTypeConnected:
		a.setSocket(true, nil)
	case socketmode.EventTypeConnectionError:
		var cause error
		if e, ok := evt.Data.(*slack.ConnectionErrorEvent); ok {
			cause = e.ErrorObj
		}
		a.setSocket(false, cause)
	case socketmode.EventTypeInvalidAuth:
		msg := "socket mode: invalid app token (check SLACK_APP_TOKEN)"
		a.socketFatal.Store(&msg)
		a.setSocket(false, errors.New("invalid_auth"))
	case socketmode.EventTypeDisconnect:
		a.setSocket(false, errors.New("disconnect requested by Slack"))
	case socketmode.EventTypeIncomingError:
		a.log.Warn("slack: socket mode read error")
	case socketmode.EventTypeEventsAPI:
		if evt.Request == nil {
			return
		}
		// As over HTTP, the ack means delivered: it goes out once the
		// event is stored (a bounded wait), and not at all when it could
		// not be, so that Slack sends the envelope again.
		if !a.accept(ctx, evt.Request.Payload, strconv.Itoa(evt.Request.RetryAttempt)) {
			return
		}
		a.ack(ctx, sm, evt.Request, nil)
	case socketmode.EventTypeInteractive:
		if evt.Request == nil {
			return
		}
		a.interaction(evt.Request.Payload)
		a.ack(ctx, sm, evt.Request, nil)
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		if evt.Request == nil || !ok {
			return
		}
		req := evt.Request
		// command waits up to the inline deadline; do not hold up the
		// other envelopes meanwhile.
		a.async(func(wctx context.Context) {
			p, rest := a.command(ctx, cmd)
			if err := sm.AckCtx(ctx, req.EnvelopeID, p); err != nil {
				// Over Socket Mode's 20 KB: ack empty, answer via response_url.
				a.ack(ctx, sm, req, nil)
				a.deliverNow(wctx, cmd.TeamID, cmd.ChannelID, cmd.ResponseURL,
					[]message{{Text: p.Text, Blocks: p.Blocks}}, p.ResponseType == "in_channel")
			}
			rest()
		})
	}
}

func (a *Adapter) ack(ctx context.Context, sm *socketmode.Client, req *socketmode.Request, payload any) {
	if err := sm.AckCtx(ctx, req.EnvelopeID, payload); err != nil {
		a.log.Warn("slack: socket mode ack failed", keyError, err)
	}
}
