package main

import "runtime/debug"

// Stamped at build time: -ldflags "-X main.version=v1.2.3 -X main.commit=abc123"
// (deploy/build.sh does it; the Dockerfile runs deploy/build.sh).
var (
	version = "dev"
	commit  = ""
)

// buildInfo returns the version and commit, falling back to what the Go
// toolchain recorded (module version, vcs revision) when not stamped.
func buildInfo() (ver, rev, goVersion string) {
	ver, rev = version, commit
	if bi, ok := debug.ReadBuildInfo(); ok {
		goVersion = bi.GoVersion
		if ver == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			ver = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && rev == "" {
				rev = s.Value
			}
		}
	}
	return ver, rev, goVersion
}
