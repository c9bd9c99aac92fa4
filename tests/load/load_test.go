// Package load measures `alexa-brief serve` under load: the real binary on
// 127.0.0.1, signed Slack slash commands and Discord interactions at a few
// concurrency levels, with the fake Slack and Discord APIs
// (adapters/slack/slacktest, adapters/discord/discordtest) behind it for
// the answers that go out through the platforms' APIs.
//
//	go test ./tests/load -run TestLoad -v -timeout 30m -args -load
//
// At -load.compare levels (default 32) it first measures serve on
// brief-only and ask-only traffic against the floor (tests/load/floor,
// compare_test.go), a server that only verifies the signature.
//
// It is a benchmark, not a test: without -load it skips, so `go test ./...`
// only compiles it; so does TestFlood (flood_test.go) without -flood.
// BenchmarkHandle (handle_bench_test.go) measures the bot core alone,
// BenchmarkSlackCommand the Slack handler in process. See BENCHMARKS.md for
// the figures.
package load

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/discord/discordtest"
	"github.com/alexa-brief/alexa-brief/adapters/slack/slacktest"
	"github.com/alexa-brief/alexa-brief/briefs"
)

var (
	runLoad     = flag.Bool("load", false, "run the load benchmark of `serve` (TestLoad)")
	maxRequests = flag.Int("load.requests", 20000, "requests per concurrency level, at most")
	maxDuration = flag.Duration("load.duration", 60*time.Second, "time per concurrency level, at most")
	levelsFlag  = flag.String("load.levels", "1,8,32,64", "concurrency levels, comma-separated")
	loadEnv     = flag.String("load.env", "", "extra environment of serve in the comparison and the mixed run, comma-separated (for example GOGC=100)")
)

// platformLimit is the time Slack and Discord give an HTTP endpoint to
// answer before the user sees a failure.
const platformLimit = 3 * time.Second

// maxWait bounds waits for the child process (start, drain). It only
// decides when to give up.
const maxWait = 2 * time.Minute

// level is what one concurrency level measured.
type level struct {
	concurrency int
	requests    int
	elapsed     time.Duration
	latencies   []time.Duration // sorted
	deferred    int             // acknowledged, answer sent later through the API
	errors      int
	over        int           // responses slower than platformLimit
	serverCPU   time.Duration // user+system of serve during the run
	clientCPU   time.Duration // the load generator and the fakes (this process)
	peakRSS     int64         // serve's VmHWM in KiB, at the end of the run
	rss         int64         // serve's VmRSS in KiB, at the end of the run
	perKind     map[string]int
}

func (l level) quantile(q float64) time.Duration {
	if len(l.latencies) == 0 {
		return 0
	}
	i := int(q*float64(len(l.latencies))+0.5) - 1
	return l.latencies[max(0, min(i, len(l.latencies)-1))]
}

func TestLoad(t *testing.T) {
	if !*runLoad {
		t.Skip("a benchmark: run with -args -load (see BENCHMARKS.md)")
	}
	levels := parseLevels(t, "-load.levels", *levelsFlag)
	compare := parseLevels(t, "-load.compare", *compareLevels)
	corpus, err := briefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	qs, err := loadQuestions(corpus)
	if err != nil {
		t.Fatal(err)
	}
	onTopic, answeredN := 0, 0
	for _, q := range qs {
		if q.inCorpus {
			onTopic++
		}
		if corpus.Ask(q.text).Answered {
			answeredN++
		}
	}
	t.Logf("%d questions (%d on the story, %d off topic); Ask answers %d, declines %d",
		len(qs), onTopic, len(qs)-onTopic, answeredN, len(qs)-answeredN)
	bin := buildBinary(t, "cmd/alexa-brief")
	jobs := plan(*maxRequests, qs)
	t.Logf("machine: %s, GOMAXPROCS of the generator %d", machine(), numCPU())
	if len(compare) > 0 {
		floorBin := buildBinary(t, "tests/load/floor")
		var ps []phase
		for _, c := range compare {
			ps = append(ps, runCompare(t, bin, floorBin, c, qs)...)
		}
		t.Logf("floor comparison, %s per phase:\n%s", *compareDuration, compareTable(ps))
	}

	var results []level
	for _, c := range levels {
		l := runLevel(t, bin, c, jobs)
		results = append(results, l)
		t.Logf("concurrency %d: %d requests in %s", c, l.requests, l.elapsed.Round(time.Millisecond))
	}
	if len(results) > 0 {
		t.Logf("mixed traffic:\n%s", table(results))
	}
	for _, l := range results {
		if l.errors > 0 {
			t.Errorf("concurrency %d: %d errors", l.concurrency, l.errors)
		}
		// The promise measured: every platform request answered within the
		// platform's limit. Reported, not asserted: timings on a shared
		// machine are figures for BENCHMARKS.md, never a test verdict.
		if l.over > 0 {
			t.Logf("MISSED the promise: concurrency %d: %d responses over %s", l.concurrency, l.over, platformLimit)
		}
	}
}

// parseLevels reads a comma-separated list of concurrency levels.
func parseLevels(t *testing.T, name, s string) []int {
	t.Helper()
	var levels []int
	for _, f := range strings.Split(s, ",") {
		if strings.TrimSpace(f) == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			t.Fatalf("%s: bad level %q", name, f)
		}
		levels = append(levels, n)
	}
	return levels
}

// buildBinary builds a command of the module as a release would
// (CGO_ENABLED=0).
func buildBinary(t *testing.T, pkg string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), filepath.Base(pkg))
	build := exec.Command("go", "build", "-o", bin, "github.com/alexa-brief/alexa-brief/"+pkg)
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// proc is a server the test started: serve or the floor.
type proc struct {
	cmd  *exec.Cmd
	base string
	logs *serverLog
}

// startProc starts bin listening on addr and waits for its /readyz.
func startProc(t *testing.T, bin string, args, env []string, addr string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), base: "http://" + addr, logs: newServerLog(t)}
	p.cmd.Env = env
	p.cmd.Stderr = p.logs.f
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			_ = p.cmd.Wait()
		}
	})
	waitReady(t, p.base, p.logs)
	return p
}

// stop sends SIGTERM and waits for the exit: serve finishes the answers
// still going out, then exits 0.
func (p *proc) stop(t *testing.T) error {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(maxWait):
		t.Fatalf("%s did not exit within %s of SIGTERM\n%s", filepath.Base(p.cmd.Path), maxWait, p.logs)
	}
	return nil
}

// fakes are the platform APIs behind serve and the target that signs
// requests for it.
func newTarget(t *testing.T) *target {
	t.Helper()
	slackAPI := slacktest.New(slacktest.Options{})
	t.Cleanup(slackAPI.Close)
	discordAPI := discordtest.New(discordtest.Options{})
	t.Cleanup(discordAPI.Close)
	seed, _ := hex.DecodeString(discordSeed)
	var seq atomic.Int64
	return &target{slack: slackAPI, discord: discordAPI, key: ed25519.NewKeyFromSeed(seed), appID: discordAPI.AppID(), seq: func() int64 { return seq.Add(1) }}
}

// serveEnv is -load.env as a list.
func serveEnv() []string { return envList(*loadEnv) }

// envList splits a comma-separated list of KEY=value.
func envList(s string) []string {
	var env []string
	for _, kv := range strings.Split(s, ",") {
		if kv != "" {
			env = append(env, kv)
		}
	}
	return env
}

// startServe starts `alexa-brief serve` with a fresh database, configured
// for tg's fakes, and points tg at it.
func startServe(t *testing.T, bin string, tg *target, extraEnv ...string) *proc {
	t.Helper()
	return startServeDB(t, bin, tg, filepath.Join(t.TempDir(), "load.db"), extraEnv...)
}

func startServeDB(t *testing.T, bin string, tg *target, db string, extraEnv ...string) *proc {
	t.Helper()
	addr := freeAddr(t)
	env := []string{
		"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH"),
		"ALEXA_BRIEF_ADDR=" + addr, "DATABASE_URL=" + db,
		"LOG_FORMAT=json", "LOG_LEVEL=info",
		"SLACK_SIGNING_SECRET=" + slackSecret, "SLACK_BOT_TOKEN=" + slacktest.DefaultToken, "SLACK_API_URL=" + tg.slack.URL(),
		// No bot token: interactions only, no gateway. The API URL is
		// where deferred answers and follow-ups go.
		"DISCORD_PUBLIC_KEY=" + discordPub, "DISCORD_APP_ID=" + tg.appID, "DISCORD_API_URL=" + tg.discord.URL(),
	}
	p := startProc(t, bin, []string{"serve"}, append(env, extraEnv...), addr)
	tg.base = p.base
	return p
}

// runLevel starts a fresh serve with its own database and fakes, sends
// jobs from c workers until they run out or maxDuration passes, and stops
// the server.
func runLevel(t *testing.T, bin string, c int, jobs []job) level {
	t.Helper()
	tg := newTarget(t)
	srv := startServe(t, bin, tg, serveEnv()...)
	client := newClient(c)
	defer client.CloseIdleConnections()
	// One of each kind first, outside the measurement: it checks that the
	// replies are right before thousands are timed.
	for i := range mix {
		j := job{kind: &mix[i]}
		if mix[i].sub == "ask" {
			for _, q := range jobs {
				if q.q != nil {
					j.q = q.q
					break
				}
			}
		}
		if _, res, why, _ := send(client, tg, j, check); res == failed {
			t.Fatalf("warm-up %s: %s\n%s", mix[i].name, why, srv.logs)
		}
	}
	l, pending := measure(t, client, tg, srv.cmd.Process.Pid, c, jobs, len(jobs), *maxDuration, check)
	if err := srv.stop(t); err != nil {
		t.Errorf("serve exit after concurrency %d: %v\n%s", c, err, srv.logs)
	}
	// Every acknowledged request got its answer through the API before
	// serve exited.
	if lost := unanswered(tg.slack, tg.discord, pending); len(lost) > 0 {
		t.Errorf("concurrency %d: %d of %d deferred answers never arrived, e.g. %s", c, len(lost), len(pending), lost[0])
	}
	if n := srv.logs.errorLines(); n > 0 {
		t.Errorf("concurrency %d: %d ERROR lines in the server log\n%s", c, n, srv.logs)
	}
	return l
}

func newClient(c int) *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConns: c, MaxIdleConnsPerHost: c, MaxConnsPerHost: c}}
}

// checker classifies a response to a job.
type checker func(j job, status int, body []byte) (outcome, string)

// measure sends jobs (cycling through them) from c workers until limit
// requests are sent or d has passed, and reads pid's CPU and memory.
func measure(t *testing.T, client *http.Client, tg *target, pid, c int, jobs []job, limit int, d time.Duration, chk checker) (level, []deferredRef) {
	t.Helper()
	cpu0, err := procCPU(pid)
	if err != nil {
		t.Fatal(err)
	}
	self0 := selfCPU()
	var (
		next     atomic.Int64
		mu       sync.Mutex
		l        = level{concurrency: c, perKind: map[string]int{}}
		firstErr []string
		pending  []deferredRef
	)
	start := time.Now()
	stop := start.Add(d)
	var wg sync.WaitGroup
	for range c {
		wg.Go(func() {
			var lat []time.Duration
			kinds := map[string]int{}
			var deferredN, errs, over int
			var why []string
			var refs []deferredRef
			for time.Now().Before(stop) {
				i := next.Add(1) - 1
				if i >= int64(limit) {
					break
				}
				j := jobs[i%int64(len(jobs))]
				d, res, w, ref := send(client, tg, j, chk)
				lat = append(lat, d)
				kinds[j.kind.name]++
				if d > platformLimit {
					over++
				}
				switch res {
				case deferred:
					deferredN++
					refs = append(refs, deferredRef{j.kind.platform, ref})
				case failed:
					errs++
					if len(why) < 3 {
						why = append(why, w)
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			l.latencies = append(l.latencies, lat...)
			l.deferred += deferredN
			l.errors += errs
			l.over += over
			for k, n := range kinds {
				l.perKind[k] += n
			}
			firstErr = append(firstErr, why...)
			pending = append(pending, refs...)
		})
	}
	wg.Wait()
	l.elapsed = time.Since(start)
	cpu1, err := procCPU(pid)
	if err != nil {
		t.Fatal(err)
	}
	l.serverCPU = cpu1 - cpu0
	l.clientCPU = selfCPU() - self0
	l.requests = len(l.latencies)
	slices.Sort(l.latencies)
	if l.peakRSS, l.rss, err = procMem(pid); err != nil {
		t.Fatal(err)
	}
	for _, w := range firstErr {
		t.Logf("concurrency %d: error: %s", c, w)
	}
	return l, pending
}

// send sends j and reads the whole response: the latency is what the
// platform would wait for, from the request leaving to the last byte.
func send(client *http.Client, tg *target, j job, chk checker) (d time.Duration, res outcome, why, ref string) {
	req, ref, err := tg.request(j)
	if err != nil {
		return 0, failed, err.Error(), ref
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return time.Since(start), failed, err.Error(), ref
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	d = time.Since(start)
	if err != nil {
		return d, failed, err.Error(), ref
	}
	res, why = chk(j, resp.StatusCode, body)
	return d, res, why, ref
}

// deferredRef is where a deferred answer should land.
type deferredRef struct{ platform, ref string }

// unanswered returns the deferred requests whose answer is not at the fake
// API: no post to the Slack response_url, no edit of the Discord
// interaction's @original.
func unanswered(slackAPI *slacktest.Server, discordAPI *discordtest.Server, refs []deferredRef) []string {
	got := map[string]bool{}
	for _, m := range slackAPI.Messages() {
		if m.ResponseURL != "" {
			got[m.ResponseURL] = true
		}
	}
	for _, w := range discordAPI.Webhooks() {
		if w.Method == http.MethodPatch && w.Target == "@original" {
			got[w.Token] = true
		}
	}
	var lost []string
	for _, r := range refs {
		if !got[r.ref] {
			lost = append(lost, r.platform+" "+r.ref)
		}
	}
	return lost
}

// waitReady waits until /readyz answers 200.
func waitReady(t *testing.T, base string, logs *serverLog) {
	t.Helper()
	deadline := time.Now().Add(maxWait)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve not ready after %s: %v\n%s", maxWait, err, logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// freeAddr returns a loopback address nothing listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat times: 100 on
// every Linux architecture Go supports.
const clockTicks = 100

// procCPU is the user+system CPU time of pid so far.
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("load: %w", err)
	}
	// Fields after the command name, which is in parentheses and may hold spaces.
	i := bytes.LastIndexByte(b, ')')
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("load: short /proc/%d/stat", pid)
	}
	// f[0] is field 3 (state): utime is field 14, stime field 15.
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("load: /proc/%d/stat: bad times", pid)
	}
	return time.Duration(ut+st) * time.Second / clockTicks, nil
}

// procMem reads VmHWM (peak resident set) and VmRSS of pid, in KiB.
func procMem(pid int) (hwm, rss int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, fmt.Errorf("load: %w", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		name, v, ok := strings.Cut(line, ":")
		if !ok || (name != "VmHWM" && name != "VmRSS") {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("load: %s: %w", name, err)
		}
		if name == "VmHWM" {
			hwm = n
		} else {
			rss = n
		}
	}
	if hwm == 0 {
		return 0, 0, fmt.Errorf("load: no VmHWM in /proc/%d/status", pid)
	}
	return hwm, rss, nil
}

// selfCPU is this process's user+system CPU time so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// machine describes the CPU the figures come from.
func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	load := ""
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		load = ", load average " + strings.Join(strings.Fields(string(b))[:3], " ")
	}
	return fmt.Sprintf("%d CPUs, %s%s", numCPU(), model, load)
}

// table formats the levels as the Markdown table of BENCHMARKS.md.
func table(ls []level) string {
	var b strings.Builder
	b.WriteString("| concurrency | requests | req/s | p50 | p90 | p99 | max | errors | deferred | over 3 s | serve CPU | CPU/req | generator CPU | serve VmHWM | serve VmRSS |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, l := range ls {
		rate := float64(l.requests) / l.elapsed.Seconds()
		perReq := time.Duration(0)
		if l.requests > 0 {
			perReq = l.serverCPU / time.Duration(l.requests)
		}
		fmt.Fprintf(&b, "| %d | %d | %.0f | %s | %s | %s | %s | %d | %d | %d (%.2f%%) | %.1f s | %s | %.1f s | %.1f MiB | %.1f MiB |\n",
			l.concurrency, l.requests, rate, ms(l.quantile(0.50)), ms(l.quantile(0.90)), ms(l.quantile(0.99)), ms(l.quantile(1)),
			l.errors, l.deferred, l.over, 100*float64(l.over)/float64(max(1, l.requests)),
			l.serverCPU.Seconds(), ms(perReq), l.clientCPU.Seconds(), float64(l.peakRSS)/1024, float64(l.rss)/1024)
	}
	if len(ls) > 0 {
		b.WriteString("\nrequests per kind at the last level:")
		keys := make([]string, 0, len(ls[len(ls)-1].perKind))
		for k := range ls[len(ls)-1].perKind {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, " %s %d,", k, ls[len(ls)-1].perKind[k])
		}
	}
	return strings.TrimSuffix(b.String(), ",")
}

// ms formats d in milliseconds with a precision that suits its size.
func ms(d time.Duration) string {
	f := float64(d) / float64(time.Millisecond)
	switch {
	case f < 10:
		return fmt.Sprintf("%.2f ms", f)
	case f < 100:
		return fmt.Sprintf("%.1f ms", f)
	default:
		return fmt.Sprintf("%.0f ms", f)
	}
}

// serverLog is a server's stderr, written to a file by the server itself:
// a pipe to this process would charge the generator for reading every log
// line, which the bot's real log collector does elsewhere.
type serverLog struct{ f *os.File }

func newServerLog(t *testing.T) *serverLog {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return &serverLog{f}
}

func (l *serverLog) read() []byte {
	b, _ := os.ReadFile(l.f.Name())
	return b
}

// errorLines counts the lines at level ERROR.
func (l *serverLog) errorLines() int { return bytes.Count(l.read(), []byte(`"level":"ERROR"`)) }

// String is the end of the log, for failure messages.
func (l *serverLog) String() string {
	b := l.read()
	if len(b) > 8<<10 {
		b = b[len(b)-8<<10:]
	}
	return string(b)
}

// numCPU is the number of CPUs this process may use.
func numCPU() int { return runtime.NumCPU() }
