package briefs

import (
	"fmt"
	"math/rand"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// Benchmarks of question answering. Run:
//
//	go test ./briefs -run '^$' -bench 'Ask|QAIndex' -benchtime 2000x
//
// Latency percentiles are measured per call and reported as p50-µs and
// p99-µs; the 10,000-article corpus is generated from sentences written
// here, so the benchmark needs no data.

var benchQuestions = []string{
	"how much did Amazon lose on devices?",
	"What did they worry they had built?",
	"Who won the 2018 World Cup?",
	"When did Andy Jassy become CEO?",
	"How many Alexa devices has Amazon sold?",
	"What did Dave Limp say?",
	"What is the capital of France?",
	"Why did the devices lose money?",
}

func reportLatency(b *testing.B, lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p := func(q float64) float64 {
		return float64(lat[min(len(lat)-1, int(q*float64(len(lat))))].Nanoseconds()) / 1e3
	}
	b.ReportMetric(p(0.50), "p50-µs")
	b.ReportMetric(p(0.99), "p99-µs")
}

func benchAsk(b *testing.B, c *Corpus, questions []string) {
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		a := c.Ask(questions[i%len(questions)])
		lat = append(lat, time.Since(start))
		if a.Citations == nil {
			b.Fatal("nil citations")
		}
	}
	b.StopTimer()
	reportLatency(b, lat)
}

func BenchmarkAskEmbedded(b *testing.B) {
	c, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	benchAsk(b, c, benchQuestions)
}

// Vocabulary of the generated corpus: names, places, companies and topics
// combined by sentence templates, so terms have realistic, skewed
// frequencies.
var (
	genFirst   = []string{"Anna", "Ben", "Carla", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kemal", "Lena", "Marco", "Nadia", "Omar", "Priya"}
	genLast    = []string{"Alvarez", "Brandt", "Chen", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov"}
	genCompany = []string{"Northwind", "Bluepeak", "Corvid Labs", "Dynamo Freight", "Elmstone Bank", "Fernway Energy", "Glasswing", "Harbor Foods", "Ironleaf", "Juniper Health"}
	genPlace   = []string{"Lisbon", "Ottawa", "Nairobi", "Osaka", "Bogotá", "Krakow", "Perth", "Tallinn", "Accra", "Monterrey"}
	genTopic   = []string{"battery plant", "data center", "wind farm", "delivery fleet", "payments app", "cancer drug", "chip factory", "streaming service", "rail link", "water project"}
	genTmpl    = []string{
		"%[3]s said on %[7]s it would invest $%[5]d million in a new %[4]s near %[6]s.",
		"Chief executive %[1]s %[2]s told analysts the %[4]s would open in %[8]d.",
		"“We expect the %[4]s to pay for itself within %[9]d years,” %[2]s said.",
		"Revenue at %[3]s rose %[9]d%% in the third quarter, beating forecasts.",
		"Critics in %[6]s argue the %[4]s will strain local roads and water supplies.",
		"The company has hired %[5]d engineers for the %[4]s since %[8]d.",
		"Regulators are reviewing whether the %[4]s meets safety rules.",
		"Shares of %[3]s fell %[9]d%% after the announcement.",
		"%[1]s %[2]s, who joined %[3]s in %[8]d, leads the %[4]s team.",
		"Local officials welcomed the %[4]s, citing about %[5]d new jobs.",
		"Analysts estimate the %[4]s could lose $%[9]d million before turning a profit.",
		"Construction of the %[4]s is expected to take %[9]d years.",
	}
	genDays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}
)

// generateArticles writes n deterministic articles of about 24 sentences.
func generateArticles(n int) []Article {
	r := rand.New(rand.NewSource(1))
	arts := make([]Article, n)
	var sb strings.Builder
	for i := range arts {
		sb.Reset()
		first, last := genFirst[r.Intn(len(genFirst))], genLast[r.Intn(len(genLast))]
		comp, topic := genCompany[r.Intn(len(genCompany))], genTopic[r.Intn(len(genTopic))]
		place := genPlace[r.Intn(len(genPlace))]
		for p := 0; p < 6; p++ {
			for s := 0; s < 4; s++ {
				t := genTmpl[r.Intn(len(genTmpl))]
				fmt.Fprintf(&sb, t, first, last, comp, topic, 10+r.Intn(990), place,
					genDays[r.Intn(len(genDays))], 1990+r.Intn(35), 2+r.Intn(40))
				sb.WriteByte(' ')
			}
			sb.WriteString("\n\n")
		}
		arts[i] = Article{ID: fmt.Sprintf("gen-%05d", i), Title: comp + " " + topic, Text: sb.String()}
	}
	return arts
}

var (
	bigOnce   sync.Once
	bigCorpus *Corpus
	bigBuild  time.Duration
	bigHeap   uint64
	bigErr    error
)

// big10k builds the 10,000-article corpus once and records the build time
// and the live heap it occupies.
func big10k() (*Corpus, error) {
	bigOnce.Do(func() {
		arts := generateArticles(10000)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		bigCorpus, bigErr = New(arts)
		bigBuild = time.Since(start)
		runtime.GC()
		runtime.ReadMemStats(&after)
		bigHeap = after.HeapAlloc - min(before.HeapAlloc, after.HeapAlloc)
	})
	return bigCorpus, bigErr
}

var bigQuestions = []string{
	"How much will Northwind invest in the battery plant?",
	"When will the data center open?",
	"Who leads the wind farm team?",
	"How much did shares of Bluepeak fall?",
	"Why do critics in Lisbon oppose the rail link?",
	"What did Chen say about the chip factory?",
	"Who won the 2018 World Cup?",
	"What is the capital of France?",
}

func BenchmarkAsk10k(b *testing.B) {
	c, err := big10k()
	if err != nil {
		b.Fatal(err)
	}
	benchAsk(b, c, bigQuestions) // resets the timer, which drops metrics: report after
	b.ReportMetric(bigBuild.Seconds(), "build-s")
	b.ReportMetric(float64(bigHeap)/(1<<20), "heap-MiB")
}

// BenchmarkQAIndex10k measures building the QA index alone over the
// segmented 10,000-article corpus.
func BenchmarkQAIndex10k(b *testing.B) {
	c, err := big10k()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if ix := newIndex(c); ix.Len() != len(c.sents) {
			b.Fatal("index does not cover every sentence")
		}
	}
}
