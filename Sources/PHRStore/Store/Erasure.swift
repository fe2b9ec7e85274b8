import Foundation

/// What `erase` removed.
public struct Erasure: Sendable {
    /// The item's history rows (and those of its parts), removed.
    public var historyRows = 0
    /// Whether its file's chunks (and extracted text) went too: no other record used them.
    public var fileErased = false
    /// Sharing-log rows that named it (the log keeps that each packet was sent).
    public var logRows = 0
    /// False when another phr kept the WAL in use: until it is done (and `phr check --fix` or
    /// the next erase truncates it), copies may remain in the store's `-wal` file.
    public var walTruncated = true
}

extension HealthStore {
    /// Erases an item and every trace of it: the row (and rows removed with it), its history and
    /// its parts' history, its file's chunks and extracted text when no other record (now or in
    /// the history) uses them, its search-index entries and import provenance, and the sharing
    /// log's mention of it (the log keeps only that each packet was sent). Then, with SQLite's
    /// `secure_delete` on, the freed pages are zeroed, the file is rebuilt (`VACUUM`) and the WAL
    /// is checkpointed and truncated, so that no copy remains in the store file or its `-wal`.
    ///
    /// Cannot be undone: the change it makes has no history. Throws `notFound` for an item that
    /// neither exists nor has history, and `inUse` when other rows still need it.
    public func erase(table: SchemaTable, id: Int64) throws -> Erasure {
        try database.execute("PRAGMA secure_delete = ON")
        // Deleting a file's chunks (the statement journal keeps the pages it changes) and VACUUM
        // (which builds the new file in a temporary database) would hold the file's size in
        // memory with temp_store = MEMORY: on disk instead (unlinked files SQLite opens in TMPDIR).
        try database.execute("PRAGMA temp_store = FILE")
        defer { try? database.execute("PRAGMA temp_store = MEMORY") }
        var erasure = Erasure()
        try write("erase \(table.singular)") {
            let partTables = SchemaCatalog.historyTables.filter { $0.role == .part(of: table.name) }.map(\.name)
            let historyTables = [table.name] + partTables
            let placeholders = historyTables.map { _ in "?" }.joined(separator: ", ")
            let historyRows: Int64 = try database.scalar(
                "SELECT count(*) FROM history WHERE table_name IN (\(placeholders)) AND row_id = ?",
                historyTables.map { $0 as any SQLiteBindable } + [id]) ?? 0
            let exists: Int64? = try database.scalar("SELECT 1 FROM \(table.name) WHERE id = ?", [id])
            guard exists != nil || historyRows > 0 else { throw StoreError.notFound(entity: table.singular, id: id) }

            // The files this item's rows have named, now or in its history.
            var fileIDs = Set<Int64>()
            if table.name == "records" {
                if let live: Int64 = try database.scalar("SELECT file_id FROM records WHERE id = ?", [id]) { fileIDs.insert(live) }
                try database.forEach("""
                    SELECT json_extract(snapshot, '$.file_id') FROM history
                    WHERE table_name = 'records' AND row_id = ? AND json_extract(snapshot, '$.file_id') IS NOT NULL
                    """, [id]) { row in fileIDs.insert(try row.get(0, as: Int64.self)) }
            }
            if exists != nil { try deleteRow(table.name, id: id) }
            // Every history row so far names this change's own deletions (their snapshots hold
            // the item) or the item's past: all go.
            let change = database.currentChangeID
            try database.run("DELETE FROM history WHERE change_id IS ?", [change])
            try database.run("DELETE FROM history WHERE table_name IN (\(placeholders)) AND row_id = ?",
                             historyTables.map { $0 as any SQLiteBindable } + [id])
            erasure.historyRows = Int(historyRows)
            for fileID in fileIDs.sorted() {
                let usedLive: Int64? = try database.scalar("SELECT 1 FROM records WHERE file_id = ? LIMIT 1", [fileID])
                let usedInHistory: Int64? = try database.scalar("""
                    SELECT 1 FROM history WHERE table_name = 'records' AND json_extract(snapshot, '$.file_id') = ? LIMIT 1
                    """, [fileID])
                guard usedLive == nil, usedInHistory == nil else { continue }
                // file_chunks and file_texts go with it (ON DELETE CASCADE).
                try database.run("DELETE FROM files WHERE id = ?", [fileID])
                erasure.fileErased = true
            }
            if table.name == "records" {
                try database.run("DELETE FROM export_records WHERE record_id = ?", [id])
                erasure.logRows += database.changes
            }
            if table.name == "results" {
                try database.run("DELETE FROM export_results WHERE result_id = ?", [id])
                erasure.logRows += database.changes
            }
            try database.run("DELETE FROM import_sources WHERE entity_table = ? AND row_id = ?", [table.name, id])
            // FTS5 keeps deleted text in its segments until they are merged: merge them all.
            try database.run("INSERT INTO \(SchemaCatalog.searchIndexTable) (\(SchemaCatalog.searchIndexTable)) VALUES ('optimize')")
        }
        try database.execute("VACUUM")
        erasure.walTruncated = try truncateWAL()
        return erasure
    }

    /// Copies the WAL back into the store file and truncates it to nothing; false when another
    /// connection keeps it in use.
    public func truncateWAL() throws -> Bool {
        let busy = try database.query("PRAGMA wal_checkpoint(TRUNCATE)") { row in try row.get(0, as: Int64.self) }
        return busy.first == 0
    }
}
