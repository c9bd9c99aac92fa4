package text

import (
	"strings"
	"testing"
)

func TestQuotationsSingle(t *testing.T) {
	tests := []struct {
		sentence string
		want     []string // texts inside the marks, in order
	}{
		{"‘It is a disgrace,’ said resident Mary O’Neill, who lives by the quay.", []string{"It is a disgrace,"}},
		{"‘We’ve waited,’ she said.", []string{"We’ve waited,"}},
		{"‘It’s the workers’ money,’ said Tam Roe.", []string{"It’s the workers’ money,"}},
		{"He called it the ‘final’ estimate.", []string{"final"}},
		{"“The ‘final’ estimate was final,” he said.", []string{"The ‘final’ estimate was final,"}}, // nested: one quote
		{"The workers’ union met at O’Brien’s pub.", nil},                                           // apostrophes only
		{"‘Unclosed and going on with O’Neill", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, q := range Quotations(tt.sentence, true) {
			got = append(got, q.Inner(tt.sentence))
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Quotations(%q) = %q, want %q", tt.sentence, got, tt.want)
		}
	}
}
