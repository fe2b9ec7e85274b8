import Crypto

/// One schema change: an identifier that orders it (`0001_initial`) and its SQL.
///
/// The SQL is kept as UTF-8 bytes and made text only when the migration is applied: most opens
/// find every migration applied and never need it.
public struct Migration: Sendable, Hashable {
    public let identifier: String
    /// The SQL text's UTF-8 bytes.
    public let utf8: [UInt8]

    public init(identifier: String, sql: String) {
        self.init(identifier: identifier, utf8: Array(sql.utf8))
    }

    public init(identifier: String, utf8: [UInt8]) {
        self.identifier = identifier
        self.utf8 = utf8
    }

    /// The SQL text.
    public var sql: String { String(decoding: utf8, as: UTF8.self) }

    /// The SHA-256 of the SQL text, lowercase hex: recorded when applied, to notice later edits.
    public var checksum: String { Hex.encode(SHA256.hash(data: utf8)) }
}

/// A migration as recorded in a store.
public struct AppliedMigration: Sendable, Hashable {
    public let identifier: String
    public let checksum: String
    public let appliedAt: String
}

/// Why a store could not be migrated.
public enum MigrationError: Error, Sendable, CustomStringConvertible {
    /// The store holds a migration this binary does not know: it was written by a newer phr.
    case storeIsNewer(unknownMigration: String)
    /// A migration already applied to the store has different SQL in this binary.
    case appliedMigrationChanged(String)
    /// A migration left rows that break a foreign key.
    case foreignKeyViolation(migration: String, table: String)

    public var description: String {
        switch self {
        case .storeIsNewer(let id):
            return "this store was written by a newer phr (it has migration \(id), which this phr does not know); upgrade phr"
        case .appliedMigrationChanged(let id):
            return "migration \(id) was changed after it was applied to this store; restore its original text"
        case .foreignKeyViolation(let id, let table):
            return "migration \(id) left rows in \(table) that break a foreign key"
        }
    }
}

/// Applies ordered migrations to a database, each exactly once.
///
/// Guarantees, as modelled on GRDB's `DatabaseMigrator`:
/// - migrations apply in the catalog's order, each inside its own `BEGIN IMMEDIATE` transaction,
///   so a failed migration leaves the store as it was before it;
/// - each applied migration is recorded in `schema_migrations` with the SHA-256 of its text and
///   the time it was applied;
/// - foreign keys are switched off while a migration runs (SQLite's recommended procedure for
///   table rebuilds: a `DROP TABLE` would otherwise cascade), and `PRAGMA foreign_key_check` must
///   then find nothing before the migration commits;
/// - a store holding a migration this binary does not know, or one whose text has changed since it
///   was applied, is refused before anything is written;
/// - rows a migration writes to tables with history are filed under a change of their own, of kind
///   `migration` (once `changes.kind` exists), which a plain undo never takes back;
/// - after each migration, inside its transaction, the history triggers of every catalogued table
///   are generated again from its live columns (`HistoryTriggers`), and the search index triggers
///   from the catalog's search fields (`SearchTriggers`), when they differ from what the store has;
///   an open with no migration pending does the same for triggers of an older phr or edited by
///   hand;
/// - a migrator with a schema fingerprint (phr's own, `HealthStore.migrator`) stamps the store
///   (`SchemaStamp`) in the transaction that finds or makes its schema current. While the stamp
///   matches, an open hashes no migration and generates no trigger: it reads `schema_migrations`
///   (a store holding a migration this binary does not know is still refused), the schema version
///   and the stamp, and writes nothing. Otherwise it checks in full, as a migrator without a
///   fingerprint does at every open, and stamps the store again; when the triggers were current
///   already, only if no other phr holds the write lock (a stamp is not worth a wait; a store
///   that cannot be stamped now is only read, and checked in full again next time).
public struct Migrator: Sendable {
    public let migrations: [Migration]
    /// The fingerprint of `migrations` and phr's trigger generators (`SchemaFingerprint`); `nil`
    /// for other lists of migrations (tests'), whose stores are checked in full at every open
    /// and never stamped.
    let fingerprint: String?

    public init(migrations: [Migration]) {
        self.init(migrations: migrations, fingerprint: nil)
    }

    init(migrations: [Migration], fingerprint: String?) {
        self.migrations = migrations
        self.fingerprint = fingerprint
    }

    /// What an open learns from a store's `schema_migrations`, checked against this binary.
    struct Inspection {
        /// The migrations recorded in the store, in identifier order.
        let applied: [AppliedMigration]
        /// This binary's migrations the store lacks, in order.
        let pending: [Migration]
        /// Whether the store carries this binary's stamp: its schema was found current with this
        /// fingerprint and has not changed since, so it need not be checked again.
        let isStamped: Bool
    }

    static let createTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            identifier TEXT PRIMARY KEY NOT NULL,
            sha256     TEXT NOT NULL,
            applied_at TEXT NOT NULL
        ) STRICT
        """

    /// The migrations recorded in the store, in identifier order (the order they apply). Empty for a
    /// new store.
    func appliedMigrations(in db: Connection) throws -> [AppliedMigration] {
        let exists: Int64? = try db.scalar(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'")
        guard exists == 1 else { return [] }
        return try db.query("SELECT identifier, sha256, applied_at FROM schema_migrations ORDER BY identifier") { row in
            AppliedMigration(identifier: try row.get("identifier"), checksum: try row.get("sha256"), appliedAt: try row.get("applied_at"))
        }
    }

    /// The migrations not yet applied to the store, after checking that the store is one this
    /// binary can work with.
    func pendingMigrations(in db: Connection) throws -> [Migration] {
        try inspect(db).pending
    }

    /// Reads the store's migrations and checks that the store is one this binary can work with:
    /// it holds no migration this binary does not know and, unless the stamp vouches for them
    /// (it is recorded only after they were compared, and any edit of `schema_migrations` since
    /// changes it), every checksum is this binary's.
    func inspect(_ db: Connection) throws -> Inspection {
        let applied = try appliedMigrations(in: db)
        try checkKnown(applied)
        let done = Set(applied.map(\.identifier))
        let pending = migrations.filter { !done.contains($0.identifier) }
        var isStamped = false
        if pending.isEmpty, let fingerprint {
            isStamped = try SchemaStamp(of: db, applied: applied, fingerprint: fingerprint).isRecorded(in: db)
        }
        if !isStamped { try checkChecksums(applied) }
        return Inspection(applied: applied, pending: pending, isStamped: isStamped)
    }

    /// Applies every pending migration. Returns the identifiers applied, in order. Calls
    /// `announcingUpgrade` first when a store that has migrations already is given more.
    @discardableResult
    func migrate(_ db: Connection, announcingUpgrade: (() -> Void)? = nil) throws -> [String] {
        let store = try inspect(db)
        guard !store.pending.isEmpty else {
            if !store.isStamped { try bringTriggersInLine(db, applied: store.applied) }
            return []
        }
        if !store.applied.isEmpty { announcingUpgrade?() }
        try db.transaction { try db.execute(Self.createTable) }
        try db.execute("PRAGMA foreign_keys = OFF")
        defer { try? db.execute("PRAGMA foreign_keys = ON") }
        var applied: [String] = []
        for migration in migrations {
            let didApply = try db.transaction(.immediate) { () throws -> Bool in
                // Read again inside the write lock: another process may have migrated meanwhile.
                let recorded = try appliedMigrations(in: db)
                try checkKnown(recorded)
                try checkChecksums(recorded)
                guard !recorded.contains(where: { $0.identifier == migration.identifier }) else { return false }
                let change = try Self.openChange(for: migration, in: db)
                db.currentChangeID = change
                defer { db.currentChangeID = nil }
                try db.execute(migration.sql)
                try HistoryTriggers.update(in: db)
                try SearchTriggers.update(in: db)
                if let change { try Self.closeChange(change, in: db) }
                if let table: String = try db.scalar("SELECT \"table\" FROM pragma_foreign_key_check LIMIT 1") {
                    throw MigrationError.foreignKeyViolation(migration: migration.identifier, table: table)
                }
                try db.run("INSERT INTO schema_migrations (identifier, sha256, applied_at) VALUES (?, ?, ?)",
                           [migration.identifier, migration.checksum, Timestamp.now()])
                try stamp(db, applied: appliedMigrations(in: db))
                return true
            }
            if didApply { applied.append(migration.identifier) }
        }
        return applied
    }

    /// Opens the change that rows written by `migration` are filed under: a change of kind
    /// `migration`, once the store's `changes` table has kinds (0006); `nil` before.
    private static func openChange(for migration: Migration, in db: Connection) throws -> Int64? {
        guard try SchemaCatalog.columns(of: "changes", in: db).contains("kind") else { return nil }
        try db.run("INSERT INTO changes (summary, changed_at, kind) VALUES (?, ?, 'migration')",
                   ["migration \(migration.identifier)", Timestamp.now()])
        return db.lastInsertRowID
    }

    /// Removes the migration's change again when it changed no row with history (most do not),
    /// and gives its id back: nothing refers to it, and the person's first change of a new store
    /// stays change 1 however many migrations a new store goes through.
    private static func closeChange(_ id: Int64, in db: Connection) throws {
        try db.run("DELETE FROM changes WHERE id = ? AND NOT EXISTS (SELECT 1 FROM history WHERE change_id = ?)", [id, id])
        if db.changes > 0 {
            try db.run("UPDATE sqlite_sequence SET seq = ? - 1 WHERE name = 'changes' AND seq = ?", [id, id])
        }
    }

    /// Brings the triggers of a store with no migration pending in line with this binary (those
    /// of an older phr, or edited by hand), and stamps it. A store whose triggers are current is
    /// only read, unless it can be stamped at once.
    private func bringTriggersInLine(_ db: Connection, applied: [AppliedMigration]) throws {
        let version = try SchemaStamp.schemaVersion(of: db)
        if try !HistoryTriggers.isCurrent(in: db) || !SearchTriggers.isCurrent(in: db) {
            try db.transaction(.immediate) {
                try HistoryTriggers.update(in: db)
                try SearchTriggers.update(in: db)
                try stamp(db, applied: applied)
            }
            return
        }
        guard fingerprint != nil else { return }
        do {
            try db.withoutWaiting {
                try db.transaction(.immediate) {
                    // Another phr may have changed the schema since it was compared.
                    guard try SchemaStamp.schemaVersion(of: db) == version else { return }
                    try stamp(db, applied: applied)
                }
            }
        } catch let error as SQLiteError where error.isBusy {
            // Another phr is writing: the next open stamps the store.
        }
    }

    /// Records that `db`, whose migrations `applied` were checked, has a current schema. Run
    /// inside the write transaction that found or made it current. Nothing without a fingerprint.
    private func stamp(_ db: Connection, applied: [AppliedMigration]) throws {
        guard let fingerprint else { return }
        try SchemaStamp(of: db, applied: applied, fingerprint: fingerprint).record(in: db)
    }

    /// Refuses a store holding a migration this binary does not know.
    private func checkKnown(_ applied: [AppliedMigration]) throws(MigrationError) {
        let known = Set(migrations.map(\.identifier))
        if let unknown = applied.first(where: { !known.contains($0.identifier) }) {
            throw .storeIsNewer(unknownMigration: unknown.identifier)
        }
    }

    /// Refuses a store one of whose migrations has other SQL in this binary. Hashes the SQL of
    /// every applied migration.
    private func checkChecksums(_ applied: [AppliedMigration]) throws(MigrationError) {
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.identifier, $0) })
        for record in applied where known[record.identifier]?.checksum != record.checksum {
            throw .appliedMigrationChanged(record.identifier)
        }
    }
}
