-- Version 2: stories, copies, feeds and the corpus revision (issue 12).
-- Times as in version 1: seconds since the epoch, leases and poll times in
-- milliseconds, 0 for unset.

-- Articles stored so far came from files; they join no story, which means
-- the default one.
ALTER TABLE articles ADD COLUMN origin TEXT NOT NULL DEFAULT 'file'
    CHECK (origin IN ('embedded', 'file', 'url', 'feed'));

-- One article per URL from now on. Version 1 allowed two articles with the
-- same URL (front matter is free text): the later ones lose their URL
-- rather than the migration failing; their text and id stay.
UPDATE articles SET url = ''
WHERE url <> '' AND EXISTS (SELECT 1 FROM articles o WHERE o.url = articles.url AND o.seq < articles.seq);

CREATE UNIQUE INDEX articles_url ON articles (url) WHERE url <> '';

-- match_rule, not match: MATCH is an operator in SQLite.
CREATE TABLE stories (
    id         TEXT    PRIMARY KEY,
    title      TEXT    NOT NULL DEFAULT '',
    match_rule TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Memberships; the default story has none (an article in no story is in it).
CREATE TABLE story_articles (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    story_id   TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, story_id)
) WITHOUT ROWID;

CREATE INDEX story_articles_story ON story_articles (story_id);

-- Near-duplicates merged into an article; seq keeps the order they came.
CREATE TABLE copies (
    seq         INTEGER PRIMARY KEY,
    article_id  TEXT    NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    url         TEXT    NOT NULL,
    publication TEXT    NOT NULL DEFAULT '',
    added_at    INTEGER NOT NULL,
    UNIQUE (article_id, url)
);

CREATE INDEX copies_url ON copies (url);

-- The story a channel follows; none means the default story.
CREATE TABLE channel_stories (
    platform   TEXT    NOT NULL,
    team       TEXT    NOT NULL,
    channel    TEXT    NOT NULL,
    story_id   TEXT    NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (platform, team, channel)
) WITHOUT ROWID;

-- story_id is '' (items join by rule, else the default story), 'default'
-- (which has no row of its own to reference) or a story's id, checked on
-- write; deleting a story sets its feeds' story_id to ''. AUTOINCREMENT:
-- a deleted feed's id is never reused, so a replica still polling it
-- cannot write into another feed's ledger.
CREATE TABLE feeds (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    url           TEXT    NOT NULL UNIQUE,
    story_id      TEXT    NOT NULL DEFAULT '',
    match_rule    TEXT    NOT NULL DEFAULT '',
    etag          TEXT    NOT NULL DEFAULT '',
    last_modified TEXT    NOT NULL DEFAULT '',
    next_poll     INTEGER NOT NULL DEFAULT 0,
    failures      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL
);

-- The item ledger, the digest ledger's twin: the primary key is what makes
-- a second claim of an item impossible.
CREATE TABLE feed_items (
    feed_id     INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    key         TEXT    NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('claimed', 'stored', 'skipped', 'failed')),
    owner       TEXT    NOT NULL DEFAULT '',
    lease_until INTEGER NOT NULL DEFAULT 0,
    attempts    INTEGER NOT NULL DEFAULT 0,
    article_id  TEXT    NOT NULL DEFAULT '',
    error       TEXT    NOT NULL DEFAULT '',
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (feed_id, key)
) WITHOUT ROWID;

-- One row: n counts every change to articles, memberships, copies and
-- stories; rewritten is the n of the latest change other than an addition.
-- Corpus writes hold SQLite's write lock (BEGIN IMMEDIATE) throughout, so
-- they take turns and seqs follow commit order.
CREATE TABLE corpus_revision (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    n         INTEGER NOT NULL,
    rewritten INTEGER NOT NULL
);

-- A new article's seq is the n its addition takes, so seqs are never
-- reused (not even the newest after a removal, which SQLite's rowid would
-- do) and ArticlesAfter(n) lists what was added after revision n. n starts
-- at the newest seq for that to hold from the first addition.
INSERT INTO corpus_revision (id, n, rewritten)
SELECT 1, COALESCE(MAX(seq), 0), COALESCE(MAX(seq), 0) FROM articles;
