package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/alexa-brief/alexa-brief/briefs"
)

// emptyStoryReply says a story has nothing to brief on yet.
func emptyStoryReply(err error) Reply {
	return Reply{Title: "Nothing to brief on yet", Sections: []Section{{Text: upperFirst(err.Error()) + ". Add articles with `" + commandPrefix + " add <url>` or an operator's `alexa-brief ingest`."}}}
}

func (b *Bot) cmdStories(ctx context.Context, req Request, arg string) (Reply, string, error) {
	if b.lib == nil {
		return Reply{Title: "Stories", Sections: []Section{{Text: "This bot briefs on one fixed set of articles (`--corpus`): it has no stories to choose from."}}}, outcomeOK, nil
	}
	cur, err := b.StoryOf(ctx, req.Scope)
	if err != nil {
		return Reply{}, outcomeError, err
	}
	var items []Item
	for _, s := range b.lib.Stories() {
		line := fmt.Sprintf("`%s` — %s (%s)", s.ID, firstNonEmpty(s.Title, s.ID), plural(s.Articles, "article"))
		if s.ID == cur {
			line += " · this channel"
		}
		items = append(items, Item{Text: line})
	}
	return Reply{
		Title: "Stories",
		Sections: []Section{
			{Items: items},
			{Text: "`" + commandPrefix + " follow <story>` briefs this channel on another story."},
		},
	}, outcomeOK, nil
}

func (b *Bot) cmdFollow(ctx context.Context, req Request, arg string) (Reply, string, error) {
	if b.lib == nil {
		return failure("This bot briefs on one fixed set of articles: there is no other story to follow."), outcomeBadInput, nil
	}
	if b.store == nil {
		return Reply{}, outcomeError, errNoStore
	}
	if !scopeOK(req.Scope) {
		return failure("This conversation can't follow a story."), outcomeBadInput, nil
	}
	id := strings.ToLower(strings.TrimSpace(arg))
	s, ok := b.lib.Story(id)
	if !ok {
		return failure(fmt.Sprintf("There is no story `%s`. %s", shorten(arg, 60), b.storyHint())), outcomeBadInput, nil
	}
	if err := b.store.PutChannelStory(ctx, req.Scope, s.ID); err != nil {
		return Reply{}, outcomeError, fmt.Errorf("bot: follow: %w", err)
	}
	return Reply{Title: "Following " + firstNonEmpty(s.Title, s.ID), Sections: []Section{{Text: fmt.Sprintf("This channel's briefs, answers and digests now come from the story `%s`.", s.ID)}}}, outcomeOK, nil
}

// storyHint names the stories there are.
func (b *Bot) storyHint() string {
	var ids []string
	for _, s := range b.lib.Stories() {
		ids = append(ids, s.ID)
	}
	return "Stories: " + storyList(ids) + "."
}

func (b *Bot) cmdAdd(ctx context.Context, req Request, arg string) (Reply, string, error) {
	if b.lib == nil || b.fetch == nil {
		return failure("This bot cannot add articles (it runs on a fixed corpus or without web access)."), outcomeBadInput, nil
	}
	url, rest := arg, ""
	if strings.HasPrefix(arg, "<") {
		// Slack sends a link as <https://…> or <https://…|label>, and the
		// label may hold spaces.
		if end := strings.IndexByte(arg, '>'); end > 0 {
			url, rest = arg[1:end], arg[end+1:]
			url, _, _ = strings.Cut(url, "|")
		}
	} else {
		url, rest, _ = strings.Cut(arg, " ")
	}
	fields := strings.Fields(rest)
	if len(fields) > 1 {
		return failure("Usage: `" + commandPrefix + " add <url> [story]`: one address, then optionally a story id."), outcomeBadInput, nil
	}
	story := ""
	if len(fields) == 1 {
		story = strings.ToLower(fields[0])
	}
	res, err := b.lib.IngestURL(ctx, b.fetch, url, story, OriginURL)
	if err != nil {
		msg, ok := UserError(err)
		msg = upperFirst(msg)
		if !ok {
			return Reply{}, outcomeError, fmt.Errorf("bot: add %s: %w", url, err)
		}
		if errors.Is(err, ErrUnknownStory) {
			msg += ". " + b.storyHint()
		}
		return Reply{Title: "Nothing was added", Sections: []Section{{Text: msg}}, Failure: true}, outcomeBadInput, nil
	}
	return addReply(res), outcomeOK, nil
}

// addReply says what an add did.
func addReply(res IngestResult) Reply {
	a := res.Article
	title := firstNonEmpty(a.Title, a.ID)
	var text string
	switch res.Status {
	case IngestStored:
		text = "Already stored: " + title + ". Nothing changed."
	case IngestCopy:
		text = fmt.Sprintf("This page is a copy of %s (%s): it is recorded as one more publication carrying it, not a new article.", title, a.ID)
	default:
		text = fmt.Sprintf("Added %s to %s. Briefs, answers and the next digest include it.", title, storyList(res.Stories))
	}
	r := Reply{Title: "Add an article", Sections: []Section{{Text: text}}}
	if a.URL != "" {
		r.Citations = []Citation{{N: 1, ID: a.ID, Title: title, URL: a.URL}}
	}
	return r
}

// InputError is bad input a user gave the stories API (a flag out of
// range, a rule that does not compile): its text is safe to show.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

// UserError is the message of an error a user caused (a bad or refused
// URL, a page that is no article, an unknown story, bad input), and false
// for internal failures, which get a generic reply. Chat and the command
// line both classify with it.
func UserError(err error) (string, bool) {
	var fe *FetchError
	var ue *URLError
	var ie *InputError
	switch {
	case errors.As(err, &fe):
		return fe.Reason, true
	case errors.As(err, &ue):
		return ue.Error(), true
	case errors.As(err, &ie):
		return ie.Error(), true
	case errors.Is(err, ErrUnknownStory), errors.Is(err, ErrEmptyStory), errors.Is(err, briefs.ErrEmpty), errors.Is(err, briefs.ErrNotUTF8):
		return err.Error(), true
	}
	return "", false
}

func (b *Bot) sourcesReply(c *briefs.Corpus) Reply { return StorySourcesReply(c, b.lib) }

// StorySourcesReply is SourcesReply with the publications that carried
// copies of each article, as l knows them (l may be nil).
func StorySourcesReply(c *briefs.Corpus, l *Library) Reply {
	r := SourcesReply(c)
	if l == nil {
		return r
	}
	for i, ct := range r.Citations {
		a, ok := l.Article(ct.ID)
		if !ok {
			continue
		}
		if from := originNames[a.Origin]; from != "" {
			r.Citations[i].Title += " · " + from
		}
		if len(a.Copies) == 0 {
			continue
		}
		var pubs []string
		for _, cp := range a.Copies {
			pubs = append(pubs, firstNonEmpty(cp.Publication, cp.URL))
		}
		r.Citations[i].Title += " · also carried by " + strings.Join(pubs, ", ")
	}
	return r
}

// originNames say where an article came from, in a sources list; the
// embedded corpus goes without saying.
var originNames = map[string]string{OriginFile: "from a file", OriginURL: "from the web", OriginFeed: "from a feed"}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
