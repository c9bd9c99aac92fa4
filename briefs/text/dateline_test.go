package text

import "testing"

func TestDateline(t *testing.T) {
	tests := []struct {
		s, want string // want: what follows the dateline
	}{
		{"DALLAS (AP) — Democratic candidates are shifting staff.", "Democratic candidates are shifting staff."},
		{"PASADENA, Calif., Jan. 1 (UPI) — A handful of pilots wrote messages.", "A handful of pilots wrote messages."},
		{"WASHINGTON — The Senate voted.", "The Senate voted."},
		{"(CNN)  -- The league suspended him.", "The league suspended him."},
		{"Cleveland (AFP) – The delegates cheered.", "The delegates cheered."},
		{"The council voted 7-2 — a clear majority — on Tuesday.", "The council voted 7-2 — a clear majority — on Tuesday."},
		{"Sales rose -- slightly.", "Sales rose -- slightly."},
		{"A short line", "A short line"},
	}
	for _, tt := range tests {
		if got := tt.s[Dateline(tt.s):]; got != tt.want {
			t.Errorf("after Dateline(%q): %q, want %q", tt.s, got, tt.want)
		}
	}
}
