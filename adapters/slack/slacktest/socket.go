package slacktest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Socket Mode: apps.connections.open (app-level token in the Authorization
// header) hands out a single-use ws:// URL; the connection gets a hello,
// then the envelopes a test sends with SendEnvelope; the client's acks are
// recorded. DropConnections cuts the line to test reconnection.

// DefaultAppToken is the app-level token accepted unless Options.AppTokens is set.
const DefaultAppToken = "xapp-test-token"

// MaxAckBytes is the size from which Slack silently drops a Socket Mode
// response: the envelope then counts as unacknowledged.
const MaxAckBytes = 20 * 1024

// Ack is a client's acknowledgement of an envelope.
type Ack struct {
	EnvelopeID string          `json:"envelope_id"`
	Payload    json.RawMessage `json:"payload,omitempty"`
}

type socketState struct {
	mu       sync.Mutex
	changed  chan struct{} // closed and replaced on every change
	urls     map[string]bool
	conns    []*wsConn
	connects int
	acks     []Ack
	dropped  int // acks of MaxAckBytes or more, ignored as Slack does
	envSeq   int
}

type wsConn struct {
	mu sync.Mutex // one writer at a time
	c  *websocket.Conn
}

func (w *wsConn) write(v any) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	_ = w.c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return w.c.WriteJSON(v)
}

// notify wakes the waiters; call with mu held.
func (s *socketState) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// RevokeAppToken makes apps.connections.open refuse tok (invalid_auth)
// from now on, as Slack does for a token revoked while the app runs.
func (s *Server) RevokeAppToken(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.revoked == nil {
		s.revoked = map[string]bool{}
	}
	s.revoked[tok] = true
}

func (s *Server) appTokenOK(tok string) bool {
	s.mu.Lock()
	revoked := s.revoked[tok]
	s.mu.Unlock()
	if revoked {
		return false
	}
	toks := s.opts.AppTokens
	if len(toks) == 0 {
		toks = []string{DefaultAppToken}
	}
	return slices.Contains(toks, tok)
}

func (s *Server) connectionsOpen(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := s.begin(w, r, "apps.connections.open", false); !ok {
		return
	}
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if tok == "" {
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": "not_authed"})
		return
	}
	if !strings.HasPrefix(tok, "xapp-") {
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": "not_allowed_token_type"})
		return
	}
	if !s.appTokenOK(tok) {
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	ss := &s.socket
	ss.mu.Lock()
	s.mu.Lock()
	s.seq++
	id := fmt.Sprintf("%d", s.seq)
	s.mu.Unlock()
	ss.urls[id] = true
	ss.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "url": "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/ws/" + id})
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/ws/")
	ss := &s.socket
	ss.mu.Lock()
	valid := ss.urls[id]
	delete(ss.urls, id) // single use
	ss.mu.Unlock()
	if !valid {
		http.Error(w, "unknown or used socket URL", http.StatusUnauthorized)
		return
	}
	c, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	conn := &wsConn{c: c}
	ss.mu.Lock()
	ss.conns = append(ss.conns, conn)
	ss.connects++
	ss.notify()
	ss.mu.Unlock()
	defer func() {
		ss.mu.Lock()
		ss.conns = slices.DeleteFunc(ss.conns, func(x *wsConn) bool { return x == conn })
		ss.notify()
		ss.mu.Unlock()
		c.Close()
	}()
	if err := conn.write(map[string]any{"type": "hello", "num_connections": 1,
		"connection_info": map[string]any{"app_id": "A0TEST"}, "debug_info": map[string]any{"host": "slacktest"}}); err != nil {
		return
	}
	// Slack pings its clients; slack-go drops a connection that hears none.
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				conn.mu.Lock()
				err := c.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(5*time.Second))
				conn.mu.Unlock()
				if err != nil {
					return
				}
			}
		}
	}()
	// Ping the client at once too, so its ping watchdog starts fed.
	conn.mu.Lock()
	_ = c.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(5*time.Second))
	conn.mu.Unlock()
	for {
		_, data, err := c.ReadMessage()
		if err != nil {
			return
		}
		if len(data) >= MaxAckBytes {
			ss.mu.Lock()
			ss.dropped++
			ss.notify()
			ss.mu.Unlock()
			continue
		}
		var a Ack
		if err := json.Unmarshal(data, &a); err != nil || a.EnvelopeID == "" {
			continue
		}
		ss.mu.Lock()
		ss.acks = append(ss.acks, a)
		ss.notify()
		ss.mu.Unlock()
	}
}

// SendEnvelope sends a Socket Mode envelope ("events_api",
// "slash_commands" or "interactive") with payload to the newest
// connection and returns its envelope id.
func (s *Server) SendEnvelope(typ string, payload any) (string, error) {
	raw, err := json.Marshal(payload)
	if err != nil {
		return "", err
	}
	ss := &s.socket
	ss.mu.Lock()
	if len(ss.conns) == 0 {
		ss.mu.Unlock()
		return "", errors.New("slacktest: no socket mode connection")
	}
	conn := ss.conns[len(ss.conns)-1]
	ss.envSeq++
	id := fmt.Sprintf("env-%d", ss.envSeq)
	ss.mu.Unlock()
	return id, conn.write(map[string]any{
		"envelope_id": id, "type": typ, "payload": json.RawMessage(raw),
		"accepts_response_payload": typ != "events_api", "retry_attempt": 0, "retry_reason": "",
	})
}

// DroppedAcks counts the acks ignored for being MaxAckBytes or larger.
func (s *Server) DroppedAcks() int {
	s.socket.mu.Lock()
	defer s.socket.mu.Unlock()
	return s.socket.dropped
}

// WaitAck blocks until the envelope is acknowledged or ctx is done.
func (s *Server) WaitAck(ctx context.Context, envelopeID string) (Ack, error) {
	ss := &s.socket
	for {
		ss.mu.Lock()
		for _, a := range ss.acks {
			if a.EnvelopeID == envelopeID {
				ss.mu.Unlock()
				return a, nil
			}
		}
		ch := ss.changed
		ss.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return Ack{}, ctx.Err()
		}
	}
}

// WaitConnections blocks until there have been n Socket Mode connections
// in all and one is open, or ctx is done.
func (s *Server) WaitConnections(ctx context.Context, n int) error {
	ss := &s.socket
	for {
		ss.mu.Lock()
		ok := ss.connects >= n && len(ss.conns) > 0
		ch := ss.changed
		ss.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// DropConnections closes every open Socket Mode connection abruptly, as a
// network failure would.
func (s *Server) DropConnections() {
	ss := &s.socket
	ss.mu.Lock()
	conns := slices.Clone(ss.conns)
	ss.mu.Unlock()
	for _, c := range conns {
		c.c.Close()
	}
}
