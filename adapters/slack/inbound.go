package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/slack-go/slack"

	"github.com/alexa-brief/alexa-brief/bot"
)

// This file holds what HTTP and Socket Mode share: slash commands,
// Events API callbacks and block actions, from payload to reply.

// workingText acknowledges a slash command whose answer takes longer than
// Slack's 3 seconds; the answer follows through response_url.
const workingText = "Working on it…"

// alreadyDone answers a replayed state-changing slash command.
const alreadyDone = "Already done."

// triggerKeyPrefix keeps slash command trigger_ids apart from event_ids in
// the FirstSeen ledger.
const triggerKeyPrefix = "slack-trigger:"

// changesState is every name and alias of a command that changes channel
// state (bot.Command.Manage): those run once per trigger_id.
var changesState = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range bot.Commands() {
		if c.Manage {
			m[c.Name] = true
			for _, al := range c.Aliases {
				m[al] = true
			}
		}
	}
	return m
}()

// commandWord is the subcommand text names, read as the core reads it,
// and then some: the core drops zero-width and bidi controls and spaces
// out control characters, so "\u200bunsubscribe" is unsubscribe to it.
// Dropping every format character (Cf) is a superset of that, so no
// spelling the core accepts slips past the replay check.
func commandWord(text string) string {
	text = strings.Map(func(r rune) rune {
		switch {
		case unicode.Is(unicode.Cf, r):
			return -1
		case unicode.IsControl(r), unicode.Is(unicode.Zl, r), unicode.Is(unicode.Zp, r):
			return ' '
		}
		return r
	}, text)
	f := strings.Fields(text)
	if len(f) == 0 {
		return ""
	}
	return strings.ToLower(f[0])
}

// sorry is the reply when the handler failed without one.
var sorry = bot.Reply{Failure: true, Sections: []bot.Section{{Text: "Sorry, something went wrong. Please try again."}}}

// serveCommand answers POST /slack/commands.
func (a *Adapter) serveCommand(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		refuse(w, "bad form", http.StatusBadRequest)
		return
	}
	if form.Get("ssl_check") == "1" {
		w.WriteHeader(http.StatusOK) // Slack checking the certificate
		return
	}
	cmd := slack.SlashCommand{
		TeamID: form.Get("team_id"), TeamDomain: form.Get("team_domain"),
		EnterpriseID: form.Get("enterprise_id"), ChannelID: form.Get("channel_id"),
		UserID: form.Get("user_id"), Command: form.Get("command"), Text: form.Get("text"),
		ResponseURL: form.Get("response_url"), TriggerID: form.Get("trigger_id"),
	}
	p, rest := a.command(r.Context(), cmd)
	if p.encoded != nil {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(p.encoded)
	} else {
		writeJSON(w, p)
	}
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	rest() // after the inline part, so the parts arrive in order
}

// command runs a slash command. It returns within the inline deadline:
// with the answer when the handler was fast, else with a short
// acknowledgement while a goroutine delivers the answer to response_url.
// Extra parts of a long answer go to response_url when the caller, having
// sent the inline part, calls rest.
func (a *Adapter) command(ctx context.Context, cmd slack.SlashCommand) (p responsePayload, rest func()) {
	req := bot.Request{
		Kind:      bot.KindCommand,
		Scope:     bot.Scope{Platform: platform, Team: cmd.TeamID, Channel: cmd.ChannelID},
		User:      cmd.UserID,
		DM:        strings.HasPrefix(cmd.ChannelID, "D"),
		Text:      unescape(strings.TrimSpace(cmd.Text)),
		CanManage: true, // Slack has no per-channel permission to check; anyone in the channel may
		EventID:   cmd.TriggerID,
	}
	// The signature binds a request, not one use of it: within its
	// 5 minutes a captured command verifies again. A state change runs
	// once per trigger_id (one per invocation); read-only commands may
	// run again.
	if cmd.TriggerID != "" && changesState[commandWord(req.Text)] {
		log := a.log.With(keyTeam, cmd.TeamID, keyChannel, cmd.ChannelID)
		first, err := a.st.FirstSeen(ctx, platform, triggerKeyPrefix+cmd.TriggerID)
		switch {
		case err != nil:
			log.Error("slack: command dedup failed; not running it", keyError, err)
			m := render(sorry)[0]
			return responsePayload{ResponseType: "ephemeral", Text: m.Text, Blocks: m.Blocks}, func() {}
		case !first:
			if ok, n := a.sampled.Allow("replay"); ok {
				log.Warn("slack: replayed slash command not run again", keySuppressed, n)
			}
			return responsePayload{ResponseType: "ephemeral", Text: alreadyDone}, func() {}
		}
	}
	done := make(chan bot.Reply, 1)
	a.async(func(ctx context.Context) {
		rep := sorry // sent even if Handle panics, so nobody waits forever
		defer func() { done <- rep }()
		rep = a.h.Handle(ctx, req)
	})

	timer := time.NewTimer(a.inlineDeadline)
	defer timer.Stop()
	select {
	case rep := <-done:
		r := a.rendering(rep)
		msgs := r.msgs
		rest = func() {}
		if len(msgs) > 1 {
			rest = func() { a.deliver(cmd.TeamID, cmd.ChannelID, cmd.ResponseURL, msgs[1:], rep.InChannel) }
		}
		rt := responseType(rep.InChannel)
		return responsePayload{ResponseType: rt, Text: msgs[0].Text, Blocks: msgs[0].Blocks, encoded: r.inline[rt]}, rest
	case <-timer.C:
	case <-ctx.Done():
	}
	a.async(func(ctx context.Context) {
		var rep bot.Reply
		select {
		case rep = <-done:
		case <-ctx.Done():
			return
		}
		a.deliverNow(ctx, cmd.TeamID, cmd.ChannelID, cmd.ResponseURL, a.render(rep), rep.InChannel)
	})
	return responsePayload{ResponseType: "ephemeral", Text: workingText}, func() {}
}

// deliver sends messages to a response_url in the background.
func (a *Adapter) deliver(team, channel, responseURL string, msgs []message, inChannel bool) {
	a.async(func(ctx context.Context) { a.deliverNow(ctx, team, channel, responseURL, msgs, inChannel) })
}

func (a *Adapter) deliverNow(ctx context.Context, team, channel, responseURL string, msgs []message, inChannel bool) {
	if responseURL == "" {
		a.log.Error("slack: no response_url to deliver a reply to", keyTeam, team, keyChannel, channel)
		return
	}
	if err := a.respond(ctx, responseURL, msgs, inChannel); err != nil {
		a.log.Error("slack: reply via response_url failed", keyTeam, team, keyChannel, channel, keyError, err)
	}
}

// serveEvents answers POST /slack/events.
func (a *Adapter) serveEvents(w http.ResponseWriter, r *http.Request, body []byte) {
	var env struct {
		Type      string `json:"type"`
		Challenge string `json:"challenge"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		refuse(w, "bad event", http.StatusBadRequest)
		return
	}
	switch env.Type {
	case "url_verification":
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte(env.Challenge))
	case "event_callback":
		// The 200 tells Slack the event is delivered, so it goes out only
		// once the event is stored; the outbox's workers answer it.
		if !a.accept(r.Context(), body, r.Header.Get("X-Slack-Retry-Num")) {
			// No X-Slack-No-Retry: a retry may find the store back.
			http.Error(w, "event not stored; please retry", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	case "app_rate_limited":
		a.log.Warn("slack: events rate limited by Slack (over 30,000 events per hour)")
		w.WriteHeader(http.StatusOK)
	default:
		w.WriteHeader(http.StatusOK)
	}
}

// callback is the part of an Events API event_callback the bot reads.
type callback struct {
	Type         string `json:"type"`
	TeamID       string `json:"team_id"`
	EnterpriseID string `json:"enterprise_id"`
	EventID      string `json:"event_id"`
	Event        struct {
		Type        string `json:"type"`
		User        string `json:"user"`
		Text        string `json:"text"`
		TS          string `json:"ts"`
		ThreadTS    string `json:"thread_ts"`
		Channel     string `json:"channel"`
		ChannelType string `json:"channel_type"`
		SubType     string `json:"subtype"`
		BotID       string `json:"bot_id"`
	} `json:"event"`
	Authorizations []struct {
		TeamID string `json:"team_id"`
		UserID string `json:"user_id"`
		IsBot  bool   `json:"is_bot"`
	} `json:"authorizations"`
}

var mentionRe = regexp.MustCompile(`<@[UW][A-Z0-9]+(\|[^>]*)?>`)

// eventRequest turns a DM or a mention into a request, or reports that
// the event is neither. The caller has already left out bots' messages and
// subtypes (see Adapter.eventPayload).
func eventRequest(cb callback) (req bot.Request, threadTS string, ok bool) {
	ev := cb.Event
	req = bot.Request{
		Kind:    bot.KindMessage,
		Scope:   bot.Scope{Platform: platform, Team: cb.TeamID, Channel: ev.Channel},
		User:    ev.User,
		EventID: cb.EventID,
	}
	switch {
	case ev.Type == "message" && ev.ChannelType == "im":
		req.DM = true
		req.Text = unescape(strings.TrimSpace(ev.Text))
		req.Conversation = ev.ThreadTS // empty: the DM itself
		return req, ev.ThreadTS, true
	case ev.Type == "app_mention":
		root := ev.ThreadTS
		if root == "" {
			root = ev.TS
		}
		req.DM = strings.HasPrefix(ev.Channel, "D")
		req.Text = unescape(strings.TrimSpace(mentionRe.ReplaceAllString(ev.Text, " ")))
		req.Text = strings.Join(strings.Fields(req.Text), " ")
		req.Conversation = root
		return req, root, true
	}
	return req, "", false
}

// isBotUser reports whether user is this app's bot in the workspace, from
// the install or auth.test: the checks the event itself cannot answer.
func (a *Adapter) isBotUser(ctx context.Context, team, user string) bool {
	if in, err := a.st.Install(ctx, platform, team); err == nil && in.BotUserID != "" {
		return in.BotUserID == user
	}
	id, err := a.botUserID(ctx)
	if err != nil {
		a.log.Warn("slack: cannot learn the bot user", keyError, err)
	}
	return id != "" && id == user
}

// serveInteractivity answers POST /slack/interactivity.
func (a *Adapter) serveInteractivity(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("payload") == "" {
		refuse(w, "bad payload", http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusOK)
	a.interaction([]byte(form.Get("payload")))
}

// interaction handles a block_actions payload: the button's action and
// value go to the bot, the reply to response_url (in_channel for Share).
func (a *Adapter) interaction(raw []byte) {
	var cb slack.InteractionCallback
	if err := json.Unmarshal(raw, &cb); err != nil {
		a.log.Warn("slack: unreadable interaction payload", keyError, err)
		return
	}
	if cb.Type != slack.InteractionTypeBlockActions || len(cb.ActionCallback.BlockActions) == 0 {
		return
	}
	act := cb.ActionCallback.BlockActions[0]
	channel := cb.Channel.ID
	if channel == "" {
		channel = cb.Container.ChannelID
	}
	req := bot.Request{
		Kind:         bot.KindAction,
		Scope:        bot.Scope{Platform: platform, Team: cb.Team.ID, Channel: channel},
		User:         cb.User.ID,
		DM:           strings.HasPrefix(channel, "D"),
		Conversation: cb.Container.ThreadTs,
		Action:       actionName(act.ActionID),
		Value:        act.Value,
		CanManage:    true,
		EventID:      cb.TriggerID,
	}
	a.async(func(ctx context.Context) {
		rep := a.h.Handle(ctx, req)
		msgs := a.render(rep)
		if cb.ResponseURL != "" {
			a.deliverNow(ctx, req.Team, channel, cb.ResponseURL, msgs, rep.InChannel)
			return
		}
		if _, err := a.postMessages(ctx, req.Team, cb.Enterprise.ID, channel, cb.Container.ThreadTs, msgs, ""); err != nil {
			a.log.Error("slack: action reply failed", keyTeam, req.Team, keyChannel, channel, keyAction, req.Action, keyError, err)
		}
	})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}
