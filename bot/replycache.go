package bot

import (
	"strconv"
	"sync"
	"sync/atomic"
	"weak"

	"github.com/alexa-brief/alexa-brief/briefs"
)

// The brief, the quotes and the facts are functions of a story's corpus
// alone: every channel following the story gets the same reply until the
// story changes, and a change (a new article, a removal) is a new
// *briefs.Corpus. So they are built once per (command, corpus) and handed
// out again, each with a Key that adapters may cache their rendering
// under. A reply that depends on anything else (the sources list, which
// shows what the library knows of copies; answers; schedules) is never
// cached here.

// replyCacheSize bounds the entries; past it the entries of corpora that
// are gone are dropped, and if that is not enough, all.
const replyCacheSize = 64

type replyCacheKey struct {
	command string
	// weak: a cached reply must not keep an old corpus (possibly
	// thousands of articles) alive; a collected one never matches again.
	corpus weak.Pointer[briefs.Corpus]
}

type replyCache struct {
	mu sync.Mutex
	m  map[replyCacheKey]Reply
}

// replyKeys numbers cached replies process-wide, so a Key is never reused
// for other content.
var replyKeys atomic.Int64

// reply returns command's reply for c, building it with build the first
// time.
func (rc *replyCache) reply(command string, c *briefs.Corpus, build func(*briefs.Corpus) Reply) Reply {
	k := replyCacheKey{command, weak.Make(c)}
	rc.mu.Lock()
	r, ok := rc.m[k]
	rc.mu.Unlock()
	if ok {
		return r
	}
	r = build(c)
	if r.Failure {
		return r
	}
	r.Key = command + "#" + strconv.FormatInt(replyKeys.Add(1), 10)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if old, ok := rc.m[k]; ok {
		return old // built meanwhile by another request: one Key per content
	}
	if rc.m == nil {
		rc.m = map[replyCacheKey]Reply{}
	}
	if len(rc.m) >= replyCacheSize {
		for k := range rc.m {
			if k.corpus.Value() == nil {
				delete(rc.m, k)
			}
		}
		if len(rc.m) >= replyCacheSize {
			clear(rc.m)
		}
	}
	rc.m[k] = r
	return r
}
