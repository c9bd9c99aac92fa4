package eval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// Story is one CNN/DailyMail story with its human highlights.
type Story struct {
	ID         string   `json:"id"`
	Paragraphs []string `json:"article_paragraphs"`
	Highlights []string `json:"highlights"`
}

// LoadStories reads cnndm/dev.jsonl: one JSON story per line.
func LoadStories(path string) ([]Story, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval: stories: %w", err)
	}
	defer f.Close()
	var out []Story
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var s Story
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			return nil, fmt.Errorf("eval: stories: line %d: %w", n, err)
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("eval: stories: %w", err)
	}
	return out, nil
}

// QAItem is one WikiQA question with its candidate sentences.
type QAItem struct {
	ID, Question, Title string
	Sentences           []string
	Labels              []bool // Labels[i]: Sentences[i] answers the question
}

// HasAnswer reports whether any candidate answers the question.
func (q QAItem) HasAnswer() bool {
	for _, l := range q.Labels {
		if l {
			return true
		}
	}
	return false
}

// LoadWikiQA reads a WikiQA .tsv file (header, then QuestionID, Question,
// DocumentID, DocumentTitle, SentenceID, Sentence, Label), grouping rows by
// question in file order.
func LoadWikiQA(path string) ([]QAItem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval: wikiqa: %w", err)
	}
	defer f.Close()
	var out []QAItem
	idx := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		if n == 1 {
			continue // header
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 7 {
			return nil, fmt.Errorf("eval: wikiqa: line %d: %d columns, want 7", n, len(cols))
		}
		i, ok := idx[cols[0]]
		if !ok {
			i = len(out)
			idx[cols[0]] = i
			out = append(out, QAItem{ID: cols[0], Question: cols[1], Title: cols[3]})
		}
		out[i].Sentences = append(out[i].Sentences, cols[5])
		out[i].Labels = append(out[i].Labels, cols[6] == "1")
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("eval: wikiqa: %w", err)
	}
	return out, nil
}

// SquadQuestion is one SQuAD 2.0 question with its context paragraph.
type SquadQuestion struct {
	Context, Question string
	Impossible        bool
	Answers           []string
}

// LoadSquad reads a SQuAD 2.0 JSON file.
func LoadSquad(path string) ([]SquadQuestion, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("eval: squad: %w", err)
	}
	var doc struct {
		Data []struct {
			Paragraphs []struct {
				Context string `json:"context"`
				QAs     []struct {
					Question   string `json:"question"`
					Impossible bool   `json:"is_impossible"`
					Answers    []struct {
						Text string `json:"text"`
					} `json:"answers"`
				} `json:"qas"`
			} `json:"paragraphs"`
		} `json:"data"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("eval: squad: %w", err)
	}
	var out []SquadQuestion
	for _, d := range doc.Data {
		for _, p := range d.Paragraphs {
			for _, q := range p.QAs {
				sq := SquadQuestion{Context: p.Context, Question: q.Question, Impossible: q.Impossible}
				for _, a := range q.Answers {
					sq.Answers = append(sq.Answers, a.Text)
				}
				out = append(out, sq)
			}
		}
	}
	return out, nil
}
