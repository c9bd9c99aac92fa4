package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/sqlite"
	"github.com/alexa-brief/alexa-brief/bot"
)

// cli runs one invocation against the SQLite file db.
func cli(t *testing.T, db string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := map[string]string{"DATABASE_URL": db, "LOG_LEVEL": "error"}
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb, func(k string) string { return env[k] })
	return code, out.String(), errb.String()
}

func TestSubscriptionsCLI(t *testing.T) {
	db := filepath.Join(t.TempDir(), "subs.db")
	tests := []struct {
		args     []string
		wantCode int
		wantOut  string // substring of stdout
		wantErr  string // substring of stderr
	}{
		{[]string{"subscriptions", "add", "--platform", "slack", "--team", "T1", "--channel", "C1", "--schedule", "daily 09:00 Europe/Berlin"}, 0, `subscribed slack/T1/C1 (id 1) to "daily 09:00 Europe/Berlin"`, ""},
		{[]string{"subscriptions", "add", "--platform", "shell", "--schedule", "@every 2h", "--only-new"}, 0, "subscribed shell/local/shell (id 2)", ""},
		{[]string{"subscriptions", "add", "--platform", "slack", "--team", "T1", "--channel", "C2", "--schedule", "CRON_TZ=UTC"}, 2, "", "has a zone but no times"},
		{[]string{"subscriptions", "add", "--platform", "slack", "--team", "T1", "--channel", "C2", "--schedule", "0 9 31 2 *"}, 2, "", "never fires"},
		{[]string{"subscriptions", "add", "--platform", "slack", "--team", "T1", "--channel", "C2", "--schedule", "@every 10s"}, 2, "", "more often than the minimum"},
		{[]string{"subscriptions", "add", "--platform", "irc", "--team", "T1", "--channel", "C2", "--schedule", "@daily"}, 2, "", "not slack, discord or shell"},
		{[]string{"subscriptions", "add", "--platform", "slack", "--channel", "C2", "--schedule", "@daily"}, 2, "", "--team is required"},
		{[]string{"subscriptions", "add", "--platform", "slack", "--team", "T1", "--channel", "C2"}, 2, "", "--schedule is required"},
		{[]string{"subscriptions", "frobnicate"}, 2, "", "unknown action"},
		{[]string{"subscriptions", "list"}, 0, "daily 09:00 Europe/Berlin", ""},
		{[]string{"subscriptions", "add", "--platform", "discord", "--team", "G1", "--channel", "C3", "--schedule", "@daily"}, 0, "subscribed discord/G1/C3 (id 3)", ""},
		{[]string{"subscriptions", "remove", "3"}, 0, "unsubscribed discord/G1/C3", ""},
		{[]string{"subscriptions", "remove", "--id", "3"}, 2, "", "no subscription has id 3"},
		{[]string{"subscriptions", "remove", "three"}, 2, "", "not a subscription id"},
		{[]string{"subscriptions", "remove", "--id", "1", "--platform", "slack"}, 2, "", "not both"},
		{[]string{"subscriptions", "remove", "--platform", "slack", "--team", "T1", "--channel", "C1"}, 0, "unsubscribed slack/T1/C1", ""},
		{[]string{"subscriptions", "remove", "--platform", "slack", "--team", "T1", "--channel", "C1"}, 2, "", "has no subscription"},
		{[]string{"digest", "run", "--now", "yesterday"}, 2, "", "not an RFC3339 time"},
		{[]string{"digest", "walk"}, 2, "", "say run"},
	}
	for _, tt := range tests {
		code, out, errOut := cli(t, db, tt.args...)
		if code != tt.wantCode || !strings.Contains(out, tt.wantOut) || !strings.Contains(errOut, tt.wantErr) {
			t.Errorf("%v: code %d, stdout %q, stderr %q; want code %d, stdout with %q, stderr with %q",
				tt.args, code, out, errOut, tt.wantCode, tt.wantOut, tt.wantErr)
		}
	}
	code, out, _ := cli(t, db, "subscriptions", "list", "--json")
	var got []subscriptionView
	if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil {
		t.Fatalf("list --json: code %d, %v\n%s", code, err, out)
	}
	if len(got) != 1 || got[0].Platform != "shell" || !got[0].OnlyNew || got[0].NextRun == nil || got[0].LastDelivery != nil {
		t.Errorf("list --json = %+v, want the shell subscription, only-new, a next run, no delivery", got)
	}
}

// digest run posts the shell channel's due digest on stdout, prints one
// summary line, and posts nothing the second time at the same instant.
func TestDigestRunShell(t *testing.T) {
	db := filepath.Join(t.TempDir(), "digest.db")
	if code, _, errOut := cli(t, db, "subscriptions", "add", "--platform", "shell", "--schedule", "@every 1h"); code != 0 {
		t.Fatalf("add: %d %s", code, errOut)
	}
	// Created now; an hour and a minute later one slot is due (on time).
	code, out, _ := cli(t, db, "subscriptions", "list", "--json")
	var subs []subscriptionView
	if err := json.Unmarshal([]byte(out), &subs); code != 0 || err != nil || len(subs) != 1 {
		t.Fatalf("list: %d %v %s", code, err, out)
	}
	now := subs[0].NextRun.UTC().Add(30 * time.Second).Format(time.RFC3339)

	code, out, errOut := cli(t, db, "digest", "run", "--now", now)
	if code != 0 {
		t.Fatalf("digest run: code %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "digest for #shell") || !strings.Contains(out, "Key points") {
		t.Errorf("digest run did not print the shell digest:\n%s", out)
	}
	if got, want := lastLine(out), "digest run: due=1 posted=1 skipped=0 failed=0 already=0"; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
	code, out, _ = cli(t, db, "digest", "run", "--now", now)
	if got, want := lastLine(out), "digest run: due=0 posted=0 skipped=0 failed=0 already=0"; code != 0 || got != want {
		t.Errorf("second run: code %d, summary %q, want 0 and %q", code, got, want)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// The next run of an @every subscription is counted from when it was made,
// as the scheduler posts it, not one interval from the moment of listing.
func TestSubscriptionsListNextRunEvery(t *testing.T) {
	db := filepath.Join(t.TempDir(), "subs.db")
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	created := time.Now().UTC().Truncate(time.Second).Add(-time.Hour)
	sc := bot.Scope{Platform: bot.PlatformShell, Team: "local", Channel: "shell"}
	_, err = st.PutSubscription(context.Background(), bot.Subscription{Scope: sc, Schedule: "@every 2h", CreatedAt: created})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := cli(t, db, "subscriptions", "list", "--json")
	var got []subscriptionView
	if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil || len(got) != 1 || got[0].NextRun == nil {
		t.Fatalf("list --json: code %d, %v\n%s%s", code, err, out, errOut)
	}
	if want := created.Add(2 * time.Hour); !got[0].NextRun.Equal(want) {
		t.Errorf("next_run = %v, want %v (two hours after the subscription was made)", got[0].NextRun, want)
	}
}
