internal import CSQLite

/// One open SQLite database connection, configured the way phr relies on.
///
/// Guarantees once `init` returns:
/// - extended result codes are on, so errors say exactly what failed;
/// - `journal_mode=WAL` ("readers do not block writers and a writer does not block readers") and
///   `synchronous=FULL`, so a committed transaction survives a power loss;
/// - `foreign_keys=ON`, `temp_store=MEMORY`, a patient wait for other writers (`BusyWait`), and
///   the defensive flag, which keeps SQL from corrupting the file (`SQLITE_DBCONFIG_DEFENSIVE`);
/// - double-quoted strings are identifiers only (no silent string literals).
/// - a database it creates has pages of `newDatabasePageSize` bytes.
///
/// The connection is closed with `sqlite3_close_v2` when it is released. It is not thread-safe:
/// use it from one task at a time.
final class Connection {
    let handle: OpaquePointer
    /// The path the connection was opened with.
    let path: String
    private var statementCache: [StatementKey: Statement] = [:]
    /// The SQL of every statement prepared and kept so far: what this connection has run, but
    /// one-off statements (tests check their query plans).
    var cachedStatementSQL: [String] { statementCache.keys.map(\.sql) }
    /// The SQL of each INSERT `insert(into:_:)` has built, by table, with its column list and its
    /// statement (the one `statementCache` holds), the last used first: an import inserts rows of
    /// a few shapes many times, and comparing column names (the same constant strings each time)
    /// costs less than building the SQL again, or than looking it up by its text.
    var insertSQLCache: [String: [(columns: [String], sql: String, statement: Statement)]] = [:]
    private var savepointDepth = 0
    /// The change that writes on this connection belong to (`phr_change_id()` in SQL), set while
    /// a change is open: by `HealthStore.write`, and by the migrator around each migration.
    var currentChangeID: Int64?
    /// While true, the search triggers note which entries a write makes stale
    /// (`phr_search_deferred()` in SQL) instead of indexing them; see `SearchTriggers`.
    var defersSearchIndexing = false
    /// Called by `insert(into:_:then:)` with the table and the id of each row it adds: set during
    /// a bulk write, whose item tables have their insert triggers set aside
    /// (`InsertTriggersSetAside`).
    var afterInsert: ((_ table: String, _ rowID: Int64) throws(SQLiteError) -> Void)?
    /// Which statements touch `history`, and what runs before they do (`HistoryAccess`).
    let historyAccess = HistoryAccess()

    /// How this connection waits for another writer; retained here for the C busy handler.
    private let busyWait: BusyWait

    enum OpenMode: Sendable {
        case readWrite
        case readWriteCreate
        case readOnly
    }

    /// Opens `path` for reading only; a store on read-only media (where SQLite cannot create the
    /// `-shm` file a WAL store is read with) is opened as immutable: nothing can change it there.
    static func readOnly(path: String, busyWait: BusyWait = BusyWait()) throws(SQLiteError) -> Connection {
        do {
            return try Connection(path: path, mode: .readOnly, busyWait: busyWait)
        } catch where error.isCannotOpen || error.isReadOnly {
            return try Connection(path: path, mode: .readOnly, busyWait: busyWait, immutable: true)
        }
    }

    /// Opens `path` (never read as a URI, whatever it starts with); `immutable` tells SQLite that
    /// nothing changes the file while it is open.
    init(path: String, mode: OpenMode = .readWriteCreate, busyWait: BusyWait = BusyWait(), immutable: Bool = false) throws(SQLiteError) {
        let name = immutable ? "file:" + Self.uriPath(path) + "?immutable=1" : (path.hasPrefix("file:") ? "./" + path : path)
        var flags = SQLITE_OPEN_EXRESCODE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        switch mode {
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .readWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        _ = Self.configureLibrary
        var db: OpaquePointer?
        let code = sqlite3_open_v2(name, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let error = SQLiteError.from(db, code: code)
            sqlite3_close_v2(db)
            throw error
        }
        self.handle = db
        self.path = path
        self.busyWait = busyWait
        sqlite3_extended_result_codes(db, 1)
        installBusyHandler()
        var ignored: Int32 = 0
        _ = phr_sqlite3_db_config_int(db, SQLITE_DBCONFIG_DEFENSIVE, 1, &ignored)
        _ = phr_sqlite3_db_config_int(db, SQLITE_DBCONFIG_DQS_DML, 0, &ignored)
        _ = phr_sqlite3_db_config_int(db, SQLITE_DBCONFIG_DQS_DDL, 0, &ignored)
        _ = phr_sqlite3_db_config_int(db, SQLITE_DBCONFIG_ENABLE_FKEY, 1, &ignored)
        registerHistoryAccessWatch()
        try registerChangeFunction()
        try registerSearchDeferralFunction()
        try configure(mode: mode)
    }

    /// The page size of a database this connection creates, in bytes. SQLite's default is 4 KiB;
    /// with 16 KiB an import runs 5–10 % faster (fewer, shallower B-tree pages for its many
    /// indexes) and a large record file is added in about half the time (a quarter of the page
    /// writes). A store made before keeps its 4 KiB pages.
    static let newDatabasePageSize = 16 << 10

    private func configure(mode: OpenMode) throws(SQLiteError) {
        // The first read of the file happens here: a file that is not SQLite fails with SQLITE_NOTADB.
        if mode != .readOnly {
            // Only a database without pages takes it; once in WAL mode the size is fixed.
            try execute("PRAGMA page_size = \(Self.newDatabasePageSize)")
            let journal: String? = try scalar("PRAGMA journal_mode = WAL")
            guard journal?.lowercased() == "wal" else {
                throw SQLiteError(extendedCode: SQLITE_CANTOPEN, message: "could not switch the store to WAL mode")
            }
        } else {
            _ = try scalar("PRAGMA schema_version", as: Int64?.self)
        }
        try execute("PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; PRAGMA synchronous = FULL;")
    }

    /// Makes the connection wait for other writers as `busyWait` says.
    private func installBusyHandler() {
        sqlite3_busy_handler(handle, { context, attempt in
            guard let context else { return 0 }
            return Unmanaged<BusyWait>.fromOpaque(context).takeUnretainedValue().shouldRetry(attempt: Int(attempt)) ? 1 : 0
        }, Unmanaged.passUnretained(busyWait).toOpaque())
    }

    /// Runs `body` without waiting for other writers: where another process holds the lock a
    /// statement needs, it fails at once with `SQLITE_BUSY`. For work that is worth doing only when
    /// it costs no wait.
    func withoutWaiting<T>(_ body: () throws -> T) rethrows -> T {
        sqlite3_busy_handler(handle, nil, nil)
        defer { installBusyHandler() }
        return try body()
    }

    /// `path` for a `file:` URI: `%`, `?` and `#` escaped, relative paths kept relative.
    private static func uriPath(_ path: String) -> String {
        var escaped = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "%"), UInt8(ascii: "?"), UInt8(ascii: "#"):
                escaped += "%" + String(byte, radix: 16, uppercase: true)
            default:
                escaped.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return escaped
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Process-wide SQLite settings, applied once before the first connection opens: memory
    /// statistics off, which spares a global mutex on every allocation inside SQLite (an import
    /// makes millions).
    private static let configureLibrary: Void = {
        _ = phr_sqlite3_config_no_memstatus()
    }()

    /// The version of the SQLite library in use, e.g. "3.40.1".
    static var sqliteVersion: String { String(cString: sqlite3_libversion()) }

    /// Copies what the write-ahead log holds into the store as far as no reader needs it, and
    /// with `truncating` also empties the log (`SQLITE_CHECKPOINT_TRUNCATE`, which waits for
    /// readers as long as the busy handler lets it). Returns the frames the log holds and how many
    /// of them are now in the store (both 0 once the log is emptied). Throws `SQLITE_BUSY` when
    /// a reader kept the log from being emptied, `SQLITE_FULL` when the disk had no room.
    func checkpoint(truncating: Bool) throws(SQLiteError) -> (logFrames: Int32, copiedFrames: Int32) {
        var logFrames: Int32 = 0
        var copiedFrames: Int32 = 0
        let mode = truncating ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_PASSIVE
        let code = sqlite3_wal_checkpoint_v2(handle, nil, mode, &logFrames, &copiedFrames)
        guard code == SQLITE_OK else { throw SQLiteError.from(handle, code: code, sql: nil) }
        return (logFrames, copiedFrames)
    }

    /// Runs one or more SQL statements that take no parameters (schema, pragmas).
    func execute(_ sql: String) throws(SQLiteError) {
        try historyAccess.prepareForAccess()
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard code == SQLITE_OK else {
            let error = SQLiteError.from(handle, code: code, sql: sql)
            throw SQLiteError(extendedCode: error.extendedCode,
                              message: message.map { String(cString: $0) } ?? error.message, sql: sql)
        }
    }

    /// A prepared statement for `sql`, reset and ready to bind.
    ///
    /// Statements are cached per connection by their SQL text (`SQLITE_PREPARE_PERSISTENT`), so hot
    /// statements are compiled once. Pass `cached: false` for one-off SQL.
    func prepare(_ sql: String, cached: Bool = true) throws(SQLiteError) -> Statement {
        if cached, let statement = statementCache[StatementKey(sql: sql)] {
            // A statement still stepping (an outer loop running the same SQL) must not be reset
            // under its caller: hand out a one-off statement instead.
            if sqlite3_stmt_busy(statement.handle) != 0 {
                return try Statement(db: handle, sql: sql, persistent: false, historyAccess: historyAccess)
            }
            statement.reset()
            return statement
        }
        let statement = try Statement(db: handle, sql: sql, persistent: cached, historyAccess: historyAccess)
        if cached { statementCache[StatementKey(sql: sql)] = statement }
        return statement
    }

    /// Runs a statement that returns no rows, with `bindings` for its `?` parameters.
    func run(_ sql: String, _ bindings: [any SQLiteBindable] = []) throws(SQLiteError) {
        try prepare(sql).run(bindings)
    }

    /// Runs a query and maps each row with `transform`.
    func query<T>(_ sql: String, _ bindings: [any SQLiteBindable] = [],
                         _ transform: (Row) throws -> T) throws -> [T] {
        let statement = try prepare(sql)
        defer { statement.reset() }
        try statement.bind(bindings)
        var rows: [T] = []
        while try statement.step() {
            rows.append(try transform(statement.row))
        }
        return rows
    }

    /// Runs a query and calls `body` for each row, without collecting them.
    func forEach(_ sql: String, _ bindings: [any SQLiteBindable] = [],
                        _ body: (Row) throws -> Void) throws {
        let statement = try prepare(sql)
        defer { statement.reset() }
        try statement.bind(bindings)
        while try statement.step() {
            try body(statement.row)
        }
    }

    /// The first column of the first row, or `nil` when the query returns no row.
    func scalar<T: SQLiteColumnDecodable>(_ sql: String, _ bindings: [any SQLiteBindable] = [],
                                                 as type: T?.Type = T?.self) throws(SQLiteError) -> T? {
        let statement = try prepare(sql)
        defer { statement.reset() }
        try statement.bind(bindings)
        guard try statement.step() else { return nil }
        return try statement.row.get(0, as: T?.self)
    }

    /// The rowid of the last row inserted on this connection.
    var lastInsertRowID: Int64 {
        get { sqlite3_last_insert_rowid(handle) }
        set { sqlite3_set_last_insert_rowid(handle, newValue) }
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes64(handle)) }

    /// How many pages this connection has read from the file or its write-ahead log since it was
    /// opened: the reads its page cache could not answer (`SQLITE_DBSTATUS_CACHE_MISS`).
    var pagesRead: Int64 {
        var current: Int32 = 0, highest: Int32 = 0
        guard sqlite3_db_status(handle, SQLITE_DBSTATUS_CACHE_MISS, &current, &highest, 0) == SQLITE_OK else { return 0 }
        return Int64(current)
    }

    /// `true` when no transaction is open.
    var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    // MARK: Transactions

    enum TransactionKind: String, Sendable {
        /// Takes the write lock at once (`BEGIN IMMEDIATE`), so a write never fails half-way with
        /// SQLITE_BUSY after it has read: the right kind for every write.
        case immediate = "IMMEDIATE"
        /// Takes locks as statements need them: for read-only work.
        case deferred = "DEFERRED"
    }

    /// Runs `body` in a transaction: committed if `body` returns, rolled back if it throws.
    ///
    /// Inside an open transaction this becomes a savepoint, so nested work can fail on its own
    /// without undoing its caller's work.
    func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        if !isAutocommit { return try savepoint(body) }
        try execute("BEGIN \(kind.rawValue)")
        let result: T
        do {
            result = try body()
        } catch {
            rollbackQuietly()
            throw error
        }
        do {
            try execute("COMMIT")
        } catch {
            rollbackQuietly()
            throw error
        }
        return result
    }

    /// Runs `body` inside a savepoint: released if it returns, rolled back to if it throws (the
    /// enclosing transaction, if any, carries on).
    func savepoint<T>(_ body: () throws -> T) throws -> T {
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let name = "phr_savepoint_\(savepointDepth)"
        // History entries held back for rows written before the savepoint go in before it, so a
        // rollback to it cannot take them (`execute` writes those of rows inside it first, and
        // the rollback takes them with their rows).
        try historyAccess.prepareForAccess()
        // Prepared once and reused (`run` caches statements): an import stores thousands of files,
        // each in a savepoint, and parsing these statements each time cost more than the file.
        try run("SAVEPOINT \(name)")
        do {
            let result = try body()
            try run("RELEASE \(name)")
            return result
        } catch {
            try? execute("ROLLBACK TO \(name)")
            try? execute("RELEASE \(name)")
            throw error
        }
    }

    private func rollbackQuietly() {
        // A failed COMMIT or an error inside the body may already have ended the transaction.
        if !isAutocommit { try? execute("ROLLBACK") }
    }
}
