package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/bwmarrin/discordgo"

	"github.com/alexa-brief/alexa-brief/bot"
)

// CommandName is the application command users type.
const CommandName = "alexa-brief"

// maxBody is the largest interaction body read; larger ones get 413.
const maxBody = 1 << 20

// alreadyHandled answers an interaction whose id was seen before: a replay.
const alreadyHandled = "Already handled."

// DM scopes use this team: a DM has no guild, and its channel id is unique.
const dmTeam = "dm"

// interactionResponse is an initial answer (types 1, 4, 5).
type interactionResponse struct {
	Type discordgo.InteractionResponseType `json:"type"`
	Data *message                          `json:"data,omitempty"`
}

// maxSkew is how far X-Signature-Timestamp may be from now, either way.
// Discord documents no window; without one a captured request could be
// replayed for ever. Five minutes, as Slack uses, is far above Discord's
// own 3 s deadline for an answer.
const maxSkew = 5 * time.Minute

// Why a request was refused with 401, for the log.
const (
	reasonSignature = "bad signature"
	reasonStale     = "timestamp outside ±5 minutes"
)

// verify checks Discord's Ed25519 signature over timestamp + raw body.
// Discord sends deliberately bad signatures and drops the endpoint if one
// is accepted.
func verify(key ed25519.PublicKey, sigHex, timestamp string, body []byte) bool {
	sig, err := hex.DecodeString(sigHex)
	if err != nil || len(sig) != ed25519.SignatureSize || timestamp == "" || len(key) != ed25519.PublicKeySize {
		return false
	}
	msg := make([]byte, 0, len(timestamp)+len(body))
	msg = append(append(msg, timestamp...), body...)
	return ed25519.Verify(key, msg, sig)
}

// fresh reports whether timestamp (Unix seconds) is within maxSkew of now.
func fresh(timestamp string, now time.Time) bool {
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return false
	}
	d := now.Sub(time.Unix(sec, 0))
	return d <= maxSkew && d >= -maxSkew
}

// unverified counts a 401 and logs it, sampled: one client can send
// thousands a second.
func (a *Adapter) unverified(r *http.Request, reason string) {
	a.m.Unverified(bot.PlatformDiscord)
	if ok, n := a.sampled.Allow("401 " + r.URL.Path); ok {
		a.log.Warn("discord: rejected unverified request", "path", r.URL.Path, "reason", reason, keySuppressed, n)
	}
}

func (a *Adapter) serveInteractions(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "unreadable body", http.StatusBadRequest)
		return
	}
	ts := r.Header.Get("X-Signature-Timestamp")
	if !verify(a.cfg.PublicKey, r.Header.Get("X-Signature-Ed25519"), ts, body) {
		a.unverified(r, reasonSignature)
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	if !fresh(ts, a.cfg.Now()) {
		a.unverified(r, reasonStale)
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	var in discordgo.Interaction
	if err := json.Unmarshal(body, &in); err != nil {
		http.Error(w, "malformed interaction", http.StatusBadRequest)
		return
	}
	if in.Type == discordgo.InteractionPing {
		writeJSON(w, interactionResponse{Type: discordgo.InteractionResponsePong})
		return
	}
	if a.h == nil {
		http.Error(w, "not serving interactions", http.StatusServiceUnavailable)
		return
	}
	a.interact(r.Context(), &in, func(resp interactionResponse) error {
		writeJSON(w, resp)
		// Flush before any follow-up starts: Discord must hold the initial
		// answer before it accepts edits or follow-ups.
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		return nil
	})
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

// interact answers a command or button interaction. respond delivers the
// initial answer (the HTTP body, or a REST callback for gateway-delivered
// interactions) and is called exactly once, before interact returns. When
// the handler is quick the answer is the reply itself (type 4); otherwise
// a deferred "thinking…" (type 5) that a background task completes by
// editing @original. Replies longer than one message continue as follow-ups.
// An interaction id seen before gets a short ephemeral note and runs nothing.
func (a *Adapter) interact(ctx context.Context, in *discordgo.Interaction, respond func(interactionResponse) error) {
	log := a.log.With(keyInteraction, in.ID)
	req, err := requestOf(in)
	if err != nil {
		log.Warn("discord: unusable interaction", keyErr, err)
		title := "Sorry, I can't handle that here."
		var bad *optionError
		if errors.As(err, &bad) {
			title = bad.sentence()
		}
		a.note(respond, bot.Reply{Title: title, Failure: true}, log)
		return
	}
	// Discord sends an interaction once; the same id again is a replay
	// (or the gateway redelivering it), and must not run twice.
	if a.st != nil && in.ID != "" {
		first, err := a.st.FirstSeen(ctx, bot.PlatformDiscord, in.ID)
		switch {
		case err != nil:
			log.Error("discord: interaction dedup failed; not running it", keyErr, err)
			a.note(respond, bot.Reply{Title: "Sorry, something went wrong. Please try again.", Failure: true}, log)
			return
		case !first:
			if ok, n := a.sampled.Allow("replay"); ok {
				log.Warn("discord: replayed interaction not run again", keySuppressed, n)
			}
			a.note(respond, bot.Reply{Title: alreadyHandled}, log)
			return
		}
	}
	share := req.Kind == bot.KindAction && req.Action == bot.ActionShare
	if share && req.Value == "" && in.Message != nil && len(in.Message.Embeds) > 0 {
		// The command text did not fit the button's custom id: repost
		// what the user saw, without controls that would reorder it.
		msg := message{Embeds: withoutBidi(in.Message.Embeds), AllowedMentions: noMentions()}
		if err := respond(interactionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: &msg}); err != nil {
			log.Warn("discord: interaction response failed", keyErr, err)
		}
		return
	}

	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.followUpFor)
	done := make(chan bot.Reply, 1)
	a.background(func() { done <- a.handle(hctx, req) })

	timer := time.NewTimer(a.deferAfter)
	defer timer.Stop()
	select {
	case r := <-done:
		// A failed share stays with the asker.
		ephemeral := !r.InChannel && !(share && !r.Failure)
		msgs := a.interactionMessages(r, ephemeral)
		if err := respond(interactionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: &msgs[0]}); err != nil {
			log.Warn("discord: interaction response failed", keyErr, err)
			cancel()
			return
		}
		if len(msgs) == 1 {
			cancel()
			return
		}
		a.background(func() {
			defer cancel()
			a.followUps(hctx, in.Token, msgs[1:], log)
		})
	case <-timer.C:
		ephemeral := !share
		data := &message{AllowedMentions: noMentions()}
		if ephemeral {
			data.Flags = discordgo.MessageFlagsEphemeral
		}
		if err := respond(interactionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource, Data: data}); err != nil {
			log.Warn("discord: interaction response failed", keyErr, err)
			cancel()
			return
		}
		a.background(func() {
			defer cancel()
			var r bot.Reply
			select {
			case r = <-done:
			case <-hctx.Done():
				log.Error("discord: deferred answer never came", keyErr, hctx.Err())
				r = bot.Reply{Title: "Sorry, that took too long. Please try again.", Failure: true}
			}
			pctx := hctx
			if hctx.Err() != nil {
				// hctx ends a minute before the token does: time to say so.
				var cancelLate context.CancelFunc
				pctx, cancelLate = context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
				defer cancelLate()
			}
			// The deferred message's visibility is fixed by now; a reply
			// meant for the channel still lands where the user sees it.
			msgs := a.interactionMessages(r, ephemeral)
			path := "webhooks/" + a.cfg.AppID + "/" + in.Token + "/messages/@original"
			if err := a.rest.do(pctx, http.MethodPatch, path, msgs[0], nil); err != nil {
				log.Error("discord: completing deferred answer failed", keyErr, err)
				return
			}
			a.followUps(pctx, in.Token, msgs[1:], log)
		})
	}
}

// note answers an interaction with a short ephemeral message.
func (a *Adapter) note(respond func(interactionResponse) error, r bot.Reply, log *slog.Logger) {
	msg := render(r)[0]
	msg.Flags = discordgo.MessageFlagsEphemeral
	if err := respond(interactionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: &msg}); err != nil {
		log.Warn("discord: interaction response failed", keyErr, err)
	}
}

// withoutBidi copies embeds with bidi controls (U+202A–E, U+2066–9,
// marks) removed from their text, as the core cleans user text.
func withoutBidi(embeds []*discordgo.MessageEmbed) []*discordgo.MessageEmbed {
	strip := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.Is(unicode.Bidi_Control, r) {
				return -1
			}
			return r
		}, s)
	}
	out := make([]*discordgo.MessageEmbed, 0, len(embeds))
	for _, e := range embeds {
		if e == nil {
			continue
		}
		c := *e
		c.Title, c.Description = strip(c.Title), strip(c.Description)
		if c.Footer != nil {
			f := *c.Footer
			f.Text = strip(f.Text)
			c.Footer = &f
		}
		if c.Author != nil {
			au := *c.Author
			au.Name = strip(au.Name)
			c.Author = &au
		}
		c.Fields = make([]*discordgo.MessageEmbedField, 0, len(e.Fields))
		for _, f := range e.Fields {
			if f == nil {
				continue
			}
			cf := *f
			cf.Name, cf.Value = strip(cf.Name), strip(cf.Value)
			c.Fields = append(c.Fields, &cf)
		}
		out = append(out, &c)
	}
	return out
}

// handle calls the handler and turns a panic into a polite failure: one bad
// request must not take the process down.
func (a *Adapter) handle(ctx context.Context, req bot.Request) (r bot.Reply) {
	defer func() {
		if p := recover(); p != nil {
			a.log.Error("discord: handler panicked", keyErr, fmt.Sprint(p))
			r = bot.Reply{Title: "Sorry, something went wrong. Please try again.", Failure: true}
		}
	}()
	return a.h.Handle(ctx, req)
}

// interactionMessages renders a reply for an interaction. A reply shown
// to the whole channel drops its "Share in channel" button.
func (a *Adapter) interactionMessages(r bot.Reply, ephemeral bool) []message {
	if !ephemeral {
		r.Buttons = withoutShare(r.Buttons)
	}
	msgs := render(r)
	if ephemeral {
		for i := range msgs {
			msgs[i].Flags = discordgo.MessageFlagsEphemeral
		}
	}
	return msgs
}

func withoutShare(bs []bot.Button) []bot.Button {
	var out []bot.Button
	for _, b := range bs {
		if b.Action != bot.ActionShare {
			out = append(out, b)
		}
	}
	return out
}

// followUps posts the remaining messages of a long reply, in order.
func (a *Adapter) followUps(ctx context.Context, token string, msgs []message, log *slog.Logger) {
	for _, m := range msgs {
		if err := a.rest.do(ctx, http.MethodPost, "webhooks/"+a.cfg.AppID+"/"+token, m, nil); err != nil {
			log.Error("discord: follow-up failed", keyErr, err)
			return
		}
	}
}

// requestOf turns a command or button interaction into a bot.Request.
func requestOf(in *discordgo.Interaction) (bot.Request, error) {
	req := bot.Request{
		Scope:   bot.Scope{Platform: bot.PlatformDiscord, Team: in.GuildID, Channel: in.ChannelID},
		EventID: in.ID,
	}
	switch {
	case in.Member != nil && in.Member.User != nil:
		req.User = in.Member.User.ID
	case in.User != nil:
		req.User = in.User.ID
	}
	if in.GuildID == "" {
		// A DM with the bot, or a private channel: it is the user's own.
		req.Team, req.DM, req.CanManage = dmTeam, true, true
		req.Conversation = in.ChannelID
	} else if in.Member != nil {
		req.CanManage = in.Member.Permissions&(discordgo.PermissionManageChannels|discordgo.PermissionAdministrator) != 0
	}
	if req.Channel == "" || req.User == "" {
		return req, errors.New("interaction without channel or user")
	}
	switch in.Type {
	case discordgo.InteractionApplicationCommand:
		d, ok := in.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok || d.Name != CommandName {
			return req, fmt.Errorf("unknown command %q", d.Name)
		}
		req.Kind = bot.KindCommand
		text, err := commandText(d.Options)
		if err != nil {
			return req, err
		}
		req.Text = text
	case discordgo.InteractionMessageComponent:
		d, ok := in.Data.(discordgo.MessageComponentInteractionData)
		if !ok {
			return req, errors.New("component interaction without data")
		}
		action, value, ok := parseCustomID(d.CustomID)
		if !ok {
			return req, fmt.Errorf("unknown component %q", d.CustomID)
		}
		req.Kind, req.Action, req.Value = bot.KindAction, action, value
	default:
		return req, fmt.Errorf("unsupported interaction type %d", in.Type)
	}
	return req, nil
}

// optionError is an option whose value is not text. Every option
// alexa-brief registers is a STRING, so anything else did not come from
// its command definition and is refused rather than Go-formatted into a
// question ("map[x:[1 2 3]]").
type optionError struct{ name string }

func (e *optionError) Error() string { return fmt.Sprintf("option %q is not text", e.name) }

// sentence is what the user is told.
func (e *optionError) sentence() string {
	return fmt.Sprintf("The “%s” option must be text.", truncate(e.name, 32))
}

// commandText flattens "/alexa-brief ask question: …" to "ask …", the form
// the core parses for every platform.
func commandText(opts []*discordgo.ApplicationCommandInteractionDataOption) (string, error) {
	var parts []string
	for _, o := range opts {
		if o == nil {
			continue
		}
		switch o.Type {
		case discordgo.ApplicationCommandOptionSubCommand, discordgo.ApplicationCommandOptionSubCommandGroup:
			parts = append(parts, o.Name)
			t, err := commandText(o.Options)
			if err != nil {
				return "", err
			}
			if t != "" {
				parts = append(parts, t)
			}
		case discordgo.ApplicationCommandOptionString:
			if o.Value == nil {
				continue
			}
			v, ok := o.Value.(string)
			if !ok {
				return "", &optionError{name: o.Name}
			}
			if v = strings.TrimSpace(v); v != "" {
				parts = append(parts, v)
			}
		default:
			return "", &optionError{name: o.Name}
		}
	}
	return strings.Join(parts, " "), nil
}
