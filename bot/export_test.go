package bot

import "time"

// SetRecordTimeout shortens how long recording one outcome may take, so a
// test can outlast it with a slow post instead of waiting 30 s.
func (s *Scheduler) SetRecordTimeout(d time.Duration) { s.recordTimeout = d }
