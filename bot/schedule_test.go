package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

func mustSchedule(t testing.TB, spec string) Schedule {
	t.Helper()
	s, err := ParseSchedule(spec, time.Minute)
	if err != nil {
		t.Fatalf("ParseSchedule(%q): %v", spec, err)
	}
	return s
}

func TestParseScheduleAccepts(t *testing.T) {
	tests := []struct {
		spec     string
		wantSpec string
		wantZone string
		wantDay  bool
	}{
		{"0 9 * * *", "0 9 * * *", "UTC", true},
		{"  0   9 * *   1-5 ", "0 9 * * 1-5", "UTC", true},
		{"CRON_TZ=Europe/Berlin 30 8 * * 1-5", "CRON_TZ=Europe/Berlin 30 8 * * 1-5", "Europe/Berlin", true},
		{"TZ=America/New_York 0 9 * * *", "CRON_TZ=America/New_York 0 9 * * *", "America/New_York", true},
		{"*/15 * * * *", "*/15 * * * *", "UTC", false},
		{"* * * * *", "* * * * *", "UTC", false},
		{"@daily", "@daily", "UTC", true},
		{"@Weekly", "@weekly", "UTC", true},
		{"@monthly", "@monthly", "UTC", true},
		{"@hourly", "@hourly", "UTC", false},
		{"@every 2h", "@every 2h", "UTC", false},
		{"CRON_TZ=Asia/Tokyo @daily", "CRON_TZ=Asia/Tokyo @daily", "Asia/Tokyo", true},
		{"daily 09:00 Europe/Berlin", "daily 09:00 Europe/Berlin", "Europe/Berlin", true},
		{"Daily 7:05", "daily 07:05", "UTC", true},
		{"daily 09:00 utc", "daily 09:00 UTC", "UTC", true},
		{"weekdays 08:30 America/New_York", "weekdays 08:30 America/New_York", "America/New_York", true},
		{"0 9 29 2 *", "0 9 29 2 *", "UTC", true},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			s, err := ParseSchedule(tt.spec, time.Minute)
			if err != nil {
				t.Fatalf("ParseSchedule(%q): %v", tt.spec, err)
			}
			if got := s.Spec(); got != tt.wantSpec {
				t.Errorf("Spec() = %q, want %q", got, tt.wantSpec)
			}
			if got := s.Location().String(); got != tt.wantZone {
				t.Errorf("Location() = %q, want %q", got, tt.wantZone)
			}
			if got := s.Daily(); got != tt.wantDay {
				t.Errorf("Daily() = %v, want %v", got, tt.wantDay)
			}
			// The normalised spec parses to the same schedule.
			again := mustSchedule(t, s.Spec())
			from := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
			if got, want := again.Next(from), s.Next(from); !got.Equal(want) {
				t.Errorf("re-parsed Next = %v, want %v", got, want)
			}
		})
	}
}

func TestParseScheduleRefuses(t *testing.T) {
	tests := []struct {
		spec string
		min  time.Duration
		want string // substring of the error
	}{
		{"", time.Minute, "empty"},
		{"   ", time.Minute, "empty"},
		{"CRON_TZ=UTC", time.Minute, "no times"},
		{"TZ=Europe/Berlin", time.Minute, "no times"},
		{"CRON_TZ=", time.Minute, "no times"},
		{"CRON_TZ= 0 9 * * *", time.Minute, "names no zone"},
		{"CRON_TZ=Mars/Olympus 0 9 * * *", time.Minute, "unknown time zone"},
		{"CRON_TZ=Local 0 9 * * *", time.Minute, "depends on the server"},
		{"CRON_TZ=../../etc/passwd 0 9 * * *", time.Minute, "unknown time zone"},
		{"0 9 * *", time.Minute, "has 4 fields"},
		{"0 0 9 * * *", time.Minute, "has 6 fields"},
		{"61 9 * * *", time.Minute, "not valid"},
		{"0 25 * * *", time.Minute, "not valid"},
		{"*/0 * * * *", time.Minute, "not valid"},
		{"5-1 * * * *", time.Minute, "not valid"},
		{"a b c d e", time.Minute, "not valid"},
		{"@sometimes", time.Minute, "not valid"},
		{"@every", time.Minute, "not valid"},
		{"@every banana", time.Minute, "not valid"},
		{"@every 30s", time.Minute, "more often than the minimum of 1m0s"},
		{"@every 0s", time.Minute, "positive interval"},
		{"@every -1h", time.Minute, "positive interval"},
		{"@every -5m", time.Minute, "positive interval"},
		{"0 9 31 2 *", time.Minute, "never fires"},
		{"0 9 30 2 *", time.Minute, "never fires"},
		{"*/5 * * * *", 10 * time.Minute, "5m0s apart"},
		{"0,1 9 * * *", 2 * time.Minute, "1m0s apart"},
		{"@hourly", 2 * time.Hour, "more often"},
		{"daily 25:00", time.Minute, "not a time of day"},
		{"daily 9", time.Minute, "not a time of day"},
		{"daily", time.Minute, "needs a time"},
		{"weekdays 08:30 Europe/Berlin extra", time.Minute, "needs a time"},
		{"daily 09:00 Nowhere/City", time.Minute, "unknown time zone"},
		{strings.Repeat("1", 300), time.Minute, "too long"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			_, err := ParseSchedule(tt.spec, tt.min)
			if err == nil {
				t.Fatalf("ParseSchedule(%q) = nil error, want one containing %q", tt.spec, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseSchedule(%q) error = %q, want it to contain %q", tt.spec, err, tt.want)
			}
		})
	}
}

// A user can act on every refusal: each one shows at least one example.
func TestParseScheduleErrorsShowExamples(t *testing.T) {
	for _, spec := range []string{"", "CRON_TZ=UTC", "0 9 * *", "61 9 * * *", "0 9 31 2 *", "@every 10s", "daily 9"} {
		_, err := ParseSchedule(spec, time.Minute)
		if err == nil || !strings.Contains(err.Error(), "e.g.") {
			t.Errorf("ParseSchedule(%q) error = %v, want an example (e.g. …)", spec, err)
		}
	}
}

func TestParseScheduleMinZeroAllowsFrequent(t *testing.T) {
	if _, err := ParseSchedule("@every 1s", 0); err != nil {
		t.Errorf("ParseSchedule(@every 1s, 0) = %v, want nil (no minimum)", err)
	}
}

// The vectors of PLATFORMS.md ("cron, 2026"), first as robfig computes
// them — proving what the library does — and then as Schedule does, which
// differs only for daily-type schedules on DST days (docs/digests.md).
func TestCronVectorsRobfig(t *testing.T) {
	tests := []struct {
		spec string
		from string
		want []string
	}{
		{"CRON_TZ=America/New_York 30 2 * * *", "2026-03-07T12:00:00-05:00", []string{"2026-03-09T02:30:00-04:00"}},
		{"CRON_TZ=America/New_York 30 1 * * *", "2026-10-31T12:00:00-04:00", []string{"2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00", "2026-11-02T01:30:00-05:00"}},
		{"CRON_TZ=America/New_York 0 * * * *", "2026-03-08T01:00:00-05:00", []string{"2026-03-08T03:00:00-04:00"}},
		{"CRON_TZ=America/New_York 0 * * * *", "2026-11-01T01:00:00-04:00", []string{"2026-11-01T01:00:00-05:00", "2026-11-01T02:00:00-05:00"}},
		{"TZ=Europe/Berlin 30 2 * * *", "2026-03-28T12:00:00+01:00", []string{"2026-03-30T02:30:00+02:00"}},
		{"TZ=Europe/Berlin 30 2 * * *", "2026-10-24T12:00:00+02:00", []string{"2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00", "2026-10-26T02:30:00+01:00"}},
		{"CRON_TZ=America/New_York 0 9 * * 1-5", "2026-03-06T09:00:00-05:00", []string{"2026-03-09T13:00:00Z", "2026-03-10T13:00:00Z", "2026-03-11T13:00:00Z"}},
		{"CRON_TZ=UTC 0 9 * * *", "2026-03-06T09:00:00Z", []string{"2026-03-07T09:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.spec+" from "+tt.from, func(t *testing.T) {
			s, err := cron.ParseStandard(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			at := mustTime(t, tt.from)
			for i, w := range tt.want {
				at = s.Next(at)
				if want := mustTime(t, w); !at.Equal(want) {
					t.Fatalf("firing %d = %v, want %v", i+1, at, want)
				}
			}
		})
	}
}

func TestScheduleNextDST(t *testing.T) {
	tests := []struct {
		name string
		spec string
		from string
		want []string
	}{
		// Spring forward, daily inside the gap: fires at the shifted time
		// instead of skipping the day (robfig skips 03-08).
		{"NY gap", "CRON_TZ=America/New_York 30 2 * * *", "2026-03-07T12:00:00-05:00",
			[]string{"2026-03-08T03:30:00-04:00", "2026-03-09T02:30:00-04:00"}},
		{"Berlin gap", "TZ=Europe/Berlin 30 2 * * *", "2026-03-28T12:00:00+01:00",
			[]string{"2026-03-29T03:30:00+02:00", "2026-03-30T02:30:00+02:00"}},
		{"daily words gap", "daily 02:30 America/New_York", "2026-03-07T12:00:00-05:00",
			[]string{"2026-03-08T03:30:00-04:00", "2026-03-09T02:30:00-04:00"}},
		// Fall back, daily inside the overlap: once, at the first 01:30
		// (robfig fires twice).
		{"NY overlap", "CRON_TZ=America/New_York 30 1 * * *", "2026-10-31T12:00:00-04:00",
			[]string{"2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"}},
		{"Berlin overlap", "TZ=Europe/Berlin 30 2 * * *", "2026-10-24T12:00:00+02:00",
			[]string{"2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"}},
		// Asked from between the two 01:30s: the day already had its digest.
		{"NY overlap from inside", "CRON_TZ=America/New_York 30 1 * * *", "2026-11-01T01:45:00-04:00",
			[]string{"2026-11-02T01:30:00-05:00"}},
		// Hourly is not daily-type: robfig's behaviour, every real hour.
		{"NY hourly spring", "CRON_TZ=America/New_York 0 * * * *", "2026-03-08T01:00:00-05:00",
			[]string{"2026-03-08T03:00:00-04:00"}},
		{"NY hourly fall", "CRON_TZ=America/New_York 0 * * * *", "2026-11-01T01:00:00-04:00",
			[]string{"2026-11-01T01:00:00-05:00", "2026-11-01T02:00:00-05:00"}},
		// Missed weekday slots (PLATFORMS.md): last 03-06 09:00 NY.
		{"NY weekdays", "weekdays 09:00 America/New_York", "2026-03-06T09:00:00-05:00",
			[]string{"2026-03-09T13:00:00Z", "2026-03-10T13:00:00Z"}},
		// Next(exact slot) is the following slot.
		{"exact slot", "daily 09:00", "2026-03-06T09:00:00Z", []string{"2026-03-07T09:00:00Z"}},
		{"exact slot cron", "*/30 * * * *", "2026-03-06T09:30:00Z", []string{"2026-03-06T10:00:00Z"}},
		{"every", "@every 2h", "2026-03-06T09:30:00.5Z", []string{"2026-03-06T11:30:00Z", "2026-03-06T13:30:00Z"}},
		{"leap day", "0 9 29 2 *", "2026-03-01T00:00:00Z", []string{"2028-02-29T09:00:00Z", "2032-02-29T09:00:00Z"}},
		{"dom or dow", "0 9 13 * 5", "2026-03-10T00:00:00Z", []string{"2026-03-13T09:00:00Z", "2026-03-20T09:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSchedule(t, tt.spec)
			at := mustTime(t, tt.from)
			for i, w := range tt.want {
				at = s.Next(at)
				if want := mustTime(t, w); !at.Equal(want) {
					t.Fatalf("firing %d = %v, want %v", i+1, at, want)
				}
				if at.Location() != s.Location() {
					t.Errorf("firing %d in %v, want the schedule's zone %v", i+1, at.Location(), s.Location())
				}
			}
		})
	}
}

// A daily-type schedule fires exactly once per matching local day through a
// whole year of two zones' DST changes.
func TestScheduleDailyOncePerLocalDay(t *testing.T) {
	for _, zone := range []string{"America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "UTC"} {
		for _, clock := range []string{"00:00", "01:30", "02:00", "02:30", "03:00", "23:59"} {
			s := mustSchedule(t, "daily "+clock+" "+zone)
			loc := s.Location()
			at := time.Date(2026, 1, 1, 0, 0, 0, 0, loc).Add(-time.Second)
			seen := map[string]int{}
			for {
				at = s.Next(at)
				if at.Year() > 2026 {
					break
				}
				seen[at.In(loc).Format("2006-01-02")]++
			}
			if got, want := len(seen), 365; got != want {
				t.Errorf("%s %s: %d local days with a digest, want %d", zone, clock, got, want)
			}
			for day, n := range seen {
				if n != 1 {
					t.Errorf("%s %s: %s has %d digests, want 1", zone, clock, day, n)
				}
			}
		}
	}
}

func TestScheduleNextN(t *testing.T) {
	s := mustSchedule(t, "weekdays 08:30 Europe/Berlin")
	got := s.NextN(mustTime(t, "2026-11-20T12:00:00+01:00"), 3)
	want := []string{"2026-11-23T08:30:00+01:00", "2026-11-24T08:30:00+01:00", "2026-11-25T08:30:00+01:00"}
	if len(got) != len(want) {
		t.Fatalf("NextN = %v, want %v", got, want)
	}
	for i := range want {
		if !got[i].Equal(mustTime(t, want[i])) {
			t.Errorf("NextN[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	var zero Schedule
	if n := zero.Next(time.Now()); !n.IsZero() {
		t.Errorf("zero Schedule.Next = %v, want zero", n)
	}
}

func FuzzParseSchedule(f *testing.F) {
	for _, s := range []string{"CRON_TZ=UTC", "TZ=", "0 9 * * *", "@every 1h", "daily 09:00 Europe/Berlin", "CRON_TZ=Europe/Berlin\t0 9 * * *", "*/0 * * * *", "@every 1ns", "0-59/61 * * * *"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		s, err := ParseSchedule(spec, time.Minute)
		if err != nil {
			return
		}
		if n := s.Next(scheduleProbes[0]); n.IsZero() {
			t.Errorf("accepted %q but it never fires", spec)
		}
	})
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// An @every schedule fires on the grid of its anchor (when the subscription
// was made, or its newest slot): the next run shown to users is on that
// grid, not "one interval from whenever you ask". Other schedules follow
// the clock and ignore the anchor.
func TestScheduleNextAfter(t *testing.T) {
	tests := []struct {
		name, spec, anchor, now, want string
	}{
		{"every between slots", "@every 2h", "2026-03-06T10:00:00Z", "2026-03-06T11:00:00Z", "2026-03-06T12:00:00Z"},
		{"every on a slot", "@every 2h", "2026-03-06T10:00:00Z", "2026-03-06T12:00:00Z", "2026-03-06T14:00:00Z"},
		{"every days later", "@every 90m", "2026-03-06T10:00:00Z", "2026-03-09T10:10:00Z", "2026-03-09T11:30:00Z"},
		{"every anchor ahead", "@every 2h", "2026-03-06T10:00:00Z", "2026-03-06T09:00:00Z", "2026-03-06T12:00:00Z"},
		{"every no anchor", "@every 2h", "", "2026-03-06T09:30:00Z", "2026-03-06T11:30:00Z"},
		{"daily ignores anchor", "daily 09:00", "2026-03-06T10:00:00Z", "2026-03-07T08:00:00Z", "2026-03-07T09:00:00Z"},
		{"cron ignores anchor", "*/30 * * * *", "2026-03-06T10:07:00Z", "2026-03-06T10:40:00Z", "2026-03-06T11:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSchedule(t, tt.spec)
			var anchor time.Time
			if tt.anchor != "" {
				anchor = mustTime(t, tt.anchor)
			}
			now := mustTime(t, tt.now)
			got := s.NextAfter(anchor, now)
			if want := mustTime(t, tt.want); !got.Equal(want) {
				t.Errorf("NextAfter(%s, %s) = %v, want %v", tt.anchor, tt.now, got, want)
			}
			// The scheduler walks Next from the anchor: the same instant.
			if !anchor.IsZero() && !anchor.After(now) {
				walk := s.Next(anchor)
				for !walk.After(now) {
					walk = s.Next(walk)
				}
				if !got.Equal(walk) {
					t.Errorf("NextAfter = %v, but walking Next from the anchor gives %v", got, walk)
				}
			}
		})
	}
}

// wakeStore is just enough Store for a pass that finds nothing due.
type wakeStore struct {
	Store
	subs []Subscription
}

func (s wakeStore) Subscriptions(context.Context) ([]Subscription, error) { return s.subs, nil }
func (s wakeStore) LastDelivery(context.Context, int64) (Delivery, error) {
	return Delivery{}, ErrNotFound
}

// Run wakes at the next slot a pass reports: for "@every" that is on the
// grid of the subscription, so the digest is not left waiting for a poll.
func TestPassReportsNextSlot(t *testing.T) {
	created := mustTime(t, "2026-03-06T10:00:00Z")
	tests := []struct {
		spec, now, want string
	}{
		{"@every 2h", "2026-03-06T11:00:00Z", "2026-03-06T12:00:00Z"},
		{"daily 09:00", "2026-03-06T11:00:00Z", "2026-03-07T09:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			st := wakeStore{subs: []Subscription{{ID: 1, Scope: Scope{Platform: PlatformShell, Team: "local", Channel: "shell"}, Schedule: tt.spec, CreatedAt: created}}}
			s := NewScheduler(SchedulerConfig{Store: st, Bot: New(Config{})})
			_, got, err := s.pass(context.Background(), context.Background(), mustTime(t, tt.now))
			if err != nil {
				t.Fatal(err)
			}
			if want := mustTime(t, tt.want); !got.Equal(want) {
				t.Errorf("next = %v, want %v", got, want)
			}
		})
	}
}
