package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/web"
	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// openLibrary builds the stories the bot answers from: the articles of dir
// (or the embedded corpus when dir is empty) as the default story, and the
// stories and articles stored in st (which may be nil). With dir, the
// stored articles join the folder's and stories are bypassed (SPEC.md).
func openLibrary(ctx context.Context, e *env, dir string, st bot.Store, log *slog.Logger) (*bot.Library, error) {
	base, err := baseArticles(dir)
	if err != nil {
		return nil, err
	}
	cfg := bot.LibraryConfig{Base: base, BaseOrigin: bot.OriginEmbedded, Logger: log}
	if dir != "" {
		cfg.BaseOrigin = bot.OriginFile
		cfg.Flat = true // a corpus folder bypasses stories; ingested articles still join it
	}
	if st != nil {
		cfg.Store = st
	}
	lib, err := bot.NewLibrary(ctx, cfg)
	if err != nil {
		if cfg.Store == nil || errors.Is(err, briefs.ErrEmpty) {
			return nil, usagef("corpus: %v", err)
		}
		return nil, err
	}
	return lib, nil
}

// newFetcher is the web client of ingest, add and feeds, with the limits
// of SPEC.md.
func newFetcher(cfg Config) *web.Client {
	return web.New(web.Options{AllowPrivate: cfg.AllowPrivateURLs})
}

// readLibrary is the library of the one-shot commands (brief, quotes,
// facts, sources, ask, stories list, articles list). Reading must not
// create a database, so a SQLite file is opened only when it already
// exists. The store is closed on return: the library keeps what it read.
func readLibrary(ctx context.Context, e *env, dir string) (*bot.Library, error) {
	var st bot.Store
	{
		exists := true
		if p, isFile := sqlitePath(e.cfg.DatabaseURL); isFile {
			_, err := os.Stat(p)
			exists = err == nil
		}
		if exists {
			var err error
			if st, err = openStore(ctx, e); err != nil {
				return nil, err
			}
			defer st.Close()
		}
	}
	return openLibrary(ctx, e, dir, st, nil)
}

// readCorpus is the corpus of a story for the one-shot commands.
func readCorpus(ctx context.Context, e *env, dir, story string) (*briefs.Corpus, *bot.Library, error) {
	if dir != "" && story != "" && story != bot.DefaultStory {
		return nil, nil, usagef("--story %s: a --corpus folder is one story of its own; leave out one of the two", story)
	}
	lib, err := readLibrary(ctx, e, dir)
	if err != nil {
		return nil, nil, err
	}
	c, err := storyCorpus(ctx, lib, story)
	return c, lib, err
}

// storyCorpus is lib's corpus of story, with a usage error naming the
// stories there are when it does not exist or is empty.
func storyCorpus(ctx context.Context, lib *bot.Library, story string) (*briefs.Corpus, error) {
	c, err := lib.Corpus(ctx, story)
	switch {
	case errors.Is(err, bot.ErrUnknownStory):
		return nil, usagef("%v (stories: %s; add one with alexa-brief stories add ID --title T)", err, storyIDs(lib))
	case errors.Is(err, bot.ErrEmptyStory):
		return nil, usagef("%v (add articles with alexa-brief ingest PATH|URL --story %s)", err, story)
	}
	return c, err
}

func storyIDs(lib *bot.Library) string {
	var ids []string
	for _, s := range lib.Stories() {
		ids = append(ids, s.ID)
	}
	return strings.Join(ids, ", ")
}

// replicaID names this process in store claims: host, pid and a start
// stamp, so a restarted process is a new owner.
func replicaID() string {
	return fmt.Sprintf("%s-%d-%d", hostname(), os.Getpid(), time.Now().UnixNano()%1e6)
}

// sourceJSON is one entry of `sources --json` (SPEC.md).
type sourceJSON struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	URL         string     `json:"url"`
	Published   string     `json:"published"`
	Publication string     `json:"publication"`
	Origin      string     `json:"origin"`
	Copies      []copyJSON `json:"copies"`
}

type copyJSON struct {
	URL         string `json:"url"`
	Publication string `json:"publication"`
}

// sourcesJSON lists c's articles as `sources --json` shows them, with what
// lib knows of where they came from.
func sourcesJSON(c *briefs.Corpus, lib *bot.Library) []sourceJSON {
	out := []sourceJSON{}
	for _, a := range c.Articles() {
		sj := sourceJSON{ID: a.ID, Title: a.Title, URL: a.URL, Published: a.Published, Publication: a.Source, Origin: bot.OriginFile, Copies: []copyJSON{}}
		if sa, ok := lib.Article(a.ID); ok {
			sj.Origin = sa.Origin
			for _, cp := range sa.Copies {
				sj.Copies = append(sj.Copies, copyJSON{URL: cp.URL, Publication: cp.Publication})
			}
		}
		out = append(out, sj)
	}
	return out
}

// describe is an article's line in `articles list`.
func describe(a bot.StoredArticle) string {
	line := fmt.Sprintf("%s  %s", a.ID, a.Title)
	if a.URL != "" {
		line += "  " + a.URL
	}
	return line + "  [" + strings.Join(a.Stories, ", ") + "]"
}

// runLive starts, until ctx is done, what keeps a running bot current: the
// library's refresh from the store, and the feed poller (not with a
// --corpus folder, which has no stories). wg counts the goroutines.
func runLive(ctx context.Context, wg *sync.WaitGroup, cfg Config, st bot.Store, lib *bot.Library, fetch bot.Fetcher, log *slog.Logger) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		lib.Watch(ctx, cfg.Refresh)
	}()
	if !lib.HasStore() {
		return // a --corpus folder: no stories, no feeds
	}
	p := bot.NewFeedPoller(bot.FeedPollerConfig{
		Library: lib, Fetcher: fetch, Store: st, Interval: cfg.FeedInterval,
		Owner: replicaID(), Logger: log,
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		_ = p.Run(ctx) // ends with ctx
	}()
}
