package pgtest

import "syscall"

// setPdeathsig has the kernel stop the server (immediate shutdown) when the
// test binary dies, even by SIGKILL or a test timeout.
func setPdeathsig(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGQUIT }
