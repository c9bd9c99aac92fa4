package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/alexa-brief/alexa-brief/bot"
)

// Retry policy of every Web API call.
const (
	maxFailures           = 5                // 5xx, timeouts, transport errors
	maxRateLimited        = 10               // 429s
	defaultRetryAfter     = 5 * time.Second  // 429 without a usable Retry-After
	defaultAttemptTimeout = 15 * time.Second // one HTTP attempt
	backoffBase           = 500 * time.Millisecond
	backoffMax            = 30 * time.Second
	// digestEventType marks digest posts so FindPost can find them.
	digestEventType = "alexa_brief_digest"
	// replyEventType marks replies to events (key replyKeyPrefix+event_id)
	// so that a retry after a lost answer finds the reply, not a second one.
	replyEventType = "alexa_brief_reply"
	replyKeyPrefix = "event:"
)

// conversations.history errors that mean "cannot know", not failure.
var unreadable = map[string]bool{"not_in_channel": true, "missing_scope": true, "channel_not_found": true}

// Slack error codes worth another attempt.
var retryableCodes = map[string]bool{
	"internal_error": true, "fatal_error": true, "service_unavailable": true,
	"request_timeout": true, "ratelimited": true,
}

// Post delivers r to the channel of sc, split into several messages when it
// is long, keeping to Slack's rate limits. With a key (a digest slot) every
// part carries metadata {event_type: alexa_brief_digest, event_payload:
// {slot: key}} so FindPost can recognise it. The id returned is the ts of
// the first message.
func (a *Adapter) Post(ctx context.Context, sc bot.Scope, r bot.Reply, key string) (string, error) {
	if sc.Platform != "" && sc.Platform != platform {
		return "", fmt.Errorf("slack: post: scope is %s, not slack", sc.Platform)
	}
	return a.postMessages(ctx, sc.Team, "", sc.Channel, "", render(r), key)
}

// postMessages posts msgs in order to channel (in thread threadTS when
// set); enterprise, when known, finds an org-wide Enterprise Grid install.
func (a *Adapter) postMessages(ctx context.Context, team, enterprise, channel, threadTS string, msgs []message, key string) (string, error) {
	return a.postReply(ctx, team, enterprise, channel, threadTS, msgs, key, false)
}

// postReply is postMessages for a post that may have been made before
// (maybePosted: an outbox event claimed again after its owner stopped):
// with a key, each part is looked for in the channel before it is posted.
func (a *Adapter) postReply(ctx context.Context, team, enterprise, channel, threadTS string, msgs []message, key string, maybePosted bool) (string, error) {
	token, err := a.token(ctx, team, enterprise)
	if err != nil {
		return "", err
	}
	api := a.client(token)
	first := ""
	for i, m := range msgs {
		opts := []slack.MsgOption{
			slack.MsgOptionText(m.Text, false), // already escaped
			slack.MsgOptionBlocks(m.Blocks...),
			slack.MsgOptionDisableLinkUnfurl(),
		}
		if threadTS != "" {
			opts = append(opts, slack.MsgOptionTS(threadTS))
		}
		if key != "" {
			payload := map[string]any{"slot": key}
			if len(msgs) > 1 {
				payload["part"] = i + 1
			}
			opts = append(opts, slack.MsgOptionMetadata(slack.SlackMetadata{EventType: metaType(key), EventPayload: payload}))
		}
		var ts string
		uncertain := maybePosted
		since := a.limits.now().Add(-time.Minute) // the limiter's clock is the wall clock Slack's ts follow
		if maybePosted {
			// The earlier owner posted within the lease and freshness
			// window before this claim.
			since = a.limits.now().Add(-a.outbox.Freshness() - a.outbox.Lease())
		}
		part := i + 1
		if len(msgs) == 1 {
			part = 0
		}
		err := a.retry(ctx, "chat.postMessage", team, channel, func(ctx context.Context) error {
			// A timeout or 5xx may hide a post that went through: for a
			// digest or an event's reply, look before posting again.
			if uncertain && key != "" {
				if found, ok := a.findPage(ctx, api, channel, threadTS, key, part, since); ok {
					a.log.Info("slack: post had gone through before the error", keyChannel, channel)
					ts = found
					return nil
				}
			}
			var err error
			_, ts, err = api.PostMessageContext(ctx, channel, opts...)
			var sc slack.StatusCodeError
			if err != nil && (transient(err) || (errors.As(err, &sc) && sc.Code >= 500)) {
				uncertain = true
			}
			return err
		})
		if err != nil {
			if len(msgs) > 1 {
				return first, fmt.Errorf("%w (part %d of %d)", err, i+1, len(msgs))
			}
			return first, err
		}
		if i == 0 {
			first = ts
		}
	}
	return first, nil
}

// FindPost looks for a message posted with key since the given time, from
// conversations.history with include_all_metadata.
func (a *Adapter) FindPost(ctx context.Context, sc bot.Scope, key string, since time.Time) (string, bool, error) {
	token, err := a.token(ctx, sc.Team, "")
	if err != nil {
		return "", false, err
	}
	api := a.client(token)
	params := &slack.GetConversationHistoryParameters{
		ChannelID:          sc.Channel,
		Oldest:             fmt.Sprintf("%d.%06d", since.Unix(), since.Nanosecond()/1000),
		Limit:              200,
		IncludeAllMetadata: true,
	}
	for range 10 { // 2,000 messages since the slot is far more than any channel gets
		var res *slack.GetConversationHistoryResponse
		err := a.retry(ctx, "conversations.history", sc.Team, "", func(ctx context.Context) error {
			var err error
			res, err = api.GetConversationHistoryContext(ctx, params)
			return err
		})
		if err != nil {
			var se slack.SlackErrorResponse
			if errors.As(err, &se) && unreadable[se.Err] {
				// The bot may post to a public channel it is not in
				// (chat:write.public) but not read it; the store's ledger
				// remains the guard against a second post.
				a.log.Debug("slack: cannot read channel history", keyChannel, sc.Channel, keyError, err)
				return "", false, nil
			}
			return "", false, err
		}
		if ts, ok := match(res.Messages, key, 0); ok {
			return ts, true, nil
		}
		if !res.HasMore || res.ResponseMetaData.NextCursor == "" {
			break
		}
		params.Cursor = res.ResponseMetaData.NextCursor
	}
	return "", false, nil
}

// metaType is the metadata event type of the posts of key.
func metaType(key string) string {
	if strings.HasPrefix(key, replyKeyPrefix) {
		return replyEventType
	}
	return digestEventType
}

// match finds the message of key (and part, when not 0) among msgs.
func match(msgs []slack.Message, key string, part int) (string, bool) {
	for _, m := range msgs {
		md := m.Metadata
		if md.EventType != metaType(key) || fmt.Sprint(md.EventPayload["slot"]) != key {
			continue
		}
		if part == 0 || fmt.Sprint(md.EventPayload["part"]) == strconv.Itoa(part) {
			return m.Timestamp, true
		}
	}
	return "", false
}

// findPage looks for key's part in the newest page of history (of the
// thread, when threadTS is set: history leaves thread replies out), once
// and without retries: it only decides whether to post again.
func (a *Adapter) findPage(ctx context.Context, api *slack.Client, channel, threadTS, key string, part int, since time.Time) (string, bool) {
	oldest := fmt.Sprintf("%d.%06d", since.Unix(), since.Nanosecond()/1000)
	if threadTS != "" {
		msgs, _, _, err := api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
			ChannelID: channel, Timestamp: threadTS, Oldest: oldest, Limit: 200, IncludeAllMetadata: true,
		})
		if err != nil {
			return "", false
		}
		return match(msgs, key, part)
	}
	res, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
		ChannelID: channel, Oldest: oldest, Limit: 200, IncludeAllMetadata: true,
	})
	if err != nil {
		return "", false
	}
	return match(res.Messages, key, part)
}

// retry runs one Web API call with Slack's rules: it waits for the
// channel's and workspace's rate (when channel is set), waits as told on a
// 429, retries 5xx, timeouts and transport errors with exponential backoff
// and jitter, and gives up after a bounded number of attempts. The final
// error names the method and Slack's error code.
func (a *Adapter) retry(ctx context.Context, method, team, channel string, call func(ctx context.Context) error) error {
	failures, limited := 0, 0
	for attempt := 1; ; attempt++ {
		if channel != "" {
			if wait := a.limits.reserve(team, channel); wait > 0 {
				a.metrics.Waited(platform, wait)
				if err := a.sleep(ctx, wait); err != nil {
					return fmt.Errorf("slack: %s: %w", method, err)
				}
			}
		}
		actx, cancel := context.WithTimeout(ctx, a.attemptTimeout)
		err := call(actx)
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("slack: %s: %w", method, ctx.Err())
		}
		var (
			wait time.Duration
			rl   *slack.RateLimitedError
			sc   slack.StatusCodeError
			se   slack.SlackErrorResponse
			ne   *strconv.NumError // slack-go's answer to a 429 whose Retry-After is not an integer
		)
		switch {
		case errors.As(err, &rl) || (errors.As(err, &sc) && sc.Code == http.StatusTooManyRequests) ||
			(errors.As(err, &se) && se.Err == "ratelimited") || errors.As(err, &ne):
			a.metrics.RateLimited(platform)
			limited++
			if limited > maxRateLimited {
				return fmt.Errorf("slack: %s: ratelimited after %d attempts: %w", method, attempt, err)
			}
			wait = defaultRetryAfter
			if rl != nil && rl.RetryAfter > 0 {
				wait = rl.RetryAfter
			}
			if channel != "" {
				a.limits.hold(team, channel, wait)
				wait = 0 // the next reserve waits it out, and counts it
			} else {
				a.metrics.Waited(platform, wait)
			}
		case errors.As(err, &sc) && sc.Code >= 500, errors.As(err, &se) && retryableCodes[se.Err], transient(err):
			failures++
			if failures >= maxFailures {
				return fmt.Errorf("slack: %s: gave up after %d attempts: %w", method, attempt, err)
			}
			wait = a.jitter(backoff(failures))
		default:
			return fmt.Errorf("slack: %s: %w", method, err)
		}
		a.metrics.Retried(platform)
		a.log.Info("slack: retrying", keyMethod, method, keyTeam, team, keyChannel, channel,
			keyAttempt, attempt, keyWait, wait, keyError, err)
		if wait > 0 {
			if err := a.sleep(ctx, wait); err != nil {
				return fmt.Errorf("slack: %s: %w", method, err)
			}
		}
	}
}

// transient reports a timeout or transport failure.
func transient(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var ue *url.Error
	return errors.As(err, &ue)
}

// backoff is the delay before retry n (1-based): base·2^(n−1), capped.
func backoff(n int) time.Duration {
	d := backoffBase << (n - 1)
	if d > backoffMax || d <= 0 {
		d = backoffMax
	}
	return d
}

// defaultJitter spreads retries over [d/2, d).
func defaultJitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2)
}

// responsePayload is a message posted to a response_url or returned inline
// to a slash command.
type responsePayload struct {
	ResponseType    string        `json:"response_type,omitempty"`
	Text            string        `json:"text"`
	Blocks          []slack.Block `json:"blocks,omitempty"`
	ReplaceOriginal bool          `json:"replace_original"`
	ThreadTS        string        `json:"thread_ts,omitempty"`
	// encoded, when set, is this payload as writeJSON would write it,
	// rendered once for a cached reply (rendercache.go).
	encoded []byte
}

func responseType(inChannel bool) string {
	if inChannel {
		return "in_channel"
	}
	return "ephemeral"
}

// respond posts the messages to a response_url: at most 5 uses in 30
// minutes, so a reply of more parts ends with a note instead of failing.
func (a *Adapter) respond(ctx context.Context, responseURL string, msgs []message, inChannel bool) error {
	const maxUses = 5
	if len(msgs) > maxUses {
		rest := len(msgs) - maxUses + 1
		msgs = append(msgs[:maxUses-1:maxUses-1], message{
			Text:   "…",
			Blocks: []slack.Block{slack.NewSectionBlock(mrkdwn(fmt.Sprintf("_%d more parts were left out; ask a narrower question._", rest)), nil, nil)},
		})
	}
	for _, m := range msgs {
		body, err := json.Marshal(responsePayload{ResponseType: responseType(inChannel), Text: m.Text, Blocks: m.Blocks})
		if err != nil {
			return fmt.Errorf("slack: response_url: %w", err)
		}
		err = a.retry(ctx, "response_url", "", "", func(ctx context.Context) error {
			return a.postResponse(ctx, responseURL, body)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// postResponse makes one POST to a response_url and maps its answer to the
// errors retry understands.
func (a *Adapter) postResponse(ctx context.Context, responseURL string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, responseURL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.http.Do(req)
	if err != nil {
		// *url.Error quotes the URL, and a response_url is a credential
		// (anyone holding it may post to the channel for 30 minutes): keep
		// the error's type, for retry, but not the URL's path.
		var ue *url.Error
		if errors.As(err, &ue) {
			return &url.Error{Op: ue.Op, URL: redactURL(responseURL), Err: ue.Err}
		}
		return err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var res struct {
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	}
	jsonErr := json.Unmarshal(data, &res)
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		var secs int
		if _, err := fmt.Sscan(resp.Header.Get("Retry-After"), &secs); err == nil && secs > 0 {
			return &slack.RateLimitedError{RetryAfter: time.Duration(secs) * time.Second}
		}
		return slack.StatusCodeError{Code: resp.StatusCode, Status: resp.Status}
	case resp.StatusCode >= 500:
		return slack.StatusCodeError{Code: resp.StatusCode, Status: resp.Status}
	case jsonErr == nil && !res.OK && res.Error != "":
		return slack.SlackErrorResponse{Err: res.Error}
	case resp.StatusCode != http.StatusOK:
		return slack.StatusCodeError{Code: resp.StatusCode, Status: resp.Status}
	}
	return nil // Slack answers "ok" as text or {"ok":true}
}

// redactURL keeps the scheme and host of a URL, for errors and logs.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "response_url"
	}
	return u.Scheme + "://" + u.Host + "/…"
}
