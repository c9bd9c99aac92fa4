package sqlstore

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/alexa-brief/alexa-brief/bot"
)

// Migration is one schema step, from a file named NNNN_name.sql.
type Migration struct {
	Version int
	Name    string // the file's name, recorded in schema_migrations
	SQL     string
}

// Migrations reads fsys's migrations/*.sql in name order. The numbers
// must run 1, 2, 3… with no gap, since a store's schema version is the
// count of migrations applied.
func Migrations(fsys fs.FS) ([]Migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var ms []Migration
	for i, n := range names {
		base := path.Base(n)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil || v != i+1 {
			return nil, fmt.Errorf("migration %s: want version %d in its name", base, i+1)
		}
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: base, SQL: string(b)})
	}
	return ms, nil
}

// Pending decides one step of a migration run for a database at version
// cur: the next migration to apply, or done when there is none, or
// bot.ErrSchemaTooNew when the database is newer than ms.
func Pending(ms []Migration, cur int) (next Migration, done bool, err error) {
	if cur > len(ms) {
		return Migration{}, false, fmt.Errorf("%w: the database is at schema version %d, this binary knows up to %d; run a newer alexa-brief or point DATABASE_URL at another database", bot.ErrSchemaTooNew, cur, len(ms))
	}
	if cur == len(ms) {
		return Migration{}, true, nil
	}
	return ms[cur], false, nil
}
