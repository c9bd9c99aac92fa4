package eval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// GoldQuote is one direct quote of PolNeAR's direct_quotes.jsonl: an
// attribution's content that opens with a quote mark, and its source as the
// annotator marked it (often a pronoun). Offsets count code points.
type GoldQuote struct {
	Article string `json:"article"`
	Content string `json:"content"`
	Start   int    `json:"content_start"`
	End     int    `json:"content_end"`
	Source  string `json:"source"`
}

// LoadGoldQuotes reads direct_quotes.jsonl, grouped by article.
func LoadGoldQuotes(path string) (map[string][]GoldQuote, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval: gold quotes: %w", err)
	}
	defer f.Close()
	out := map[string][]GoldQuote{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var g GoldQuote
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			return nil, fmt.Errorf("eval: gold quotes: line %d: %w", n, err)
		}
		out[g.Article] = append(out[g.Article], g)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("eval: gold quotes: %w", err)
	}
	return out, nil
}

// LoadContents reads the content of every attribution of one brat .ann
// file, direct or not, each as its contiguous parts (code-point offsets):
// brat writes a content interrupted by its cue ("“X,” he said. “Y.”") as
// "Content a b;c d".
func LoadContents(path string) ([][][2]int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("eval: annotations: %w", err)
	}
	var out [][][2]int
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 2 || !strings.HasPrefix(f[0], "T") || !strings.HasPrefix(f[1], "Content ") {
			continue
		}
		var parts [][2]int
		for _, part := range strings.Split(strings.TrimPrefix(f[1], "Content "), ";") {
			var a, b int
			if _, err := fmt.Sscanf(part, "%d %d", &a, &b); err == nil {
				parts = append(parts, [2]int{a, b})
			}
		}
		if len(parts) > 0 {
			out = append(out, parts)
		}
	}
	return out, nil
}

// AnnotationPath is the .ann file of the first annotator metadata.tsv lists
// for article, the one direct_quotes.jsonl was made from.
func AnnotationPath(dir, article, annotators string) string {
	first, _, _ := strings.Cut(strings.ReplaceAll(annotators, "|", ","), ",")
	return filepath.Join(dir, "attributions", article+"_"+strings.TrimSpace(first)+".ann")
}

// LoadAnnotators reads metadata.tsv: article → its annotators column.
func LoadAnnotators(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("eval: metadata: %w", err)
	}
	out := map[string]string{}
	lines := strings.Split(string(data), "\n")
	for _, line := range lines[1:] {
		f := strings.Split(line, "\t")
		if len(f) >= 4 {
			out[f[1]] = f[3]
		}
	}
	return out, nil
}

// Fold assigns an article to one of n folds by a hash of its id, so the
// split is fixed and anyone can rerun it.
func Fold(article string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(article))
	return int(h.Sum32() % uint32(n))
}

// FoundQuote is a quote an extractor returned: byte offsets into the
// article and the speaker.
type FoundQuote struct {
	Start, End int
	Speaker    string
}

// QuoteScore counts, over some articles, PolNeAR's gold direct quotes, how
// many were found and how many of those have the right speaker (a name
// word shared with the gold source; a pronoun source accepts any named
// speaker), the quotes returned, and those returned that overlap no gold
// direct quote or no annotated content at all.
//
// Found is the README's rule: one returned quote covers at least 80% of the
// gold content's word tokens. A content interrupted by its cue — “X,” he
// said. “Y.” — is one gold content of two parts, and no quote can span the
// cue (a quote is the text inside its marks), so PartsFound also counts a
// gold quote found when each part is covered by one returned quote, at
// least 80% of the content's tokens in all; PartsRight is its speaker
// count, from the quote covering most.
//
// PronounFound and PronounRight count, among those found by parts, the gold
// quotes whose source is a pronoun: any named speaker passes for them, so
// the accuracy on the others (NamedAccuracy) is the stricter figure.
type QuoteScore struct {
	Gold, Found, SpeakerRight     int
	PartsFound, PartsRight        int
	PronounFound, PronounRight    int
	Returned, NoDirect, NoContent int
}

// Add adds b's counts to a.
func (a *QuoteScore) Add(b QuoteScore) {
	a.Gold += b.Gold
	a.Found += b.Found
	a.SpeakerRight += b.SpeakerRight
	a.PartsFound += b.PartsFound
	a.PartsRight += b.PartsRight
	a.PronounFound += b.PronounFound
	a.PronounRight += b.PronounRight
	a.Returned += b.Returned
	a.NoDirect += b.NoDirect
	a.NoContent += b.NoContent
}

// Recall is found over gold; SpeakerAccuracy right speakers over found.
func (a QuoteScore) Recall() float64 { return share(a.Found, a.Gold) }

// SpeakerAccuracy is the share of found quotes with the right speaker.
func (a QuoteScore) SpeakerAccuracy() float64 { return share(a.SpeakerRight, a.Found) }

// PartsRecall and PartsSpeakerAccuracy are the same by parts.
func (a QuoteScore) PartsRecall() float64 { return share(a.PartsFound, a.Gold) }

// PartsSpeakerAccuracy is the share of quotes found by parts with the right speaker.
func (a QuoteScore) PartsSpeakerAccuracy() float64 { return share(a.PartsRight, a.PartsFound) }

// NamedAccuracy is the speaker accuracy by parts over the gold quotes whose
// source is no pronoun.
func (a QuoteScore) NamedAccuracy() float64 {
	return share(a.PartsRight-a.PronounRight, a.PartsFound-a.PronounFound)
}

// Unmatched is the share of returned quotes that overlap no gold direct
// quote.
func (a QuoteScore) Unmatched() float64 { return share(a.NoDirect, a.Returned) }

// Unannotated is the share of returned quotes that overlap no annotated
// content.
func (a QuoteScore) Unannotated() float64 { return share(a.NoContent, a.Returned) }

func share(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Miss is a gold quote not found or found with the wrong speaker (by
// parts), for reading the errors.
type Miss struct {
	Gold    GoldQuote
	Speaker string // the speaker returned, "" when not found
}

// ScoreQuotes scores the quotes returned for one article against its gold
// quotes and the annotated contents (code-point offsets, see LoadContents).
func ScoreQuotes(article string, gold []GoldQuote, contents [][][2]int, got []FoundQuote) (QuoteScore, []Miss) {
	byteAt := runeOffsets(article)
	toBytes := func(a, b int) (int, int) {
		return byteAt[min(a, len(byteAt)-1)], byteAt[min(b, len(byteAt)-1)]
	}
	// covering returns the returned quote covering most of toks and how many.
	covering := func(toks [][2]int) (int, int) {
		best, bestQ := 0, -1
		for i, q := range got {
			n := 0
			for _, t := range toks {
				if t[0] >= q.Start && t[1] <= q.End {
					n++
				}
			}
			if n > best {
				best, bestQ = n, i
			}
		}
		return bestQ, best
	}
	sc := QuoteScore{Gold: len(gold), Returned: len(got)}
	var misses []Miss
	for _, g := range gold {
		parts := [][2]int{{g.Start, g.End}}
		for _, c := range contents {
			if c[0][0] == g.Start && c[len(c)-1][1] == g.End {
				parts = c
				break
			}
		}
		var all [][2]int
		covered, most, mostQ := 0, 0, -1
		for _, p := range parts {
			a, b := toBytes(p[0], p[1])
			toks := tokenSpans(article, a, b)
			all = append(all, toks...)
			q, n := covering(toks)
			if 5*n >= 4*len(toks) {
				covered += n
			}
			if n > most {
				most, mostQ = n, q
			}
		}
		if len(all) == 0 {
			sc.Gold--
			continue
		}
		q, n := covering(all)
		if 5*n >= 4*len(all) {
			sc.Found++
			if SpeakerMatches(got[q].Speaker, g.Source) {
				sc.SpeakerRight++
			}
		}
		if 5*covered < 4*len(all) {
			misses = append(misses, Miss{Gold: g})
			continue
		}
		sc.PartsFound++
		pronoun := isPronoun(g.Source)
		if pronoun {
			sc.PronounFound++
		}
		if SpeakerMatches(got[mostQ].Speaker, g.Source) {
			sc.PartsRight++
			if pronoun {
				sc.PronounRight++
			}
		} else {
			misses = append(misses, Miss{Gold: g, Speaker: got[mostQ].Speaker})
		}
	}
	overlaps := func(q FoundQuote, spans [][2]int) bool {
		for _, s := range spans {
			a, b := toBytes(s[0], s[1])
			if q.Start < b && a < q.End {
				return true
			}
		}
		return false
	}
	var direct, annotated [][2]int
	for _, g := range gold {
		direct = append(direct, [2]int{g.Start, g.End})
	}
	for _, c := range contents {
		annotated = append(annotated, c...)
	}
	for _, q := range got {
		if !overlaps(q, direct) {
			sc.NoDirect++
		}
		if !overlaps(q, annotated) {
			sc.NoContent++
		}
	}
	return sc, misses
}

// SpeakerMatches reports a returned speaker that shares a name word with
// the gold source, or any named (non-pronoun) speaker for a pronoun source.
func SpeakerMatches(speaker, source string) bool {
	if speaker == "" {
		return false
	}
	if isPronoun(source) {
		return !isPronoun(speaker)
	}
	names := map[string]bool{}
	for _, w := range text.Words(source) {
		if !text.IsStop(w) {
			names[text.Fold(w)] = true
		}
	}
	for _, w := range text.Words(speaker) {
		if names[text.Fold(w)] {
			return true
		}
	}
	return false
}

func isPronoun(s string) bool {
	w := strings.ToLower(strings.TrimSpace(s))
	_, ok := text.Pronouns[w]
	return ok || text.OtherPronouns[w]
}

// runeOffsets maps code-point offsets of s to byte offsets (one past the
// end included).
func runeOffsets(s string) []int {
	out := make([]int, 0, utf8.RuneCountInString(s)+1)
	for i := range s {
		out = append(out, i)
	}
	return append(out, len(s))
}

// tokenSpans returns the byte spans of the word tokens in s[a:b].
func tokenSpans(s string, a, b int) [][2]int {
	var out [][2]int
	start := -1
	for i, r := range s[a:b] {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = a + i
			}
			continue
		}
		if start >= 0 {
			out = append(out, [2]int{start, a + i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, [2]int{start, b})
	}
	return out
}
