package facts

import (
	"strconv"
	"strings"

	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// The parsers below turn a matched figure into its normalised value. Each
// gets the verbatim match; the pattern has already checked its shape.

// amount reads the number and scale of s ("$25.5bn" → 2.55e10, "twenty
// five billion dollars" → 2.5e10). ok is false when s holds no number.
func amount(s string) (float64, bool) {
	l := strings.ToLower(s)
	// Digits, with thousands commas dropped, then an optional scale.
	i := strings.IndexAny(l, "0123456789")
	if i < 0 {
		return wordAmount(l)
	}
	j := i
	for j < len(l) && (l[j] >= '0' && l[j] <= '9' || l[j] == '.' || l[j] == ',') {
		j++
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimRight(l[i:j], ".,"), ",", ""), 64)
	if err != nil {
		return 0, false
	}
	rest := strings.TrimSpace(l[j:])
	end := strings.IndexFunc(rest, func(r rune) bool { return r < 'a' || r > 'z' })
	if end < 0 {
		end = len(rest)
	}
	if m, ok := text.MagnitudeValues[rest[:end]]; ok {
		v *= m
	}
	return v, true
}

// wordAmount reads a number written in words: a sum of units and tens, then
// scales that multiply ("twenty five billion").
func wordAmount(l string) (float64, bool) {
	var v, cur float64
	seen := false
	for _, w := range strings.FieldsFunc(l, func(r rune) bool { return r == ' ' || r == '-' }) {
		switch {
		case w == "hundred":
			cur = max(cur, 1) * 100
		case text.NumberValues[w] > 0:
			cur += text.NumberValues[w]
			seen = true
		case text.MagnitudeValues[w] > 0 && len(w) > 2: // "m" and "bn" follow digits only
			v += max(cur, 1) * text.MagnitudeValues[w]
			cur = 0
		}
	}
	return v + cur, seen
}

func moneyValue(s string) (Figure, bool) {
	v, ok := amount(s)
	if !ok {
		return Figure{}, false
	}
	code := ""
	for _, c := range text.CurrencySigns {
		if strings.Contains(s, c.Sign) {
			code = c.Code
			break
		}
	}
	if code == "" {
		for _, w := range text.Words(s) {
			if c, ok := text.CurrencyCodes[w]; ok {
				code = c
			}
		}
	}
	return Figure{Amount: v, Unit: code}, true
}

func percentValue(s string) (Figure, bool) {
	v, ok := amount(s)
	unit := "%"
	if strings.Contains(strings.ToLower(s), "point") {
		unit = "pp"
	}
	return Figure{Amount: v, Unit: unit}, ok
}

// fullYear expands a year written with two digits after a four-digit one
// ("2017–21" → "2021").
func fullYear(first, y string) string {
	if len(y) == 2 && len(first) == 4 {
		return first[:2] + y
	}
	return y
}

// years returns the four- or two-digit numbers of s, in order.
func years(s string) []string {
	var out []string
	for _, w := range text.Words(s) {
		if text.IsYear(w) || len(w) == 2 && w[0] >= '0' && w[0] <= '9' && w[1] >= '0' && w[1] <= '9' {
			out = append(out, w)
		}
	}
	return out
}

func rangeValue(s string) (Figure, bool) {
	ys := years(s)
	if len(ys) != 2 {
		return Figure{}, false
	}
	return Figure{When: ys[0] + "/" + fullYear(ys[0], ys[1])}, true
}

// partValue reads a quarter or half: "first quarter of 2023", "Q1 2023" and
// "Q1 FY23" all become "2023-Q1".
func partValue(s string) (Figure, bool) {
	l := strings.ToLower(s)
	ws := text.Words(l)
	part, n := "", ""
	switch {
	case strings.HasPrefix(l, "q") || strings.HasPrefix(l, "h"):
		part, n = strings.ToUpper(l[:1]), l[1:2]
	default:
		n = text.PartOrdinals[ws[0]]
		part = "Q"
		if strings.Contains(l, "half") {
			part = "H"
		}
	}
	y := ""
	if ys := years(l); len(ys) > 0 {
		y = fullYear("2000", ys[len(ys)-1]) // "Q1 '23" is this century's
	}
	fy := ""
	if strings.Contains(l, "fiscal") || strings.Contains(l, "fy") {
		fy = "FY"
	}
	if y == "" {
		return Figure{When: part + n}, true
	}
	return Figure{When: fy + y + "-" + part + n}, true
}

func fiscalValue(s string) (Figure, bool) {
	ys := years(s)
	if len(ys) == 0 {
		return Figure{}, false
	}
	y := ys[0]
	if len(y) == 2 {
		y = "20" + y
	}
	return Figure{When: "FY" + y}, true
}

func decadeValue(s string) (Figure, bool) { return Figure{When: s}, true }

func durationValue(s string) (Figure, bool) {
	v, ok := amount(s)
	ws := text.Words(s)
	return Figure{Amount: v, Unit: strings.TrimSuffix(ws[len(ws)-1], "s")}, ok
}

// dateValue reads "Sept. 28, 2023", "5 March 2024", "September 2023",
// "2014" and "September" as "2023-09-28", "2024-03-05", "2023-09", "2014"
// and "09".
func dateValue(s string) (Figure, bool) {
	var y, m, d string
	for _, w := range text.Words(s) {
		switch {
		case text.IsYear(w):
			y = w
		case len(w) >= 3 && text.MonthNumbers[w[:3]] != "":
			m = text.MonthNumbers[w[:3]]
		case w[0] >= '0' && w[0] <= '9':
			d = strings.TrimRight(w, "stndrh")
			if len(d) == 1 {
				d = "0" + d
			}
		}
	}
	parts := make([]string, 0, 3)
	for _, p := range []string{y, m, d} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return Figure{}, false
	}
	return Figure{When: strings.Join(parts, "-")}, true
}

func isoValue(s string) (Figure, bool) { return Figure{When: s}, true }

func countValue(s string) (Figure, bool) {
	v, ok := amount(s)
	return Figure{Amount: v}, ok
}

// formatAmount writes an amount rounded to ten significant digits, so that
// floating-point noise in scaling never makes two equal figures differ.
func formatAmount(v float64) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 10, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}
