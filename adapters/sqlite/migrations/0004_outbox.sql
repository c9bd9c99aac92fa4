-- Version 4: the outbox of accepted platform events (issue 13). Numbered 4,
-- not 3: version 3 is developed on another branch at the same time, and the
-- runner applies whichever is missing (sqlstore.Migrations).
--
-- An event is stored here before the platform gets its acknowledgement,
-- and a fixed pool of workers claims and answers it; the primary key is the
-- platform's event id, as in the events table it is recorded in. Times as
-- elsewhere: lease_until and created_at in milliseconds (they order and age
-- events), updated_at in seconds, 0 for unset.
CREATE TABLE outbox (
    platform    TEXT    NOT NULL,
    event_id    TEXT    NOT NULL,
    payload     TEXT    NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'claimed', 'done', 'expired')),
    owner       TEXT    NOT NULL DEFAULT '',
    lease_until INTEGER NOT NULL DEFAULT 0,
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (platform, event_id)
) WITHOUT ROWID;

-- What claims, expiry and the backlog count read: the events still open,
-- oldest first. Done and expired rows stay out of it.
CREATE INDEX outbox_open ON outbox (platform, created_at) WHERE state IN ('pending', 'claimed');

-- Pruning finished rows with the events they were recorded as.
CREATE INDEX outbox_updated ON outbox (updated_at) WHERE state IN ('done', 'expired');
