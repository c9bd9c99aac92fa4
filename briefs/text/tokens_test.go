package text

import (
	"strings"
	"testing"
)

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"Amazon lost over $25.5 billion.", "amazon lost over 25.5 billion"},
		{"We worried we’ve hired 10,000 people.", "we worried we've hired 10000 people"},
		{"Amazon’s Echo and Jeff Bezos's era", "amazon echo and jeff bezos era"},
		{"The U.S. economy, e.g. jobs", "the u.s economy e.g jobs"},
		{"Alexa-enabled devices 2017–2021", "alexa enabled devices 2017 2021"},
		{"up 40% in Q1 2023", "up 40 percent in q1 2023"},
		{"“Remarkable Alexa,” he said", "remarkable alexa he said"},
		{"1,000.5 and 3.", "1000.5 and 3"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(Words(tt.in), " "); got != tt.want {
			t.Errorf("Words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStemAndTerms(t *testing.T) {
	stems := []struct{ in, want string }{
		{"devices", "devic"}, {"device", "devic"}, {"losses", "loss"}, {"worried", "worri"},
		{"running", "run"}, {"2021", "2021"}, {"25.5", "25.5"}, {"u.s", "u.s"},
	}
	for _, tt := range stems {
		if got := Stem(tt.in); got != tt.want {
			t.Errorf("Stem(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got, want := strings.Join(Terms("How much did Amazon lose on its devices?"), " "), "much amazon lose devic"; got != want {
		t.Errorf("terms = %q, want %q", got, want)
	}
	for _, w := range []string{"the", "we've", "don't", "of"} {
		if !IsStop(w) {
			t.Errorf("IsStop(%q) = false, want true", w)
		}
	}
	for _, w := range []string{"amazon", "timer", "2021"} {
		if IsStop(w) {
			t.Errorf("IsStop(%q) = true, want false", w)
		}
	}
}

func TestInflections(t *testing.T) {
	tests := []struct{ lemma, want string }{
		{"say", "say says sayed saying"}, // irregular "said" comes from speechIrregular
		{"argue", "argue argues argued arguing"},
		{"reply", "reply replies replied replying"},
		{"quip", "quip quips quipped quipping"},
		{"warn", "warn warns warned warning"},
		{"stress", "stress stresses stressed stressing"},
		{"admit", "admit admits admitted admitting"},
	}
	for _, tt := range tests {
		if got := strings.Join(Inflections(tt.lemma), " "); got != tt.want {
			t.Errorf("Inflections(%q) = %q, want %q", tt.lemma, got, tt.want)
		}
	}
	for _, w := range []string{"said", "told", "adding", "warned", "wrote", "replied", "quipped"} {
		if !SpeechVerbs.Has(w) {
			t.Errorf("SpeechVerbs lacks %q", w)
		}
	}
}
