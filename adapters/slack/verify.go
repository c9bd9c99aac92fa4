package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Why not slack.NewSecretsVerifier: it reads the wall clock, so Slack's
// published example vector (2018) can never pass in a test. This one does
// the same checks with an injectable clock.

// Verification errors.
var (
	ErrMissingHeaders   = errors.New("slack: missing signature headers")
	ErrExpiredTimestamp = errors.New("slack: request timestamp outside ±5 minutes")
	ErrInvalidSignature = errors.New("slack: invalid signature")
	ErrNoSigningSecret  = errors.New("slack: no signing secret configured")
)

// maxSkew is how far a request's timestamp may be from now, either way.
const maxSkew = 5 * time.Minute

// maxBody is the largest request body accepted (1 MiB).
const maxBody = 1 << 20

type verifier struct {
	secret []byte
	now    func() time.Time
}

// sign returns the v0 signature of body sent at timestamp ts.
func sign(secret []byte, ts string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("v0:" + ts + ":"))
	m.Write(body)
	return "v0=" + hex.EncodeToString(m.Sum(nil))
}

// verify checks X-Slack-Signature over body.
func (v verifier) verify(h http.Header, body []byte) error {
	if len(v.secret) == 0 {
		return ErrNoSigningSecret
	}
	ts, sig := h.Get("X-Slack-Request-Timestamp"), h.Get("X-Slack-Signature")
	if ts == "" || sig == "" {
		return ErrMissingHeaders
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return ErrExpiredTimestamp
	}
	if d := v.now().Sub(time.Unix(sec, 0)); d > maxSkew || d < -maxSkew {
		return ErrExpiredTimestamp
	}
	hexSig, ok := strings.CutPrefix(sig, "v0=")
	if !ok {
		return ErrInvalidSignature
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil || len(got) != sha256.Size {
		return ErrInvalidSignature
	}
	want, _ := hex.DecodeString(strings.TrimPrefix(sign(v.secret, ts, body), "v0="))
	if !hmac.Equal(got, want) {
		return ErrInvalidSignature
	}
	return nil
}

// verified reads at most 1 MiB of body (413 beyond), checks the signature
// (401 when missing, wrong or stale) and only then calls next.
func (a *Adapter) verified(next func(w http.ResponseWriter, r *http.Request, body []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			var netErr net.Error
			switch {
			case errors.As(err, &tooBig):
				refuse(w, "request body too large", http.StatusRequestEntityTooLarge)
			case errors.As(err, &netErr) && netErr.Timeout():
				// Still arriving at the server's read timeout: a slow link,
				// not a bad request, so Slack may retry it.
				http.Error(w, "request body not received in time", http.StatusRequestTimeout)
			default:
				refuse(w, "bad request body", http.StatusBadRequest)
			}
			return
		}
		if err := a.verifier.verify(r.Header, body); err != nil {
			a.metrics.Unverified(platform)
			// Sampled: one client can send thousands a second.
			if ok, n := a.sampled.Allow("401 " + r.URL.Path); ok {
				a.log.Warn("slack: rejected unverified request", "path", r.URL.Path, keyError, err, keySuppressed, n)
			}
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
			return
		}
		next(w, r, body)
	}
}

// refuse answers a request no retry can fix and tells Slack not to retry
// it (X-Slack-No-Retry: 1): the Events API retries error answers up to
// three times, and counts failures against the subscription. A bad
// signature is not refused this way: a retry after the signing secret is
// fixed may pass.
func refuse(w http.ResponseWriter, msg string, status int) {
	w.Header().Set("X-Slack-No-Retry", "1")
	http.Error(w, msg, status)
}
