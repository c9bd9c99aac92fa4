package sqlstore

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// fakeRow hands its values to Scan's destinations in order, as a driver
// would: plain pointers get the value, anything else must be a fakeTime.
type fakeRow struct {
	vals []any
	err  error // returned after filling, as a driver's conversion error would be
}

func (r fakeRow) Scan(dest ...any) error {
	if len(dest) != len(r.vals) {
		return fmt.Errorf("scan: %d destinations for %d columns", len(dest), len(r.vals))
	}
	for i, d := range dest {
		if ft, ok := d.(*fakeTime); ok {
			ft.set(r.vals[i])
			continue
		}
		dv := reflect.ValueOf(d)
		if dv.Kind() != reflect.Pointer {
			return fmt.Errorf("scan: destination %d is %T, not a pointer", i, d)
		}
		v := reflect.ValueOf(r.vals[i])
		if !v.Type().AssignableTo(dv.Elem().Type()) {
			return fmt.Errorf("scan: column %d: %T into %T", i, r.vals[i], d)
		}
		dv.Elem().Set(v)
	}
	return r.err
}

// fakeTimes marks each time it hands out with its kind, so a test sees
// which column went through which conversion.
type fakeTimes struct{}

type fakeTime struct {
	t    *time.Time
	kind string
}

// set reads a column value "kind@unix".
func (f *fakeTime) set(v any) {
	s := v.(string)
	kind, sec, _ := strings.Cut(s, "@")
	if kind != f.kind {
		panic(fmt.Sprintf("column %q scanned as %s", s, f.kind))
	}
	var n int64
	fmt.Sscan(sec, &n)
	*f.t = time.Unix(n, 0).UTC()
}

func (fakeTimes) Instant(t *time.Time) any { return &fakeTime{t: t, kind: "instant"} }
func (fakeTimes) Stamp(t *time.Time) any   { return &fakeTime{t: t, kind: "stamp"} }
func (fakeTimes) Lease(t *time.Time) any   { return &fakeTime{t: t, kind: "lease"} }

func TestScanColumnsMatchConstants(t *testing.T) {
	// Each Scan function reads exactly the columns its constant lists.
	count := func(cols string) int { return len(strings.Split(cols, ", ")) }
	tests := []struct {
		name string
		cols string
		scan func(Row) error
	}{
		{"subscription", SubscriptionCols, func(r Row) error { _, err := ScanSubscription(r, fakeTimes{}); return err }},
		{"delivery", DeliveryCols, func(r Row) error { _, err := ScanDelivery(r, fakeTimes{}); return err }},
		{"install", InstallCols, func(r Row) error { _, err := ScanInstall(r, fakeTimes{}, "p", "t"); return err }},
		{"article", ArticleCols, func(r Row) error { _, err := ScanArticle(r, fakeTimes{}); return err }},
		{"story", StoryCols, func(r Row) error { _, err := ScanStory(r, fakeTimes{}); return err }},
		{"feed", FeedCols, func(r Row) error { _, err := ScanFeed(r, fakeTimes{}); return err }},
		{"feed item", FeedItemCols, func(r Row) error { _, err := ScanFeedItem(r, fakeTimes{}); return err }},
		{"membership", MembershipCols, func(r Row) error { var set ArticleSet; return set.ScanMembership(r) }},
		{"copy", CopyCols, func(r Row) error { var set ArticleSet; return set.ScanCopy(r, fakeTimes{}) }},
	}
	for _, tt := range tests {
		var got int
		tt.scan(countRow{&got})
		if want := count(tt.cols); got != want {
			t.Errorf("%s: scans %d columns, its constant lists %d", tt.name, got, want)
		}
	}
}

type countRow struct{ n *int }

func (r countRow) Scan(dest ...any) error { *r.n = len(dest); return errors.New("counted") }

func TestScanSubscription(t *testing.T) {
	got, err := ScanSubscription(fakeRow{vals: []any{int64(7), "slack", "T1", "C1", "daily 09:00 UTC", true, "U1", "stamp@1700000000"}}, fakeTimes{})
	want := bot.Subscription{ID: 7, Scope: bot.Scope{Platform: "slack", Team: "T1", Channel: "C1"}, Schedule: "daily 09:00 UTC",
		OnlyNew: true, CreatedBy: "U1", CreatedAt: time.Unix(1700000000, 0).UTC()}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, %v; want %+v", got, err, want)
	}
}

func TestScanDelivery(t *testing.T) {
	got, err := ScanDelivery(fakeRow{vals: []any{int64(3), "instant@1700000000", "posted", "r1", "lease@1700000060", 2, "m1", "boom", true, "v9", "stamp@1700000005"}}, fakeTimes{})
	want := bot.Delivery{SubscriptionID: 3, Slot: time.Unix(1700000000, 0).UTC(), State: bot.StatePosted, Owner: "r1",
		LeaseUntil: time.Unix(1700000060, 0).UTC(), Attempts: 2, MessageID: "m1", Error: "boom", Late: true,
		CorpusVersion: "v9", UpdatedAt: time.Unix(1700000005, 0).UTC()}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, %v; want %+v", got, err, want)
	}
	// A driver error comes back as it is.
	boom := errors.New("driver says no")
	if _, err := ScanDelivery(fakeRow{vals: []any{int64(3), "instant@0", "claimed", "", "lease@0", 1, "", "", false, "", "stamp@0"}, err: boom}, fakeTimes{}); err != boom {
		t.Errorf("got %v, want the driver's error", err)
	}
}

func TestScanInstall(t *testing.T) {
	got, err := ScanInstall(fakeRow{vals: []any{"E1", "xoxb-1", "B1", "stamp@1700000000"}}, fakeTimes{}, "slack", "T1")
	want := bot.Install{Platform: "slack", Team: "T1", Enterprise: "E1", BotToken: "xoxb-1", BotUserID: "B1", InstalledAt: time.Unix(1700000000, 0).UTC()}
	if err != nil || got != want {
		t.Errorf("got %+v, %v; want %+v", got, err, want)
	}
}

func TestScanArticle(t *testing.T) {
	got, err := ScanArticle(fakeRow{vals: []any{int64(4), "a1", "Title", "Example News", "https://example.com/a1", "2022-11-21", "A. Writer", "Alexa is a smart timer.", "url", "stamp@1700000000"}}, fakeTimes{})
	want := bot.StoredArticle{Article: briefs.Article{ID: "a1", Title: "Title", Source: "Example News", URL: "https://example.com/a1", Published: "2022-11-21", Author: "A. Writer", Text: "Alexa is a smart timer."},
		Seq: 4, Origin: "url", AddedAt: time.Unix(1700000000, 0).UTC()}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, %v; want %+v", got, err, want)
	}
}

func TestChecks(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string // "" for no error
	}{
		{"scope ok", CheckScope(bot.Scope{Platform: "slack", Team: "T", Channel: "C"}), ""},
		{"scope no channel", CheckScope(bot.Scope{Platform: "slack", Team: "T"}), `incomplete scope "slack"/"T"/""`},
		{"scope empty", CheckScope(bot.Scope{}), `incomplete scope ""/""/""`},
		{"claim ok", CheckClaim("r1", time.Millisecond), ""},
		{"claim no owner", CheckClaim("", time.Hour), "need an owner and a positive lease"},
		{"claim zero lease", CheckClaim("r1", 0), "need an owner and a positive lease"},
		{"claim negative lease", CheckClaim("r1", -time.Second), "need an owner and a positive lease"},
		{"finish posted", CheckFinish(bot.StatePosted), ""},
		{"finish failed", CheckFinish(bot.StateFailed), ""},
		{"finish skipped", CheckFinish(bot.StateSkipped), ""},
		{"finish claimed", CheckFinish(bot.StateClaimed), `state "claimed" is not posted, failed or skipped`},
		{"finish unset", CheckFinish(""), `state "" is not posted, failed or skipped`},
		{"install ok", CheckInstall(bot.Install{Platform: "discord", Team: "G1"}), ""},
		{"install no team", CheckInstall(bot.Install{Platform: "discord"}), "platform and team are required"},
		{"install no platform", CheckInstall(bot.Install{Team: "G1"}), "platform and team are required"},
	}
	for _, tt := range tests {
		got := ""
		if tt.err != nil {
			got = tt.err.Error()
		}
		if got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestLedgerErrors(t *testing.T) {
	err := UnknownSubscription(42)
	if !errors.Is(err, bot.ErrNotFound) || err.Error() != "subscription 42: "+bot.ErrNotFound.Error() {
		t.Errorf("UnknownSubscription(42) = %q, want ErrNotFound naming 42", err)
	}
	tokyo := time.FixedZone("JST", 9*3600)
	d := bot.Delivery{SubscriptionID: 5, Slot: time.Date(2026, 3, 1, 18, 0, 0, 999, tokyo), Owner: "r2"}
	err = LostClaim(d)
	want := "finish slot 5@2026-03-01T09:00:00Z for r2: " + bot.ErrClaimLost.Error()
	if !errors.Is(err, bot.ErrClaimLost) || err.Error() != want {
		t.Errorf("LostClaim = %q, want %q wrapping ErrClaimLost", err, want)
	}
}

func TestSecond(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	got := Second(time.Date(2026, 7, 1, 18, 30, 15, 987654321, tokyo))
	want := time.Date(2026, 7, 1, 9, 30, 15, 0, time.UTC)
	if !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestTextHash(t *testing.T) {
	// The SHA-256 test vector of FIPS 180-2.
	if got, want := TextHash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; got != want {
		t.Errorf("TextHash(abc) = %s, want %s", got, want)
	}
	if TextHash("Alexa is a smart timer.") == TextHash("Alexa is a smart timer. ") {
		t.Errorf("texts that differ by a space hash alike")
	}
}
