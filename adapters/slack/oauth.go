package slack

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/alexa-brief/alexa-brief/bot"
)

// OAuth v2 install: /slack/install sends the browser to Slack with a
// random state that is also kept in a signed, expiring, HttpOnly cookie;
// /slack/oauth/callback accepts the code only when the state matches the
// cookie, which binds the install to the browser that started it (CSRF).

const (
	authorizeURL = "https://slack.com/oauth/v2/authorize"
	stateCookie  = "alexa_brief_slack_state"
	stateTTL     = 10 * time.Minute
)

func (a *Adapter) oauthEnabled() bool { return a.cfg.ClientID != "" && a.cfg.ClientSecret != "" }

// redirectURI is this server's callback as the browser reached it.
func redirectURI(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	host := r.Host
	if h := r.Header.Get("X-Forwarded-Host"); h != "" {
		host = h
	}
	return scheme + "://" + host + "/slack/oauth/callback"
}

func secure(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// signState returns the cookie value for nonce: nonce.expiry.mac.
func (a *Adapter) signState(nonce string, exp int64) string {
	m := hmac.New(sha256.New, a.cfg.StateSecret)
	fmt.Fprintf(m, "%s.%d", nonce, exp)
	return nonce + "." + strconv.FormatInt(exp, 10) + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkState reports whether the cookie is ours, unexpired and holds state.
func (a *Adapter) checkState(cookie, state string) bool {
	parts := strings.Split(cookie, ".")
	if len(parts) != 3 || state == "" {
		return false
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || a.cfg.Now().Unix() > exp {
		return false
	}
	want := a.signState(parts[0], exp)
	return hmac.Equal([]byte(cookie), []byte(want)) && hmac.Equal([]byte(parts[0]), []byte(state))
}

func (a *Adapter) serveInstall(w http.ResponseWriter, r *http.Request) {
	if !a.oauthEnabled() {
		http.NotFound(w, r)
		return
	}
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	nonce := base64.RawURLEncoding.EncodeToString(b)
	exp := a.cfg.Now().Add(stateTTL).Unix()
	http.SetCookie(w, &http.Cookie{
		Name: stateCookie, Value: a.signState(nonce, exp), Path: "/slack/oauth",
		MaxAge: int(stateTTL / time.Second), HttpOnly: true, Secure: secure(r),
		SameSite: http.SameSiteLaxMode, // the callback is a top-level GET from slack.com
	})
	q := url.Values{
		"client_id":    {a.cfg.ClientID},
		"scope":        {BotScopes},
		"redirect_uri": {redirectURI(r)},
		"state":        {nonce},
	}
	http.Redirect(w, r, authorizeURL+"?"+q.Encode(), http.StatusFound)
}

func (a *Adapter) serveOAuthCallback(w http.ResponseWriter, r *http.Request) {
	if !a.oauthEnabled() {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	// The state cookie is single use, whatever happens next.
	http.SetCookie(w, &http.Cookie{Name: stateCookie, Value: "", Path: "/slack/oauth", MaxAge: -1, HttpOnly: true, Secure: secure(r)})
	if e := q.Get("error"); e != "" {
		page(w, http.StatusBadRequest, "Installation cancelled", "Slack said: "+e+". You can start again from /slack/install.")
		return
	}
	c, err := r.Cookie(stateCookie)
	if err != nil || !a.checkState(c.Value, q.Get("state")) {
		a.log.Warn("slack: oauth callback with a missing, expired or mismatched state")
		page(w, http.StatusBadRequest, "Installation link expired", "The install link is invalid or older than 10 minutes. Start again from /slack/install in the same browser.")
		return
	}
	code := q.Get("code")
	if code == "" {
		page(w, http.StatusBadRequest, "Installation failed", "Slack did not send an authorization code.")
		return
	}
	res, err := slack.GetOAuthV2ResponseContext(r.Context(), a.http, a.cfg.ClientID, a.cfg.ClientSecret, code,
		redirectURI(r), slack.OAuthOptionAPIURL(a.cfg.APIURL))
	if err != nil {
		a.log.Error("slack: oauth.v2.access failed", keyError, err)
		page(w, http.StatusBadGateway, "Installation failed", "Slack refused the installation ("+errorCode(err)+"). Try again from /slack/install.")
		return
	}
	team := res.Team.ID
	if team == "" { // an org-wide install on Enterprise Grid
		team = res.Enterprise.ID
	}
	if team == "" || res.AccessToken == "" {
		page(w, http.StatusBadGateway, "Installation failed", "Slack's answer had no team or bot token.")
		return
	}
	in := bot.Install{
		Platform: platform, Team: team, Enterprise: res.Enterprise.ID,
		BotToken: res.AccessToken, BotUserID: res.BotUserID, InstalledAt: a.cfg.Now().UTC(),
	}
	if err := a.st.PutInstall(r.Context(), in); err != nil {
		a.log.Error("slack: store install failed", keyTeam, team, keyError, err)
		page(w, http.StatusInternalServerError, "Installation failed", "The install could not be saved. Try again in a minute.")
		return
	}
	a.log.Info("slack: installed", keyTeam, team, "enterprise", res.Enterprise.ID)
	name := res.Team.Name
	if name == "" {
		name = team
	}
	page(w, http.StatusOK, "alexa-brief is installed", "alexa-brief is now in "+name+". Type /alexa-brief in any channel, or send the app a direct message.")
}

// errorCode is Slack's error code of err when it has one.
func errorCode(err error) string {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return se.Err
	}
	return "unavailable"
}

func page(w http.ResponseWriter, status int, title, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html><meta charset=utf-8><title>%s</title><h1>%s</h1><p>%s</p>\n",
		html.EscapeString(title), html.EscapeString(title), html.EscapeString(text))
}
