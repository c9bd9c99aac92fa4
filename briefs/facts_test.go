package briefs

import (
	"fmt"
	"strings"
	"testing"
)

func TestFindFigures(t *testing.T) {
	tests := []struct {
		in   string
		want string // kind:value, comma separated
	}{
		{"From 2017 to 2021, Amazon lost over $25 billion due to investments.",
			"period:2017 to 2021,money:$25 billion"},
		{"Since their debut in 2014, Amazon has sold over 500 million Alexa devices.",
			"date:2014,count:500 million Alexa devices"},
		{"“We worried we’ve hired 10,000 people and we’ve built a smart timer.”", "count:10,000 people"},
		{"Revenue rose 3.5% to $25.5bn in Q1 2023, up 12 percent from fiscal 2022.",
			"percent:3.5%,money:$25.5bn,period:Q1 2023,percent:12 percent,period:fiscal 2022"},
		{"Losses for 2017–2021 beat the first quarter of 2023 and the 1990s.",
			"period:2017–2021,period:first quarter of 2023,period:1990s"},
		{"It launched on Sept. 28, 2023 and again on 5 March 2024, after 3 years.",
			"date:Sept. 28, 2023,date:5 March 2024,period:3 years"},
		{"The Alexa showcased in September used 1,000 GPUs and €2 million.",
			"date:September,count:1,000 GPUs,money:€2 million"},
		{"COVID-19 hit the MP3 market; Q1 was slow.", "period:Q1"},
		{"He scored 3 and then left.", ""},
		{"He turns 6 next Friday at 10:21 a.m. after 25 days at sea.", "period:25 days"},
		{"Police found 53 pit bull dogs and 10,000 people watched.", "count:53 pit bull dogs,count:10,000 people"},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range findFigures(tt.in) {
			got = append(got, fmt.Sprintf("%s:%s", f.kind, f.value))
			if tt.in[f.start:f.end] != f.value {
				t.Errorf("%q: value %q is not verbatim", tt.in, f.value)
			}
		}
		if g := strings.Join(got, ","); g != tt.want {
			t.Errorf("findFigures(%q)\n got %s\nwant %s", tt.in, g, tt.want)
		}
	}
}

func TestFactsEmbedded(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	facts := c.Facts()
	both := "000_c1f63e7485ba089f,002_26eb1baebe2b0c2e"
	want := map[string]struct {
		kind    FactKind
		sources string
	}{
		"$25 billion":               {KindMoney, both},
		"500 million Alexa devices": {KindCount, "002_26eb1baebe2b0c2e"},
		"10,000 people":             {KindCount, "002_26eb1baebe2b0c2e"},
		"2017 to 2021":              {KindPeriod, both},
		"first quarter of 2023":     {KindPeriod, "002_26eb1baebe2b0c2e"},
		"2011":                      {KindDate, "002_26eb1baebe2b0c2e"},
		"2014":                      {KindDate, "002_26eb1baebe2b0c2e"},
		"2019":                      {KindDate, "002_26eb1baebe2b0c2e"},
	}
	seen := map[string]int{}
	for _, f := range facts {
		seen[f.Value]++
		if w, ok := want[f.Value]; ok {
			if f.Kind != w.kind || strings.Join(f.Sources, ",") != w.sources {
				t.Errorf("fact %q: kind %s sources %v, want %s %s", f.Value, f.Kind, f.Sources, w.kind, w.sources)
			}
		}
		if !strings.Contains(f.Text, f.Value) {
			t.Errorf("fact %q: value not in its sentence %q", f.Value, f.Text)
		}
	}
	for v := range want {
		if seen[v] != 1 {
			t.Errorf("fact %q found %d times, want once", v, seen[v])
		}
	}
	if facts[0].Value != "$25 billion" {
		t.Errorf("first fact = %q, want the money figure first", facts[0].Value)
	}
	if got, want := facts[0].Text, "From 2017 to 2021, Amazon lost over $25 billion due to investments in its Echo, Kindle, and other devices, according to internal documents and sources familiar with the situation, as reported by the Wall Street Journal."; got != want {
		t.Errorf("$25 billion sentence = %q, want %q", got, want)
	}
}
