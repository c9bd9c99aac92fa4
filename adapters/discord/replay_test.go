package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/bwmarrin/discordgo"

	"github.com/alexa-brief/alexa-brief/adapters/discord/discordtest"
	"github.com/alexa-brief/alexa-brief/bot"
)

// unsubscribe is a validly shaped "/alexa-brief unsubscribe" from a channel
// manager: the command a replay must never run twice.
func unsubscribe(t *testing.T, id string) []byte {
	t.Helper()
	return interaction{id: id, typ: 2, guild: "200000000000000002", channel: "210000000000000021", perms: "16", sub: "unsubscribe"}.json(t)
}

// TestInteractionTimestampWindow: X-Signature-Timestamp must be within
// 5 minutes of now, either way. A stale or future request, even validly
// signed, gets 401 and reaches neither the bot nor the store.
func TestInteractionTimestampWindow(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	h := &stubHandler{}
	st := &memStore{}
	_, srv := newTestAdapter(t, fake, h, st, nil)
	at := func(d time.Duration) string { return strconv.FormatInt(time.Unix(testNow, 0).Add(d).Unix(), 10) }
	tests := []struct {
		name string
		ts   string
		want int
	}{
		{"now", at(0), 200},
		{"4m59s old", at(-4*time.Minute - 59*time.Second), 200},
		{"4m59s ahead", at(4*time.Minute + 59*time.Second), 200},
		{"5m01s old", at(-5*time.Minute - time.Second), 401},
		{"5m01s ahead", at(5*time.Minute + time.Second), 401},
		{"captured in 2001", "1000000000", 401},
		{"a day ahead", at(24 * time.Hour), 401},
		{"not a number", "1700000000.5", 401},
		{"exponent", "17e8", 401},
		{"negative", "-1", 401},
	}
	wantHandled := 0
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := strconv.Itoa(410000000000000000 + i)
			resp, out := postSignedAt(t, srv.URL, testKey(t), tt.ts, unsubscribe(t, id))
			if got := resp.StatusCode; got != tt.want {
				t.Fatalf("status = %d, want %d (%s)", got, tt.want, out)
			}
			if tt.want == 200 {
				wantHandled++
			}
			if got := len(h.requests()); got != wantHandled {
				t.Errorf("handler saw %d requests, want %d", got, wantHandled)
			}
			st.mu.Lock()
			recorded := st.seen["discord/"+id]
			st.mu.Unlock()
			if recorded != (tt.want == 200) {
				t.Errorf("store recorded the id: %v, want %v", recorded, tt.want == 200)
			}
		})
	}
	// PINGs are held to the same window: the check precedes parsing.
	ping := []byte(`{"type":1}`)
	if resp, out := postSignedAt(t, srv.URL, testKey(t), "1000000000", ping); resp.StatusCode != 401 {
		t.Errorf("stale PING: %d %s, want 401", resp.StatusCode, out)
	}
}

// TestInteractionReplay: a captured, validly signed interaction replayed
// within the window runs once. The replay is answered (Discord expects an
// answer) with a short ephemeral note, and nothing is run or reposted.
func TestInteractionReplay(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	h := &stubHandler{}
	a, srv := newTestAdapter(t, fake, h, &memStore{}, nil)
	key := testKey(t)
	body := unsubscribe(t, "420000000000000001")
	share := interaction{id: "420000000000000002", typ: 3, guild: "200000000000000002", channel: "210000000000000021", perms: "0", customID: "ab|share|",
		messageObj: map[string]any{"id": "1", "channel_id": "210000000000000021", "embeds": []any{map[string]any{"title": "The brief"}}}}.json(t)
	now := strconv.FormatInt(testNow, 10)
	later := strconv.FormatInt(testNow+60, 10)
	tests := []struct {
		name        string
		ts          string
		body        []byte
		wantHandled int
		wantReplay  bool
		wantFlags   int
	}{
		{"first unsubscribe", now, body, 1, false, 64},
		{"byte-for-byte replay", now, body, 1, true, 64},
		{"replay re-signed a minute later", later, body, 1, true, 64},
		{"first share repost", now, share, 1, false, 0},
		{"share repost replayed", later, share, 1, true, 64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, out := postSignedAt(t, srv.URL, key, tt.ts, tt.body)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, out)
			}
			r := decodeResponse(t, out)
			if r.Type != 4 || r.Data.Flags != tt.wantFlags {
				t.Errorf("type %d flags %d, want 4 and %d", r.Type, r.Data.Flags, tt.wantFlags)
			}
			if got := len(h.requests()); got != tt.wantHandled {
				t.Errorf("handler ran %d times, want %d", got, tt.wantHandled)
			}
			replay := len(r.Data.Embeds) == 1 && r.Data.Embeds[0].Title == alreadyHandled
			if replay != tt.wantReplay {
				t.Errorf("answered as a replay: %v, want %v (%s)", replay, tt.wantReplay, out)
			}
		})
	}
	a.wait()
	if n := len(fake.Webhooks()); n != 0 {
		t.Errorf("%d webhook calls for replays", n)
	}
}

// TestGatewayInteractionReplay: the gateway may deliver an interaction twice
// (resume, several replicas); the second delivery runs nothing.
func TestGatewayInteractionReplay(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	h := &stubHandler{}
	a, _ := newTestAdapter(t, fake, h, &memStore{}, nil)
	var in discordgo.Interaction
	if err := json.Unmarshal(unsubscribe(t, "430000000000000001"), &in); err != nil {
		t.Fatal(err)
	}
	var got []interactionResponse
	for range 2 {
		a.interact(t.Context(), &in, func(r interactionResponse) error { got = append(got, r); return nil })
	}
	a.wait()
	if n := len(h.requests()); n != 1 {
		t.Errorf("handler ran %d times, want 1", n)
	}
	if len(got) != 2 || got[1].Data == nil || got[1].Data.Flags != discordgo.MessageFlagsEphemeral ||
		len(got[1].Data.Embeds) != 1 || got[1].Data.Embeds[0].Title != alreadyHandled {
		t.Errorf("responses %+v, want the second an ephemeral %q", got, alreadyHandled)
	}
}

// failingStore cannot record ids.
type failingStore struct{}

func (failingStore) FirstSeen(context.Context, string, string) (bool, error) {
	return false, errors.New("database is locked")
}

// TestInteractionDedupStoreDown: without the ledger a command could run
// twice, so it is refused politely instead of run.
func TestInteractionDedupStoreDown(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	h := &stubHandler{}
	_, srv := newTestAdapter(t, fake, h, failingStore{}, nil)
	resp, out := postSigned(t, srv.URL, testKey(t), unsubscribe(t, "440000000000000001"))
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, out)
	}
	if r := decodeResponse(t, out); r.Type != 4 || r.Data.Flags != 64 {
		t.Errorf("type %d flags %d, want an ephemeral answer", r.Type, r.Data.Flags)
	}
	if n := len(h.requests()); n != 0 {
		t.Errorf("handler ran %d times without the dedup ledger", n)
	}
}

// commandWithOption is "/alexa-brief ask" whose option is the raw JSON
// given, with the declared option type.
func commandWithOption(t *testing.T, id string, typ int, value string) []byte {
	t.Helper()
	return []byte(`{"id":"` + id + `","application_id":"100000000000000001","type":2,"token":"tok","version":1,` +
		`"channel_id":"210000000000000021","guild_id":"200000000000000002","context":0,` +
		`"member":{"user":{"id":"300000000000000003","username":"reader"},"permissions":"0"},` +
		`"data":{"id":"500000000000000005","name":"alexa-brief","type":1,"options":[` +
		`{"name":"ask","type":1,"options":[{"name":"question","type":` + strconv.Itoa(typ) + `,"value":` + value + `}]}]}}`)
}

// TestOptionValuesMustBeText: every option alexa-brief registers is a
// STRING. A value of another type (an object, a number, a list, a boolean)
// is refused with an ephemeral explanation and never reaches the bot as
// Go-formatted text such as "map[x:[1 2 3]]".
func TestOptionValuesMustBeText(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	h := &stubHandler{}
	_, srv := newTestAdapter(t, fake, h, nil, nil)
	tests := []struct {
		name    string
		typ     int
		value   string
		wantRan bool
	}{
		{"object", 3, `{"x":[1,2,3]}`, false},
		{"number as a string option", 3, `42`, false},
		{"integer option", 4, `42`, false},
		{"number option", 10, `2.5`, false},
		{"boolean", 5, `true`, false},
		{"list", 3, `["a","b"]`, false},
		{"string typed as an integer", 4, `"42"`, false},
		{"text", 3, `"how much did Amazon lose?"`, true},
	}
	ran := 0
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, out := postSigned(t, srv.URL, testKey(t), commandWithOption(t, strconv.Itoa(450000000000000000+i), tt.typ, tt.value))
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, out)
			}
			r := decodeResponse(t, out)
			if r.Type != 4 || r.Data.Flags != 64 {
				t.Errorf("type %d flags %d, want 4 and ephemeral 64", r.Type, r.Data.Flags)
			}
			if tt.wantRan {
				ran++
			}
			reqs := h.requests()
			if len(reqs) != ran {
				t.Fatalf("handler ran %d times, want %d: %+v", len(reqs), ran, reqs)
			}
			if tt.wantRan {
				return
			}
			if len(r.Data.Embeds) == 0 || !strings.Contains(r.Data.Embeds[0].Title, "“question”") || !strings.Contains(r.Data.Embeds[0].Title, "text") {
				t.Errorf("refusal %s, want it to name the option and ask for text", out)
			}
			if strings.Contains(string(out), "map[") {
				t.Errorf("Go-formatted value echoed: %s", out)
			}
		})
	}
}

// TestShareRepostStripsBidiControls: a share that reposts the clicked
// message (its command did not fit the custom id) drops bidi and invisible
// controls from the embeds, as the core does for user text.
func TestShareRepostStripsBidiControls(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	_, srv := newTestAdapter(t, fake, &stubHandler{}, nil, nil)
	emb := map[string]any{
		"title":       "who\u202Egnp.exe\u202C paid?",
		"description": "\u2066isolated\u2069 and \u200Emarked\u200F",
		"fields":      []any{map[string]any{"name": "a\u202Bb", "value": "c\u2067d"}},
		"footer":      map[string]any{"text": "e\u202Af"},
		"author":      map[string]any{"name": "g\u202Dh"},
	}
	body := interaction{typ: 3, guild: "200000000000000002", channel: "210000000000000021", perms: "0", customID: "ab|share|",
		messageObj: map[string]any{"id": "1", "channel_id": "210000000000000021", "embeds": []any{emb}}}.json(t)
	_, out := postSigned(t, srv.URL, testKey(t), body)
	var got response
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if got.Type != 4 || got.Data.Flags != 0 || len(got.Data.Embeds) != 1 {
		t.Fatalf("repost = %s", out)
	}
	if e := got.Data.Embeds[0]; e.Title != "whognp.exe paid?" || e.Description != "isolated and marked" {
		t.Errorf("embed = %+v", e)
	}
	// json.Marshal writes these runes as they are, not as \u escapes.
	decoded := string(out)
	if i := strings.IndexFunc(decoded, func(r rune) bool { return unicode.Is(unicode.Bidi_Control, r) }); i >= 0 {
		t.Errorf("repost keeps a bidi control at %d: %s", i, decoded)
	}
}

// lineCounter counts log records by message.
type lineCounter struct {
	mu    sync.Mutex
	lines []slog.Record
}

func (c *lineCounter) Enabled(context.Context, slog.Level) bool { return true }
func (c *lineCounter) Handle(_ context.Context, r slog.Record) error {
	c.mu.Lock()
	c.lines = append(c.lines, r)
	c.mu.Unlock()
	return nil
}
func (c *lineCounter) WithAttrs([]slog.Attr) slog.Handler { return c }
func (c *lineCounter) WithGroup(string) slog.Handler      { return c }

func (c *lineCounter) records() []slog.Record {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]slog.Record(nil), c.lines...)
}

func attr(r slog.Record, key string) (slog.Value, bool) {
	var v slog.Value
	found := false
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == key {
			v, found = a.Value, true
			return false
		}
		return true
	})
	return v, found
}

// unverifiedMetrics counts Unverified calls.
type unverifiedMetrics struct {
	bot.NopMetrics
	mu sync.Mutex
	n  map[string]int
}

func (m *unverifiedMetrics) Unverified(platform string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.n == nil {
		m.n = map[string]int{}
	}
	m.n[platform]++
}

func (m *unverifiedMetrics) count(platform string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.n[platform]
}

// TestRejectedSignaturesSampled: a flood of bad signatures writes a
// sampled log (at most a line per second, with the count it stands for)
// while the metric counts every one.
func TestRejectedSignaturesSampled(t *testing.T) {
	logs := &lineCounter{}
	m := &unverifiedMetrics{}
	var mu sync.Mutex
	now := time.Unix(testNow, 0)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	priv := testKey(t)
	a, err := New(Config{AppID: "100000000000000001", PublicKey: priv.Public().(ed25519.PublicKey),
		Logger: slog.New(logs), Metrics: m, Now: clock}, &stubHandler{}, &memStore{})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	a.Routes(mux)
	bad := func(ts string) int {
		body := []byte(`{"type":1}`)
		req := httptest.NewRequest(http.MethodPost, "/discord/interactions", bytes.NewReader(body))
		req.Header.Set("X-Signature-Timestamp", ts)
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(bytes.Repeat([]byte{1}, ed25519.SignatureSize)))
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		return rec.Code
	}
	for i := range 1000 {
		if code := bad(strconv.FormatInt(testNow, 10)); code != 401 {
			t.Fatalf("request %d: status %d, want 401", i, code)
		}
	}
	if got, want := m.count("discord"), 1000; got != want {
		t.Errorf("metric = %d, want %d", got, want)
	}
	if got := len(logs.records()); got < 1 || got > 3 {
		t.Errorf("%d log lines for 1000 rejections, want 1 to 3", got)
	}
	// A second later the next rejection logs again, saying how many the
	// sampled lines left out.
	mu.Lock()
	now = now.Add(1100 * time.Millisecond)
	mu.Unlock()
	bad("1000000000") // a stale timestamp is the same rejection
	recs := logs.records()
	if len(recs) == 0 {
		t.Fatal("no log line")
	}
	last := recs[len(recs)-1]
	v, ok := attr(last, "suppressed")
	if !ok || v.Int64() != 999 {
		t.Errorf("last line %q suppressed = %v (%v), want 999", last.Message, v, ok)
	}
	if got, want := m.count("discord"), 1001; got != want {
		t.Errorf("metric = %d, want %d", got, want)
	}
}
