package load

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/alexa-brief/alexa-brief/adapters/sqlite" // the driver, to read the outbox
)

// TestFlood is the DM flood: -flood.events signed Events API DMs
// (message.im, each from its own user and DM channel, so Slack's per-channel
// rate limit does not pace the answers, from -flood.teams workspaces) sent
// to `serve` from 32 senders as fast as it acknowledges them. Once every event is acknowledged, serve
// gets SIGTERM with the outbox still full; it drains for its shutdown
// timeout and exits. A second serve on the same database answers the rest.
// Every event must end answered (a reply at the fake Slack API, marked
// with its event id), refused with the busy reply, or counted expired,
// none twice; serve's resident memory is read throughout.
//
//	go test ./tests/load -run TestFlood -v -timeout 30m -args -flood
//
// Like TestLoad it is a benchmark and skips without its flag.
func TestFlood(t *testing.T) {
	if !*runFlood {
		t.Skip("a benchmark: run with -args -flood (see BENCHMARKS.md)")
	}
	bin := buildBinary(t, "cmd/alexa-brief")
	tg := newTarget(t)
	db := filepath.Join(t.TempDir(), "flood.db")
	env := append([]string{"ALEXA_BRIEF_SHUTDOWN_TIMEOUT=" + floodDrain.String()}, envList(*floodEnv)...)
	t.Logf("machine: %s; %d events from %d workspaces; serve with %v", machine(), *floodEvents, *floodTeams, env)

	first := startServeDB(t, bin, tg, db, env...)
	peak := watchRSS(first.cmd.Process.Pid)
	start := time.Now()
	acked, retries := flood(t, tg, *floodEvents, 32)
	sent := time.Since(start)
	afterFlood := len(tg.slack.Messages())
	firstMetrics := scrape(t, first.base)
	stopAt := time.Now()
	if err := first.stop(t); err != nil {
		t.Errorf("first serve: exit %v\n%s", err, first.logs)
	}
	drained := time.Since(stopAt)
	firstPeak := peak()
	atExit := len(tg.slack.Messages())
	left := outboxStates(t, db)

	second := startServeDB(t, bin, tg, db, env...)
	peak2 := watchRSS(second.cmd.Process.Pid)
	restart := time.Now()
	for pendingEvents(t, db) > 0 {
		if time.Since(restart) > maxWait*5 {
			t.Fatalf("outbox not empty %s after the restart: %v", maxWait*5, outboxStates(t, db))
		}
		time.Sleep(200 * time.Millisecond)
	}
	finished := time.Since(restart)
	metrics := scrape(t, second.base)
	if err := second.stop(t); err != nil {
		t.Errorf("second serve: exit %v\n%s", err, second.logs)
	}
	secondPeak := peak2()
	for _, p := range []*proc{first, second} {
		// An event the store could not take in time is left
		// unacknowledged, by design, and the generator retries it as
		// Slack would: counted, not a failure.
		all := bytes.Count(p.logs.read(), []byte(`"level":"ERROR"`))
		notStored := bytes.Count(p.logs.read(), []byte(`event not stored`))
		if all > notStored {
			t.Errorf("%d ERROR lines in a server log\n%s", all-notStored, p.logs)
		}
		if notStored > 0 {
			t.Logf("%d events not stored in time and retried", notStored)
		}
	}

	// Every event accounted for, once.
	replies := map[string]int{}
	busy := 0
	for _, m := range tg.slack.Messages() {
		if m.Metadata == nil {
			continue
		}
		id := strings.TrimPrefix(fmt.Sprint(m.Metadata.EventPayload["slot"]), "event:")
		if strings.Contains(m.Text, "busy right now") {
			busy++
			continue
		}
		replies[id]++
	}
	dup := 0
	for _, n := range replies {
		if n > 1 {
			dup++
		}
	}
	states := outboxStates(t, db)
	t.Logf("%d events acknowledged in %s (%d retried after a non-200); first serve: %d replies when the flood ended (metrics then: %s), %d at its exit %s after SIGTERM, peak RSS %.1f MiB; outbox then %v",
		acked, sent.Round(time.Millisecond), retries, afterFlood, firstMetrics, atExit, drained.Round(time.Millisecond), float64(firstPeak)/1024, left)
	t.Logf("second serve: outbox empty %s after its start, peak RSS %.1f MiB; outbox %v; replies to %d events (%d twice), %d busy replies; metrics: %s",
		finished.Round(time.Millisecond), float64(secondPeak)/1024, states, len(replies), dup, busy, metrics)
	if acked != *floodEvents {
		t.Errorf("%d of %d events acknowledged", acked, *floodEvents)
	}
	if dup > 0 {
		t.Errorf("%d events answered twice", dup)
	}
	if states["done"] != len(replies) {
		t.Errorf("%d events done in the outbox, %d answered at the API", states["done"], len(replies))
	}
	// Refused events (the backlog full) are counted by the first serve,
	// which refused them: a busy reply queued, or dropped when even that
	// queue was full.
	refused := counter(firstMetrics, "busy") + counter(firstMetrics, "dropped")
	t.Logf("accounted: answered %d, expired %d, refused %d (busy replies posted %d, counted busy %d, dropped %d)",
		states["done"], states["expired"], refused, busy, counter(firstMetrics, "busy"), counter(firstMetrics, "dropped"))
	if got := states["done"] + states["expired"] + refused; got != *floodEvents {
		t.Errorf("answered %d + expired %d + refused %d = %d, want %d: some events were neither answered nor counted",
			states["done"], states["expired"], refused, got, *floodEvents)
	}
}

var (
	runFlood    = flag.Bool("flood", false, "run the DM flood benchmark of `serve` (TestFlood)")
	floodEvents = flag.Int("flood.events", 12000, "DM events in the flood")
	floodDrain  = flag.Duration("flood.drain", 5*time.Second, "serve's shutdown timeout (ALEXA_BRIEF_SHUTDOWN_TIMEOUT) in the flood")
	floodTeams  = flag.Int("flood.teams", 100, "workspaces the DMs come from (Slack lets each be answered at 300 messages a minute)")
	floodEnv    = flag.String("flood.env", "", "extra environment of serve in the flood, comma-separated (empty: serve's defaults)")
)

// flood sends n DM events from c senders, each retried as Slack retries
// (up to 3 times) until acknowledged, and returns how many were.
func flood(t *testing.T, tg *target, n, c int) (acked, retries int) {
	t.Helper()
	client := newClient(c)
	defer client.CloseIdleConnections()
	var next, ok, again atomic.Int64
	var wg sync.WaitGroup
	for range c {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				body := dmEvent(i, *floodTeams)
				for try := range 4 {
					status, err := postEvent(client, tg.base, body, try)
					if err == nil && status == http.StatusOK {
						ok.Add(1)
						break
					}
					again.Add(1)
				}
			}
		})
	}
	wg.Wait()
	return int(ok.Load()), int(again.Load())
}

// dmEvent is the event_callback of the i-th DM: a question from user i in
// their DM channel with the bot.
func dmEvent(i, teams int) []byte {
	team := fmt.Sprintf("T%05d", i%teams)
	b, _ := json.Marshal(map[string]any{
		"token": "deprecated", "team_id": team, "api_app_id": "A1", "type": "event_callback",
		"event_id": fmt.Sprintf("Ev%08d", i), "event_time": time.Now().Unix(),
		"event": map[string]any{
			"type": "message", "channel_type": "im", "channel": fmt.Sprintf("D%07d", i), "user": fmt.Sprintf("U%07d", i),
			"text": floodQuestions[i%len(floodQuestions)], "ts": fmt.Sprintf("%d.%06d", time.Now().Unix(), i%1000000),
		},
		"authorizations": []any{map[string]any{"team_id": team, "user_id": "UBOT0001", "is_bot": true}},
	})
	return b
}

var floodQuestions = []string{
	"How much money did the devices unit lose?",
	"Who said the business was a wasted opportunity?",
	"brief",
	"What happened to the smart timer?",
}

func postEvent(client *http.Client, base string, body []byte, try int) (int, error) {
	req, err := http.NewRequest(http.MethodPost, base+"/slack/events", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	now := strconv.FormatInt(time.Now().Unix(), 10)
	m := hmac.New(sha256.New, []byte(slackSecret))
	m.Write([]byte("v0:" + now + ":"))
	m.Write(body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", now)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(m.Sum(nil)))
	if try > 0 {
		req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(try))
		req.Header.Set("X-Slack-Retry-Reason", "http_error")
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// watchRSS samples pid's VmHWM until it exits; the returned function
// gives the last value read, in KiB.
func watchRSS(pid int) func() int64 {
	var last atomic.Int64
	go func() {
		for {
			hwm, _, err := procMem(pid)
			if err != nil {
				return // gone
			}
			last.Store(hwm)
			time.Sleep(20 * time.Millisecond)
		}
	}()
	return func() int64 { return last.Load() }
}

// outboxStates counts the Slack outbox rows by state, read from the file.
func outboxStates(t *testing.T, db string) map[string]int {
	t.Helper()
	d, err := sql.Open("sqlite", db+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	rows, err := d.QueryContext(context.Background(), "SELECT state, count(*) FROM outbox WHERE platform = 'slack' GROUP BY state")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			t.Fatal(err)
		}
		out[s] = n
	}
	return out
}

func pendingEvents(t *testing.T, db string) int {
	st := outboxStates(t, db)
	return st["pending"] + st["claimed"]
}

// scrape returns serve's outbox counters from /metrics.
func scrape(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "alexa_brief_outbox") {
			out = append(out, line)
		}
	}
	return strings.Join(out, "; ")
}

// counter reads alexa_brief_outbox_events_total for outcome from what
// scrape returned (0 when absent).
func counter(metrics, outcome string) int {
	for _, m := range strings.Split(metrics, "; ") {
		if strings.HasPrefix(m, "alexa_brief_outbox_events_total") && strings.Contains(m, `outcome="`+outcome+`"`) {
			f := strings.Fields(m)
			n, _ := strconv.ParseFloat(f[len(f)-1], 64)
			return int(n)
		}
	}
	return 0
}
