package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenStoreForms(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, url, file string
	}{
		{"plain path", filepath.Join(dir, "a.db"), filepath.Join(dir, "a.db")},
		{"sqlite:PATH", "sqlite:" + filepath.Join(dir, "b.db"), filepath.Join(dir, "b.db")},
		{"sqlite:///PATH", "sqlite://" + filepath.Join(dir, "c.db"), filepath.Join(dir, "c.db")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := openStore(context.Background(), &env{cfg: Config{DatabaseURL: tt.url}})
			if err != nil {
				t.Fatalf("openStore(%q): %v", tt.url, err)
			}
			defer st.Close()
			if err := st.Ping(context.Background()); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(tt.file); err != nil {
				t.Errorf("database not at %s: %v", tt.file, err)
			}
		})
	}
}

func TestOpenStorePostgresErrorHidesPassword(t *testing.T) {
	for _, u := range []string{"postgres://u:hunter2pw@127.0.0.1:1/db?connect_timeout=5", "postgresql://u:hunter2pw@127.0.0.1:1/db?connect_timeout=5"} {
		_, err := openStore(context.Background(), &env{cfg: Config{DatabaseURL: u}})
		if err == nil {
			t.Fatalf("openStore(%s) succeeded with nothing listening", u)
		}
		if !strings.HasPrefix(err.Error(), "postgres: ") || strings.Contains(err.Error(), "hunter2pw") {
			t.Errorf("got %q, want a postgres error without the password", err)
		}
	}
}
