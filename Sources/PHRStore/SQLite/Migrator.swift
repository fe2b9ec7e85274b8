import Crypto

/// One schema change: an identifier that orders it (`0001_initial`) and its SQL.
public struct Migration: Sendable, Hashable {
    public let identifier: String
    public let sql: String

    public init(identifier: String, sql: String) {
        self.identifier = identifier
        self.sql = sql
    }

    /// The SHA-256 of the SQL text, lowercase hex: recorded when applied, to notice later edits.
    public var checksum: String { Hex.encode(SHA256.hash(data: Array(sql.utf8))) }
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
///   opening a store whose triggers are current writes nothing.
public struct Migrator: Sendable {
    public let migrations: [Migration]

    public init(migrations: [Migration]) {
        self.migrations = migrations
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
        let applied = try appliedMigrations(in: db)
        try check(applied)
        let done = Set(applied.map(\.identifier))
        return migrations.filter { !done.contains($0.identifier) }
    }

    /// Applies every pending migration. Returns the identifiers applied, in order.
    @discardableResult
    func migrate(_ db: Connection) throws -> [String] {
        guard try !pendingMigrations(in: db).isEmpty else {
            // Triggers of an older phr (or edited by hand) are brought in line even when no
            // migration is pending; a current store is only read.
            if try !HistoryTriggers.isCurrent(in: db) || !SearchTriggers.isCurrent(in: db) {
                try db.transaction(.immediate) {
                    try HistoryTriggers.update(in: db)
                    try SearchTriggers.update(in: db)
                }
            }
            return []
        }
        try db.transaction { try db.execute(Self.createTable) }
        try db.execute("PRAGMA foreign_keys = OFF")
        defer { try? db.execute("PRAGMA foreign_keys = ON") }
        var applied: [String] = []
        for migration in migrations {
            let didApply = try db.transaction(.immediate) { () throws -> Bool in
                // Read again inside the write lock: another process may have migrated meanwhile.
                let recorded = try appliedMigrations(in: db)
                try check(recorded)
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

    private func check(_ applied: [AppliedMigration]) throws(MigrationError) {
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.identifier, $0) })
        for record in applied {
            guard let migration = known[record.identifier] else {
                throw .storeIsNewer(unknownMigration: record.identifier)
            }
            guard migration.checksum == record.checksum else {
                throw .appliedMigrationChanged(record.identifier)
            }
        }
    }
}
