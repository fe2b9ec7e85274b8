/// One entry of the history: a row as it was before a change (or as inserted), and the change.
public struct HistoryEntry: Sendable, Hashable {
    public enum Operation: String, Sendable {
        case insert, update, delete
    }

    public let id: Int64
    public let changeID: Int64?
    /// What the change was, e.g. "provider edit".
    public let changeSummary: String?
    public let table: String
    public let rowID: Int64
    public let operation: Operation
    /// The row's columns before the change (update, delete) or as inserted (insert), as JSON text.
    ///
    /// The history stores only the key of an inserted row; the row as inserted is read back from
    /// the row's next version in the history (the old row an edit or removal kept), or from the
    /// row as it is now when it has not changed since.
    public let snapshot: String
    public let changedAt: String
}

/// One change: what one command did, as one transaction.
public struct Change: Sendable, Hashable {
    /// What made a change.
    public enum Kind: String, Sendable {
        /// A phr command the person ran: `undo` takes these back, newest first.
        case command
        /// A migration of a newer phr that fixed data: kept in the history, never undone by `undo`.
        case migration
    }

    public let id: Int64
    public let summary: String
    public let changedAt: String
    /// The change this one undid, if it is an undo.
    public let undoes: Int64?
    public let kind: Kind
}

extension HealthStore {
    /// The history, newest first: everything, one table's, one row's, or one change's.
    public func history(table: String? = nil, rowID: Int64? = nil, changeID: Int64? = nil,
                        limit: Int = 100) throws -> [HistoryEntry] {
        var columnsByTable: [String: [String]] = [:]
        return try storedHistory(table: table, rowID: rowID, changeID: changeID, limit: limit).map { entry in
            guard entry.operation == .insert, SchemaCatalog.table(named: entry.table)?.keepsHistory == true else {
                return entry
            }
            if columnsByTable[entry.table] == nil { columnsByTable[entry.table] = try columns(of: entry.table) }
            return HistoryEntry(id: entry.id, changeID: entry.changeID, changeSummary: entry.changeSummary,
                                table: entry.table, rowID: entry.rowID, operation: entry.operation,
                                snapshot: try insertedRow(entry, columns: columnsByTable[entry.table] ?? []),
                                changedAt: entry.changedAt)
        }
    }

    /// How many rows of each table change `changeID` added, edited and removed, in the order the
    /// change first touched each table: the summary of a change too large to list row by row.
    public func historyCounts(changeID: Int64) throws -> [(table: String, operation: HistoryEntry.Operation, count: Int)] {
        try database.query("""
            SELECT table_name, operation, count(*) AS rows FROM history WHERE change_id = ?
            GROUP BY table_name, operation ORDER BY min(id) DESC
            """, [changeID]) { row in
            (try row.get("table_name"), try Field.enumeration(row.get("operation"), column: "history.operation"),
             try row.get("rows"))
        }
    }

    /// The history rows as stored (an insert's snapshot holds its key only).
    private func storedHistory(table: String?, rowID: Int64?, changeID: Int64?, limit: Int) throws -> [HistoryEntry] {
        try database.query("""
            SELECT h.id, h.change_id, c.summary, h.table_name, h.row_id, h.operation, h.snapshot, h.changed_at
            FROM history h LEFT JOIN changes c ON c.id = h.change_id
            WHERE (? IS NULL OR h.table_name = ?) AND (? IS NULL OR h.row_id = ?) AND (? IS NULL OR h.change_id = ?)
            ORDER BY h.id DESC LIMIT ?
            """, [table, table, rowID, rowID, changeID, changeID, limit]) { row in
            HistoryEntry(id: try row.get("id"), changeID: try row.get("change_id"), changeSummary: try row.get("summary"),
                         table: try row.get("table_name"), rowID: try row.get("row_id"),
                         operation: try Field.enumeration(row.get("operation"), column: "history.operation"),
                         snapshot: try row.get("snapshot"), changedAt: try row.get("changed_at"))
        }
    }

    /// The row an insert entry added, as it was then: the old row kept by its next edit or removal,
    /// else the row as it is now, else (the row is gone without a trace) the key alone.
    private func insertedRow(_ entry: HistoryEntry, columns: [String]) throws -> String {
        try nextVersion(entry.table, key: entry.snapshot, rowID: entry.rowID, after: entry.id)
            ?? currentRow(entry.table, key: entry.snapshot, columns: columns) ?? entry.snapshot
    }

    /// The changes, newest first.
    public func changes(limit: Int = 100) throws -> [Change] {
        try database.query("SELECT id, summary, changed_at, undoes, kind FROM changes ORDER BY id DESC LIMIT ?", [limit], Change.init)
    }

    /// Undoes the latest change made by a command that is not an undo and has not been undone:
    /// its inserted rows are removed (by key), its edited rows get their old values back, its
    /// removed rows return. Changes of kind `migration` are never taken back. Run inside `write`;
    /// the undo is itself a change in the history. Returns the change undone.
    @discardableResult
    public func undoLastChange() throws -> Change {
        let current = database.currentChangeID
        let candidates = try database.query("""
            SELECT id, summary, changed_at, undoes, kind FROM changes c
            WHERE undoes IS NULL AND kind = 'command' AND id IS NOT ?
              AND NOT EXISTS (SELECT 1 FROM changes u WHERE u.undoes = c.id)
              AND EXISTS (SELECT 1 FROM history h WHERE h.change_id = c.id)
            ORDER BY id DESC LIMIT 1
            """, [current], Change.init)
        guard let change = candidates.first else { throw StoreError.nothingToUndo("no change left to undo") }
        try reverse(change)
        if let current {
            try database.run("UPDATE changes SET summary = ?, undoes = ? WHERE id = ?", ["undo: \(change.summary)", change.id, current])
        }
        return change
    }

    /// Takes back the last change when it is an undo (`phr redo`), as a new change that `undo`
    /// can take back in turn. Returns the undo taken back. Run inside `write`.
    ///
    /// Only the latest change can be redone: once anything else has changed since the undo, what
    /// was undone stays undone (throws `nothingToUndo`), so a redo never overwrites later work.
    public func redoLastUndo() throws -> Change {
        let current = database.currentChangeID
        let latest = try database.query("""
            SELECT id, summary, changed_at, undoes, kind FROM changes c
            WHERE kind = 'command' AND id IS NOT ?
              AND EXISTS (SELECT 1 FROM history h WHERE h.change_id = c.id)
            ORDER BY id DESC LIMIT 1
            """, [current], Change.init)
        guard let undo = latest.first, undo.undoes != nil else {
            throw StoreError.nothingToUndo("nothing to redo: the last change was not an undo")
        }
        try reverse(undo)
        if let current {
            let summary = undo.summary.hasPrefix("undo: ") ? String(undo.summary.dropFirst("undo: ".count)) : undo.summary
            try database.run("UPDATE changes SET summary = ? WHERE id = ?", ["redo: \(summary)", current])
        }
        return undo
    }

    /// Gives every row `change` touched the values it had before, newest first.
    private func reverse(_ change: Change) throws {
        // Rows come back in reverse order; a parent and the children its removal cascaded to may
        // come back in either order, so foreign keys are checked when the undo commits.
        try database.execute("PRAGMA defer_foreign_keys = ON")
        let entries = try database.query(
            "SELECT table_name, row_id, operation, snapshot, id FROM history WHERE change_id = ? ORDER BY id DESC",
            [change.id]) { row in
            (table: try row.get("table_name", as: String.self), rowID: try row.get("row_id", as: Int64.self),
             operation: try row.get("operation", as: String.self), snapshot: try row.get("snapshot", as: String.self),
             id: try row.get("id", as: Int64.self))
        }
        for entry in entries {
            do {
                switch entry.operation {
                case "insert": try deleteSnapshotRow(entry.table, entry.snapshot)
                case "update": try restoreEditedColumns(entry.table, entry.snapshot, rowID: entry.rowID, historyID: entry.id)
                default: try insertSnapshotRow(entry.table, entry.snapshot)
                }
            } catch let error as SQLiteError where error.isConstraintViolation {
                throw StoreError.cannotUndo("'\(change.summary)' is needed by later changes; undo or change those first")
            }
        }
    }

    /// Brings back a removed row (the latest removal of `rowID` from `table`). Run inside `write`.
    public func restoreRemoved(table: String, rowID: Int64) throws {
        guard SchemaCatalog.table(named: table)?.keepsHistory == true else {
            throw StoreError.invalidField(field: "kind", reason: "nothing of kind '\(table)' is kept in the history")
        }
        let present: Int64? = try database.scalar("SELECT 1 FROM \(table) WHERE id = ?", [rowID])
        guard present == nil else { throw StoreError.nothingToUndo("\(table) \(rowID) has not been removed") }
        guard let snapshot: String = try database.scalar("""
            SELECT snapshot FROM history WHERE table_name = ? AND row_id = ? AND operation = 'delete'
            ORDER BY id DESC LIMIT 1
            """, [table, rowID]) else {
            throw StoreError.nothingToUndo("\(table) \(rowID) was never removed")
        }
        do {
            try insertSnapshotRow(table, snapshot)
            // Rows removed with it (e.g. a record's diagnosis links) come back with it.
            for dependent in SchemaCatalog.removedWith(table) {
                let links = try database.query("""
                    SELECT snapshot FROM history WHERE table_name = ? AND operation = 'delete'
                      AND change_id = (SELECT change_id FROM history WHERE table_name = ? AND row_id = ?
                                       AND operation = 'delete' ORDER BY id DESC LIMIT 1)
                      AND json_extract(snapshot, '$.\(dependent.column)') = ?
                    ORDER BY id
                    """, [dependent.table, table, rowID, rowID]) { try $0.get(0, as: String.self) }
                for link in links { try? insertSnapshotRow(dependent.table, link) }
            }
        } catch let error as SQLiteError where error.isConstraintViolation {
            throw StoreError.cannotUndo("\(table) \(rowID) refers to something that no longer exists; restore that first")
        }
    }

    // The three row operations. Table and column names come from the catalog and the live schema
    // (`pragma_table_xinfo`), never from input; values come from the snapshot through bound JSON.

    private func columns(of table: String) throws -> [String] {
        guard SchemaCatalog.table(named: table)?.keepsHistory == true else {
            throw StoreError.cannotUndo("the history names an unknown table")
        }
        return try SchemaCatalog.columns(of: table, in: database)
    }

    private func keyCondition(_ table: String) -> String {
        (SchemaCatalog.table(named: table)?.history?.key ?? ["id"])
            .map { "\($0) = json_extract(?1, '$.\($0)')" }.joined(separator: " AND ")
    }

    private func insertSnapshotRow(_ table: String, _ snapshot: String) throws {
        let names = try columns(of: table)
        let values = names.map { "json_extract(?1, '$.\($0)')" }.joined(separator: ", ")
        try database.run("INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(values))", [snapshot])
    }

    /// Gives a row back the values one edit changed: the columns where the old row (`snapshot`)
    /// differs from the row as the edit left it (its next version in the history, else the row as
    /// it is now). Columns changed since by a change that is not undone with it (a migration's data
    /// fix, a column added later) keep their values.
    private func restoreEditedColumns(_ table: String, _ snapshot: String, rowID: Int64, historyID: Int64) throws {
        let names = try columns(of: table)
        var restored = names
        if let after = try nextVersion(table, key: snapshot, rowID: rowID, after: historyID) ?? currentRow(table, key: snapshot) {
            let changed = try Set(database.query("""
                SELECT b.key FROM json_each(?1) b LEFT JOIN json_each(?2) a ON a.key = b.key
                WHERE a.key IS NULL OR a.type IS NOT b.type OR a.atom IS NOT b.atom
                """, [snapshot, after]) { try $0.get(0, as: String.self) })
            restored = names.filter(changed.contains)
        }
        guard !restored.isEmpty else { return }
        let assignments = restored.map { "\($0) = json_extract(?1, '$.\($0)')" }.joined(separator: ", ")
        try database.run("UPDATE \(table) SET \(assignments) WHERE \(keyCondition(table))", [snapshot])
    }

    /// The next version of the row whose key is in `key` (a snapshot) after history row `id`: the
    /// old row kept by its next edit or removal.
    private func nextVersion(_ table: String, key: String, rowID: Int64, after id: Int64) throws -> String? {
        guard let columns = SchemaCatalog.table(named: table)?.history?.key else { return nil }
        let sameRow = columns.map { "json_extract(snapshot, '$.\($0)') IS json_extract(?1, '$.\($0)')" }
            .joined(separator: " AND ")
        return try database.scalar("""
            SELECT snapshot FROM history
            WHERE table_name = ?2 AND row_id = ?3 AND id > ?4 AND operation <> 'insert' AND \(sameRow)
            ORDER BY id LIMIT 1
            """, [key, table, rowID, id])
    }

    /// The row whose key is in `key` as it is now, as a JSON object of its live columns.
    private func currentRow(_ table: String, key: String, columns known: [String]? = nil) throws -> String? {
        let object = try (known ?? columns(of: table)).map { "'\($0)', \($0)" }.joined(separator: ", ")
        return try database.scalar("SELECT json_object(\(object)) FROM \(table) WHERE \(keyCondition(table))", [key])
    }

    private func deleteSnapshotRow(_ table: String, _ snapshot: String) throws {
        try database.run("DELETE FROM \(table) WHERE \(keyCondition(table))", [snapshot])
    }
}

extension Change {
    /// A change from a row of `changes` (`id, summary, changed_at, undoes, kind`).
    init(row: Row) throws {
        self.init(id: try row.get("id"), summary: try row.get("summary"), changedAt: try row.get("changed_at"),
                  undoes: try row.get("undoes"), kind: try Field.enumeration(row.get("kind"), column: "changes.kind"))
    }
}
