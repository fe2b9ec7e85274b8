-- phr schema, migration 15: the history hands out its ids without AUTOINCREMENT.
--
-- AUTOINCREMENT makes every INSERT read the table's counter from sqlite_sequence when it starts
-- and write it back when it ends: about 9,300 instructions an INSERT into history on this SQLite
-- (3.40), measured with callgrind against the same table without it; a quarter of what writing a
-- history entry costs, and every row an import stores writes one. The history needs no counter:
-- its ids only order its entries, and a new entry's id (the highest id + 1) is still above every
-- entry kept. Nothing refers to a history id from elsewhere, so one used by an entry that was
-- erased (`phr erase`) may be used again. Item tables keep AUTOINCREMENT: their ids are
-- named by the history, and must never name two rows.
--
-- The table is rebuilt as migration 11 rebuilt it (foreign keys are off during migrations): the
-- rows copied with their ids, the old table dropped, the new one renamed, its indexes made again.
-- History and search triggers are generated from the live schema after every migration.
PRAGMA legacy_alter_table = ON;

CREATE TABLE history_new (
    id          INTEGER PRIMARY KEY,
    change_id   INTEGER REFERENCES changes (id),
    table_name  TEXT NOT NULL,
    row_id      INTEGER NOT NULL,
    operation   TEXT NOT NULL CHECK ((operation = 'insert' OR operation = 'update' OR operation = 'delete')),
    -- the row before the change (update, delete) or the row inserted (insert), as a JSON object
    snapshot    TEXT NOT NULL CHECK (json_valid(snapshot)),
    changed_at  TEXT NOT NULL
) STRICT;
INSERT INTO history_new (id, change_id, table_name, row_id, operation, snapshot, changed_at)
SELECT id, change_id, table_name, row_id, operation, snapshot, changed_at FROM history;
DROP TABLE history;
DELETE FROM sqlite_sequence WHERE name = 'history';
ALTER TABLE history_new RENAME TO history;
CREATE INDEX history_by_row ON history (table_name, row_id, id);
CREATE INDEX history_by_change ON history (change_id, id);

PRAGMA legacy_alter_table = OFF;
