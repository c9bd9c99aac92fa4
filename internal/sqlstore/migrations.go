package sqlstore

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
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

// Migrations reads fsys's migrations/*.sql in name order. The numbers must
// rise (1, 2, 4 …), each used once; a gap is allowed because features are
// developed on branches in parallel, each taking the next free number, and
// merge in any order. A store records every version it applies, so a
// version that arrives late (3 after 4) is applied when it arrives; a
// migration must therefore not depend on one numbered above it.
func Migrations(fsys fs.FS) ([]Migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var ms []Migration
	for _, n := range names {
		base := path.Base(n)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		prev := 0
		if len(ms) > 0 {
			prev = ms[len(ms)-1].Version
		}
		if err != nil || v <= prev {
			return nil, fmt.Errorf("migration %s: want a version above %d in its name", base, prev)
		}
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: base, SQL: string(b)})
	}
	return ms, nil
}

// Newest is the newest version among ms, 0 for none.
func Newest(ms []Migration) int {
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].Version
}

// Pending decides one step of a migration run for a database that has
// applied the versions in applied: the first migration of ms it has not
// applied, or done when there is none, or bot.ErrSchemaTooNew when it has
// applied a version ms does not know (a newer binary migrated it).
func Pending(ms []Migration, applied []int) (next Migration, done bool, err error) {
	known := make(map[int]bool, len(ms))
	for _, m := range ms {
		known[m.Version] = true
	}
	unknown := 0
	for _, v := range applied {
		if !known[v] {
			unknown = max(unknown, v)
		}
	}
	if unknown > 0 {
		return Migration{}, false, fmt.Errorf("%w: the database has schema version %d, which this binary does not know (it knows up to %d); run a newer alexa-brief or point DATABASE_URL at another database", bot.ErrSchemaTooNew, unknown, Newest(ms))
	}
	for _, m := range ms {
		if !slices.Contains(applied, m.Version) {
			return m, false, nil
		}
	}
	return Migration{}, true, nil
}

// UpTo is ms without the migrations above version (tests of upgrades open
// a database as an older binary left it).
func UpTo(ms []Migration, version int) []Migration {
	i := sort.Search(len(ms), func(i int) bool { return ms[i].Version > version })
	return ms[:i]
}
