//go:build !unix

package stories

import "time"

func cpuTime() (time.Duration, bool) { return 0, false }
