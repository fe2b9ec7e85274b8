import Foundation

extension HealthStore {
    /// Writes a consistent copy of the store to `path` (which must not exist) with SQLite's
    /// `VACUUM INTO`: one read transaction, so other phr processes may write meanwhile and the
    /// copy is the store as of one moment. The copy is compact (no free pages) and made durable
    /// (fsync) before this returns.
    public func backup(into path: String) throws {
        try database.run("VACUUM INTO ?", [path])
        chmod(path, 0o600)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.unwritableFile(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw StoreError.unwritableFile(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Throws `notAStore` unless the file at `path` is a sound phr store (an SQLite database with
    /// phr's migrations, passing SQLite's quick check) that this phr can open. Reads only.
    /// Returns its schema version.
    @discardableResult
    public static func verifyStoreFile(_ path: String) throws -> String {
        do {
            let database = try Connection(path: path, mode: .readOnly)
            let hasMigrations: Int64 = try database.scalar(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'") ?? 0
            guard hasMigrations == 1 else {
                throw StoreError.notAStore(path: path, reason: "an SQLite database, but not a phr store")
            }
            let check = try database.query("PRAGMA quick_check(1)") { row in try row.get(0, as: String.self) }
            guard check == ["ok"] else { throw StoreError.notAStore(path: path, reason: "a damaged store") }
            let applied = try migrator.appliedMigrations(in: database).map(\.identifier)
            let known = Set(migrator.migrations.map(\.identifier))
            guard applied.first == "0001_initial" else {
                throw StoreError.notAStore(path: path, reason: "an SQLite database, but not a phr store")
            }
            if let unknown = applied.first(where: { !known.contains($0) }) {
                throw StoreError.notAStore(path: path, reason: "a store of a newer phr (migration \(unknown))")
            }
            return applied.last ?? "none"
        } catch let error as SQLiteError where error.isNotADatabase || error.isCorrupt {
            throw StoreError.notAStore(path: path, reason: "not an SQLite database")
        }
    }
}
