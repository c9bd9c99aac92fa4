// Command alexa-brief briefs a team on a news story in Slack, Discord or a
// local shell. main is thin: Main holds everything and is tested end to end.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/alexa-brief/alexa-brief/bot"
)

func main() {
	os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

// Exit codes of docs/contract.md.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// usageError marks bad usage or bad input: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// env bundles what a subcommand may touch; nothing reads os.* below Main.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	cfg    Config
}

// Main runs one invocation and returns its exit code. The first SIGINT or
// SIGTERM cancels the context (drain); a second exits at once.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		select {
		case <-sigs:
			cancel()
		case <-ctx.Done():
			return
		}
		select {
		case <-sigs:
			fmt.Fprintln(stderr, "alexa-brief: second signal, exiting now")
			os.Exit(exitFail)
		case <-ctx.Done():
		}
	}()
	return run(ctx, args, stdin, stdout, stderr, getenv)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	cmd, rest := "", args
	if len(args) > 0 {
		cmd, rest = args[0], args[1:]
	}
	cfg, err := LoadConfig(getenv)
	// help and version need no configuration: they work even when the
	// environment is wrong, which is when people reach for them.
	if err != nil && !slices.Contains([]string{"help", "-h", "--help", "-help", "version", "--version", "-version"}, cmd) {
		fmt.Fprintf(stderr, "alexa-brief: %v\n", err)
		return exitUsage
	}
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, cfg: cfg}
	if cmd == "" {
		// No subcommand: serve when a platform is configured, else the shell.
		if cfg.HasPlatform() {
			cmd = "serve"
		} else {
			cmd = "shell"
		}
	}
	var runErr error
	switch cmd {
	case "shell":
		runErr = cmdShell(ctx, e, rest)
	case "serve":
		runErr = cmdServe(ctx, e, rest)
	case "brief":
		runErr = cmdBrief(ctx, e, rest)
	case "quotes":
		runErr = cmdQuotes(ctx, e, rest)
	case "facts":
		runErr = cmdFacts(ctx, e, rest)
	case "sources":
		runErr = cmdSources(ctx, e, rest)
	case "ask":
		runErr = cmdAsk(ctx, e, rest)
	case "ingest":
		runErr = cmdIngest(ctx, e, rest)
	case "stories":
		runErr = cmdStories(ctx, e, rest)
	case "articles":
		runErr = cmdArticles(ctx, e, rest)
	case "feeds":
		runErr = cmdFeeds(ctx, e, rest)
	case "subscriptions":
		runErr = cmdSubscriptions(ctx, e, rest)
	case "digest":
		runErr = cmdDigest(ctx, e, rest)
	case "discord":
		runErr = cmdDiscord(ctx, e, rest)
	case "version", "--version", "-version":
		runErr = cmdVersion(ctx, e, rest)
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usageText)
		return exitOK
	default:
		fmt.Fprintf(stderr, "alexa-brief: unknown command %q%s\n\n%s", cmd, didYouMean(cmd), usageText)
		return exitUsage
	}
	return exitCode(stderr, runErr)
}

// commandNames are the subcommands didYouMean suggests.
var commandNames = []string{"shell", "serve", "brief", "quotes", "facts", "sources", "ask", "ingest",
	"stories", "articles", "feeds", "subscriptions", "digest", "discord", "version", "help"}

// didYouMean names the subcommand nearest to word, when one is close
// enough to be a typo ("breif", "subscription", "--json" is not).
func didYouMean(word string) string {
	best, bestD := "", -1
	for _, c := range commandNames {
		if d := bot.EditDistance(strings.ToLower(word), c); bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	if strings.HasPrefix(word, "-") || bestD > max(2, len(best)/3) {
		return " (see the commands below)"
	}
	return fmt.Sprintf(": did you mean \"alexa-brief %s\"?", best)
}

func exitCode(stderr io.Writer, err error) int {
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "alexa-brief: %v\n", err)
	var ue usageError
	var ce *bot.ConfigError
	if errors.As(err, &ue) || errors.As(err, &ce) {
		// A platform refusing the credentials is a configuration error
		// too: a supervisor restarting on 1 would only be refused again.
		return exitUsage
	}
	return exitFail
}

const usageText = `usage: alexa-brief [command] [flags]

With no command, alexa-brief serves Slack and Discord when their tokens are
set, and otherwise opens the local shell on the embedded corpus.

commands:
  shell                         local chat on stdin/stdout
  serve [--check] [--addr A]    HTTP endpoints, Socket Mode, Discord gateway, scheduler
  brief [--json] [--corpus DIR] [--story ID] [--max-points N]
  quotes [--json] [--corpus DIR] [--story ID]
  facts [--json] [--corpus DIR] [--story ID]
  sources [--json] [--corpus DIR] [--story ID]
  ask [--json] [--corpus DIR] [--story ID] [QUESTION...]
  ingest PATH|URL... [--story ID]  add article files, folders or web pages
  stories add|list|remove       named stories (the embedded corpus is "default")
  articles list|remove          the stored articles
  feeds add|list|remove         RSS/Atom feeds the scheduler polls
  subscriptions add|list|remove manage digest subscriptions
  digest run [--now RFC3339]    one scheduler pass
  discord register [--guild ID] overwrite the Discord application commands
  version                       version and build info
`
