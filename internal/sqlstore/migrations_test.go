package sqlstore

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/alexa-brief/alexa-brief/bot"
)

func TestMigrations(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	tests := []struct {
		name    string
		fsys    fstest.MapFS
		want    []Migration
		wantErr string
	}{
		{"none", fstest.MapFS{}, nil, ""},
		{"in name order, other files ignored", fstest.MapFS{
			"migrations/0002_index.sql": file("CREATE INDEX i ON t (a);"),
			"migrations/0001_init.sql":  file("CREATE TABLE t (a TEXT);"),
			"migrations/README.md":      file("not a migration"),
			"other/0003_x.sql":          file("not here"),
		}, []Migration{
			{Version: 1, Name: "0001_init.sql", SQL: "CREATE TABLE t (a TEXT);"},
			{Version: 2, Name: "0002_index.sql", SQL: "CREATE INDEX i ON t (a);"},
		}, ""},
		{"a gap", fstest.MapFS{
			"migrations/0001_init.sql": file("x"),
			"migrations/0003_late.sql": file("y"),
		}, nil, "migration 0003_late.sql: want version 2 in its name"},
		{"no number", fstest.MapFS{
			"migrations/init.sql": file("x"),
		}, nil, "migration init.sql: want version 1 in its name"},
		{"two of one version", fstest.MapFS{
			"migrations/0001_a.sql": file("x"),
			"migrations/0001_b.sql": file("y"),
		}, nil, "migration 0001_b.sql: want version 2 in its name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Migrations(tt.fsys)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("got %+v, %v; want error %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestPending(t *testing.T) {
	ms := []Migration{{Version: 1, Name: "0001_a.sql"}, {Version: 2, Name: "0002_b.sql"}}
	tests := []struct {
		cur      int
		wantNext string
		wantDone bool
	}{
		{0, "0001_a.sql", false},
		{1, "0002_b.sql", false},
		{2, "", true},
	}
	for _, tt := range tests {
		next, done, err := Pending(ms, tt.cur)
		if err != nil || next.Name != tt.wantNext || done != tt.wantDone {
			t.Errorf("Pending(cur %d) = %q, %v, %v; want %q, %v", tt.cur, next.Name, done, err, tt.wantNext, tt.wantDone)
		}
	}
	_, done, err := Pending(ms, 3)
	if !errors.Is(err, bot.ErrSchemaTooNew) || done {
		t.Fatalf("Pending(cur 3) = done %v, %v; want ErrSchemaTooNew", done, err)
	}
	for _, want := range []string{"schema version 3", "up to 2", "run a newer alexa-brief"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}
