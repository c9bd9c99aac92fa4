package briefs

import "testing"

// The same question with the same best sentence must not lose confidence
// because the story grew: a thousand unrelated articles change the idf of
// every term, and a feature that grows with it would push a right answer
// under the decline threshold in a large story.
func TestConfidenceIndependentOfStorySize(t *testing.T) {
	story, err := LoadDir("testdata/bridge")
	if err != nil {
		t.Fatal(err)
	}
	small, err := New(story)
	if err != nil {
		t.Fatal(err)
	}
	large, err := New(append(genArticles(1000, 7), story...))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"How much is the state grant?",
		"When does construction begin?",
		"How many vehicles does the bridge carry a day?",
		"Who announced the grant?",
	} {
		a, b := small.Ask(q), large.Ask(q)
		if !a.Answered || !b.Answered {
			t.Errorf("%q: answered %v alone, %v among 1,000 other articles; want both", q, a.Answered, b.Answered)
			continue
		}
		if a.Citations[0].Text != b.Citations[0].Text {
			t.Errorf("%q: best sentence changed with the story's size:\n %q\n %q", q, a.Citations[0].Text, b.Citations[0].Text)
		}
		if b.Confidence < 0.75*a.Confidence {
			t.Errorf("%q: confidence %.3f alone, %.3f among 1,000 other articles; want within a quarter", q, a.Confidence, b.Confidence)
		}
	}
}
