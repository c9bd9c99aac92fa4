package facts

import (
	"fmt"
	"strings"
	"testing"
)

func TestFind(t *testing.T) {
	tests := []struct {
		in   string
		want string // kind:text=key, comma separated
	}{
		{"From 2017 to 2021, Globex lost over $25 billion due to investments.",
			"period:2017 to 2021=period:2017/2021,money:$25 billion=money:USD:25000000000"},
		{"Since their debut in 2014, it has sold over 500 million smart kettles.",
			"date:2014=date:2014,count:500 million smart kettles=count:kettl:500000000"},
		{"“We worried we’ve hired 10,000 people and built a timer.”", "count:10,000 people=count:person:10000"},
		{"Revenue rose 3.5% to $25.5bn in Q1 2023, up 12 percent from fiscal 2022.",
			"percent:3.5%=percent:%:3.5,money:$25.5bn=money:USD:25500000000,period:Q1 2023=period:2023-Q1,percent:12 percent=percent:%:12,period:fiscal 2022=period:FY2022"},
		{"Losses for 2017–21 beat the first quarter of 2023 and the 1990s.",
			"period:2017–21=period:2017/2021,period:first quarter of 2023=period:2023-Q1,period:1990s=period:1990s"},
		{"It launched on Sept. 28, 2023 and again on 5 March 2024, after 3 years.",
			"date:Sept. 28, 2023=date:2023-09-28,date:5 March 2024=date:2024-03-05,period:3 years=period:year:3"},
		{"The model showcased in September used 1,000 GPUs and €2 million.",
			"date:September=date:09,count:1,000 GPUs=count:gpus:1000,money:€2 million=money:EUR:2000000"},
		{"The unit lost more than twenty five billion dollars over five years.",
			"money:twenty five billion dollars=money:USD:25000000000"},
		{"It paid 40 million euros and £3m, then A$2.5 billion.",
			"money:40 million euros=money:EUR:40000000,money:£3m=money:GBP:3000000,money:A$2.5 billion=money:AUD:2500000000"},
		{"Support fell 2 percentage points to 41%.", "percent:2 percentage points=percent:pp:2,percent:41%=percent:%:41"},
		{"COVID-19 hit the MP3 market; Q1 was slow.", "period:Q1=period:Q1"},
		{"He scored 3 and then left.", ""},
		{"He turns 6 next Friday at 10:21 a.m. after 25 days at sea.", "period:25 days=period:day:25"},
		{"Police found 53 pit bull dogs and 200 staff watched.", "count:53 pit bull dogs=count:dog:53,count:200 staff=count:staff:200"},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range Find(tt.in) {
			got = append(got, fmt.Sprintf("%s:%s=%s", f.Kind, f.Text, f.Key()))
			if tt.in[f.Start:f.End] != f.Text {
				t.Errorf("%q: text %q is not verbatim", tt.in, f.Text)
			}
		}
		if g := strings.Join(got, ","); g != tt.want {
			t.Errorf("Find(%q)\n got %s\nwant %s", tt.in, g, tt.want)
		}
	}
}

// The same figure however written has one key; different amounts or kinds
// do not.
func TestKeyEquality(t *testing.T) {
	key := func(s string) string {
		fs := Find(s)
		if len(fs) != 1 {
			t.Fatalf("Find(%q) = %d figures, want 1", s, len(fs))
		}
		return fs[0].Key()
	}
	same := [][]string{
		{"It lost $25 billion.", "It lost 25 billion dollars.", "It lost $25bn.", "It lost $25,000 million.", "It lost twenty-five billion dollars."},
		{"Shares rose 40%.", "Shares rose 40 percent.", "Shares rose 40 per cent."},
		{"Sales in 2017–2021.", "Sales from 2017 to 2021.", "Sales 2017-21."},
		{"Results for Q1 2023.", "Results for the first quarter of 2023."},
	}
	for _, group := range same {
		want := key(group[0])
		for _, s := range group[1:] {
			if got := key(s); got != want {
				t.Errorf("key(%q) = %s, want %s as for %q", s, got, want, group[0])
			}
		}
	}
	differ := [][2]string{
		{"It lost $25 billion.", "It lost $25 million."},
		{"It lost $25 billion.", "It lost €25 billion."},
		{"It hired 500 engineers.", "It sold 500 phones."},
	}
	for _, p := range differ {
		if key(p[0]) == key(p[1]) {
			t.Errorf("%q and %q share key %s", p[0], p[1], key(p[0]))
		}
	}
}

func TestComparableAndRelated(t *testing.T) {
	first := func(s string) Figure { return Find(s)[0] }
	tests := []struct {
		a, b                string
		comparable, related bool
	}{
		{"The council approved a $412 million contract for the bridge.", "The bridge contract has grown to $430 million.", true, true},
		{"The council approved a $412 million contract.", "The mayor earns $430,000 a year.", true, false},
		{"It hired 412 engineers.", "It hired 430 engineers.", true, true},
		{"It hired 412 engineers.", "The council approved a $412 million contract.", false, false},
		{"Turnout was 41% this year.", "Turnout was 38% last year.", true, true},
	}
	for _, tt := range tests {
		a, b := first(tt.a), first(tt.b)
		if got := a.Comparable(b); got != tt.comparable {
			t.Errorf("Comparable(%q, %q) = %v, want %v", a.Text, b.Text, got, tt.comparable)
		}
		if got := a.Related(b); got != tt.related {
			t.Errorf("Related(%q, %q) = %v, want %v (about %v / %v)", a.Text, b.Text, got, tt.related, a.About, b.About)
		}
	}
}

func TestCollect(t *testing.T) {
	sents := []string{
		"Turnout was 41% and the city spent $3 million.",
		"The city spent 3 million dollars on the vote in 2024.",
		"Officials counted 2,000 ballots.",
	}
	doc := []int{0, 1, 1}
	var got []string
	for _, f := range Collect(FindAll(sents), doc) {
		got = append(got, fmt.Sprintf("%s %v s%d", f.Figure.Text, f.Docs, f.Sentence))
	}
	want := "$3 million [0 1] s0|41% [0] s0|2,000 ballots [1] s2|2024 [1] s1"
	if g := strings.Join(got, "|"); g != want {
		t.Errorf("Collect\n got %s\nwant %s", g, want)
	}
}
