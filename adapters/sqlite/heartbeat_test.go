package sqlite

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
)

// modernc's SQLite keeps writing to a database file that was unlinked
// (its inode lives on while open), so a deleted folder would lose every
// later write silently. Every write, and Heartbeat, must fail instead,
// naming the missing file.
func TestDeletedDatabaseFails(t *testing.T) {
	tests := []struct {
		name    string
		breakIt func(t *testing.T, dir, path string)
	}{
		{"folder removed", func(t *testing.T, dir, path string) {
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
		}},
		{"file removed", func(t *testing.T, dir, path string) {
			for _, p := range []string{path, path + "-wal", path + "-shm"} {
				os.Remove(p)
			}
		}},
		{"file replaced", func(t *testing.T, dir, path string) {
			os.Remove(path)
			if err := os.WriteFile(path, nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
	}
	sc := bot.Scope{Platform: "slack", Team: "T1", Channel: "C1"}
	writes := []struct {
		name string
		fn   func(ctx context.Context, s *Store) error
	}{
		{"PutSubscription", func(ctx context.Context, s *Store) error {
			_, err := s.PutSubscription(ctx, bot.Subscription{Scope: sc, Schedule: "@daily"})
			return err
		}},
		{"DeleteSubscription", func(ctx context.Context, s *Store) error {
			_, err := s.DeleteSubscription(ctx, sc)
			return err
		}},
		{"FirstSeen", func(ctx context.Context, s *Store) error {
			_, err := s.FirstSeen(ctx, "slack", "Ev1")
			return err
		}},
		{"PutInstall", func(ctx context.Context, s *Store) error {
			return s.PutInstall(ctx, bot.Install{Platform: "slack", Team: "T1", BotToken: "x"})
		}},
		{"AppendTurn", func(ctx context.Context, s *Store) error {
			return s.AppendTurn(ctx, "k", bot.Turn{Question: "q"})
		}},
		{"ClaimSlot", func(ctx context.Context, s *Store) error {
			// The subscription was deleted above: a healthy store says so.
			_, _, err := s.ClaimSlot(ctx, 1, time.Now(), "r1", time.Hour)
			if errors.Is(err, bot.ErrNotFound) {
				return nil
			}
			return err
		}},
		{"ReleaseClaims", func(ctx context.Context, s *Store) error { return s.ReleaseClaims(ctx, "r1") }},
		{"Heartbeat", func(ctx context.Context, s *Store) error { return s.Heartbeat(ctx) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			dir := filepath.Join(t.TempDir(), "data")
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, "bot.db")
			s, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			for _, w := range writes {
				if err := w.fn(ctx, s); err != nil {
					t.Fatalf("%s before the break: %v", w.name, err)
				}
			}
			tt.breakIt(t, dir, path)
			for _, w := range writes {
				err := w.fn(ctx, s)
				if err == nil || !strings.Contains(err.Error(), path) {
					t.Errorf("%s after the break: got %v, want an error naming %s", w.name, err, path)
				}
			}
		})
	}
}
