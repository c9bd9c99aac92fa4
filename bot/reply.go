package bot

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/alexa-brief/alexa-brief/briefs"
)

// DefaultPoints is the number of points in a brief unless asked otherwise.
const DefaultPoints = 5

// How much of a long list a chat reply shows; the CLI shows everything.
const (
	chatFacts  = 12
	chatQuotes = 10
)

// maxButtonValue bounds a button's Value so every platform can carry it
// (Discord custom_id is at most 100 characters, the action included).
const maxButtonValue = 80

// citer numbers the articles a reply cites, in order of first use.
type citer struct {
	src  map[string]briefs.Source
	n    map[string]int
	list []Citation
}

func newCiter(c *briefs.Corpus) *citer {
	ct := &citer{src: map[string]briefs.Source{}, n: map[string]int{}}
	for _, s := range c.Sources() {
		ct.src[s.ID] = s
	}
	return ct
}

// ref returns the citation number of article id, adding it on first use.
func (ct *citer) ref(id string) int {
	if n, ok := ct.n[id]; ok {
		return n
	}
	s, ok := ct.src[id]
	if !ok {
		s = briefs.Source{ID: id, Title: id}
	}
	n := len(ct.list) + 1
	ct.n[id] = n
	ct.list = append(ct.list, Citation{N: n, ID: id, Title: s.Title, URL: s.URL})
	return n
}

func (ct *citer) refs(ids []string) []int {
	out := make([]int, 0, len(ids))
	for _, id := range ids {
		out = append(out, ct.ref(id))
	}
	return out
}

// quoteText is a quote as a reply shows it. A quote closed before the
// comma that joins it to its attribution (“… carry this alone,” Vasquez
// said) keeps that comma in the verbatim text; shown between quote marks
// it reads as a stray. Trimming the end keeps it a substring of the
// article; --json keeps the text verbatim.
func quoteText(s string) string {
	return strings.TrimRightFunc(strings.TrimRight(strings.TrimSpace(s), ","), unicode.IsSpace)
}

// shareButton reposts cmd for the whole channel, when cmd is short enough
// to travel in a button.
func shareButton(cmd string) []Button {
	if len(cmd) > maxButtonValue {
		return nil
	}
	return []Button{{Label: "Share in channel", Action: ActionShare, Value: cmd}}
}

func articleCount(c *briefs.Corpus) string {
	n := len(c.Sources())
	if n == 1 {
		return "From 1 article"
	}
	return fmt.Sprintf("From %d articles", n)
}

// BriefReply is the brief as a chat reply: ranked points citing every
// article that supports them, the best quote, and the sources.
func BriefReply(c *briefs.Corpus, maxPoints int) Reply {
	br := c.Brief(maxPoints)
	ct := newCiter(c)
	for _, s := range br.Sources {
		ct.ref(s.ID)
	}
	items := make([]Item, 0, len(br.Points))
	for _, p := range br.Points {
		items = append(items, Item{Text: p.Text, Refs: ct.refs(p.Sources)})
	}
	title := br.Title
	if title == "" {
		title = "The brief"
	}
	r := Reply{Title: title, Sections: []Section{{Heading: "Key points", Items: items}}}
	if br.Quote != nil {
		r.Sections = append(r.Sections, Section{Quote: &Quote{Text: quoteText(br.Quote.Text), Speaker: br.Quote.Speaker, Refs: []int{ct.ref(br.Quote.Source)}}})
	}
	if len(items) == 0 {
		r.Sections[0] = Section{Text: "The articles hold nothing to brief yet."}
	}
	r.Citations = ct.list
	r.Footer = articleCount(c)
	r.Buttons = append([]Button{
		{Label: "More quotes", Action: ActionQuotes},
		{Label: "Sources", Action: ActionSources},
	}, shareButton("brief")...)
	return r
}

// QuotesReply lists verbatim quotes with their speakers; limit caps how
// many are shown (0 shows all).
func QuotesReply(c *briefs.Corpus, limit int) Reply {
	qs := c.Quotes()
	ct := newCiter(c)
	r := Reply{Title: "Quotes"}
	for i, q := range qs {
		if limit > 0 && i == limit {
			r.Footer = fmt.Sprintf("%d more quotes not shown", len(qs)-limit)
			break
		}
		r.Sections = append(r.Sections, Section{Quote: &Quote{Text: quoteText(q.Text), Speaker: q.Speaker, Refs: []int{ct.ref(q.Source)}}})
	}
	if len(qs) == 0 {
		r.Sections = []Section{{Text: "The articles quote nobody directly."}}
	}
	r.Citations = ct.list
	r.Buttons = append([]Button{{Label: "Sources", Action: ActionSources}}, shareButton("quotes")...)
	return r
}

// factHeadings names the kinds of key figures, in the order shown.
var factHeadings = []struct {
	kind    briefs.FactKind
	heading string
}{
	{briefs.KindMoney, "Money"},
	{briefs.KindCount, "Counts"},
	{briefs.KindPercent, "Percentages"},
	{briefs.KindDate, "Dates"},
	{briefs.KindPeriod, "Periods"},
}

// FactsReply lists key figures grouped by kind, each with its sentence.
// limit caps how many are shown (0 shows all).
func FactsReply(c *briefs.Corpus, limit int) Reply {
	facts := c.Facts()
	ct := newCiter(c)
	r := Reply{Title: "Key figures"}
	shown := 0
	for _, h := range factHeadings {
		var items []Item
		for _, f := range facts {
			if f.Kind != h.kind || (limit > 0 && shown == limit) {
				continue
			}
			items = append(items, Item{Text: f.Value + " — " + f.Text, Refs: ct.refs(f.Sources)})
			shown++
		}
		if len(items) > 0 {
			r.Sections = append(r.Sections, Section{Heading: h.heading, Items: items})
		}
	}
	// Kinds this build does not know still show, under their own name.
	known := map[briefs.FactKind]bool{}
	for _, h := range factHeadings {
		known[h.kind] = true
	}
	for _, f := range facts {
		if !known[f.Kind] && (limit == 0 || shown < limit) {
			r.Sections = append(r.Sections, Section{Heading: string(f.Kind), Items: []Item{{Text: f.Value + " — " + f.Text, Refs: ct.refs(f.Sources)}}})
			shown++
		}
	}
	if len(facts) == 0 {
		r.Sections = []Section{{Text: "The articles hold no key figures."}}
	}
	if shown < len(facts) {
		r.Footer = fmt.Sprintf("%d more figures not shown", len(facts)-shown)
	}
	r.Citations = ct.list
	r.Buttons = append([]Button{{Label: "Sources", Action: ActionSources}}, shareButton("facts")...)
	return r
}

// SourcesReply lists the articles as numbered citations, with their
// publication, author and date when the front matter gives them.
func SourcesReply(c *briefs.Corpus) Reply {
	var cites []Citation
	for i, a := range c.Articles() {
		var meta []string
		for _, m := range []string{a.Source, a.Author, a.Published} {
			if m != "" {
				meta = append(meta, m)
			}
		}
		title := a.Title
		if len(meta) > 0 {
			title += " (" + strings.Join(meta, ", ") + ")"
		}
		cites = append(cites, Citation{N: i + 1, ID: a.ID, Title: title, URL: a.URL})
	}
	r := Reply{
		Title:     "The articles",
		Sections:  []Section{{Text: "Everything alexa-brief says comes from these articles, quoted word for word."}},
		Citations: cites,
		Footer:    articleCount(c),
	}
	r.Buttons = append([]Button{{Label: "More quotes", Action: ActionQuotes}}, shareButton("sources")...)
	return r
}

// AnswerReply is an answer: the verbatim supporting sentences, each citing
// its article, or the plain statement that the articles don't say with
// the sentences that come closest, so the reader sees what they do say.
func AnswerReply(c *briefs.Corpus, a briefs.Answer) Reply {
	r := Reply{Title: shorten(a.Question, 150)}
	if r.Title == "" {
		r.Title = "Answer"
	}
	ct := newCiter(c)
	if !a.Answered || len(a.Citations) == 0 {
		text := a.Answer
		if text == "" {
			text = "The articles don't say."
		}
		r.Sections = []Section{{Text: text}}
		if len(a.Nearest) > 0 {
			items := make([]Item, 0, len(a.Nearest))
			for _, n := range a.Nearest {
				items = append(items, Item{Text: n.Text, Refs: []int{ct.ref(n.Source)}})
			}
			r.Sections = append(r.Sections, Section{Heading: "The closest the articles come:", Items: items})
			r.Citations = ct.list
		}
		r.Buttons = []Button{{Label: "Sources", Action: ActionSources}}
		return r
	}
	items := make([]Item, 0, len(a.Citations))
	var joined []string
	for _, cit := range a.Citations {
		items = append(items, Item{Text: cit.Text, Refs: []int{ct.ref(cit.Source)}})
		joined = append(joined, cit.Text)
	}
	if a.Mode == briefs.ModeWritten {
		// The model's words are marked as such, and its sources follow
		// verbatim, so a reader can check each claim against them.
		r.Sections = []Section{
			{Heading: writtenHeading, Text: a.Answer},
			{Heading: writtenSources, Items: items},
		}
		r.Citations = ct.list
		r.Buttons = append([]Button{{Label: "Sources", Action: ActionSources}}, shareButton("ask "+a.Question)...)
		return r
	}
	// The answer is usually the cited sentences themselves; only show it
	// apart when it says something the citations don't.
	if strings.Join(strings.Fields(a.Answer), " ") != strings.Join(strings.Fields(strings.Join(joined, " ")), " ") && strings.TrimSpace(a.Answer) != "" {
		r.Sections = append(r.Sections, Section{Text: a.Answer})
	}
	r.Sections = append(r.Sections, Section{Items: items})
	r.Citations = ct.list
	r.Buttons = append([]Button{{Label: "Sources", Action: ActionSources}}, shareButton("ask "+a.Question)...)
	return r
}

// The labels of a written answer.
const (
	writtenHeading = "Written by a language model from the articles (each claim checked against them):"
	writtenSources = "Its sources, verbatim:"
)

// failure is a refusal the user can act on.
func failure(text string) Reply {
	return Reply{Sections: []Section{{Text: text}}, Failure: true}
}

// errorReply is what users see when something broke inside: no detail,
// which goes to the log instead.
func errorReply() Reply {
	return failure("Sorry, something went wrong on my side. Please try again in a moment.")
}

func tooLong(limit int) Reply {
	return failure(fmt.Sprintf("That is too long for me: please keep it under %d characters.", limit))
}
