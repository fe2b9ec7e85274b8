import Crypto
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
/// the generated SQL differs from what the store has (its SHA-256 is kept in `schema_generated`),
/// so opening an up-to-date store reads a few pragmas and writes nothing.
enum HistoryTriggers {
    /// The SQL expression for when a history row was written.
    static let timeExpression = "phr_now()"
    /// The SQL expression for the change a history row belongs to.
    static let changeExpression = "phr_change_id()"

    /// The row name under which the fingerprint of the generated triggers is kept.
    static let fingerprintName = "history_triggers"

    static let createBookkeeping = """
        CREATE TABLE IF NOT EXISTS schema_generated (
            name    TEXT PRIMARY KEY NOT NULL,
            sha256  TEXT NOT NULL
        ) STRICT, WITHOUT ROWID
        """

    /// The operations a trigger is generated for: its name suffix, its SQL event, and which row
    /// (`NEW`, `OLD`) it copies.
    static let operations: [(name: String, event: String, row: String)] = [
        ("insert", "INSERT", "NEW"), ("update", "UPDATE", "OLD"), ("delete", "DELETE", "OLD"),
    ]

    static func triggerName(_ table: String, _ operation: String) -> String { "\(table)_history_\(operation)" }

    /// The three `CREATE TRIGGER` statements of `table`, given its columns.
    static func createSQL(for table: SchemaTable, history: SchemaTable.History, columns: [String]) -> String {
        operations.map { operation in
            let snapshotColumns = operation.name == "insert" ? history.key : columns
            let snapshot = snapshotColumns.map { "\(literal($0)), \(operation.row).\(identifier($0))" }
                .joined(separator: ", ")
            let rowID = history.rowID.map { "\(operation.row).\(identifier($0))" } ?? "0"
            return """
                CREATE TRIGGER \(identifier(triggerName(table.name, operation.name))) AFTER \(operation.event) ON \(identifier(table.name)) BEGIN
                    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
                    VALUES (\(changeExpression), \(literal(table.name)), \(rowID), '\(operation.name)', json_object(\(snapshot)), \(timeExpression));
                END;
                """
        }.joined(separator: "\n")
    }

    /// The statements that give every catalogued table of the live schema its history triggers
    /// (dropping those of tables that keep none), and their fingerprint.
    static func generated(in db: Connection) throws -> (drop: String, create: String, fingerprint: String) {
        var drop: [String] = []
        var create: [String] = []
        for table in SchemaCatalog.tables {
            let columns = try SchemaCatalog.columns(of: table.name, in: db)
            guard !columns.isEmpty else { continue }
            drop += operations.map { "DROP TRIGGER IF EXISTS \(identifier(triggerName(table.name, $0.name)));" }
            if let history = table.history { create.append(createSQL(for: table, history: history, columns: columns)) }
        }
        let createText = create.joined(separator: "\n")
        return (drop.joined(separator: "\n"), createText, Hex.encode(SHA256.hash(data: Array(createText.utf8))))
    }

    /// Brings the store's history triggers in line with the catalog and the live columns. Run it
    /// inside a write transaction. Returns whether anything was rewritten.
    @discardableResult
    static func update(in db: Connection) throws -> Bool {
        let generated = try generated(in: db)
        let stored = try storedFingerprint(in: db)
        // A database without phr's tables (a test's own schema) gets no bookkeeping table either.
        guard !generated.create.isEmpty || stored != nil else { return false }
        // A table rebuilt by a migration (new table, copy, drop, rename) lost its triggers with the
        // old table, though its columns, and so the fingerprint, are the same.
        guard try stored != generated.fingerprint || missingTriggers(in: db) else { return false }
        try db.execute(generated.drop)
        try db.execute(generated.create)
        try db.execute(createBookkeeping)
        try db.run("INSERT OR REPLACE INTO schema_generated (name, sha256) VALUES (?, ?)",
                   [fingerprintName, generated.fingerprint])
        return true
    }

    /// Whether the store's triggers are the ones `update(in:)` would write.
    static func isCurrent(in db: Connection) throws -> Bool {
        let generated = try generated(in: db)
        if generated.create.isEmpty { return true }
        return try storedFingerprint(in: db) == generated.fingerprint && !missingTriggers(in: db)
    }

    /// Whether a catalogued table that keeps history lacks one of its triggers.
    private static func missingTriggers(in db: Connection) throws -> Bool {
        let present = Set(try db.query("SELECT name FROM sqlite_schema WHERE type = 'trigger'") { try $0.get(0, as: String.self) })
        for table in SchemaCatalog.tables where table.history != nil {
            guard try !SchemaCatalog.columns(of: table.name, in: db).isEmpty else { continue }
            if operations.contains(where: { !present.contains(triggerName(table.name, $0.name)) }) { return true }
        }
        return false
    }

    private static func storedFingerprint(in db: Connection) throws -> String? {
        let exists: Int64? = try db.scalar(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_generated'")
        guard exists == 1 else { return nil }
        return try db.scalar("SELECT sha256 FROM schema_generated WHERE name = ?", [fingerprintName])
    }

    /// `name` as an SQL identifier: double-quoted, quotes doubled.
    static func identifier(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// `text` as an SQL string literal.
    static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}
