package deploy_test

// Dockerfile, deploy/build.sh and .dockerignore: the image build is the
// script CI runs, and the build context holds everything it needs.

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

type instruction struct {
	cmd  string // upper case: FROM, RUN, …
	args string
	line int
}

// dockerfile returns the instructions, with continuation lines joined and
// comments dropped.
func dockerfile(t *testing.T) []instruction {
	t.Helper()
	var out []instruction
	var cur strings.Builder
	start := 0
	sc := bufio.NewScanner(bytes.NewReader(readFile(t, "Dockerfile")))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") || (line == "" && cur.Len() == 0) {
			continue
		}
		if cur.Len() == 0 {
			start = n
		}
		if s, ok := strings.CutSuffix(line, `\`); ok {
			cur.WriteString(s + " ")
			continue
		}
		cur.WriteString(line)
		cmd, args, _ := strings.Cut(strings.TrimSpace(cur.String()), " ")
		out = append(out, instruction{strings.ToUpper(cmd), strings.Join(strings.Fields(args), " "), start})
		cur.Reset()
	}
	return out
}

func TestDockerfile(t *testing.T) {
	ins := dockerfile(t)
	var stages [][]instruction
	for _, in := range ins {
		if in.cmd == "FROM" {
			stages = append(stages, nil)
		}
		if len(stages) > 0 {
			stages[len(stages)-1] = append(stages[len(stages)-1], in)
		}
	}
	if len(stages) != 2 {
		t.Fatalf("got %d stages, want 2 (build, runtime)", len(stages))
	}
	build, runtime := stages[0], stages[1]

	t.Run("build stage", func(t *testing.T) {
		from := build[0].args
		if !regexp.MustCompile(`(^| )golang:1\.26[-.\w]* AS build$`).MatchString(from) {
			t.Errorf("FROM %s: want golang:1.26… AS build", from)
		}
		var runs []string
		for _, in := range build {
			if in.cmd == "RUN" {
				runs = append(runs, fmt.Sprintf("line %d: %s", in.line, in.args))
			}
		}
		// The image must be built by the script CI runs, and by nothing else.
		n := 0
		for _, r := range runs {
			if strings.Contains(r, "deploy/build.sh /out") {
				n++
			}
			if strings.Contains(r, "go build") || strings.Contains(r, "go install") {
				t.Errorf("Dockerfile RUN %s: compiles by itself; only deploy/build.sh may", r)
			}
		}
		if n != 1 {
			t.Errorf("got %d RUN lines calling deploy/build.sh /out, want 1: %q", n, runs)
		}
		for _, arg := range []string{"VERSION", "COMMIT"} {
			if !slices.ContainsFunc(build, func(in instruction) bool { return in.cmd == "ARG" && in.args == arg }) {
				t.Errorf("build stage lacks ARG %s (the version stamp comes from build args)", arg)
			}
		}
	})

	t.Run("runtime stage", func(t *testing.T) {
		if got, want := runtime[0].args, "gcr.io/distroless/static-debian12:nonroot"; got != want {
			t.Errorf("runtime FROM %s, want %s (static, CA certificates, uid 65532)", got, want)
		}
		last := map[string]string{}
		var copies, envs []string
		for _, in := range runtime {
			last[in.cmd] = in.args
			switch in.cmd {
			case "COPY":
				copies = append(copies, in.args)
			case "ENV":
				envs = append(envs, in.args)
			}
		}
		tests := []struct{ cmd, want string }{
			{"USER", "65532:65532"},
			{"EXPOSE", "8080"},
			{"ENTRYPOINT", `["/alexa-brief"]`},
			{"CMD", `["serve"]`},
			{"VOLUME", `["/data"]`},
			{"HEALTHCHECK", "NONE"},
			{"STOPSIGNAL", "SIGTERM"},
		}
		for _, tt := range tests {
			if got := last[tt.cmd]; got != tt.want {
				t.Errorf("%s %q, want %q", tt.cmd, got, tt.want)
			}
		}
		if !slices.Contains(copies, "--from=build /out/alexa-brief /alexa-brief") {
			t.Errorf("COPY lines %q: want the binary build.sh wrote to /out", copies)
		}
		// Every name must be one the bot reads, and the default store
		// must sit on the volume.
		vars := envOf(t, envs)
		if got, want := vars["DATABASE_URL"], "/data/alexa-brief.db"; got != want {
			t.Errorf("ENV DATABASE_URL=%q, want %q (on the /data volume)", got, want)
		}
		if got, want := vars["ALEXA_BRIEF_ADDR"], ":8080"; got != want {
			t.Errorf("ENV ALEXA_BRIEF_ADDR=%q, want %q (EXPOSE 8080)", got, want)
		}
		var names []string
		for k := range vars {
			names = append(names, k)
			if slices.Contains(secretEnv, k) {
				t.Errorf("ENV %s: a secret baked into the image", k)
			}
		}
		checkEnvNames(t, "Dockerfile", names)
	})
}

// envOf parses ENV instructions of the form NAME=value NAME=value.
func envOf(t *testing.T, envs []string) map[string]string {
	t.Helper()
	vars := map[string]string{}
	for _, e := range envs {
		for _, kv := range strings.Fields(e) {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				t.Errorf("ENV %s: want NAME=value", e)
			}
			vars[k] = v
		}
	}
	return vars
}

// imageEnv is the environment the runtime stage sets.
func imageEnv(t *testing.T) map[string]string {
	t.Helper()
	var envs []string
	for _, in := range dockerfile(t) {
		switch in.cmd {
		case "FROM":
			envs = nil // only the last stage counts
		case "ENV":
			envs = append(envs, in.args)
		}
	}
	return envOf(t, envs)
}

func TestBuildScriptFlags(t *testing.T) {
	script := string(readFile(t, "deploy/build.sh"))
	for _, want := range []string{
		"set -euo pipefail",
		"export CGO_ENABLED=0",
		"-trimpath",
		"-X main.version=${VERSION}",
		"-X main.commit=${COMMIT}",
		"./cmd/alexa-brief",
		"readelf -l",     // the static check
		"CGO_ENABLED=0'", // go version -m check
	} {
		if !strings.Contains(script, want) {
			t.Errorf("deploy/build.sh lacks %q", want)
		}
	}
	if got := strings.Count(script, "go build"); got != 1 {
		t.Errorf("deploy/build.sh runs go build %d times, want 1", got)
	}
}

// dockerignored reports whether .dockerignore drops rel (slash-separated)
// from the build context: patterns match the path or any parent, "**/"
// matches at any depth, and a later "!" pattern re-includes.
func dockerignored(patterns []string, rel string) bool {
	parts := strings.Split(rel, "/")
	matches := func(p string) bool {
		p = strings.TrimPrefix(p, "/")
		for i := range parts {
			// rel itself or one of its parent directories.
			prefix := strings.Join(parts[:i+1], "/")
			if ok, _ := path.Match(p, prefix); ok {
				return true
			}
			if tail, ok := strings.CutPrefix(p, "**/"); ok {
				for j := 0; j <= i; j++ {
					if ok, _ := path.Match(tail, strings.Join(parts[j:i+1], "/")); ok {
						return true
					}
				}
			}
		}
		return false
	}
	ignored := false
	for _, p := range patterns {
		if neg, ok := strings.CutPrefix(p, "!"); ok {
			if matches(neg) {
				ignored = false
			}
		} else if matches(p) {
			ignored = true
		}
	}
	return ignored
}

func TestDockerignoreMatcher(t *testing.T) {
	patterns := []string{".git", "**/*.db", "docs", "deploy/kubernetes", "!docs/keep.md"}
	tests := []struct {
		path string
		want bool
	}{
		{".git/config", true},
		{"x.db", true},
		{"a/b/x.db", true},
		{"docs/deploy.md", true},
		{"docs/keep.md", false},
		{"deploy/kubernetes/base/pdb.yaml", true},
		{"deploy/build.sh", false},
		{"go.mod", false},
		{"briefs/corpus/000.txt", false},
	}
	for _, tt := range tests {
		if got := dockerignored(patterns, tt.path); got != tt.want {
			t.Errorf("dockerignored(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

// The image build must see every input of `go build`: the Go sources, the
// module files, the script and whatever //go:embed pulls in.
func TestDockerignoreKeepsBuildInputs(t *testing.T) {
	var patterns []string
	for _, l := range strings.Split(string(readFile(t, ".dockerignore")), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			patterns = append(patterns, l)
		}
	}
	for _, must := range []string{".git", ".env"} {
		if !dockerignored(patterns, must) {
			t.Errorf(".dockerignore lets %s into the build context", must)
		}
	}
	need := []string{"go.mod", "go.sum", "deploy/build.sh"}
	embed := regexp.MustCompile(`(?m)^//go:embed (.+)$`)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if name := d.Name(); rel != "." && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		need = append(need, rel)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range embed.FindAllSubmatch(b, -1) {
			for _, pat := range strings.Fields(string(m[1])) {
				pat = strings.TrimPrefix(strings.Trim(pat, "`\""), "all:")
				hits, _ := filepath.Glob(filepath.Join(filepath.Dir(p), filepath.FromSlash(pat)))
				for _, h := range hits {
					_ = filepath.WalkDir(h, func(q string, d fs.DirEntry, err error) error {
						if err == nil && !d.IsDir() {
							r, _ := filepath.Rel(root, q)
							need = append(need, filepath.ToSlash(r))
						}
						return nil
					})
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range need {
		if dockerignored(patterns, n) {
			t.Errorf(".dockerignore drops %s, which the build needs", n)
		}
	}
}
