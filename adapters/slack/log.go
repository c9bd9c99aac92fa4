package slack

// Log keys, in one place so every line of the adapter reads alike.
// Message text and tokens are never logged.
const (
	keyPlatform = "platform"
	keyTeam     = "team"
	keyChannel  = "channel"
	keyEventID  = "event_id"
	keyCommand  = "command"
	keyAction   = "action"
	keyMethod   = "method"
	keyAttempt  = "attempt"
	keyWait     = "wait"
	keyError    = "err"
	keyRetry    = "retry"
	keyBacklog  = "backlog"
	keyExpired  = "expired"
	// keySuppressed is how many like lines a sampled log left out since
	// its last one.
	keySuppressed = "suppressed"
)
