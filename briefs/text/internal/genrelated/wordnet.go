package main

import (
	"bufio"
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// The parts of speech, as WordNet's file names and pointers spell them.
// Adjective satellites ('s') live in the adjective files.
var partsOfSpeech = []struct {
	tag  byte
	file string
}{{'n', "noun"}, {'v', "verb"}, {'a', "adj"}, {'r', "adv"}}

// wordnet is the part of the WordNet database the table is made from.
type wordnet struct {
	synsets map[synsetID]*synset
	// senses lists a lemma's synsets in WordNet's sense order, the most
	// frequent in the sense-tagged corpora first.
	senses map[lemmaPOS][]synsetID
	// counts is the tag count of a lemma's n-th sense (cntlist.rev).
	counts map[senseRank]int
	// exceptions are the irregular inflections (*.exc), inflected form first.
	exceptions []exception
	// verbExceptions maps an irregular verb form to its lemmas.
	verbExceptions map[string][]string
	// terms lists the lemmas of each normalised term, as the engine sees
	// words: "privates" and "private" are one term.
	terms map[string][]lemmaPOS
}

type synsetID struct {
	pos    byte
	offset uint32
}

type lemmaPOS struct {
	lemma string
	pos   byte
}

type senseRank struct {
	lemmaPOS
	rank int
}

type synset struct {
	id    synsetID
	words []word
	ptrs  []pointer
	gloss string
}

type word struct {
	lemma  string // lower case, with WordNet's underscores
	proper bool   // written with a capital: a name, not a word
}

// pointer is a relation to another synset; src and tgt number the words of
// a lexical pointer (from 1), and are 0 for one between whole synsets.
type pointer struct {
	sym      string
	to       synsetID
	src, tgt int
}

type exception struct {
	form, lemma string
	pos         byte
}

// load reads the data, index, exception and sense-count files of dir.
func load(dir string) (*wordnet, error) {
	wn := &wordnet{
		synsets: map[synsetID]*synset{},
		senses:  map[lemmaPOS][]synsetID{},
		counts:  map[senseRank]int{},
	}
	for _, p := range partsOfSpeech {
		if err := eachLine(filepath.Join(dir, "data."+p.file), func(line string) error {
			s, err := parseSynset(line)
			if err != nil {
				return err
			}
			wn.synsets[s.id] = s
			return nil
		}); err != nil {
			return nil, err
		}
		if err := eachLine(filepath.Join(dir, "index."+p.file), func(line string) error {
			return wn.parseIndex(line, p.tag)
		}); err != nil {
			return nil, err
		}
		if err := eachLine(filepath.Join(dir, p.file+".exc"), func(line string) error {
			f := strings.Fields(line)
			for _, l := range f[1:] {
				wn.exceptions = append(wn.exceptions, exception{form: f[0], lemma: l, pos: p.tag})
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	if err := eachLine(filepath.Join(dir, "cntlist.rev"), wn.parseCount); err != nil {
		return nil, err
	}
	wn.index()
	return wn, nil
}

// index derives the look-ups the rules use from what the files hold.
func (wn *wordnet) index() {
	wn.verbExceptions = map[string][]string{}
	for _, e := range wn.exceptions {
		if e.pos == 'v' {
			wn.verbExceptions[e.form] = append(wn.verbExceptions[e.form], e.lemma)
		}
	}
	wn.terms = map[string][]lemmaPOS{}
	for k := range wn.senses {
		n := text.Norm(k.lemma)
		wn.terms[n] = append(wn.terms[n], k)
	}
}

// eachLine calls fn on every line of the file but the licence header, whose
// lines start with a space.
func eachLine(path string, fn func(string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("wordnet: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "" || line[0] == ' ' {
			continue
		}
		if err := fn(line); err != nil {
			return fmt.Errorf("wordnet: %s:%d: %w", filepath.Base(path), n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("wordnet: read %s: %w", path, err)
	}
	return nil
}

// parseSynset reads a data-file line (wndb(5)):
// offset lex_filenum ss_type w_cnt word lex_id ... p_cnt ptr... [frames] | gloss
func parseSynset(line string) (*synset, error) {
	head, gloss, _ := strings.Cut(line, " | ")
	f := strings.Fields(head)
	if len(f) < 4 {
		return nil, fmt.Errorf("short synset line")
	}
	off, err := strconv.ParseUint(f[0], 10, 32)
	if err != nil {
		return nil, fmt.Errorf("offset: %w", err)
	}
	s := &synset{id: synsetID{pos: filePOS(f[2][0]), offset: uint32(off)}, gloss: strings.TrimSpace(gloss)}
	nw, err := strconv.ParseUint(f[3], 16, 8)
	if err != nil {
		return nil, fmt.Errorf("word count: %w", err)
	}
	i := 4
	for k := 0; k < int(nw) && i+1 < len(f); k++ {
		w := f[i]
		if j := strings.IndexByte(w, '('); j > 0 { // adjective markers: "(a)", "(p)", "(ip)"
			w = w[:j]
		}
		lower := strings.ToLower(w)
		s.words = append(s.words, word{lemma: lower, proper: lower != w})
		i += 2
	}
	if i >= len(f) {
		return nil, fmt.Errorf("no pointer count")
	}
	np, err := strconv.Atoi(f[i])
	if err != nil {
		return nil, fmt.Errorf("pointer count: %w", err)
	}
	i++
	for k := 0; k < np && i+3 < len(f); k++ {
		to, err := strconv.ParseUint(f[i+1], 10, 32)
		if err != nil {
			return nil, fmt.Errorf("pointer offset: %w", err)
		}
		st, err := strconv.ParseUint(f[i+3], 16, 16)
		if err != nil {
			return nil, fmt.Errorf("pointer words: %w", err)
		}
		s.ptrs = append(s.ptrs, pointer{
			sym: f[i], to: synsetID{pos: filePOS(f[i+2][0]), offset: uint32(to)},
			src: int(st >> 8), tgt: int(st & 0xff),
		})
		i += 4
	}
	return s, nil
}

// filePOS maps a satellite to the adjectives, whose file holds it.
func filePOS(p byte) byte {
	if p == 's' {
		return 'a'
	}
	return p
}

// parseIndex reads an index-file line:
// lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
func (wn *wordnet) parseIndex(line string, pos byte) error {
	f := strings.Fields(line)
	if len(f) < 4 {
		return fmt.Errorf("short index line")
	}
	np, err := strconv.Atoi(f[3])
	if err != nil {
		return fmt.Errorf("pointer count: %w", err)
	}
	i := 4 + np + 2
	if i > len(f) {
		return fmt.Errorf("short index line")
	}
	key := lemmaPOS{lemma: f[0], pos: pos}
	for _, o := range f[i:] {
		off, err := strconv.ParseUint(o, 10, 32)
		if err != nil {
			return fmt.Errorf("offset: %w", err)
		}
		wn.senses[key] = append(wn.senses[key], synsetID{pos: pos, offset: uint32(off)})
	}
	return nil
}

// parseCount reads a cntlist.rev line: sense_key sense_number tag_cnt, where
// the sense key is lemma%ss_type:lex_filenum:lex_id:head_word:head_id.
func (wn *wordnet) parseCount(line string) error {
	f := strings.Fields(line)
	if len(f) != 3 {
		return fmt.Errorf("want 3 fields")
	}
	lemma, rest, ok := strings.Cut(f[0], "%")
	if !ok || rest == "" {
		return fmt.Errorf("bad sense key %q", f[0])
	}
	pos, ok := map[byte]byte{'1': 'n', '2': 'v', '3': 'a', '4': 'r', '5': 'a'}[rest[0]]
	if !ok {
		return fmt.Errorf("bad sense type in %q", f[0])
	}
	rank, err := strconv.Atoi(f[1])
	if err != nil {
		return fmt.Errorf("sense number: %w", err)
	}
	cnt, err := strconv.Atoi(f[2])
	if err != nil {
		return fmt.Errorf("tag count: %w", err)
	}
	wn.counts[senseRank{lemmaPOS{strings.ToLower(lemma), pos}, rank}] += cnt
	return nil
}

// sorted returns the synsets in file order, so the table is built the
// same way every run.
func (wn *wordnet) sorted() []*synset {
	out := make([]*synset, 0, len(wn.synsets))
	for _, s := range wn.synsets {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *synset) int {
		return cmp.Or(cmp.Compare(a.id.pos, b.id.pos), cmp.Compare(a.id.offset, b.id.offset))
	})
	return out
}

// rank returns the sense number of lemma in synset id (from 1), or 0.
func (wn *wordnet) rank(lemma string, id synsetID) int {
	for i, s := range wn.senses[lemmaPOS{lemma, id.pos}] {
		if s == id {
			return i + 1
		}
	}
	return 0
}
