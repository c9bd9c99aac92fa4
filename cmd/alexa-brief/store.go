package main

import (
	"context"

	"github.com/alexa-brief/alexa-brief/adapters/postgres"
	"github.com/alexa-brief/alexa-brief/adapters/sqlite"
	"github.com/alexa-brief/alexa-brief/bot"
)

// openStore opens the store DATABASE_URL names: postgres:// or
// postgresql:// for PostgreSQL (replicas share it), otherwise a SQLite file,
// given as a path, sqlite:PATH or sqlite://PATH (see sqlitePath). Both
// migrate at open and refuse a schema newer than this binary. The caller
// closes it.
func openStore(ctx context.Context, e *env) (bot.Store, error) {
	dsn := e.cfg.DatabaseURL
	if path, ok := sqlitePath(dsn); ok {
		return sqlite.Open(ctx, path)
	}
	return postgres.Open(ctx, dsn)
}
