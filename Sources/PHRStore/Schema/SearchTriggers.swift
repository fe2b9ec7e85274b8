import Foundation

/// The search index triggers of phr's tables, generated from the catalog's search fields
/// (`SchemaTable.Search`), as `HistoryTriggers` generates the history triggers.
///
/// For every catalogued table with search fields, three triggers keep its rows in `search_index`:
/// - `<table>_search_insert`: indexes the new row;
/// - `<table>_search_update`: removes the old row's entry and indexes the new row;
/// - `<table>_search_delete`: removes the old row's entry.
/// A row's entry has the rowid `id * 16 + code` (`SchemaTable.Search.code`), so the triggers find it
/// without a scan. Its title is the first title column that is set (or `untitled`), its body the
/// body columns and the looked-up text (a record's file text), separated by spaces and trimmed.
/// A table whose text is looked up (`file_texts` for records) gets `<lookup>_search_insert`, which
/// indexes again the rows the new text belongs to.
///
/// These index only while `phr_search_deferred()` is 0. During a bulk write it is 1, and
/// `<table>_search_pending_insert|update|delete` (and `<lookup>_search_pending_insert`) instead
/// note the entry of each row written in `search_index_pending`; `indexPending(in:)`, at the end of
/// the bulk write, indexes every noted entry in one statement per table and batch of rows, so that
/// FTS5 writes a few index segments for the whole write instead of one per row (see migration
/// 0010). Either way the index ends the same.
///
/// `update(in:)` runs with `HistoryTriggers.update(in:)` after every migration, inside its
/// transaction, and compares with `sqlite_schema`'s text. When a table's triggers change, its rows
/// are indexed again, so a table that gains search fields has its existing rows found too.
enum SearchTriggers {
    static let index = SchemaCatalog.searchIndexTable
    static let pending = SchemaCatalog.searchIndexTable + "_pending"
    private static let whenIndexing = "WHEN NOT \(Connection.searchDeferralFunctionName)()"
    private static let whenDeferred = "WHEN \(Connection.searchDeferralFunctionName)()"

    static func triggerName(_ table: String, _ operation: String) -> String { "\(table)_search_\(operation)" }

    /// The rowid of the entry of the row `row` (`NEW`, `OLD` or a table alias).
    static func rowID(_ row: String, _ search: SchemaTable.Search) -> String { "\(row).id * 16 + \(search.code)" }

    /// The column list and values of the entry of `row`, as `INSERT INTO search_index (…) VALUES (…)`
    /// or `SELECT …` takes them.
    static let entryColumns = "rowid, kind, item_id, patient_id, on_date, title, body"

    static func entryValues(_ row: String, _ search: SchemaTable.Search) -> String {
        func column(_ name: String) -> String { "\(row).\(name)" }
        func value(_ source: SchemaTable.Search.Source) -> String {
            switch source {
            case .column(let name): return column(name)
            case .day(let name): return "substr(\(column(name)), 1, 10)"
            case .lookup(let table, let value, let key, let from):
                return "(SELECT \(value) FROM \(table) WHERE \(key) = \(column(from)))"
            }
        }
        let title: String
        if search.title.count == 1, search.untitled == nil {
            title = column(search.title[0])
        } else {
            title = "coalesce(" + (search.title.map(column) + (search.untitled.map { [HistoryTriggers.literal($0)] } ?? []))
                .joined(separator: ", ") + ")"
        }
        let bodyParts = search.body.map(column) + search.bodyLookups.map { value($0) }
        let body = bodyParts.isEmpty ? "''"
            : "trim(" + bodyParts.map { "coalesce(\($0), '')" }.joined(separator: " || ' ' || ") + ")"
        return [rowID(row, search), HistoryTriggers.literal(search.kind), column("id"), value(search.patient),
                value(search.date), title, body].joined(separator: ", ")
    }

    /// The `CREATE TRIGGER` statements of `table`, by trigger name (without a final semicolon: as
    /// `sqlite_schema` keeps them).
    /// `deferrable`: whether the store has `search_index_pending` (migration 0010); before it, the
    /// triggers always index.
    static func createStatements(for table: SchemaTable, search: SchemaTable.Search,
                                 deferrable: Bool = true) -> [(name: String, sql: String)] {
        let whenIndexing = deferrable ? " " + whenIndexing : ""
        let name = HistoryTriggers.identifier(table.name)
        let insert = "INSERT INTO \(index) (\(entryColumns))\n    VALUES (\(entryValues("NEW", search)));"
        let delete = "DELETE FROM \(index) WHERE rowid = \(rowID("OLD", search));"
        func note(_ row: String) -> String { "INSERT OR IGNORE INTO \(pending) (entry) VALUES (\(rowID(row, search)));" }
        func trigger(_ operation: String, _ event: String, _ when: String, _ body: [String]) -> (name: String, sql: String) {
            let triggerName = triggerName(table.name, operation)
            return (triggerName, "CREATE TRIGGER \(triggerName) AFTER \(event) ON \(name)\(when) BEGIN\n    "
                    + body.joined(separator: "\n    ") + "\nEND")
        }
        var statements = [
            trigger("insert", "INSERT", whenIndexing, [insert]),
            trigger("update", "UPDATE", whenIndexing, [delete, insert]),
            trigger("delete", "DELETE", whenIndexing, [delete]),
        ]
        if deferrable {
            statements += [
                trigger("pending_insert", "INSERT", " " + whenDeferred, [note("NEW")]),
                trigger("pending_update", "UPDATE", " " + whenDeferred, [note("OLD"), note("NEW")]),
                trigger("pending_delete", "DELETE", " " + whenDeferred, [note("OLD")]),
            ]
        }
        // Text that arrives after its row (a record's file text): index those rows again.
        for case .lookup(let lookupTable, _, let key, let from) in search.bodyLookups {
            let lookup = HistoryTriggers.identifier(lookupTable)
            let trigger = triggerName(lookupTable, "insert")
            statements.append((trigger, """
                CREATE TRIGGER \(trigger) AFTER INSERT ON \(lookup)\(whenIndexing) BEGIN
                    DELETE FROM \(index) WHERE rowid IN (SELECT \(rowID(name, search)) FROM \(name) WHERE \(from) = NEW.\(key));
                    INSERT INTO \(index) (\(entryColumns))
                    SELECT \(entryValues(name, search)) FROM \(name) WHERE \(from) = NEW.\(key);
                END
                """))
            guard deferrable else { continue }
            let deferred = triggerName(lookupTable, "pending_insert")
            statements.append((deferred, """
                CREATE TRIGGER \(deferred) AFTER INSERT ON \(lookup) \(whenDeferred) BEGIN
                    INSERT OR IGNORE INTO \(pending) (entry) SELECT \(rowID(name, search)) FROM \(name) WHERE \(from) = NEW.\(key);
                END
                """))
        }
        return statements
    }

    /// Indexes the rows of `table` whose id is above `mark`: the rows a bulk write added while the
    /// insert triggers were set aside (`InsertTriggersSetAside`), which have no entry yet (ids only
    /// grow, and a removed row's entry is removed with it). A few statements for the whole table
    /// (`indexByIDs`), as `indexPending(in:)` does; rows that other SQL wrote again after adding
    /// them are in `search_index_pending` as well, and `indexPending` replaces their entries
    /// afterwards.
    static func indexRows(of table: SchemaTable, search: SchemaTable.Search, above mark: Int64,
                          through last: Int64? = nil, in db: Connection) throws(SQLiteError) {
        try indexByIDs(HistoryTriggers.identifier(table.name), search, above: mark, through: last, in: db)
    }

    /// The ids one statement indexes at most. SQLite first copies the rows an `INSERT INTO` a
    /// virtual table selects into a temporary table, which `temp_store = MEMORY` keeps in memory:
    /// indexing a million results in one statement took 150 MiB. Rows are indexed this many ids at
    /// a time (ids are dense: a table's ids are mostly consecutive), and entries noted in
    /// `search_index_pending` this many rows' worth of entries at a time.
    static let idsPerStatement: Int64 = 16_384

    /// Indexes the rows of the table `name` (quoted) whose id is above `low` (and at most `last`,
    /// when given), `idsPerStatement` ids at a time.
    private static func indexByIDs(_ name: String, _ search: SchemaTable.Search, above low: Int64,
                                   through last: Int64?, in db: Connection) throws(SQLiteError) {
        let high: Int64
        if let last { high = last } else { high = try db.scalar("SELECT coalesce(max(id), 0) FROM \(name)") ?? 0 }
        var start = low
        while start < high {
            let end = min(start + idsPerStatement, high)
            try db.run("INSERT INTO \(index) (\(entryColumns)) SELECT \(entryValues(name, search)) FROM \(name) WHERE id > ? AND id <= ?",
                       [start, end])
            start = end
        }
    }

    /// Indexes again every entry noted in `search_index_pending` (by a bulk write), and empties it:
    /// the entries of rows that no longer exist are removed, the others replaced by their rows'
    /// current text. One statement per table for each `idsPerStatement` rows' worth of entries
    /// (see `idsPerStatement`). Run inside the write, with deferral off.
    static func indexPending(in db: Connection) throws {
        guard let highest: Int64 = try db.scalar("SELECT max(entry) FROM \(pending)") else { return }
        var start: Int64 = try db.scalar("SELECT min(entry) - 1 FROM \(pending)") ?? 0
        // An entry is a row's id times 16 plus its table's code (`rowID`).
        let entriesPerStatement = idsPerStatement * 16
        while start < highest {
            let end = min(start + entriesPerStatement, highest)
            try db.run("DELETE FROM \(index) WHERE rowid IN (SELECT entry FROM \(pending) WHERE entry > ? AND entry <= ?)", [start, end])
            for table in SchemaCatalog.tables {
                guard let search = table.search else { continue }
                let name = HistoryTriggers.identifier(table.name)
                try db.run("""
                    INSERT INTO \(index) (\(entryColumns)) SELECT \(entryValues(name, search)) FROM \(name)
                    WHERE id IN (SELECT entry >> 4 FROM \(pending) WHERE entry > ? AND entry <= ? AND (entry & 15) = \(search.code))
                    """, [start, end])
            }
            start = end
        }
        try db.execute("DELETE FROM \(pending)")
    }

    /// The search triggers the catalogued tables of the live schema should have, by name, with the
    /// table each indexes and its search fields as the live table has them: a body column a later
    /// migration adds (`source_notes`, migration 18) is searched from that migration on.
    static func generated(in db: Connection) throws -> [String: (table: SchemaTable, search: SchemaTable.Search, sql: String)] {
        let live = Set(try SchemaCatalog.liveTables(in: db))
        guard try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = ?", [index]) as Int64? == 1 else {
            return [:]
        }
        let deferrable = try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = ?", [pending]) as Int64? == 1
        var triggers: [String: (table: SchemaTable, search: SchemaTable.Search, sql: String)] = [:]
        for table in SchemaCatalog.tables where live.contains(table.name) {
            guard let catalogued = table.search else { continue }
            let columns = Set(try SchemaCatalog.columns(of: table.name, in: db))
            let search = catalogued.keepingBody(columns)
            for trigger in createStatements(for: table, search: search, deferrable: deferrable) {
                triggers[trigger.name] = (table, search, trigger.sql)
            }
        }
        return triggers
    }

    /// The search triggers the store has, by name.
    static func installed(in db: Connection) throws -> [String: String] {
        var triggers: [String: String] = [:]
        try db.forEach("""
            SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name LIKE '%\\_search\\_%' ESCAPE '\\'
            """) { row in
            triggers[try row.get(0, as: String.self)] = try row.get(1, as: String.self)
        }
        return triggers
    }

    /// Whether the store's search triggers are exactly the generated ones.
    static func isCurrent(in db: Connection) throws -> Bool {
        try installed(in: db) == generated(in: db).mapValues(\.sql)
    }

    /// Brings the store's search triggers in line with the catalog: drops those that differ or
    /// should not exist, creates the missing, and indexes again the rows of every table whose
    /// triggers changed. Run it inside a write transaction. Returns whether anything was rewritten.
    @discardableResult
    static func update(in db: Connection) throws -> Bool {
        let wanted = try generated(in: db)
        let present = try installed(in: db)
        var changed: [String: (table: SchemaTable, search: SchemaTable.Search)] = [:]
        for (name, sql) in present where wanted[name]?.sql != sql {
            try db.execute("DROP TRIGGER \(HistoryTriggers.identifier(name))")
        }
        for (name, trigger) in wanted.sorted(by: { $0.key < $1.key }) where present[name] != trigger.sql {
            try db.execute(trigger.sql)
            changed[trigger.table.name] = (trigger.table, trigger.search)
        }
        for (table, search) in changed.values.sorted(by: { $0.table.name < $1.table.name }) {
            let name = HistoryTriggers.identifier(table.name)
            try db.run("DELETE FROM \(index) WHERE kind = ?", [search.kind])
            try indexByIDs(name, search, above: 0, through: nil, in: db)
        }
        return !changed.isEmpty || present.keys.contains { wanted[$0] == nil }
    }
}
