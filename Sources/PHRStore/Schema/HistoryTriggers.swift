import Foundation

/// The history triggers of phr's tables, generated from the catalog and the live columns.
///
/// For every catalogued table that keeps history, three triggers copy rows into `history`:
/// - `<table>_history_insert`: the new row's key only (`SchemaTable.History.key`); undo of an
///   insert deletes by key, and the row as inserted is the first later snapshot of it (or the row
///   as it is now), so nothing is lost by storing less;
/// - `<table>_history_update` and `<table>_history_delete`: the whole old row, every column.
///
/// Each history row names its change with `phr_change_id()` (the change the connection has open,
/// see `Connection.currentChangeID`): a write to one of these tables outside a change fails rather
/// than being filed under someone else's change.
///
/// `update(in:)` runs after every migration, inside its transaction, so that a migration which adds
/// a column gets history for it without a line of trigger SQL. It rewrites the triggers only when
/// the generated SQL differs from the triggers the store has (SQLite keeps each trigger's text in
/// `sqlite_schema`), so opening an up-to-date store reads the schema and writes nothing, and a
/// trigger dropped or edited by hand is put back on the next open.
enum HistoryTriggers {
    /// The SQL expression for when a history row was written.
    static let timeExpression = "phr_now()"
    /// The SQL expression for the change a history row belongs to.
    static let changeExpression = "phr_change_id()"

    /// The operations a trigger is generated for: its name suffix, its SQL event, and which row
    /// (`NEW`, `OLD`) it copies.
    static let operations: [(name: String, event: String, row: String)] = [
        ("insert", "INSERT", "NEW"), ("update", "UPDATE", "OLD"), ("delete", "DELETE", "OLD"),
    ]

    static func triggerName(_ table: String, _ operation: String) -> String { "\(table)_history_\(operation)" }

    /// The history entries of `count` rows inserted while their tables' insert triggers are set
    /// aside (`InsertTriggersSetAside`), in order, with the values bound five a row: change,
    /// table, row id, `insertSnapshot` and time. Each is the entry `<table>_history_insert` writes
    /// for a table whose history is `.byID` (a test compares the two).
    static func insertEntriesSQL(count: Int) -> String {
        "INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at) VALUES "
            + repeatElement("(?, ?, ?, 'insert', ?, ?)", count: count).joined(separator: ", ")
    }

    /// The snapshot of an inserted row whose history is `.byID`: `json_object('id', id)`.
    static func insertSnapshot(id: Int64) -> String { "{\"id\":\(id)}" }

    /// The three `CREATE TRIGGER` statements of `table`, given its columns, by trigger name
    /// (without a final semicolon: as `sqlite_schema` keeps them).
    static func createStatements(for table: SchemaTable, history: SchemaTable.History,
                                 columns: [String]) -> [(name: String, sql: String)] {
        operations.map { operation in
            let snapshotColumns = operation.name == "insert" ? history.key : columns
            let snapshot = snapshotColumns.map { "\(literal($0)), \(operation.row).\(identifier($0))" }
                .joined(separator: ", ")
            let rowID = history.rowID.map { "\(operation.row).\(identifier($0))" } ?? "0"
            let name = triggerName(table.name, operation.name)
            return (name, """
                CREATE TRIGGER \(identifier(name)) AFTER \(operation.event) ON \(identifier(table.name)) BEGIN
                    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
                    VALUES (\(changeExpression), \(literal(table.name)), \(rowID), '\(operation.name)', json_object(\(snapshot)), \(timeExpression));
                END
                """)
        }
    }

    /// The history triggers every catalogued table of the live schema should have, by name.
    static func generated(in db: Connection) throws -> [String: String] {
        var triggers: [String: String] = [:]
        for table in SchemaCatalog.tables {
            guard let history = table.history else { continue }
            let columns = try SchemaCatalog.columns(of: table.name, in: db)
            guard !columns.isEmpty else { continue }
            for trigger in createStatements(for: table, history: history, columns: columns) {
                triggers[trigger.name] = trigger.sql
            }
        }
        return triggers
    }

    /// The history triggers the store has on catalogued tables, by name.
    static func installed(in db: Connection) throws -> [String: String] {
        let tables = Set(SchemaCatalog.tables.map(\.name))
        var triggers: [String: String] = [:]
        try db.forEach("""
            SELECT name, tbl_name, sql FROM sqlite_schema
            WHERE type = 'trigger' AND name LIKE '%\\_history\\_%' ESCAPE '\\'
            """) { row in
            // By the table's own prefix: `family_history_search_insert` has `_history_` in it too.
            let table = try row.get(1, as: String.self), name = try row.get(0, as: String.self)
            if tables.contains(table), name.hasPrefix(table + "_history_") {
                triggers[name] = try row.get(2, as: String.self)
            }
        }
        return triggers
    }

    /// Whether the store's history triggers are exactly the generated ones.
    static func isCurrent(in db: Connection) throws -> Bool {
        try installed(in: db) == generated(in: db)
    }

    /// Brings the store's history triggers in line with the catalog and the live columns: drops
    /// those that differ or should not exist, creates the missing. Run it inside a write
    /// transaction. Returns whether anything was rewritten.
    @discardableResult
    static func update(in db: Connection) throws -> Bool {
        let wanted = try generated(in: db)
        let present = try installed(in: db)
        guard wanted != present else { return false }
        for (name, sql) in present where wanted[name] != sql {
            try db.execute("DROP TRIGGER \(identifier(name))")
        }
        for (name, sql) in wanted.sorted(by: { $0.key < $1.key }) where present[name] != sql {
            try db.execute(sql)
        }
        return true
    }

    /// `name` as an SQL identifier: double-quoted, quotes doubled.
    static func identifier(_ name: String) -> String { quoted(name, by: "\"") }

    /// `text` as an SQL string literal.
    static func literal(_ text: String) -> String { quoted(text, by: "'") }

    /// `text` between two `quote`s, each `quote` inside doubled. Every store open compares the
    /// generated triggers with the store's, so this avoids Foundation's string replacing.
    private static func quoted(_ text: String, by quote: Character) -> String {
        var result = String(quote)
        result.reserveCapacity(text.utf8.count + 2)
        for character in text {
            result.append(character)
            if character == quote { result.append(quote) }
        }
        result.append(quote)
        return result
    }
}
