package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/slack/slacktest"
)

// Operator fixes of issue 13: exit codes, PORT, serve --check.

func TestLoadConfigPort(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		wantAddr string
		wantErr  string // substring; "" means valid
	}{
		{"default", nil, ":8080", ""},
		{"PORT", map[string]string{"PORT": "9090"}, ":9090", ""},
		{"PORT with spaces", map[string]string{"PORT": " 9090 "}, ":9090", ""},
		{"ALEXA_BRIEF_ADDR wins", map[string]string{"PORT": "9090", "ALEXA_BRIEF_ADDR": "127.0.0.1:7070"}, "127.0.0.1:7070", ""},
		{"PORT not a number", map[string]string{"PORT": "abc"}, "", "PORT"},
		{"PORT zero", map[string]string{"PORT": "0"}, "", "PORT"},
		{"PORT too big", map[string]string{"PORT": "70000"}, "", "PORT"},
		{"PORT a service name", map[string]string{"PORT": "http"}, "", "PORT"},
		{"PORT ignored under ALEXA_BRIEF_ADDR", map[string]string{"PORT": "abc", "ALEXA_BRIEF_ADDR": ":8081"}, ":8081", ""},
		{"bad ALEXA_BRIEF_ADDR", map[string]string{"PORT": "9090", "ALEXA_BRIEF_ADDR": ":abc"}, "", "ALEXA_BRIEF_ADDR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadConfig(envOf(tt.env))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("got error %v, want none", err)
			case tt.wantErr != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.wantErr+":")):
				t.Fatalf("got error %v, want one starting %s:", err, tt.wantErr)
			case tt.wantErr == "" && c.Addr != tt.wantAddr:
				t.Errorf("got Addr %q, want %q", c.Addr, tt.wantAddr)
			}
		})
	}
}

// runServe runs serve in-process with env (and a database in a temp
// folder) until it returns or timeout passes.
func runServe(t *testing.T, timeout time.Duration, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	all := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "serve.db"), "LOG_FORMAT": "json"}
	for k, v := range env {
		all[k] = v
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var out, errb bytes.Buffer
	code = run(ctx, append([]string{"serve"}, args...), strings.NewReader(""), &out, &errb, func(k string) string { return all[k] })
	if ctx.Err() != nil {
		t.Errorf("serve %v still ran after %s", args, timeout)
	}
	return out.String(), errb.String(), code
}

// taken returns an address something listens on until the test ends.
func taken(t *testing.T) (addr, port string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	_, port, _ = net.SplitHostPort(ln.Addr().String())
	return ln.Addr().String(), port
}

// TestServeCheckListens: --check fails when serve could not listen, names
// where the address came from, and fails without any platform.
func TestServeCheckListens(t *testing.T) {
	discord := map[string]string{"DISCORD_PUBLIC_KEY": testDiscordPub, "DISCORD_APP_ID": "1234"}
	with := func(kv ...string) map[string]string {
		env := map[string]string{}
		for k, v := range discord {
			env[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			env[kv[i]] = kv[i+1]
		}
		return env
	}
	busy, busyPort := taken(t)
	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		wantCode int
		want     []string
	}{
		{"free port", with("ALEXA_BRIEF_ADDR", freeAddr(t)), nil, exitOK, []string{"configuration ok", "platforms discord"}},
		{"taken via ALEXA_BRIEF_ADDR", with("ALEXA_BRIEF_ADDR", busy), nil, exitFail, []string{"ALEXA_BRIEF_ADDR", busy}},
		{"taken via --addr", with(), []string{"--addr", busy}, exitFail, []string{"--addr", busy}},
		{"taken via PORT", with("PORT", busyPort), nil, exitFail, []string{"PORT", ":" + busyPort}},
		{"PORT not a number", with("PORT", "abc"), nil, exitUsage, []string{"PORT", "abc"}},
		{"bad --addr", with(), []string{"--addr", ":abc"}, exitUsage, []string{"--addr"}},
		{"no platform", map[string]string{"ALEXA_BRIEF_ADDR": freeAddr(t)}, nil, exitUsage,
			[]string{"no platform", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_APP_ID", "DISCORD_PUBLIC_KEY", "DISCORD_BOT_TOKEN"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runServe(t, 30*time.Second, tt.env, append([]string{"--check"}, tt.args...)...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.wantCode, out, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out+errOut, w) {
					t.Errorf("output lacks %q\nstdout: %s\nstderr: %s", w, out, errOut)
				}
			}
		})
	}
}

// TestServeListenNamesSource: serve itself says which setting gave the
// address it could not listen on.
func TestServeListenNamesSource(t *testing.T) {
	busy, busyPort := taken(t)
	env := map[string]string{"DISCORD_PUBLIC_KEY": testDiscordPub, "DISCORD_APP_ID": "1234", "PORT": busyPort}
	_, errOut, code := runServe(t, 30*time.Second, env)
	if code != exitFail || !strings.Contains(errOut, "(PORT)") {
		t.Errorf("exit %d %q, want 1 naming PORT (%s)", code, errOut, busy)
	}
}

// TestServeSlackRefusedAtStart: credentials Slack refuses when serve
// starts are a configuration error: exit 2, so systemd does not restart
// into the same refusal, with the variable named and the token not shown.
func TestServeSlackRefusedAtStart(t *testing.T) {
	api := slacktest.New(slacktest.Options{})
	defer api.Close()
	tests := []struct {
		name, variable, wrong string
		env                   map[string]string
	}{
		{"bot token", "SLACK_BOT_TOKEN", "xoxb-revoked-token", map[string]string{"SLACK_BOT_TOKEN": "xoxb-revoked-token"}},
		{"app token", "SLACK_APP_TOKEN", "xapp-revoked-token", map[string]string{"SLACK_BOT_TOKEN": slacktest.DefaultToken, "SLACK_APP_TOKEN": "xapp-revoked-token"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"SLACK_SIGNING_SECRET": e2eSlackSecret, "SLACK_API_URL": api.URL(), "ALEXA_BRIEF_ADDR": freeAddr(t)}
			for k, v := range tt.env {
				env[k] = v
			}
			_, errOut, code := runServe(t, 20*time.Second, env)
			if code != exitUsage || !strings.Contains(errOut, tt.variable) {
				t.Errorf("exit %d, want 2 with an error naming %s:\n%s", code, tt.variable, errOut)
			}
			if strings.Contains(errOut, tt.wrong) {
				t.Errorf("the refused token is in the output:\n%s", errOut)
			}
		})
	}
}

// TestCorpusErrorsNoPackagePrefix: a bad corpus folder is explained
// without the engine's package prefix ("briefs: …").
func TestCorpusErrorsNoPackagePrefix(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"no articles", nil, "holds no .txt or .md files"},
		{"not UTF-8", map[string]string{"bad.txt": "\xff\xfe"}, "bad.txt: text is not valid UTF-8"},
		{"empty", map[string]string{"empty.txt": ""}, "empty.txt: empty article"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, errOut, code := runMain(t, "", "brief", "--corpus", dir)
			if code != exitUsage || !strings.Contains(errOut, tt.want) || strings.Contains(errOut, "briefs:") {
				t.Errorf("exit %d %q, want 2 saying %q without \"briefs:\"", code, errOut, tt.want)
			}
		})
	}
}
