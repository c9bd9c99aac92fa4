package main

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestReproduce regenerates the table from the installed WordNet and wants
// the checked-in file byte for byte: the table is data made by a command,
// and a change to the rule, to text.Norm or to the stop words must come
// with its regeneration (go generate ./briefs/text).
func TestReproduce(t *testing.T) {
	const dir = "/usr/share/wordnet"
	if _, err := os.Stat(dir + "/data.noun"); err != nil {
		if os.Getenv("ALEXA_BRIEF_REQUIRE_WORDNET") != "" {
			t.Fatalf("ALEXA_BRIEF_REQUIRE_WORDNET is set but WordNet is missing: %v", err)
		}
		t.Skipf("WordNet is not installed (%v); .ci/wordnet.sh installs it", err)
	}
	var got bytes.Buffer
	if err := generate(dir, &got); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../related.txt")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got.Bytes(), want) {
		return
	}
	g, w := strings.Split(got.String(), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Fatalf("related.txt is stale (run go generate ./briefs/text): line %d is\n\t%q\nregenerated\n\t%q", i+1, wl, gl)
		}
	}
}

func TestParseSynset(t *testing.T) {
	line := "02958343 06 n 03 car 0 Auto 0 big(a) 1 002 @ 03791235 n 0000 + 01930756 v 0301 | a motor vehicle; \"he needs a car\"  "
	got, err := parseSynset(line)
	if err != nil {
		t.Fatal(err)
	}
	want := &synset{
		id:    synsetID{'n', 2958343},
		words: []word{{"car", false}, {"auto", true}, {"big", false}},
		ptrs: []pointer{
			{sym: "@", to: synsetID{'n', 3791235}},
			{sym: "+", to: synsetID{'v', 1930756}, src: 3, tgt: 1},
		},
		gloss: "a motor vehicle; \"he needs a car\"",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseSynset = %+v, want %+v", got, want)
	}
	for _, bad := range []string{"", "x 06 n 01 car 0 000", "02958343 06 n 01 car 0"} {
		if _, err := parseSynset(bad); err == nil {
			t.Errorf("parseSynset(%q): no error", bad)
		}
	}
}

func TestParseIndexAndCount(t *testing.T) {
	wn := &wordnet{senses: map[lemmaPOS][]synsetID{}, counts: map[senseRank]int{}}
	if err := wn.parseIndex("price n 2 3 @ ~ + 2 1 05145118 13303315  ", 'n'); err != nil {
		t.Fatal(err)
	}
	if err := wn.parseCount("price%1:07:00:: 1 56"); err != nil {
		t.Fatal(err)
	}
	if err := wn.parseCount("price%5:00:00:dear:00 1 3"); err != nil {
		t.Fatal(err)
	}
	if got, want := wn.senses[lemmaPOS{"price", 'n'}], []synsetID{{'n', 5145118}, {'n', 13303315}}; !reflect.DeepEqual(got, want) {
		t.Errorf("senses = %v, want %v", got, want)
	}
	tests := []struct {
		key  senseRank
		want int
	}{
		{senseRank{lemmaPOS{"price", 'n'}, 1}, 56},
		{senseRank{lemmaPOS{"price", 'a'}, 1}, 3}, // a satellite counts as an adjective
		{senseRank{lemmaPOS{"price", 'n'}, 2}, 0},
	}
	for _, tt := range tests {
		if got := wn.counts[tt.key]; got != tt.want {
			t.Errorf("counts[%v] = %d, want %d", tt.key, got, tt.want)
		}
	}
	if got, want := wn.rank("price", synsetID{'n', 13303315}), 2; got != want {
		t.Errorf("rank = %d, want %d", got, want)
	}
	if got, want := wn.rank("price", synsetID{'v', 13303315}), 0; got != want {
		t.Errorf("rank in another part of speech = %d, want %d", got, want)
	}
}

func TestNearSpelling(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"lose", "loss", true},
		{"conquer", "conquest", true},
		{"laugh", "laughter", true},
		{"loss", "love", false},     // two letters differ
		{"push", "pushcart", false}, // a compound, not a suffix
		{"lie", "liar", false},      // too short to tell
		{"sale", "sell", false},
		{"lose", "lose", false},
	}
	for _, tt := range tests {
		if got := nearSpelling(tt.a, tt.b); got != tt.want {
			t.Errorf("nearSpelling(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestUsable(t *testing.T) {
	tests := []struct {
		w    string
		want bool
	}{
		{"car", true},
		{"tv", true},
		{"a", false},      // a single letter
		{"the", false},    // a stop word
		{"theses", false}, // normalised to a stop word
		{"said", false},   // the normaliser's inflection of "say"
		{"ten", false},    // a number
		{"pass_away", false},
		{"e-mail", false},
		{"3d", false},
	}
	for _, tt := range tests {
		if got := usable(tt.w); got != tt.want {
			t.Errorf("usable(%q) = %v, want %v", tt.w, got, tt.want)
		}
	}
}

// tiny builds a WordNet of the given synsets, whose words' senses follow
// the order given in senses, and tag counts.
func tiny(synsets []*synset, senses map[lemmaPOS][]synsetID, counts map[senseRank]int) *wordnet {
	wn := &wordnet{synsets: map[synsetID]*synset{}, senses: senses, counts: counts}
	for _, s := range synsets {
		wn.synsets[s.id] = s
	}
	wn.index()
	return wn
}

func TestSynonymsBySenseShare(t *testing.T) {
	vehicle, device, calm := synsetID{'n', 1}, synsetID{'n', 2}, synsetID{'a', 3}
	words := func(ls ...string) []word {
		var out []word
		for _, l := range ls {
			out = append(out, word{lemma: l})
		}
		return out
	}
	wn := tiny(
		[]*synset{
			{id: vehicle, words: append(words("car", "automobile", "machine", "motorcar"), word{lemma: "benz", proper: true})},
			{id: device, words: words("machine", "contraption")},
			{id: calm, words: words("still", "quiet")},
		},
		map[lemmaPOS][]synsetID{
			{"car", 'n'}: {vehicle}, {"automobile", 'n'}: {vehicle}, {"motorcar", 'n'}: {vehicle},
			{"machine", 'n'}: {device, vehicle}, {"contraption", 'n'}: {device}, {"benz", 'n'}: {vehicle},
			{"still", 'a'}: {calm}, {"still", 'r'}: {{'r', 9}}, {"quiet", 'a'}: {calm}, {"quiet", 'n'}: {{'n', 8}},
		},
		map[senseRank]int{
			{lemmaPOS{"car", 'n'}, 1}: 40, {lemmaPOS{"automobile", 'n'}, 1}: 5,
			{lemmaPOS{"machine", 'n'}, 1}: 60, {lemmaPOS{"machine", 'n'}, 2}: 1, // under minShare
			{lemmaPOS{"still", 'a'}, 1}: 1, {lemmaPOS{"still", 'r'}, 1}: 9, // a minor sense of each
			{lemmaPOS{"quiet", 'a'}, 1}: 1, {lemmaPOS{"quiet", 'n'}, 1}: 9,
		},
	)
	got := table{}
	wn.synonyms(got)
	want := table{
		"car":       {"automobil": synonym, "motorcar": synonym},
		"automobil": {"car": synonym, "motorcar": synonym},
		"motorcar":  {"car": synonym, "automobil": synonym}, // untagged, but its only sense
		"machin":    {"contrapt": synonym},
		"contrapt":  {"machin": synonym},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("synonyms = %v, want %v", got, want)
	}
}

func TestWrite(t *testing.T) {
	tb := table{}
	tb.add("death", "die", derived)
	tb.add("die", "perish", synonym)
	tb.add("die", "perish", derived) // a derivation outranks a synonymy
	tb.add("die", "expire", synonym)
	tb.add("govern", "government", derived) // one term to the engine
	var b bytes.Buffer
	if err := tb.write(&b); err != nil {
		t.Fatal(err)
	}
	want := header + "death +die\ndie +death +perish =expir\nexpir =die\nperish +die\n"
	if got := b.String(); got != want {
		t.Errorf("write =\n%s\nwant\n%s", got, want)
	}
}

func TestDerivedForms(t *testing.T) {
	loss, fork, lose, form, die, death := synsetID{'n', 1}, synsetID{'n', 2}, synsetID{'v', 3}, synsetID{'v', 4}, synsetID{'v', 5}, synsetID{'n', 6}
	wn := tiny(
		[]*synset{
			{id: loss, words: []word{{lemma: "loss"}}, gloss: `the act of losing; "a loss of nerve"`},
			{id: fork, words: []word{{lemma: "fork"}}, gloss: "the region of the angle formed by two branches"},
			{id: lose, words: []word{{lemma: "lose"}}},
			{id: form, words: []word{{lemma: "form"}}},
			{id: die, words: []word{{lemma: "die"}}, ptrs: []pointer{{sym: "+", to: death, src: 1, tgt: 1}}},
			{id: death, words: []word{{lemma: "death"}}, ptrs: []pointer{{sym: "+", to: die, src: 1, tgt: 1}}},
		},
		map[lemmaPOS][]synsetID{
			{"loss", 'n'}: {loss}, {"fork", 'n'}: {fork}, {"lose", 'v'}: {lose}, {"form", 'v'}: {form},
			{"die", 'v'}: {die}, {"death", 'n'}: {death}, {"lie", 'v'}: {{'v', 7}}, {"lay", 'v'}: {{'v', 8}},
		},
		map[senseRank]int{{lemmaPOS{"lose", 'v'}, 1}: 3, {lemmaPOS{"form", 'v'}, 1}: 3},
	)
	wn.exceptions = []exception{
		{form: "costlier", lemma: "costly", pos: 'a'},
		{form: "lay", lemma: "lie", pos: 'v'}, // a lemma of its own
	}
	got := table{}
	wn.derivations(got)
	wn.glossed(got)
	wn.inflections(got)
	want := table{
		"die":      {"death": derived},
		"death":    {"die": derived},
		"loss":     {"lose": derived},
		"lose":     {"loss": derived},
		"cost":     {"costlier": derived},
		"costlier": {"cost": derived},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("derived = %v, want %v", got, want)
	}
}
