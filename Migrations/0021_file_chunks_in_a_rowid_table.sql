-- phr schema, migration 21: file chunks are kept in a rowid table, no longer WITHOUT ROWID.
--
-- A WITHOUT ROWID table is a b-tree ordered by its whole row, and SQLite compares a new row with
-- the rows it passes on its way down by reading each of them in full: when a row spills onto
-- overflow pages (every 1 MiB chunk does), the whole megabyte. Storing a chunk so read back about
-- ten chunks already stored (ten times the file's size for a 1 GiB record file, from the
-- write-ahead log), and `phr record add` of 1 GiB took 6.3-7.5 s against 4.0-4.6 s for the same
-- table keyed by rowid, in alternating runs on this machine. In a rowid table the chunk's bytes
-- stay in its row, found by an integer key, and (file_id, seq) is a small index beside it that
-- keeps each chunk's place unique and lists a file's chunks in order.
--
-- The table is rebuilt as SQLite documents for changing a table (foreign keys are off during
-- migrations): a new table, the chunks copied in the order they are read, the old table dropped,
-- the new one renamed. A store's record files are copied once, inside this migration's
-- transaction: a failed or interrupted upgrade leaves the store as it was. The old copy's pages
-- stay in the store file as free pages, which the record files added next reuse (`phr backup`
-- writes a copy without them).
--
-- Those pages are freed without being zeroed: secure_delete (on in Debian's SQLite) is off for
-- the DROP alone, and on again after it. Nothing deleted lingers in them, as every chunk lives on in the new table, and `phr
-- erase` rebuilds the whole store file (VACUUM) when it erases a file. Zeroing them would write
-- the files' size again, and keep each zeroed page's old contents in memory (the statement
-- journal) until the migration commits: 1.1 GB of memory to upgrade a store holding a 1 GiB file.
-- legacy_alter_table: the rename must not re-check other tables' triggers.
PRAGMA legacy_alter_table = ON;

CREATE TABLE file_chunks_new (
    id       INTEGER PRIMARY KEY,
    file_id  INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    seq      INTEGER NOT NULL CHECK (seq >= 0),
    data     BLOB NOT NULL,
    UNIQUE (file_id, seq)
) STRICT;
INSERT INTO file_chunks_new (file_id, seq, data) SELECT file_id, seq, data FROM file_chunks ORDER BY file_id, seq;
PRAGMA secure_delete = OFF;
DROP TABLE file_chunks;
PRAGMA secure_delete = ON;
ALTER TABLE file_chunks_new RENAME TO file_chunks;

PRAGMA legacy_alter_table = OFF;
