import Foundation
import PHRMigrations

/// A person's health record store: one SQLite file holding patients, providers, diagnoses,
/// appointments, opinions and records, the record files themselves included.
///
/// Guarantees:
/// - opening migrates the schema to this binary's version, or refuses a store written by a newer
///   phr; a missing folder is created 0700 and a new store file 0600 (its `-wal`/`-shm` files take
///   the same mode from SQLite);
/// - every `write` is one `BEGIN IMMEDIATE` transaction, recorded as one change in the history:
///   it commits whole or not at all, and can be undone whole;
/// - every SQL statement uses bound parameters.
public final class HealthStore {
    /// The SQLite connection. Exposed for modules that read the store in bulk (exchange, reports);
    /// write through `write(_:_:)` so that history and transactions stay intact.
    let database: Connection
    /// The store file's path.
    public let path: String
    /// During a bulk write, the rows `requireRow` has found, by table: an import names the same
    /// patient and provider for thousands of rows, and asks SQLite once for each. `nil` otherwise.
    /// (Foreign keys still hold every row to what exists; this only saves the friendlier check.)
    var rowsFound: [String: Set<Int64>]?
    /// During a bulk write, its insert triggers set aside (see `bulkWrite`); nil otherwise.
    var insertsSetAside: InsertTriggersSetAside?
    /// What opening the store tidied up after phr processes that were killed: exports settled
    /// and scratch removed (`phr check` reports them).
    public private(set) var tidiedOnOpening = Tidying()

    /// Called when the store closes after a change that could not be copied from the store's
    /// write-ahead log into the store for lack of disk space (see `deinit`).
    public var onChangesLeftInLog: (@Sendable (_ logPath: String) -> Void)?
    /// Whether a `write` has committed since the store was opened.
    private var hasCommitted = false

    /// Exports settled and scratch removed after phr processes that are gone.
    public struct Tidying: Sendable {
        public var settledExports: [ExportSettlement] = []
        public var removedScratch: [Scratch.Leftover] = []
    }

    /// The migrations this binary knows, in order, with their fingerprint: a store found current
    /// is stamped, and not checked again while the stamp holds.
    public static let migrator = Migrator(migrations: MigrationCatalog.all.map {
        Migration(identifier: $0.identifier, utf8: $0.utf8)
    }, fingerprint: SchemaFingerprint.current)

    /// Opens (and, when `create` is true, creates) the store at `path`, then applies pending
    /// migrations.
    ///
    /// `busyWait` says how long a write waits for another phr that is writing. A store that
    /// cannot be written (read-only media, no write permission) is opened read-only: everything
    /// that reads works, and `write` refuses with ``StoreError/readOnly(path:)``.
    ///
    /// `announcingUpgrade` is called, before anything is written, when a store made by an earlier
    /// phr is about to be upgraded (once; an upgrade may copy every record file, a few seconds a
    /// gigabyte); never for a new store, nor for one already current.
    public convenience init(path: String, create: Bool = true, busyWait: BusyWait = BusyWait(),
                            announcingUpgrade: (() -> Void)? = nil) throws {
        try self.init(path: path, create: create, migrator: Self.migrator, busyWait: busyWait,
                      announcingUpgrade: announcingUpgrade)
    }

    /// Opens the store with `migrator`'s migrations (tests add migrations of their own).
    init(path: String, create: Bool, migrator: Migrator, busyWait: BusyWait = BusyWait(),
         announcingUpgrade: (() -> Void)? = nil) throws {
        self.path = path
        let exists = try Self.checkFile(at: path, create: create)
        if !exists { try Self.createEmptyFile(at: path) }
        do {
            // Another program's database: phr's tables must not be added to it. Checked read-only,
            // because opening for writing switches the file to WAL, which is itself a change; a
            // file whose header carries phr's mark is a store (a second connection would parse
            // the whole schema again: an eighth of a small command's instructions).
            let marked = exists && Self.headerApplicationID(at: path) == Self.applicationID
            if exists, !marked, try Self.isForeignDatabase(Connection.readOnly(path: path)) {
                throw StoreError.notAStore(path: path, reason: "an SQLite database of another program (it has no phr schema)")
            }
            (database, isReadOnly) = try Self.connect(path: path, exists: exists, busyWait: busyWait)
            // phr's one clock, for SQL that records a time (history triggers).
            try database.defineFunction("phr_now") { Timestamp.now() }
            if isReadOnly {
                guard try migrator.pendingMigrations(in: database).isEmpty else { throw StoreError.readOnly(path: path, needsUpgrade: true) }
            } else {
                // An upgrade is a change: the store copies it into the file as it closes.
                if try !migrator.migrate(database, announcingUpgrade: announcingUpgrade).isEmpty { hasCommitted = true }
                if !marked { try markAsStore() }
            }
        } catch let error as SQLiteError where error.isNotADatabase || error.isCorrupt {
            throw StoreError.notAStore(path: path, reason: "not an SQLite database")
        }
        // Every run tidies up after runs that were killed: first the exports (a packet replaced
        // with --force may have to go back to OUT), then scratch. Best effort: a store that
        // cannot be written now (read-only media) is tidied by a later run.
        guard !isReadOnly else { return }
        Scratch.registry = Scratch.registryFolder(forStore: path)
        tidiedOnOpening.settledExports = (try? settleExportLog()) ?? []
        tidiedOnOpening.removedScratch = Scratch.sweep(store: path)
    }

    /// True when the store could be opened for reading only (read-only media or permissions).
    public let isReadOnly: Bool

    /// A connection for writing, else, for an existing store that cannot be written, one for
    /// reading only (with `true`).
    private static func connect(path: String, exists: Bool, busyWait: BusyWait) throws(SQLiteError) -> (Connection, Bool) {
        do {
            return (try Connection(path: path, mode: .readWrite, busyWait: busyWait), false)
        } catch where exists && (error.isReadOnly || error.isCannotOpen) && access(path, R_OK) == 0 {
            return (try Connection.readOnly(path: path, busyWait: busyWait), true)
        }
    }

    /// Whether `path` exists, after checking that it can be a store: a regular file (a FIFO or a
    /// device would make SQLite wait or read forever), and not an empty one unless `create` (an
    /// empty file becomes a store only by `phr init`, as a missing one does).
    private static func checkFile(at path: String, create: Bool) throws -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else {
            // Missing (or under a file where a folder should be): `createEmptyFile` says why it
            // cannot be made.
            guard errno == ENOENT || errno == ENOTDIR else {
                throw StoreError.notAStore(path: path, reason: String(cString: strerror(errno)))
            }
            guard create else { throw StoreError.notAStore(path: path, reason: "no such file") }
            return false
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            if info.st_size == 0, !create {
                throw StoreError.emptyFile(path: path)
            }
            return true
        case S_IFDIR:
            throw StoreError.notAStore(path: path, reason: "it is a folder")
        case S_IFIFO:
            throw StoreError.notAStore(path: path, reason: "it is a FIFO (named pipe), not a regular file")
        default:
            throw StoreError.notAStore(path: path, reason: "it is not a regular file")
        }
    }

    /// phr's mark in the header of its stores (`PRAGMA application_id`, the field SQLite keeps for
    /// the program a file belongs to): "PHR1" in ASCII. A file carrying it is taken for a store
    /// without looking at its tables.
    static let applicationID: Int32 = 0x5048_5231

    /// The application id in the header of the SQLite file at `path`, as last written to the file
    /// itself (a change still in the WAL is not seen: the store then counts as unmarked, and is
    /// checked); nil when it cannot be read.
    private static func headerApplicationID(at path: String) -> Int32? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 4)
        // Offset 68 of the 100-byte header, big-endian (sqlite.org/fileformat.html).
        guard pread(fd, &bytes, 4, 68) == 4 else { return nil }
        return Int32(bitPattern: bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    }

    /// Puts phr's mark in the header of this store, a new one or one of an older phr, when it
    /// lacks it and no other phr is writing (the next open marks it otherwise). Run once the
    /// schema is phr's.
    private func markAsStore() throws {
        guard try database.scalar("PRAGMA application_id", as: Int64?.self) != Int64(Self.applicationID) else { return }
        do {
            try database.withoutWaiting {
                try database.transaction(.immediate) {
                    try database.execute("PRAGMA application_id = \(Self.applicationID)")
                }
            }
        } catch let error as SQLiteError where error.isBusy {
            // Another phr is writing: a later open marks the store.
        }
    }

    /// True for a database that has tables but never had phr's schema.
    private static func isForeignDatabase(_ database: Connection) throws -> Bool {
        let tables: Int64 = try database.scalar("SELECT count(*) FROM sqlite_schema") ?? 0
        let migrations: Int64 = try database.scalar(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'") ?? 0
        return tables > 0 && migrations == 0
    }

    /// Creates the folder (0700) and an empty store file (0600) before SQLite opens it, so the
    /// modes do not depend on the process's umask.
    private static func createEmptyFile(at path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError.unwritableFile(path: folder, reason: "cannot create the folder")
            }
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError.unwritableFile(path: path, reason: String(cString: strerror(errno)))
        }
        close(fd)
    }

    // MARK: Transactions

    /// Runs `body` as one write transaction (`BEGIN IMMEDIATE`), recorded in the history as one
    /// change described by `summary` (e.g. "provider add"). Any error rolls everything back.
    ///
    /// Every history row `body` causes names this change (the connection's `phr_change_id()`),
    /// whatever other changes exist.
    public func write<T>(_ summary: String, _ body: () throws -> T) throws -> T {
        guard !isReadOnly else { throw StoreError.readOnly(path: path, needsUpgrade: false) }
        let result = try database.transaction(.immediate) {
            try database.run("INSERT INTO changes (summary, changed_at) VALUES (?, ?)", [summary, Timestamp.now()])
            let enclosing = database.currentChangeID
            database.currentChangeID = database.lastInsertRowID
            defer { database.currentChangeID = enclosing }
            return try body()
        }
        hasCommitted = true
        return result
    }

    /// After a change (an upgrade included), the store closes by copying the write-ahead log into
    /// the store (SQLite would do it while closing, silently). A change is durable once in the
    /// log; when the disk has no room for the copy, the log stays beside the store, holding it,
    /// until a later open finds room. That is said through `onChangesLeftInLog`, since a copy of
    /// the store file alone would then lack it. Other reasons (another phr reading) need no word:
    /// the log is copied by whichever phr closes last.
    deinit {
        guard hasCommitted, !isReadOnly else { return }
        let database = database
        Self.foldLog({ () throws(SQLiteError) in _ = try database.checkpoint(truncating: false) }, logPath: logPath,
                     tellingWhenLeft: onChangesLeftInLog)
    }

    /// Runs `checkpoint`, and tells `tell` the log's path when the disk had no room for it.
    static func foldLog(_ checkpoint: () throws(SQLiteError) -> Void, logPath: String,
                        tellingWhenLeft tell: ((String) -> Void)?) {
        do {
            try checkpoint()
        } catch where error.isDiskFull {
            tell?(logPath)
        } catch {}
    }

    /// Describes the change `write` has open with `summary` instead of the one it was opened
    /// with (an import names what it found only at the end). Run inside `write`.
    public func describeCurrentChange(_ summary: String) throws {
        guard let id = database.currentChangeID else {
            throw StoreError.invalidField(field: "summary", reason: "no change is open")
        }
        try database.run("UPDATE changes SET summary = ? WHERE id = ?", [summary, id])
    }

    /// Runs `body` in a read transaction: everything it reads comes from one consistent snapshot.
    public func read<T>(_ body: () throws -> T) throws -> T {
        try database.transaction(.deferred, body)
    }

    // MARK: Facts about the store

    /// The identifier of the newest applied migration, e.g. `0001_initial`.
    public func schemaVersion() throws -> String {
        try Self.migrator.appliedMigrations(in: database).last?.identifier ?? "none"
    }

    /// The tables that hold health data, in the order `info` lists them (from `SchemaCatalog`).
    public static var dataTables: [String] { SchemaCatalog.infoTables.map(\.name) }

    /// Row counts of every data table.
    public func rowCounts() throws -> [(table: String, count: Int)] {
        try Self.dataTables.map { table in
            // Table names come from the catalog, never from input.
            (table, try database.scalar("SELECT count(*) FROM \(table)", as: Int?.self) ?? 0)
        }
    }

    // MARK: Helpers for the entity files

    /// Inserts a row of the catalogued item table `table`: `values` (checked by its entity) and the
    /// columns phr keeps for every item (its UUID, created and updated now). Returns its row id.
    func insertRow(_ table: String, _ values: [ColumnValue], uuid: String) throws -> Int64 {
        let now = Timestamp.now()
        try database.insert(into: table, values,
                            then: [.column("uuid", uuid), .column("created_at", now), .column("updated_at", now)])
        return database.lastInsertRowID
    }

    /// Sets `values` on row `id` of `table` and stamps its `updated_at`: `insertRow`'s counterpart.
    func updateRow(_ table: String, _ values: [ColumnValue], id: Int64) throws {
        try database.update(table, set: values + [.column("updated_at", Timestamp.now())], where: .column("id", id))
    }

    /// Throws `notFound` unless `table` has a row with `id`.
    func requireRow(_ table: String, _ entity: String, id: Int64?) throws {
        guard let id else { return }
        if rowsFound?[table]?.contains(id) == true { return }
        let found: Int64? = try database.scalar("SELECT 1 FROM \(table) WHERE id = ?", [id])
        guard found != nil else { throw StoreError.notFound(entity: entity, id: id) }
        rowsFound?[table, default: []].insert(id)
    }

    /// Throws unless the diagnosis `id` (when set) exists and is `patientID`'s: a fact about one
    /// patient never points at another's diagnosis.
    func requireDiagnosis(_ id: Int64?, of patientID: Int64) throws {
        guard let id else { return }
        let owner: Int64? = try database.scalar("SELECT patient_id FROM diagnoses WHERE id = ?", [id])
        guard let owner else { throw StoreError.notFound(entity: "diagnosis", id: id) }
        guard owner == patientID else {
            throw StoreError.invalidField(field: "diagnosis", reason: "diagnosis \(id) is another patient's")
        }
    }

    /// Deletes a row of the catalogued item table `table`, turning a foreign-key refusal into
    /// `inUse`. The message names the row by the catalog's singular (`diagnosis 3`) and the tables
    /// whose foreign keys keep it (`opinions or decisions`), from the live schema and the catalog's
    /// plural names, so a new table that refers to another needs no message of its own.
    func deleteRow(_ table: String, id: Int64) throws {
        let entity = SchemaCatalog.table(named: table)?.singular ?? table
        try requireRow(table, entity, id: id)
        rowsFound?[table]?.remove(id)
        do {
            try database.run("DELETE FROM \(table) WHERE id = ?", [id])
        } catch {
            // `run` throws only SQLiteError, so `error` is one here.
            guard error.isConstraintViolation else { throw error }
            let named = Self.listed(try SchemaCatalog.restrictingTables(of: table, in: database).map(\.plural))
            throw StoreError.inUse(entity: entity, id: id, dependents: named)
        }
    }

    /// `a, b or c`; `other rows` for none.
    private static func listed(_ names: [String]) -> String {
        names.isEmpty ? "other rows" : Wording.alternatives(names)
    }

    /// A new random (version 4) UUID, lowercase.
    public static func newUUID() -> String { RandomUUID.make() }
}

/// Checks on text fields shared by the entity files.
enum Field {
    /// Trims `value` and refuses it when empty.
    static func required(_ value: String, _ name: String) throws -> String {
        let trimmed = trimmed(value)
        guard !trimmed.isEmpty else { throw StoreError.invalidField(field: name, reason: "must not be empty") }
        return trimmed
    }

    /// Trims `value`; an empty value becomes `nil`.
    static func optional(_ value: String?) -> String? {
        guard let value, case let trimmed = trimmed(value), !trimmed.isEmpty else {
            return nil
        }
        return trimmed
    }

    /// `value` without leading and trailing white space and newlines, as Foundation's
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` trims them. Every stored text passes here,
    /// and most have nothing to trim: those are returned as they are, without a copy.
    static func trimmed(_ value: String) -> String {
        let scalars = value.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return value }
        if !isSpace(first) && !isSpace(last) { return value }
        guard let start = scalars.firstIndex(where: { !isSpace($0) }),
              let end = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[start...end])
    }

    private static let spaces = CharacterSet.whitespacesAndNewlines

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        spaces.contains(scalar)
    }

    /// `date` as stored, refused when it is after today (by the pinned clock, in the local time
    /// zone): a birth date, say, cannot be in the future. A month or year counts from its first day.
    static func notInFuture(_ date: PartialDate?, _ name: String) throws -> String? {
        guard let date else { return nil }
        let today = ReferenceTime().today
        guard ReferenceTime().days(since: date) >= 0 else {
            throw StoreError.invalidField(field: name, reason: "\(date) is after today (\(today)); it cannot be in the future")
        }
        return date.description
    }

    /// A stored date column, parsed; stored text that is not a date is reported, not trusted.
    static func date(_ text: String?, column: String) throws -> PartialDate? {
        guard let text else { return nil }
        do { return try PartialDate(parsing: text) } catch {
            throw StoreError.invalidField(field: column, reason: "the stored value is not a date")
        }
    }

    /// A stored date-or-date-time column (results, procedures, immunizations).
    static func dateOrTime(_ text: String?, column: String) throws -> DateOrTime? {
        guard let text else { return nil }
        do { return try DateOrTime(parsing: text) } catch {
            throw StoreError.invalidField(field: column, reason: "the stored value is not a date or a date and time")
        }
    }

    static func dateTime(_ text: String, column: String) throws -> OffsetDateTime {
        do { return try OffsetDateTime(parsing: text) } catch {
            throw StoreError.invalidField(field: column, reason: "the stored value is not a date and time")
        }
    }

    /// A stored enumeration column.
    static func enumeration<E: RawRepresentable>(_ text: String, column: String) throws -> E where E.RawValue == String {
        guard let value = E(rawValue: text) else {
            throw StoreError.invalidField(field: column, reason: "the stored value is not one phr knows")
        }
        return value
    }
}
