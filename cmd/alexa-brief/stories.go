package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// Usage of the story, article and feed subcommands.
const (
	usageStories = `usage: alexa-brief stories add ID --title T [--match REGEX]
       alexa-brief stories list [--json]
       alexa-brief stories remove ID
`
	usageArticles = `usage: alexa-brief articles list [--json] [--story ID]
       alexa-brief articles remove ID
`
	usageFeeds = `usage: alexa-brief feeds add URL [--story ID] [--match REGEX] [--backfill N]
       alexa-brief feeds list [--json]
       alexa-brief feeds remove ID|URL
`
)

// parseMixed parses fs from args where flags and positional arguments mix
// ("stories add bridge --title Bridge"), returning the positional ones.
func parseMixed(e *env, fs *flag.FlagSet, args []string, usage string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(e.stdout, usage)
				return nil, errHelp
			}
			return nil, usagef("%s: %v\n%s", fs.Name(), err, usage)
		}
		args = fs.Args()
		if len(args) == 0 {
			return rest, nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}

// action splits "stories add …" into the action and its arguments.
func action(e *env, name string, args []string, usage string, actions ...string) (string, []string, error) {
	if len(args) == 0 {
		return "", nil, usagef("%s: say %s\n%s", name, strings.Join(actions, ", "), usage)
	}
	a := args[0]
	switch a {
	case "ls":
		a = "list"
	case "rm", "delete":
		a = "remove"
	case "help", "-h", "--help", "-help":
		fmt.Fprint(e.stdout, usage)
		return "", nil, errHelp
	}
	for _, x := range actions {
		if a == x {
			return a, args[1:], nil
		}
	}
	return "", nil, usagef("%s: unknown action %q (%s)\n%s", name, args[0], strings.Join(actions, ", "), usage)
}

// withLibrary opens the store and the library over it for a subcommand
// that changes them.
func withLibrary(ctx context.Context, e *env, fn func(st bot.Store, lib *bot.Library) error) error {
	st, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	lib, err := openLibrary(ctx, e, e.cfg.CorpusDir, st, nil)
	if err != nil {
		return err
	}
	return fn(st, lib)
}

// userFacing turns an error a user caused into a usage error (exit 2) with
// its safe message.
func userFacing(err error) error {
	var fe *bot.FetchError
	switch {
	case errors.As(err, &fe):
		return usagef("%s: %s", fe.URL, fe.Reason)
	case errors.Is(err, bot.ErrNotFound):
		return usagef("%v", err)
	}
	if _, ok := bot.UserError(err); ok {
		return usagef("%v", err)
	}
	return err
}

// errNoStories refuses stories and feeds with a corpus folder.
var errNoStories = usageError{"stories and feeds are not used with ALEXA_BRIEF_CORPUS (a corpus folder is one fixed story); unset it"}

func cmdStories(ctx context.Context, e *env, args []string) error {
	act, args, err := action(e, "stories", args, usageStories, "add", "list", "remove")
	if err != nil {
		return helpOK(err)
	}
	if e.cfg.CorpusDir != "" && act != "list" {
		return errNoStories
	}
	fs := flag.NewFlagSet("stories "+act, flag.ContinueOnError)
	title := fs.String("title", "", "the story's title")
	match := fs.String("match", "", "regular expression (case-insensitive) an article's title or text must match to join")
	asJSON := fs.Bool("json", false, `print [{"id","title","match","articles"}]`)
	rest, err := parseMixed(e, fs, args, usageStories)
	if err != nil {
		return helpOK(err)
	}
	switch act {
	case "list":
		if len(rest) > 0 {
			return usagef("stories list: unexpected argument %q\n%s", rest[0], usageStories)
		}
		lib, err := readLibrary(ctx, e, e.cfg.CorpusDir)
		if err != nil {
			return err
		}
		if *asJSON {
			type storyJSON struct {
				ID       string `json:"id"`
				Title    string `json:"title"`
				Match    string `json:"match"`
				Articles int    `json:"articles"`
			}
			out := []storyJSON{}
			for _, s := range lib.Stories() {
				out = append(out, storyJSON{s.ID, s.Title, s.Match, s.Articles})
			}
			return printJSON(e.stdout, out, true)
		}
		for _, s := range lib.Stories() {
			line := fmt.Sprintf("%s\t%s\t%d articles", s.ID, s.Title, s.Articles)
			if s.Match != "" {
				line += "\tmatch " + s.Match
			}
			fmt.Fprintln(e.stdout, line)
		}
		return nil
	case "add":
		if len(rest) != 1 {
			return usagef("stories add: name one story id\n%s", usageStories)
		}
		id := rest[0]
		if err := bot.CheckStoryID(id); err != nil {
			return usagef("stories add: %v", err)
		}
		if strings.TrimSpace(*title) == "" {
			return usagef("stories add %s: --title is required (what the story is about, shown in `stories`)", id)
		}
		return withLibrary(ctx, e, func(st bot.Store, lib *bot.Library) error {
			s, linked, err := lib.AddStory(ctx, bot.Story{ID: id, Title: strings.TrimSpace(*title), Match: *match})
			if err != nil {
				return userFacing(fmt.Errorf("stories add: %w", err))
			}
			fmt.Fprintf(e.stdout, "story %s: %s (%d stored articles matched)\n", s.ID, s.Title, linked)
			return nil
		})
	default: // remove
		if len(rest) != 1 {
			return usagef("stories remove: name one story id\n%s", usageStories)
		}
		return withLibrary(ctx, e, func(st bot.Store, lib *bot.Library) error {
			ok, err := lib.RemoveStory(ctx, rest[0])
			if err != nil {
				return usagef("stories remove: %v", err)
			}
			if !ok {
				return usagef("stories remove: no story %q (stories: %s)", rest[0], storyIDs(lib))
			}
			fmt.Fprintf(e.stdout, "removed story %s (its articles stay stored)\n", rest[0])
			return nil
		})
	}
}

func cmdArticles(ctx context.Context, e *env, args []string) error {
	act, args, err := action(e, "articles", args, usageArticles, "list", "remove")
	if err != nil {
		return helpOK(err)
	}
	fs := flag.NewFlagSet("articles "+act, flag.ContinueOnError)
	asJSON := fs.Bool("json", false, `print [{"id","title","url","stories":[id]}]`)
	story := fs.String("story", "", "only this story's articles")
	rest, err := parseMixed(e, fs, args, usageArticles)
	if err != nil {
		return helpOK(err)
	}
	if act == "list" {
		if len(rest) > 0 {
			return usagef("articles list: unexpected argument %q\n%s", rest[0], usageArticles)
		}
		lib, err := readLibrary(ctx, e, e.cfg.CorpusDir)
		if err != nil {
			return err
		}
		if *story != "" {
			if _, ok := lib.Story(*story); !ok {
				return usagef("articles list: %v: %q (stories: %s)", bot.ErrUnknownStory, *story, storyIDs(lib))
			}
		}
		type articleJSON struct {
			ID      string   `json:"id"`
			Title   string   `json:"title"`
			URL     string   `json:"url"`
			Stories []string `json:"stories"`
		}
		out := []articleJSON{}
		for _, a := range lib.Articles(*story) {
			if lib.IsBase(a.ID) {
				continue // the embedded corpus is not stored
			}
			out = append(out, articleJSON{a.ID, a.Title, a.URL, nonNil(a.Stories)})
			if !*asJSON {
				fmt.Fprintln(e.stdout, describe(a))
			}
		}
		if *asJSON {
			return printJSON(e.stdout, out, true)
		}
		return nil
	}
	if len(rest) != 1 {
		return usagef("articles remove: name one article id\n%s", usageArticles)
	}
	return withLibrary(ctx, e, func(st bot.Store, lib *bot.Library) error {
		ok, err := lib.RemoveArticle(ctx, rest[0])
		if err != nil {
			return usagef("articles remove: %v", err)
		}
		if !ok {
			return usagef("articles remove: no stored article %q (see alexa-brief articles list)", rest[0])
		}
		fmt.Fprintf(e.stdout, "removed %s\n", rest[0])
		return nil
	})
}

func cmdFeeds(ctx context.Context, e *env, args []string) error {
	act, args, err := action(e, "feeds", args, usageFeeds, "add", "list", "remove")
	if err != nil {
		return helpOK(err)
	}
	if e.cfg.CorpusDir != "" {
		return errNoStories
	}
	fs := flag.NewFlagSet("feeds "+act, flag.ContinueOnError)
	story := fs.String("story", "", "the story the feed's items join (default: the stories whose rules match, else default)")
	match := fs.String("match", "", "regular expression (case-insensitive) an item's title or text must match")
	backfill := fs.Int("backfill", 0, "ingest the newest N items present now (the rest of the backlog is skipped)")
	asJSON := fs.Bool("json", false, "print JSON")
	rest, err := parseMixed(e, fs, args, usageFeeds)
	if err != nil {
		return helpOK(err)
	}
	return withLibrary(ctx, e, func(st bot.Store, lib *bot.Library) error {
		switch act {
		case "list":
			feeds, err := st.Feeds(ctx)
			if err != nil {
				return fmt.Errorf("feeds list: %w", err)
			}
			if *asJSON {
				return printJSON(e.stdout, nonNil(feeds), true)
			}
			for _, f := range feeds {
				line := fmt.Sprintf("%d\t%s\tstory %s", f.ID, f.URL, or(f.Story, "(by rule)"))
				if f.Match != "" {
					line += "\tmatch " + f.Match
				}
				if f.Failures > 0 {
					line += fmt.Sprintf("\t%d failures: %s", f.Failures, f.LastError)
				}
				fmt.Fprintln(e.stdout, line)
			}
			return nil
		case "add":
			if len(rest) != 1 {
				return usagef("feeds add: name one feed URL\n%s", usageFeeds)
			}
			p := bot.NewFeedPoller(bot.FeedPollerConfig{Library: lib, Fetcher: newFetcher(e.cfg), Store: st, Interval: e.cfg.FeedInterval, Owner: replicaID()})
			f, rep, err := p.Add(ctx, rest[0], strings.ToLower(*story), *match, *backfill)
			var ie *bot.InputError
			if errors.As(err, &ie) {
				return usagef("feeds add: %v\n%s", ie, usageFeeds)
			}
			if err != nil {
				return userFacing(fmt.Errorf("feeds add: %w", err))
			}
			fmt.Fprintf(e.stdout, "feed %d: %s (%d items now; %d ingested)\n", f.ID, f.URL, rep.Items, len(rep.Results))
			for _, r := range rep.Results {
				fmt.Fprintln(e.stdout, r.String())
			}
			for k, err := range rep.Failed {
				fmt.Fprintf(e.stdout, "not stored %s: %v\n", k, err)
			}
			return nil
		default: // remove
			if len(rest) != 1 {
				return usagef("feeds remove: name one feed id or URL\n%s", usageFeeds)
			}
			id, err := feedID(ctx, st, rest[0])
			if err != nil {
				return err
			}
			ok, err := st.DeleteFeed(ctx, id)
			if err != nil {
				return fmt.Errorf("feeds remove: %w", err)
			}
			if !ok {
				return usagef("feeds remove: no feed %s (see alexa-brief feeds list)", rest[0])
			}
			fmt.Fprintf(e.stdout, "removed feed %s (its articles stay stored)\n", rest[0])
			return nil
		}
	})
}

// feedID finds a feed by id or URL.
func feedID(ctx context.Context, st bot.Store, arg string) (int64, error) {
	if id, err := strconv.ParseInt(arg, 10, 64); err == nil {
		return id, nil
	}
	u, err := bot.NormalizeURL(arg)
	if err != nil {
		return 0, usagef("feeds remove: %v", err)
	}
	feeds, err := st.Feeds(ctx)
	if err != nil {
		return 0, fmt.Errorf("feeds remove: %w", err)
	}
	for _, f := range feeds {
		if f.URL == u {
			return f.ID, nil
		}
	}
	return 0, usagef("feeds remove: no feed at %s (see alexa-brief feeds list)", arg)
}

// isURL reports an argument that names a web address rather than a file.
func isURL(s string) bool { return strings.Contains(s, "://") }

// articleFiles reads the articles a path names: a .txt/.md file, or every
// such file under a folder.
func articleFiles(path string) ([]briefs.Article, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, usagef("ingest: %v (name an existing .txt or .md article, a folder of them, or an http(s) URL)", err)
	}
	if st.IsDir() {
		arts, err := briefs.LoadDir(path)
		if err != nil {
			return nil, usagef("ingest: %v", err)
		}
		return arts, nil
	}
	ext := strings.ToLower(filepath.Ext(path))
	if ext != ".txt" && ext != ".md" {
		return nil, usagef("ingest: %s is not a .txt or .md file (articles are text or Markdown, with optional front matter)", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("ingest: %v", err)
	}
	a, err := briefs.ParseArticle(strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), data)
	if err != nil {
		return nil, usagef("ingest: %s: %v", path, err)
	}
	return []briefs.Article{a}, nil
}

func cmdIngest(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	story := fs.String("story", "", "the story the articles join (default: the stories whose rules match, else default)")
	rest, err := parseMixed(e, fs, args, "usage: "+usageIngest+"\nAdds article files, folders (.txt, .md) or web pages to the stored corpus.\n")
	if err != nil {
		return helpOK(err)
	}
	*story = strings.ToLower(*story)
	if len(rest) == 0 {
		return usagef("ingest: name at least one article file, folder or URL\nusage: %s", usageIngest)
	}
	return withLibrary(ctx, e, func(st bot.Store, lib *bot.Library) error {
		if *story != "" {
			if _, ok := lib.Story(*story); !ok {
				return usagef("ingest: %v: %q (stories: %s)", bot.ErrUnknownStory, *story, storyIDs(lib))
			}
		}
		// Read, fetch and check everything before storing anything: a bad
		// file or page leaves the stored corpus as it was.
		var arts []bot.StoredArticle
		var already []bot.IngestResult
		fetch := newFetcher(e.cfg)
		for _, p := range rest {
			if isURL(p) {
				a, known, err := lib.FetchArticle(ctx, fetch, p, bot.OriginURL)
				if err != nil {
					return userFacing(fmt.Errorf("ingest: %w", err))
				}
				if known != "" {
					already = append(already, bot.IngestResult{Status: known, Article: a})
					continue
				}
				if _, err := briefs.New([]briefs.Article{a.Article}); err != nil {
					return usagef("ingest: %s: %v", p, err)
				}
				arts = append(arts, a)
				continue
			}
			got, err := articleFiles(p)
			if err != nil {
				return err
			}
			for _, a := range got {
				if _, err := briefs.New([]briefs.Article{a}); err != nil {
					return usagef("ingest: %s: %v", p, err)
				}
				arts = append(arts, bot.StoredArticle{Article: a, Origin: bot.OriginFile})
			}
		}
		added, kept := 0, len(already)
		for _, r := range already {
			fmt.Fprintln(e.stdout, r.String())
		}
		for _, a := range arts {
			res, err := lib.Ingest(ctx, a, *story)
			if err != nil {
				return userFacing(fmt.Errorf("ingest: %s: %w", a.ID, err))
			}
			fmt.Fprintln(e.stdout, res.String())
			if res.Status == bot.IngestAdded {
				added++
			} else {
				kept++
			}
		}
		fmt.Fprintf(e.stdout, "%d added, %d skipped\n", added, kept)
		return nil
	})
}
