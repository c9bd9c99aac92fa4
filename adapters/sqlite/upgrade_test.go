package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/briefs"
	"github.com/alexa-brief/alexa-brief/internal/sqlstore"
)

// A database that a version-1 binary filled opens with this one: its
// articles get origin file and no story, a URL two of them shared stays
// with the first, and the revision starts past their seqs.
func TestUpgradeFromVersion1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	old, err := open(ctx, path, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []struct{ id, url, text string }{
		{"a", "https://example.com/a", "Text of a."},
		{"b", "", "Text of b."},
		{"c", "https://example.com/a", "Text of c."}, // the same URL as a: allowed then
	} {
		if _, err := old.writer.ExecContext(ctx, "INSERT INTO articles (id, text_hash, title, url, body, added_at) VALUES (?, ?, ?, ?, ?, ?)",
			a.id, sqlstore.TextHash(a.text), "Title of "+a.id, a.url, a.text, 1700000000); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := old.PutSubscription(ctx, bot.Subscription{Scope: bot.Scope{Platform: "slack", Team: "T", Channel: "C"}, Schedule: "@daily"}); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	s := openTemp(t, path)
	var n int
	if ms, _ := migrations(); s.reader.QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n) != nil || n != len(ms) {
		t.Fatalf("schema_migrations: %d rows; want %d", n, len(ms))
	}
	as, err := s.Articles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range as {
		got = append(got, fmt.Sprintf("%d %s %s %q %q", a.Seq, a.ID, a.Origin, a.URL, a.Stories))
	}
	want := []string{`1 a file "https://example.com/a" []`, `2 b file "" []`, `3 c file "" []`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("migrated articles:\n got %q\nwant %q", got, want)
	}
	if r, err := s.Revision(ctx); err != nil || r != (bot.Revision{N: 3, Rewritten: 3}) {
		t.Errorf("Revision = %+v, %v; want {3 3}", r, err)
	}
	d, added, err := s.AddArticle(ctx, bot.StoredArticle{Article: briefs.Article{ID: "d", URL: "https://example.com/d", Text: "Text of d."}, Origin: bot.OriginURL})
	if err != nil || !added || d.Seq != 4 {
		t.Errorf("first new article: %+v, %v, %v; want seq 4", d, added, err)
	}
	if got, added, err := s.AddArticle(ctx, bot.StoredArticle{Article: briefs.Article{ID: "e", URL: "https://example.com/a", Text: "Text of e."}, Origin: bot.OriginURL}); err != nil || added || got.ID != "a" {
		t.Errorf("an old article's URL: %s, %v, %v; want a, false", got.ID, added, err)
	}
	if subs, err := s.Subscriptions(ctx); err != nil || len(subs) != 1 {
		t.Errorf("subscriptions after the upgrade: %+v, %v", subs, err)
	}
}

// Version 2 kept a conversation as one JSON array; version 3 has a row per
// turn. The turns survive the upgrade, in order, and new ones append.
func TestUpgradeFromVersion2(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v2.db")
	old, err := open(ctx, path, 2)
	if err != nil {
		t.Fatal(err)
	}
	v2 := []bot.Turn{{Question: "q1", Answer: briefs.Answer{Question: "q1", Answer: "a1"}}, {Question: "q2 « minuteur »"}}
	data, err := json.Marshal(v2)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"k1", "k2"} {
		if _, err := old.writer.ExecContext(ctx, "INSERT INTO conversations (key, turns, updated_at) VALUES (?, ?, ?)", key, string(data), time.Now().Unix()); err != nil {
			t.Fatal(err)
		}
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	s := openTemp(t, path)
	if err := s.AppendTurn(ctx, "k1", bot.Turn{Question: "q3"}); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string][]string{"k1": {"q1", "q2 « minuteur »", "q3"}, "k2": {"q1", "q2 « minuteur »"}} {
		turns, err := s.Conversation(ctx, key)
		var got []string
		for _, tr := range turns {
			got = append(got, tr.Question)
		}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Conversation(%s) = %q, %v; want %q", key, got, err, want)
		}
		if len(turns) > 0 && turns[0].Answer.Answer != "a1" {
			t.Errorf("Conversation(%s): first answer %+v, want a1", key, turns[0].Answer)
		}
	}
}
