package sqlstore

import (
	"errors"
	"fmt"
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
		{"a gap: another branch's number, merged later", fstest.MapFS{
			"migrations/0001_init.sql":   file("x"),
			"migrations/0004_outbox.sql": file("y"),
		}, []Migration{
			{Version: 1, Name: "0001_init.sql", SQL: "x"},
			{Version: 4, Name: "0004_outbox.sql", SQL: "y"},
		}, ""},
		{"no number", fstest.MapFS{
			"migrations/init.sql": file("x"),
		}, nil, "migration init.sql: want a version above 0 in its name"},
		{"zero", fstest.MapFS{
			"migrations/0000_init.sql": file("x"),
		}, nil, "migration 0000_init.sql: want a version above 0 in its name"},
		{"two of one version", fstest.MapFS{
			"migrations/0001_a.sql": file("x"),
			"migrations/0001_b.sql": file("y"),
		}, nil, "migration 0001_b.sql: want a version above 1 in its name"},
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
	ms := []Migration{{Version: 1, Name: "0001_a.sql"}, {Version: 2, Name: "0002_b.sql"}, {Version: 4, Name: "0004_d.sql"}}
	tests := []struct {
		applied  []int
		wantNext string
		wantDone bool
	}{
		{nil, "0001_a.sql", false},
		{[]int{1}, "0002_b.sql", false},
		{[]int{1, 2}, "0004_d.sql", false},
		{[]int{1, 2, 4}, "", true},
		{[]int{1, 4}, "0002_b.sql", false}, // a version merged after a higher one is applied late
	}
	for _, tt := range tests {
		next, done, err := Pending(ms, tt.applied)
		if err != nil || next.Name != tt.wantNext || done != tt.wantDone {
			t.Errorf("Pending(applied %v) = %q, %v, %v; want %q, %v", tt.applied, next.Name, done, err, tt.wantNext, tt.wantDone)
		}
	}
	for _, applied := range [][]int{{1, 2, 4, 5}, {1, 2, 3}} {
		_, done, err := Pending(ms, applied)
		if !errors.Is(err, bot.ErrSchemaTooNew) || done {
			t.Fatalf("Pending(applied %v) = done %v, %v; want ErrSchemaTooNew", applied, done, err)
		}
		want := []string{fmt.Sprintf("schema version %d", applied[len(applied)-1]), "up to 4", "run a newer alexa-brief"}
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error %q does not say %q", err, w)
			}
		}
	}
}

func TestUpTo(t *testing.T) {
	ms := []Migration{{Version: 1}, {Version: 2}, {Version: 4}}
	for _, tt := range []struct{ version, want int }{{0, 0}, {1, 1}, {3, 2}, {4, 3}, {9, 3}} {
		if got := len(UpTo(ms, tt.version)); got != tt.want {
			t.Errorf("UpTo(%d) kept %d migrations, want %d", tt.version, got, tt.want)
		}
	}
	if Newest(ms) != 4 || Newest(nil) != 0 {
		t.Errorf("Newest = %d, %d; want 4, 0", Newest(ms), Newest(nil))
	}
}
