// Package deploy_test checks the deployment files an operator copies: the
// Dockerfile and its build script, Docker Compose, the Kubernetes manifests
// and the systemd unit. None of them can be run here (no Docker engine, no
// cluster, no systemd as PID 1), so the tests parse them and hold them to the
// contract: probes on /healthz and /readyz, port 8080, non-root, read-only
// root filesystem, a drain window longer than the shutdown timeout, and
// environment names exactly as docs/contract.md and cmd/alexa-brief spell them.
package deploy_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// root is the repository root, seen from this package's directory.
const root = ".."

// specEnv is the "Environment" table of docs/contract.md.
var specEnv = []string{
	"ALEXA_BRIEF_ADDR", "DATABASE_URL", "ALEXA_BRIEF_CORPUS", "ALEXA_BRIEF_CATCHUP",
	"LOG_LEVEL", "LOG_FORMAT",
	"SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN",
	"SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_API_URL",
	"DISCORD_APP_ID", "DISCORD_PUBLIC_KEY", "DISCORD_BOT_TOKEN", "DISCORD_API_URL",
}

// extraEnv are read by cmd/alexa-brief beyond the SPEC table.
var extraEnv = []string{
	"ALEXA_BRIEF_SHUTDOWN_TIMEOUT", "ALEXA_BRIEF_MIN_INTERVAL",
	"DISCORD_SHARD_ID", "DISCORD_SHARD_COUNT",
}

// composeOnlyEnv are read by Docker Compose itself, never by the bot; they
// may appear in the shared env example.
var composeOnlyEnv = []string{"POSTGRES_PASSWORD", "COMPOSE_PROFILES"}

// secretEnv must never sit in a ConfigMap or an image.
var secretEnv = []string{
	"SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_CLIENT_SECRET",
	"DISCORD_BOT_TOKEN",
}

// drainDefault is ALEXA_BRIEF_SHUTDOWN_TIMEOUT's default: every stop
// timeout below must exceed it.
const drainDefault = 20 * time.Second

// --- helpers ---------------------------------------------------------------

func readFile(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatalf("read %s: %v", rel, err)
	}
	return b
}

// yamlDocs splits a file into its YAML documents, failing on any syntax error.
func yamlDocs(t *testing.T, rel string) []*yaml.Node {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(readFile(t, rel)))
	var docs []*yaml.Node
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		docs = append(docs, &n)
	}
}

func decode(t *testing.T, n *yaml.Node, v any) {
	t.Helper()
	if err := n.Decode(v); err != nil {
		t.Fatalf("decode: %v", err)
	}
}

// scalar decodes an int or a string (a port, a quantity) as its text.
type scalar string

func (s *scalar) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a scalar", n.Line)
	}
	*s = scalar(n.Value)
	return nil
}

// botEnv reports whether the bot reads name.
func botEnv(name string) bool {
	return slices.Contains(specEnv, name) || slices.Contains(extraEnv, name)
}

// cmdStrings collects the string literals in cmd/alexa-brief that look like
// environment variable names: what the binary actually reads.
func cmdStrings(t *testing.T) map[string]bool {
	t.Helper()
	re := regexp.MustCompile(`"([A-Z][A-Z0-9_]{2,})"`)
	got := map[string]bool{}
	files, err := filepath.Glob(filepath.Join(root, "cmd", "alexa-brief", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files in cmd/alexa-brief (%v)", err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllSubmatch(b, -1) {
			got[string(m[1])] = true
		}
	}
	return got
}

// checkEnvNames fails for a name the bot does not read (a typo in a
// manifest fails silently in production) or one cmd/alexa-brief has dropped.
func checkEnvNames(t *testing.T, where string, names []string, allowed ...string) {
	t.Helper()
	read := cmdStrings(t)
	for _, n := range names {
		if slices.Contains(allowed, n) {
			continue
		}
		if !botEnv(n) {
			t.Errorf("%s: %s is not an environment variable of docs/contract.md or cmd/alexa-brief", where, n)
			continue
		}
		if !read[n] {
			t.Errorf("%s: %s is in docs/contract.md but cmd/alexa-brief never reads it", where, n)
		}
	}
}

// --- every YAML file -------------------------------------------------------

func TestYAMLParses(t *testing.T) {
	var files []string
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ext := filepath.Ext(p); !d.IsDir() && (ext == ".yaml" || ext == ".yml") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 8 {
		t.Fatalf("found %d YAML files under deploy/, want the compose file and the Kubernetes manifests at least: %v", len(files), files)
	}
	for _, f := range files {
		t.Run(filepath.ToSlash(f), func(t *testing.T) {
			docs := yamlDocs(t, path.Join("deploy", filepath.ToSlash(f)))
			if len(docs) == 0 {
				t.Fatal("no YAML document")
			}
			for i, d := range docs {
				var v any
				if err := d.Decode(&v); err != nil {
					t.Errorf("document %d: %v", i, err)
				}
			}
		})
	}
}

// --- Dockerfile, build.sh, .dockerignore -----------------------------------

// The JSON under deploy/ (Discord's command definitions) is valid too.
func TestJSONParses(t *testing.T) {
	files, err := filepath.Glob("*/*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		t.Run(filepath.ToSlash(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var v any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Errorf("%s: %v", f, err)
			}
		})
	}
}
