// Package slacktest is a fake Slack Web API for tests. It keeps to the rules
// the real API enforces on what alexa-brief calls, so a test that passes
// against it exercises the same failure paths: tokens are checked, form
// fields validated, Block Kit limits enforced, chat.postMessage limited to
// one message per second per channel with 429 + Retry-After, and errors come
// back Slack-shaped ({"ok":false,"error":"…"}).
//
// Methods: auth.test, chat.postMessage, conversations.history and
// conversations.replies (with include_all_metadata), oauth.v2.access,
// apps.connections.open with a Socket Mode WebSocket, and response_url
// endpoints under /response/ minted by ResponseURL.
package slacktest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"
)

// Options configures a Server. The zero value is ready: one token
// (DefaultToken) for team DefaultTeam, Slack's limits.
type Options struct {
	// Tokens are the bot tokens the API accepts, each for TeamID.
	// Default: DefaultToken. Tokens granted through oauth.v2.access are
	// accepted too.
	Tokens []string
	// AppTokens are the app-level (xapp-) tokens apps.connections.open
	// accepts for Socket Mode. Default: DefaultAppToken.
	AppTokens []string
	// TeamID, TeamName and BotUserID are what auth.test reports.
	TeamID, TeamName, BotUserID, BotID string
	// Channels, when set, are the only channels chat.postMessage accepts;
	// any other gets channel_not_found. Nil accepts every channel.
	Channels []string
	// Interval is the least time between two messages to one channel
	// (default 1s, Slack's "1 message per second"); negative disables the
	// limit. Tolerance absorbs network jitter (default 100ms).
	Interval, Tolerance time.Duration
	// RetryAfter is the Retry-After (whole seconds) sent with a rate-limit
	// 429 (default 1).
	RetryAfter int
	// ClientID and ClientSecret are the app credentials oauth.v2.access
	// checks.
	ClientID, ClientSecret string
	// Now is the clock for rate limits and response_url expiry (default
	// time.Now).
	Now func() time.Time
}

// Defaults used when Options leaves them empty.
const (
	DefaultToken     = "xoxb-test-token"
	DefaultTeam      = "T0TEST"
	DefaultBotUserID = "UBOT"
	DefaultBotID     = "BBOT"
)

// Slack's limits the fake enforces on chat.postMessage.
const (
	MaxBlocks        = 50
	MaxSectionText   = 3000
	MaxHeaderText    = 150
	MaxButtonValue   = 2000
	MaxButtonText    = 75
	MaxActions       = 25
	MaxContextElems  = 10
	MaxText          = 40000
	ResponseURLUses  = 5
	ResponseURLValid = 30 * time.Minute
)

// Fault is an injected failure for the next calls of a method.
type Fault struct {
	Status     int    // HTTP status, e.g. 429, 500, 503
	RetryAfter string // Retry-After header; empty sends none
	Error      string // with Status 200 (or 0): a Slack error code, {"ok":false,"error":Error}
	Delay      time.Duration
	// Lost (chat.postMessage only) lets the call take effect before the
	// fault: the message is posted, then the answer is delayed or
	// replaced, as when a response is lost on its way back.
	Lost bool
}

// Metadata is a message's metadata as sent with chat.postMessage.
type Metadata struct {
	EventType    string         `json:"event_type"`
	EventPayload map[string]any `json:"event_payload"`
}

// Message is one accepted chat.postMessage or response_url post.
type Message struct {
	Method   string // "chat.postMessage" or "response_url"
	Token    string // empty for response_url
	Team     string
	Channel  string
	TS       string
	ThreadTS string
	Text     string
	Blocks   json.RawMessage
	Metadata *Metadata
	// Form holds every form field of a chat.postMessage call.
	Form url.Values
	// ResponseURL, ResponseType and ReplaceOriginal are set for response_url posts.
	ResponseURL     string
	ResponseType    string
	ReplaceOriginal bool
	Time            time.Time
}

// Grant is what oauth.v2.access returns for a code.
type Grant struct {
	TeamID, TeamName, EnterpriseID string
	BotToken, BotUserID            string
	Scope                          string
}

// Server is the fake. Create it with New; Close it when done.
type Server struct {
	srv  *httptest.Server
	opts Options

	mu          sync.Mutex
	tokens      map[string]string // token → team
	messages    []Message
	calls       map[string]int
	rateLimited int
	faults      map[string][]Fault
	lastPost    map[string]time.Time // channel → last accepted post
	grants      map[string]Grant
	responses   map[string]*responseURL
	seq         int

	lost map[*http.Request]*Fault
	// revoked app tokens, which apps.connections.open refuses from then on
	revoked map[string]bool
	socket  socketState
}

type responseURL struct {
	team, channel string
	created       time.Time
	uses          int
}

// New starts a fake Slack Web API on 127.0.0.1.
func New(opts Options) *Server {
	if len(opts.Tokens) == 0 {
		opts.Tokens = []string{DefaultToken}
	}
	if opts.TeamID == "" {
		opts.TeamID = DefaultTeam
	}
	if opts.TeamName == "" {
		opts.TeamName = "Test Team"
	}
	if opts.BotUserID == "" {
		opts.BotUserID = DefaultBotUserID
	}
	if opts.BotID == "" {
		opts.BotID = DefaultBotID
	}
	if opts.Interval == 0 {
		opts.Interval = time.Second
	}
	if opts.Tolerance == 0 {
		opts.Tolerance = 100 * time.Millisecond
	}
	if opts.RetryAfter <= 0 {
		opts.RetryAfter = 1
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{
		opts:      opts,
		tokens:    map[string]string{},
		calls:     map[string]int{},
		faults:    map[string][]Fault{},
		lastPost:  map[string]time.Time{},
		grants:    map[string]Grant{},
		responses: map[string]*responseURL{},
		lost:      map[*http.Request]*Fault{},
		socket:    socketState{changed: make(chan struct{}), urls: map[string]bool{}},
	}
	for _, t := range opts.Tokens {
		s.tokens[t] = opts.TeamID
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/auth.test", s.authTest)
	mux.HandleFunc("/api/chat.postMessage", s.postMessage)
	mux.HandleFunc("/api/conversations.history", s.history)
	mux.HandleFunc("/api/conversations.replies", s.replies)
	mux.HandleFunc("/api/oauth.v2.access", s.oauthAccess)
	mux.HandleFunc("/api/apps.connections.open", s.connectionsOpen)
	mux.HandleFunc("/ws/", s.serveWS)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]any{"ok": false, "error": "unknown_method"})
	})
	mux.HandleFunc("/response/", s.response)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("slacktest: listen: %v", err))
	}
	s.srv = &httptest.Server{Listener: l, Config: &http.Server{Handler: mux}}
	s.srv.Start()
	return s
}

// URL is the Web API base to pass as SLACK_API_URL; it ends in "/".
func (s *Server) URL() string { return s.srv.URL + "/api/" }

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// AddToken accepts another bot token, for team.
func (s *Server) AddToken(token, team string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = team
}

// AddGrant makes oauth.v2.access exchange code (once) for g; g.BotToken is
// then accepted for g.TeamID.
func (s *Server) AddGrant(code string, g Grant) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.grants[code] = g
}

// Inject makes the next n calls of method (e.g. "chat.postMessage") fail
// with f before any other check.
func (s *Server) Inject(method string, f Fault, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults[method] = append(s.faults[method], f)
	}
}

// ResponseURL mints a response_url for a slash command or action in
// team/channel; posts to it are recorded as messages of that channel.
func (s *Server) ResponseURL(team, channel string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	id := fmt.Sprintf("%s/%s/%d", team, channel, s.seq)
	s.responses[id] = &responseURL{team: team, channel: channel, created: s.opts.Now()}
	return s.srv.URL + "/response/" + id
}

// Messages returns the accepted messages, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.messages)
}

// ChannelMessages returns the accepted messages of one channel, oldest first.
func (s *Server) ChannelMessages(channel string) []Message {
	var out []Message
	for _, m := range s.Messages() {
		if m.Channel == channel {
			out = append(out, m)
		}
	}
	return out
}

// Calls counts every call of method, rejected ones included.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// RateLimited counts the 429s sent for the per-channel limit (injected
// faults not included).
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rateLimited
}

// applyFault delays as f says and writes its failure; it reports whether
// the response is done (or the client gone).
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f *Fault) bool {
	if f.Delay > 0 {
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			return true
		}
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	switch {
	case f.Error != "":
		writeJSON(w, max(f.Status, http.StatusOK), map[string]any{"ok": false, "error": f.Error})
	case f.Status == http.StatusTooManyRequests:
		writeJSON(w, f.Status, map[string]any{"ok": false, "error": "ratelimited"})
	case f.Status != 0 && f.Status != http.StatusOK:
		// Slack sends HTML with its 5xx pages.
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.Status)
		fmt.Fprintf(w, "<html><body>%d</body></html>", f.Status)
	default:
		return false
	}
	return true
}

// begin counts the call, applies an injected fault and checks the token.
// It reports whether the handler should go on; the team of the token is
// returned.
func (s *Server) begin(w http.ResponseWriter, r *http.Request, method string, needToken bool) (team, token string, ok bool) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"ok": false, "error": "method_not_allowed"})
		return "", "", false
	}
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": "invalid_form_data"})
		return "", "", false
	}
	s.mu.Lock()
	s.calls[method]++
	var fault *Fault
	if q := s.faults[method]; len(q) > 0 {
		f := q[0]
		fault = &f
		s.faults[method] = q[1:]
	}
	s.mu.Unlock()
	if fault != nil && fault.Lost && method == "chat.postMessage" {
		s.mu.Lock()
		s.lost[r] = fault // postMessage posts, then applies it
		s.mu.Unlock()
	} else if fault != nil && s.applyFault(w, r, fault) {
		return "", "", false
	}
	if !needToken {
		return "", "", true
	}
	token = r.PostForm.Get("token")
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		token = strings.TrimPrefix(h, "Bearer ")
	}
	if token == "" {
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": "not_authed"})
		return "", "", false
	}
	s.mu.Lock()
	team, known := s.tokens[token]
	s.mu.Unlock()
	if !known {
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": "invalid_auth"})
		return "", "", false
	}
	return team, token, true
}

func (s *Server) authTest(w http.ResponseWriter, r *http.Request) {
	team, _, ok := s.begin(w, r, "auth.test", true)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"ok": true, "url": "https://test.slack.com/", "team": s.opts.TeamName, "user": "alexa-brief",
		"team_id": team, "user_id": s.opts.BotUserID, "bot_id": s.opts.BotID,
	})
}

func (s *Server) postMessage(w http.ResponseWriter, r *http.Request) {
	team, token, ok := s.begin(w, r, "chat.postMessage", true)
	s.mu.Lock()
	lost := s.lost[r]
	delete(s.lost, r)
	s.mu.Unlock()
	if !ok {
		return
	}
	f := r.PostForm
	ch := f.Get("channel")
	if ch == "" || (s.opts.Channels != nil && !slices.Contains(s.opts.Channels, ch)) {
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": "channel_not_found"})
		return
	}
	text, blocksJSON := f.Get("text"), f.Get("blocks")
	if text == "" && blocksJSON == "" {
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": "no_text"})
		return
	}
	if len(utf16.Encode([]rune(text))) > MaxText {
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": "msg_too_long"})
		return
	}
	if blocksJSON != "" {
		if code := CheckBlocks([]byte(blocksJSON)); code != "" {
			writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": code})
			return
		}
	}
	var md *Metadata
	if raw := f.Get("metadata"); raw != "" {
		md = &Metadata{}
		if err := json.Unmarshal([]byte(raw), md); err != nil || md.EventType == "" {
			writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": "invalid_metadata_format"})
			return
		}
	}
	s.mu.Lock()
	now := s.opts.Now()
	if s.opts.Interval > 0 {
		if last, seen := s.lastPost[ch]; seen && now.Sub(last) < s.opts.Interval-s.opts.Tolerance {
			s.rateLimited++
			s.mu.Unlock()
			w.Header().Set("Retry-After", strconv.Itoa(s.opts.RetryAfter))
			writeJSON(w, http.StatusTooManyRequests, map[string]any{"ok": false, "error": "ratelimited"})
			return
		}
	}
	s.lastPost[ch] = now
	s.seq++
	ts := fmt.Sprintf("%d.%06d", now.Unix(), s.seq)
	s.messages = append(s.messages, Message{
		Method: "chat.postMessage", Token: token, Team: team, Channel: ch, TS: ts,
		ThreadTS: f.Get("thread_ts"), Text: text, Blocks: json.RawMessage(blocksJSON),
		Metadata: md, Form: maps.Clone(f), Time: now,
	})
	s.mu.Unlock()
	if lost != nil && s.applyFault(w, r, lost) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "channel": ch, "ts": ts,
		"message": map[string]any{"type": "message", "text": text, "ts": ts, "bot_id": s.opts.BotID}})
}

func (s *Server) history(w http.ResponseWriter, r *http.Request) {
	_, _, ok := s.begin(w, r, "conversations.history", true)
	if !ok {
		return
	}
	f := r.Form
	ch := f.Get("channel")
	if ch == "" {
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": "channel_not_found"})
		return
	}
	limit := 100
	if v := f.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": "invalid_limit"})
			return
		}
		limit = min(n, 999)
	}
	oldest, _ := strconv.ParseFloat(or(f.Get("oldest"), "0"), 64)
	latest := 1e18
	if v := f.Get("latest"); v != "" {
		latest, _ = strconv.ParseFloat(v, 64)
	}
	withMeta := f.Get("include_all_metadata") == "1" || f.Get("include_all_metadata") == "true"
	offset, _ := strconv.Atoi(f.Get("cursor"))

	var matched []map[string]any
	msgs := s.ChannelMessages(ch)
	for i := len(msgs) - 1; i >= 0; i-- { // newest first, as Slack returns them
		m := msgs[i]
		if m.Method != "chat.postMessage" || m.ThreadTS != "" {
			continue // threaded replies are not in history
		}
		ts, _ := strconv.ParseFloat(m.TS, 64)
		if ts <= oldest || ts >= latest {
			continue
		}
		item := map[string]any{"type": "message", "ts": m.TS, "text": m.Text, "bot_id": s.opts.BotID}
		if withMeta && m.Metadata != nil {
			item["metadata"] = m.Metadata
		}
		matched = append(matched, item)
	}
	page := matched[min(offset, len(matched)):]
	resp := map[string]any{"ok": true, "messages": []map[string]any{}, "has_more": false}
	if len(page) > limit {
		resp["has_more"] = true
		resp["response_metadata"] = map[string]any{"next_cursor": strconv.Itoa(offset + limit)}
		page = page[:limit]
	}
	if len(page) > 0 {
		resp["messages"] = page
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) oauthAccess(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := s.begin(w, r, "oauth.v2.access", false); !ok {
		return
	}
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id == "" || id != s.opts.ClientID {
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": "invalid_client_id"})
		return
	}
	if secret != s.opts.ClientSecret {
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": "bad_client_secret"})
		return
	}
	code := r.PostForm.Get("code")
	s.mu.Lock()
	g, ok := s.grants[code]
	delete(s.grants, code) // codes are single use
	if ok {
		s.tokens[g.BotToken] = g.TeamID
	}
	s.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": "invalid_code"})
		return
	}
	resp := map[string]any{
		"ok": true, "access_token": g.BotToken, "token_type": "bot", "scope": g.Scope,
		"bot_user_id": g.BotUserID, "app_id": "A0TEST",
		"team":                  map[string]any{"id": g.TeamID, "name": g.TeamName},
		"enterprise":            nil,
		"is_enterprise_install": false,
		"authed_user":           map[string]any{"id": "UINSTALLER"},
	}
	if g.EnterpriseID != "" {
		resp["enterprise"] = map[string]any{"id": g.EnterpriseID, "name": "Enterprise"}
	}
	writeJSON(w, http.StatusOK, resp)
}

// response handles posts to a minted response_url: at most 5 uses within
// 30 minutes, as Slack allows.
func (s *Server) response(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/response/")
	s.mu.Lock()
	s.calls["response_url"]++
	ru, ok := s.responses[id]
	now := s.opts.Now()
	s.mu.Unlock()
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"ok": false, "error": "method_not_allowed"})
		return
	}
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]any{"ok": false, "error": "no_such_url"})
		return
	}
	var body struct {
		Text            string          `json:"text"`
		Blocks          json.RawMessage `json:"blocks"`
		ResponseType    string          `json:"response_type"`
		ReplaceOriginal *bool           `json:"replace_original"`
		ThreadTS        string          `json:"thread_ts"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"ok": false, "error": "invalid_payload"})
		return
	}
	if body.Text == "" && len(body.Blocks) == 0 {
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": "no_text"})
		return
	}
	if body.ResponseType != "" && body.ResponseType != "ephemeral" && body.ResponseType != "in_channel" {
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": "invalid_response_type"})
		return
	}
	if len(body.Blocks) > 0 && string(body.Blocks) != "null" {
		if code := CheckBlocks(body.Blocks); code != "" {
			writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": code})
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Sub(ru.created) > ResponseURLValid {
		writeJSON(w, http.StatusNotFound, map[string]any{"ok": false, "error": "expired_url"})
		return
	}
	if ru.uses >= ResponseURLUses {
		writeJSON(w, http.StatusNotFound, map[string]any{"ok": false, "error": "used_url"})
		return
	}
	ru.uses++
	s.seq++
	blocks := body.Blocks
	if string(blocks) == "null" {
		blocks = nil
	}
	s.messages = append(s.messages, Message{
		Method: "response_url", Team: ru.team, Channel: ru.channel,
		TS: fmt.Sprintf("%d.%06d", now.Unix(), s.seq), ThreadTS: body.ThreadTS, Text: body.Text,
		Blocks: blocks, ResponseURL: s.srv.URL + r.URL.Path, ResponseType: or(body.ResponseType, "ephemeral"),
		ReplaceOriginal: body.ReplaceOriginal != nil && *body.ReplaceOriginal, Time: now,
	})
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

// CheckBlocks validates a blocks array against the Block Kit limits the
// bot relies on and returns Slack's error code, or "" when it is valid.
func CheckBlocks(raw []byte) string {
	var blocks []struct {
		Type     string          `json:"type"`
		BlockID  string          `json:"block_id"`
		Text     *textObject     `json:"text"`
		Fields   []textObject    `json:"fields"`
		Elements json.RawMessage `json:"elements"`
	}
	if err := json.Unmarshal(raw, &blocks); err != nil {
		return "invalid_blocks_format"
	}
	if len(blocks) > MaxBlocks {
		return "invalid_blocks"
	}
	for _, b := range blocks {
		if len(b.BlockID) > 255 {
			return "invalid_blocks"
		}
		switch b.Type {
		case "header":
			if b.Text == nil || b.Text.Type != "plain_text" || !b.Text.within(MaxHeaderText) {
				return "invalid_blocks"
			}
		case "section":
			if b.Text == nil && len(b.Fields) == 0 {
				return "invalid_blocks"
			}
			if b.Text != nil && !b.Text.within(MaxSectionText) {
				return "invalid_blocks"
			}
			if len(b.Fields) > 10 {
				return "invalid_blocks"
			}
			for _, f := range b.Fields {
				if !f.within(2000) {
					return "invalid_blocks"
				}
			}
		case "context":
			var els []textObject
			if err := json.Unmarshal(b.Elements, &els); err != nil || len(els) == 0 || len(els) > MaxContextElems {
				return "invalid_blocks"
			}
			for _, e := range els {
				if !e.within(MaxSectionText) {
					return "invalid_blocks"
				}
			}
		case "actions":
			var els []struct {
				Type     string      `json:"type"`
				ActionID string      `json:"action_id"`
				Value    string      `json:"value"`
				Text     *textObject `json:"text"`
			}
			if err := json.Unmarshal(b.Elements, &els); err != nil || len(els) == 0 || len(els) > MaxActions {
				return "invalid_blocks"
			}
			ids := map[string]bool{}
			for _, e := range els {
				if e.ActionID == "" || len(e.ActionID) > 255 || ids[e.ActionID] {
					return "invalid_blocks"
				}
				ids[e.ActionID] = true
				if e.Type == "button" && (e.Text == nil || !e.Text.within(MaxButtonText) || textLen(e.Value) > MaxButtonValue) {
					return "invalid_blocks"
				}
			}
		case "divider":
		default:
			return "invalid_blocks"
		}
	}
	return ""
}

type textObject struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

func (t textObject) within(n int) bool {
	return (t.Type == "plain_text" || t.Type == "mrkdwn") && t.Text != "" && textLen(t.Text) <= n
}

// textLen counts as Slack does, in UTF-16 code units.
func textLen(s string) int { return len(utf16.Encode([]rune(s))) }

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// replies answers conversations.replies: the bot's replies in the thread
// of ts, oldest first as Slack returns them (the parent, posted by a user,
// is not the fake's to know), one page, within oldest.
func (s *Server) replies(w http.ResponseWriter, r *http.Request) {
	_, _, ok := s.begin(w, r, "conversations.replies", true)
	if !ok {
		return
	}
	f := r.Form
	ch, ts := f.Get("channel"), f.Get("ts")
	switch {
	case ch == "":
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": "channel_not_found"})
		return
	case ts == "":
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": "invalid_arguments"})
		return
	}
	oldest, _ := strconv.ParseFloat(or(f.Get("oldest"), "0"), 64)
	withMeta := f.Get("include_all_metadata") == "1" || f.Get("include_all_metadata") == "true"
	msgs := []map[string]any{}
	for _, m := range s.ChannelMessages(ch) {
		if m.Method != "chat.postMessage" || m.ThreadTS != ts {
			continue
		}
		if t, _ := strconv.ParseFloat(m.TS, 64); t <= oldest {
			continue
		}
		item := map[string]any{"type": "message", "ts": m.TS, "thread_ts": ts, "text": m.Text, "bot_id": s.opts.BotID}
		if withMeta && m.Metadata != nil {
			item["metadata"] = m.Metadata
		}
		msgs = append(msgs, item)
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "messages": msgs, "has_more": false})
}
