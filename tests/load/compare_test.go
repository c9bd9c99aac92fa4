package load

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The floor comparison: `serve` answering only `brief`, then only `ask`,
// against the floor (tests/load/floor), a separate process that verifies
// the Slack signature and returns a constant reply of the same size. Both
// get the same requests from the same client at the same concurrency, in
// the same run, so the ratio of their throughputs is what the bot's own
// work costs, whatever the machine and the neighbours do. The generator
// shares the cores with the server in both cases, which costs both alike.
//
// The floor is a separate binary rather than a handler in the test
// process: in process it would share the generator's scheduler and heap
// (and its garbage collections), which serve does not, and the two would
// not be measured alike.

var (
	compareLevels   = flag.String("load.compare", "32", "concurrency levels of the floor comparison, comma-separated (empty: none)")
	compareDuration = flag.Duration("load.compare-duration", 15*time.Second, "time per phase of the floor comparison")
	compareCommands = flag.String("load.compare-commands", "brief,ask", "commands of the floor comparison, comma-separated")
)

// phase is one measured phase of the comparison.
type phase struct {
	name   string
	server string // "floor" or "serve"
	bytes  int    // reply size
	l      level
}

// runCompare measures floor and serve at concurrency c on brief-only and
// ask-only traffic, alternating floor and serve.
func runCompare(t *testing.T, bin, floorBin string, c int, qs []question) []phase {
	t.Helper()
	tg := newTarget(t)
	srv := startServe(t, bin, tg, serveEnv()...)
	client := newClient(c)
	defer client.CloseIdleConnections()
	briefJobs, askJobs := only(200000, qs, "slack brief"), only(200000, qs, "slack ask")

	// The replies the floor sends: the bot's own brief, and the ask reply
	// closest to the mean size over the questions (each asked by a user of
	// its own, so the history of the measured users stays untouched).
	brief := reply(t, client, tg, job{kind: briefJobs[0].kind, user: users})
	var asks [][]byte
	total := 0
	for i := range qs {
		b := reply(t, client, tg, job{kind: askJobs[0].kind, q: &qs[i], user: users + 1 + i})
		asks = append(asks, b)
		total += len(b)
	}
	mean := total / len(asks)
	ask := asks[0]
	for _, b := range asks {
		if abs(len(b)-mean) < abs(len(ask)-mean) {
			ask = b
		}
	}
	pid := srv.cmd.Process.Pid
	var out []phase
	for _, p := range []struct {
		name string
		body []byte
		jobs []job
	}{{"brief", brief, briefJobs}, {"ask", ask, askJobs}} {
		if !slices.Contains(strings.Split(*compareCommands, ","), p.name) {
			continue
		}
		fl := startFloor(t, floorBin, p.body)
		base := tg.base
		tg.base = fl.base
		l, _ := measure(t, client, tg, fl.cmd.Process.Pid, c, p.jobs, math.MaxInt, *compareDuration, sampled(floorCheck(p.body)))
		client.CloseIdleConnections()
		if err := fl.stop(t); err != nil {
			t.Errorf("floor exit: %v\n%s", err, fl.logs)
		}
		tg.base = base
		out = append(out, phase{p.name, "floor", len(p.body), l})
		l, _ = measure(t, client, tg, pid, c, p.jobs, math.MaxInt, *compareDuration, sampled(check))
		client.CloseIdleConnections()
		out = append(out, phase{p.name, "serve", len(p.body), l})
	}
	if err := srv.stop(t); err != nil {
		t.Errorf("serve exit: %v\n%s", err, srv.logs)
	}
	if n := srv.logs.errorLines(); n > 0 {
		t.Errorf("%d ERROR lines in the server log\n%s", n, srv.logs)
	}
	return out
}

// only is n jobs of one kind of the mix, users drawn with a fixed seed.
func only(n int, qs []question, name string) []job {
	var k *kind
	for i := range mix {
		if mix[i].name == name {
			k = &mix[i]
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	jobs := make([]job, n)
	for i := range jobs {
		jobs[i] = job{kind: k, user: r.IntN(users)}
		if k.sub == "ask" {
			jobs[i].q = &qs[r.IntN(len(qs))]
		}
	}
	return jobs
}

// reply sends j once and returns the body of its (checked) reply.
func reply(t *testing.T, client *http.Client, tg *target, j job) []byte {
	t.Helper()
	req, _, err := tg.request(j)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res, why := check(j, resp.StatusCode, body); res != answered {
		t.Fatalf("%s: %s", j.kind.name, why)
	}
	return body
}

// floorCheck checks a floor reply as check checks serve's: the same JSON
// decoding and walk (so the generator does the same work for both), and
// the body must be the constant.
func floorCheck(want []byte) checker {
	return func(j job, status int, body []byte) (outcome, string) {
		if status != http.StatusOK {
			return failed, fmt.Sprintf("status %d: %.200s", status, body)
		}
		var p struct {
			Text   string `json:"text"`
			Blocks any    `json:"blocks"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			return failed, fmt.Sprintf("bad JSON: %v", err)
		}
		if all := strings.Join(strings_(p.Blocks, []string{p.Text}), "\n"); all == "" || !bytes.Equal(body, want) {
			return failed, "not the floor's reply"
		}
		return answered, ""
	}
}

// fullEvery is how often a reply of the comparison is checked in full;
// the others get the quick check. Decoding every reply into a generic
// JSON value cost the generator 2.5 times what the floor server spends on
// a request, which would hide most of the difference between floor and
// bot behind the generator's own work.
const fullEvery = 16

// sampled checks every fullEvery-th reply with full and the others
// quickly: status 200, the bot's JSON reply (an ephemeral Slack
// response), no failure text and no deferral. A wrong reply of the right
// shape is still caught, by the full checks, as soon as it is common.
func sampled(full checker) checker {
	var n atomic.Int64
	return func(j job, status int, body []byte) (outcome, string) {
		if n.Add(1)%fullEvery == 0 {
			return full(j, status, body)
		}
		switch {
		case status != http.StatusOK:
			return failed, fmt.Sprintf("status %d: %.200s", status, body)
		case !bytes.HasPrefix(body, slackReplyPrefix):
			return failed, fmt.Sprintf("not a slash command reply: %.200s", body)
		case bytes.Contains(body, []byte("Sorry")):
			return failed, fmt.Sprintf("a failure reply: %.200s", body)
		case bytes.Contains(body[:min(len(body), 80)], []byte(workingText)):
			return deferred, ""
		}
		return answered, ""
	}
}

var slackReplyPrefix = []byte(`{"response_type":"ephemeral","text":"`)

// startFloor starts the floor binary answering with body.
func startFloor(t *testing.T, bin string, body []byte) *proc {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "reply.json")
	if err := os.WriteFile(file, body, 0o600); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	return startProc(t, bin, []string{"-addr", addr, "-reply", file},
		[]string{"PATH=" + os.Getenv("PATH"), "SLACK_SIGNING_SECRET=" + slackSecret}, addr)
}

// compareTable formats the comparison as the Markdown table of BENCHMARKS.md.
func compareTable(ps []phase) string {
	var b strings.Builder
	b.WriteString("| concurrency | command | server | reply bytes | requests | req/s | ratio to floor | p50 | p90 | p99 | max | errors | deferred | server CPU/req | generator CPU/req | server VmHWM |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	var floor float64
	for _, p := range ps {
		rate := float64(p.l.requests) / p.l.elapsed.Seconds()
		ratio := "1"
		if p.server == "floor" {
			floor = rate
		} else if floor > 0 {
			ratio = fmt.Sprintf("%.2f", rate/floor)
		}
		n := time.Duration(max(1, p.l.requests))
		fmt.Fprintf(&b, "| %d | %s | %s | %d | %d | %.0f | %s | %s | %s | %s | %s | %d | %d | %s | %s | %.1f MiB |\n",
			p.l.concurrency, p.name, p.server, p.bytes, p.l.requests, rate, ratio,
			ms(p.l.quantile(0.50)), ms(p.l.quantile(0.90)), ms(p.l.quantile(0.99)), ms(p.l.quantile(1)),
			p.l.errors, p.l.deferred, us(p.l.serverCPU/n), us(p.l.clientCPU/n), float64(p.l.peakRSS)/1024)
	}
	return b.String()
}

func us(d time.Duration) string { return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond)) }

func abs(n int) int { return max(n, -n) }
