import Crypto

/// A digest of what this binary knows about phr's schema: every migration's identifier and
/// checksum, and the history and search triggers its generators (`HistoryTriggers`,
/// `SearchTriggers`) write for a store with every migration applied, which the catalog shapes.
///
/// Two binaries with the same fingerprint migrate and check a store the same way, so a store one
/// of them found current is current for the other: the migrator stamps a store with it
/// (`SchemaStamp`) and skips the checks at the next open while the stamp matches.
///
/// Computing the fingerprint means hashing every migration and generating every trigger, the
/// work the stamp saves at each open, so `current` is written out below. A test computes it again
/// and fails, naming the new value, when a migration, the catalog or a generator changes what it
/// covers: then paste the new value here.
enum SchemaFingerprint {
    /// The fingerprint of phr's migration catalog and trigger generators (checked by
    /// `SchemaFingerprintTests`).
    static let current = "60096a6d3f6aed1a2afd71ea18c622c6690bdf27c5166617d0dc29bf446cfd9f"

    /// The fingerprint of `migrations` and of the triggers generated for `db`, a store with every
    /// one of them applied.
    static func compute(migrations: [Migration], in db: Connection) throws -> String {
        var text = ""
        for migration in migrations {
            text += "migration \(migration.identifier) \(migration.checksum)\n"
        }
        var triggers = try HistoryTriggers.generated(in: db)
        for (name, trigger) in try SearchTriggers.generated(in: db) {
            triggers[name] = trigger.sql
        }
        for (name, sql) in triggers.sorted(by: { $0.key < $1.key }) {
            text += "trigger \(name)\n\(sql)\n"
        }
        return Hex.encode(SHA256.hash(data: Array(text.utf8)))
    }
}
