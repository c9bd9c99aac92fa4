package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"runtime/debug"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/alexa-brief/alexa-brief/briefs"
)

// Config is what a Bot needs: Library, or Corpus alone (one fixed story,
// as with --corpus); the rest have defaults.
type Config struct {
	Corpus *briefs.Corpus
	// Library holds the stories; each channel is answered from the one it
	// follows. Without it every channel gets Corpus.
	Library *Library
	// Fetcher fetches the pages "/alexa-brief add" names; without one the
	// command is refused.
	Fetcher Fetcher
	// Store keeps subscriptions and conversations. Without one the bot
	// still answers, but forgets follow-ups and refuses subscribe.
	Store   Store
	Clock   Clock        // default SystemClock
	Logger  *slog.Logger // default discards
	Metrics Metrics      // default NopMetrics
	// MinInterval is the most frequent digest schedule allowed
	// (default one minute).
	MinInterval time.Duration
	// Writer, when set, writes answers with a language model; without
	// one answers are extractive only.
	Writer AnswerWriter
}

// Bot answers requests from every platform. It is safe for concurrent use.
type Bot struct {
	corpus      *briefs.Corpus
	lib         *Library
	fetch       Fetcher
	store       Store
	clock       Clock
	log         *slog.Logger
	metrics     Metrics
	minInterval time.Duration
	writer      AnswerWriter
	replies     replyCache
}

// New returns a Bot over cfg.
func New(cfg Config) *Bot {
	b := &Bot{
		store:       cfg.Store,
		clock:       cfg.Clock,
		log:         cfg.Logger,
		metrics:     cfg.Metrics,
		minInterval: cfg.MinInterval,
		writer:      cfg.Writer,
	}
	if b.clock == nil {
		b.clock = SystemClock{}
	}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	if b.metrics == nil {
		b.metrics = NopMetrics{}
	}
	if b.minInterval <= 0 {
		b.minInterval = time.Minute
	}
	b.corpus, b.lib, b.fetch = cfg.Corpus, cfg.Library, cfg.Fetcher
	return b
}

// Corpus returns the default story's corpus as it is now (nil when it
// cannot be built).
func (b *Bot) Corpus() *briefs.Corpus {
	if b.lib == nil {
		return b.corpus
	}
	c, err := b.lib.Corpus(context.Background(), DefaultStory)
	if err != nil {
		return nil
	}
	return c
}

// Library returns the bot's stories (nil with a fixed corpus).
func (b *Bot) Library() *Library { return b.lib }

// StoryOf is the story a channel follows: DefaultStory unless a manager
// chose another with follow (and it still exists).
func (b *Bot) StoryOf(ctx context.Context, sc Scope) (string, error) {
	if b.lib == nil || b.store == nil || !scopeOK(sc) {
		return DefaultStory, nil
	}
	if b.lib.onlyDefault() {
		// A stored follow can only name a story that is gone, which means
		// the default: no need to read it on every request.
		return DefaultStory, nil
	}
	id, err := b.store.ChannelStory(ctx, sc)
	switch {
	case errors.Is(err, ErrNotFound):
		return DefaultStory, nil
	case err != nil:
		return "", fmt.Errorf("bot: channel story: %w", err)
	}
	if _, ok := b.lib.Story(id); !ok {
		return DefaultStory, nil // the story was removed
	}
	return id, nil
}

// CorpusFor returns the corpus of the story a channel follows. An empty
// story is ErrEmptyStory, which callers tell the user.
func (b *Bot) CorpusFor(ctx context.Context, sc Scope) (*briefs.Corpus, error) {
	if b.lib == nil {
		if b.corpus == nil {
			return nil, errors.New("bot: no corpus loaded")
		}
		return b.corpus, nil
	}
	id, err := b.StoryOf(ctx, sc)
	if err != nil {
		return nil, err
	}
	return b.lib.Corpus(ctx, id)
}

// Limits on what a user may send. Anything longer is refused with a reply
// saying so, rather than truncated: a cut question would get a wrong answer.
const (
	maxTextRunes     = 4000 // a whole message or command text
	maxQuestionRunes = 500
	maxScheduleRunes = 200
)

// Outcomes, as counted by Metrics.CommandHandled.
const (
	outcomeOK       = "ok"
	outcomeDeclined = "declined"
	outcomeBadInput = "bad_input"
	outcomeDenied   = "denied"
	outcomeError    = "error"
)

// Log keys of the per-request line.
const (
	logPlatform = "platform"
	logTeam     = "team"
	logCommand  = "command"
	logOutcome  = "outcome"
	logLatency  = "latency"
	logEvent    = "event_id"
	logErr      = "err"
)

// errNoStore is returned by commands that need a store when there is none.
var errNoStore = errors.New("bot: no store configured")

// result is what one request did, for the metrics and the log line.
type result struct {
	command string
	outcome string
	err     error
}

// Handle answers one request. It never panics and never returns an error:
// a failure becomes a safe reply and one log line with the detail.
func (b *Bot) Handle(ctx context.Context, req Request) (reply Reply) {
	start := time.Now()
	res := &result{command: "unknown", outcome: outcomeError}
	defer func() {
		if p := recover(); p != nil {
			res.outcome = outcomeError
			res.err = fmt.Errorf("bot: panic: %v\n%s", p, debug.Stack())
			reply = errorReply()
		}
		latency := time.Since(start)
		b.metrics.CommandHandled(req.Platform, res.command, res.outcome, latency)
		level := slog.LevelInfo
		attrs := []slog.Attr{
			slog.String(logPlatform, req.Platform),
			slog.String(logTeam, req.Team),
			slog.String(logCommand, res.command),
			slog.String(logOutcome, res.outcome),
			slog.Duration(logLatency, latency),
		}
		if req.EventID != "" {
			attrs = append(attrs, slog.String(logEvent, req.EventID))
		}
		if res.err != nil {
			level = slog.LevelError
			if ctx.Err() != nil && errors.Is(res.err, ctx.Err()) {
				// Cancelled from outside (a drain out of time, a client
				// gone): no fault of the bot, and the event is answered
				// by whoever takes it next.
				level = slog.LevelWarn
			}
			attrs = append(attrs, slog.String(logErr, res.err.Error()))
		}
		b.log.LogAttrs(ctx, level, "request", attrs...)
	}()
	reply = b.dispatch(ctx, req, res)
	if res.err != nil {
		res.outcome = outcomeError
		reply = errorReply()
	}
	return reply
}

// dispatch routes a request by kind.
func (b *Bot) dispatch(ctx context.Context, req Request, res *result) Reply {
	if b.lib == nil && b.corpus == nil {
		res.err = errors.New("bot: no corpus loaded")
		return Reply{}
	}
	switch req.Kind {
	case KindCommand:
		return b.command(ctx, req, req.Text, res)
	case KindMessage:
		return b.message(ctx, req, res)
	case KindAction:
		return b.action(ctx, req, res)
	}
	res.outcome = outcomeBadInput
	return failure("I don't understand that kind of request.")
}

// command runs "/alexa-brief <text>".
func (b *Bot) command(ctx context.Context, req Request, text string, res *result) Reply {
	cleaned, ok := clean(text)
	if !ok {
		res.command = overlongCommand(text)
		res.outcome = outcomeBadInput
		return tooLong(maxTextRunes)
	}
	name, arg := splitCommand(stripMentions(cleaned))
	if name == "" {
		name = "brief"
	}
	spec, found := lookup(name)
	if !found {
		res.command = "unknown"
		res.outcome = outcomeBadInput
		return unknownReply(name, arg)
	}
	res.command = spec.cmd.Name
	return b.run(ctx, req, spec, arg, res)
}

// run checks a command's argument and permission, then calls its handler.
func (b *Bot) run(ctx context.Context, req Request, spec entry, arg string, res *result) Reply {
	c := spec.cmd
	switch {
	case c.Name == "help":
		// "help ask", "help me": whatever follows, the help is the answer.
	case c.Arg == "" && arg != "":
		// Extra words after a command that takes none are almost always a
		// question typed after the wrong word; say how to ask instead of
		// silently ignoring them.
		res.outcome = outcomeBadInput
		return failure(fmt.Sprintf("`%s` takes no argument. To ask a question: `%s ask %s`", c.Name, commandPrefix, shorten(arg, 80)))
	case c.ArgRequired && arg == "":
		res.outcome = outcomeBadInput
		return usageReply(c)
	}
	if c.Manage && !req.CanManage {
		res.outcome = outcomeDenied
		return failure("Only people who can manage this channel can change its digests, its story or its articles.")
	}
	reply, outcome, err := spec.run(b, ctx, req, arg)
	res.outcome, res.err = outcome, err
	return reply
}

// readOnly lists the commands a bare word in a direct message selects; any
// other DM text is a question.
var readOnly = map[string]bool{"brief": true, "quotes": true, "facts": true, "sources": true, "help": true, "schedule": true, "stories": true}

// message answers a direct message or a mention: a question, unless it is
// one of the read-only command words or an explicit "/alexa-brief …".
func (b *Bot) message(ctx context.Context, req Request, res *result) Reply {
	res.command = "dm"
	text, ok := clean(req.Text)
	if !ok {
		if rest, isCmd := cutCommandPrefix(strings.TrimSpace(req.Text)); isCmd {
			res.command = overlongCommand(rest)
		}
		res.outcome = outcomeBadInput
		return tooLong(maxTextRunes)
	}
	text = stripMentions(text)
	if rest, isCmd := cutCommandPrefix(text); isCmd {
		return b.command(ctx, req, rest, res)
	}
	if text == "" {
		res.outcome = outcomeBadInput
		return failure("Ask me anything about the story, or type `help`.")
	}
	name, arg := splitCommand(text)
	word := strings.TrimRight(name, "?!.")
	if spec, found := lookup(word); found {
		switch {
		case arg == "" && readOnly[spec.cmd.Name]:
			res.command = spec.cmd.Name
			return b.run(ctx, req, spec, "", res)
		case name == "ask" && arg != "":
			// Only the word itself: "question 3 is…" or "q about…" are
			// questions, not the ask command's aliases.
			res.command = "ask"
			return b.run(ctx, req, spec, arg, res)
		case slashOnly(spec.cmd, word, arg):
			res.command = spec.cmd.Name
			res.outcome = outcomeBadInput
			return slashHint(spec.cmd, arg)
		}
	}
	reply, outcome, err := b.answer(ctx, req, text)
	res.outcome, res.err = outcome, err
	return reply
}

// action handles a button press.
func (b *Bot) action(ctx context.Context, req Request, res *result) Reply {
	res.command = "action:unknown"
	switch req.Action {
	case ActionQuotes, ActionSources, ActionFacts:
		res.command = "action:" + req.Action
		spec, _ := lookup(req.Action)
		return b.run(ctx, req, spec, "", res)
	case ActionAsk:
		res.command = "action:ask"
		q, ok := clean(req.Value)
		if !ok || q == "" {
			res.outcome = outcomeBadInput
			return failure("That button carries no question. Ask with `" + commandPrefix + " ask <question>`.")
		}
		reply, outcome, err := b.answer(ctx, req, q)
		res.outcome, res.err = outcome, err
		return reply
	case ActionShare:
		res.command = "action:share"
		return b.share(ctx, req, res)
	}
	res.outcome = outcomeBadInput
	return failure("That button is no longer supported. Try `" + commandPrefix + " help`.")
}

// share reposts a read-only reply for the whole channel. Value is the
// command text. An ask posts the answer the asker saw, as the conversation
// recorded it; asking again would add a turn and could answer otherwise (a
// follow-up asked afresh, a grown corpus), so without it share refuses.
func (b *Bot) share(ctx context.Context, req Request, res *result) Reply {
	text, ok := clean(req.Value)
	if !ok {
		res.outcome = outcomeBadInput
		return tooLong(maxTextRunes)
	}
	name, arg := splitCommand(text)
	if name == "" {
		name = "brief"
	}
	spec, found := lookup(name)
	if !found || spec.cmd.Manage || spec.cmd.Name == "schedule" {
		res.outcome = outcomeBadInput
		return failure("Only briefs, quotes, facts, sources and answers can be shared.")
	}
	var reply Reply
	if spec.cmd.Name == "ask" && arg != "" {
		ans, found, err := b.recall(ctx, req, arg)
		if err != nil {
			res.err = err
			return Reply{}
		}
		if !found {
			res.outcome = outcomeBadInput
			return failure("I no longer have that answer, so I can't share it as you saw it. Ask again with `" +
				commandPrefix + " ask " + shorten(arg, 80) + "` and share the new answer.")
		}
		c, err := b.CorpusFor(ctx, req.Scope)
		if err != nil {
			res.err = err
			return Reply{}
		}
		res.outcome = outcomeOK
		if !ans.Answered {
			res.outcome = outcomeDeclined
		}
		reply = AnswerReply(c, ans)
	} else {
		reply = b.run(ctx, req, spec, arg, res)
	}
	if !reply.Failure {
		reply.InChannel = true
		reply.Buttons = withoutShare(reply.Buttons)
		reply.Key = "" // not the content the key names any more
	}
	return reply
}

func withoutShare(bs []Button) []Button {
	var out []Button
	for _, b := range bs {
		if b.Action != ActionShare {
			out = append(out, b)
		}
	}
	return out
}

// clean makes user text safe to handle: valid UTF-8, control characters as
// spaces, invisible and bidi controls removed, runs of spaces collapsed,
// trimmed. ok is false when the text is over the length limit.
func clean(s string) (string, bool) {
	if utf8.RuneCountInString(s) > maxTextRunes {
		return "", false
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r), unicode.Is(unicode.Zl, r), unicode.Is(unicode.Zp, r):
			return ' '
		case r == '\u200b' || r == '\ufeff': // zero-width space, BOM
			return -1
		case unicode.Is(unicode.Bidi_Control, r):
			// Echoed into titles and shared reposts, an override or isolate
			// would reorder the text around it (U+202A–E, U+2066–9, marks).
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " "), true
}

// cutCommandPrefix reports whether text is "/alexa-brief" or starts with
// "/alexa-brief ", in any case (the command words are case-insensitive,
// so the prefix is too), and returns what follows it.
func cutCommandPrefix(text string) (rest string, ok bool) {
	if len(text) < len(commandPrefix) || !strings.EqualFold(text[:len(commandPrefix)], commandPrefix) {
		return "", false
	}
	rest = text[len(commandPrefix):]
	return rest, rest == "" || rest[0] == ' '
}

// leadingMentions matches user mentions opening a text: Slack's <@U123>
// or <@U123|name>, Discord's <@123> or <@!123>. People address the bot
// by name before the command out of habit ("/alexa-brief @alexa-brief
// facts"), which would otherwise be read as the command word.
var leadingMentions = regexp.MustCompile(`^(<@!?[A-Za-z0-9]+(\|[^>]*)?>\s*)+`)

func stripMentions(text string) string { return leadingMentions.ReplaceAllString(text, "") }

// overlongCommand names the command of a text too long to handle, for the
// metrics and the log line: its first word when that is a command word,
// else "unknown".
func overlongCommand(raw string) string {
	head, _ := clean(raw[:min(len(raw), 256)]) // short: only the first word counts
	name, _ := splitCommand(stripMentions(head))
	if spec, found := lookup(name); found {
		return spec.cmd.Name
	}
	return "unknown"
}

// slashOnly reports whether a direct message that starts with the word of
// a command changing the channel (subscribe, unsubscribe, follow, add) is
// that command typed without the slash, rather than a question that
// happens to start with it ("follow up on…", "add up the losses?").
func slashOnly(c Command, word, arg string) bool {
	switch c.Name {
	case "subscribe":
		return true
	case "unsubscribe":
		return arg == "" || word != "stop"
	case "follow":
		return !strings.Contains(arg, " ")
	case "add":
		first, _, _ := strings.Cut(arg, " ")
		return arg == "" || looksLikeURL.MatchString(first)
	}
	return false
}

// looksLikeURL matches a web address as people type one, with or without
// the scheme.
var looksLikeURL = regexp.MustCompile(`(?i)^(<?https?://|www\.|[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(/|$))`)

// slashHint points a command typed without the slash to its slash form: a
// direct message is read as a question, and answering "subscribe daily
// 09:00" from the articles helps nobody.
func slashHint(c Command, arg string) Reply {
	usage := commandPrefix + " " + c.Usage
	if c.Arg != "" && arg != "" {
		usage = commandPrefix + " " + c.Name + " " + shorten(arg, 200)
	}
	return failure(fmt.Sprintf("That looks like the `%s` command, which needs the slash command: `%s`. Anything else typed here is taken as a question.", c.Name, usage))
}

// splitCommand splits cleaned text into its lower-cased first word and the
// rest.
func splitCommand(text string) (name, arg string) {
	name, arg, _ = strings.Cut(text, " ")
	return strings.ToLower(name), strings.TrimSpace(arg)
}

// shorten cuts s to at most n runes, marking the cut.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
