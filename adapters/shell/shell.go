// Package shell is the local chat: it reads lines from a reader (a terminal
// or a pipe), hands them to the bot as slash commands or direct messages,
// and prints the replies as a person reads them. It also posts digests for
// its channel, so the scheduler can run inside it.
package shell

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
)

// Handler answers requests; *bot.Bot is one.
type Handler interface {
	Handle(ctx context.Context, req bot.Request) bot.Reply
}

// Config is what the shell needs. In, Out and Handler are required.
type Config struct {
	In      io.Reader
	Out     io.Writer
	Handler Handler
	Team    string // default "local"
	Channel string // default "shell"
	User    string // default "you"
	Logger  *slog.Logger
	// Interactive prints a banner and a prompt: set it when In is a
	// terminal. Piped sessions get replies only.
	Interactive bool
}

// Defaults of Config.
const (
	DefaultTeam    = "local"
	DefaultChannel = "shell"
	DefaultUser    = "you"
)

const (
	slashCommand = "/alexa-brief"
	prompt       = "> "
	banner       = "alexa-brief local chat. Ask a question about the story, or type /alexa-brief help.\nCtrl-D (or /quit) leaves.\n"
)

var _ bot.Poster = (*Adapter)(nil)

// Adapter is a running local chat.
type Adapter struct {
	cfg Config
	log *slog.Logger

	// session groups this run's questions into one conversation: a new
	// shell starts afresh instead of following up on yesterday's session
	// kept in the database.
	session string

	mu  sync.Mutex // serialises writes to Out: replies and digests
	seq int        // message ids handed out, under mu
}

// New returns a shell over cfg.
func New(cfg Config) *Adapter {
	if cfg.Team == "" {
		cfg.Team = DefaultTeam
	}
	if cfg.Channel == "" {
		cfg.Channel = DefaultChannel
	}
	if cfg.User == "" {
		cfg.User = DefaultUser
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Adapter{cfg: cfg, log: log, session: "session-" + strconv.FormatInt(time.Now().UnixNano(), 36)}
}

// Scope is the channel the shell chats in.
func (a *Adapter) Scope() bot.Scope {
	return bot.Scope{Platform: bot.PlatformShell, Team: a.cfg.Team, Channel: a.cfg.Channel}
}

// Run reads lines until EOF (returning nil) or until ctx is done.
//
// A read from a terminal cannot be interrupted, so lines are read by a
// goroutine that ends at EOF or with the process; Run itself returns as
// soon as ctx is done.
func (a *Adapter) Run(ctx context.Context) error {
	if a.cfg.Interactive {
		a.write(banner + prompt)
	}
	lines := make(chan string)
	readErr := make(chan error, 1)
	go func() {
		r := bufio.NewReader(a.cfg.In)
		for {
			line, err := r.ReadString('\n')
			if line != "" {
				select {
				case lines <- line:
				case <-ctx.Done():
					return
				}
			}
			if err != nil {
				readErr <- err
				return
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-readErr:
			// Lines sent before the error were received first: the
			// channel is unbuffered.
			if errors.Is(err, io.EOF) {
				if a.cfg.Interactive {
					a.write("\n")
				}
				return nil
			}
			return fmt.Errorf("shell: read: %w", err)
		case line := <-lines:
			if !a.line(ctx, line) {
				return nil
			}
			if a.cfg.Interactive {
				a.write(prompt)
			}
		}
	}
}

// line handles one input line; it returns false when the user quits.
func (a *Adapter) line(ctx context.Context, line string) bool {
	text := strings.TrimSpace(strings.TrimSuffix(line, "\n"))
	if text == "" {
		return true
	}
	a.mu.Lock()
	a.seq++
	id := "shell-" + strconv.Itoa(a.seq)
	a.mu.Unlock()
	req := bot.Request{
		Scope:        a.Scope(),
		User:         a.cfg.User,
		Conversation: a.session,
		CanManage:    true, // the shell's user owns the local channel
		EventID:      id,
	}
	switch rest, isCmd := strings.CutPrefix(text, slashCommand); {
	case isCmd && (rest == "" || rest[0] == ' ' || rest[0] == '\t'):
		req.Kind, req.Text = bot.KindCommand, strings.TrimSpace(rest)
	case text == "/quit" || text == "/exit":
		return false
	case strings.HasPrefix(text, "/"):
		a.write("The only slash command here is /alexa-brief (try /alexa-brief help). Anything else you type is a question.\n\n")
		return true
	default:
		req.Kind, req.Text, req.DM = bot.KindMessage, text, true
	}
	reply := a.cfg.Handler.Handle(ctx, req)
	a.write(Format(reply) + "\n")
	return true
}

// Post prints a digest (or any reply) for the shell's channel.
func (a *Adapter) Post(ctx context.Context, sc bot.Scope, r bot.Reply, key string) (string, error) {
	if sc.Platform != bot.PlatformShell || sc.Team != a.cfg.Team || sc.Channel != a.cfg.Channel {
		return "", fmt.Errorf("shell: post: no channel %s/%s/%s here (only %s/%s/%s)",
			sc.Platform, sc.Team, sc.Channel, bot.PlatformShell, a.cfg.Team, a.cfg.Channel)
	}
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("shell: post: %w", err)
	}
	a.mu.Lock()
	a.seq++
	id := "shell-" + strconv.Itoa(a.seq)
	a.mu.Unlock()
	head := "── digest for #" + a.cfg.Channel + " ──\n"
	if a.cfg.Interactive {
		// The user may be halfway through typing at the prompt.
		head = "\n" + head
	}
	out := head + Format(r) + "\n"
	if a.cfg.Interactive {
		out += prompt
	}
	if err := a.write(out); err != nil {
		return "", fmt.Errorf("shell: post: %w", err)
	}
	return id, nil
}

// write prints s at once, whole, and flushes it when Out buffers.
func (a *Adapter) write(s string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, err := io.WriteString(a.cfg.Out, s); err != nil {
		return err
	}
	if f, ok := a.cfg.Out.(interface{ Flush() error }); ok {
		return f.Flush()
	}
	return nil
}
