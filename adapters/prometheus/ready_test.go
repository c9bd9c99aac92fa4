package prometheus

import (
	"io"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/alexa-brief/alexa-brief/bot"
)

// TestPlatformReady: each platform's readiness is a gauge, read when
// /metrics is scraped.
func TestPlatformReady(t *testing.T) {
	m := New("dev", "")
	var discordUp atomic.Bool
	if err := m.PlatformReady(bot.PlatformDiscord, discordUp.Load); err != nil {
		t.Fatal(err)
	}
	if err := m.PlatformReady(bot.PlatformSlack, func() bool { return true }); err != nil {
		t.Fatal(err)
	}
	scrape := func() string {
		rec := httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		body, _ := io.ReadAll(rec.Body)
		return string(body)
	}
	tests := []struct {
		up   bool
		want []string
	}{
		{false, []string{`alexa_brief_platform_ready{platform="discord"} 0`, `alexa_brief_platform_ready{platform="slack"} 1`}},
		{true, []string{`alexa_brief_platform_ready{platform="discord"} 1`, `alexa_brief_platform_ready{platform="slack"} 1`}},
	}
	for _, tt := range tests {
		discordUp.Store(tt.up)
		got := scrape()
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("discord up %v: /metrics lacks %s", tt.up, w)
			}
		}
	}
	if err := m.PlatformReady(bot.PlatformSlack, func() bool { return true }); err == nil {
		t.Error("registering slack twice: no error")
	}
}
