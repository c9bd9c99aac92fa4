package main

import (
	"context"
	"strings"

	"github.com/alexa-brief/alexa-brief/adapters/postgres"
	"github.com/alexa-brief/alexa-brief/adapters/sqlite"
	"github.com/alexa-brief/alexa-brief/bot"
)

// openStore opens the store DATABASE_URL names: postgres:// or
// postgresql:// for PostgreSQL (replicas share it), otherwise a SQLite file,
// given as a path or sqlite:PATH. Both migrate at open and refuse a schema
// newer than this binary. The caller closes it.
func openStore(ctx context.Context, e *env) (bot.Store, error) {
	dsn := e.cfg.DatabaseURL
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return postgres.Open(ctx, dsn)
	case strings.HasPrefix(dsn, "sqlite:"):
		// sqlite:/abs/path, sqlite:rel/path and sqlite:///abs/path alike.
		path := strings.TrimPrefix(dsn, "sqlite:")
		if strings.HasPrefix(path, "///") {
			path = path[2:]
		}
		return sqlite.Open(ctx, path)
	default:
		return sqlite.Open(ctx, dsn)
	}
}
