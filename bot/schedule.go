package bot

// Schedule parsing and validation. Owned by the digest work; the core's
// subscribe command calls ParseSchedule.
//
// Contract:
//
//	type Schedule struct{ ... }                    // parsed, validated spec
//	func ParseSchedule(spec string, min time.Duration) (Schedule, error)
//	func (s Schedule) Next(t time.Time) time.Time  // strictly after t; zero if never
//	func (s Schedule) Spec() string                 // normalised spec as stored
//	func (s Schedule) Location() *time.Location
//
// ParseSchedule never panics, refuses specs firing more often than min and
// specs that never fire, and returns errors a user can act on.
