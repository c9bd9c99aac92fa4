package deploy_test

// deploy/compose.yaml: the sqlite and replicas profiles.

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

type composeService struct {
	Image string `yaml:"image"`
	Build *struct {
		Context    string `yaml:"context"`
		Dockerfile string `yaml:"dockerfile"`
	} `yaml:"build"`
	Command         []string          `yaml:"command"`
	Profiles        []string          `yaml:"profiles"`
	EnvFile         string            `yaml:"env_file"`
	Environment     map[string]string `yaml:"environment"`
	Ports           []string          `yaml:"ports"`
	Volumes         []string          `yaml:"volumes"`
	StopGracePeriod string            `yaml:"stop_grace_period"`
	ReadOnly        bool              `yaml:"read_only"`
	Tmpfs           []string          `yaml:"tmpfs"`
	CapDrop         []string          `yaml:"cap_drop"`
	Healthcheck     *struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
	DependsOn map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
}

type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
}

// interpolate applies compose's ${VAR:-default} with every VAR unset.
func interpolate(s string) string {
	return regexp.MustCompile(`\$\{[A-Z0-9_]+(?::?-([^}]*))?\}`).ReplaceAllString(s, "$1")
}

func TestCompose(t *testing.T) {
	var f composeFile
	decode(t, yamlDocs(t, "deploy/compose.yaml")[0], &f)
	byProfile := map[string][]string{}
	var bots []string
	for name, s := range f.Services {
		if len(s.Profiles) != 1 {
			t.Errorf("%s: profiles %q, want exactly one (sqlite or replicas), so the two setups never run side by side with two stores", name, s.Profiles)
		}
		for _, p := range s.Profiles {
			byProfile[p] = append(byProfile[p], name)
		}
		if s.Build != nil {
			bots = append(bots, name)
		}
	}
	slices.Sort(bots)
	if got := len(byProfile); got != 2 || byProfile["sqlite"] == nil || byProfile["replicas"] == nil {
		t.Fatalf("profiles %v, want sqlite and replicas", byProfile)
	}

	for _, name := range bots {
		t.Run(name, func(t *testing.T) {
			s := f.Services[name]
			if _, err := os.Stat(filepath.Join(root, "deploy", s.Build.Context, s.Build.Dockerfile)); err != nil {
				t.Errorf("build: %v", err)
			}
			if !slices.Equal(s.Command, []string{"serve"}) {
				t.Errorf("command %q, want [serve]", s.Command)
			}
			if s.EnvFile != ".env" {
				t.Errorf("env_file %q, want .env (deploy/.env)", s.EnvFile)
			}
			if g, err := time.ParseDuration(s.StopGracePeriod); err != nil || g < drainDefault+5*time.Second {
				t.Errorf("stop_grace_period %q, want ≥ %s", s.StopGracePeriod, drainDefault+5*time.Second)
			}
			if !s.ReadOnly || !slices.Contains(s.Tmpfs, "/tmp") || !slices.Equal(s.CapDrop, []string{"ALL"}) {
				t.Errorf("read_only %v, tmpfs %q, cap_drop %q: want a read-only root, /tmp on tmpfs and no capabilities", s.ReadOnly, s.Tmpfs, s.CapDrop)
			}
			if len(s.Ports) != 1 || !strings.HasSuffix(interpolate(s.Ports[0]), ":8080") || !strings.HasPrefix(interpolate(s.Ports[0]), "127.0.0.1:") {
				t.Errorf("ports %q, want one 127.0.0.1:PORT:8080 by default", s.Ports)
			}
			if got := s.Environment["ALEXA_BRIEF_ADDR"]; got != ":8080" {
				t.Errorf("ALEXA_BRIEF_ADDR %q, want :8080", got)
			}
			var names []string
			for k := range s.Environment {
				names = append(names, k)
				if slices.Contains(secretEnv, k) {
					t.Errorf("%s is written into compose.yaml; it belongs in deploy/.env", k)
				}
			}
			checkEnvNames(t, "compose.yaml "+name, names)
		})
	}

	t.Run("sqlite", func(t *testing.T) {
		var bot []string
		for _, n := range byProfile["sqlite"] {
			if f.Services[n].Build != nil {
				bot = append(bot, n)
			}
		}
		if len(bot) != 1 {
			t.Fatalf("bots %q, want exactly one (SQLite has one writer)", bot)
		}
		s := f.Services[bot[0]]
		db := s.Environment["DATABASE_URL"]
		ok := false
		for _, v := range s.Volumes {
			src, dst, _ := strings.Cut(v, ":")
			if _, named := f.Volumes[src]; named && strings.HasPrefix(db, dst+"/") {
				ok = true
			}
		}
		if !ok {
			t.Errorf("DATABASE_URL %q is not on a named volume (volumes %q)", db, s.Volumes)
		}
	})

	t.Run("replicas", func(t *testing.T) {
		pg, ok := f.Services["postgres"]
		if !ok || !slices.Equal(pg.Profiles, []string{"replicas"}) {
			t.Fatal("no postgres service in the replicas profile")
		}
		if got := pg.Image; got != "postgres:15" {
			t.Errorf("postgres: image %q, want postgres:15", got)
		}
		if pg.Healthcheck == nil || len(pg.Healthcheck.Test) == 0 {
			t.Error("postgres: no healthcheck, so depends_on cannot wait for it")
		}
		if len(pg.Ports) != 0 {
			t.Errorf("postgres: ports %q; the database stays on the compose network", pg.Ports)
		}
		// The URL the bots use must name the user, password and database
		// the postgres container creates.
		wantDB := fmt.Sprintf("postgres://%s:%s@postgres:5432/%s?sslmode=disable",
			pg.Environment["POSTGRES_USER"], interpolate(pg.Environment["POSTGRES_PASSWORD"]), pg.Environment["POSTGRES_DB"])
		var bot []string
		var db string
		for _, n := range byProfile["replicas"] {
			s := f.Services[n]
			if s.Build == nil {
				continue
			}
			if u := interpolate(s.Environment["DATABASE_URL"]); u != wantDB {
				t.Errorf("%s: DATABASE_URL %q, want %q (the postgres service's user, password and database)", n, u, wantDB)
			}
			bot = append(bot, n)
			u := interpolate(s.Environment["DATABASE_URL"])
			if !strings.HasPrefix(u, "postgres://") {
				t.Errorf("%s: DATABASE_URL %q, want postgres://", n, u)
			}
			if db != "" && u != db {
				t.Errorf("%s: DATABASE_URL %q differs from %q: the replicas must share one store", n, u, db)
			}
			db = u
			if dep, ok := s.DependsOn["postgres"]; !ok || dep.Condition != "service_healthy" {
				t.Errorf("%s: depends_on %+v, want postgres with condition service_healthy", n, s.DependsOn)
			}
		}
		if len(bot) < 2 {
			t.Errorf("bots %q, want two replicas", bot)
		}
	})
}
