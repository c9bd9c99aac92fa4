package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/alexa-brief/alexa-brief/bot"
)

// A digest names its slot in the footer of every message it posts:
// "alexa-brief digest · sub7-1763888400" (with " · part 1/3" when split).
// enforce_nonce only deduplicates for a few minutes, and messages fetched
// later do not reliably echo their nonce, so FindPost matches this visible
// line instead: it survives as long as the message does.
const markerPrefix = "alexa-brief digest · "

// dmKeyPrefix marks the keys of direct-message answers: they deduplicate by
// nonce but are no digest, so they carry no footer marker.
const dmKeyPrefix = "dm:"

// FindPost searches at most findPages pages of findPageSize messages,
// starting findMargin before since: the crashed owner posted after the
// slot, but our clock and Discord's may disagree.
const (
	findPageSize = 50
	findPages    = 10
	findMargin   = 5 * time.Minute
	// discordEpoch is the first millisecond of 2015, where snowflakes start.
	discordEpoch = 1420070400000
)

func markerLine(key string, part, parts int) string {
	if parts <= 1 {
		return markerPrefix + key
	}
	return fmt.Sprintf("%s%s · part %d/%d", markerPrefix, key, part, parts)
}

// markReserve is the room a marker line may need, its line break included.
func markReserve(key string) int { return size("\n" + markerLine(key, 999, 999)) }

// renderMarked renders a digest and ends the footer of each message's last
// embed with its marker line. The room was reserved while packing, so every
// embed limit still holds.
func renderMarked(r bot.Reply, key string) []message {
	msgs := renderWithin(r, markReserve(key))
	for i := range msgs {
		m := &msgs[i]
		line := markerLine(key, i+1, len(msgs))
		if len(m.Embeds) == 0 {
			color := colorBrief
			if r.Failure {
				color = colorFailure
			}
			m.Embeds = []*discordgo.MessageEmbed{{Color: color}}
		}
		e := m.Embeds[len(m.Embeds)-1]
		if e.Footer == nil || e.Footer.Text == "" {
			e.Footer = &discordgo.MessageEmbedFooter{Text: line}
		} else {
			e.Footer.Text += "\n" + line
		}
	}
	return msgs
}

// fetchedMessage is what FindPost reads of a message from GET
// /channels/{id}/messages.
type fetchedMessage struct {
	ID     string `json:"id"`
	Author struct {
		ID string `json:"id"`
	} `json:"author"`
	Embeds []struct {
		Footer *struct {
			Text string `json:"text"`
		} `json:"footer"`
	} `json:"embeds"`
}

// firstPartOf reports whether m is the first (or only) message of the
// digest of key: the last line of its last embed's footer is the marker.
func (m fetchedMessage) firstPartOf(key string) bool {
	if len(m.Embeds) == 0 || m.Embeds[len(m.Embeds)-1].Footer == nil {
		return false
	}
	text := m.Embeds[len(m.Embeds)-1].Footer.Text
	line := text[strings.LastIndex(text, "\n")+1:]
	return line == markerLine(key, 1, 1) || strings.HasPrefix(line, markerPrefix+key+" · part 1/")
}

// FindPost looks in the channel of sc for the digest of key posted by this
// bot since the given time (less a margin), and returns the id of its
// first message: a takeover uses it to tell whether a crashed owner posted
// before it died. Only the bot's own messages count, so nobody can block a
// digest by typing its footer. An error means "cannot tell": the history
// could not be read (HTTP errors, no Read Message History permission) or
// more messages arrived since than FindPost reads.
func (a *Adapter) FindPost(ctx context.Context, sc bot.Scope, key string, since time.Time) (string, bool, error) {
	switch {
	case a.rest.token == "":
		return "", false, fmt.Errorf("discord: find post: %w", errNoToken)
	case sc.Platform != "" && sc.Platform != bot.PlatformDiscord:
		return "", false, fmt.Errorf("discord: find post: scope is for %q", sc.Platform)
	case !isSnowflake(sc.Channel):
		return "", false, errors.New("discord: find post: the channel is not a Discord id")
	case key == "":
		return "", false, errors.New("discord: find post: no key")
	}
	self, err := a.botUserID(ctx)
	if err != nil {
		return "", false, fmt.Errorf("discord: find post: %w", err)
	}
	start := snowflakeAt(since.Add(-findMargin))
	after := start
	for range findPages {
		var page []fetchedMessage
		path := fmt.Sprintf("channels/%s/messages?limit=%d&after=%d", sc.Channel, findPageSize, after)
		if err := a.rest.do(ctx, http.MethodGet, path, nil, &page); err != nil {
			return "", false, fmt.Errorf("discord: find post in channel %s: %w", sc.Channel, err)
		}
		for _, m := range page {
			if m.Author.ID == self && m.firstPartOf(key) {
				return m.ID, true, nil
			}
			if id, err := strconv.ParseUint(m.ID, 10, 64); err == nil && id > after {
				after = id
			}
		}
		if len(page) < findPageSize {
			if err := a.checkHistory(ctx, sc.Channel, start); err != nil {
				return "", false, fmt.Errorf("discord: find post in channel %s: %w", sc.Channel, err)
			}
			return "", false, nil
		}
	}
	return "", false, fmt.Errorf("discord: find post in channel %s: more than %d messages since %s; cannot tell whether the digest was posted",
		sc.Channel, findPages*findPageSize, since.UTC().Format(time.RFC3339))
}

// checkHistory tells "no such message" from "not allowed to see it": without
// Read Message History Discord lists a channel as empty instead of refusing,
// which would pass for "not posted" and let a takeover post twice. Fetching
// one message does check the permission: 403 without it, 404 Unknown
// Message (10008) with it, for an id nobody posted.
func (a *Adapter) checkHistory(ctx context.Context, channel string, probe uint64) error {
	err := a.rest.do(ctx, http.MethodGet, fmt.Sprintf("channels/%s/messages/%d", channel, probe), nil, nil)
	var apiErr *APIError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound && apiErr.Code == 10008:
		return nil
	case errors.As(err, &apiErr) && apiErr.Status == http.StatusForbidden:
		return fmt.Errorf("cannot read the channel's history (give the bot Read Message History): %w", err)
	}
	return err
}

// botUserID is the bot's own user id: from the gateway's READY when
// connected, else from GET /users/@me once.
func (a *Adapter) botUserID(ctx context.Context) (string, error) {
	a.mu.Lock()
	id := a.selfID
	a.mu.Unlock()
	if id != "" {
		return id, nil
	}
	var me struct {
		ID string `json:"id"`
	}
	if err := a.rest.do(ctx, http.MethodGet, "users/@me", nil, &me); err != nil {
		return "", err
	}
	if !isSnowflake(me.ID) {
		return "", errors.New("users/@me: no user id in the answer")
	}
	a.mu.Lock()
	if a.selfID == "" {
		a.selfID = me.ID
	}
	a.mu.Unlock()
	return me.ID, nil
}

// snowflakeAt is the smallest snowflake of time t: a message posted at or
// after t has a larger id.
func snowflakeAt(t time.Time) uint64 {
	return uint64(max(t.UnixMilli()-discordEpoch, 0)) << 22
}
