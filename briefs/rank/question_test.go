package rank

import (
	"slices"
	"testing"

	"github.com/alexa-brief/alexa-brief/briefs/text"
)

func TestAnalyze(t *testing.T) {
	tests := []struct {
		question string
		want     Type
		focus    string
		speaker  string
		counted  string
		terms    []string
	}{
		{"How much did the council lose?", Money, "", "", "", []string{"council", "lose"}},
		{"How many ferries were sold?", Count, "", "", "ferri", []string{"ferri", "sell"}},
		{"When did he leave?", Date, "", "", "", []string{"leav"}},
		{"In what year was it built?", Date, "", "", "", []string{"build"}},
		{"What percentage of riders pay?", Percent, "", "", "", []string{"rider", "pay"}},
		{"Who runs the port?", Person | Name, "", "", "", []string{"run", "port"}},
		{"Who is the port's director?", Definition, "director", "", "", []string{"port", "director"}},
		{"Where is the plant?", Place | Name, "", "", "", []string{"plant"}},
		{"In what country is the plant?", Place | Name, "", "", "", []string{"plant"}},
		{"Why did it fail?", Reason, "", "", "", []string{"fail"}},
		{"What is the deficit?", Figure, "deficit", "", "", []string{"deficit"}},
		{"What is the population of Maple Valley?", Figure, "popul", "", "", []string{"popul", "mapl", "valley"}},
		{"What is a tithe?", Definition, "tith", "", "", []string{"tith"}},
		{"What did the governor say?", 0, "", "governor", "", []string{"governor"}},
		{"What did Quint say about the ships?", 0, "", "quint", "", []string{"quint", "ship"}},
		{"How much money comes from reserves?", Money, "", "", "", []string{"come", "reserv"}},
	}
	for _, tt := range tests {
		q := Analyze(tt.question)
		if q.Want != tt.want || q.Focus != tt.focus || q.Speaker != tt.speaker || q.Counted != tt.counted || !slices.Equal(q.Terms, tt.terms) {
			t.Errorf("Analyze(%q) = want %b focus %q speaker %q counted %q terms %q, want %b %q %q %q %q",
				tt.question, q.Want, q.Focus, q.Speaker, q.Counted, q.Terms, tt.want, tt.focus, tt.speaker, tt.counted, tt.terms)
		}
	}
}

func TestAnalyzeNames(t *testing.T) {
	q := Analyze("When did Marisol Ortega join the 2021 board?")
	for _, n := range []string{text.Norm("marisol"), text.Norm("ortega"), "2021"} {
		if !q.Names[n] {
			t.Errorf("Names = %v, want %q in it", q.Names, n)
		}
	}
	if q.Names[text.Norm("board")] || q.Names["when"] {
		t.Errorf("Names = %v, want no lower-case word and not the first word", q.Names)
	}
	if want := []string{"Marisol Ortega", "2021"}; !slices.Equal(q.Entities, want) {
		t.Errorf("Entities = %q, want %q", q.Entities, want)
	}
}

func TestCleanQuestion(t *testing.T) {
	tests := []struct{ in, want string }{
		{"what is the new fare", "what is the new fare"},
		{"WHAT IS THE NEW FARE", "what is the new fare"},
		{"WHAT DID MARA QUINT SAY?", "what did mara quint say?"},
		{"Who is the firm's CEO?", "Who is the firm's CEO?"}, // an acronym in a plain question stays
		{"  how   much\tdid it cost ", "how much did it cost"},
		{"<@U123> how much?", "how much?"},
		{"<@&1234> what is the fare", "what is the fare"},
		{"see <#C01|general> and <!here>", "see and"},
		{"is <https://example.com|the report> right?", "is the report right?"},
		{"is <https://example.com> right?", "is right?"},
		{"&lt;@U9&gt; fares &amp; routes", "fares & routes"},
		{"@everyone @here what now", "what now"},
		{"is 3 < 4 > 2", "is 3 < 4 > 2"},
		{"<:party:123> <a:wave:9> <t:1700000000:R> when?", "when?"},
	}
	for _, tt := range tests {
		if got := CleanQuestion(tt.in); got != tt.want {
			t.Errorf("CleanQuestion(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDialogue(t *testing.T) {
	tests := []struct {
		q                                   string
		more, elseSaid, constraint, generic bool
	}{
		{"tell me more", true, false, false, false},
		{"Anything else?", true, false, false, false},
		{"what else did he say?", false, true, false, false},
		{"Did she say anything else?", false, true, false, false},
		{"and in 2021?", false, false, true, false},
		{"What about Ortega?", false, false, true, false},
		{"How much did the port lose?", false, false, false, false},
		{"Who is the director?", false, false, false, false},
		{"what happened?", false, false, false, true},
		{"WHAT'S GOING ON?", false, false, false, true},
		{"What happened to the ferry?", false, false, false, false},
	}
	for _, tt := range tests {
		q := Analyze(tt.q)
		got := [4]bool{q.IsMore(), q.IsElseSaid(), q.IsConstraint(), q.IsGeneric()}
		if want := [4]bool{tt.more, tt.elseSaid, tt.constraint, tt.generic}; got != want {
			t.Errorf("%q: more/elseSaid/constraint/generic = %v, want %v", tt.q, got, want)
		}
	}
}

func TestNarrow(t *testing.T) {
	prev := Analyze("How much did the port lose in 2020?")
	got := prev.Narrow(Analyze("and in 2021?"))
	if !slices.Contains(got.Terms, "2021") || slices.Contains(got.Terms, "2020") {
		t.Errorf("terms = %q, want 2021 in place of 2020", got.Terms)
	}
	if !slices.Equal(got.Required, []string{"2021"}) || got.Want != Money {
		t.Errorf("required %q want %b, want [2021] and money", got.Required, got.Want)
	}
	about := Analyze("what did he say?").About("Tomas Arel")
	if about.Speaker != text.Norm("arel") || len(about.Required) != 0 {
		t.Errorf("About: speaker %q required %q, want the surname as speaker and nothing required", about.Speaker, about.Required)
	}
	when := Analyze("when did he join?").About("Tomas Arel")
	if !slices.Equal(when.Required, []string{text.Norm("arel")}) {
		t.Errorf("About: required %q, want the surname", when.Required)
	}
}
