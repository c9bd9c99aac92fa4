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

	"golang.org/x/term"

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
	// Interactive prints a banner and a prompt, and gives the line editing
	// and history of a terminal (arrows, Ctrl-A/E, Up for the previous
	// line): set it when In and Out are a terminal in raw mode. Piped
	// sessions read plain lines and get replies only.
	Interactive bool
	// Size reports the terminal's width and height when Interactive. It is
	// asked before each write, so a resized window is followed; nil, or a
	// width of 0, leaves lines unwrapped.
	Size func() (width, height int)
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
	banner       = "alexa-brief local chat. Ask a question about the story, or type /alexa-brief help.\nUp and Down recall earlier lines; Ctrl-D (or /quit) leaves.\n"
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

	// term edits input lines and redraws the prompt around output printed
	// meanwhile (a digest firing while the user types); nil when not
	// interactive.
	term *term.Terminal

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
	a := &Adapter{cfg: cfg, log: log, session: "session-" + strconv.FormatInt(time.Now().UnixNano(), 36)}
	if cfg.Interactive {
		// Made here, not in Run: the scheduler may Post before Run starts.
		a.term = term.NewTerminal(struct {
			io.Reader
			io.Writer
		}{cfg.In, cfg.Out}, prompt)
	}
	return a
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
	readLine := a.readTerminal
	if a.term == nil {
		r := bufio.NewReader(a.cfg.In)
		readLine = func() (string, error) { return r.ReadString('\n') }
	} else {
		a.write(banner)
	}
	lines := make(chan string)
	handled := make(chan struct{}, 1)
	readErr := make(chan error, 1)
	go func() {
		for {
			line, err := readLine()
			if line != "" {
				select {
				case lines <- line:
				case <-ctx.Done():
					return
				}
				// The next read waits for the answer, so that a terminal
				// prints its next prompt below the reply.
				select {
				case <-handled:
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
				if a.term != nil {
					// Past the terminal, which would redraw the prompt
					// below: the session ends on the line after it.
					a.mu.Lock()
					_, _ = io.WriteString(a.cfg.Out, "\r\n")
					a.mu.Unlock()
				}
				return nil
			}
			return fmt.Errorf("shell: read: %w", err)
		case line := <-lines:
			if !a.line(ctx, line) {
				return nil
			}
			handled <- struct{}{}
		}
	}
}

// readTerminal reads one edited line; the terminal prints the prompt.
func (a *Adapter) readTerminal() (string, error) {
	line, err := a.term.ReadLine()
	if errors.Is(err, term.ErrPasteIndicator) {
		err = nil // a pasted line is a line like any other
	}
	return line, err
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
	switch rest, isCmd := cutSlashCommand(text); {
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
	// On a terminal the digest prints above the prompt and the line being
	// typed, which the terminal redraws under it.
	out := "── digest for #" + a.cfg.Channel + " ──\n" + Format(r) + "\n"
	if err := a.write(out); err != nil {
		return "", fmt.Errorf("shell: post: %w", err)
	}
	return id, nil
}

// cutSlashCommand cuts the slash command off text in any case:
// "/ALEXA-BRIEF facts" is the command, as its words are case-insensitive.
func cutSlashCommand(text string) (rest string, ok bool) {
	if len(text) < len(slashCommand) || !strings.EqualFold(text[:len(slashCommand)], slashCommand) {
		return "", false
	}
	return text[len(slashCommand):], true
}

// write prints s at once, whole, and flushes it when Out buffers. On a
// terminal it goes through the line editor, wrapped to the width.
func (a *Adapter) write(s string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.term != nil {
		if a.cfg.Size != nil {
			if w, h := a.cfg.Size(); w > 0 {
				_ = a.term.SetSize(w, h) // only fails on a write error, which the write below reports
				s = Wrap(s, w)
			}
		}
		_, err := a.term.Write([]byte(s))
		return err
	}
	if _, err := io.WriteString(a.cfg.Out, s); err != nil {
		return err
	}
	if f, ok := a.cfg.Out.(interface{ Flush() error }); ok {
		return f.Flush()
	}
	return nil
}
