// Package bot is the platform-neutral core of alexa-brief: the command
// table, replies, conversations, digests and the scheduler. Adapters turn
// platform traffic into Requests and render Replies; the core never imports
// an adapter nor formats any platform's markup.
package bot

import "time"

// ConfigError is a failure that retrying cannot fix: credentials a
// platform refused, a setting it rejects. Adapters return it from Run;
// the command exits with code 2 (bad configuration) on it, so a
// supervisor does not restart into the same refusal.
type ConfigError struct{ Err error }

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// Platform names as stored and as shown in logs and metrics.
const (
	PlatformShell   = "shell"
	PlatformSlack   = "slack"
	PlatformDiscord = "discord"
)

// Scope keys all per-channel state. One workspace or guild can never reach
// another's: every store call takes the full scope.
type Scope struct {
	Platform string `json:"platform"`
	Team     string `json:"team"` // Slack team, Discord guild, "local" for the shell
	Channel  string `json:"channel"`
}

// Kind says what a Request is.
type Kind int

const (
	KindCommand Kind = iota // /alexa-brief <Text>
	KindMessage             // a direct message or mention: Text is a question
	KindAction              // a button: Action and Value are set
)

// Request is one thing a user did, as the core sees it.
type Request struct {
	Kind Kind
	Scope
	User         string
	DM           bool   // the channel is a direct conversation with the bot
	Conversation string // thread or DM id that groups follow-ups; empty means the channel
	Text         string
	Action       string // for KindAction: one of the Action* constants
	Value        string
	// CanManage is set by the adapter when the user may change this
	// channel's subscriptions (Discord: Manage Channels or Administrator).
	CanManage bool
	EventID   string // platform event id, for logs
}

// Button actions the core understands.
const (
	ActionQuotes  = "quotes"
	ActionSources = "sources"
	ActionFacts   = "facts"
	ActionShare   = "share" // repost the reply in channel; Value carries the command text
	ActionAsk     = "ask"   // ask a follow-up; Value carries a suggested question
)

// Reply is a rich message in platform-neutral form.
type Reply struct {
	Title     string     `json:"title,omitempty"`
	Sections  []Section  `json:"sections,omitempty"`
	Citations []Citation `json:"citations,omitempty"`
	Buttons   []Button   `json:"buttons,omitempty"`
	Footer    string     `json:"footer,omitempty"`
	// InChannel asks the adapter to show the reply to the whole channel
	// instead of only the asker (Slack in_channel, Discord without flag 64).
	InChannel bool `json:"in_channel,omitempty"`
	// Failure marks a refusal or error message (bad input, not allowed).
	Failure bool `json:"failure,omitempty"`
	// Key, when set, names this content: every reply with the same Key is
	// the same reply, so an adapter may keep its rendering under the Key.
	// Empty for replies that carry anything of the request.
	Key string `json:"-"`
}

// Section is one part of a Reply: a heading with a paragraph, a list or a quote.
type Section struct {
	Heading string `json:"heading,omitempty"`
	Text    string `json:"text,omitempty"`
	Items   []Item `json:"items,omitempty"`
	Quote   *Quote `json:"quote,omitempty"`
}

// Item is a list entry with the numbers of the citations that support it.
type Item struct {
	Text string `json:"text"`
	Refs []int  `json:"refs,omitempty"`
	// User is a platform user id the item ends with (who set a digest
	// up): adapters render it as a mention their platform shows as a name
	// (Slack <@U…>, Discord <@…>), the shell as it is. Text stays free of
	// markup, which the core never writes.
	User string `json:"user,omitempty"`
}

// Quote is a quotation block.
type Quote struct {
	Text    string `json:"text"`
	Speaker string `json:"speaker,omitempty"`
	Refs    []int  `json:"refs,omitempty"`
}

// Citation is a numbered source: N is what Refs point at.
type Citation struct {
	N     int    `json:"n"`
	ID    string `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url,omitempty"`
}

// Button is an interactive action under a reply.
type Button struct {
	Label  string `json:"label"`
	Action string `json:"action"`
	Value  string `json:"value,omitempty"`
}

// Clock tells the time; tests pass a fixed one.
type Clock interface{ Now() time.Time }

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }
