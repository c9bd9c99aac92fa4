package main

// Temporary stubs while the subcommands are written; each moves to its own
// file (cli.go, serve.go, digest.go, discord.go) and this file disappears.

import (
	"context"
	"errors"

	"github.com/alexa-brief/alexa-brief/bot"
)

var errTODO = errors.New("not implemented yet")

func cmdShell(ctx context.Context, e *env, args []string) error         { return errTODO }
func cmdServe(ctx context.Context, e *env, args []string) error         { return errTODO }
func cmdBrief(ctx context.Context, e *env, args []string) error         { return errTODO }
func cmdQuotes(ctx context.Context, e *env, args []string) error        { return errTODO }
func cmdFacts(ctx context.Context, e *env, args []string) error         { return errTODO }
func cmdSources(ctx context.Context, e *env, args []string) error       { return errTODO }
func cmdAsk(ctx context.Context, e *env, args []string) error           { return errTODO }
func cmdIngest(ctx context.Context, e *env, args []string) error        { return errTODO }
func cmdSubscriptions(ctx context.Context, e *env, args []string) error { return errTODO }
func cmdDigest(ctx context.Context, e *env, args []string) error        { return errTODO }
func cmdDiscord(ctx context.Context, e *env, args []string) error       { return errTODO }
func cmdVersion(ctx context.Context, e *env, args []string) error       { return errTODO }

// openStore opens the store DATABASE_URL names (moves to store.go).
func openStore(ctx context.Context, e *env) (bot.Store, error) { return nil, errTODO }
