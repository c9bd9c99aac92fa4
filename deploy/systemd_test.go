package deploy_test

// deploy/systemd: the unit and the env example.

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// unitFile parses a systemd unit: section → key → values in order.
func unitFile(t *testing.T, rel string) map[string]map[string][]string {
	t.Helper()
	u := map[string]map[string][]string{}
	sect := ""
	for i, l := range strings.Split(string(readFile(t, rel)), "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, ";"):
		case strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]"):
			sect = l[1 : len(l)-1]
			u[sect] = map[string][]string{}
		default:
			k, v, ok := strings.Cut(l, "=")
			if !ok || sect == "" {
				t.Fatalf("%s:%d: %q is not Key=value in a section", rel, i+1, l)
			}
			u[sect][k] = append(u[sect][k], v)
		}
	}
	return u
}

func TestSystemdUnit(t *testing.T) {
	u := unitFile(t, "deploy/systemd/alexa-brief.service")
	svc := u["Service"]
	one := func(k string) string {
		if v := svc[k]; len(v) > 0 {
			return v[len(v)-1]
		}
		return ""
	}
	tests := []struct{ key, want string }{
		{"Type", "simple"},
		{"ExecStart", "/usr/local/bin/alexa-brief serve"},
		{"User", "alexa-brief"},
		{"DynamicUser", "yes"},
		{"StateDirectory", "alexa-brief"},
		{"EnvironmentFile", "/etc/alexa-brief/env"},
		{"KillSignal", "SIGTERM"},
		{"Restart", "on-failure"},
		{"RestartPreventExitStatus", "2"},
		{"NoNewPrivileges", "yes"},
		{"ProtectSystem", "strict"},
		{"ProtectHome", "yes"},
		{"PrivateTmp", "yes"},
		{"CapabilityBoundingSet", ""},
	}
	for _, tt := range tests {
		if _, ok := svc[tt.key]; !ok {
			t.Errorf("[Service] lacks %s", tt.key)
		} else if got := one(tt.key); got != tt.want {
			t.Errorf("%s=%q, want %q", tt.key, got, tt.want)
		}
	}
	if s, err := strconv.Atoi(one("TimeoutStopSec")); err != nil || time.Duration(s)*time.Second < drainDefault+5*time.Second {
		t.Errorf("TimeoutStopSec=%q, want ≥ %s so the drain finishes before SIGKILL", one("TimeoutStopSec"), drainDefault+5*time.Second)
	}
	if got := u["Install"]["WantedBy"]; !slices.Equal(got, []string{"multi-user.target"}) {
		t.Errorf("WantedBy %q, want multi-user.target", got)
	}
	env := map[string]string{}
	for _, e := range svc["Environment"] {
		k, v, _ := strings.Cut(e, "=")
		env[k] = v
	}
	// The store must live in the StateDirectory, the only writable place
	// under ProtectSystem=strict.
	if got, want := env["DATABASE_URL"], "sqlite:%S/alexa-brief/alexa-brief.db"; got != want {
		t.Errorf("DATABASE_URL=%q, want %q", got, want)
	}
	var names []string
	for k := range env {
		names = append(names, k)
		if slices.Contains(secretEnv, k) {
			t.Errorf("Environment=%s in the unit: secrets belong in /etc/alexa-brief/env", k)
		}
	}
	checkEnvNames(t, "alexa-brief.service", names)
}

func TestEnvExample(t *testing.T) {
	re := regexp.MustCompile(`^#?([A-Z][A-Z0-9_]*)=(.*)$`)
	seen := map[string]bool{}
	var names []string
	for _, l := range strings.Split(string(readFile(t, "deploy/systemd/env.example")), "\n") {
		m := re.FindStringSubmatch(strings.TrimSpace(l))
		if m == nil {
			continue
		}
		names = append(names, m[1])
		seen[m[1]] = true
		if slices.Contains(secretEnv, m[1]) && m[2] != "" {
			t.Errorf("%s=%q: the example holds a value for a secret", m[1], m[2])
		}
	}
	checkEnvNames(t, "env.example", names, composeOnlyEnv...)
	// Every operator-facing variable of docs/contract.md is in the example; the two
	// API base URLs exist for tests and stay out.
	for _, n := range specEnv {
		if !seen[n] && n != "SLACK_API_URL" && n != "DISCORD_API_URL" {
			t.Errorf("env.example lacks %s", n)
		}
	}
}

// TestSystemdVerify asks systemd itself, when installed, whether it would
// accept the unit: an unknown or misspelt directive is only a warning to
// systemd (the unit starts without that hardening), so any line it prints
// about the file fails the test.
func TestSystemdVerify(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed; the unit is checked by parsing above")
	}
	// verify wants ExecStart to exist: point it at an executable that does.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	unit := strings.ReplaceAll(string(readFile(t, "deploy/systemd/alexa-brief.service")), "/usr/local/bin/alexa-brief", self)
	p := filepath.Join(t.TempDir(), "alexa-brief.service")
	if err := os.WriteFile(p, []byte(unit), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(analyze, "verify", p).CombinedOutput()
	var complaints []string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, p) {
			complaints = append(complaints, l)
		}
	}
	if err != nil || len(complaints) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, strings.Join(complaints, "\n"))
	}
}
