package slack

import (
	"bytes"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/alexa-brief/alexa-brief/bot"
)

// TestRenderCache: a reply with a Key renders, and encodes inline, exactly
// as without the cache; another Key is another rendering; a reply without
// a Key is never served from the cache.
func TestRenderCache(t *testing.T) {
	a := &Adapter{}
	r1 := bot.Reply{Title: "The brief", Sections: []bot.Section{{Heading: "Key points", Items: []bot.Item{{Text: "Costs rose to $5 & more", Refs: []int{1}}}}}, Key: "brief#1"}
	r2 := r1
	r2.Sections = []bot.Section{{Text: "Something else entirely"}}
	r2.Key = "brief#2"
	for _, r := range []bot.Reply{r1, r2, r1} {
		got := a.rendering(r)
		if want := render(r); !reflect.DeepEqual(got.msgs, want) {
			t.Errorf("%s: cached rendering differs from render", r.Key)
		}
		for _, in := range []bool{false, true} {
			m := got.msgs[0]
			w := httptest.NewRecorder()
			writeJSON(w, responsePayload{ResponseType: responseType(in), Text: m.Text, Blocks: m.Blocks})
			if enc := got.inline[responseType(in)]; !bytes.Equal(enc, w.Body.Bytes()) {
				t.Errorf("%s in_channel=%v: inline\n%s\nwant\n%s", r.Key, in, enc, w.Body.Bytes())
			}
		}
	}
	noKey := r2
	noKey.Key = ""
	noKey.Sections = []bot.Section{{Text: "Per request: <@U1>"}}
	if got := a.rendering(noKey); got.inline != nil || !reflect.DeepEqual(got.msgs, render(noKey)) {
		t.Error("a reply without a Key was served from the cache")
	}
}
