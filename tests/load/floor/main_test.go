package main

import (
	"net/http"
	"testing"
	"time"
)

// TestVerified: the floor checks what the bot checks, so it does the
// bot's share of the work; Slack's published example vector passes, and a
// stale timestamp or one changed byte does not.
func TestVerified(t *testing.T) {
	secret := []byte("8f742231b10e8888abcd99yyyzzz85a5")
	body := []byte("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
	h := http.Header{}
	h.Set("X-Slack-Request-Timestamp", "1531420618")
	h.Set("X-Slack-Signature", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")
	at := time.Unix(1531420618, 0).Add(time.Minute)
	if !verified(secret, h, body, at) {
		t.Error("Slack's example vector did not verify")
	}
	if verified(secret, h, body, at.Add(5*time.Minute)) {
		t.Error("a timestamp 6 minutes old verified")
	}
	changed := append([]byte{}, body...)
	changed[0] = 'T'
	if verified(secret, h, changed, at) {
		t.Error("a changed body verified")
	}
}
