-- Version 3 (issue 13): conversations as appended turns, a heartbeat per
-- store handle, and an index of the open claims per subscription; the same
-- shape as the SQLite one.

-- One row per turn, appended: two messages answered at once in one thread
-- (on one replica or two) both keep their turn; version 2 rewrote the whole
-- history, so the later write dropped the other's.
CREATE TABLE conversation_turns (
    id         BIGSERIAL   PRIMARY KEY,
    key        TEXT        NOT NULL,
    turn       JSONB       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX conversation_turns_key ON conversation_turns (key, id);
CREATE INDEX conversation_turns_age ON conversation_turns (created_at);

INSERT INTO conversation_turns (key, turn, created_at)
SELECT c.key, t.turn, c.updated_at
FROM conversations c, jsonb_array_elements(c.turns) WITH ORDINALITY AS t (turn, n)
ORDER BY c.key, t.n;

DROP TABLE conversations;

-- Heartbeat writes its handle's row and reads it back.
CREATE TABLE heartbeats (
    id    TEXT        PRIMARY KEY,
    nonce TEXT        NOT NULL,
    at    TIMESTAMPTZ NOT NULL
);

-- Each pass asks for a subscription's expired claims: without this index
-- that would read its whole ledger.
CREATE INDEX deliveries_open ON deliveries (subscription_id, slot) WHERE state = 'claimed';
