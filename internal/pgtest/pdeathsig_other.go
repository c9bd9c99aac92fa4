//go:build unix && !linux

package pgtest

import "syscall"

// setPdeathsig: only Linux offers a parent-death signal; elsewhere a test
// binary killed before Main stops the server leaves it running.
func setPdeathsig(*syscall.SysProcAttr) {}
