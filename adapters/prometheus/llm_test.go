package prometheus

import (
	"io"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	return string(body)
}

// TestModelMetrics: the language model's latency, tokens, outcomes and
// claims are exported under the names docs/operations.md lists.
func TestModelMetrics(t *testing.T) {
	m := New("dev", "")
	m.ModelLatency(1500 * time.Millisecond)
	m.ModelTokens(100, 20)
	m.ModelTokens(50, 5)
	m.WrittenOutcome("summary", "written")
	m.WrittenOutcome("answer", "timeout")
	m.WrittenClaims("summary", 2, 1)
	got := scrape(t, m)
	for _, w := range []string{
		`alexa_brief_llm_call_seconds_count 1`,
		`alexa_brief_llm_call_seconds_sum 1.5`,
		`alexa_brief_llm_tokens_total{kind="prompt"} 150`,
		`alexa_brief_llm_tokens_total{kind="completion"} 25`,
		`alexa_brief_llm_outcomes_total{outcome="written",use="summary"} 1`,
		`alexa_brief_llm_outcomes_total{outcome="timeout",use="answer"} 1`,
		`alexa_brief_llm_claims_total{use="summary",verdict="kept"} 2`,
		`alexa_brief_llm_claims_total{use="summary",verdict="dropped"} 1`,
	} {
		if !strings.Contains(got, w) {
			t.Errorf("/metrics lacks %s", w)
		}
	}
}

func TestModelReachable(t *testing.T) {
	m := New("dev", "")
	var up atomic.Bool
	if err := m.ModelReachable(up.Load); err != nil {
		t.Fatal(err)
	}
	for _, v := range []bool{false, true, false} {
		up.Store(v)
		want := `alexa_brief_llm_reachable 0`
		if v {
			want = `alexa_brief_llm_reachable 1`
		}
		if got := scrape(t, m); !strings.Contains(got, want) {
			t.Errorf("reachable %v: /metrics lacks %s", v, want)
		}
	}
	if err := m.ModelReachable(up.Load); err == nil {
		t.Error("registering llm_reachable twice: no error")
	}
}
