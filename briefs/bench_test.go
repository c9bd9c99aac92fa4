package briefs

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Speed benchmarks of the engine core. Run with
//
//	go test -run '^$' -bench . -benchmem ./briefs/
//
// The large-corpus benchmarks build a synthetic corpus of 10,000 articles
// from the sentence templates below: same shape as news (names, figures,
// quotes, paragraphs), with a vocabulary that grows with the corpus.

var benchTemplates = []string{
	"{Org} lost over ${N} billion on its {product} business from {Y1} to {Y2}, according to internal documents.",
	"The {product} unit, once a flagship initiative, is now facing cuts under chief executive {Person}.",
	"Since their debut in {Y1}, {Org} has sold over {N} million {product} devices.",
	"{Person}, who became {Org}'s CEO in {Y2}, has made cost-cutting a top priority.",
	"“We worried we had hired {N},000 people and built a {word} {word2},” a former {Org} employee told the {Paper}.",
	"Analysts at {Org2} expect revenue to grow {N}% in the first quarter of {Y2}.",
	"The company said the {word} {word2} would reach customers in {Month}.",
	"“This is a {word} moment for the {product} team,” {Person} said in a memo to staff.",
	"Critics called the plan a “{word} {word2}” that would not survive the year.",
	"Shares of {Org} fell {N}.{N}% on Tuesday after the report, erasing ${N} billion in value.",
	"The {word2} of {word} {word2}s has not yielded the expected financial returns.",
	"Employees often justified the losses by citing the {word} value of later purchases.",
	"Mr. {Last} declined to comment on the {word} talks with {Org2} Inc. on Monday.",
	"Regulators in the U.S. and Europe are reviewing the {word} deal, which was first reported in {Y1}.",
	"{Org} said it remains committed to building the best {product} for its {N} million customers.",
}

var (
	benchOrgs     = []string{"Amazon", "Globex", "Initech", "Acme", "Umbrella", "Hooli", "Stark", "Wayne", "Cyberdyne", "Soylent"}
	benchProducts = []string{"Echo", "Kindle", "Alexa", "kettle", "drone", "speaker", "tablet", "doorbell", "thermostat"}
	benchFirst    = []string{"Andy", "Maria", "Tom", "Dave", "Sarah", "Li", "Omar", "Jane", "Peter", "Anna"}
	benchLast     = []string{"Jassy", "Lopez", "Baker", "Limp", "Chen", "Okafor", "Novak", "Schmidt", "Rossi", "Tanaka"}
	benchPapers   = []string{"Journal", "Times", "Post", "Ledger"}
	benchMonths   = []string{"January", "March", "May", "September", "November"}
	benchSyll     = []string{"ka", "lo", "mir", "ten", "vas", "ul", "dre", "pon", "shi", "gar", "eth", "qui", "bro", "zan", "lef"}
)

// benchWord makes a pseudo-word; a Zipf-like draw gives a realistic mix of
// frequent and rare vocabulary.
func benchWord(r *rand.Rand, z *rand.Zipf) string {
	n := z.Uint64()
	var sb strings.Builder
	for i := 0; i < 2+int(n%3); i++ {
		sb.WriteString(benchSyll[n%uint64(len(benchSyll))])
		n /= uint64(len(benchSyll))
	}
	return sb.String()
}

// genArticles generates n articles of 12–30 sentences in 3–8 paragraphs,
// deterministically from seed.
func genArticles(n int, seed int64) []Article {
	r := rand.New(rand.NewSource(seed))
	z := rand.NewZipf(r, 1.1, 2, 200_000)
	pick := func(xs []string) string { return xs[r.Intn(len(xs))] }
	arts := make([]Article, n)
	for i := range arts {
		var sb strings.Builder
		ns := 12 + r.Intn(19)
		for k := 0; k < ns; k++ {
			if k > 0 && r.Intn(4) == 0 {
				sb.WriteString("\n\n")
			} else if k > 0 {
				sb.WriteByte(' ')
			}
			y := 2010 + r.Intn(12)
			s := pick(benchTemplates)
			// Fill the slots one at a time, so each gets its own draw.
			for {
				i := strings.IndexByte(s, '{')
				if i < 0 {
					break
				}
				j := i + strings.IndexByte(s[i:], '}')
				var v string
				switch s[i+1 : j] {
				case "Org", "Org2":
					v = pick(benchOrgs)
				case "product":
					v = pick(benchProducts)
				case "Person":
					v = pick(benchFirst) + " " + pick(benchLast)
				case "Last":
					v = pick(benchLast)
				case "Paper":
					v = pick(benchPapers)
				case "Month":
					v = pick(benchMonths)
				case "Y1":
					v = fmt.Sprint(y)
				case "Y2":
					v = fmt.Sprint(y + 1 + r.Intn(4))
				case "N":
					v = fmt.Sprint(1 + r.Intn(500))
				default: // word, word2
					v = benchWord(r, z)
				}
				s = s[:i] + v + s[j+1:]
			}
			sb.WriteString(s)
		}
		arts[i] = Article{ID: fmt.Sprintf("gen_%05d", i), Text: sb.String()}
	}
	return arts
}

func BenchmarkBriefFirst(b *testing.B) {
	arts, err := EmbeddedArticles()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		c, err := New(arts)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if len(c.Brief(5).Points) != 5 {
			b.Fatal("short brief")
		}
	}
}

func BenchmarkBriefCached(b *testing.B) {
	c, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	c.Brief(5)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if len(c.Brief(5).Points) != 5 {
			b.Fatal("short brief")
		}
	}
}

func BenchmarkNewEmbedded(b *testing.B) {
	arts, err := EmbeddedArticles()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := New(arts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNew10k measures New as a whole (validation, segmentation and
// every index it builds, the QA index included) on 10,000 articles, and the
// heap the corpus keeps.
func BenchmarkNew10k(b *testing.B) {
	arts := genArticles(10_000, 1)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := New(arts); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(len(arts))*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
	b.ReportMetric(retainedMiB(func() any { c, _ := New(arts); return c }), "MiB-retained")
}

// retainedMiB is the live heap a value built by f keeps after a full GC.
func retainedMiB(f func() any) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := f()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(v)
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / (1 << 20)
}

// BenchmarkLoadDir10k reads 10,000 article files from disk.
func BenchmarkLoadDir10k(b *testing.B) {
	dir := b.TempDir()
	for _, a := range genArticles(10_000, 2) {
		if err := os.WriteFile(filepath.Join(dir, a.ID+".txt"), []byte(a.Text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		arts, err := LoadDir(dir)
		if err != nil || len(arts) != 10_000 {
			b.Fatalf("LoadDir: %d articles, %v", len(arts), err)
		}
	}
	b.ReportMetric(10_000*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkBrief10k is the first Brief of a 10,000-article corpus: figures,
// concepts, the greedy selection and corroboration (quotes included, since
// the brief attaches one).
func BenchmarkBrief10k(b *testing.B) {
	benchFirst10k(b, func(c *Corpus) bool { return len(c.Brief(5).Points) == 5 })
}

// BenchmarkBriefQuotesFacts10k derives brief, quotes and facts once from a
// 10,000-article corpus: what the first digest after a corpus change costs.
func BenchmarkBriefQuotesFacts10k(b *testing.B) {
	benchFirst10k(b, func(c *Corpus) bool {
		return len(c.Brief(5).Points) > 0 && len(c.Quotes()) > 0 && len(c.Facts()) > 0
	})
}

// benchFirst10k times derive on a fresh 10,000-article corpus each
// iteration (building the corpus is not timed); derive reports whether
// its result is whole.
func benchFirst10k(b *testing.B, derive func(*Corpus) bool) {
	arts := genArticles(10_000, 3)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		c, err := New(arts)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if !derive(c) {
			b.Fatal("incomplete result")
		}
	}
}

// A corpus of 10,000 articles loads and answers; skipped with -short.
func TestNew10k(t *testing.T) {
	if testing.Short() {
		t.Skip("large corpus")
	}
	arts := genArticles(10_000, 4)
	c, err := New(arts)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(c.Articles()); got != 10_000 {
		t.Fatalf("got %d articles", got)
	}
	if len(c.byDoc) != 10_000 || len(c.sents) < 10_000*12 {
		t.Errorf("sentences: %d for %d articles", len(c.sents), len(c.byDoc))
	}
	if b := c.Brief(3); len(b.Points) != 3 {
		t.Errorf("brief: %d points", len(b.Points))
	}
}

// BenchmarkWithOne10k adds one article to a corpus of 10,000 (With), to set
// beside BenchmarkNew10k's full rebuild: a live story grows this way.
func BenchmarkWithOne10k(b *testing.B) {
	arts := genArticles(10001, 1)
	base, err := New(arts[:10000])
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, err := base.With(arts[10000:])
		if err != nil || len(c.Articles()) != 10001 {
			b.Fatal(err)
		}
	}
}
