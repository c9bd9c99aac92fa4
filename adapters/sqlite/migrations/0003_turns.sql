-- Version 3 (issue 13): conversations as appended turns, a heartbeat per
-- store handle, and an index of the open claims per subscription.

-- One row per turn, appended: two messages answered at once in one thread
-- both keep their turn (version 2 rewrote the whole history, so the later
-- write dropped the other's). id is the rowid, so appends are ordered.
CREATE TABLE conversation_turns (
    id         INTEGER PRIMARY KEY,
    key        TEXT    NOT NULL,
    turn       TEXT    NOT NULL, -- JSON of one bot.Turn
    created_at INTEGER NOT NULL
);

CREATE INDEX conversation_turns_key ON conversation_turns (key, id);
CREATE INDEX conversation_turns_age ON conversation_turns (created_at);

INSERT INTO conversation_turns (key, turn, created_at)
SELECT c.key, j.value, c.updated_at
FROM conversations c, json_each(c.turns) j
ORDER BY c.key, j.key;

DROP TABLE conversations;

-- Heartbeat writes its handle's row and reads it back through the readers.
CREATE TABLE heartbeats (
    id    TEXT    PRIMARY KEY,
    nonce TEXT    NOT NULL,
    at    INTEGER NOT NULL
) WITHOUT ROWID;

-- Each pass asks for a subscription's expired claims: without this index
-- that would read its whole ledger.
CREATE INDEX deliveries_open ON deliveries (subscription_id, slot) WHERE state = 'claimed';
