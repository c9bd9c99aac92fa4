package bot

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/alexa-brief/alexa-brief/briefs"
)

// commandPrefix is the slash command as users type it.
const commandPrefix = "/alexa-brief"

// handler runs one command. It returns the reply, the outcome for metrics
// and an internal error (which Handle turns into a safe reply).
type handler func(b *Bot, ctx context.Context, req Request, arg string) (Reply, string, error)

// entry is a table row: the public Command and its handler.
type entry struct {
	cmd Command
	run handler
}

// table is the /alexa-brief command set, in the order help lists it.
var table = []Command{
	{
		Name: "brief", Aliases: []string{"summary", "tldr"}, Usage: "brief",
		Description: "The story in a few points, each citing its articles, with the best quote",
		Examples:    []string{"", "brief"},
	},
	{
		Name: "quotes", Aliases: []string{"quote"}, Usage: "quotes",
		Description: "What people said, verbatim, with who said it",
		Examples:    []string{"quotes"},
	},
	{
		Name: "facts", Aliases: []string{"fact", "figures", "numbers"}, Usage: "facts",
		Description: "Key figures: money, counts, percentages, dates and periods",
		Examples:    []string{"facts"},
	},
	{
		Name: "sources", Aliases: []string{"source", "articles"}, Usage: "sources",
		Description: "The articles everything is taken from",
		Examples:    []string{"sources"},
	},
	{
		Name: "ask", Aliases: []string{"q", "question"}, Usage: "ask <question>",
		Description: "Answer a question from the articles, quoting them, or say they don't say",
		Examples:    []string{"ask how much did Amazon lose on devices?", "ask what did Dave Limp say?"},
		Arg:         "question", ArgDescription: "your question about the story", ArgRequired: true,
	},
	{
		Name: "subscribe", Aliases: []string{"sub"}, Usage: "subscribe <schedule>",
		Description: "Post a digest in this channel on a schedule",
		Examples:    []string{"subscribe daily 09:00 Europe/Berlin", "subscribe weekdays 08:30 America/New_York", "subscribe @every 2h", "subscribe CRON_TZ=UTC 0 9 * * 1"},
		Arg:         "schedule", ArgDescription: "daily HH:MM [Zone], weekdays HH:MM [Zone], @daily, @every 2h or a cron spec", ArgRequired: true,
		Manage: true,
	},
	{
		Name: "unsubscribe", Aliases: []string{"unsub", "stop"}, Usage: "unsubscribe",
		Description: "Stop this channel's digests",
		Examples:    []string{"unsubscribe"},
		Manage:      true,
	},
	{
		Name: "schedule", Aliases: []string{"status", "next"}, Usage: "schedule",
		Description: "This channel's digest schedule, next run and last delivery",
		Examples:    []string{"schedule"},
	},
	{
		Name: "stories", Aliases: []string{"story"}, Usage: "stories",
		Description: "The stories alexa-brief follows, and which one this channel gets",
		Examples:    []string{"stories"},
	},
	{
		Name: "follow", Usage: "follow <story>",
		Description: "Brief this channel (commands and digests) on another story",
		Examples:    []string{"follow default"},
		Arg:         "story", ArgDescription: "a story id from `stories`", ArgRequired: true,
		Manage: true,
	},
	{
		Name: "add", Aliases: []string{"ingest"}, Usage: "add <url> [story]",
		Description: "Add a web article to a story (or to the stories whose rules it matches)",
		Examples:    []string{"add https://example.com/news/article.html"},
		Arg:         "url", ArgDescription: "the article's web address, then optionally a story id", ArgRequired: true,
		Manage: true,
	},
	{
		Name: "help", Aliases: []string{"?", "commands", "usage"}, Usage: "help",
		Description: "What you can ask alexa-brief",
		Examples:    []string{"help"},
	},
}

// Commands returns the /alexa-brief command table. Adapters use it to
// register commands (Discord) and describe them (Slack manifest, help).
func Commands() []Command {
	out := make([]Command, len(table))
	for i, c := range table {
		c.Aliases = append([]string(nil), c.Aliases...)
		c.Examples = append([]string(nil), c.Examples...)
		out[i] = c
	}
	return out
}

// handlers maps command names to their handlers. It is filled in init
// because the help handler reads the table: a plain initializer would be
// an initialization cycle.
var handlers map[string]handler

func init() {
	handlers = map[string]handler{
		"brief":       (*Bot).cmdBrief,
		"quotes":      (*Bot).cmdQuotes,
		"facts":       (*Bot).cmdFacts,
		"sources":     (*Bot).cmdSources,
		"ask":         (*Bot).cmdAsk,
		"subscribe":   (*Bot).cmdSubscribe,
		"unsubscribe": (*Bot).cmdUnsubscribe,
		"schedule":    (*Bot).cmdSchedule,
		"stories":     (*Bot).cmdStories,
		"follow":      (*Bot).cmdFollow,
		"add":         (*Bot).cmdAdd,
		"help":        (*Bot).cmdHelp,
	}
}

// lookup finds a command by name or alias (lower case).
func lookup(word string) (entry, bool) {
	for _, c := range table {
		if c.Name == word || slices.Contains(c.Aliases, word) {
			return entry{cmd: c, run: handlers[c.Name]}, true
		}
	}
	return entry{}, false
}

// nearest returns the command whose name or alias is closest to word by
// edit distance, and that distance. Ties go to the earlier command.
func nearest(word string) (Command, int) {
	best, bestD := table[0], -1
	for _, c := range table {
		for _, w := range append([]string{c.Name}, c.Aliases...) {
			if d := EditDistance(word, w); bestD < 0 || d < bestD {
				best, bestD = c, d
			}
		}
	}
	return best, bestD
}

// EditDistance is the optimal-string-alignment distance over runes:
// insertions, deletions, substitutions and swaps of neighbours each cost 1,
// so "breif" is one step from "brief". The CLI uses it for its own
// "did you mean" too.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 {
		ra = ra[:64] // the command words are short; bound the work
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// unknownReply is the help text led by the nearest command. When the word
// is far from every command and more words follow, the user most likely
// typed a question, so the suggestion is to ask it.
func unknownReply(word, arg string) Reply {
	c, d := nearest(word)
	suggestion := commandPrefix + " " + c.Usage
	if d > max(2, utf8.RuneCountInString(word)/2) && arg != "" {
		suggestion = commandPrefix + " ask " + shorten(word+" "+arg, 200)
	} else if c.Arg != "" && arg != "" {
		suggestion = commandPrefix + " " + c.Name + " " + shorten(arg, 200)
	}
	r := helpReply()
	r.Sections[0].Heading = "Commands"
	r.Title = fmt.Sprintf("Unknown command “%s”", shorten(word, 40))
	r.Sections = append([]Section{{Text: "Did you mean `" + suggestion + "`?"}}, r.Sections...)
	r.Failure = true
	return r
}

// helpReply lists every command, generated from the table.
func helpReply() Reply {
	items := make([]Item, 0, len(table))
	for _, c := range table {
		items = append(items, Item{Text: fmt.Sprintf("`%s %s` — %s", commandPrefix, c.Usage, c.Description)})
	}
	var examples []Item
	for _, c := range table {
		for _, ex := range c.Examples {
			if ex != "" && ex != c.Name {
				examples = append(examples, Item{Text: "`" + commandPrefix + " " + ex + "`"})
			}
		}
	}
	return Reply{
		Title: "alexa-brief commands",
		Sections: []Section{
			{Items: items},
			{Heading: "Examples", Items: examples},
			{Text: "In a direct message, just ask a question; follow-ups like “what else did he say?” refer back to the conversation. `brief`, `quotes`, `facts`, `sources` and `help` work there too."},
		},
	}
}

// usageReply explains a command whose argument is missing or wrong.
func usageReply(c Command) Reply {
	sec := []Section{{Text: fmt.Sprintf("Usage: `%s %s` — %s", commandPrefix, c.Usage, c.ArgDescription)}}
	var ex []Item
	for _, e := range c.Examples {
		ex = append(ex, Item{Text: "`" + commandPrefix + " " + e + "`"})
	}
	if len(ex) > 0 {
		sec = append(sec, Section{Heading: "Examples", Items: ex})
	}
	return Reply{Title: fmt.Sprintf("`%s` needs a %s", c.Name, c.Arg), Sections: sec, Failure: true}
}

func (b *Bot) cmdHelp(ctx context.Context, req Request, arg string) (Reply, string, error) {
	return helpReply(), outcomeOK, nil
}

func (b *Bot) cmdBrief(ctx context.Context, req Request, arg string) (Reply, string, error) {
	brief := b.cached("brief", func(c *briefs.Corpus) Reply { return BriefReply(c, DefaultPoints) })
	return b.withCorpus(ctx, req, func(c *briefs.Corpus) Reply { return b.summarize(ctx, c, brief(c)) })
}

func (b *Bot) cmdQuotes(ctx context.Context, req Request, arg string) (Reply, string, error) {
	return b.withCorpus(ctx, req, b.cached("quotes", func(c *briefs.Corpus) Reply { return QuotesReply(c, chatQuotes) }))
}

func (b *Bot) cmdFacts(ctx context.Context, req Request, arg string) (Reply, string, error) {
	return b.withCorpus(ctx, req, b.cached("facts", func(c *briefs.Corpus) Reply { return FactsReply(c, chatFacts) }))
}

// cached is build with its replies kept per corpus (replycache.go): build
// must depend on the corpus alone.
func (b *Bot) cached(command string, build func(*briefs.Corpus) Reply) func(*briefs.Corpus) Reply {
	return func(c *briefs.Corpus) Reply { return b.replies.reply(command, c, build) }
}

func (b *Bot) cmdSources(ctx context.Context, req Request, arg string) (Reply, string, error) {
	return b.withCorpus(ctx, req, func(c *briefs.Corpus) Reply { return b.sourcesReply(c) })
}

// withCorpus renders a view of the channel's story; a story with no
// articles yet gets a reply saying so.
func (b *Bot) withCorpus(ctx context.Context, req Request, render func(*briefs.Corpus) Reply) (Reply, string, error) {
	c, err := b.CorpusFor(ctx, req.Scope)
	if errors.Is(err, ErrEmptyStory) {
		return emptyStoryReply(err), outcomeOK, nil
	}
	if err != nil {
		return Reply{}, outcomeError, err
	}
	return render(c), outcomeOK, nil
}

func (b *Bot) cmdAsk(ctx context.Context, req Request, arg string) (Reply, string, error) {
	return b.answer(ctx, req, arg)
}

// scopeOK reports whether a request names a channel whose state may be
// kept: a platform and a channel at least (Discord DMs have no guild).
func scopeOK(sc Scope) bool { return sc.Platform != "" && sc.Channel != "" }

// when formats an instant for people, in the schedule's zone.
func when(t time.Time, loc *time.Location) string { return whenAt(t, loc, false) }

// whenAt is when, with the seconds when asked.
func whenAt(t time.Time, loc *time.Location, seconds bool) string {
	if loc == nil {
		loc = time.UTC
	}
	if seconds {
		return t.In(loc).Format("Mon 2 Jan 2006 15:04:05 MST")
	}
	return t.In(loc).Format("Mon 2 Jan 2006 15:04 MST")
}

// needSeconds reports whether a list of runs must show seconds: runs off
// the minute or under a minute apart ("@every 2s") would otherwise all
// read as the same minute.
func needSeconds(ts []time.Time) bool {
	for i, t := range ts {
		if t.Second() != 0 || i > 0 && t.Sub(ts[i-1]) < time.Minute {
			return true
		}
	}
	return false
}

func (b *Bot) cmdSubscribe(ctx context.Context, req Request, arg string) (Reply, string, error) {
	if b.store == nil {
		return Reply{}, outcomeError, errNoStore
	}
	if !scopeOK(req.Scope) {
		return failure("This conversation can't receive digests."), outcomeBadInput, nil
	}
	if utf8.RuneCountInString(arg) > maxScheduleRunes {
		return tooLong(maxScheduleRunes), outcomeBadInput, nil
	}
	sched, err := ParseSchedule(arg, b.minInterval)
	if err != nil {
		return Reply{Title: "That schedule doesn't work", Sections: []Section{{Text: upperFirst(err.Error()) + "."}}, Failure: true}, outcomeBadInput, nil
	}
	now := b.clock.Now()
	sub, err := b.store.PutSubscription(ctx, Subscription{
		Scope:     req.Scope,
		Schedule:  sched.Spec(),
		CreatedBy: req.User,
		CreatedAt: now.UTC(),
	})
	if err != nil {
		return Reply{}, outcomeError, fmt.Errorf("bot: subscribe: %w", err)
	}
	// "Subscribed" only of a subscription the store keeps: a SQLite file
	// deleted under the process would take the write and lose it at exit.
	if err := b.store.Heartbeat(ctx); err != nil {
		return Reply{}, outcomeError, fmt.Errorf("bot: subscribe: %w", err)
	}
	var runs []time.Time
	for t, i := now, 0; i < 3; i++ {
		t = sched.Next(t)
		if t.IsZero() {
			break
		}
		runs = append(runs, t)
	}
	var next []Item
	seconds := needSeconds(runs)
	for _, t := range runs {
		next = append(next, Item{Text: whenAt(t, sched.Location(), seconds)})
	}
	return Reply{
		Title: "Subscribed",
		Sections: []Section{
			{Text: fmt.Sprintf("This channel gets a digest on `%s`.", sub.Schedule)},
			{Heading: "Next runs", Items: next},
			{Text: "`" + commandPrefix + " schedule` shows it; `" + commandPrefix + " unsubscribe` stops it."},
		},
	}, outcomeOK, nil
}

func (b *Bot) cmdUnsubscribe(ctx context.Context, req Request, arg string) (Reply, string, error) {
	if b.store == nil {
		return Reply{}, outcomeError, errNoStore
	}
	if !scopeOK(req.Scope) {
		return failure("This conversation has no digest subscription."), outcomeBadInput, nil
	}
	removed, err := b.store.DeleteSubscription(ctx, req.Scope)
	if err != nil {
		return Reply{}, outcomeError, fmt.Errorf("bot: unsubscribe: %w", err)
	}
	if !removed {
		return Reply{Title: "Not subscribed", Sections: []Section{{Text: "This channel had no digest subscription."}}}, outcomeOK, nil
	}
	return Reply{Title: "Unsubscribed", Sections: []Section{{Text: "This channel gets no more digests."}}}, outcomeOK, nil
}

func (b *Bot) cmdSchedule(ctx context.Context, req Request, arg string) (Reply, string, error) {
	if b.store == nil {
		return Reply{}, outcomeError, errNoStore
	}
	hint := "Subscribe with `" + commandPrefix + " subscribe daily 09:00 Europe/Berlin` (or `@every 2h`, `weekdays 08:30 America/New_York`, a cron spec)."
	if !scopeOK(req.Scope) {
		return Reply{Title: "No digest scheduled", Sections: []Section{{Text: hint}}}, outcomeOK, nil
	}
	sub, err := b.store.Subscription(ctx, req.Scope)
	if errors.Is(err, ErrNotFound) {
		return Reply{Title: "No digest scheduled", Sections: []Section{{Text: "This channel has no digest subscription. " + hint}}}, outcomeOK, nil
	}
	if err != nil {
		return Reply{}, outcomeError, fmt.Errorf("bot: schedule: %w", err)
	}
	last, lastErr := b.store.LastDelivery(ctx, sub.ID)
	if lastErr != nil && !errors.Is(lastErr, ErrNotFound) {
		return Reply{}, outcomeError, fmt.Errorf("bot: schedule: last delivery: %w", lastErr)
	}
	items := []Item{{Text: "Schedule: `" + sub.Schedule + "`"}}
	if sched, err := ParseSchedule(sub.Schedule, 0); err == nil {
		// The scheduler's anchor: "@every" counts from it.
		anchor := sub.CreatedAt
		if lastErr == nil && last.Slot.After(anchor) {
			anchor = last.Slot
		}
		if next := sched.NextAfter(anchor, b.clock.Now()); !next.IsZero() {
			items = append(items, Item{Text: "Next run: " + whenAt(next, sched.Location(), needSeconds([]time.Time{next}))})
		} else {
			items = append(items, Item{Text: "Next run: never (the schedule has no future time)"})
		}
	}
	switch {
	case lastErr != nil:
		items = append(items, Item{Text: "Last delivery: none yet"})
	default:
		line := fmt.Sprintf("Last delivery: %s — %s", when(last.Slot, time.UTC), last.State)
		if last.Late {
			line += " (late)"
		}
		if last.Error != "" {
			line += ": " + shorten(deliveryError(last.Error), 200)
		}
		items = append(items, Item{Text: line})
	}
	if sub.CreatedBy != "" {
		// The user goes last, as a mention the adapter renders: Slack and
		// Discord show a name where the text could only hold a raw id.
		items = append(items, Item{Text: "Set up on " + when(sub.CreatedAt, time.UTC) + " by", User: sub.CreatedBy})
	}
	return Reply{Title: "Digest schedule", Sections: []Section{{Items: items}}}, outcomeOK, nil
}

// internalError matches an error chain as Go code writes it ("library:
// briefs: article …"): a package prefix.
var internalError = regexp.MustCompile(`^[a-z][a-z0-9_]*: `)

// deliveryError is what a channel is told about a failed delivery: what the
// platform answered ("slack: not_in_channel", which a member can fix) or the
// scheduler's own sentence, but not an internal error chain, which means
// nothing to users, may name files and servers, and is in the log anyway.
func deliveryError(msg string) string {
	if strings.HasPrefix(msg, PlatformSlack+": ") || strings.HasPrefix(msg, PlatformDiscord+": ") || !internalError.MatchString(msg) {
		return msg
	}
	return "an internal error (the operator's log has the details)"
}

// upperFirst starts an error message as a sentence.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
