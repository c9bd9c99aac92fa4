package eval

import (
	"bufio"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var evalData = flag.String("eval-data", "", "folder of the evaluation data (default: ../../../shared/eval-data when present)")

// dataDir returns the evaluation data folder or skips the test: the data is
// read only when the flag names it or it sits at its default place beside
// the repository.
func dataDir(t *testing.T) string {
	t.Helper()
	dir := *evalData
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "eval-data")
		if _, err := os.Stat(dir); err != nil {
			if os.Getenv("ALEXA_BRIEF_REQUIRE_EVAL_DATA") == "1" {
				t.Fatalf("no evaluation data at %s, and ALEXA_BRIEF_REQUIRE_EVAL_DATA=1 (CI) forbids skipping", dir)
			}
			t.Skipf("no evaluation data: pass -args -eval-data=DIR (looked for %s)", dir)
		}
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("eval data: %v", err)
	}
	return dir
}

func TestPorterStem(t *testing.T) {
	// Pairs from Porter's paper and his published vocabulary/output lists.
	tests := []struct{ word, want string }{
		{"caresses", "caress"}, {"ponies", "poni"}, {"ties", "ti"}, {"caress", "caress"},
		{"cats", "cat"}, {"feed", "feed"}, {"agreed", "agre"}, {"plastered", "plaster"},
		{"bled", "bled"}, {"motoring", "motor"}, {"sing", "sing"}, {"conflated", "conflat"},
		{"troubled", "troubl"}, {"sized", "size"}, {"hopping", "hop"}, {"tanned", "tan"},
		{"falling", "fall"}, {"hissing", "hiss"}, {"fizzed", "fizz"}, {"failing", "fail"},
		{"filing", "file"}, {"happy", "happi"}, {"sky", "sky"}, {"relational", "relat"},
		{"conditional", "condit"}, {"rational", "ration"}, {"valenci", "valenc"},
		{"hesitanci", "hesit"}, {"digitizer", "digit"}, {"conformabli", "conform"},
		{"radicalli", "radic"}, {"differentli", "differ"}, {"vileli", "vile"},
		{"analogousli", "analog"}, {"vietnamization", "vietnam"}, {"predication", "predic"},
		{"operator", "oper"}, {"feudalism", "feudal"}, {"decisiveness", "decis"},
		{"hopefulness", "hope"}, {"callousness", "callous"}, {"formaliti", "formal"},
		{"sensitiviti", "sensit"}, {"sensibiliti", "sensibl"}, {"triplicate", "triplic"},
		{"formative", "form"}, {"formalize", "formal"}, {"electriciti", "electr"},
		{"electrical", "electr"}, {"hopeful", "hope"}, {"goodness", "good"},
		{"revival", "reviv"}, {"allowance", "allow"}, {"inference", "infer"},
		{"airliner", "airlin"}, {"gyroscopic", "gyroscop"}, {"adjustable", "adjust"},
		{"defensible", "defens"}, {"irritant", "irrit"}, {"replacement", "replac"},
		{"adjustment", "adjust"}, {"dependent", "depend"}, {"adoption", "adopt"},
		{"homologou", "homolog"}, {"communism", "commun"}, {"activate", "activ"},
		{"angulariti", "angular"}, {"homologous", "homolog"}, {"effective", "effect"},
		{"bowdlerize", "bowdler"}, {"probate", "probat"}, {"rate", "rate"},
		{"cease", "ceas"}, {"controll", "control"}, {"roll", "roll"},
		{"generalizations", "gener"}, {"oscillators", "oscil"}, {"is", "is"},
		{"generously", "gener"}, {"archaeology", "archaeolog"}, {"running", "run"},
	}
	for _, tt := range tests {
		if got := porterStem(tt.word); got != tt.want {
			t.Errorf("porterStem(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		text string
		stem bool
		want string
	}{
		{"The $25.5 billion loss—Amazon’s", false, "the 25 5 billion loss amazon s"},
		{"Running dogs ran", true, "run dog ran"},
		{"  ", false, ""},
		{"Ünïcode words", false, "n code words"},
	}
	for _, tt := range tests {
		if got := strings.Join(Tokenize(tt.text, tt.stem), " "); got != tt.want {
			t.Errorf("Tokenize(%q, %v) = %q, want %q", tt.text, tt.stem, got, tt.want)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-4 }

func checkScore(t *testing.T, name string, got, want Score) {
	t.Helper()
	if !near(got.Precision, want.Precision) || !near(got.Recall, want.Recall) || !near(got.F1, want.F1) {
		t.Errorf("%s = P %.5f R %.5f F %.5f, want P %.5f R %.5f F %.5f", name,
			got.Precision, got.Recall, got.F1, want.Precision, want.Recall, want.F1)
	}
}

func TestRougeSimpleCases(t *testing.T) {
	checkScore(t, "rouge1", RougeN("testing one two", "testing", 1, false), Score{1, 1.0 / 3, 0.5})
	checkScore(t, "rouge2", RougeN("testing one two", "testing one", 2, false), Score{1, 0.5, 2.0 / 3})
	checkScore(t, "rouge1 empty", RougeN("", "testing", 1, false), Score{})
	checkScore(t, "rougeL", RougeL("testing one two", "testing two", false), Score{1, 2.0 / 3, 0.8})
	checkScore(t, "rougeL empty", RougeL("testing", "", false), Score{})
	checkScore(t, "rougeLsum", RougeLsum("w1 w2 w3 w4 w5", "w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5", false), Score{0.4, 0.8, 0.53333})
	// A prediction repeating a target token must not be credited twice.
	checkScore(t, "rougeLsum repeat", RougeLsum("a b", "a\na\na", false), Score{1.0 / 3, 0.5, 0.4})
}

// TestRougeReference checks the scorer against ROUGE-1.5.5's values for
// eval-data/rouge (skipped when the data is absent).
func TestRougeReference(t *testing.T) {
	dir := filepath.Join(dataDir(t), "rouge")
	targets, preds := readLines(t, filepath.Join(dir, "target.txt")), readLines(t, filepath.Join(dir, "prediction.txt"))
	if len(targets) < 2 || len(preds) < 2 {
		t.Fatalf("got %d targets and %d predictions, want at least 2", len(targets), len(preds))
	}
	tests := []struct {
		name string
		line int
		fn   func(target, prediction string) Score
		want Score
	}{
		{"rouge1", 0, func(a, b string) Score { return RougeN(a, b, 1, false) }, Score{0.68750, 0.40741, 0.51163}},
		{"rouge1", 1, func(a, b string) Score { return RougeN(a, b, 1, false) }, Score{0.65385, 0.40476, 0.50000}},
		{"rouge1 stem", 0, func(a, b string) Score { return RougeN(a, b, 1, true) }, Score{0.68750, 0.40741, 0.51163}},
		{"rouge1 stem", 1, func(a, b string) Score { return RougeN(a, b, 1, true) }, Score{0.69231, 0.42857, 0.52941}},
		{"rouge2", 0, func(a, b string) Score { return RougeN(a, b, 2, false) }, Score{0.53333, 0.30769, 0.39024}},
		{"rouge2", 1, func(a, b string) Score { return RougeN(a, b, 2, false) }, Score{0.48000, 0.29268, 0.36364}},
		{"rouge2 stem", 0, func(a, b string) Score { return RougeN(a, b, 2, true) }, Score{0.53333, 0.30769, 0.39024}},
		{"rouge2 stem", 1, func(a, b string) Score { return RougeN(a, b, 2, true) }, Score{0.48000, 0.29268, 0.36364}},
		{"rougeL", 0, func(a, b string) Score { return RougeL(a, b, false) }, Score{0.68750, 0.40741, 0.51163}},
		{"rougeL", 1, func(a, b string) Score { return RougeL(a, b, false) }, Score{0.65385, 0.40476, 0.50000}},
	}
	for _, tt := range tests {
		checkScore(t, tt.name+" line "+string(rune('0'+tt.line)), tt.fn(targets[tt.line], preds[tt.line]), tt.want)
	}
	tm, err := os.ReadFile(filepath.Join(dir, "target_multi.0.txt"))
	if err != nil {
		t.Fatal(err)
	}
	pm, err := os.ReadFile(filepath.Join(dir, "prediction_multi.0.txt"))
	if err != nil {
		t.Fatal(err)
	}
	checkScore(t, "rougeLsum multi", RougeLsum(string(tm), string(pm), true), Score{0.66667, 0.36538, 0.47205})
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}
