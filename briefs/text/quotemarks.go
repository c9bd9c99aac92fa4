package text

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Quotation is one pair of quotation marks in a string: Open and Close are
// the byte offsets of the opening and closing marks, MarkLen the byte
// length of the closing one (0 when the quotation runs to the end).
type Quotation struct {
	Open, Close int
	MarkLen     int
}

// Inner returns the text inside the marks of q in s.
func (q Quotation) Inner(s string) string {
	_, n := utf8.DecodeRuneInString(s[q.Open:])
	return s[q.Open+n : q.Close]
}

// Quotations pairs the quotation marks of s, one implementation for the
// segmenter (which must not end a sentence inside a quotation) and the
// quote extractor: typographic “ ” directly, straight " by position (an
// opening one follows space or the start), typographic ‘ ’ outside the
// double ones (see singleQuotes). They come sorted and disjoint.
//
// With openTail, a double quotation still open at the end of s runs to it
// (news copy leaves a paragraph-long quote open until its last paragraph);
// the segmenter passes false, so an unclosed mark never swallows a
// paragraph.
func Quotations(s string, openTail bool) []Quotation {
	var out []Quotation
	open := -1
	whole := Span{0, len(s)}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '“':
			open = i
		case r == '”' && open >= 0:
			out = append(out, Quotation{open, i, n})
			open = -1
		case r == '"':
			if open < 0 && straightOpens(s, whole, i) {
				open = i
			} else if open >= 0 {
				out = append(out, Quotation{open, i, n})
				open = -1
			}
		}
		i += n
	}
	if openTail && open >= 0 && len(strings.Fields(s[open:])) >= 4 {
		out = append(out, Quotation{open, len(s), 0})
	}
	if !strings.Contains(s, "‘") {
		return out
	}
	singles := singleQuotes(s, out)
	if len(singles) == 0 {
		return out
	}
	// A single quotation that holds a double one (‘… “…” …’) is dropped:
	// the double is the quotation.
	merged := out
	next := 0
	for _, q := range singles {
		for next < len(out) && out[next].Open <= q.Open {
			next++
		}
		if next < len(out) && out[next].Close < q.Close {
			continue
		}
		merged = append(merged, q)
	}
	sort.Slice(merged, func(i, j int) bool { return merged[i].Open < merged[j].Open })
	return merged
}

// blockQuotations returns the quotations of paragraph b of text, with
// offsets into text.
func blockQuotations(text string, b Span) []Quotation {
	qs := Quotations(text[b.Start:b.End], false)
	for i := range qs {
		qs[i].Open += b.Start
		qs[i].Close += b.Start
	}
	return qs
}

// singleQuotes pairs typographic single quotes (‘It is a disgrace,’ said…)
// that lie outside the double quotations of s. ’ is also the apostrophe
// (O’Neill, we’ve, the workers’ union), so an opening ‘ must start a word
// and its closing ’ must be followed by a non-letter; a ’ after , . ! or ?
// is preferred, as British copy closes speech that way.
func singleQuotes(s string, doubles []Quotation) []Quotation {
	// doubles are sorted and disjoint, so their ends grow too: a binary
	// search answers "inside a double quotation?" without a scan.
	inside := func(i int) bool {
		k := sort.Search(len(doubles), func(k int) bool { return doubles[k].Close+doubles[k].MarkLen > i })
		return k < len(doubles) && doubles[k].Open <= i
	}
	const mark = len("’")
	// Classify every ’ once, so pairing stays linear in the paragraph even
	// when it holds thousands of apostrophes and unclosed ‘ (each opening
	// used to rescan every ’ to the end of the text).
	const (
		closeStop     = iota // followed by ‘ or inside a double quote: no close at or past it
		closePunct           // after , . ! ? …: the preferred close
		closeFallback        // ‘final’, not the workers’ union
	)
	type closer struct{ pos, kind int }
	var cands []closer
	for j := 0; j < len(s); {
		c := strings.Index(s[j:], "’")
		if c < 0 {
			break
		}
		c += j
		j = c + mark
		if strings.HasPrefix(s[c+mark:], "‘") || inside(c) {
			cands = append(cands, closer{c, closeStop})
			continue
		}
		next, _ := utf8.DecodeRuneInString(s[c+mark:])
		if c+mark < len(s) && (unicode.IsLetter(next) || unicode.IsDigit(next)) {
			continue // an apostrophe inside a word
		}
		prev, _ := utf8.DecodeLastRuneInString(s[:c])
		switch {
		case strings.ContainsRune(",.!?…", prev):
			cands = append(cands, closer{c, closePunct})
		case prev != 's':
			cands = append(cands, closer{c, closeFallback})
		}
	}
	// decisive[k] is the first candidate at or after k that ends the search
	// (a stop or a preferred close), fallback[k] the first fallback one.
	n := len(cands)
	decisive, fallback := make([]int, n+1), make([]int, n+1)
	decisive[n], fallback[n] = n, n
	for k := n - 1; k >= 0; k-- {
		decisive[k], fallback[k] = decisive[k+1], fallback[k+1]
		if cands[k].kind == closeFallback {
			fallback[k] = k
		} else {
			decisive[k] = k
		}
	}
	var out []Quotation
	next := 0 // first candidate at or after i; i only grows
	for i := 0; i < len(s); {
		k := strings.Index(s[i:], "‘")
		if k < 0 {
			break
		}
		open := i + k
		i = open + mark
		if inside(open) {
			continue
		}
		if open > 0 {
			prev, _ := utf8.DecodeLastRuneInString(s[:open])
			if unicode.IsLetter(prev) || unicode.IsDigit(prev) {
				continue
			}
		}
		for next < n && cands[next].pos < i {
			next++
		}
		closeAt := -1
		if d := decisive[next]; d < n && cands[d].kind == closePunct {
			closeAt = cands[d].pos
		} else if f := fallback[next]; f < d {
			closeAt = cands[f].pos
		}
		if closeAt < 0 {
			continue
		}
		out = append(out, Quotation{Open: open, Close: closeAt, MarkLen: mark})
		i = closeAt + mark
	}
	return out
}
