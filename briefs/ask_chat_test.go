package briefs

import (
	"strings"
	"testing"

	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// Questions as people type them in chat, over a small three-article story
// written for these tests (testdata/qa/ferry): capitals, stray spaces,
// curly apostrophes, mentions, questions the text does not answer though
// their words are there, and answers that say "it" for a name.
func TestAskChatQuestions(t *testing.T) {
	c := loadQADir(t, "testdata/qa/ferry")
	runAsk(t, c, []askCase{
		// Case, spacing, punctuation and apostrophes change nothing.
		{"what is the adult fare", true, "$5.25"},
		{"WHAT IS THE ADULT FARE", true, "$5.25"},
		{"  what   is the  adult fare  ", true, "$5.25"},
		{"What’s the adult fare?", true, "$5.25"},
		{"HOW MUCH DOES THE RESERVOIR HOLD", true, "8 million litres"},
		// Chat markup is not part of the question.
		{"<@&5678> what is the adult fare?", true, "$5.25"},
		{"<@U42ABC> <#C01|ferry> how much does the reservoir hold?", true, "8 million litres"},
		{"&lt;@U42ABC&gt; what is the adult fare", true, "$5.25"},
		{"@everyone what is the adult fare?", true, "$5.25"},
		{"<!here> @here What is the deficit?", true, "$9 million deficit"},
		// Figures: "how much" with a unit, money without the word.
		{"How much does the reservoir hold?", true, "8 million litres"},
		{"How big is the budget shortfall?", true, "$9 million"},
		{"How big is the shortfall?", true, "$9 million"},
		{"What is the deficit?", true, "$9 million deficit"},
		// A pronoun answer: "it" is Island Line 5 of the sentence before.
		{"How many people take Island Line 5?", true, "About 1,200 people"},
		{"how many people take island line 5", true, "About 1,200 people"},
		// Who said what: X must speak, not be spoken to.
		{"What did the operations director say?", true, "no easy choices"},
		{"What did Moreau say?", true, "elected to keep the boats"},
		{"What did the vice chair say?", true, "Peter Vance, told reporters"},
		{"What did the governor say?", false, "The articles don't say"},
		// The words are there, the answer is not.
		{"What is the population of Lakeside County?", false, "The articles don't say"},
		{"When was the vice chair elected?", false, "The articles don't say"},
		{"What is the capital of Peru?", false, "never mention Peru"},
		{"<@&1234> what is the population of Lakeside County?", false, "The articles don't say."},
	})
	// A mention is never named as something the articles lack.
	for _, q := range []string{"<@&1234> what is the tallest tower?", "<@U99> <#C7|x> who is the mayor?"} {
		if a := c.Ask(q); strings.ContainsAny(a.Answer, "0123456789") {
			t.Errorf("Ask(%q) = %q, want no mention token in the decline", q, a.Answer)
		}
	}
}

// A question about the story as a whole is answered by its lead: each
// citation is the first or second sentence of its article.
func TestAskGenericLead(t *testing.T) {
	for _, dir := range []string{"testdata/qa/ferry", "testdata/qa/port"} {
		c := loadQADir(t, dir)
		for _, q := range []string{"what happened?", "What happened", "WHAT'S GOING ON?", "what is this about?", "@here what's new?"} {
			a := c.Ask(q)
			checkVerbatim(t, c, a)
			if !a.Answered || len(a.Citations) == 0 {
				t.Errorf("%s: Ask(%q) declined: %q", dir, q, a.Answer)
				continue
			}
			if lead := c.Sentences(a.Citations[0].Source); len(lead) == 0 || a.Citations[0].Text != lead[0] {
				t.Errorf("%s: Ask(%q) cites %q, want the lead sentence of %s", dir, q, a.Citations[0].Text, a.Citations[0].Source)
			}
		}
	}
	// A single short article: the answer is its opening.
	c, err := New([]Article{{ID: "fire", Title: "Barn fire in Oakridge", Text: "A barn fire destroyed two tractors in Oakridge on Sunday night.\n\n" +
		"Firefighters from three towns worked until dawn. No one was hurt.\n\n" +
		"The owner, Dale Pruitt, plans to rebuild by spring."}})
	if err != nil {
		t.Fatal(err)
	}
	runAsk(t, c, []askCase{{"what happened?", true, "A barn fire destroyed two tractors"}})
}

// The same question in capitals, with stray spaces or markup, gets the
// same answer as typed plainly.
func TestAskCaseInsensitive(t *testing.T) {
	c := loadQACorpus(t)
	for _, q := range []string{"how much will the new terminal cost?", "when does construction begin?",
		"who leads the fishermen's cooperative?", "what did quint say about the ships?"} {
		want := c.Ask(q)
		for _, v := range []string{strings.ToUpper(q), strings.TrimSuffix(q, "?"), "  " + strings.ReplaceAll(q, " ", "   "),
			strings.ReplaceAll(q, "'", "’"), "<@U1> " + q, q + " @here"} {
			got := c.Ask(v)
			if got.Answered != want.Answered || got.Answer != want.Answer {
				t.Errorf("Ask(%q) = %v %q, want as for %q: %v %q", v, got.Answered, got.Answer, q, want.Answered, want.Answer)
			}
		}
	}
}

// "What did X say" needs X to speak in the sentence.
func TestSaidBy(t *testing.T) {
	c, err := New([]Article{{ID: "a", Title: "Council vote", Text: "“We will not wait,” said Ada Moss, the council’s finance chair.\n\n" +
		"Senator Lee wrote to the governor on Friday.\n\n" +
		"The mayor told reporters the vote was close.\n\n" +
		"According to the treasurer, the fund is empty.\n\n" +
		"Moss said in a letter to the mayor that she would stay."}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		sent    int
		speaker string
		want    bool
	}{
		{0, "moss", true},
		{0, "chair", true},
		{0, "council", true},
		{1, "lee", true},
		{1, "governor", false},
		{2, "mayor", true},
		{2, "reporter", false},
		{3, "treasur", true},
		{4, "moss", true},
		{4, "mayor", false},
	}
	for _, tt := range tests {
		if got := c.saidBy(tt.sent, text.Norm(tt.speaker)); got != tt.want {
			t.Errorf("saidBy(%q, %q) = %v, want %v", c.sents[tt.sent].text, tt.speaker, got, tt.want)
		}
	}
}

// A question may use a synonym of the text's word: WordNet relates a
// shortfall to a deficit (text.Related), so the sentence that states the
// deficit is the one found, answered or shown as the closest.
func TestAskShortfallWords(t *testing.T) {
	c, err := New([]Article{{ID: "b", Title: "Council passes budget", Text: "The county council passed its budget on Monday. It closes a $4 million deficit with new parking fees.\n\nParking fees will rise to $3 an hour."}})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"How big is the budget shortfall?", "How large is the shortfall?", "What is the deficit?"} {
		a := c.Ask(q)
		checkVerbatim(t, c, a)
		found := a.Nearest
		if a.Answered {
			found = a.Citations
		}
		if len(found) == 0 || !strings.Contains(found[0].Text, "$4 million deficit") {
			t.Errorf("Ask(%q) = %+v, want the $4 million deficit sentence first", q, a)
		}
	}
	runAsk(t, c, []askCase{{"What is the population of the county?", false, "The articles don't say"}})
}

// A description next to a speaker's name stands for them when a later
// quote says only "she said".
func TestSaidByDescription(t *testing.T) {
	c, err := New([]Article{{ID: "h", Title: "Dredging delayed", Text: "Harbour master Grace Mbeki defended the decision. “We will not cut corners on safety,” she said.\n\n" +
		"“It was not final,” said Omar Haddad, a local councillor."}})
	if err != nil {
		t.Fatal(err)
	}
	runAsk(t, c, []askCase{
		{"What did the harbour master say?", true, "We will not cut corners"},
		{"What did the councillor say?", true, "It was not final"},
		{"What did the decision say?", false, "The articles don't say"},
	})
}
