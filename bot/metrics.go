package bot

import "time"

// Metrics receives what operators count. The core and the adapters call it;
// cmd wires a Prometheus implementation. Every method must be cheap and safe
// for concurrent use.
type Metrics interface {
	// CommandHandled counts a handled request: command is the subcommand
	// name ("brief", "ask", "dm" for direct messages, "action:quotes" …),
	// outcome is "ok", "declined", "bad_input", "denied" or "error".
	CommandHandled(platform, command, outcome string, latency time.Duration)
	// DigestFinished counts a digest slot reaching a final state.
	DigestFinished(platform string, state DeliveryState)
	// APICall counts one platform API call; status is the HTTP status, or 0
	// for a transport error.
	APICall(platform, method string, status int)
	// RateLimited counts a 429; Retried counts any retry; Waited records time
	// spent waiting to keep within a rate limit.
	RateLimited(platform string)
	Retried(platform string)
	Waited(platform string, d time.Duration)
	// Connection records a Socket Mode or gateway connection going up or down.
	Connection(platform string, up bool)
	// Unverified counts a request refused for a missing, wrong or stale
	// signature. Adapters sample their log lines; this counts every one.
	Unverified(platform string)
	// ConversationNotSaved counts an answer given whose exchange the store
	// did not keep: a follow-up to it will lack its context.
	ConversationNotSaved(platform string)
	// OutboxEvents counts n accepted events reaching outcome: "answered",
	// "failed" (the reply could not be posted), "expired" (older than the
	// freshness window before a worker got to it), "busy" (refused with a
	// short busy reply, the backlog being full) or "dropped" (refused
	// while even the busy replies were backed up, so nothing was posted).
	OutboxEvents(platform, outcome string, n int)
	// OutboxBacklog records the events waiting or being answered, as the
	// adapter last counted them.
	OutboxBacklog(platform string, n int)

	// The optional language model (written answers and brief summaries):
	// ModelLatency records one call to it, whatever its end; ModelTokens
	// counts the tokens a reply's usage reports; WrittenOutcome counts one
	// call by how it ended ("written", or why the reader got the
	// extractive text: "none_kept", "timeout", "malformed", "error"), use
	// being "answer" or "summary"; WrittenClaims counts the claims of one
	// reply that verification kept and dropped.
	ModelLatency(d time.Duration)
	ModelTokens(prompt, completion int64)
	WrittenOutcome(use, outcome string)
	WrittenClaims(use string, kept, dropped int)
}

// NopMetrics discards everything; the zero value is ready.
type NopMetrics struct{}

func (NopMetrics) CommandHandled(string, string, string, time.Duration) {}
func (NopMetrics) DigestFinished(string, DeliveryState)                 {}
func (NopMetrics) APICall(string, string, int)                          {}
func (NopMetrics) RateLimited(string)                                   {}
func (NopMetrics) Retried(string)                                       {}
func (NopMetrics) Waited(string, time.Duration)                         {}
func (NopMetrics) Connection(string, bool)                              {}
func (NopMetrics) Unverified(string)                                    {}
func (NopMetrics) ConversationNotSaved(string)                          {}
func (NopMetrics) OutboxEvents(string, string, int)                     {}
func (NopMetrics) OutboxBacklog(string, int)                            {}
func (NopMetrics) ModelLatency(time.Duration)                           {}
func (NopMetrics) ModelTokens(int64, int64)                             {}
func (NopMetrics) WrittenOutcome(string, string)                        {}
func (NopMetrics) WrittenClaims(string, int, int)                       {}
