package slack

import (
	"strings"

	"github.com/alexa-brief/alexa-brief/bot"
)

// What deploy/slack/manifest*.yaml must agree with; manifest_test.go checks it.

// BotScopes are the scopes the app asks for. chat:write.public lets
// digests reach public channels the bot was not invited to;
// channels:history and groups:history let FindPost spot a digest posted
// just before a crash.
const BotScopes = "commands,chat:write,chat:write.public,im:history,app_mentions:read,channels:history,groups:history"

// UsageHint is the slash command's usage hint for the app manifest, made
// from the command table so the two never drift apart.
func UsageHint(cmds []bot.Command) string {
	us := make([]string, 0, len(cmds))
	for _, c := range cmds {
		us = append(us, c.Usage)
	}
	return "[" + strings.Join(us, " | ") + "]"
}
