package slack

import (
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/slack/slacktest"
)

// Slack's published example (docs.slack.dev "Verifying requests from
// Slack"), vector 1 of PLATFORMS.md.
const (
	vecSecret = "8f742231b10e8888abcd99yyyzzz85a5"
	vecTS     = "1531420618"
	vecBody   = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	vecSig    = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"

	// slack-go's own test vector (security_test.go), vector 2.
	sgSecret = "e6b19c573432dcc6b075501d51b51bb8"
	sgTS     = "1531431954"
	sgBody   = `{"token":"aF5ynEYQH0dFN9imlgcADxDB","team_id":"XXXXXXXXX","api_app_id":"YYYYYYYYY","event":{"type":"app_mention","user":"AAAAAAAAA","text":"<@EEEEEEEEE> hello world","client_msg_id":"477cc591-ch73-a14z-4db8-g0cd76321bec","ts":"1531431954.000073","channel":"TTTTTTTTT","event_ts":"1531431954.000073"},"type":"event_callback","event_id":"TvBP7LRED7","event_time":1531431954,"authed_users":["EEEEEEEEE"]}`
	sgSig    = "v0=adada4ed31709aef585c2580ca3267678c6a8eaeb7e0c1aca3ee57b656886b2c"

	// Vector 3: url_verification signed with vector 1's secret and time.
	uvBody = `{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`
	uvSig  = "v0=f9bd80929259f3f6d5fe3a3186c453c89cd1ad4862815a15837584f31c993652"
)

func TestSign(t *testing.T) {
	tests := []struct{ secret, ts, body, want string }{
		{vecSecret, vecTS, vecBody, vecSig},
		{sgSecret, sgTS, sgBody, sgSig},
		{vecSecret, vecTS, uvBody, uvSig},
	}
	for _, tt := range tests {
		if got := sign([]byte(tt.secret), tt.ts, []byte(tt.body)); got != tt.want {
			t.Errorf("sign(%s, %s) = %s, want %s", tt.secret, tt.ts, got, tt.want)
		}
	}
}

func TestVerify(t *testing.T) {
	at := func(offset time.Duration) func() time.Time {
		return func() time.Time { return time.Unix(1531420618, 0).Add(offset) }
	}
	hdr := func(ts, sig string) http.Header {
		h := http.Header{}
		if ts != "" {
			h.Set("X-Slack-Request-Timestamp", ts)
		}
		if sig != "" {
			h.Set("X-Slack-Signature", sig)
		}
		return h
	}
	tests := []struct {
		name   string
		secret string
		now    func() time.Time
		h      http.Header
		body   string
		want   error
	}{
		{"slack example", vecSecret, at(0), hdr(vecTS, vecSig), vecBody, nil},
		{"slack-go vector", sgSecret, func() time.Time { return time.Unix(1531431954, 0) }, hdr(sgTS, sgSig), sgBody, nil},
		{"url_verification vector", vecSecret, at(0), hdr(vecTS, uvSig), uvBody, nil},
		{"4m59s old", vecSecret, at(4*time.Minute + 59*time.Second), hdr(vecTS, vecSig), vecBody, nil},
		{"4m59s ahead", vecSecret, at(-(4*time.Minute + 59*time.Second)), hdr(vecTS, vecSig), vecBody, nil},
		{"5m01s old", vecSecret, at(5*time.Minute + time.Second), hdr(vecTS, vecSig), vecBody, ErrExpiredTimestamp},
		{"5m01s in the future", vecSecret, at(-(5*time.Minute + time.Second)), hdr(vecTS, vecSig), vecBody, ErrExpiredTimestamp},
		{"real clock rejects the 2018 example", vecSecret, time.Now, hdr(vecTS, vecSig), vecBody, ErrExpiredTimestamp},
		{"tampered body", vecSecret, at(0), hdr(vecTS, vecSig), vecBody + "x", ErrInvalidSignature},
		{"tampered timestamp", vecSecret, at(0), hdr("1531420619", vecSig), vecBody, ErrInvalidSignature},
		{"wrong secret", sgSecret, at(0), hdr(vecTS, vecSig), vecBody, ErrInvalidSignature},
		{"no v0= prefix", vecSecret, at(0), hdr(vecTS, strings.TrimPrefix(vecSig, "v0=")), vecBody, ErrInvalidSignature},
		{"short signature", vecSecret, at(0), hdr(vecTS, vecSig[:40]), vecBody, ErrInvalidSignature},
		{"not hex", vecSecret, at(0), hdr(vecTS, "v0="+strings.Repeat("zz", 32)), vecBody, ErrInvalidSignature},
		{"missing signature", vecSecret, at(0), hdr(vecTS, ""), vecBody, ErrMissingHeaders},
		{"missing timestamp", vecSecret, at(0), hdr("", vecSig), vecBody, ErrMissingHeaders},
		{"garbage timestamp", vecSecret, at(0), hdr("soon", vecSig), vecBody, ErrExpiredTimestamp},
		{"no secret configured", "", at(0), hdr(vecTS, vecSig), vecBody, ErrNoSigningSecret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := verifier{secret: []byte(tt.secret), now: tt.now}
			if got := v.verify(tt.h, []byte(tt.body)); !errors.Is(got, tt.want) {
				t.Errorf("verify = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestEndpointsRejectUnverified sends Slack's example request to every
// signed endpoint: only a correct signature at the right time gets through,
// and nothing reaches the bot otherwise.
func TestEndpointsRejectUnverified(t *testing.T) {
	h := &recorder{}
	var nowUnix atomic.Int64
	e := newEnv(t, h, func(c *Config, _ *slacktest.Options) {
		c.Now = func() time.Time { return time.Unix(nowUnix.Load(), 0) }
	})
	for _, path := range []string{"/slack/commands", "/slack/events", "/slack/interactivity"} {
		tests := []struct {
			name string
			now  time.Time
			ts   string
			sig  string
			body string
			want int
		}{
			{"missing", time.Unix(1531420618, 0), "", "", vecBody, http.StatusUnauthorized},
			{"wrong", time.Unix(1531420618, 0), vecTS, sign([]byte("other"), vecTS, []byte(vecBody)), vecBody, http.StatusUnauthorized},
			{"tampered", time.Unix(1531420618, 0), vecTS, vecSig, vecBody + "&text=brief", http.StatusUnauthorized},
			{"stale", time.Unix(1531420618, 0).Add(6 * time.Minute), vecTS, vecSig, vecBody, http.StatusUnauthorized},
			{"future", time.Unix(1531420618, 0).Add(-6 * time.Minute), vecTS, vecSig, vecBody, http.StatusUnauthorized},
		}
		for _, tt := range tests {
			nowUnix.Store(tt.now.Unix())
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.ts != "" {
				req.Header.Set("X-Slack-Request-Timestamp", tt.ts)
				req.Header.Set("X-Slack-Signature", tt.sig)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			readBody(t, resp)
			if resp.StatusCode != tt.want {
				t.Errorf("%s %s: status %d, want %d", path, tt.name, resp.StatusCode, tt.want)
			}
		}
	}
	e.a.Wait()
	if got := len(h.requests()); got != 0 {
		t.Errorf("bot got %d requests from unverified traffic, want 0", got)
	}
	if got := len(e.api.Messages()); got != 0 {
		t.Errorf("%d messages posted for unverified traffic, want 0", got)
	}

	// The same example, correctly signed at its own time, is accepted.
	nowUnix.Store(1531420618)
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/slack/commands", strings.NewReader(vecBody))
	req.Header.Set("X-Slack-Request-Timestamp", vecTS)
	req.Header.Set("X-Slack-Signature", vecSig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	readBody(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("signed example: status %d, want 200", resp.StatusCode)
	}
	e.a.Wait()
	if got := len(h.requests()); got != 1 {
		t.Errorf("signed example reached the bot %d times, want 1", got)
	}
}

func TestBodyTooLarge(t *testing.T) {
	h := &recorder{}
	e := newEnv(t, h, nil)
	body := "text=" + strings.Repeat("a", maxBody)
	for _, path := range []string{"/slack/commands", "/slack/events", "/slack/interactivity"} {
		resp := e.post(path, "application/x-www-form-urlencoded", body, nil)
		readBody(t, resp)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || resp.Header.Get("X-Slack-No-Retry") != "1" {
			t.Errorf("%s: status %d, X-Slack-No-Retry %q; want 413 and no retry", path, resp.StatusCode, resp.Header.Get("X-Slack-No-Retry"))
		}
	}
	// Exactly 1 MiB is still accepted.
	ok := "ssl_check=1&x=" + strings.Repeat("a", maxBody-len("ssl_check=1&x="))
	resp := e.post("/slack/commands", "application/x-www-form-urlencoded", ok, nil)
	readBody(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("1 MiB body: status %d, want 200", resp.StatusCode)
	}
	if got := len(h.requests()); got != 0 {
		t.Errorf("bot got %d requests, want 0", got)
	}
}

// Answers no retry can fix tell Slack not to retry; a bad signature does
// not, since a retry after the secret is fixed may pass.
func TestNoRetry(t *testing.T) {
	h := &recorder{}
	e := newEnv(t, h, nil)
	tests := []struct {
		path, contentType, body string
		status                  int
		noRetry                 string
	}{
		{"/slack/events", "application/json", `{"type":`, http.StatusBadRequest, "1"},
		{"/slack/commands", "application/x-www-form-urlencoded", "%zz", http.StatusBadRequest, "1"},
		{"/slack/interactivity", "application/x-www-form-urlencoded", "payload=", http.StatusBadRequest, "1"},
		{"/slack/events", "application/json", `{"type":"event_callback"}`, http.StatusOK, ""},
	}
	for _, tt := range tests {
		resp := e.post(tt.path, tt.contentType, tt.body, nil)
		readBody(t, resp)
		if resp.StatusCode != tt.status || resp.Header.Get("X-Slack-No-Retry") != tt.noRetry {
			t.Errorf("%s %q: status %d, X-Slack-No-Retry %q; want %d, %q", tt.path, tt.body, resp.StatusCode, resp.Header.Get("X-Slack-No-Retry"), tt.status, tt.noRetry)
		}
	}
	bad := e.post("/slack/events", "application/json", `{"type":"event_callback"}`, http.Header{"X-Slack-Signature": {"v0=00"}})
	readBody(t, bad)
	if bad.StatusCode != http.StatusUnauthorized || bad.Header.Get("X-Slack-No-Retry") != "" {
		t.Errorf("bad signature: status %d, X-Slack-No-Retry %q; want 401 and retries allowed", bad.StatusCode, bad.Header.Get("X-Slack-No-Retry"))
	}
}
