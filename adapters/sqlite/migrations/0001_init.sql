-- Version 1: the whole store. Times are integers: seconds since the Unix
-- epoch (UTC), except deliveries.lease_until in milliseconds so that short
-- leases work.

CREATE TABLE subscriptions (
    id         INTEGER PRIMARY KEY,
    platform   TEXT    NOT NULL,
    team       TEXT    NOT NULL,
    channel    TEXT    NOT NULL,
    schedule   TEXT    NOT NULL,
    only_new   INTEGER NOT NULL DEFAULT 0,
    created_by TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    UNIQUE (platform, team, channel)
);

-- The digest ledger: one row per (subscription, slot), the primary key is
-- what makes a second claim impossible.
CREATE TABLE deliveries (
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    slot            INTEGER NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('claimed', 'posted', 'failed', 'skipped')),
    owner           TEXT    NOT NULL DEFAULT '',
    lease_until     INTEGER NOT NULL DEFAULT 0,
    attempts        INTEGER NOT NULL DEFAULT 0,
    message_id      TEXT    NOT NULL DEFAULT '',
    error           TEXT    NOT NULL DEFAULT '',
    late            INTEGER NOT NULL DEFAULT 0,
    corpus_version  TEXT    NOT NULL DEFAULT '',
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (subscription_id, slot)
) WITHOUT ROWID;

CREATE INDEX deliveries_claims ON deliveries (owner) WHERE state = 'claimed';

CREATE TABLE conversations (
    key        TEXT    PRIMARY KEY,
    turns      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX conversations_idle ON conversations (updated_at);

CREATE TABLE events (
    platform TEXT    NOT NULL,
    event_id TEXT    NOT NULL,
    seen_at  INTEGER NOT NULL,
    PRIMARY KEY (platform, event_id)
) WITHOUT ROWID;

CREATE INDEX events_seen ON events (seen_at);

CREATE TABLE installs (
    platform     TEXT    NOT NULL,
    team         TEXT    NOT NULL,
    enterprise   TEXT    NOT NULL DEFAULT '',
    bot_token    TEXT    NOT NULL DEFAULT '',
    bot_user_id  TEXT    NOT NULL DEFAULT '',
    installed_at INTEGER NOT NULL,
    PRIMARY KEY (platform, team)
) WITHOUT ROWID;

-- seq keeps the order articles were added; text_hash (SHA-256 of the body)
-- refuses a second copy of the same text under another id.
CREATE TABLE articles (
    seq       INTEGER PRIMARY KEY,
    id        TEXT    NOT NULL UNIQUE,
    text_hash TEXT    NOT NULL UNIQUE,
    title     TEXT    NOT NULL DEFAULT '',
    source    TEXT    NOT NULL DEFAULT '',
    url       TEXT    NOT NULL DEFAULT '',
    published TEXT    NOT NULL DEFAULT '',
    author    TEXT    NOT NULL DEFAULT '',
    body      TEXT    NOT NULL,
    added_at  INTEGER NOT NULL
);
