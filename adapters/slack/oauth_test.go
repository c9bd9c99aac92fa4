package slack

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/slack/slacktest"
	"github.com/alexa-brief/alexa-brief/bot"
)

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func get(t *testing.T, u string, cookies ...*http.Cookie) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func TestOAuthDisabled(t *testing.T) {
	e := newEnv(t, nil, nil)
	for _, p := range []string{"/slack/install", "/slack/oauth/callback?code=x&state=y"} {
		resp := get(t, e.srv.URL+p)
		readBody(t, resp)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s without client id/secret: %d, want 404", p, resp.StatusCode)
		}
	}
}

func oauthEnv(t *testing.T, now *atomic.Int64) *env {
	return newEnv(t, nil, func(c *Config, o *slacktest.Options) {
		c.ClientID, c.ClientSecret = "123.456", "client-secret"
		o.ClientID, o.ClientSecret = "123.456", "client-secret"
		c.BotToken = "" // a multi-workspace app: tokens come from installs
		c.Now = func() time.Time { return time.Unix(now.Load(), 0) }
	})
}

// install starts an install and returns the state and its cookie.
func install(t *testing.T, e *env) (string, *http.Cookie) {
	t.Helper()
	resp := get(t, e.srv.URL+"/slack/install")
	readBody(t, resp)
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("install: status %d, want 302", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	q := loc.Query()
	if loc.Scheme+"://"+loc.Host+loc.Path != authorizeURL || q.Get("client_id") != "123.456" || q.Get("scope") != BotScopes ||
		q.Get("redirect_uri") != e.srv.URL+"/slack/oauth/callback" || len(q.Get("state")) < 32 {
		t.Errorf("redirect = %s", loc)
	}
	var c *http.Cookie
	for _, x := range resp.Cookies() {
		if x.Name == stateCookie {
			c = x
		}
	}
	if c == nil || !c.HttpOnly || c.MaxAge != 600 || c.SameSite != http.SameSiteLaxMode {
		t.Fatalf("state cookie = %+v, want HttpOnly, 10 minutes, SameSite=Lax", c)
	}
	if strings.Contains(c.Value, "client-secret") {
		t.Error("cookie leaks the client secret")
	}
	return q.Get("state"), c
}

func TestOAuthInstall(t *testing.T) {
	var now atomic.Int64
	now.Store(1_800_000_000)
	e := oauthEnv(t, &now)
	e.api.AddGrant("code-1", slacktest.Grant{TeamID: "T2", TeamName: "Acme <b>", EnterpriseID: "E1", BotToken: "xoxb-acme", BotUserID: "UACME"})
	state, cookie := install(t, e)

	resp := get(t, e.srv.URL+"/slack/oauth/callback?code=code-1&state="+url.QueryEscape(state), cookie)
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Acme &lt;b&gt;") {
		t.Fatalf("callback: %d %s", resp.StatusCode, body)
	}
	in, err := e.st.Install(context.Background(), "slack", "T2")
	if err != nil || in.BotToken != "xoxb-acme" || in.BotUserID != "UACME" || in.Enterprise != "E1" || !in.InstalledAt.Equal(time.Unix(1_800_000_000, 0)) {
		t.Fatalf("install = %+v, %v", in, err)
	}
	// The workspace is now served with its token.
	if _, err := e.a.Post(context.Background(), bot.Scope{Platform: "slack", Team: "T2", Channel: "C1"}, digest, ""); err != nil {
		t.Fatal(err)
	}
	if m := e.api.Messages(); len(m) != 1 || m[0].Token != "xoxb-acme" {
		t.Errorf("post used %+v", m)
	}
	// Another team has no token at all.
	if _, err := e.a.Post(context.Background(), bot.Scope{Platform: "slack", Team: "T3", Channel: "C1"}, digest, ""); err == nil {
		t.Error("post to a team without install succeeded")
	}
}

func TestOAuthRejectsBadState(t *testing.T) {
	var now atomic.Int64
	now.Store(1_800_000_000)
	e := oauthEnv(t, &now)
	e.api.AddGrant("code-1", slacktest.Grant{TeamID: "T2", BotToken: "xoxb-acme", BotUserID: "UACME"})
	state, cookie := install(t, e)
	forged := *cookie
	forged.Value = cookie.Value[:len(cookie.Value)-2] + "xx"
	other := *cookie
	other.Value = strings.Replace(cookie.Value, state, "attacker-nonce", 1)

	tests := []struct {
		name    string
		state   string
		cookies []*http.Cookie
		age     time.Duration
	}{
		{"no cookie", state, nil, 0},
		{"state mismatch", "attacker-nonce", []*http.Cookie{cookie}, 0},
		{"forged signature", state, []*http.Cookie{&forged}, 0},
		{"cookie for another state", "attacker-nonce", []*http.Cookie{&other}, 0},
		{"expired", state, []*http.Cookie{cookie}, 11 * time.Minute},
		{"no state", "", []*http.Cookie{cookie}, 0},
	}
	for _, tt := range tests {
		now.Store(1_800_000_000 + int64(tt.age/time.Second))
		resp := get(t, e.srv.URL+"/slack/oauth/callback?code=code-1&state="+url.QueryEscape(tt.state), tt.cookies...)
		readBody(t, resp)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", tt.name, resp.StatusCode)
		}
	}
	if got := e.api.Calls("oauth.v2.access"); got != 0 {
		t.Errorf("oauth.v2.access called %d times for bad states", got)
	}
	if _, err := e.st.Install(context.Background(), "slack", "T2"); err == nil {
		t.Error("an install was stored")
	}

	// A code Slack refuses: 502 with its error code, nothing stored.
	now.Store(1_800_000_000)
	resp := get(t, e.srv.URL+"/slack/oauth/callback?code=wrong&state="+url.QueryEscape(state), cookie)
	if body := readBody(t, resp); resp.StatusCode != http.StatusBadGateway || !strings.Contains(body, "invalid_code") {
		t.Errorf("bad code: %d %s", resp.StatusCode, body)
	}
	// The user cancelling on Slack's page.
	resp = get(t, e.srv.URL+"/slack/oauth/callback?error=access_denied&state="+url.QueryEscape(state), cookie)
	if readBody(t, resp); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("access_denied: %d, want 400", resp.StatusCode)
	}
}
