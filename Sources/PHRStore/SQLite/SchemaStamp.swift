/// What the migrator records in a store's header once it has found the store's schema current, so
/// that the next open can tell, without checking again, that nothing has changed since.
///
/// The stamp is a 32-bit digest (FNV-1a) of the store's `PRAGMA schema_version`, of the rows of
/// `schema_migrations` (identifiers and checksums) and of the binary's schema fingerprint
/// (`SchemaFingerprint`), kept in `PRAGMA user_version`, a header field SQLite leaves to the
/// application.
///
/// Guarantees:
/// - a recorded stamp matches the store only while the schema is the one that was checked:
///   SQLite changes `schema_version` on every change of the schema (a migration, a trigger dropped
///   or edited by hand, a `VACUUM`), and the rows of `schema_migrations` are in the digest, so an
///   edited checksum or an added migration no longer matches either. A change matches by chance
///   once in 2^32;
/// - it matches only a binary with the same fingerprint: a phr with other migrations or other
///   triggers checks the store in full;
/// - recording it leaves `schema_version` as it is (the two are separate header fields) and
///   changes nothing else;
/// - 0, SQLite's value for a store never stamped, is never a stamp.
struct SchemaStamp: Equatable {
    let value: Int32

    /// The stamp of `db` as it is now, whose recorded migrations are `applied`, for a binary whose
    /// schema fingerprint is `fingerprint`.
    init(of db: Connection, applied: [AppliedMigration], fingerprint: String) throws(SQLiteError) {
        var text = "fingerprint \(fingerprint)\nschema_version \(try Self.schemaVersion(of: db))\n"
        for migration in applied {
            text += "migration \(migration.identifier) \(migration.checksum)\n"
        }
        // FNV-1a: the stamp detects changes, it does not resist forgery (whoever can edit the
        // file can edit the schema), and every command computes it, before anything else needs a
        // cryptographic hash.
        var value: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            value = (value ^ UInt32(byte)) &* 16_777_619
        }
        self.value = value == 0 ? 1 : Int32(bitPattern: value)
    }

    /// SQLite's count of the changes to the schema of `db`.
    static func schemaVersion(of db: Connection) throws(SQLiteError) -> Int64 {
        try db.scalar("PRAGMA schema_version") ?? 0
    }

    /// Whether `db` carries this stamp.
    func isRecorded(in db: Connection) throws(SQLiteError) -> Bool {
        try db.scalar("PRAGMA user_version", as: Int64?.self) == Int64(value)
    }

    /// Records the stamp in `db`. Run it inside the write transaction that found or made the
    /// schema current.
    func record(in db: Connection) throws(SQLiteError) {
        guard try !isRecorded(in: db) else { return }
        try db.execute("PRAGMA user_version = \(value)")
    }
}
