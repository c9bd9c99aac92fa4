// Package replicas proves the delivery guarantee with real processes: three
// alexa-brief binaries share one PostgreSQL and post 200 digests due at the
// same instant to a fake Slack API; one is stopped mid-run (SIGKILL for
// `digest run` processes, SIGTERM for `serve` replicas) and restarted; every
// slot must reach the fake API exactly once.
//
//	go test ./tests/replicas
//
// PostgreSQL comes from ALEXA_BRIEF_TEST_POSTGRES or the local binaries
// (internal/pgtest); without either the test skips and says how to enable it.
package replicas

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/postgres"
	"github.com/alexa-brief/alexa-brief/adapters/slack/slacktest"
	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const (
	subscriptions = 200
	replicas      = 3
	// lease is short so the test need not wait minutes for the killed
	// replica's claims to expire, and long enough for a post queued behind
	// the workspace rate limit (32 workers at 5 messages/s: about 7 s).
	lease = 20 * time.Second
)

var slot = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// replica is one running `alexa-brief digest run`.
type replica struct {
	name string
	cmd  *exec.Cmd
	out  bytes.Buffer
	done chan error
}

func start(t *testing.T, bin, name string, env []string) *replica {
	t.Helper()
	r := &replica{name: name, done: make(chan error, 1)}
	r.cmd = exec.Command(bin, "digest", "run", "--now", slot.Add(10*time.Second).Format(time.RFC3339), "--lease", lease.String())
	r.cmd.Env = env
	r.cmd.Stdout = &r.out
	r.cmd.Stderr = &r.out
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("%s: start: %v", name, err)
	}
	go func() { r.done <- r.cmd.Wait() }()
	return r
}

// summary is the replica's "digest run: …" line.
func (r *replica) summary() string {
	sc := bufio.NewScanner(bytes.NewReader(r.out.Bytes()))
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "digest run: ") {
			return sc.Text()
		}
	}
	return ""
}

// setup gives each replica test the binary, a fresh PostgreSQL database
// with a store on it, and the fake Slack behind a proxy whose answer to
// each post comes back late, after the message is in the channel: a kill
// or a stop lands between posting and recording for the posts in flight,
// the case a takeover must not double.
func setup(t *testing.T) (bin, dbURL string, st *postgres.Store, fake *slacktest.Server, api string) {
	t.Helper()
	dbURL = pgtest.URL(t)
	bin = build(t)
	fake = slacktest.New(slacktest.Options{})
	t.Cleanup(fake.Close)
	api = slowAnswers(t, fake.URL(), 300*time.Millisecond)
	st, err := postgres.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return bin, dbURL, st, fake, api
}

func TestReplicasKilledMidRunPostEachSlotOnce(t *testing.T) {
	ctx := context.Background()
	bin, dbURL, st, fake, api := setup(t)
	for i := range subscriptions {
		sc := bot.Scope{Platform: bot.PlatformSlack, Team: slacktest.DefaultTeam, Channel: fmt.Sprintf("C%04d", i)}
		if _, err := st.PutSubscription(ctx, bot.Subscription{Scope: sc, Schedule: "daily 09:00", CreatedAt: slot.Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{
		"DATABASE_URL=" + dbURL,
		"SLACK_BOT_TOKEN=" + slacktest.DefaultToken,
		"SLACK_API_URL=" + api,
		"LOG_LEVEL=warn",
		"PATH=" + os.Getenv("PATH"),
	}

	var rs []*replica
	for i := range replicas {
		rs = append(rs, start(t, bin, fmt.Sprintf("replica-%d", i), env))
	}
	// Kill replica-0 once a fifth of the digests are out.
	victim := rs[0]
	for len(fake.Messages()) < subscriptions/5 {
		select {
		case err := <-victim.done:
			t.Fatalf("replica-0 ended before the kill (%v):\n%s", err, victim.out.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	if err := victim.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-victim.done
	killedAt := len(fake.Messages())
	// Restart it at once: the dead process's claims are still leased.
	restarted := start(t, bin, "replica-0-restarted", env)
	for _, r := range append(rs[1:], restarted) {
		if err := <-r.done; err != nil {
			t.Errorf("%s: %v\n%s", r.name, err, r.out.String())
		}
		t.Logf("%s: %s", r.name, r.summary())
	}
	claimed := ledger(t, st)[bot.StateClaimed]
	t.Logf("killed replica-0 with %d messages at the fake; %d claims it held outlived it", killedAt, claimed)

	// Once the leases expire, a later run takes the dead replica's slots
	// over: it checks Slack for each before posting.
	before, histories := len(fake.Messages()), fake.Calls("conversations.history")
	for round := 1; ledger(t, st)[bot.StateClaimed] > 0; round++ {
		if round > 5 {
			t.Fatalf("claims still held after %d takeover rounds: %v", round-1, ledger(t, st))
		}
		time.Sleep(lease + 500*time.Millisecond)
		r := start(t, bin, fmt.Sprintf("takeover-%d", round), env)
		if err := <-r.done; err != nil {
			t.Errorf("%s: %v\n%s", r.name, err, r.out.String())
		}
		t.Logf("%s: %s", r.name, r.summary())
	}

	if claimed > 0 {
		newPosts := len(fake.Messages()) - before
		t.Logf("takeover: %d slots, %d history checks, %d posted now, %d found already posted by the killed replica",
			claimed, fake.Calls("conversations.history")-histories, newPosts, claimed-newPosts)
		if fake.Calls("conversations.history") == histories {
			t.Errorf("takeover posted without checking Slack history first")
		}
	}

	checkExactlyOnce(t, fake, st)
}

// checkExactlyOnce asserts one digest (first part) per channel at the fake,
// told apart by the slot metadata the adapter attaches, and a posted
// ledger row for every subscription.
func checkExactlyOnce(t *testing.T, fake *slacktest.Server, st bot.Store) {
	t.Helper()
	perChannel := map[string]map[string]int{}
	for _, m := range fake.Messages() {
		if m.Metadata == nil {
			t.Errorf("message in %s without slot metadata", m.Channel)
			continue
		}
		if p, ok := m.Metadata.EventPayload["part"]; ok && fmt.Sprint(p) != "1" {
			continue
		}
		if perChannel[m.Channel] == nil {
			perChannel[m.Channel] = map[string]int{}
		}
		perChannel[m.Channel][fmt.Sprint(m.Metadata.EventPayload["slot"])]++
	}
	dups, lost := 0, 0
	for i := range subscriptions {
		ch := fmt.Sprintf("C%04d", i)
		keys := perChannel[ch]
		switch {
		case len(keys) == 0:
			lost++
			t.Errorf("%s: no digest", ch)
		case len(keys) > 1:
			t.Errorf("%s: digests for several slots: %v", ch, keys)
		}
		for k, n := range keys {
			if n > 1 {
				dups += n - 1
				t.Errorf("%s: slot %s posted %d times", ch, k, n)
			}
		}
	}
	states := ledger(t, st)
	if states[bot.StatePosted] != subscriptions {
		t.Errorf("ledger = %v, want %d posted", states, subscriptions)
	}
	t.Logf("fake API: %d messages, %d duplicates, %d lost; ledger %v", len(fake.Messages()), dups, lost, states)
}

// slowAnswers is a proxy to the fake API at target that holds every
// chat.postMessage answer for delay after the fake has accepted the message.
func slowAnswers(t *testing.T, target string, delay time.Duration) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: u.Scheme, Host: u.Host})
	proxy.ModifyResponse = func(r *http.Response) error {
		if strings.HasSuffix(r.Request.URL.Path, "/chat.postMessage") {
			time.Sleep(delay)
		}
		return nil
	}
	srv := httptest.NewServer(proxy)
	t.Cleanup(srv.Close)
	return srv.URL + u.Path
}

// ledger counts the subscriptions' newest rows by state.
func ledger(t *testing.T, st bot.Store) map[bot.DeliveryState]int {
	t.Helper()
	subs, err := st.Subscriptions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[bot.DeliveryState]int{}
	for _, s := range subs {
		d, err := st.LastDelivery(context.Background(), s.ID)
		if err != nil {
			out["none"]++
			continue
		}
		out[d.State]++
	}
	return out
}

// build compiles the real binary into t's temporary folder (the Go build
// cache makes the second build of a run a link only).
func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "alexa-brief")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/alexa-brief/alexa-brief/cmd/alexa-brief").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// Three `alexa-brief serve` replicas (the scheduler running on real time)
// wake at the same minute with 200 digests due. One gets SIGTERM mid-run
// and is restarted: it finishes the posts in flight, releases the claims it
// had not started, and exits 0; the others and its successor post the rest.
func TestReplicasServeDrainAndRestart(t *testing.T) {
	ctx := context.Background()
	bin, dbURL, st, fake, api := setup(t)
	// Due at the next minute that leaves the replicas time to start.
	due := time.Now().UTC().Truncate(time.Minute).Add(time.Minute)
	if time.Until(due) < 15*time.Second {
		due = due.Add(time.Minute)
	}
	spec := fmt.Sprintf("%d %d * * *", due.Minute(), due.Hour())
	for i := range subscriptions {
		sc := bot.Scope{Platform: bot.PlatformSlack, Team: slacktest.DefaultTeam, Channel: fmt.Sprintf("C%04d", i)}
		if _, err := st.PutSubscription(ctx, bot.Subscription{Scope: sc, Schedule: spec, CreatedAt: due.Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	serve := func(name string) *replica {
		r := &replica{name: name, done: make(chan error, 1)}
		r.cmd = exec.Command(bin, "serve", "--addr", "127.0.0.1:0")
		r.cmd.Env = []string{
			"DATABASE_URL=" + dbURL,
			"SLACK_BOT_TOKEN=" + slacktest.DefaultToken,
			"SLACK_SIGNING_SECRET=test-signing-secret",
			"SLACK_API_URL=" + api,
			"LOG_LEVEL=warn",
			"PATH=" + os.Getenv("PATH"),
		}
		r.cmd.Stdout, r.cmd.Stderr = &r.out, &r.out
		if err := r.cmd.Start(); err != nil {
			t.Fatalf("%s: start: %v", name, err)
		}
		go func() { r.done <- r.cmd.Wait() }()
		t.Cleanup(func() {
			if r.cmd.ProcessState == nil {
				r.cmd.Process.Kill()
				<-r.done
			}
		})
		return r
	}
	var rs []*replica
	for i := range replicas {
		rs = append(rs, serve(fmt.Sprintf("serve-%d", i)))
	}
	t.Logf("200 digests due at %s", due.Format(time.RFC3339))
	for len(fake.Messages()) < subscriptions/5 {
		time.Sleep(10 * time.Millisecond)
	}
	if err := rs[0].cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := <-rs[0].done; err != nil {
		t.Errorf("serve-0 after SIGTERM: %v, want exit 0\n%s", err, rs[0].out.String())
	}
	t.Logf("serve-0 drained with %d messages at the fake", len(fake.Messages()))
	rs[0] = serve("serve-0-restarted")
	for ledger(t, st)[bot.StatePosted] < subscriptions {
		time.Sleep(50 * time.Millisecond)
	}
	// Let any duplicate that was on its way arrive before counting.
	time.Sleep(time.Second)
	for _, r := range rs {
		r.cmd.Process.Signal(syscall.SIGTERM)
		if err := <-r.done; err != nil {
			t.Errorf("%s after SIGTERM: %v, want exit 0\n%s", r.name, err, r.out.String())
		}
	}
	checkExactlyOnce(t, fake, st)
}
