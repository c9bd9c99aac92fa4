package prometheus

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/alexa-brief/alexa-brief/bot"
)

func TestMetricNamesAndLabels(t *testing.T) {
	m := New("v1.2.3", "abc")
	m.CommandHandled(bot.PlatformSlack, "ask", "ok", 3*time.Millisecond)
	m.CommandHandled(bot.PlatformSlack, "ask", "declined", time.Millisecond)
	m.DigestFinished(bot.PlatformDiscord, bot.StatePosted)
	m.APICall(bot.PlatformSlack, "chat.postMessage", 429)
	m.RateLimited(bot.PlatformSlack)
	m.Retried(bot.PlatformSlack)
	m.Waited(bot.PlatformDiscord, 250*time.Millisecond)
	m.Connection(bot.PlatformSlack, true)
	m.Connection(bot.PlatformDiscord, false)
	for range 3 {
		m.Unverified(bot.PlatformSlack)
	}
	m.ConversationNotSaved(bot.PlatformSlack)
	m.OutboxEvents(bot.PlatformSlack, "answered", 5)
	m.OutboxEvents(bot.PlatformSlack, "expired", 2)
	m.OutboxBacklog(bot.PlatformSlack, 17)

	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	text := string(body)
	for _, want := range []string{
		`alexa_brief_commands_total{command="ask",outcome="ok",platform="slack"} 1`,
		`alexa_brief_commands_total{command="ask",outcome="declined",platform="slack"} 1`,
		`alexa_brief_answer_latency_seconds_count{command="ask",platform="slack"} 2`,
		`alexa_brief_questions_declined_total{platform="slack"} 1`,
		`alexa_brief_digests_total{platform="discord",state="posted"} 1`,
		`alexa_brief_platform_api_calls_total{method="chat.postMessage",platform="slack",status="429"} 1`,
		`alexa_brief_rate_limited_total{platform="slack"} 1`,
		`alexa_brief_retries_total{platform="slack"} 1`,
		`alexa_brief_rate_limit_wait_seconds_sum{platform="discord"} 0.25`,
		`alexa_brief_connection_up{platform="slack"} 1`,
		`alexa_brief_connection_up{platform="discord"} 0`,
		`alexa_brief_unverified_requests_total{platform="slack"} 3`,
		`alexa_brief_conversations_not_saved_total{platform="slack"} 1`,
		`alexa_brief_outbox_events_total{outcome="answered",platform="slack"} 5`,
		`alexa_brief_outbox_events_total{outcome="expired",platform="slack"} 2`,
		`alexa_brief_outbox_backlog{platform="slack"} 17`,
		`alexa_brief_build_info{commit="abc",version="v1.2.3"} 1`,
		`go_goroutines`,
		`process_resident_memory_bytes`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if got, want := rec.Header().Get("Content-Type"), "text/plain"; !strings.HasPrefix(got, want) {
		t.Errorf("Content-Type = %q, want %s…", got, want)
	}
}

func TestMetricsLint(t *testing.T) {
	m := New("dev", "")
	m.CommandHandled(bot.PlatformShell, "brief", "ok", time.Millisecond)
	m.OutboxEvents(bot.PlatformSlack, "expired", 1)
	m.OutboxBacklog(bot.PlatformSlack, 1)
	problems, err := testutil.GatherAndLint(m.Registry())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s: %s", p.Metric, p.Text)
	}
}

func TestRegistriesAreIndependent(t *testing.T) {
	a, b := New("dev", ""), New("dev", "")
	a.RateLimited(bot.PlatformSlack)
	if got := testutil.ToFloat64(b.rateLimited.WithLabelValues(bot.PlatformSlack)); got != 0 {
		t.Errorf("second registry saw %v rate limits, want 0", got)
	}
}
