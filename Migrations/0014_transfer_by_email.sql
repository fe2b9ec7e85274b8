-- phr schema, migration 14: a record can be sent by email, the way most patients send records.
--
-- The transfers table's CHECK on `via` gains 'email'. A CHECK constraint can only change by
-- rebuilding its table (as in migration 11): a new table, the rows copied with their ids, the
-- AUTOINCREMENT counter carried over, the old table dropped, the new one renamed, its indexes made
-- again. History and search triggers are generated from the live schema after every migration.
PRAGMA legacy_alter_table = ON;

CREATE TABLE transfers_new (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid              TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    record_id         INTEGER NOT NULL REFERENCES records (id) ON DELETE RESTRICT,
    kind              TEXT NOT NULL CHECK ((kind = 'request' OR kind = 'send' OR kind = 'receive')),
    from_provider_id  INTEGER REFERENCES providers (id) ON DELETE RESTRICT,
    to_provider_id    INTEGER REFERENCES providers (id) ON DELETE RESTRICT,
    via               TEXT CHECK ((via = 'mail' OR via = 'fax' OR via = 'email' OR via = 'portal' OR via = 'courier' OR via = 'in-person' OR via = 'packet')),
    occurred_on       TEXT NOT NULL,
    -- tracking number, fax confirmation, portal message id
    reference         TEXT,
    -- for items lent out (slides, blocks, discs): when the holder must return them
    due_back_on       TEXT,
    notes             TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CHECK (kind <> 'request' OR from_provider_id IS NOT NULL),
    CHECK (kind <> 'send' OR (to_provider_id IS NOT NULL AND via IS NOT NULL)),
    CHECK (from_provider_id IS NULL OR to_provider_id IS NULL OR from_provider_id <> to_provider_id),
    CHECK (due_back_on IS NULL OR kind <> 'request')
) STRICT;
INSERT INTO transfers_new (id, uuid, record_id, kind, from_provider_id, to_provider_id, via, occurred_on, reference, due_back_on, notes, created_at, updated_at)
SELECT id, uuid, record_id, kind, from_provider_id, to_provider_id, via, occurred_on, reference, due_back_on, notes, created_at, updated_at FROM transfers;
DELETE FROM sqlite_sequence WHERE name = 'transfers_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'transfers_new', seq FROM sqlite_sequence WHERE name = 'transfers';
DROP TABLE transfers;
ALTER TABLE transfers_new RENAME TO transfers;
CREATE INDEX transfers_by_record ON transfers (record_id, occurred_on, id);
CREATE INDEX transfers_by_from ON transfers (from_provider_id);
CREATE INDEX transfers_by_to ON transfers (to_provider_id);

PRAGMA legacy_alter_table = OFF;
