package load

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/alexa-brief/alexa-brief/adapters/discord/discordtest"
	"github.com/alexa-brief/alexa-brief/adapters/slack/slacktest"
	"github.com/alexa-brief/alexa-brief/briefs"
)

// This file builds the request mix and checks each response: every request
// is signed as the platform signs it, and every reply must carry what the
// bot should have said, so a fast error page cannot pass for a fast answer.

// slackSecret is the signing secret of Slack's published example.
const slackSecret = "8f742231b10e8888abcd99yyyzzz85a5"

// discordSeed is the private seed of RFC 8032 test key 1; discordPub is its
// public key, the one `serve` is given.
const (
	discordSeed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
	discordPub  = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
)

// Discord ids of the simulated guild.
const (
	discordGuild = "200000000000000002"
	discordUser0 = 300000000000000000
	discordChan0 = 210000000000000000
)

// workingText is the Slack adapter's acknowledgement when an answer takes
// longer than its inline deadline; the answer then follows at response_url.
const workingText = "Working on it…"

// question is one line of testdata/questions.txt with what the bot says
// to it, computed in process from the same embedded corpus.
type question struct {
	text     string
	inCorpus bool   // the label in the file
	want     string // a piece of the reply: the first cited sentence, or the decline
	// articles are the corpus texts: in a conversation the bot answers
	// with FollowUp, whose answer may differ from Ask's, so a reply that
	// echoes the question and cites verbatim sentences passes too.
	articles []string
}

// loadQuestions reads testdata/questions.txt and derives each reply's
// expected piece from corpus.Ask, the function the bot calls.
func loadQuestions(corpus *briefs.Corpus) ([]question, error) {
	f, err := os.Open("testdata/questions.txt")
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	defer f.Close()
	var articles []string
	for _, a := range corpus.Articles() {
		articles = append(articles, a.Text)
	}
	var qs []question
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		label, text, ok := strings.Cut(line, "\t")
		if !ok || (label != "in" && label != "out") {
			return nil, fmt.Errorf("load: questions.txt: bad line %q", line)
		}
		ans := corpus.Ask(text)
		want := ans.Answer
		if ans.Answered && len(ans.Citations) > 0 {
			want = ans.Citations[0].Text
		}
		qs = append(qs, question{text: text, inCorpus: label == "in", want: snippet(want), articles: articles})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("load: questions.txt: %w", err)
	}
	return qs, nil
}

// snippet is the first few words of s: enough to recognise a reply, short
// enough to survive the platforms' line wrapping and truncation.
func snippet(s string) string {
	w := strings.Fields(s)
	if len(w) > 5 {
		w = w[:5]
	}
	return strings.Join(w, " ")
}

// kind is one entry of the mix.
type kind struct {
	name     string
	platform string // "slack" or "discord"
	sub      string // the /alexa-brief subcommand
	weight   int
	want     string // a piece of the reply; for ask, taken from the question
}

// mix is the traffic: mostly questions, as a team reading a story would
// send, plus the brief and the read-only listings.
var mix = []kind{
	{"slack ask", "slack", "ask", 40, ""},
	{"slack brief", "slack", "brief", 10, "$25 billion"},
	{"slack quotes", "slack", "quotes", 8, "smart timer"},
	{"slack facts", "slack", "facts", 7, "$25 billion"},
	{"discord ask", "discord", "ask", 25, ""},
	{"discord brief", "discord", "brief", 10, "$25 billion"},
}

// job is one request to send: a kind, a question for asks, and who sends it.
type job struct {
	kind *kind
	q    *question
	user int // 0..users-1: a user has one channel, so asks become follow-ups
}

// users is how many people send traffic; each has a conversation, so the
// store holds up to that many histories.
const users = 200

// plan draws n jobs from the mix with a fixed seed, so every level sends
// the same sequence.
func plan(n int, qs []question) []job {
	total := 0
	for _, k := range mix {
		total += k.weight
	}
	r := rand.New(rand.NewPCG(1, 2))
	jobs := make([]job, n)
	for i := range jobs {
		x := r.IntN(total)
		var k *kind
		for j := range mix {
			if x < mix[j].weight {
				k = &mix[j]
				break
			}
			x -= mix[j].weight
		}
		jobs[i] = job{kind: k, user: r.IntN(users)}
		if k.sub == "ask" {
			jobs[i].q = &qs[r.IntN(len(qs))]
		}
	}
	return jobs
}

// target is a running server and the fakes behind it.
type target struct {
	base    string
	slack   *slacktest.Server
	discord *discordtest.Server
	key     ed25519.PrivateKey
	appID   string
	seq     func() int64 // unique interaction ids and trigger ids
}

// request builds the signed HTTP request for j, stamped now. ref is where
// a deferred answer will land: the Slack response_url or the Discord
// interaction token.
func (tg *target) request(j job) (req *http.Request, ref string, err error) {
	now := strconv.FormatInt(time.Now().Unix(), 10)
	if j.kind.platform == "slack" {
		text := j.kind.sub
		if j.q != nil {
			text = "ask " + j.q.text
		}
		channel := fmt.Sprintf("C%04d", j.user%20)
		ref = tg.slack.ResponseURL(slacktest.DefaultTeam, channel)
		form := url.Values{
			"token": {"deprecated"}, "team_id": {slacktest.DefaultTeam}, "team_domain": {"test"},
			"channel_id": {channel}, "channel_name": {"general"}, "user_id": {fmt.Sprintf("U%04d", j.user)},
			"user_name": {"reader"}, "command": {"/alexa-brief"}, "text": {text},
			"response_url": {ref},
			"trigger_id":   {fmt.Sprintf("trig.%d", tg.seq())}, "api_app_id": {"A1"},
		}
		body := []byte(form.Encode())
		req, err := http.NewRequest(http.MethodPost, tg.base+"/slack/commands", bytes.NewReader(body))
		if err != nil {
			return nil, "", err
		}
		m := hmac.New(sha256.New, []byte(slackSecret))
		m.Write([]byte("v0:" + now + ":"))
		m.Write(body)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Slack-Request-Timestamp", now)
		req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(m.Sum(nil)))
		return req, ref, nil
	}
	n := tg.seq()
	ref = fmt.Sprintf("load-token-%d", n)
	opt := map[string]any{"name": j.kind.sub, "type": 1}
	if j.q != nil {
		opt["options"] = []any{map[string]any{"name": "question", "type": 3, "value": j.q.text}}
	}
	body, err := json.Marshal(map[string]any{
		"id": strconv.FormatInt(400000000000000000+n, 10), "application_id": tg.appID, "type": 2, "version": 1,
		"token": ref, "guild_id": discordGuild,
		"channel_id": strconv.Itoa(discordChan0 + j.user%20), "context": 0,
		"member": map[string]any{"user": map[string]any{"id": strconv.Itoa(discordUser0 + j.user), "username": "reader"}, "permissions": "0"},
		"data":   map[string]any{"id": "500000000000000005", "name": "alexa-brief", "type": 1, "options": []any{opt}},
	})
	if err != nil {
		return nil, "", err
	}
	req, err = http.NewRequest(http.MethodPost, tg.base+"/discord/interactions", bytes.NewReader(body))
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature-Timestamp", now)
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(tg.key, append([]byte(now), body...))))
	return req, ref, nil
}

// outcome is what a response turned out to be.
type outcome int

const (
	answered outcome = iota // the answer, inline
	deferred                // an acknowledgement; the answer follows through the platform's API
	failed                  // anything else
)

// check classifies a response body to j; for failures it says why.
func check(j job, status int, body []byte) (outcome, string) {
	if status != http.StatusOK {
		return failed, fmt.Sprintf("status %d: %.200s", status, body)
	}
	want := j.kind.want
	if j.q != nil {
		want = j.q.want
	}
	var texts []string
	if j.kind.platform == "slack" {
		var p struct {
			Text   string `json:"text"`
			Blocks any    `json:"blocks"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			return failed, fmt.Sprintf("bad JSON: %v: %.200s", err, body)
		}
		if p.Text == workingText {
			return deferred, ""
		}
		texts = strings_(p.Blocks, []string{p.Text})
	} else {
		var p struct {
			Type int `json:"type"`
			Data any `json:"data"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			return failed, fmt.Sprintf("bad JSON: %v: %.200s", err, body)
		}
		switch p.Type {
		case 4:
		case 5:
			return deferred, ""
		default:
			return failed, fmt.Sprintf("interaction response type %d: %.200s", p.Type, body)
		}
		texts = strings_(p.Data, nil)
	}
	all := slackUnescape.Replace(strings.Join(texts, "\n"))
	if strings.Contains(all, "Sorry") {
		return failed, fmt.Sprintf("a failure reply: %.200s", all)
	}
	if !strings.Contains(collapse(all), collapse(want)) && (j.q == nil || !j.q.citedAnswer(all)) {
		return failed, fmt.Sprintf("%s: reply lacks %q: %.300s", j.kind.name, want, all)
	}
	return answered, ""
}

// citedAnswer says whether reply echoes the question and lists cited
// sentences ("• sentence [1]"), every one verbatim in an article.
func (q *question) citedAnswer(reply string) bool {
	if !strings.Contains(reply, q.text) {
		return false
	}
	cited := 0
	for _, line := range strings.Split(reply, "\n") {
		s, ok := strings.CutPrefix(strings.TrimSpace(line), "• ")
		if !ok {
			continue
		}
		s = refsRE.ReplaceAllString(s, "")
		found := false
		for _, a := range q.articles {
			found = found || strings.Contains(a, s)
		}
		if !found {
			return false
		}
		cited++
	}
	return cited > 0
}

// refsRE matches the citation numbers after a cited sentence.
var refsRE = regexp.MustCompile(`(?: \[\d+\])+$`)

var slackUnescape = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// collapse folds runs of white space, which renderers may rewrap.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// strings_ appends every string found anywhere in a decoded JSON value.
func strings_(v any, out []string) []string {
	switch v := v.(type) {
	case string:
		out = append(out, v)
	case []any:
		for _, x := range v {
			out = strings_(x, out)
		}
	case map[string]any:
		for _, x := range v {
			out = strings_(x, out)
		}
	}
	return out
}
