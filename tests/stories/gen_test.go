package stories

import (
	"fmt"
	"math/rand"
	"strings"
	"sync"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// The synthetic story: articles of about 300 words, 14 to 18 sentences in
// 3 to 6 paragraphs, drawn deterministically from sentence templates with
// names, figures, quotes and a Zipf vocabulary of pseudo-words (the idea of
// briefs/bench_test.go, written again here since that is a _test file of
// another package).

var templates = []string{
	"{Org} lost more than ${N} million on its {product} division between {Y1} and {Y2}, according to filings seen by the {Paper}.",
	"The {product} division, once the pride of the company, now faces deep cuts under its new chief executive {Person}.",
	"Since the first model went on sale in {Y1}, {Org} has shipped about {N} million {product} units around the world.",
	"{Person}, who took over as chief executive of {Org} in {Y2}, has made cutting costs the first priority of the board.",
	"“We were building a {word} {word2} that nobody had asked for,” a former {Org} engineer told the {Paper} last week.",
	"Analysts at {Org2} expect sales to grow by {N}% in the first quarter of {Y2}, helped by the {word} market.",
	"The company said the new {word} {word2} would reach shops in {Month}, several months later than it had promised.",
	"“This is a {word} moment for everyone who works on {product},” {Person} wrote in a memo to staff on Monday.",
	"Critics called the plan a {word} {word2} that would not survive another year of falling prices and rising costs.",
	"Shares of {Org} fell {N}% on Tuesday after the report, wiping about ${N} million off the value of the company.",
	"The long search for a {word} {word2} has not brought the returns that investors were promised in {Y1}.",
	"Staff often defended the losses by pointing to the {word} value of what customers bought later on {product} devices.",
	"Mr. {Last} declined to comment on the talks with {Org2} about a {word} partnership, which began in {Month}.",
	"Regulators in Europe and the United States are reviewing the {word} deal, which the {Paper} first reported in {Y1}.",
	"{Org} said it remained committed to building the best {product} for its {N} million customers in {N} countries.",
	"A spokesperson for {Org2} said the {word} agreement covered {N} factories and would run until at least {Y2}.",
}

var (
	orgs     = []string{"Amazon", "Globex", "Initech", "Acme", "Umbrella", "Hooli", "Stark", "Wayne", "Cyberdyne", "Soylent"}
	products = []string{"Echo", "Kindle", "Alexa", "kettle", "drone", "speaker", "tablet", "doorbell", "thermostat"}
	firsts   = []string{"Andy", "Maria", "Tom", "Dave", "Sarah", "Li", "Omar", "Jane", "Peter", "Anna"}
	lasts    = []string{"Jassy", "Lopez", "Baker", "Limp", "Chen", "Okafor", "Novak", "Schmidt", "Rossi", "Tanaka"}
	papers   = []string{"Journal", "Times", "Post", "Ledger"}
	months   = []string{"January", "March", "May", "September", "November"}
	// Vocabulary syllables; the unique names of feed items use others
	// (nameSyll), so no generated word can collide with one.
	vocabSyll = []string{"ka", "lo", "mir", "ten", "vas", "ul", "dre", "pon", "shi", "gar", "eth", "qui", "bro", "zan", "lef"}
	nameSyll  = []string{"wix", "jor", "yub", "oct", "fen", "hab", "nim", "cov"}
)

// gen draws article bodies.
type gen struct {
	r *rand.Rand
	z *rand.Zipf
}

func newGen(seed int64) *gen {
	r := rand.New(rand.NewSource(seed))
	return &gen{r: r, z: rand.NewZipf(r, 1.1, 2, 200_000)}
}

func (g *gen) pick(xs []string) string { return xs[g.r.Intn(len(xs))] }

// word is a pseudo-word: a Zipf draw gives a mix of frequent and rare ones.
func (g *gen) word() string {
	n := g.z.Uint64()
	var sb strings.Builder
	for i := 0; i < 2+int(n%3); i++ {
		sb.WriteString(vocabSyll[n%uint64(len(vocabSyll))])
		n /= uint64(len(vocabSyll))
	}
	return sb.String()
}

// sentence fills one template, each slot with its own draw.
func (g *gen) sentence() string {
	y := 2010 + g.r.Intn(12)
	s := g.pick(templates)
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			return s
		}
		j := i + strings.IndexByte(s[i:], '}')
		var v string
		switch s[i+1 : j] {
		case "Org", "Org2":
			v = g.pick(orgs)
		case "product":
			v = g.pick(products)
		case "Person":
			v = g.pick(firsts) + " " + g.pick(lasts)
		case "Last":
			v = g.pick(lasts)
		case "Paper":
			v = g.pick(papers)
		case "Month":
			v = g.pick(months)
		case "Y1":
			v = fmt.Sprint(y)
		case "Y2":
			v = fmt.Sprint(y + 1 + g.r.Intn(4))
		case "N":
			v = fmt.Sprint(1 + g.r.Intn(500))
		default: // word, word2
			v = g.word()
		}
		s = s[:i] + v + s[j+1:]
	}
}

// paragraphs is a body of 14 to 18 sentences in 3 to 6 paragraphs, extra
// sentences placed after its first.
func (g *gen) paragraphs(extra ...string) [][]string {
	n := 14 + g.r.Intn(5)
	var sents []string
	for range n {
		sents = append(sents, g.sentence())
	}
	sents = append(sents[:1], append(extra, sents[1:]...)...)
	paras := [][]string{{}}
	for k, s := range sents {
		last := len(paras) - 1
		if k > 0 && len(paras[last]) >= 3 && g.r.Intn(2) == 0 && len(paras) < 6 {
			paras = append(paras, nil)
			last++
		}
		paras[last] = append(paras[last], s)
	}
	return paras
}

// text joins paragraphs as the store keeps them.
func text(paras [][]string) string {
	out := make([]string, len(paras))
	for i, p := range paras {
		out[i] = strings.Join(p, " ")
	}
	return strings.Join(out, "\n\n")
}

// storyArticles are n stored articles of the story, as a web ingest leaves
// them (a URL, a publication), deterministic from seed.
func storyArticles(n int, seed int64, story string) []bot.StoredArticle {
	g := newGen(seed)
	out := make([]bot.StoredArticle, n)
	for i := range out {
		out[i] = bot.StoredArticle{
			Article: briefs.Article{
				ID:     fmt.Sprintf("gen-%05d", i),
				Title:  fmt.Sprintf("%s report %d", g.pick(orgs), i),
				Source: g.pick(papers),
				URL:    fmt.Sprintf("https://news.example/gen/%05d", i),
				Text:   text(g.paragraphs()),
			},
			Origin: bot.OriginURL,
		}
		if story != "" && story != bot.DefaultStory {
			out[i].Stories = []string{story}
		}
	}
	return out
}

var (
	tenKOnce sync.Once
	tenK     []bot.StoredArticle
)

// story10k is the 10,000 articles of the large story, generated once.
func story10k() []bot.StoredArticle {
	tenKOnce.Do(func() { tenK = storyArticles(10_000, 1, benchStory) })
	return tenK
}

// newsItem is the article behind feed item n: a generated body led by one
// fact only it holds, and the question that fact answers.
type newsItem struct {
	n        int
	title    string
	paras    [][]string
	question string
}

// uniqueName is a word no other article holds: n in base 8 over nameSyll.
func uniqueName(n int) string {
	var sb strings.Builder
	sb.WriteString("Zel")
	for k := 0; k < 4 || n > 0; k++ {
		sb.WriteString(nameSyll[n%len(nameSyll)])
		n /= len(nameSyll)
	}
	return sb.String()
}

// makeItem is feed item n. The fact leads the article and the question is
// short: on a story of 10,000 articles the ranker declines longer
// questions whatever sentence matches them (see BENCHMARKS.md, "Stories
// and feeds (issue 12)").
func makeItem(n int) newsItem {
	g := newGen(1_000_000 + int64(n))
	name := uniqueName(n)
	paras := g.paragraphs()
	fact := fmt.Sprintf("%s was founded in %d in Portwick, where it now runs %d ferries.", name, 1950+n%70, 3+n%40)
	paras[0] = append([]string{fact}, paras[0]...)
	return newsItem{
		n:        n,
		title:    fmt.Sprintf("%s plans a new ferry terminal", name),
		paras:    paras,
		question: fmt.Sprintf("Where was %s founded?", name),
	}
}

// stored is the article of feed item n as lib.Ingest takes it (the ingest
// benchmarks, which bypass the web).
func (it newsItem) stored() bot.StoredArticle {
	return bot.StoredArticle{
		Article: briefs.Article{
			ID:     fmt.Sprintf("item-%05d", it.n),
			Title:  it.title,
			Source: "Bench Gazette",
			URL:    fmt.Sprintf("https://gazette.example/news/%05d", it.n),
			Text:   text(it.paras),
		},
		Origin: bot.OriginURL,
	}
}
