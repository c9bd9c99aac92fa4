package deploy_test

// The binary deploy/build.sh makes, run the way the image runs it.

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary runs deploy/build.sh, the Dockerfile's build stage, into a
// temporary directory. It compiles the whole module, so it runs only where
// asked (CI sets ALEXA_BRIEF_BUILD_TEST=1).
func buildBinary(t *testing.T, version, commit string) string {
	t.Helper()
	if os.Getenv("ALEXA_BRIEF_BUILD_TEST") != "1" {
		t.Skip("set ALEXA_BRIEF_BUILD_TEST=1 to run deploy/build.sh")
	}
	out := t.TempDir()
	cmd := exec.Command("bash", filepath.Join(root, "deploy", "build.sh"), out)
	cmd.Env = append(os.Environ(), "VERSION="+version, "COMMIT="+commit, "GOOS=", "GOARCH=")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("deploy/build.sh: %v\n%s", err, b)
	}
	return filepath.Join(out, "alexa-brief")
}

func TestBuildScript(t *testing.T) {
	const version, commit = "v0.0.0-deploytest", "0123456789abcdef0123456789abcdef01234567"
	bin := buildBinary(t, version, commit)
	fi, err := os.Stat(bin)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&0o111 == 0 {
		t.Errorf("%s is not executable: %v", bin, fi.Mode())
	}
	if b, err := exec.Command("go", "version", "-m", bin).Output(); err != nil {
		t.Errorf("go version -m: %v", err)
	} else if !strings.Contains(string(b), "CGO_ENABLED=0") || !strings.Contains(string(b), "-trimpath=true") {
		t.Errorf("go version -m %s:\n%s\nwant CGO_ENABLED=0 and -trimpath=true", bin, b)
	}
	var stdout, stderr bytes.Buffer
	run := exec.Command(bin, "version")
	run.Stdout, run.Stderr = &stdout, &stderr
	run.Env = []string{} // version must not need any configuration
	if err := run.Run(); err != nil {
		t.Fatalf("alexa-brief version: %v\nstderr: %s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), version) {
		t.Errorf("alexa-brief version printed %q, want it to contain the stamped %q", stdout.String(), version)
	}
}

// TestImageRuntime runs `alexa-brief serve` as the image does, short of a
// container engine: chrooted into a root that holds nothing but the binary,
// an empty /tmp and the /data volume (so no libc, no shell, no CA files), as
// uid 65532, with the Dockerfile's ENV and WORKDIR. It checks the three
// endpoints the orchestrators probe, that the SQLite store lands on the
// volume, and that SIGTERM ends it with exit code 0.
func TestImageRuntime(t *testing.T) {
	bin := buildBinary(t, "v0.0.0-imagetest", "")
	if os.Geteuid() != 0 {
		t.Skip("chroot and a uid switch need root")
	}
	const uid = 65532
	rootfs := t.TempDir()
	if err := os.Chmod(rootfs, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(rootfs, "alexa-brief"), b, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, d := range []struct {
		path string
		mode os.FileMode
		uid  int
	}{{"tmp", 0o1777, 0}, {"data", 0o755, uid}} {
		p := filepath.Join(rootfs, d.path)
		if err := os.Mkdir(p, d.mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, d.mode); err != nil { // past the umask
			t.Fatal(err)
		}
		if err := os.Chown(p, d.uid, d.uid); err != nil {
			t.Fatal(err)
		}
	}

	// A free loopback port stands in for the container's :8080.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	env := imageEnv(t)
	env["ALEXA_BRIEF_ADDR"] = addr
	var stderr bytes.Buffer
	cmd := exec.Command("/alexa-brief", "serve")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Dir = "/data" // WORKDIR
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Chroot:     rootfs,
		Credential: &syscall.Credential{Uid: uid, Gid: uid},
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start in the chroot: %v", err)
	}
	// exited is closed once Wait returns; waitErr is its result.
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill() // an error here means it is gone already
		<-exited
	})

	client := &http.Client{Timeout: 10 * time.Second}
	get := func(path string) (int, string, error) {
		resp, err := client.Get("http://" + addr + path)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body), err
	}
	// Wait for the listener: poll a bounded number of times, failing early
	// if the process dies.
	up := false
	for i := 0; i < 300 && !up; i++ {
		select {
		case <-exited:
			t.Fatalf("serve exited before listening: %v\nstderr:\n%s", waitErr, stderr.String())
		default:
		}
		if code, _, err := get("/healthz"); err == nil && code == http.StatusOK {
			up = true
		} else {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if !up {
		t.Fatalf("/healthz never answered 200\nstderr:\n%s", stderr.String())
	}

	ready := false
	var last string
	for i := 0; i < 100 && !ready; i++ {
		code, body, err := get("/readyz")
		last = fmt.Sprintf("%d %s %v", code, body, err)
		ready = err == nil && code == http.StatusOK
		if !ready {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if !ready {
		t.Errorf("/readyz never answered 200; last: %s", last)
	}
	if code, body, err := get("/metrics"); err != nil || code != http.StatusOK || !strings.Contains(body, "# TYPE ") {
		t.Errorf("/metrics: %d %v, want 200 and Prometheus text", code, err)
	}

	// The store is on the volume, owned by the image's user.
	db := filepath.Join(rootfs, strings.TrimPrefix(env["DATABASE_URL"], "/"))
	if fi, err := os.Stat(db); err != nil {
		t.Errorf("DATABASE_URL %s: %v", env["DATABASE_URL"], err)
	} else if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid != uid {
		t.Errorf("%s is owned by uid %d, want %d", env["DATABASE_URL"], st.Uid, uid)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-exited
	if waitErr != nil {
		t.Errorf("after SIGTERM: %v, want exit code 0\nstderr:\n%s", waitErr, stderr.String())
	}
}
