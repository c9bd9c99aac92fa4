package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// RFC 8032 test key 1 and the PLATFORMS.md vector for a Discord PING.
const (
	testDiscordPub = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
	testPingTS     = "1700000000"
	testPingSig    = "1695961a47c91a1ec033b819b7e87e3dbc583dd0cee6d1fd0216f58ac87b6228ae531ddbf91fb7bc28d7edf7f08604da16f54624f38a6bc0614e4dc13cd47f0f"
)

// freeAddr returns a loopback address nothing listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServe runs the real binary's serve and waits for /healthz.
func startServe(t *testing.T, extraEnv ...string) (base string, cmd *exec.Cmd, stderr *syncWriter) {
	t.Helper()
	bin := cliBinary(t)
	addr := freeAddr(t)
	cmd = exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(),
		"ALEXA_BRIEF_ADDR="+addr,
		"DATABASE_URL="+filepath.Join(t.TempDir(), "serve.db"),
		"LOG_FORMAT=json",
	)
	cmd.Env = append(cmd.Env, extraEnv...)
	stderr = &syncWriter{w: &strings.Builder{}}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	base = "http://" + addr
	for i := 0; ; i++ {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base, cmd, stderr
			}
		}
		if i > 600 {
			t.Fatalf("serve did not come up: %v\n%s", err, stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestServeEndpointsAndGracefulShutdown(t *testing.T) {
	base, cmd, stderr := startServe(t, "DISCORD_PUBLIC_KEY="+testDiscordPub, "DISCORD_APP_ID=1234")

	for _, tc := range []struct {
		path     string
		want     int
		contains string
	}{
		{"/healthz", 200, `"ok"`},
		{"/readyz", 200, `{"status":"ready","platforms":{"discord":"ready"}}`},
		{"/metrics", 200, "alexa_brief_build_info"},
		{"/metrics", 200, `alexa_brief_platform_ready{platform="discord"} 1`},
	} {
		resp, err := http.Get(base + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want || !strings.Contains(string(body), tc.contains) {
			t.Errorf("GET %s = %d %q, want %d containing %q", tc.path, resp.StatusCode, body, tc.want, tc.contains)
		}
	}

	// Oversized bodies are refused before any handler runs.
	resp, err := http.Post(base+"/discord/interactions", "application/json", strings.NewReader(strings.Repeat("x", 1<<20+1)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got, want := resp.StatusCode, http.StatusRequestEntityTooLarge; got != want {
		t.Errorf("oversized body: got %d, want %d", got, want)
	}

	// A slow request: send half the body, signal, then the rest. The request
	// must complete and the process must exit 0.
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"type":1}`
	ts := strconv.FormatInt(time.Now().Unix(), 10) // signatures older than 5 minutes are refused
	fmt.Fprintf(conn, "POST /discord/interactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"+
		"X-Signature-Ed25519: %s\r\nX-Signature-Timestamp: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
		signDiscord(discordKey(t), ts, []byte(body)), ts, len(body), body[:5])
	time.Sleep(200 * time.Millisecond) // let the server start the request before the signal
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if _, err := io.WriteString(conn, body[5:]); err != nil {
		t.Fatalf("finishing the in-flight request: %v", err)
	}
	r, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request got no response: %v\n%s", err, stderr)
	}
	got, _ := io.ReadAll(r.Body)
	if r.StatusCode != 200 || strings.TrimSpace(string(got)) != `{"type":1}` {
		t.Errorf("in-flight PING = %d %q, want 200 {\"type\":1}", r.StatusCode, got)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve exit: %v, want 0\n%s", err, stderr)
	}
	if !strings.Contains(stderr.String(), "shutting down") {
		t.Errorf("no shutdown log line:\n%s", stderr)
	}
}

func TestServeCheck(t *testing.T) {
	bin := cliBinary(t)
	tests := []struct {
		name     string
		env      []string
		wantCode int
		wantText string
	}{
		{"ok", []string{"DISCORD_PUBLIC_KEY=" + testDiscordPub, "DISCORD_APP_ID=1234"}, 0, "configuration ok"},
		{"no platform", nil, 2, "no platform configured"},
		{"slack without secret", []string{"SLACK_BOT_TOKEN=xoxb-1"}, 2, "SLACK_SIGNING_SECRET"},
		{"bad key", []string{"DISCORD_PUBLIC_KEY=nothex", "DISCORD_APP_ID=1"}, 2, "DISCORD_PUBLIC_KEY"},
		{"bad db url", []string{"DATABASE_URL=mysql://x"}, 2, "DATABASE_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(bin, "serve", "--check")
			cmd.Env = append(os.Environ(), noPlatformEnv...)
			cmd.Env = append(cmd.Env, "DATABASE_URL="+filepath.Join(t.TempDir(), "c.db"), "ALEXA_BRIEF_ADDR="+freeAddr(t))
			cmd.Env = append(cmd.Env, tt.env...)
			out, _ := cmd.CombinedOutput()
			if got := cmd.ProcessState.ExitCode(); got != tt.wantCode || !strings.Contains(string(out), tt.wantText) {
				t.Errorf("exit %d %q, want %d containing %q", got, out, tt.wantCode, tt.wantText)
			}
		})
	}
}

// syncWriter lets the test read what a child process writes meanwhile.
type syncWriter struct {
	mu sync.Mutex
	w  *strings.Builder
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.String()
}
