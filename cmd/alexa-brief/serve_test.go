package main

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestLogStopErrors(t *testing.T) {
	tests := []struct {
		name string
		errs []error
		want []string // substrings, one log line each
	}{
		{"none", nil, nil},
		{"release failed", []error{errors.New("serve: scheduler: release claims: database is locked")},
			[]string{"release claims: database is locked"}},
		{"two", []error{errors.New("serve: slack: socket closed"), errors.New("serve: scheduler: release claims: timeout")},
			[]string{"socket closed", "release claims: timeout"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errc := make(chan error, 4)
			for _, err := range tt.errs {
				errc <- err
			}
			var buf bytes.Buffer
			logStopErrors(slog.New(slog.NewTextHandler(&buf, nil)), errc)
			lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
			if buf.Len() == 0 {
				lines = nil
			}
			if got, want := len(lines), len(tt.want); got != want {
				t.Fatalf("got %d log lines %q, want %d", got, lines, want)
			}
			for i, w := range tt.want {
				if !strings.Contains(lines[i], w) || !strings.Contains(lines[i], "level=ERROR") {
					t.Errorf("line %d: got %q, want an error line with %q", i, lines[i], w)
				}
			}
			if got := len(errc); got != 0 {
				t.Errorf("got %d errors left in the channel, want 0", got)
			}
		})
	}
}
