internal import CSQLite

/// The insert triggers of phr's item tables, set aside for one bulk write, and their work done
/// without them; with them, the listing indexes of the item tables the write finds empty
/// (`ListingIndexesSetAside`).
///
/// Why: SQLite runs a statement that fires a trigger and may fail part-way (a CHECK that calls
/// `length()`, a trigger calling `phr_now()`, a foreign key: every insert into an item table)
/// inside a statement journal, and copies every page the statement changes into it first. An
/// import inserts one row per statement, so every row copied its table's and its indexes' pages
/// (an eighth of the importing thread's instructions, and more of its time: a trigger that never
/// fires doubled the cost of an insert into `results`). A single-row INSERT that fires no trigger
/// needs no journal.
///
/// From `init` to `putBack()`, inside the bulk write's transaction:
/// - the item tables (catalogued `.item` tables whose history is `.byID`) have no history or
///   search insert triggers, and those that were empty have none of their listing indexes;
/// - every row `Connection.insert(into:_:then:)` adds to one of them is passed to `noteInsert`,
///   which holds back the history entry the trigger would have written; entries held back are
///   written in batches of up to `batchSize` rows (`HistoryTriggers.insertEntriesSQL`: one
///   statement of 32 rows costs much less than 32 statements), and always before any statement
///   reads or writes `history` (`HistoryAccess`), so every entry takes the place in the history
///   the trigger would have given it;
/// - `indexAhead(rows:)` indexes for search, a batch at a time, rows already added; `putBack()`
///   indexes every row added after those (the rows above the table's mark or the last row indexed
///   ahead, as ids only grow: one `SearchTriggers.indexRows` statement per table), checks that no
///   row was added by other SQL (it would lack its history: the write fails instead), and creates
///   the triggers and indexes again from the SQL the store had, so `HistoryTriggers.isCurrent`
///   and `SearchTriggers.isCurrent` hold;
///   a store that carried its migrator's stamp (`SchemaStamp`) is stamped again, unless something
///   else changed the schema meanwhile, so the next open need not check it.
/// The triggers and indexes are part of the schema, so a write that fails or is killed rolls
/// their setting aside back with everything else.
final class InsertTriggersSetAside {
    /// One table whose insert triggers are set aside. A class: `noteInsert` updates its counts for
    /// every row without copying the catalog's entry out of the dictionary and back.
    private final class Table {
        let catalog: SchemaTable
        /// The largest id before the write: every row the write adds is above it.
        let mark: Int64
        /// How many rows `noteInsert` has seen, and the last id.
        var noted = 0
        var lastNoted: Int64
        /// The rows up to this id have been indexed for search by `indexAhead` (`mark` before).
        var indexedThrough: Int64

        init(catalog: SchemaTable, mark: Int64) {
            self.catalog = catalog
            self.mark = mark
            lastNoted = mark
            indexedThrough = mark
        }
    }

    private let db: Connection
    private var tables: [String: Table] = [:]
    /// The triggers set aside, in the order the store had them.
    private let triggers: [(name: String, sql: String)]
    /// The listing indexes set aside.
    private let indexes: ListingIndexesSetAside
    /// The history entries held back, five values each (`HistoryTriggers.insertEntriesSQL`).
    private var heldBack: [SQLiteValue] = []
    /// The entries being written (`heldBack`'s buffer, swapped out, and back in for the next).
    private var writing: [SQLiteValue] = []
    /// The statements writing `batchSizes[i]` entries, prepared when first needed.
    private var insertEntries: [Statement?]

    /// The entries one statement writes at most, and the smaller batches the rest is written in.
    static let batchSizes = [32, 16, 8, 4, 2, 1]
    static var batchSize: Int { batchSizes[0] }
    private static let valuesPerEntry = 5
    /// When the store carried the stamp of the migrator, the fingerprint and migrations it was
    /// made with, and the schema version before the triggers were set aside.
    private let stamp: (fingerprint: String, applied: [AppliedMigration], schemaVersion: Int64)?

    /// Sets aside the insert triggers of the item tables the store has. Run inside the write.
    /// `migrator`: the one whose stamp the store keeps.
    init(in db: Connection, keepingStampOf migrator: Migrator) throws {
        self.db = db
        if let fingerprint = migrator.fingerprint {
            let applied = try migrator.appliedMigrations(in: db)
            let isStamped = try SchemaStamp(of: db, applied: applied, fingerprint: fingerprint).isRecorded(in: db)
            stamp = isStamped ? (fingerprint, applied, try SchemaStamp.schemaVersion(of: db)) : nil
        } else {
            stamp = nil
        }
        let live = Set(try SchemaCatalog.liveTables(in: db))
        var names: [String: String] = [:]
        for table in SchemaCatalog.tables where table.role == .item && table.history == .byID && live.contains(table.name) {
            let highest: Int64? = try db.scalar("SELECT max(id) FROM \(HistoryTriggers.identifier(table.name))")
            let mark = highest ?? 0
            tables[table.name] = Table(catalog: table, mark: mark)
            names[HistoryTriggers.triggerName(table.name, "insert")] = table.name
            if table.search != nil {
                names[SearchTriggers.triggerName(table.name, "insert")] = table.name
                names[SearchTriggers.triggerName(table.name, "pending_insert")] = table.name
            }
        }
        var triggers: [(name: String, sql: String)] = []
        try db.forEach("SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY rowid") { row in
            let name = try row.get(0, as: String.self)
            if let table = names[name], try row.get(1, as: String.self) == table {
                triggers.append((name, try row.get(2, as: String.self)))
            }
        }
        self.triggers = triggers
        for trigger in triggers {
            try db.execute("DROP TRIGGER \(HistoryTriggers.identifier(trigger.name))")
        }
        indexes = try ListingIndexesSetAside(of: tables.values.map(\.catalog).sorted { $0.name < $1.name }, in: db)
        insertEntries = Array(repeating: nil, count: Self.batchSizes.count)
        heldBack.reserveCapacity(Self.batchSize * Self.valuesPerEntry)
    }

    /// Holds back the history entry of row `rowID`, just added to `table`, when that table's
    /// triggers are set aside (other tables' triggers have written theirs), and writes the entries
    /// held back once they fill a batch.
    func noteInsert(into table: String, rowID: Int64) throws(SQLiteError) {
        guard let seen = tables[table] else { return }
        guard rowID > seen.lastNoted else {
            throw SQLiteError(extendedCode: SQLITE_INTERNAL,
                              message: "a row of \(table) was added below the last one during a bulk write")
        }
        // The change open now: a write nested in the bulk write files its rows under its own.
        heldBack.append(db.currentChangeID.map(SQLiteValue.integer) ?? .null)
        heldBack.append(.text(table))
        heldBack.append(.integer(rowID))
        heldBack.append(.text(HistoryTriggers.insertSnapshot(id: rowID)))
        heldBack.append(.text(Timestamp.now()))
        seen.noted += 1
        seen.lastNoted = rowID
        if heldBack.count == Self.batchSize * Self.valuesPerEntry { try writeHeldBack() }
    }

    /// Writes the history entries held back, in the order they were noted, in as few statements
    /// as `batchSizes` allow. The connection's last inserted row id is kept.
    func writeHeldBack() throws(SQLiteError) {
        guard !heldBack.isEmpty else { return }
        // Taken out first: the statements below touch `history`, which calls this again.
        swap(&heldBack, &writing)
        defer { writing.removeAll(keepingCapacity: true) }
        let lastRowID = db.lastInsertRowID
        var start = 0
        while start < writing.count {
            let remaining = (writing.count - start) / Self.valuesPerEntry
            guard let level = Self.batchSizes.firstIndex(where: { $0 <= remaining }) else { break }
            let count = Self.batchSizes[level] * Self.valuesPerEntry
            let statement: Statement
            if let prepared = insertEntries[level] {
                statement = prepared
            } else {
                statement = try db.prepare(HistoryTriggers.insertEntriesSQL(count: Self.batchSizes[level]), cached: false)
                insertEntries[level] = statement
            }
            defer { statement.reset() }
            try statement.bind(writing[start ..< start + count])
            while try statement.step() {}
            start += count
        }
        db.lastInsertRowID = lastRowID
    }

    /// Indexes for search at most `rows` ids' worth of the rows added so far that are not indexed
    /// yet, of the first table that has some; false when there were none. For the time the bulk
    /// write would otherwise spend waiting (its input not read yet): `putBack()` then has less to
    /// index. A row indexed here that the write changes or removes later is noted in
    /// `search_index_pending` by the update and delete triggers, as any row is, and
    /// `SearchTriggers.indexPending` replaces or removes its entry at the end.
    func indexAhead(rows: Int64) throws(SQLiteError) -> Bool {
        for name in searchedTables {
            guard let table = tables[name], let search = table.catalog.search,
                  table.lastNoted > table.indexedThrough else { continue }
            let last = min(table.indexedThrough + rows, table.lastNoted)
            try SearchTriggers.indexRows(of: table.catalog, search: search, above: table.indexedThrough, through: last, in: db)
            table.indexedThrough = last
            return true
        }
        return false
    }

    /// The tables whose rows are indexed for search, by name.
    private lazy var searchedTables: [String] = tables.filter { $0.value.catalog.search != nil }.keys.sorted()

    /// Checks that `noteInsert` saw every row added, indexes them, and creates the triggers again.
    /// Run inside the write, before `SearchTriggers.indexPending` (which replaces the entries of
    /// added rows that other SQL wrote again).
    func putBack() throws {
        try writeHeldBack()
        for (name, table) in tables.sorted(by: { $0.key < $1.key }) {
            let quoted = HistoryTriggers.identifier(name)
            var added: Int64 = 0
            var last = table.mark
            try db.forEach("SELECT count(*), coalesce(max(id), ?) FROM \(quoted) WHERE id > ?", [table.mark, table.mark]) { row in
                added = try row.get(0, as: Int64.self)
                last = try row.get(1, as: Int64.self)
            }
            // Rows the write added and removed again are gone from the count, never from the notes.
            guard added <= Int64(table.noted), last <= table.lastNoted else {
                throw SQLiteError(extendedCode: SQLITE_INTERNAL,
                                  message: "a row of \(name) was added during a bulk write without its history entry")
            }
            if let search = table.catalog.search, added > 0 {
                try SearchTriggers.indexRows(of: table.catalog, search: search, above: table.indexedThrough, in: db)
            }
        }
        for trigger in triggers {
            try db.execute(trigger.sql)
        }
        try indexes.putBack()
        // Each DROP and CREATE TRIGGER or INDEX changed the schema version once: any other change
        // of the schema during the write leaves the store unstamped, to be checked at the next open.
        let setAsideChanges = 2 * triggers.count + indexes.schemaChanges
        if let stamp, try SchemaStamp.schemaVersion(of: db) == stamp.schemaVersion + Int64(setAsideChanges) {
            try SchemaStamp(of: db, applied: stamp.applied, fingerprint: stamp.fingerprint).record(in: db)
        }
    }
}
