package briefs

import (
	"strings"
	"testing"
)

// TestLargeInputs feeds New, Brief, Quotes, Facts, Ask and FollowUp articles
// of about a megabyte that stress one rule each, and checks the contract's
// invariants on what comes out. It asserts no time: a rule that turns
// quadratic again (each of these inputs once took from a minute to hours:
// ‘ rescanning every ’, attribution splitting the whole sentence before each
// quotation, figures compared with every earlier figure, a year or a
// capitalised word searched for in its whole sentence, a long sentence hashed
// once per quotation, every speaker's description searched for in the whole
// article) shows as the test
// binary's timeout.
func TestLargeInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("megabyte articles: skipped with -short")
	}
	inputs := []struct{ name, text string }{
		{"one sentence without punctuation", strings.Repeat("word ", 200000)},
		{"one unclosed quotation", "“" + strings.Repeat("word ", 200000)},
		{"unclosed quotations then speech", strings.Repeat("“a ", 100000) + strings.Repeat("” said Bo. ", 10000)},
		{"100,000 tiny sentences", strings.Repeat("A b. ", 100000)},
		{"30,000 quotes", strings.Repeat("“Hi,” he said. ", 30000)},
		{"only numbers", strings.Repeat("12 3.5 $4 2019 1,200 ", 45000)},
		{"only punctuation", strings.Repeat(".,;!?… ", 100000)},
		{"capitalised names", strings.Repeat("Ann Bo Cy Di Ed Fa Gu in Paris ", 30000)},
		{"unclosed single quotes", strings.Repeat("‘ab ", 100000)},
		{"apostrophes and single quotes", strings.Repeat("o’neill ‘x’ ", 60000)},
		{"straight quotes", strings.Repeat("\"a ", 100000)},
		{"titles", strings.Repeat("Mr. ", 200000)},
		{"line breaks", strings.Repeat("a\n", 300000)},
		{"CJK", strings.Repeat("亚马逊亏损了美元。“这是计时器，”他说。", 20000)},
		{"RTL and emoji", strings.Repeat("مرحبا 🎉 بالعالم 🚀 ", 40000)},
		{"speech verbs", strings.Repeat("Ann Bo said Cy Di told Ed Fa ", 30000)},
		{"pronouns and quotes", strings.Repeat("he she he she said “x y z w” ", 30000)},
		{"NUL and CRLF", strings.Repeat("a\x00b.\r\n", 100000)},
		{"one sentence of 30,000 quotes", strings.Repeat("Ann said “x y z w” ", 30000)},
		{"20,000 speakers", manySpeakers(20000)},
	}
	qs := []string{
		strings.Repeat("word ", 2000),
		strings.Repeat("how much ", 1200),
		strings.Repeat("Ann ", 2500),
		"the of and a is",
		"what did Ann Zbc say?",
	}
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			c, err := New([]Article{{ID: "big", Text: in.text}})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			checkInvariants(t, c, append(qs, fuzzQuestions...))
		})
	}
}

// manySpeakers is an article quoting n people with distinct names.
func manySpeakers(n int) string {
	var sb strings.Builder
	for i := 0; i < n; i++ {
		name := ""
		for x := i; ; x /= 26 {
			name += string(rune('a' + x%26))
			if x < 26 {
				break
			}
		}
		sb.WriteString("“We will keep going,” said Ann Z" + name + ". ")
	}
	return sb.String()
}
