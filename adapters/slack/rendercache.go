package slack

import (
	"encoding/json"
	"sync"

	"github.com/alexa-brief/alexa-brief/bot"
)

// A reply with a Key (bot.Reply.Key: the brief, quotes and facts of one
// story corpus) renders to the same Block Kit every time, so its messages
// and the JSON of its inline slash command answer are built once. Replies
// without a Key carry something of their request and are rendered anew.

// renderCacheSize bounds the cached renderings; the bot mints a new Key
// per content, so old ones are only dropped, never wrong.
const renderCacheSize = 64

type rendered struct {
	msgs []message // shared: callers must not change them
	// inline is the encoded responsePayload of the first message, as
	// writeJSON writes it, per response type.
	inline map[string][]byte
}

type renderCache struct {
	mu sync.Mutex
	m  map[string]*rendered
}

// render is the package's render, from the cache for a reply with a Key.
func (a *Adapter) render(r bot.Reply) []message {
	return a.rendering(r).msgs
}

func (a *Adapter) rendering(r bot.Reply) *rendered {
	if r.Key == "" {
		return &rendered{msgs: render(r)}
	}
	c := &a.renders
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.m[r.Key]; e != nil {
		return e
	}
	e := &rendered{msgs: render(r), inline: map[string][]byte{}}
	for _, rt := range []string{responseType(false), responseType(true)} {
		m := e.msgs[0]
		b, err := json.Marshal(responsePayload{ResponseType: rt, Text: m.Text, Blocks: m.Blocks})
		if err != nil {
			return &rendered{msgs: e.msgs}
		}
		e.inline[rt] = append(b, '\n') // as json.Encoder ends a value
	}
	if c.m == nil || len(c.m) >= renderCacheSize {
		c.m = map[string]*rendered{}
	}
	c.m[r.Key] = e
	return e
}
