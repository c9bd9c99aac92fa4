-- Version 1: the whole store, the same shape as the SQLite one.

CREATE TABLE subscriptions (
    id         BIGSERIAL   PRIMARY KEY,
    platform   TEXT        NOT NULL,
    team       TEXT        NOT NULL,
    channel    TEXT        NOT NULL,
    schedule   TEXT        NOT NULL,
    only_new   BOOLEAN     NOT NULL DEFAULT false,
    created_by TEXT        NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (platform, team, channel)
);

-- The digest ledger: the primary key is what makes a second claim
-- impossible, whichever replica asks.
CREATE TABLE deliveries (
    subscription_id BIGINT      NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    slot            TIMESTAMPTZ NOT NULL,
    state           TEXT        NOT NULL CHECK (state IN ('claimed', 'posted', 'failed', 'skipped')),
    owner           TEXT        NOT NULL DEFAULT '',
    lease_until     TIMESTAMPTZ,
    attempts        INTEGER     NOT NULL DEFAULT 0,
    message_id      TEXT        NOT NULL DEFAULT '',
    error           TEXT        NOT NULL DEFAULT '',
    late            BOOLEAN     NOT NULL DEFAULT false,
    corpus_version  TEXT        NOT NULL DEFAULT '',
    updated_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (subscription_id, slot)
);

CREATE INDEX deliveries_claims ON deliveries (owner) WHERE state = 'claimed';

CREATE TABLE conversations (
    key        TEXT        PRIMARY KEY,
    turns      JSONB       NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX conversations_idle ON conversations (updated_at);

CREATE TABLE events (
    platform TEXT        NOT NULL,
    event_id TEXT        NOT NULL,
    seen_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (platform, event_id)
);

CREATE INDEX events_seen ON events (seen_at);

CREATE TABLE installs (
    platform     TEXT        NOT NULL,
    team         TEXT        NOT NULL,
    enterprise   TEXT        NOT NULL DEFAULT '',
    bot_token    TEXT        NOT NULL DEFAULT '',
    bot_user_id  TEXT        NOT NULL DEFAULT '',
    installed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (platform, team)
);

-- seq keeps the order articles were added; text_hash (SHA-256 of the body)
-- refuses a second copy of the same text under another id.
CREATE TABLE articles (
    seq       BIGSERIAL   PRIMARY KEY,
    id        TEXT        NOT NULL UNIQUE,
    text_hash TEXT        NOT NULL UNIQUE,
    title     TEXT        NOT NULL DEFAULT '',
    source    TEXT        NOT NULL DEFAULT '',
    url       TEXT        NOT NULL DEFAULT '',
    published TEXT        NOT NULL DEFAULT '',
    author    TEXT        NOT NULL DEFAULT '',
    body      TEXT        NOT NULL,
    added_at  TIMESTAMPTZ NOT NULL
);
