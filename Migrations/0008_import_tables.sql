-- phr schema, migration 8: imported resources may become rows of any catalogued item table.
--
-- 0003 listed the tables an import source may point to in a CHECK, by hand; each new table would
-- have needed another rebuild of this table. The list now lives in one place, Swift's
-- `ImportedTable` (whose names are checked against SchemaCatalog by a test), and the column only
-- has to name something. Rebuilt the way SQLite documents for changing a constraint: a new table,
-- the rows copied, the old one dropped and the new one renamed (no trigger, view or index refers
-- to it; foreign keys are off during migrations).
CREATE TABLE import_sources_new (
    source_key     TEXT PRIMARY KEY NOT NULL CHECK (length(source_key) > 0),
    kind           TEXT NOT NULL CHECK (kind = 'resource' OR kind = 'alias'),
    entity_table   TEXT NOT NULL CHECK (length(entity_table) > 0),
    row_id         INTEGER NOT NULL,
    resource_type  TEXT NOT NULL,
    -- SHA-256 (hex) of the resource as read: equal means unchanged since the last import.
    content_hash   TEXT CHECK (content_hash IS NULL OR length(content_hash) = 64),
    unresolved     TEXT,
    imported_at    TEXT NOT NULL,
    CHECK ((kind = 'resource') = (content_hash IS NOT NULL))
) STRICT, WITHOUT ROWID;

INSERT INTO import_sources_new (source_key, kind, entity_table, row_id, resource_type, content_hash, unresolved,
                                imported_at)
SELECT source_key, kind, entity_table, row_id, resource_type, content_hash, unresolved, imported_at
FROM import_sources;

DROP TABLE import_sources;
ALTER TABLE import_sources_new RENAME TO import_sources;
