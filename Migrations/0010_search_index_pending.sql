-- phr schema, migration 10: the search index entries a large write has made stale.
--
-- Debian's SQLite 3.40 has FTS5 write its pending terms to disk at every statement's savepoint, so
-- an import that indexed each row as it was stored wrote one index segment per row, most of an
-- import's time. During a bulk write (`HealthStore.bulkWrite`), the search triggers only note the
-- entry of each row they would have indexed (its search_index rowid, `id * 16 + code`) here; at the
-- end of the write, in the same transaction, every noted entry is indexed again in one statement per
-- table and this table is emptied. Outside a bulk write it is always empty.
CREATE TABLE search_index_pending (
    entry  INTEGER PRIMARY KEY
) STRICT;
