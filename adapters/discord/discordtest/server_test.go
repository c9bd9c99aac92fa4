package discordtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func do(t *testing.T, s *Server, method, path, auth, body string) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var v map[string]any
	_ = json.Unmarshal(b, &v)
	return resp, v
}

func TestAuthAndValidation(t *testing.T) {
	s := New(Options{RouteLimit: 100})
	defer s.Close()
	bot := "Bot " + s.Token()
	long := strings.Repeat("x", 2001)
	embeds := strings.TrimSuffix(strings.Repeat(`{"title":"t"},`, 11), ",")
	tests := []struct {
		name, auth, body string
		want             int
	}{
		{"no token", "", `{"content":"hi"}`, 401},
		{"token without Bot prefix", s.Token(), `{"content":"hi"}`, 401},
		{"ok", bot, `{"content":"hi","allowed_mentions":{"parse":[]}}`, 200},
		{"empty", bot, `{}`, 400},
		{"content too long", bot, `{"content":"` + long + `"}`, 400},
		{"11 embeds", bot, `{"embeds":[` + embeds + `]}`, 400},
		{"description too long", bot, `{"embeds":[{"description":"` + strings.Repeat("d", 4097) + `"}]}`, 400},
		{"6001 in total", bot, `{"embeds":[{"description":"` + strings.Repeat("d", 4000) + `"},{"description":"` + strings.Repeat("d", 2001) + `"}]}`, 400},
		{"empty field", bot, `{"embeds":[{"fields":[{"name":"","value":"v"}]}]}`, 400},
		{"nonce too long", bot, `{"content":"hi","nonce":"` + strings.Repeat("n", 26) + `"}`, 400},
		{"custom id too long", bot, `{"content":"hi","components":[{"type":1,"components":[{"type":2,"label":"l","style":1,"custom_id":"` + strings.Repeat("c", 101) + `"}]}]}`, 400},
	}
	for _, tt := range tests {
		resp, v := do(t, s, "POST", "channels/1/messages", tt.auth, tt.body)
		if resp.StatusCode != tt.want {
			t.Errorf("%s: status %d, want %d (%v)", tt.name, resp.StatusCode, tt.want, v)
		}
	}
	if n := len(s.Messages()); n != 1 {
		t.Errorf("%d messages recorded, want 1", n)
	}
	if st := s.Stats(); st.Unauthorized != 2 {
		t.Errorf("unauthorized %d, want 2", st.Unauthorized)
	}
}

func TestBucketsAndGlobal(t *testing.T) {
	s := New(Options{RouteLimit: 2, RouteWindow: time.Hour, GlobalLimit: 4})
	defer s.Close()
	bot := "Bot " + s.Token()
	var statuses []int
	for range 3 {
		resp, _ := do(t, s, "POST", "channels/1/messages", bot, `{"content":"x"}`)
		statuses = append(statuses, resp.StatusCode)
		if resp.StatusCode == 200 && resp.Header.Get("X-RateLimit-Bucket") == "" {
			t.Error("no X-RateLimit-Bucket")
		}
	}
	resp, v := do(t, s, "POST", "channels/1/messages", bot, `{"content":"x"}`)
	statuses = append(statuses, resp.StatusCode)
	if fmt.Sprint(statuses) != "[200 200 429 429]" {
		t.Fatalf("statuses %v", statuses)
	}
	// The route is exhausted for an hour: a 429 with float retry_after.
	if ra, ok := v["retry_after"].(float64); !ok || ra < 3000 || v["global"] != false {
		t.Errorf("429 body %v", v)
	}
	if n, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || n < 3000 {
		t.Errorf("Retry-After %q", resp.Header.Get("Retry-After"))
	}
	// Another channel has its own bucket, but the global limit (4/s, 429s
	// included) is hit.
	resp, v = do(t, s, "POST", "channels/2/messages", bot, `{"content":"x"}`)
	if resp.StatusCode != 429 || v["global"] != true || resp.Header.Get("X-RateLimit-Global") != "true" {
		t.Errorf("status %d body %v, want a global 429", resp.StatusCode, v)
	}
	// Interaction webhooks are not bound to the global limit.
	resp, _ = do(t, s, "POST", "webhooks/"+s.AppID()+"/tok", "", `{"content":"x"}`)
	if resp.StatusCode != 200 {
		t.Errorf("follow-up status %d", resp.StatusCode)
	}
	if st := s.Stats(); st.RateLimited != 2 || st.GlobalLimit != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestEnforceNonce(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	bot := "Bot " + s.Token()
	_, first := do(t, s, "POST", "channels/1/messages", bot, `{"content":"a","nonce":"n1","enforce_nonce":true}`)
	_, again := do(t, s, "POST", "channels/1/messages", bot, `{"content":"a","nonce":"n1","enforce_nonce":true}`)
	_, loose := do(t, s, "POST", "channels/1/messages", bot, `{"content":"a","nonce":"n1"}`)
	if first["id"] != again["id"] || first["id"] == loose["id"] {
		t.Errorf("ids %v %v %v: an enforced nonce returns the earlier message, an unenforced one does not", first["id"], again["id"], loose["id"])
	}
	if n := len(s.Messages()); n != 2 {
		t.Errorf("%d messages, want 2", n)
	}
}

func TestCommandsValidation(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	bot := "Bot " + s.Token()
	tests := []struct {
		body string
		want int
	}{
		{`[{"name":"alexa-brief","type":1,"description":"d","options":[{"type":1,"name":"ask","description":"d","options":[{"type":3,"name":"question","description":"q","required":true}]}]}]`, 200},
		{`[{"name":"Alexa","type":1,"description":"d"}]`, 400},
		{`[{"name":"alexa","type":1,"description":""}]`, 400},
		{`[{"name":"alexa","type":1,"description":"` + strings.Repeat("d", 101) + `"}]`, 400},
		{`[{"name":"a","type":1,"description":"d","options":[{"type":3,"name":"x","description":"d"},{"type":3,"name":"y","description":"d","required":true}]}]`, 400},
	}
	for _, tt := range tests {
		resp, v := do(t, s, "PUT", "applications/"+s.AppID()+"/commands", bot, tt.body)
		if resp.StatusCode != tt.want {
			t.Errorf("%s: status %d, want %d (%v)", tt.body, resp.StatusCode, tt.want, v)
		}
	}
	resp, _ := do(t, s, "PUT", "applications/999/guilds/5/commands", bot, `[]`)
	if resp.StatusCode != 403 {
		t.Errorf("another application's commands: status %d", resp.StatusCode)
	}
	if n := len(s.Commands()); n != 1 {
		t.Errorf("%d overwrites recorded", n)
	}
}

func TestPings(t *testing.T) {
	tests := []struct {
		m    Message
		want string
	}{
		{Message{Content: "@everyone hi <@12> <@&34>"}, "[everyone user:12 role:34]"},
		{Message{Content: "@everyone hi <@12>", AllowedMentions: &AllowedMentions{Parse: []string{}}}, "[]"},
		{Message{Content: "@here <@12>", Webhook: true}, "[user:12]"},
		{Message{Content: "<@12> <@56>", AllowedMentions: &AllowedMentions{Users: []string{"56"}}}, "[user:56]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(tt.m.Pings()); got != tt.want {
			t.Errorf("Pings(%q) = %s, want %s", tt.m.Content, got, tt.want)
		}
	}
}

func TestListMessages(t *testing.T) {
	s := New(Options{RouteLimit: 100, BotUserID: "100000000000000077"})
	defer s.Close()
	bot := "Bot " + s.Token()
	base := time.Now().Add(-time.Hour)
	var ids []string
	for i := range 5 {
		ids = append(ids, s.AddMessage("1", "300000000000000003", base.Add(time.Duration(i)*time.Minute), Message{Content: fmt.Sprint(i)}).ID)
	}
	s.AddMessage("2", "300000000000000003", base, Message{Content: "elsewhere"})
	_, posted := do(t, s, "POST", "channels/1/messages", bot, `{"content":"new","nonce":"n1","enforce_nonce":true}`)
	if posted["nonce"] != "n1" || posted["author"].(map[string]any)["id"] != "100000000000000077" {
		t.Errorf("create answer %v: want the nonce echoed and the bot as author", posted)
	}
	ids = append(ids, posted["id"].(string))

	list := func(query string) (int, []string, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", s.URL()+"channels/1/messages"+query, nil)
		req.Header.Set("Authorization", bot)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var msgs []map[string]any
		_ = json.Unmarshal(b, &msgs)
		var got []string
		for _, m := range msgs {
			got = append(got, fmt.Sprint(m["id"]))
		}
		return resp.StatusCode, got, string(b)
	}
	tests := []struct {
		query  string
		status int
		want   []string
	}{
		{"", 200, []string{ids[5], ids[4], ids[3], ids[2], ids[1], ids[0]}},
		{"?limit=2", 200, []string{ids[5], ids[4]}},
		{"?limit=2&after=" + ids[1], 200, []string{ids[3], ids[2]}}, // the oldest after it, newest first
		{"?before=" + ids[2], 200, []string{ids[1], ids[0]}},
		{"?limit=0", 400, nil},
		{"?limit=101", 400, nil},
		{"?after=x", 400, nil},
	}
	for _, tt := range tests {
		status, got, body := list(tt.query)
		if status != tt.status || fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("GET %q = %d %v, want %d %v", tt.query, status, got, tt.status, tt.want)
		}
		if strings.Contains(body, `"nonce"`) {
			t.Errorf("GET %q echoes a nonce: %s", tt.query, body)
		}
	}
	// Snowflakes follow time: a message added for an earlier instant sorts first.
	if _, got, _ := list("?after=0&limit=1"); len(got) != 1 || got[0] != ids[0] {
		t.Errorf("oldest = %v, want %s", got, ids[0])
	}

	resp, _ := do(t, s, "GET", "channels/1/messages/"+ids[0], bot, "")
	if resp.StatusCode != 200 {
		t.Errorf("GET one message: %d", resp.StatusCode)
	}
	resp, v := do(t, s, "GET", "channels/1/messages/1", bot, "")
	if resp.StatusCode != 404 || v["code"] != float64(10008) {
		t.Errorf("GET unknown message: %d %v, want 404 code 10008", resp.StatusCode, v)
	}
	s.DenyHistory("1")
	if status, got, _ := list(""); status != 200 || len(got) != 0 {
		t.Errorf("without READ_MESSAGE_HISTORY: %d %v, want 200 []", status, got)
	}
	resp, v = do(t, s, "GET", "channels/1/messages/"+ids[0], bot, "")
	if resp.StatusCode != 403 || v["code"] != float64(50013) {
		t.Errorf("GET one message without READ_MESSAGE_HISTORY: %d %v, want 403 code 50013", resp.StatusCode, v)
	}
}

// TestCallbackOnce: an interaction takes one initial response; a second
// callback is refused with 40060, as Discord does.
func TestCallbackOnce(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	for i, want := range []struct {
		status int
		code   float64
	}{{204, 0}, {400, 40060}} {
		resp, body := do(t, s, "POST", "interactions/4/tok/callback", "", `{"type":5,"data":{"flags":64}}`)
		if resp.StatusCode != want.status || (want.code != 0 && body["code"] != want.code) {
			t.Errorf("callback %d: status %d, body %v; want %d, code %v", i+1, resp.StatusCode, body, want.status, want.code)
		}
	}
	if n := len(s.Callbacks()); n != 1 {
		t.Errorf("%d callbacks recorded, want 1", n)
	}
}
