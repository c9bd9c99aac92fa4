package discord

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/alexa-brief/alexa-brief/bot"
)

// Post sends a reply to a channel (a digest, or the answer to a DM) as one
// or more messages. Each message carries a nonce derived from key, the
// channel and its position, with enforce_nonce: a retry within Discord's
// window — ours after a lost response, or the scheduler's after a crash —
// returns the message already posted instead of posting it twice. An empty
// key still gets a random nonce so this call's own retries stay single.
// A digest key (any but a DM's "dm:…") is also written in the footer, where
// FindPost finds it after the nonce window has passed.
// It returns the id of the first message.
func (a *Adapter) Post(ctx context.Context, sc bot.Scope, r bot.Reply, key string) (string, error) {
	if a.rest.token == "" {
		return "", fmt.Errorf("discord: post: %w", errNoToken)
	}
	if sc.Platform != "" && sc.Platform != bot.PlatformDiscord {
		return "", fmt.Errorf("discord: post: scope is for %q", sc.Platform)
	}
	if !isSnowflake(sc.Channel) {
		return "", errors.New("discord: post: the channel is not a Discord id")
	}
	msgs := render
	if key != "" && !strings.HasPrefix(key, dmKeyPrefix) {
		msgs = func(r bot.Reply) []message { return renderMarked(r, key) }
	}
	if key == "" {
		var b [16]byte
		_, _ = rand.Read(b[:])
		key = hex.EncodeToString(b[:])
	}
	// A channel message is seen by everyone already: no share button.
	r.Buttons = withoutShare(r.Buttons)
	first := ""
	for i, m := range msgs(r) {
		m.Nonce, m.EnforceNonce = nonce(sc.Channel, key, i), true
		var out struct {
			ID string `json:"id"`
		}
		if err := a.rest.do(ctx, http.MethodPost, "channels/"+sc.Channel+"/messages", m, &out); err != nil {
			return first, fmt.Errorf("discord: post message %d to channel %s: %w", i+1, sc.Channel, err)
		}
		if i == 0 {
			first = out.ID
		}
	}
	return first, nil
}

// nonce is at most 25 characters (Discord's limit) whatever the key's length.
func nonce(channel, key string, part int) string {
	sum := sha256.Sum256([]byte(channel + "\x00" + key + "\x00" + strconv.Itoa(part)))
	return hex.EncodeToString(sum[:])[:maxNonce]
}
