package bot

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/alexa-brief/alexa-brief/briefs"
)

// Limits of what a digest lists under "New since …": a digest is a summary,
// the commands (quotes, facts, sources) show the rest.
const (
	digestNewFigures = 8
	digestNewQuotes  = 3
)

// coverage is what a posted digest covered, stored in
// Delivery.CorpusVersion so the next digest can tell what is new: the
// corpus version plus a short hash of each article's text. A plain version
// string (or a corpus too large to list) still tells "changed or not".
type coverage struct {
	Version  string            `json:"v"`
	Articles map[string]string `json:"a,omitempty"` // id → first 12 hex digits of sha256(text)
}

// maxCoverage bounds the stored coverage: beyond it only the version is
// kept and a digest says "the coverage changed" without the detail.
const maxCoverage = 16 << 10

// coverageMemo keeps the coverage of the latest corpus: a pass posting a
// thousand digests hashes the articles once, not a thousand times.
var coverageMemo struct {
	sync.Mutex
	corpus *briefs.Corpus
	hashes map[string]string
	text   string
}

// articleHashes returns c's article hashes and encoded coverage.
func articleHashes(c *briefs.Corpus) (map[string]string, string) {
	coverageMemo.Lock()
	defer coverageMemo.Unlock()
	if coverageMemo.corpus == c {
		return coverageMemo.hashes, coverageMemo.text
	}
	cv := coverage{Version: c.Version(), Articles: map[string]string{}}
	for _, a := range c.Articles() {
		cv.Articles[a.ID] = textHash(a.Text)
	}
	hashes := cv.Articles
	b, err := json.Marshal(cv)
	if err != nil || len(b) > maxCoverage {
		b, _ = json.Marshal(coverage{Version: cv.Version})
	}
	coverageMemo.corpus, coverageMemo.hashes, coverageMemo.text = c, hashes, string(b)
	return hashes, string(b)
}

// coverageOf encodes what a digest of c covers.
func coverageOf(c *briefs.Corpus) string {
	_, text := articleHashes(c)
	return text
}

func textHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:6])
}

// parseCoverage reads a stored coverage; anything else is taken as a bare
// version string.
func parseCoverage(s string) coverage {
	var cv coverage
	if strings.HasPrefix(s, "{") && json.Unmarshal([]byte(s), &cv) == nil {
		return cv
	}
	return coverage{Version: s}
}

// change is what differs between a past digest's coverage and the corpus.
type change struct {
	any     bool            // something changed
	known   bool            // the article lists were comparable
	fresh   map[string]bool // new or rewritten article ids
	oldText []string        // texts of articles already covered, unchanged
}

func diffCoverage(prev coverage, c *briefs.Corpus) change {
	ch := change{fresh: map[string]bool{}}
	if prev.Version == c.Version() {
		return ch
	}
	ch.any = true
	if len(prev.Articles) == 0 {
		return ch
	}
	ch.known = true
	hashes, _ := articleHashes(c)
	for _, a := range c.Articles() {
		if h, ok := prev.Articles[a.ID]; ok && h == hashes[a.ID] {
			ch.oldText = append(ch.oldText, a.Text)
			continue
		}
		ch.fresh[a.ID] = true
	}
	if len(ch.fresh) == 0 {
		// Only removals: nothing new to tell.
		ch.any = false
	}
	return ch
}

// composeDigest builds the digest. slot (when known) dates a late digest.
func composeDigest(c *briefs.Corpus, sub Subscription, since *Delivery, slot time.Time, late bool) Reply {
	loc := time.UTC
	if s, err := ParseSchedule(sub.Schedule, 0); err == nil {
		loc = s.Location()
	}
	day := func(t time.Time) string { return t.In(loc).Format("Mon 2 Jan 2006") }

	var lateLine string
	if late {
		lateLine = "This digest is late"
		if !slot.IsZero() {
			lateLine += ": it was due " + when(slot, loc)
		}
		lateLine += "."
	}

	ch := change{any: true}
	if since != nil {
		ch = diffCoverage(parseCoverage(since.CorpusVersion), c)
	}
	if since != nil && !ch.any && sub.OnlyNew {
		text := "Nothing new since " + day(since.Slot) + "."
		if lateLine != "" {
			text += " " + lateLine
		}
		return Reply{Sections: []Section{{Text: text}}, InChannel: true}
	}

	br := c.Brief(DefaultPoints)
	ct := newCiter(c)
	r := Reply{Title: "Digest: " + firstNonEmpty(br.Title, "the brief"), InChannel: true}
	if lateLine != "" {
		r.Sections = append(r.Sections, Section{Text: lateLine})
	}
	switch {
	case since == nil:
		// The first digest: the brief alone.
	case !ch.any:
		r.Sections = append(r.Sections, Section{Text: "Nothing new since " + day(since.Slot) + "."})
	case !ch.known:
		r.Sections = append(r.Sections, Section{Text: "The coverage changed since " + day(since.Slot) + "."})
	default:
		r.Sections = append(r.Sections, newSections(c, ch, ct, "New since "+day(since.Slot))...)
	}
	if !(sub.OnlyNew && since != nil && ch.known) {
		items := make([]Item, 0, len(br.Points))
		for _, p := range br.Points {
			items = append(items, Item{Text: p.Text, Refs: ct.refs(p.Sources)})
		}
		if len(items) > 0 {
			r.Sections = append(r.Sections, Section{Heading: "Key points", Items: items})
		}
		if br.Quote != nil {
			r.Sections = append(r.Sections, Section{Quote: &Quote{Text: quoteText(br.Quote.Text), Speaker: br.Quote.Speaker, Refs: []int{ct.ref(br.Quote.Source)}}})
		}
	}
	if len(r.Sections) == 0 {
		r.Sections = []Section{{Text: "The articles hold nothing to brief yet."}}
	}
	// Every article is a source of the digest, cited or not. Every
	// adapter shows the citations, so the footer does not list them again.
	for _, s := range c.Sources() {
		ct.ref(s.ID)
	}
	r.Citations = ct.list
	r.Footer = articleCount(c)
	r.Buttons = []Button{
		{Label: "Key figures", Action: ActionFacts},
		{Label: "More quotes", Action: ActionQuotes},
		{Label: "Sources", Action: ActionSources},
	}
	return r
}

// newSections lists what the fresh articles add: the articles, the figures
// no covered article already gave, and their quotes.
func newSections(c *briefs.Corpus, ch change, ct *citer, heading string) []Section {
	var arts []Item
	for _, a := range c.Articles() {
		if !ch.fresh[a.ID] {
			continue
		}
		text := firstNonEmpty(a.Title, a.ID)
		var meta []string
		for _, m := range []string{a.Source, a.Published} {
			if m != "" {
				meta = append(meta, m)
			}
		}
		if len(meta) > 0 {
			text += " (" + strings.Join(meta, ", ") + ")"
		}
		arts = append(arts, Item{Text: text, Refs: []int{ct.ref(a.ID)}})
	}
	out := []Section{{Heading: heading, Items: arts}}

	var figs, changed []Item
	seen := map[string]bool{}
	for _, f := range c.ChangedFigures(func(id string) bool { return ch.fresh[id] }) {
		if len(changed) == digestNewFigures {
			break
		}
		dir := "down"
		if f.Up {
			dir = "up"
		}
		seen[f.Value] = true
		changed = append(changed, Item{Text: fmt.Sprintf("now %s, %s from %s — %s", f.Value, dir, f.Was, f.Text), Refs: ct.refs(f.Sources)})
	}
	if len(changed) > 0 {
		out = append(out, Section{Heading: "Changed figures", Items: changed})
	}
	for _, f := range c.Facts() {
		if len(figs) == digestNewFigures || !fromFresh(f.Sources, ch.fresh) || seen[f.Value] || inAny(f.Value, ch.oldText) {
			continue
		}
		seen[f.Value] = true
		figs = append(figs, Item{Text: f.Value + " — " + f.Text, Refs: ct.refs(f.Sources)})
	}
	if len(figs) > 0 {
		out = append(out, Section{Heading: "New figures", Items: figs})
	}
	n := 0
	for _, q := range c.Quotes() {
		if n == digestNewQuotes || !ch.fresh[q.Source] {
			continue
		}
		out = append(out, Section{Quote: &Quote{Text: quoteText(q.Text), Speaker: q.Speaker, Refs: []int{ct.ref(q.Source)}}})
		n++
	}
	return out
}

func fromFresh(ids []string, fresh map[string]bool) bool {
	for _, id := range ids {
		if fresh[id] {
			return true
		}
	}
	return false
}

func inAny(s string, texts []string) bool {
	for _, t := range texts {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

func firstNonEmpty(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
