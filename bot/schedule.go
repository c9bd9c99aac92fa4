package bot

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"time"
	// Zone names must resolve in a scratch container without
	// /usr/share/zoneinfo: embed the database (about 450 KB).
	_ "time/tzdata"

	"github.com/robfig/cron/v3"
)

// Schedule is a parsed, validated digest schedule. The zero value never fires.
//
// It wraps robfig/cron v3 with two differences that matter to a daily digest
// (see docs/digests.md): a schedule firing at most once per local day
// ("daily-type": one fixed hour, minute and second) fires exactly once on
// every matching local day, so on the fall-back day it fires only at the
// first of the two identical wall times, and on the spring-forward day a time
// inside the gap fires at the shifted wall time (02:30 → 03:30) instead of
// being skipped. Every other schedule keeps robfig's behaviour.
type Schedule struct {
	spec  string // normalised, as stored
	loc   *time.Location
	inner cron.Schedule
	// daily is set for daily-type schedules: Next then walks local days.
	daily *cron.SpecSchedule
}

// Schedule examples shown in error messages, so a user can copy one.
const scheduleExamples = `e.g. "daily 09:00 Europe/Berlin", "weekdays 08:30 America/New_York", "CRON_TZ=Asia/Tokyo 0 9 * * 1-5", "@every 2h"`

// Reference instants for the frequency check: any fixed instants do, since a
// cron spec repeats; two seasons so a DST rule cannot hide a short gap.
var scheduleProbes = []time.Time{
	time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC),
	time.Date(2026, 7, 6, 0, 0, 0, 0, time.UTC),
}

// probeFirings is how many consecutive firings the frequency check examines
// from each probe: enough to cover a full day of any spec firing more than
// hourly patterns within it, and several days of the rest.
const probeFirings = 200

var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// ParseSchedule parses spec: a robfig/cron v3 standard 5-field spec with an
// optional CRON_TZ=Zone (or legacy TZ=Zone) prefix, a descriptor (@daily,
// @weekly, @monthly, @yearly, @hourly, @every 2h) or "daily HH:MM [Zone]" /
// "weekdays HH:MM [Zone]". Without a zone the schedule runs in UTC (never in
// the server's local zone). It refuses specs that fire more often than min
// (when min > 0) and specs that never fire. It never panics: errors are
// sentences a user can act on, with examples.
func ParseSchedule(spec string, min time.Duration) (s Schedule, err error) {
	defer func() {
		// robfig/cron panics on some malformed input (a bare "CRON_TZ=UTC");
		// the checks below prevent the known cases, this catches the rest.
		if r := recover(); r != nil {
			s, err = Schedule{}, fmt.Errorf("schedule %q is not valid; %s", spec, scheduleExamples)
		}
	}()
	fields := strings.Fields(spec)
	if len(fields) == 0 {
		return Schedule{}, fmt.Errorf("schedule is empty; %s", scheduleExamples)
	}
	if len(spec) > 200 {
		return Schedule{}, fmt.Errorf("schedule is too long (%d characters, at most 200); %s", len(spec), scheduleExamples)
	}
	zone := ""
	switch f := strings.ToLower(fields[0]); f {
	case "daily", "weekdays":
		return parseDailyWords(fields, min)
	}
	if z, ok := cutZone(fields[0]); ok {
		if len(fields) == 1 {
			return Schedule{}, fmt.Errorf("schedule %q has a zone but no times; add a spec after it, e.g. \"%s 0 9 * * *\"", spec, fields[0])
		}
		if z == "" {
			return Schedule{}, fmt.Errorf("schedule %q names no zone after %s; e.g. \"CRON_TZ=Europe/Berlin 0 9 * * *\"", spec, fields[0])
		}
		zone, fields = z, fields[1:]
	}
	loc, err := loadZone(zone)
	if err != nil {
		return Schedule{}, err
	}
	body := strings.Join(fields, " ")
	if !strings.HasPrefix(body, "@") && len(fields) != 5 {
		return Schedule{}, fmt.Errorf("schedule %q has %d fields, a cron spec needs 5 (minute hour day-of-month month day-of-week, e.g. \"30 8 * * 1-5\"); %s", spec, len(fields), scheduleExamples)
	}
	if strings.HasPrefix(body, "@") {
		// Descriptors are case-insensitive to a user, not to robfig.
		fields[0] = strings.ToLower(fields[0])
		body = strings.Join(fields, " ")
	}
	normal := body
	if zone != "" {
		normal = "CRON_TZ=" + zone + " " + body
	}
	return build(normal, "CRON_TZ="+loc.String()+" "+body, loc, min)
}

// cutZone reports the zone of a "CRON_TZ=Zone" or "TZ=Zone" field.
func cutZone(f string) (string, bool) {
	for _, p := range []string{"CRON_TZ=", "TZ="} {
		if len(f) >= len(p) && strings.EqualFold(f[:len(p)], p) {
			return f[len(p):], true
		}
	}
	return "", false
}

// loadZone resolves an IANA zone name; empty means UTC. "Local" is refused:
// a schedule must not change meaning with the server's configuration.
func loadZone(zone string) (*time.Location, error) {
	if zone == "" || strings.EqualFold(zone, "UTC") {
		return time.UTC, nil
	}
	if strings.EqualFold(zone, "local") {
		return nil, fmt.Errorf("zone %q depends on the server; name an IANA zone such as Europe/Berlin or America/New_York", zone)
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q; use an IANA name such as Europe/Berlin, America/New_York or UTC", zone)
	}
	return loc, nil
}

// parseDailyWords handles "daily HH:MM [Zone]" and "weekdays HH:MM [Zone]".
func parseDailyWords(fields []string, min time.Duration) (Schedule, error) {
	word := strings.ToLower(fields[0])
	if len(fields) < 2 || len(fields) > 3 {
		return Schedule{}, fmt.Errorf("%q needs a time and an optional zone, e.g. \"%s 09:00 Europe/Berlin\"", strings.Join(fields, " "), word)
	}
	h, m, ok := parseClock(fields[1])
	if !ok {
		return Schedule{}, fmt.Errorf("%q is not a time of day; write HH:MM in 24-hour form, e.g. \"%s 09:00 Europe/Berlin\"", fields[1], word)
	}
	zone := ""
	if len(fields) == 3 {
		zone = fields[2]
	}
	loc, err := loadZone(zone)
	if err != nil {
		return Schedule{}, err
	}
	dow := "*"
	if word == "weekdays" {
		dow = "1-5"
	}
	normal := fmt.Sprintf("%s %02d:%02d", word, h, m)
	if zone != "" {
		normal += " " + loc.String()
	}
	return build(normal, fmt.Sprintf("CRON_TZ=%s %d %d * * %s", loc.String(), m, h, dow), loc, min)
}

// parseClock reads H:MM or HH:MM.
func parseClock(s string) (h, m int, ok bool) {
	hs, ms, found := strings.Cut(s, ":")
	if !found || len(hs) < 1 || len(hs) > 2 || len(ms) != 2 {
		return 0, 0, false
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, 0, false
	}
	return h, m, true
}

// build parses the robfig form and runs the checks every schedule passes.
func build(normal, robfig string, loc *time.Location, min time.Duration) (Schedule, error) {
	// robfig rounds a zero or negative @every up to one second; say what
	// is wrong instead of reporting "runs every 1s".
	if f := strings.Fields(robfig); len(f) >= 2 && strings.EqualFold(f[len(f)-2], "@every") {
		if d, err := time.ParseDuration(f[len(f)-1]); err == nil && d <= 0 {
			return Schedule{}, fmt.Errorf("schedule %q needs a positive interval, e.g. \"@every 2h\"", normal)
		}
	}
	inner, err := cronParser.Parse(robfig)
	if err != nil {
		return Schedule{}, fmt.Errorf("schedule %q is not valid: %s; %s", normal, robfigReason(err), scheduleExamples)
	}
	s := Schedule{spec: normal, loc: loc, inner: inner}
	if ss, ok := inner.(*cron.SpecSchedule); ok && single(ss.Second) && single(ss.Minute) && single(ss.Hour) {
		s.daily = ss
	}
	if every, ok := inner.(cron.ConstantDelaySchedule); ok {
		if min > 0 && every.Delay < min {
			return Schedule{}, fmt.Errorf("schedule %q runs every %s, more often than the minimum of %s; pick a longer interval, e.g. \"@every %s\"", normal, every.Delay, min, shortDuration(min))
		}
		return s, nil
	}
	firings := probeFirings
	if s.daily != nil {
		// At least 23 hours apart by construction; a few firings suffice
		// for a minimum of days.
		firings = 10
	}
	fires := false
	for _, p := range scheduleProbes {
		t := s.Next(p)
		if t.IsZero() {
			continue
		}
		fires = true
		if min <= 0 {
			continue
		}
		for i := 0; i < firings; i++ {
			n := s.Next(t)
			if n.IsZero() {
				break
			}
			if gap := n.Sub(t); min > 0 && gap < min {
				return Schedule{}, fmt.Errorf("schedule %q fires %s apart (at %s and %s), more often than the minimum of %s; %s", normal, gap, t.In(loc).Format("15:04"), n.In(loc).Format("15:04"), min, scheduleExamples)
			}
			t = n
		}
	}
	if !fires {
		return Schedule{}, fmt.Errorf("schedule %q never fires: no date matches it (check the day of month and month, e.g. 31 February does not exist); %s", normal, scheduleExamples)
	}
	return s, nil
}

// robfigReason keeps robfig's message but drops its Go-flavoured details.
func robfigReason(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, ": strconv."); i >= 0 {
		msg = msg[:i]
	}
	return msg
}

func shortDuration(d time.Duration) string {
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	return strings.TrimSuffix(s, "0m")
}

// single reports whether a robfig field bit set holds exactly one value.
func single(field uint64) bool {
	const starBit = 1 << 63
	return field&starBit == 0 && bits.OnesCount64(field) == 1
}

// Next returns the first firing strictly after t, in the schedule's zone,
// or the zero time when there is none (within five years).
func (s Schedule) Next(t time.Time) time.Time {
	if s.inner == nil {
		return time.Time{}
	}
	if s.daily != nil {
		return s.nextDaily(t)
	}
	n := s.inner.Next(t)
	if n.IsZero() {
		return n
	}
	return n.In(s.loc)
}

// NextAfter returns the first firing after now of the series the scheduler
// walks from anchor: when the subscription was made, or its newest ledger
// slot if later. Only "@every" depends on the anchor (its slots are anchor
// plus whole intervals); every other schedule follows the clock, so this is
// Next(now). A zero anchor means none is known.
func (s Schedule) NextAfter(anchor, now time.Time) time.Time {
	every, ok := s.inner.(cron.ConstantDelaySchedule)
	if !ok || anchor.IsZero() {
		return s.Next(now)
	}
	if anchor.After(now) {
		return s.Next(anchor)
	}
	// Next(t) is t+Delay on whole seconds (robfig drops t's fraction);
	// stored anchors are whole seconds already.
	a := anchor.Truncate(time.Second)
	return a.Add((now.Sub(a)/every.Delay + 1) * every.Delay).In(s.loc)
}

// nextDaily walks local days from t's: the first matching day whose firing
// instant is after t wins. Each day yields exactly one instant (see wallTime).
func (s Schedule) nextDaily(t time.Time) time.Time {
	lt := t.In(s.loc)
	y, m, d := lt.Date()
	h, mi, sec := bitIndex(s.daily.Hour), bitIndex(s.daily.Minute), bitIndex(s.daily.Second)
	for i := 0; i <= 5*366+1; i++ {
		day := time.Date(y, m, d+i, 12, 0, 0, 0, s.loc)
		if 1<<uint(day.Month())&s.daily.Month == 0 || !dayMatches(s.daily, day) {
			continue
		}
		if c := wallTime(day.Year(), day.Month(), day.Day(), h, mi, sec, s.loc); c.After(t) {
			return c
		}
	}
	return time.Time{}
}

// dayMatches is robfig's rule: both day fields when either is a star,
// otherwise either one.
func dayMatches(s *cron.SpecSchedule, t time.Time) bool {
	const starBit = 1 << 63
	domMatch := 1<<uint(t.Day())&s.Dom > 0
	dowMatch := 1<<uint(t.Weekday())&s.Dow > 0
	if s.Dom&starBit > 0 || s.Dow&starBit > 0 {
		return domMatch && dowMatch
	}
	return domMatch || dowMatch
}

func bitIndex(field uint64) int { return bits.TrailingZeros64(field) }

// wallTime is the one instant a daily schedule uses for a local wall time.
// time.Date leaves both DST cases unspecified (and differs between zones), so
// resolve them here: in the fall-back overlap take the earlier instant (the
// first 01:30); in the spring-forward gap read the wall time with the offset
// in force before the gap, which lands after it (02:30 → 03:30).
func wallTime(y int, mo time.Month, d, h, mi, sec int, loc *time.Location) time.Time {
	u := time.Date(y, mo, d, h, mi, sec, 0, time.UTC)
	_, before := time.Date(y, mo, d-1, 12, 0, 0, 0, loc).Zone()
	_, after := time.Date(y, mo, d+1, 12, 0, 0, 0, loc).Zone()
	var best time.Time
	for _, off := range []int{before, after} {
		c := u.Add(-time.Duration(off) * time.Second).In(loc)
		if c.Hour() == h && c.Minute() == mi && c.Second() == sec && c.Day() == d {
			if best.IsZero() || c.Before(best) {
				best = c
			}
		}
	}
	if best.IsZero() {
		// In a gap: no instant shows this wall time.
		best = u.Add(-time.Duration(before) * time.Second).In(loc)
	}
	return best
}

// Spec returns the normalised spec as stored: whitespace collapsed, the
// zone as given, "daily HH:MM Zone" kept in that form.
func (s Schedule) Spec() string { return s.spec }

// Location is the zone the schedule runs in (UTC when none was given).
func (s Schedule) Location() *time.Location {
	if s.loc == nil {
		return time.UTC
	}
	return s.loc
}

// Daily reports whether the schedule fires at most once per local day, the
// schedules that get one digest per local day across DST changes.
func (s Schedule) Daily() bool { return s.daily != nil }

// NextN returns the next n firings after t (fewer if it stops firing), for
// confirmations such as "next runs: …".
func (s Schedule) NextN(t time.Time, n int) []time.Time {
	var out []time.Time
	for i := 0; i < n; i++ {
		t = s.Next(t)
		if t.IsZero() {
			break
		}
		out = append(out, t)
	}
	return out
}
