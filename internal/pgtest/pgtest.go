// Package pgtest gives tests a fresh PostgreSQL database.
//
// URL(t) returns the URL of a database created for that test alone. The
// server is ALEXA_BRIEF_TEST_POSTGRES when set (a URL whose role may create
// databases); otherwise a throwaway server started once per test binary from
// the local PostgreSQL binaries (PATH or /usr/lib/postgresql/*/bin): initdb
// into a temporary folder, a free port on 127.0.0.1, its unix socket in that
// folder, fsync off. As root, initdb and postgres run as the postgres user,
// since PostgreSQL refuses to run as root. With neither, the test is skipped,
// or fails when ALEXA_BRIEF_REQUIRE_POSTGRES=1 (CI sets it).
//
// A test binary that uses URL calls Main from TestMain so that the server
// stops when the tests end:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Environment variables this package reads (tests only).
const (
	EnvURL     = "ALEXA_BRIEF_TEST_POSTGRES"
	EnvRequire = "ALEXA_BRIEF_REQUIRE_POSTGRES"
)

const skipMessage = "set " + EnvURL + " or install PostgreSQL 15 to run"

var (
	once      sync.Once
	serverURL string // admin URL of the server, database "postgres"
	startErr  error
	srv       *server
)

// Main runs the tests and stops the throwaway server, if one was started.
func Main(m *testing.M) {
	code := m.Run()
	if srv != nil {
		srv.stop()
	}
	os.Exit(code)
}

// URL returns the URL of a new, empty database for t, dropped at the end
// of t when the server is an external one.
func URL(t testing.TB) string {
	t.Helper()
	once.Do(func() { serverURL, startErr = start() })
	if startErr != nil {
		if errors.Is(startErr, errNoPostgres) && os.Getenv(EnvRequire) != "1" {
			t.Skip(skipMessage)
		}
		t.Fatalf("pgtest: %v", startErr)
	}
	ctx := context.Background()
	name := "t_" + randomHex(8)
	conn, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		t.Fatalf("pgtest: connect: %v", redact(err, serverURL))
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: create database: %v", redact(err, serverURL))
	}
	t.Cleanup(func() {
		if srv != nil {
			return // the whole server goes at the end
		}
		c, err := pgx.Connect(ctx, serverURL)
		if err != nil {
			t.Logf("pgtest: drop %s: %v", name, redact(err, serverURL))
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("pgtest: drop %s: %v", name, redact(err, serverURL))
		}
	})
	u, _ := url.Parse(serverURL)
	u.Path = "/" + name
	return u.String()
}

var errNoPostgres = errors.New("no PostgreSQL")

func start() (string, error) {
	if u := os.Getenv(EnvURL); u != "" {
		if _, err := url.Parse(u); err != nil {
			return "", fmt.Errorf("%s is not a URL", EnvURL)
		}
		return u, nil
	}
	bin, err := findBin()
	if err != nil {
		return "", err
	}
	s, err := startServer(bin)
	if err != nil {
		return "", err
	}
	srv = s
	return s.url, nil
}

// findBin returns the folder holding initdb and postgres: PATH first, then
// the newest /usr/lib/postgresql/N/bin.
func findBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "postgres")); err == nil {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errNoPostgres
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// redact removes the URL's password from an error message.
func redact(err error, rawURL string) string {
	msg := err.Error()
	if u, perr := url.Parse(rawURL); perr == nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
		}
	}
	return msg
}
