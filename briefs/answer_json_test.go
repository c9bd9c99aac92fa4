package briefs

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestAnswerJSONModeOnlyWhenSet(t *testing.T) {
	a := Answer{Question: "AT&T <x>?", Citations: []Citation{}, Nearest: []Citation{}}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "mode") || strings.Contains(string(b), "dropped") {
		t.Fatalf("no mode set, JSON %s has mode or dropped", b)
	}
	want := `{"question":"AT\u0026T \u003cx\u003e?","answered":false,"answer":"","citations":[],"confidence":0,"nearest":[]}`
	if string(b) != want {
		t.Fatalf("JSON = %s, want %s (the shape before written answers)", b, want)
	}
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(a); err != nil || !strings.Contains(sb.String(), `"AT&T <x>?"`) {
		t.Fatalf("an encoder without HTML escaping wrote %s (%v)", sb.String(), err)
	}

	a.Mode = ModeExtractive
	b, _ = json.Marshal(a)
	if !strings.HasSuffix(string(b), `"nearest":[],"mode":"extractive","dropped":0}`) {
		t.Fatalf("JSON = %s, want mode and dropped 0 last", b)
	}
	a.Mode, a.Dropped = ModeWritten, 2
	b, _ = json.Marshal(a)
	var back Answer
	if err := json.Unmarshal(b, &back); err != nil || back.Mode != ModeWritten || back.Dropped != 2 || back.Question != a.Question {
		t.Fatalf("round trip of %s: %+v, %v", b, back, err)
	}
}

func TestCandidates(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	got := c.Candidates("How much did Amazon lose on devices?", 5)
	if len(got) != 5 {
		t.Fatalf("%d candidates, want 5", len(got))
	}
	ask := c.Ask("How much did Amazon lose on devices?")
	if !ask.Answered || got[0] != ask.Citations[0] {
		t.Errorf("first candidate %+v, want the extractive answer's %+v", got[0], ask.Citations)
	}
	seen := map[string]bool{}
	for _, ct := range got {
		if seen[ct.Text] || !contains(c.Sentences(ct.Source), ct.Text) {
			t.Errorf("candidate %+v repeated or not a sentence of its article", ct)
		}
		seen[ct.Text] = true
	}
	for _, q := range []string{"What is the capital of Mongolia?", "?", "the of and"} {
		if got := c.Candidates(q, 5); len(got) != 0 {
			t.Errorf("Candidates(%q) = %d sentences, want none", q, len(got))
		}
	}
	if got := c.Candidates("What happened?", 3); len(got) != 3 {
		t.Errorf("What happened?: %d candidates, want the brief's 3 leading points", len(got))
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
