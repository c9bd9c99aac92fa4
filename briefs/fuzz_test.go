package briefs

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkInvariants runs every public view of c and fails when one of the
// contract's invariants breaks: quotes, citations, fact sentences and points
// are exact substrings of their article, and JSON lists are never null.
func checkInvariants(t *testing.T, c *Corpus, questions []string) {
	t.Helper()
	text := make(map[string]string)
	for _, a := range c.Articles() {
		text[a.ID] = a.Text
	}
	in := func(what, id, s string) {
		t.Helper()
		body, ok := text[id]
		if !ok {
			t.Fatalf("%s names unknown article %q", what, id)
		}
		if !strings.Contains(body, s) {
			t.Fatalf("%s %q is not a substring of article %q", what, s, id)
		}
	}
	b := c.Brief(5)
	if b.Points == nil || b.Sources == nil {
		t.Fatalf("brief has a nil list: %+v", b)
	}
	for _, p := range b.Points {
		if p.Sources == nil || len(p.Sources) == 0 {
			t.Fatalf("point %q has no sources", p.Text)
		}
		found := false
		for _, id := range p.Sources {
			if strings.Contains(text[id], p.Text) {
				found = true
			}
		}
		if !found {
			t.Fatalf("point %q is in none of its sources %v", p.Text, p.Sources)
		}
	}
	if b.Quote != nil {
		in("brief quote", b.Quote.Source, b.Quote.Sentence)
		if !strings.Contains(b.Quote.Sentence, b.Quote.Text) {
			t.Fatalf("brief quote %q not in its sentence %q", b.Quote.Text, b.Quote.Sentence)
		}
	}
	js, err := json.Marshal(b)
	if err != nil {
		t.Fatalf("marshal brief: %v", err)
	}
	if strings.Contains(string(js), `"points":null`) || strings.Contains(string(js), `"sources":null`) {
		t.Fatalf("brief JSON has null list: %s", js)
	}
	qs := c.Quotes()
	if qs == nil {
		t.Fatalf("Quotes() is nil")
	}
	// Each check searches the whole article: a sample keeps an article of
	// 20,000 quotes from making the test itself quadratic.
	for i, q := range qs {
		if i >= 500 && i%97 != 0 {
			continue
		}
		in("quote sentence", q.Source, q.Sentence)
		if !strings.Contains(q.Sentence, q.Text) {
			t.Fatalf("quote %q not in its sentence %q", q.Text, q.Sentence)
		}
		in("quote", q.Source, q.Text)
	}
	fs := c.Facts()
	if fs == nil {
		t.Fatalf("Facts() is nil")
	}
	for _, f := range fs {
		if len(f.Sources) == 0 {
			t.Fatalf("fact %q has no sources", f.Value)
		}
		found := false
		for _, id := range f.Sources {
			if strings.Contains(text[id], f.Text) {
				found = true
			}
		}
		if !found {
			t.Fatalf("fact sentence %q is in none of its sources", f.Text)
		}
		if !strings.Contains(f.Text, f.Value) {
			t.Fatalf("fact value %q not in its sentence %q", f.Value, f.Text)
		}
	}
	var hist []Exchange
	for _, q := range questions {
		for _, a := range []Answer{c.Ask(q), c.FollowUp(q, hist)} {
			checkAnswer(t, a, text)
			hist = append(hist, Exchange{Question: q, Answer: a})
		}
	}
}

func checkAnswer(t *testing.T, a Answer, text map[string]string) {
	t.Helper()
	if a.Citations == nil {
		t.Fatalf("answer to %q has nil citations", a.Question)
	}
	if !a.Answered {
		if len(a.Citations) != 0 {
			t.Fatalf("declined answer to %q has citations %v", a.Question, a.Citations)
		}
		if strings.TrimSpace(a.Answer) == "" {
			t.Fatalf("declined answer to %q is empty", a.Question)
		}
		return
	}
	if len(a.Citations) == 0 {
		t.Fatalf("answered %q without citations", a.Question)
	}
	for _, ct := range a.Citations {
		body, ok := text[ct.Source]
		if !ok || !strings.Contains(body, ct.Text) || ct.Text == "" {
			t.Fatalf("citation %q of %q is not a substring of %q", ct.Text, a.Question, ct.Source)
		}
	}
	if !utf8.ValidString(a.Answer) {
		t.Fatalf("answer to %q is not valid UTF-8", a.Question)
	}
}

var fuzzQuestions = []string{
	"", "?", "   ", "what happened?", "what did he say?", "what else did he say?",
	"tell me more", "and in 2021?", "who said it?", "how much did they lose?",
	"how many people?", "when?", "<@U123>", "the of and a", "!!! ??? ...",
	"what is the price?", "why?", "where was it built?", "what did X say?",
}

func addSeeds(f *testing.F) {
	for _, s := range []string{
		"",
		"Plain sentence. Another one.",
		"“Unbalanced quote, she said. And more text. Amazon lost $25 billion.",
		"‘single open. \"straight open. ’ close ” close.",
		"“We will not,” said Maria Lopez. “It was not.” But she left.",
		"123 456 789 10.5 $3 2017–2021 45%",
		"... !!! ??? ,,, ;;; “” ‘’ \"\" ''",
		"مرحبا بالعالم. هذا نص عربي. «قال» أحمد.",
		"亚马逊亏损了250亿美元。“这是一个计时器，”他说。",
		"Emoji 🎉 lost $5 million 🚀. “Great 👍,” said Bo Li.",
		"NUL\x00byte. Text\x00 here.",
		"Line one.\r\nLine two.\r\n\r\nPara two.",
		"\ufeffBOM start. Second sentence.",
		"---\ntitle: x\n---\n",
		"---\ntitle: x\n---\nBody text.",
		"# Heading only",
		"Headline\n\nBody.",
		"Mr. Dr. U.S. Inc. a.m. No. 5 Jan. Sept.",
		"\"\"\"\"\"\"\"\"",
		"’’’’’’‘‘‘‘‘ “““““ ”””””",
		"he said she said they said told according to",
	} {
		f.Add(s, "what did she say?")
	}
}

// FuzzCorpus builds a corpus from arbitrary text (and the embedded articles,
// so cross-article paths run) and checks the invariants on every view.
func FuzzCorpus(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, body, question string) {
		if !utf8.ValidString(body) || strings.TrimSpace(body) == "" {
			return
		}
		arts, err := EmbeddedArticles()
		if err != nil {
			t.Fatal(err)
		}
		a, err := ParseArticle("fuzz", []byte(body))
		if err != nil {
			return
		}
		if strings.TrimSpace(a.Text) == "" {
			return
		}
		for _, set := range [][]Article{{a}, append(arts, a)} {
			c, err := New(set)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			checkInvariants(t, c, append([]string{question}, fuzzQuestions...))
		}
	})
}

// fragments are the pieces FuzzArticleFragments builds articles from:
// sentences, quotes with and without attribution, figures, odd marks.
var fragments = []string{
	"Amazon lost over $25 billion from 2017 to 2021. ",
	"“It was a smart timer,” said Dave Limp. ",
	"“We worried,” a former employee said, “that we had built it.” ",
	"She told Reuters, “The devices unit lost money.” ",
	"‘The final estimate,’ he wrote. ",
	"The company called it a “downstream impact” theory. ",
	"\"Straight quotes,\" Mr. Baker said. ",
	"Revenue rose 12% in Q1 2023. ",
	"About 3,100 people ride it each weekday. ",
	"O’Neill said the workers’ union agreed. ",
	"In the U.S. The company grew. ",
	"“Unclosed quote begins here ",
	"” stray close. ",
	"‘ stray single open ",
	"\n\n",
	"\n",
	"Headline Without Stop\n\n",
	"According to the report, “sales fell.” ",
	"“It was not.” ",
	"But it recovered, she said. ",
	"1 2 3 4 5 6 7 8 9 ",
	"$$$ %%% ",
	"On Sept. 28, 2023, Alexa launched. ",
	"…” ",
	"“Nested ‘single’ quote,” said Ana Pérez. ",
	"“", "”", "‘", "’", "\"", "'",
}

// FuzzArticleFragments builds articles from the fragments, in the order the
// fuzzer's bytes choose, and checks the substring invariants.
func FuzzArticleFragments(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}, []byte{15, 16, 17, 18, 19, 20}, "what did he say?")
	f.Add([]byte{11, 12, 13, 26, 27, 28, 29, 30, 31}, []byte{1, 1, 1}, "how much did Amazon lose?")
	f.Add([]byte{16, 0, 14, 1, 15, 2, 18, 19, 24}, []byte{}, "what else did she say?")
	f.Fuzz(func(t *testing.T, a, b []byte, question string) {
		build := func(bs []byte) string {
			var sb strings.Builder
			for _, x := range bs {
				sb.WriteString(fragments[int(x)%len(fragments)])
			}
			return sb.String()
		}
		var arts []Article
		for i, bs := range [][]byte{a, b} {
			s := build(bs)
			if strings.TrimSpace(s) == "" {
				continue
			}
			arts = append(arts, Article{ID: string(rune('a' + i)), Text: s})
		}
		if len(arts) == 0 {
			return
		}
		c, err := New(arts)
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		checkInvariants(t, c, append([]string{question}, fuzzQuestions...))
	})
}

// TestDeterministic builds the same corpus twice and compares every view:
// map iteration order must not leak into briefs, quotes, facts or answers.
func TestDeterministic(t *testing.T) {
	arts, err := EmbeddedArticles()
	if err != nil {
		t.Fatal(err)
	}
	extra := Article{ID: "x", Text: strings.Repeat(strings.Join(fragments[:14], ""), 3)}
	arts = append(arts, extra)
	type views struct {
		B  Brief
		Q  []Quote
		F  []Fact
		As []Answer
	}
	get := func() views {
		c, err := New(arts)
		if err != nil {
			t.Fatal(err)
		}
		v := views{B: c.Brief(10), Q: c.Quotes(), F: c.Facts()}
		var hist []Exchange
		for _, q := range append(fuzzQuestions, "who is Amazon's CEO?", "what did Dave Limp say?") {
			a := c.FollowUp(q, hist)
			hist = append(hist, Exchange{q, a})
			v.As = append(v.As, a, c.Ask(q))
		}
		return v
	}
	want := get()
	for i := 0; i < 5; i++ {
		if got := get(); !reflect.DeepEqual(got, want) {
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(want)
			t.Fatalf("run %d differs:\ngot  %s\nwant %s", i, gj, wj)
		}
	}
}

// TestDeclineEchoBounded: a decline names what the articles never mention,
// but a pasted 10,000-character question must not come back whole (a chat
// reply that long is refused or split by the platforms).
func TestDeclineEchoBounded(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"what did " + strings.Repeat("Zork ", 2000) + "say?",
		"Who is " + strings.Repeat("Qwerty", 1000) + "?",
		"what did Ann Bo, Cy Di, Ed Fa, Gu Ha, Io Ja and Ka Lu say?",
	} {
		a := c.Ask(q)
		if a.Answered || len(a.Citations) != 0 {
			t.Fatalf("Ask(%.40q) answered: %+v", q, a)
		}
		if got, max := len(a.Answer), 300; got > max {
			t.Errorf("Ask(%.40q) answer is %d bytes, want at most %d: %.120q", q, got, max, a.Answer)
		}
		if !strings.HasPrefix(a.Answer, "The articles don't say") {
			t.Errorf("Ask(%.40q) = %q, want a plain decline", q, a.Answer)
		}
	}
}

// TestCRLFCitationsInFile: a file saved with CRLF line ends and hard-wrapped
// lines must give points, quotes and citations that are substrings of the
// file as written, not of a copy with its line ends rewritten.
func TestCRLFCitationsInFile(t *testing.T) {
	file := "---\r\ntitle: Harbour fees rise\r\n---\r\n" +
		"The harbour authority raised mooring fees by 12% on Monday, the first rise\r\n" +
		"since 2019, after a $4 million shortfall in its maintenance budget.\r\n\r\n" +
		"“We had no other way to pay for the dredging,” said Grace Mbeki, the\r\n" +
		"harbour master, who expects the fees to hold until 2026.\r\n"
	a, err := ParseArticle("harbour", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	c, err := New([]Article{a})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range c.Brief(5).Points {
		got = append(got, p.Text)
	}
	for _, q := range c.Quotes() {
		got = append(got, q.Text, q.Sentence)
	}
	for _, f := range c.Facts() {
		got = append(got, f.Text)
	}
	for _, q := range []string{"How much did the fees rise?", "What did Grace Mbeki say?", "How big was the shortfall?"} {
		ans := c.Ask(q)
		if !ans.Answered {
			t.Errorf("Ask(%q) declined: %q", q, ans.Answer)
		}
		for _, ct := range ans.Citations {
			got = append(got, ct.Text)
		}
	}
	if len(c.Quotes()) == 0 {
		t.Errorf("no quote found in %q", a.Text)
	}
	for _, s := range got {
		if !strings.Contains(file, s) {
			t.Errorf("%q is not a substring of the CRLF file", s)
		}
	}
}

// TestLeadTitleFigureAnswers: an article without front matter or headline
// takes its first sentence as title. That sentence's figure must still
// answer a question about it: the title-exclusion of answer types is meant
// for a title that labels the topic ("Xbox 360"), not for a copy of the
// lead sentence, which otherwise could never answer anything it states.
func TestLeadTitleFigureAnswers(t *testing.T) {
	text := "Amazon lost $25 billion on devices from 2017 to 2021, said Ann Lee. “It was a timer,” she said. The unit makes the Echo."
	if got := deriveTitle(text); !titleFromLead(got, "Amazon lost $25 billion on devices from 2017 to 2021, said Ann Lee.") {
		t.Fatalf("title %q is not recognised as cut from the lead", got)
	}
	tests := []struct{ q, want string }{
		{"how much did Amazon lose?", "$25 billion"},
		{"when did Amazon lose money on devices?", "2017"},
		{"who said Amazon lost $25 billion?", "Ann Lee"},
	}
	for _, n := range []int{1, 2} {
		var arts []Article
		for i := 0; i < n; i++ {
			arts = append(arts, Article{ID: fmt.Sprint("a", i), Text: text})
		}
		c, err := New(arts)
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range tests {
			a := c.Ask(tt.q)
			if !a.Answered || !strings.Contains(a.Answer, tt.want) {
				t.Errorf("%d articles: Ask(%q) = %v %q, want an answer with %q", n, tt.q, a.Answered, a.Answer, tt.want)
			}
		}
	}
}

// TestTitleFigureAnswers: a title that states the story's figure ("Acme
// recalls 2 million kettles", the README's own example) must not stop the
// sentence stating it from answering "how many".
func TestTitleFigureAnswers(t *testing.T) {
	body := "Acme Corp. recalled 2 million kettles on Tuesday after reports of overheating.\n\nThe company said no injuries had been reported. The recall will cost $40 million."
	for _, title := range []string{"", "Acme recalls 2 million kettles", "Acme recalls kettles"} {
		c, err := New([]Article{{ID: "a", Title: title, Text: body}})
		if err != nil {
			t.Fatal(err)
		}
		a := c.Ask("How many kettles did Acme recall?")
		if got, want := a.Answer, "Acme Corp. recalled 2 million kettles on Tuesday after reports of overheating."; !a.Answered || got != want {
			t.Errorf("title %q: got %v %q, want %q", title, a.Answered, got, want)
		}
	}
}
