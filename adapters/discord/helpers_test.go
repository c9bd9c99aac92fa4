package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/discord/discordtest"
	"github.com/alexa-brief/alexa-brief/bot"
)

// RFC 8032 test 1 key (PLATFORMS.md vector 5).
const (
	testSeed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
	testPub  = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
)

func testKey(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	seed, err := hex.DecodeString(testSeed)
	if err != nil {
		t.Fatal(err)
	}
	return ed25519.NewKeyFromSeed(seed)
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// stubHandler records requests and answers with reply (or blocks on gate).
type stubHandler struct {
	mu    sync.Mutex
	reqs  []bot.Request
	reply func(bot.Request) bot.Reply
	gate  chan struct{} // when set, Handle waits for it to close
}

func (h *stubHandler) Handle(ctx context.Context, req bot.Request) bot.Reply {
	h.mu.Lock()
	h.reqs = append(h.reqs, req)
	h.mu.Unlock()
	if h.gate != nil {
		select {
		case <-h.gate:
		case <-ctx.Done():
		}
	}
	if h.reply != nil {
		return h.reply(req)
	}
	// Like the core: command replies offer to share themselves.
	return bot.Reply{Title: "ok: " + req.Text, Buttons: []bot.Button{{Label: "Share in channel", Action: bot.ActionShare, Value: req.Text}}}
}

func (h *stubHandler) requests() []bot.Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]bot.Request(nil), h.reqs...)
}

// memStore is a FirstSeen that remembers ids.
type memStore struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (s *memStore) FirstSeen(_ context.Context, platform, id string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	k := platform + "/" + id
	if s.seen[k] {
		return false, nil
	}
	s.seen[k] = true
	return true, nil
}

// metrics counts what the adapter reports.
type metrics struct {
	bot.NopMetrics
	mu sync.Mutex
	counts
	statuses map[int]int
	routes   map[string]int // "GET users/@me" → calls
}

type counts struct {
	calls, limited, retried, waited int
	waitedFor                       time.Duration
}

func (m *metrics) APICall(_, route string, status int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	if m.statuses == nil {
		m.statuses, m.routes = map[int]int{}, map[string]int{}
	}
	m.statuses[status]++
	m.routes[route]++
}

func (m *metrics) route(r string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.routes[r]
}
func (m *metrics) RateLimited(string) { m.mu.Lock(); m.limited++; m.mu.Unlock() }
func (m *metrics) Retried(string)     { m.mu.Lock(); m.retried++; m.mu.Unlock() }
func (m *metrics) Waited(_ string, d time.Duration) {
	m.mu.Lock()
	m.waited++
	m.waitedFor += d
	m.mu.Unlock()
}

func (m *metrics) snapshot() counts {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.counts
}

// newTestAdapter wires an adapter to a fake Discord and serves its routes
// on 127.0.0.1.
func newTestAdapter(t *testing.T, fake *discordtest.Server, h Handler, st Store, m bot.Metrics) (*Adapter, *httptest.Server) {
	t.Helper()
	priv := testKey(t)
	a, err := New(Config{
		AppID:     fake.AppID(),
		PublicKey: priv.Public().(ed25519.PublicKey),
		BotToken:  fake.Token(),
		APIURL:    fake.URL(),
		Metrics:   m,
		Now:       func() time.Time { return time.Unix(testNow, 0) },
	}, h, st)
	if err != nil {
		t.Fatal(err)
	}
	a.rest.backoff = time.Millisecond
	mux := http.NewServeMux()
	a.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return a, srv
}

// testNow is the adapter's clock in tests, and the time postSigned signs at.
const testNow = 1700000000

// postSigned sends body to the interactions endpoint signed with key.
func postSigned(t *testing.T, url string, key ed25519.PrivateKey, body []byte) (*http.Response, []byte) {
	t.Helper()
	return postSignedAt(t, url, key, strconv.FormatInt(testNow, 10), body)
}

// postSignedAt sends body signed with key under the timestamp ts.
func postSignedAt(t *testing.T, url string, key ed25519.PrivateKey, ts string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/discord/interactions", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature-Timestamp", ts)
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, append([]byte(ts), body...))))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, out
}

// interaction builds an interaction payload. guild "" makes it a DM.
type interaction struct {
	id         string // default 400000000000000004
	typ        int
	guild      string
	channel    string
	perms      string
	sub        string
	opts       map[string]string
	customID   string
	token      string
	messageObj map[string]any
}

func (i interaction) json(t *testing.T) []byte {
	t.Helper()
	user := map[string]any{"id": "300000000000000003", "username": "reader"}
	v := map[string]any{
		"id": "400000000000000004", "application_id": "100000000000000001", "type": i.typ,
		"channel_id": i.channel, "token": i.token, "version": 1,
	}
	if i.id != "" {
		v["id"] = i.id
	}
	if v["token"] == "" {
		v["token"] = "interaction-token"
	}
	if i.guild != "" {
		v["guild_id"] = i.guild
		v["member"] = map[string]any{"user": user, "permissions": i.perms}
		v["context"] = 0
	} else {
		v["user"] = user
		v["context"] = 1
	}
	switch i.typ {
	case 2:
		sub := map[string]any{"name": i.sub, "type": 1}
		var opts []map[string]any
		for k, val := range i.opts {
			opts = append(opts, map[string]any{"name": k, "type": 3, "value": val})
		}
		if opts != nil {
			sub["options"] = opts
		}
		v["data"] = map[string]any{"id": "500000000000000005", "name": "alexa-brief", "type": 1, "options": []any{sub}}
	case 3:
		v["data"] = map[string]any{"custom_id": i.customID, "component_type": 2}
		if i.messageObj != nil {
			v["message"] = i.messageObj
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
