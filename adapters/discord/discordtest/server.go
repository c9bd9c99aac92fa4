// Package discordtest is a fake Discord REST API for tests. It checks the
// bot token, keeps per-route rate-limit buckets and the global 50 requests/s
// limit the way Discord does (X-RateLimit-* headers, 429 with a JSON
// retry_after in float seconds and a Retry-After header), validates message
// bodies against Discord's size limits, deduplicates enforce_nonce messages
// and records everything it accepted so tests can assert the JSON on the wire.
//
// It listens on 127.0.0.1 only. Point a client at URL().
package discordtest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"

	"github.com/bwmarrin/discordgo"
)

// Options configure a Server. The zero value gives Discord's defaults.
type Options struct {
	Token       string        // bot token without the "Bot " prefix; default "test-bot-token"
	AppID       string        // application id; default "100000000000000001"
	RouteLimit  int           // requests per route bucket and window; default 5 (channel messages: 5 per 5 s on Discord)
	RouteWindow time.Duration // bucket window; default 1 s (shorter than Discord's to keep tests quick)
	GlobalLimit int           // requests per second across routes; default 50, negative disables
	NonceWindow time.Duration // how long enforce_nonce remembers a nonce; default 5 min ("a few minutes")
	Shards      int           // GET /gateway/bot "shards"; default 1
	BotUserID   string        // GET /users/@me "id" and the author of the bot's messages; default AppID
}

// Server is a running fake. It is safe for concurrent use.
type Server struct {
	opts Options
	srv  *httptest.Server

	mu           sync.Mutex
	lastID       uint64
	seq          uint64
	noHistory    map[string]bool // channels the bot cannot read (no READ_MESSAGE_HISTORY)
	buckets      map[string]*bucket
	global       []time.Time // arrival times inside the last second
	nonces       map[string]nonceEntry
	messages     []Message
	webhooks     []WebhookCall
	callbacks    []Callback
	commands     []CommandPut
	requests     int
	limited      int
	limitedGlob  int
	failures     []failure
	forced429    []float64
	unauthorized int
}

type bucket struct {
	hash      string
	remaining int
	reset     time.Time
}

type nonceEntry struct {
	msg Message
	at  time.Time
}

type failure struct {
	status      int
	afterCommit bool // the message is created, then the response is lost
}

// Message is a message the fake created (channel message, follow-up, edit or
// interaction response body).
type Message struct {
	ID              string                    `json:"id"`
	ChannelID       string                    `json:"channel_id,omitempty"`
	Author          *Author                   `json:"author,omitempty"`
	Timestamp       string                    `json:"timestamp,omitempty"`
	Content         string                    `json:"content,omitempty"`
	Embeds          []*discordgo.MessageEmbed `json:"embeds,omitempty"`
	Components      json.RawMessage           `json:"components,omitempty"`
	AllowedMentions *AllowedMentions          `json:"allowed_mentions,omitempty"`
	Flags           int                       `json:"flags,omitempty"`
	Nonce           string                    `json:"nonce,omitempty"`
	EnforceNonce    bool                      `json:"enforce_nonce,omitempty"`
	// Raw is the request body exactly as sent.
	Raw json.RawMessage `json:"-"`
	// Webhook marks follow-ups, edits and interaction responses, whose
	// default mention parsing differs from channel messages.
	Webhook bool `json:"-"`
}

// Author is a message's author as Discord shows it.
type Author struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Bot      bool   `json:"bot,omitempty"`
}

// AllowedMentions is the allowed_mentions object as sent. Parse is nil when
// the key was null or absent, and empty for "parse": [].
type AllowedMentions struct {
	Parse []string `json:"parse"`
	Users []string `json:"users,omitempty"`
	Roles []string `json:"roles,omitempty"`
}

var mentionRE = regexp.MustCompile(`<@!?(\d+)>|<@&(\d+)>|@everyone|@here`)

// Pings lists who Discord would notify for this message: "everyone",
// "user:ID" or "role:ID". Embeds never ping; content does unless
// allowed_mentions forbids it. Defaults: channel messages parse everything,
// webhooks and interactions parse users only.
func (m Message) Pings() []string {
	allowed := map[string]bool{"users": true, "roles": true, "everyone": true}
	if m.Webhook {
		allowed = map[string]bool{"users": true}
	}
	if am := m.AllowedMentions; am != nil {
		allowed = map[string]bool{}
		for _, p := range am.Parse {
			allowed[p] = true
		}
		for _, u := range am.Users {
			allowed["user:"+u] = true
		}
		for _, r := range am.Roles {
			allowed["role:"+r] = true
		}
	}
	var out []string
	for _, g := range mentionRE.FindAllStringSubmatch(m.Content, -1) {
		switch {
		case g[1] != "" && (allowed["users"] || allowed["user:"+g[1]]):
			out = append(out, "user:"+g[1])
		case g[2] != "" && (allowed["roles"] || allowed["role:"+g[2]]):
			out = append(out, "role:"+g[2])
		case g[1] == "" && g[2] == "" && allowed["everyone"]:
			out = append(out, "everyone")
		}
	}
	return out
}

// WebhookCall is a follow-up (POST), an edit (PATCH) or a delete on an
// interaction webhook.
type WebhookCall struct {
	Method  string
	AppID   string
	Token   string
	Target  string // "" for a follow-up, "@original" or a message id for edits
	Message Message
}

// Callback is an interaction response sent over REST (gateway-delivered
// interactions answer with POST /interactions/{id}/{token}/callback).
type Callback struct {
	InteractionID string
	Token         string
	Type          int
	Data          Message
}

// CommandPut is one bulk overwrite of application commands.
type CommandPut struct {
	GuildID string          // "" for global commands
	Body    json.RawMessage // the JSON array as sent
}

// Stats counts what the fake saw.
type Stats struct {
	Requests     int // every request, answered or not
	RateLimited  int // 429s for a per-route bucket
	GlobalLimit  int // 429s for the global limit
	Unauthorized int // 401s
}

// New starts a fake on 127.0.0.1. Close it when done.
func New(opts Options) *Server {
	if opts.Token == "" {
		opts.Token = "test-bot-token"
	}
	if opts.AppID == "" {
		opts.AppID = "100000000000000001"
	}
	if opts.RouteLimit <= 0 {
		opts.RouteLimit = 5
	}
	if opts.RouteWindow <= 0 {
		opts.RouteWindow = time.Second
	}
	if opts.GlobalLimit == 0 {
		opts.GlobalLimit = 50
	}
	if opts.NonceWindow <= 0 {
		opts.NonceWindow = 5 * time.Minute
	}
	if opts.Shards <= 0 {
		opts.Shards = 1
	}
	if opts.BotUserID == "" {
		opts.BotUserID = opts.AppID
	}
	s := &Server{
		opts:      opts,
		buckets:   map[string]*bucket{},
		nonces:    map[string]nonceEntry{},
		noHistory: map[string]bool{},
	}
	// Start once s.srv is set: handlers read its URL, and requests from a
	// child process give the race detector no ordering with this write.
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.srv.Start()
	return s
}

// URL is the REST base, ending in "/api/v9/" (any /api/vN/ prefix is accepted).
func (s *Server) URL() string { return s.srv.URL + "/api/v9/" }

// Token is the bot token the fake accepts, without the "Bot " prefix.
func (s *Server) Token() string { return s.opts.Token }

// AppID is the application id webhook and command routes accept.
func (s *Server) AppID() string { return s.opts.AppID }

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// Fail makes the next n requests (to any route but the gateway) answer
// status with a JSON error and no effect.
func (s *Server) Fail(n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failures = append(s.failures, failure{status: status})
	}
}

// FailAfterCommit makes the next n message creations succeed but answer
// status, as when a response is lost after Discord stored the message: a
// client that retries without an enforced nonce posts twice.
func (s *Server) FailAfterCommit(n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failures = append(s.failures, failure{status: status, afterCommit: true})
	}
}

// RateLimitNext makes the next n requests answer 429 with retry_after
// seconds, whatever the buckets say (a "shared" scope limit).
func (s *Server) RateLimitNext(n int, retryAfter float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.forced429 = append(s.forced429, retryAfter)
	}
}

// BotUserID is the bot's user id: GET /users/@me and the author of the
// messages it posts.
func (s *Server) BotUserID() string { return s.opts.BotUserID }

// AddMessage stores a channel message as if it had been posted at the
// given time (its id is a snowflake of that time) by authorID, which may be
// BotUserID() or a person. It returns the message as stored.
func (s *Server) AddMessage(channelID, authorID string, at time.Time, m Message) Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	m.ID, m.ChannelID = s.idAt(at), channelID
	m.Author = &Author{ID: authorID, Username: "user", Bot: authorID == s.opts.BotUserID}
	m.Timestamp = at.UTC().Format(time.RFC3339Nano)
	s.messages = append(s.messages, m)
	return m
}

// DenyHistory takes READ_MESSAGE_HISTORY away in a channel: as on Discord,
// listing its messages then answers an empty array (not an error), and
// fetching one message answers 403.
func (s *Server) DenyHistory(channelID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noHistory[channelID] = true
}

// Messages returns the channel messages created, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// ChannelMessages returns the messages created in one channel.
func (s *Server) ChannelMessages(channelID string) []Message {
	var out []Message
	for _, m := range s.Messages() {
		if m.ChannelID == channelID {
			out = append(out, m)
		}
	}
	return out
}

// Webhooks returns the follow-ups and edits received, in order.
func (s *Server) Webhooks() []WebhookCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]WebhookCall(nil), s.webhooks...)
}

// Callbacks returns the interaction responses sent over REST.
func (s *Server) Callbacks() []Callback {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Callback(nil), s.callbacks...)
}

// Commands returns the bulk overwrites received, in order.
func (s *Server) Commands() []CommandPut {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]CommandPut(nil), s.commands...)
}

// Stats returns the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Stats{Requests: s.requests, RateLimited: s.limited, GlobalLimit: s.limitedGlob, Unauthorized: s.unauthorized}
}

var versionPrefix = regexp.MustCompile(`^/api/v\d+/`)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	loc := versionPrefix.FindStringIndex(r.URL.Path)
	if loc == nil {
		writeError(w, http.StatusNotFound, 0, "404: Not Found")
		return
	}
	path := strings.Trim(r.URL.Path[loc[1]:], "/")
	parts := strings.Split(path, "/")
	body, err := io.ReadAll(io.LimitReader(r.Body, 25<<20+1))
	if err != nil {
		writeError(w, http.StatusBadRequest, 0, "unreadable body")
		return
	}
	if len(body) > 25<<20 {
		writeError(w, http.StatusRequestEntityTooLarge, 40005, "Request entity too large")
		return
	}

	// Interaction webhooks and callbacks authenticate with the interaction
	// token in the path and are not bound to the global limit.
	interactionRoute := parts[0] == "webhooks" || parts[0] == "interactions"

	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	now := time.Now()

	if !interactionRoute && r.Header.Get("Authorization") != "Bot "+s.opts.Token {
		s.unauthorized++
		writeError(w, http.StatusUnauthorized, 0, "401: Unauthorized")
		return
	}
	if len(s.forced429) > 0 {
		after := s.forced429[0]
		s.forced429 = s.forced429[1:]
		s.limited++
		w.Header().Set("X-RateLimit-Scope", "shared")
		writeLimited(w, after, false)
		return
	}
	if !interactionRoute && s.opts.GlobalLimit > 0 {
		cut := now.Add(-time.Second)
		kept := s.global[:0]
		for _, t := range s.global {
			if t.After(cut) {
				kept = append(kept, t)
			}
		}
		s.global = kept
		if len(s.global) >= s.opts.GlobalLimit {
			s.limitedGlob++
			after := s.global[0].Add(time.Second).Sub(now).Seconds()
			w.Header().Set("X-RateLimit-Global", "true")
			w.Header().Set("X-RateLimit-Scope", "global")
			writeLimited(w, after, true)
			return
		}
		s.global = append(s.global, now)
	}
	key := routeKey(r.Method, parts)
	b := s.buckets[key]
	if b == nil || !now.Before(b.reset) {
		b = &bucket{hash: fmt.Sprintf("%08x", hash(key)), remaining: s.opts.RouteLimit, reset: now.Add(s.opts.RouteWindow)}
		s.buckets[key] = b
	}
	resetAfter := b.reset.Sub(now).Seconds()
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.opts.RouteLimit))
	h.Set("X-RateLimit-Bucket", b.hash)
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(b.reset.UnixMilli())/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(resetAfter, 'f', 3, 64))
	if b.remaining <= 0 {
		s.limited++
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Scope", "user")
		writeLimited(w, resetAfter, false)
		return
	}
	b.remaining--
	h.Set("X-RateLimit-Remaining", strconv.Itoa(b.remaining))

	var fail *failure
	if len(s.failures) > 0 {
		f := s.failures[0]
		s.failures = s.failures[1:]
		if !f.afterCommit {
			writeError(w, f.status, 0, http.StatusText(f.status))
			return
		}
		fail = &f
	}
	status, resp := s.route(r.Method, parts, r.URL.Query(), body, now)
	if fail != nil && status < 300 {
		writeError(w, fail.status, 0, http.StatusText(fail.status))
		return
	}
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(resp)
}

// route does the work of one accepted request; s.mu is held.
func (s *Server) route(method string, p []string, q map[string][]string, body []byte, now time.Time) (int, any) {
	n := len(p)
	switch {
	case method == "GET" && n == 2 && p[0] == "gateway" && p[1] == "bot":
		return 200, map[string]any{"url": s.gatewayURL(), "shards": s.opts.Shards,
			"session_start_limit": map[string]int{"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}}
	case method == "GET" && n == 1 && p[0] == "gateway":
		return 200, map[string]string{"url": s.gatewayURL()}
	case method == "GET" && n == 2 && p[0] == "users" && p[1] == "@me":
		return 200, map[string]any{"id": s.opts.BotUserID, "username": "alexa-brief", "bot": true}
	case method == "GET" && n == 3 && p[0] == "channels" && p[2] == "messages":
		return s.listMessages(p[1], q)
	case method == "GET" && n == 4 && p[0] == "channels" && p[2] == "messages":
		if s.noHistory[p[1]] {
			return 403, apiError{Code: 50013, Message: "Missing Permissions"}
		}
		for _, m := range s.messages {
			if m.ChannelID == p[1] && m.ID == p[3] {
				return 200, fetched(m)
			}
		}
		return 404, apiError{Code: 10008, Message: "Unknown Message"}
	case method == "POST" && n == 3 && p[0] == "channels" && p[2] == "messages":
		m, err := decodeMessage(body, false)
		if err != nil {
			return formError(err)
		}
		if m.EnforceNonce && m.Nonce != "" {
			if e, ok := s.nonces[m.Nonce]; ok && now.Sub(e.at) < s.opts.NonceWindow {
				return 200, e.msg
			}
		}
		m.ID = s.idAt(now)
		m.ChannelID = p[1]
		m.Author = &Author{ID: s.opts.BotUserID, Username: "alexa-brief", Bot: true}
		m.Timestamp = now.UTC().Format(time.RFC3339Nano)
		s.messages = append(s.messages, m)
		if m.EnforceNonce && m.Nonce != "" {
			s.nonces[m.Nonce] = nonceEntry{msg: m, at: now}
		}
		return 200, m
	case n >= 3 && p[0] == "webhooks":
		if p[1] != s.opts.AppID {
			return 404, apiError{Code: 10015, Message: "Unknown Webhook"}
		}
		call := WebhookCall{Method: method, AppID: p[1], Token: p[2]}
		switch {
		case method == "POST" && n == 3:
		case (method == "PATCH" || method == "DELETE") && n == 5 && p[3] == "messages":
			call.Target = p[4]
		default:
			return 405, apiError{Code: 0, Message: "405: Method Not Allowed"}
		}
		if method == "DELETE" {
			s.webhooks = append(s.webhooks, call)
			return http.StatusNoContent, nil
		}
		m, err := decodeMessage(body, true)
		if err != nil {
			return formError(err)
		}
		m.ID = s.newID()
		call.Message = m
		s.webhooks = append(s.webhooks, call)
		return 200, m
	case method == "POST" && n == 4 && p[0] == "interactions" && p[3] == "callback":
		var cb struct {
			Type int             `json:"type"`
			Data json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(body, &cb); err != nil || cb.Type == 0 {
			return formError(fmt.Errorf("type: required"))
		}
		c := Callback{InteractionID: p[1], Token: p[2], Type: cb.Type}
		for _, old := range s.callbacks {
			if old.InteractionID == c.InteractionID {
				// An interaction takes one initial response.
				return 400, apiError{Code: 40060, Message: "Interaction has already been acknowledged."}
			}
		}
		if len(cb.Data) > 0 && string(cb.Data) != "null" && cb.Type != 5 {
			m, err := decodeMessage(cb.Data, true)
			if err != nil {
				return formError(err)
			}
			c.Data = m
		}
		s.callbacks = append(s.callbacks, c)
		return http.StatusNoContent, nil
	case method == "PUT" && p[0] == "applications" && (n == 3 && p[2] == "commands" || n == 5 && p[2] == "guilds" && p[4] == "commands"):
		if p[1] != s.opts.AppID {
			return 403, apiError{Code: 50001, Message: "Missing Access"}
		}
		if err := validateCommands(body); err != nil {
			return formError(err)
		}
		put := CommandPut{Body: append(json.RawMessage(nil), body...)}
		if n == 5 {
			put.GuildID = p[3]
		}
		s.commands = append(s.commands, put)
		var cmds []map[string]any
		_ = json.Unmarshal(body, &cmds)
		for _, c := range cmds {
			c["id"] = s.newID()
			c["application_id"] = s.opts.AppID
		}
		return 200, cmds
	}
	return 404, apiError{Code: 0, Message: "404: Not Found"}
}

// gatewayURL names a local address that refuses the websocket handshake:
// the fake has no gateway, and clients must never dial out of 127.0.0.1.
func (s *Server) gatewayURL() string {
	return "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/no-gateway"
}

// discordEpoch is the first millisecond of 2015, where snowflakes start.
const discordEpoch = 1420070400000

// newID is a snowflake of now.
func (s *Server) newID() string { return s.idAt(time.Now()) }

// idAt makes a snowflake as Discord does: milliseconds since discordEpoch
// above 22 bits of worker, process and increment. Ids of the present only
// grow, so "after" and "before" order messages the way Discord does.
func (s *Server) idAt(t time.Time) string {
	ms := max(t.UnixMilli()-discordEpoch, 0)
	s.seq++
	id := uint64(ms)<<22 | s.seq&(1<<22-1)
	if !t.Before(time.Now().Add(-time.Second)) && id <= s.lastID {
		id = s.lastID + 1
	}
	s.lastID = max(s.lastID, id)
	return strconv.FormatUint(id, 10)
}

// listMessages answers GET /channels/{id}/messages: limit 1–100 (default
// 50), after or before a snowflake (the messages nearest to it), newest
// first. Like Discord, the answer echoes no nonce and is an empty array
// when the bot lacks READ_MESSAGE_HISTORY.
func (s *Server) listMessages(channel string, q map[string][]string) (int, any) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	limit := 50
	if v := get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return formError(fmt.Errorf("limit: int value should be between 1 and 100"))
		}
		limit = n
	}
	if get("around") != "" {
		return formError(fmt.Errorf("around: not supported by the fake"))
	}
	after, before := uint64(0), uint64(math.MaxUint64)
	for k, dst := range map[string]*uint64{"after": &after, "before": &before} {
		if v := get(k); v != "" {
			id, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				return formError(fmt.Errorf("%s: value %q is not snowflake", k, v))
			}
			*dst = id
		}
	}
	hasAfter := get("after") != ""
	if hasAfter && get("before") != "" {
		return formError(fmt.Errorf("only one of around, before, after"))
	}
	out := []Message{}
	if s.noHistory[channel] {
		return 200, out
	}
	var in []Message // oldest first
	for _, m := range s.messages {
		id, _ := strconv.ParseUint(m.ID, 10, 64)
		if m.ChannelID == channel && (!hasAfter || id > after) && id < before {
			in = append(in, m)
		}
	}
	slices.SortFunc(in, func(a, b Message) int { return cmp.Compare(snowflake(a.ID), snowflake(b.ID)) })
	if hasAfter {
		in = in[:min(limit, len(in))] // the oldest after it
	} else {
		in = in[max(len(in)-limit, 0):] // the newest (before it)
	}
	for i := len(in) - 1; i >= 0; i-- {
		out = append(out, fetched(in[i]))
	}
	return 200, out
}

func snowflake(id string) uint64 {
	n, _ := strconv.ParseUint(id, 10, 64)
	return n
}

// fetched is a message as a GET shows it: Discord does not reliably echo
// a nonce there, so the fake never does.
func fetched(m Message) Message {
	m.Nonce, m.EnforceNonce = "", false
	return m
}

// routeKey groups requests the way Discord's buckets do: by method and route,
// keeping the top-level resource id (channel, guild, webhook) and dropping
// the others.
func routeKey(method string, p []string) string {
	q := append([]string(nil), p...)
	for i := range q {
		if i == 1 && (q[0] == "channels" || q[0] == "guilds" || q[0] == "webhooks") {
			continue
		}
		if i == 2 && q[0] == "webhooks" {
			continue // the interaction token is part of the major parameter
		}
		if _, err := strconv.ParseUint(q[i], 10, 64); err == nil {
			q[i] = "{id}"
		}
	}
	return method + " " + strings.Join(q, "/")
}

func hash(s string) uint32 {
	var h uint32 = 2166136261
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

type apiError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Errors  any    `json:"errors,omitempty"`
}

func writeError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(apiError{Code: code, Message: msg})
}

func writeLimited(w http.ResponseWriter, after float64, global bool) {
	after = math.Max(after, 0.001)
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(after))))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusTooManyRequests)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"message": "You are being rate limited.", "retry_after": math.Round(after*1000) / 1000, "global": global,
	})
}

func formError(err error) (int, any) {
	return 400, apiError{Code: 50035, Message: "Invalid Form Body", Errors: err.Error()}
}

// Discord's message limits.
const (
	maxContent     = 2000
	maxEmbeds      = 10
	maxTitle       = 256
	maxDescription = 4096
	maxFields      = 25
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFooter      = 2048
	maxAuthor      = 256
	maxEmbedTotal  = 6000
	maxNonce       = 25
	maxCustomID    = 100
	maxButtonLabel = 80
)

// length counts as Discord's JavaScript-facing limits do: UTF-16 code units
// (never fewer than code points, so a body valid here is valid there).
func length(s string) int { return len(utf16.Encode([]rune(s))) }

func decodeMessage(body []byte, webhook bool) (Message, error) {
	var m Message
	if err := json.Unmarshal(body, &m); err != nil {
		return m, fmt.Errorf("body: %v", err)
	}
	m.Raw = append(json.RawMessage(nil), body...)
	m.Webhook = webhook
	if m.Content == "" && len(m.Embeds) == 0 && len(m.Components) == 0 {
		return m, fmt.Errorf("50006: cannot send an empty message")
	}
	if length(m.Content) > maxContent {
		return m, fmt.Errorf("content: must be %d or fewer in length", maxContent)
	}
	if length(m.Nonce) > maxNonce {
		return m, fmt.Errorf("nonce: must be %d or fewer in length", maxNonce)
	}
	if len(m.Embeds) > maxEmbeds {
		return m, fmt.Errorf("embeds: must be %d or fewer in length", maxEmbeds)
	}
	total := 0
	for i, e := range m.Embeds {
		type limit struct {
			name, v string
			max     int
		}
		check := []limit{{"title", e.Title, maxTitle}, {"description", e.Description, maxDescription}}
		if e.Footer != nil {
			check = append(check, limit{"footer.text", e.Footer.Text, maxFooter})
		}
		if e.Author != nil {
			check = append(check, limit{"author.name", e.Author.Name, maxAuthor})
		}
		for _, c := range check {
			if length(c.v) > c.max {
				return m, fmt.Errorf("embeds.%d.%s: must be %d or fewer in length", i, c.name, c.max)
			}
			total += length(c.v)
		}
		if len(e.Fields) > maxFields {
			return m, fmt.Errorf("embeds.%d.fields: must be %d or fewer in length", i, maxFields)
		}
		for j, f := range e.Fields {
			if f.Name == "" || f.Value == "" {
				return m, fmt.Errorf("embeds.%d.fields.%d: name and value are required", i, j)
			}
			if length(f.Name) > maxFieldName || length(f.Value) > maxFieldValue {
				return m, fmt.Errorf("embeds.%d.fields.%d: too long", i, j)
			}
			total += length(f.Name) + length(f.Value)
		}
	}
	if total > maxEmbedTotal {
		return m, fmt.Errorf("embeds: total size %d exceeds %d", total, maxEmbedTotal)
	}
	if len(m.Components) > 0 {
		if err := validateComponents(m.Components); err != nil {
			return m, err
		}
	}
	return m, nil
}

func validateComponents(raw json.RawMessage) error {
	var rows []struct {
		Type       int `json:"type"`
		Components []struct {
			Type     int    `json:"type"`
			Label    string `json:"label"`
			Style    int    `json:"style"`
			CustomID string `json:"custom_id"`
			URL      string `json:"url"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &rows); err != nil {
		return fmt.Errorf("components: %v", err)
	}
	if len(rows) > 5 {
		return fmt.Errorf("components: must be 5 or fewer in length")
	}
	ids := map[string]bool{}
	for i, r := range rows {
		if r.Type != 1 || len(r.Components) == 0 || len(r.Components) > 5 {
			return fmt.Errorf("components.%d: an action row holds 1 to 5 components", i)
		}
		for j, c := range r.Components {
			if c.Type != 2 {
				continue
			}
			if length(c.Label) > maxButtonLabel {
				return fmt.Errorf("components.%d.components.%d.label: must be %d or fewer in length", i, j, maxButtonLabel)
			}
			if c.Style == 5 {
				if c.URL == "" {
					return fmt.Errorf("components.%d.components.%d.url: required for link buttons", i, j)
				}
				continue
			}
			if c.CustomID == "" || length(c.CustomID) > maxCustomID {
				return fmt.Errorf("components.%d.components.%d.custom_id: 1 to %d characters", i, j, maxCustomID)
			}
			if ids[c.CustomID] {
				return fmt.Errorf("components.%d.components.%d.custom_id: duplicate", i, j)
			}
			ids[c.CustomID] = true
		}
	}
	return nil
}

var commandName = regexp.MustCompile(`^[-_'\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

// validateCommands applies the application command rules: names 1–32
// matching Discord's pattern and lowercase, descriptions 1–100, at most 25
// options, required options before optional ones.
func validateCommands(body []byte) error {
	type option struct {
		Type        int      `json:"type"`
		Name        string   `json:"name"`
		Description string   `json:"description"`
		Required    bool     `json:"required"`
		Options     []option `json:"options"`
	}
	var cmds []struct {
		Name        string   `json:"name"`
		Type        int      `json:"type"`
		Description string   `json:"description"`
		Options     []option `json:"options"`
	}
	if err := json.Unmarshal(body, &cmds); err != nil {
		return fmt.Errorf("body: %v", err)
	}
	checkName := func(where, name, desc string) error {
		if !commandName.MatchString(name) || strings.ToLower(name) != name {
			return fmt.Errorf("%s.name: %q does not match the command name pattern", where, name)
		}
		if l := length(desc); l < 1 || l > 100 {
			return fmt.Errorf("%s.description: must be 1 to 100 characters", where)
		}
		return nil
	}
	var checkOptions func(where string, opts []option) error
	checkOptions = func(where string, opts []option) error {
		if len(opts) > 25 {
			return fmt.Errorf("%s.options: must be 25 or fewer in length", where)
		}
		optional := false
		for i, o := range opts {
			w := fmt.Sprintf("%s.options.%d", where, i)
			if err := checkName(w, o.Name, o.Description); err != nil {
				return err
			}
			if o.Type < 1 || o.Type > 11 {
				return fmt.Errorf("%s.type: invalid option type %d", w, o.Type)
			}
			if o.Type > 2 {
				if o.Required && optional {
					return fmt.Errorf("%s: required options must come before optional ones", w)
				}
				optional = optional || !o.Required
			}
			if err := checkOptions(w, o.Options); err != nil {
				return err
			}
		}
		return nil
	}
	for i, c := range cmds {
		w := strconv.Itoa(i)
		if c.Type == 0 || c.Type == 1 {
			if err := checkName(w, c.Name, c.Description); err != nil {
				return err
			}
		}
		if err := checkOptions(w, c.Options); err != nil {
			return err
		}
	}
	return nil
}
