package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/alexa-brief/alexa-brief/adapters/shell"
	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// Usage lines of the corpus subcommands, quoted in their error messages.
const (
	usageBrief   = "alexa-brief brief [--json] [--corpus DIR] [--story ID] [--max-points N]"
	usageQuotes  = "alexa-brief quotes [--json] [--corpus DIR] [--story ID]"
	usageFacts   = "alexa-brief facts [--json] [--corpus DIR] [--story ID]"
	usageSources = "alexa-brief sources [--json] [--corpus DIR] [--story ID]"
	usageAsk     = "alexa-brief ask [--json] [--corpus DIR] [--story ID] [QUESTION...]"
	usageIngest  = "alexa-brief ingest PATH|URL... [--story ID]"
	usageShell   = "alexa-brief shell [--corpus DIR]"
	usageVersion = "alexa-brief version"
)

// corpusFlags are the flags every corpus subcommand takes.
type corpusFlags struct {
	fs     *flag.FlagSet
	json   *bool
	corpus *string
	story  *string
	usage  string
}

func newCorpusFlags(e *env, name, usage string) *corpusFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, by parse
	return &corpusFlags{
		fs:     fs,
		json:   fs.Bool("json", false, "print JSON (the shapes of docs/contract.md)"),
		corpus: fs.String("corpus", e.cfg.CorpusDir, "folder of .txt/.md articles (default: ALEXA_BRIEF_CORPUS, else the embedded corpus)"),
		story:  fs.String("story", "", "the story (default: "+bot.DefaultStory+"; see alexa-brief stories list)"),
		usage:  usage,
	}
}

// parse parses args; with interspersed, flags may follow positional
// arguments ("ask how much? --json"). -h prints the usage and errHelp.
func (f *corpusFlags) parse(e *env, args []string, interspersed bool) ([]string, error) {
	var rest, tail []string
	if interspersed {
		// "--" ends the flags: what follows is the question, verbatim
		// ("ask -- -5 degrees?").
		if i := slices.Index(args, "--"); i >= 0 {
			args, tail = args[:i], args[i+1:]
		}
	}
	rest, err := f.parseInterspersed(e, args, interspersed)
	if err != nil {
		return nil, err
	}
	return append(rest, tail...), nil
}

func (f *corpusFlags) parseInterspersed(e *env, args []string, interspersed bool) ([]string, error) {
	var rest []string
	for {
		if err := f.fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprintf(e.stdout, "usage: %s\n", f.usage)
				f.fs.SetOutput(e.stdout)
				f.fs.PrintDefaults()
				return nil, errHelp
			}
			return nil, usagef("%s: %v\nusage: %s", f.fs.Name(), err, f.usage)
		}
		args = f.fs.Args()
		if !interspersed || len(args) == 0 {
			return append(rest, args...), nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}

// errHelp ends a subcommand that printed its help: exit 0.
var errHelp = errors.New("help shown")

// helpOK turns errHelp into success.
func helpOK(err error) error {
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}

// noArgs refuses positional arguments.
func (f *corpusFlags) noArgs(rest []string) error {
	if len(rest) > 0 {
		return usagef("%s: unexpected argument %q\nusage: %s", f.fs.Name(), rest[0], f.usage)
	}
	return nil
}

// baseArticles reads dir, or the embedded corpus when dir is empty.
func baseArticles(dir string) ([]briefs.Article, error) {
	if dir == "" {
		arts, err := briefs.EmbeddedArticles()
		if err != nil {
			return nil, fmt.Errorf("corpus: embedded: %w", err)
		}
		return arts, nil
	}
	arts, err := briefs.LoadDir(dir)
	if err != nil {
		hint := "pass --corpus or ALEXA_BRIEF_CORPUS a folder of .txt or .md articles"
		if errors.Is(err, briefs.ErrEmpty) || errors.Is(err, briefs.ErrNotUTF8) || strings.Contains(err.Error(), "duplicate article id") {
			hint = "fix or remove that file: every .txt and .md file under the folder is an article, in UTF-8, and ids (file names) are unique"
		}
		// The engine's package prefix means nothing to the person fixing
		// the folder.
		return nil, usagef("corpus %s: %s (%s)", dir, strings.TrimPrefix(err.Error(), "briefs: "), hint)
	}
	return arts, nil
}

// sqlitePath returns the file a SQLite DATABASE_URL names and false for
// PostgreSQL. sqlite:PATH, sqlite://PATH and sqlite:///ABS all work: the
// URL form "sqlite://x.db" means the relative file x.db (as migrate and
// dbmate read it), not /x.db.
func sqlitePath(dsn string) (string, bool) {
	if isPostgres(dsn) {
		return "", false
	}
	if p, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		if rest, ok := strings.CutPrefix(p, "//"); ok {
			p = rest
		}
		return p, true
	}
	return dsn, true
}

// printJSON writes v as indented JSON, keeping “&”, “<” and “>” as they
// are in the articles.
func printJSON(w io.Writer, v any, indent bool) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("", "  ")
	}
	return enc.Encode(v)
}

// The JSON shapes of docs/contract.md promise arrays, never null: these fill nils.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func cleanBrief(b briefs.Brief) briefs.Brief {
	b.Points = nonNil(b.Points)
	for i := range b.Points {
		b.Points[i].Sources = nonNil(b.Points[i].Sources)
	}
	b.Sources = nonNil(b.Sources)
	return b
}

func cleanFacts(fs []briefs.Fact) []briefs.Fact {
	fs = nonNil(fs)
	for i := range fs {
		fs[i].Sources = nonNil(fs[i].Sources)
	}
	return fs
}

func cleanAnswer(a briefs.Answer) briefs.Answer {
	a.Citations = nonNil(a.Citations)
	a.Nearest = nonNil(a.Nearest)
	return a
}

// view is one of the read-only corpus views: brief, quotes, facts, sources.
// Each prints the SPEC JSON shape with --json and the chat rendering
// otherwise; extra flags (brief's --max-points) are added by addFlags.
type view struct {
	name, usage string
	addFlags    func(fs *flag.FlagSet) (check func() error, render func(*briefs.Corpus, *bot.Library) (any, bot.Reply))
}

func runView(ctx context.Context, e *env, v view, args []string) error {
	f := newCorpusFlags(e, v.name, v.usage)
	check, render := v.addFlags(f.fs)
	rest, err := f.parse(e, args, false)
	if err != nil {
		return helpOK(err)
	}
	if err := f.noArgs(rest); err != nil {
		return err
	}
	if err := check(); err != nil {
		return err
	}
	c, lib, err := readCorpus(ctx, e, *f.corpus, *f.story)
	if err != nil {
		return err
	}
	data, reply := render(c, lib)
	if *f.json {
		return printJSON(e.stdout, data, true)
	}
	_, err = io.WriteString(e.stdout, shell.Format(reply))
	return err
}

func noCheck() error { return nil }

func cmdBrief(ctx context.Context, e *env, args []string) error {
	w, _, err := newWriter(e.cfg, newLogger(e.stderr, e.cfg), nil)
	if err != nil {
		return err
	}
	return runView(ctx, e, view{"brief", usageBrief, func(fs *flag.FlagSet) (func() error, func(*briefs.Corpus, *bot.Library) (any, bot.Reply)) {
		maxPoints := fs.Int("max-points", bot.DefaultPoints, "number of points")
		check := func() error {
			if *maxPoints < 1 {
				return usagef("brief: --max-points %d: must be at least 1 (e.g. --max-points 3)", *maxPoints)
			}
			return nil
		}
		return check, func(c *briefs.Corpus, _ *bot.Library) (any, bot.Reply) {
			return briefView(ctx, w, c, *maxPoints)
		}
	}}, args)
}

func cmdQuotes(ctx context.Context, e *env, args []string) error {
	return runView(ctx, e, view{"quotes", usageQuotes, func(*flag.FlagSet) (func() error, func(*briefs.Corpus, *bot.Library) (any, bot.Reply)) {
		return noCheck, func(c *briefs.Corpus, _ *bot.Library) (any, bot.Reply) {
			return nonNil(c.Quotes()), bot.QuotesReply(c, 0)
		}
	}}, args)
}

func cmdFacts(ctx context.Context, e *env, args []string) error {
	return runView(ctx, e, view{"facts", usageFacts, func(*flag.FlagSet) (func() error, func(*briefs.Corpus, *bot.Library) (any, bot.Reply)) {
		return noCheck, func(c *briefs.Corpus, _ *bot.Library) (any, bot.Reply) {
			return cleanFacts(c.Facts()), bot.FactsReply(c, 0)
		}
	}}, args)
}

func cmdSources(ctx context.Context, e *env, args []string) error {
	return runView(ctx, e, view{"sources", usageSources, func(*flag.FlagSet) (func() error, func(*briefs.Corpus, *bot.Library) (any, bot.Reply)) {
		return noCheck, func(c *briefs.Corpus, lib *bot.Library) (any, bot.Reply) {
			return sourcesJSON(c, lib), bot.StorySourcesReply(c, lib)
		}
	}}, args)
}

// maxQuestionBytes bounds one question line read from stdin.
const maxQuestionBytes = 64 << 10

func cmdAsk(ctx context.Context, e *env, args []string) error {
	f := newCorpusFlags(e, "ask", usageAsk)
	rest, err := f.parse(e, args, true)
	if err != nil {
		return helpOK(err)
	}
	q := strings.TrimSpace(strings.Join(rest, " "))
	if len(rest) > 0 && q == "" {
		return usagef("ask: the question is empty\nusage: %s", usageAsk)
	}
	c, _, err := readCorpus(ctx, e, *f.corpus, *f.story)
	if err != nil {
		return err
	}
	w, _, err := newWriter(e.cfg, newLogger(e.stderr, e.cfg), nil)
	if err != nil {
		return err
	}
	if q != "" {
		ans := answerOne(ctx, w, c, q)
		if *f.json {
			return printJSON(e.stdout, ans, false)
		}
		_, err := io.WriteString(e.stdout, shell.Format(bot.AnswerReply(c, ans)))
		return err
	}
	// One question per line, one result per line, each written as soon as
	// its line is read so a caller can converse over a pipe.
	return askLines(ctx, e, c, w, *f.json)
}

// askLines answers stdin line by line until EOF or until ctx is done (the
// first Ctrl-C). A read from a terminal cannot be interrupted, so a
// goroutine reads and is left blocked at exit when ctx ends first.
func askLines(ctx context.Context, e *env, c *briefs.Corpus, w bot.AnswerWriter, asJSON bool) error {
	type readResult struct {
		line string
		err  error
	}
	lines := make(chan readResult)
	go func() {
		r := bufio.NewReaderSize(e.stdin, 64<<10)
		for {
			line, err := readLine(r, maxQuestionBytes)
			select {
			case lines <- readResult{line, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	for {
		var rr readResult
		select {
		case <-ctx.Done():
			return nil
		case rr = <-lines:
		}
		if q := strings.TrimSpace(rr.line); q != "" {
			ans := answerOne(ctx, w, c, q)
			var werr error
			if asJSON {
				werr = printJSON(e.stdout, ans, false)
			} else {
				_, werr = io.WriteString(e.stdout, answerLine(c, ans)+"\n")
			}
			if werr != nil {
				return fmt.Errorf("ask: write: %w", werr)
			}
			if fl, ok := e.stdout.(interface{ Flush() error }); ok {
				if err := fl.Flush(); err != nil {
					return fmt.Errorf("ask: write: %w", err)
				}
			}
		}
		if errors.Is(rr.err, io.EOF) {
			return nil
		}
		if rr.err != nil {
			return fmt.Errorf("ask: read stdin: %w", rr.err)
		}
	}
}

// readLine reads one line without its end; a line longer than limit is
// cut there (the rest is read and dropped) so one huge line cannot exhaust
// memory.
func readLine(r *bufio.Reader, limit int) (string, error) {
	var sb strings.Builder
	for {
		chunk, isPrefix, err := r.ReadLine()
		if sb.Len() < limit {
			sb.Write(chunk[:min(len(chunk), limit-sb.Len())])
		}
		if err != nil || !isPrefix {
			return sb.String(), err
		}
	}
}

// answerLine is an answer on one line of text: the answer, then the titles
// of the articles it cites.
func answerLine(c *briefs.Corpus, a briefs.Answer) string {
	line := strings.Join(strings.Fields(a.Answer), " ")
	if !a.Answered || len(a.Citations) == 0 {
		return line
	}
	titles := map[string]string{}
	for _, s := range c.Sources() {
		titles[s.ID] = s.Title
	}
	var cited []string
	seen := map[string]bool{}
	for _, ct := range a.Citations {
		if !seen[ct.Source] {
			seen[ct.Source] = true
			t := titles[ct.Source]
			if t == "" {
				t = ct.Source
			}
			cited = append(cited, "["+t+"]")
		}
	}
	return line + " " + strings.Join(cited, " ")
}

func cmdVersion(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		return usagef("version: unexpected argument %q\nusage: %s", args[0], usageVersion)
	}
	ver, rev, goVersion := buildInfo()
	line := "alexa-brief " + ver
	if rev != "" {
		line += " (commit " + rev + ")"
	}
	if goVersion != "" {
		line += " " + goVersion
	}
	line += " " + runtime.GOOS + "/" + runtime.GOARCH
	_, err := fmt.Fprintln(e.stdout, line)
	return err
}

// isTerminal reports whether r is a terminal (not merely a character
// device: /dev/null is one too).
func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// shellTerminal is the shell's terminal, when stdin and stdout are one.
type shellTerminal struct {
	interactive bool
	size        func() (width, height int)
	restore     func()
}

// openTerminal puts a terminal on stdin into raw mode, which line editing
// needs (keys arrive one by one, and the editor echoes them); restore
// puts it back. Piped input or output, or a terminal that refuses raw
// mode, keeps plain line reading.
func openTerminal(e *env) shellTerminal {
	none := shellTerminal{restore: func() {}}
	if !isTerminal(e.stdin) || !isTerminal(e.stdout) {
		return none
	}
	in, out := e.stdin.(*os.File), e.stdout.(*os.File)
	old, err := term.MakeRaw(int(in.Fd()))
	if err != nil {
		return none
	}
	return shellTerminal{
		interactive: true,
		size: func() (int, int) {
			w, h, err := term.GetSize(int(out.Fd()))
			if err != nil {
				return 0, 0
			}
			return w, h
		},
		restore: func() { _ = term.Restore(int(in.Fd()), old) },
	}
}

// crlfWriter ends lines with CR LF: a terminal in raw mode does not return
// the cursor to the start of the line on LF, so log lines written to it
// meanwhile would step across the screen.
type crlfWriter struct{ w io.Writer }

func (c crlfWriter) Write(p []byte) (int, error) {
	if _, err := c.w.Write(bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n"))); err != nil {
		return 0, err
	}
	return len(p), nil
}

func cmdShell(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("shell", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dir := fs.String("corpus", e.cfg.CorpusDir, "folder of .txt/.md articles (default: ALEXA_BRIEF_CORPUS, else the embedded corpus)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(e.stdout, "usage: %s\nLocal chat on stdin/stdout: /alexa-brief … lines are commands, other lines are questions.\n", usageShell)
			return nil
		}
		return usagef("shell: %v\nusage: %s", err, usageShell)
	}
	if fs.NArg() > 0 {
		return usagef("shell: unexpected argument %q\nusage: %s", fs.Arg(0), usageShell)
	}
	cfg := e.cfg
	// A log line per request on the terminal would interleave with the
	// chat: the shell logs warnings and errors unless LOG_LEVEL says more.
	if strings.TrimSpace(e.getenv("LOG_LEVEL")) == "" {
		cfg.LogLevel = slog.LevelWarn
	}
	tty := openTerminal(e)
	defer tty.restore()
	logOut := e.stderr
	if tty.interactive && isTerminal(e.stderr) {
		logOut = crlfWriter{e.stderr}
	}
	log := newLogger(logOut, cfg)

	st, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	lib, err := openLibrary(ctx, e, *dir, st, log)
	if err != nil {
		return err
	}
	fetch := newFetcher(cfg)
	w, _, err := newWriter(cfg, log, nil)
	if err != nil {
		return err
	}
	b := bot.New(bot.Config{Library: lib, Fetcher: fetch, Store: st, Clock: bot.SystemClock{}, Logger: log, MinInterval: cfg.MinInterval,
		Writer: w})
	sh := shell.New(shell.Config{
		In: e.stdin, Out: e.stdout, Handler: b, Logger: log,
		Interactive: tty.interactive, Size: tty.size,
	})

	// The scheduler posts digests due for the shell's channel while the
	// chat runs; it stops when the chat ends.
	schedCtx, stopSched := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() { stopSched(); wg.Wait() }()
	wg.Add(1)
	go func() {
		defer wg.Done()
		runShellScheduler(schedCtx, cfg, st, b, sh, log)
	}()
	// Articles another process ingests, and feeds' new items, reach the
	// chat while it runs.
	runLive(schedCtx, &wg, cfg, st, lib, fetch, log)
	return sh.Run(ctx)
}

// shellPoll is the scheduler's default poll; the shell polls faster only
// when schedules may fire faster.
const shellPoll = 30 * time.Second

// runShellScheduler runs the digest scheduler for the shell's channel
// until ctx is done.
func runShellScheduler(ctx context.Context, cfg Config, st bot.Store, b *bot.Bot, sh *shell.Adapter, log *slog.Logger) {
	// A schedule subscribed in the chat is noticed at the next poll: poll
	// at least as often as the most frequent schedule allowed, so a
	// "@every 2s" (with ALEXA_BRIEF_MIN_INTERVAL=1s) prints on time.
	var poll time.Duration
	if cfg.MinInterval > 0 && cfg.MinInterval < shellPoll {
		poll = cfg.MinInterval
	}
	sched := bot.NewScheduler(bot.SchedulerConfig{
		Store: st, Posters: map[string]bot.Poster{bot.PlatformShell: sh}, Bot: b, Clock: bot.SystemClock{},
		Catchup: cfg.Catchup, Logger: log, Poll: poll,
	})
	if err := sched.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		log.Error("scheduler stopped", logKeyErr, err)
	}
}
