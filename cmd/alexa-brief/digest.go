package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/discord"
	"github.com/alexa-brief/alexa-brief/adapters/shell"
	"github.com/alexa-brief/alexa-brief/adapters/slack"
	"github.com/alexa-brief/alexa-brief/bot"
)

// Usage lines of the digest subcommands, quoted in their error messages.
const (
	usageSubsAdd    = "alexa-brief subscriptions add --platform slack|discord|shell --team T --channel C --schedule S [--only-new]"
	usageSubsList   = "alexa-brief subscriptions list [--json]"
	usageSubsRemove = "alexa-brief subscriptions remove --platform slack|discord|shell --team T --channel C | ID"
	usageDigestRun  = "alexa-brief digest run [--now RFC3339] [--lease DURATION]"
)

const usageSubscriptions = "usage:\n  " + usageSubsAdd + "\n  " + usageSubsList + "\n  " + usageSubsRemove + "\n"

// operator is Subscription.CreatedBy for subscriptions made on the command line.
const operator = "operator (cli)"

func cmdSubscriptions(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("subscriptions: say add, list or remove\n%s", usageSubscriptions)
	}
	switch args[0] {
	case "add":
		return subscriptionsAdd(ctx, e, args[1:])
	case "list", "ls":
		return subscriptionsList(ctx, e, args[1:])
	case "remove", "rm", "delete":
		return subscriptionsRemove(ctx, e, args[1:])
	case "help", "-h", "--help", "-help":
		fmt.Fprint(e.stdout, usageSubscriptions)
		return nil
	}
	return usagef("subscriptions: unknown action %q (add, list or remove)\n%s", args[0], usageSubscriptions)
}

// parseFlags parses a subcommand's flags and refuses positional arguments.
func parseFlags(e *env, fs *flag.FlagSet, args []string, usage string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(e.stdout, "usage: %s\n", usage)
			fs.SetOutput(e.stdout)
			fs.PrintDefaults()
			return errHelp
		}
		return usagef("%s: %v\nusage: %s", fs.Name(), err, usage)
	}
	if fs.NArg() > 0 {
		return usagef("%s: unexpected argument %q\nusage: %s", fs.Name(), fs.Arg(0), usage)
	}
	return nil
}

// scopeFlags are --platform, --team and --channel.
type scopeFlags struct{ platform, team, channel *string }

func addScopeFlags(fs *flag.FlagSet) scopeFlags {
	return scopeFlags{
		platform: fs.String("platform", "", "slack, discord or shell"),
		team:     fs.String("team", "", "Slack team id (T…) or Discord guild id; default local for shell"),
		channel:  fs.String("channel", "", "channel id (C… or a Discord channel id); default shell for shell"),
	}
}

func (f scopeFlags) scope(name, usage string) (bot.Scope, error) {
	sc := bot.Scope{Platform: strings.ToLower(strings.TrimSpace(*f.platform)), Team: strings.TrimSpace(*f.team), Channel: strings.TrimSpace(*f.channel)}
	switch sc.Platform {
	case bot.PlatformShell:
		sc.Team = firstSet(sc.Team, shell.DefaultTeam)
		sc.Channel = firstSet(sc.Channel, shell.DefaultChannel)
	case bot.PlatformSlack, bot.PlatformDiscord:
	case "":
		return sc, usagef("%s: --platform is required (slack, discord or shell)\nusage: %s", name, usage)
	default:
		return sc, usagef("%s: --platform %q is not slack, discord or shell\nusage: %s", name, sc.Platform, usage)
	}
	if sc.Team == "" {
		return sc, usagef("%s: --team is required for %s (the workspace or guild id)\nusage: %s", name, sc.Platform, usage)
	}
	if sc.Channel == "" {
		return sc, usagef("%s: --channel is required\nusage: %s", name, usage)
	}
	return sc, nil
}

func firstSet(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func scopeName(sc bot.Scope) string { return sc.Platform + "/" + sc.Team + "/" + sc.Channel }

func subscriptionsAdd(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("subscriptions add", flag.ContinueOnError)
	sf := addScopeFlags(fs)
	spec := fs.String("schedule", "", `when to post: "daily 09:00 Europe/Berlin", "weekdays 08:30 America/New_York", "@every 2h", or a cron spec with optional CRON_TZ=`)
	onlyNew := fs.Bool("only-new", false, "post only what is new since the last digest (one line when nothing is)")
	if err := parseFlags(e, fs, args, usageSubsAdd); err != nil {
		return helpOK(err)
	}
	sc, err := sf.scope("subscriptions add", usageSubsAdd)
	if err != nil {
		return err
	}
	if strings.TrimSpace(*spec) == "" {
		return usagef("subscriptions add: --schedule is required, e.g. --schedule \"daily 09:00 Europe/Berlin\"\nusage: %s", usageSubsAdd)
	}
	sched, err := bot.ParseSchedule(*spec, e.cfg.MinInterval)
	if err != nil {
		return usagef("subscriptions add: %v", err)
	}
	st, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	now := time.Now().UTC()
	sub, err := st.PutSubscription(ctx, bot.Subscription{Scope: sc, Schedule: sched.Spec(), OnlyNew: *onlyNew, CreatedBy: operator, CreatedAt: now})
	if err != nil {
		return fmt.Errorf("subscriptions add: %w", err)
	}
	var next []string
	for _, t := range sched.NextN(now, 3) {
		next = append(next, t.Format("Mon 2 Jan 2006 15:04 MST"))
	}
	fmt.Fprintf(e.stdout, "subscribed %s (id %d) to %q\nnext runs: %s\n", scopeName(sc), sub.ID, sub.Schedule, strings.Join(next, ", "))
	return nil
}

// subscriptionView is a subscription as `subscriptions list --json` shows it.
type subscriptionView struct {
	bot.Subscription
	NextRun      *time.Time    `json:"next_run"`
	LastDelivery *bot.Delivery `json:"last_delivery"`
}

func subscriptionsList(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("subscriptions list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(e, fs, args, usageSubsList); err != nil {
		return helpOK(err)
	}
	st, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	subs, err := st.Subscriptions(ctx)
	if err != nil {
		return fmt.Errorf("subscriptions list: %w", err)
	}
	now := time.Now()
	views := make([]subscriptionView, 0, len(subs))
	for _, s := range subs {
		v := subscriptionView{Subscription: s}
		last, err := st.LastDelivery(ctx, s.ID)
		switch {
		case err == nil:
			v.LastDelivery = &last
		case !errors.Is(err, bot.ErrNotFound):
			return fmt.Errorf("subscriptions list: %w", err)
		}
		if sched, err := bot.ParseSchedule(s.Schedule, 0); err == nil {
			// The scheduler's anchor: "@every" counts from it.
			anchor := s.CreatedAt
			if v.LastDelivery != nil && last.Slot.After(anchor) {
				anchor = last.Slot
			}
			if n := sched.NextAfter(anchor, now); !n.IsZero() {
				v.NextRun = &n
			}
		}
		views = append(views, v)
	}
	if *asJSON {
		return printJSON(e.stdout, views, true)
	}
	if len(views) == 0 {
		fmt.Fprintln(e.stdout, "no subscriptions")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPLATFORM\tTEAM\tCHANNEL\tSCHEDULE\tONLY-NEW\tNEXT RUN\tLAST DELIVERY")
	for _, v := range views {
		next, last := "never", "none"
		if v.NextRun != nil {
			next = v.NextRun.Format("2006-01-02 15:04 MST")
		}
		if d := v.LastDelivery; d != nil {
			last = d.Slot.UTC().Format(time.RFC3339) + " " + string(d.State)
			if d.Late {
				last += " (late)"
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%v\t%s\t%s\n", v.ID, v.Platform, v.Team, v.Channel, v.Schedule, v.OnlyNew, next, last)
	}
	return tw.Flush()
}

func subscriptionsRemove(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("subscriptions remove", flag.ContinueOnError)
	sf := addScopeFlags(fs)
	id := fs.Int64("id", 0, "the subscription's id, as subscriptions list shows it (instead of --platform, --team and --channel)")
	// The id may also come as the one positional argument: "remove 3".
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		n, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil || n <= 0 {
			return usagef("subscriptions remove: %q is not a subscription id (alexa-brief subscriptions list shows them)\nusage: %s", args[0], usageSubsRemove)
		}
		args = append(args[1:], "--id", args[0])
	}
	if err := parseFlags(e, fs, args, usageSubsRemove); err != nil {
		return helpOK(err)
	}
	byID := *id != 0
	if byID && (*sf.platform != "" || *sf.team != "" || *sf.channel != "") {
		return usagef("subscriptions remove: give an id or --platform, --team and --channel, not both\nusage: %s", usageSubsRemove)
	}
	if *id < 0 {
		return usagef("subscriptions remove: --id %d is not a subscription id\nusage: %s", *id, usageSubsRemove)
	}
	var sc bot.Scope
	if !byID {
		var err error
		if sc, err = sf.scope("subscriptions remove", usageSubsRemove); err != nil {
			return err
		}
	}
	st, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	if byID {
		subs, err := st.Subscriptions(ctx)
		if err != nil {
			return fmt.Errorf("subscriptions remove: %w", err)
		}
		i := slices.IndexFunc(subs, func(s bot.Subscription) bool { return s.ID == *id })
		if i < 0 {
			return usagef("subscriptions remove: no subscription has id %d (alexa-brief subscriptions list shows them)", *id)
		}
		sc = subs[i].Scope
	}
	removed, err := st.DeleteSubscription(ctx, sc)
	if err != nil {
		return fmt.Errorf("subscriptions remove: %w", err)
	}
	if !removed {
		// Naming a channel that has no subscription is bad input: exit 2.
		return usagef("subscriptions remove: %s has no subscription (alexa-brief subscriptions list shows the subscribed channels)", scopeName(sc))
	}
	fmt.Fprintf(e.stdout, "unsubscribed %s\n", scopeName(sc))
	return nil
}

func cmdDigest(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "run" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprintf(e.stdout, "usage: %s\n", usageDigestRun)
			return nil
		}
		if len(args) > 0 {
			return usagef("digest: unknown action %q, say run\nusage: %s", args[0], usageDigestRun)
		}
		return usagef("digest: say run\nusage: %s", usageDigestRun)
	}
	fs := flag.NewFlagSet("digest run", flag.ContinueOnError)
	nowFlag := fs.String("now", "", "run the pass as if the clock read this RFC3339 instant (default: now)")
	lease := fs.Duration("lease", 0, "how long a claim holds before another replica may take the slot over when this process dies (default 5m)")
	if err := parseFlags(e, fs, args[1:], usageDigestRun); err != nil {
		return helpOK(err)
	}
	if *lease < 0 {
		return usagef("digest run: --lease %s is negative (e.g. --lease 2m)", *lease)
	}
	now := time.Now()
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			return usagef("digest run: --now %q is not an RFC3339 time (e.g. 2026-03-09T09:00:00Z)", *nowFlag)
		}
		now = t
	}
	log := newLogger(e.stderr, e.cfg)
	st, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	lib, err := openLibrary(ctx, e, e.cfg.CorpusDir, st, log)
	if err != nil {
		return err
	}
	b := bot.New(bot.Config{Library: lib, Store: st, Logger: log, MinInterval: e.cfg.MinInterval})
	posters, err := digestPosters(e, b, st, log)
	if err != nil {
		return err
	}
	s := bot.NewScheduler(bot.SchedulerConfig{
		Store: st, Posters: posters, Bot: b, Catchup: e.cfg.Catchup, Logger: log, Lease: *lease,
	})
	sum, err := s.RunOnce(ctx, now)
	fmt.Fprintf(e.stdout, "digest run: %s\n", sum)
	if err != nil {
		return fmt.Errorf("digest run: %w", err)
	}
	if sum.Unrouted > 0 {
		// Not an error (another replica may hold the token), but an
		// operator running this by hand needs to know why nothing posted.
		fmt.Fprintf(e.stderr, "alexa-brief: digest run: %d due digest(s) are for a platform not configured here (set SLACK_BOT_TOKEN or SLACK_CLIENT_ID/SECRET for Slack, DISCORD_BOT_TOKEN and DISCORD_APP_ID for Discord); they stay due\n", sum.Unrouted)
	}
	if sum.Failed > 0 {
		return fmt.Errorf("digest run: %d digest(s) failed (alexa-brief subscriptions list shows the errors)", sum.Failed)
	}
	return nil
}

// digestPosters builds a poster per configured platform: Slack with a bot
// token or OAuth installs, Discord with a bot token, and the shell, which
// prints digests for its channel on stdout.
func digestPosters(e *env, b *bot.Bot, st bot.Store, log *slog.Logger) (map[string]bot.Poster, error) {
	posters := map[string]bot.Poster{
		bot.PlatformShell: shell.New(shell.Config{Out: e.stdout, Handler: b, Logger: log}),
	}
	if e.cfg.Slack.BotToken != "" || e.cfg.Slack.ClientID != "" {
		a, err := slack.New(slack.Config{
			SigningSecret: e.cfg.Slack.SigningSecret,
			BotToken:      e.cfg.Slack.BotToken,
			ClientID:      e.cfg.Slack.ClientID,
			ClientSecret:  e.cfg.Slack.ClientSecret,
			APIURL:        e.cfg.Slack.APIURL,
			Logger:        log,
		}, b, st)
		if err != nil {
			return nil, fmt.Errorf("digest run: %w", err)
		}
		posters[bot.PlatformSlack] = a
	}
	if e.cfg.Discord.BotToken != "" {
		a, err := discord.New(discord.Config{
			AppID:     e.cfg.Discord.AppID,
			PublicKey: ed25519.PublicKey(e.cfg.Discord.PublicKey),
			BotToken:  e.cfg.Discord.BotToken,
			APIURL:    e.cfg.Discord.APIURL,
			Logger:    log,
		}, b, st)
		if err != nil {
			return nil, fmt.Errorf("digest run: %w", err)
		}
		posters[bot.PlatformDiscord] = a
	}
	return posters, nil
}
