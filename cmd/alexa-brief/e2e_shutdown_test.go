package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/slack/slacktest"
	"github.com/alexa-brief/alexa-brief/adapters/sqlite"
	"github.com/alexa-brief/alexa-brief/bot"
)

// SIGTERM while a digest post hangs (the platform does not answer): the
// scheduler cancels the post at the drain deadline and settles its claim,
// and only then does serve close the store and exit. The claim is left to
// expire, not lost or released: the post may have gone out, so the
// takeover asks Slack first.
func TestE2EShutdownWaitsForTheScheduler(t *testing.T) {
	api := slacktest.New(slacktest.Options{})
	defer api.Close()
	api.Inject("chat.postMessage", slacktest.Fault{Delay: time.Hour}, 10) // until the client gives up
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "shutdown.db")
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	sc := bot.Scope{Platform: bot.PlatformSlack, Team: slacktest.DefaultTeam, Channel: "C0DIGEST"}
	// Its first slot was 30 s ago: due at once.
	sub, err := st.PutSubscription(ctx, bot.Subscription{Scope: sc, Schedule: "@every 1m", CreatedAt: time.Now().Add(-90 * time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	env := append(append([]string{}, noPlatformEnv...),
		"SLACK_SIGNING_SECRET="+e2eSlackSecret, "SLACK_BOT_TOKEN="+slacktest.DefaultToken, "SLACK_API_URL="+api.URL(),
		"DATABASE_URL="+db, "ALEXA_BRIEF_SHUTDOWN_TIMEOUT=1s")
	_, cmd, stderr := startServe(t, env...)
	waitUntil(t, "the digest post to start", func() bool { return api.Calls("chat.postMessage") > 0 })
	stopServe(t, cmd, stderr)

	log := stderr.String()
	sched, stopped := strings.Index(log, "scheduler stopped"), strings.LastIndex(log, `"msg":"stopped"`)
	if sched < 0 || stopped < 0 || sched > stopped {
		t.Errorf("serve exited before its scheduler returned (scheduler line at %d, stopped at %d):\n%s", sched, stopped, log)
	}
	st, err = sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	d, err := st.LastDelivery(ctx, sub.ID)
	if err != nil || d.State != bot.StateClaimed || d.Owner == "" {
		t.Errorf("ledger = %+v, %v; want the cut-off post's claim left to expire", d, err)
	}
}
