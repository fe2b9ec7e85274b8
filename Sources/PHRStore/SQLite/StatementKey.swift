/// A statement's SQL as the key of a connection's statement cache: two keys are equal exactly when
/// their texts are equal.
///
/// It hashes the text's length and its first and last 32 bytes only. phr's SQL is long (an insert
/// names every column) and an import looks a statement up for every row it writes: hashing the
/// whole text cost about 8 % of the importing thread's instructions. Texts that share length and
/// ends fall into one bucket and are told apart by comparing them, as with any collision.
struct StatementKey: Hashable {
    let sql: String

    static func == (lhs: StatementKey, rhs: StatementKey) -> Bool { lhs.sql == rhs.sql }

    func hash(into hasher: inout Hasher) {
        let utf8 = sql.utf8
        hasher.combine(utf8.count)
        // Both ways feed the hasher the same bytes, so equal texts hash alike whatever their
        // storage (a Dictionary traps on equal keys with different hashes).
        let hashedEnds: Void? = utf8.withContiguousStorageIfAvailable { bytes in
            hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes.prefix(Self.endLength))))
            hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes.suffix(Self.endLength))))
        }
        if hashedEnds == nil {
            Array(utf8.prefix(Self.endLength)).withUnsafeBytes { hasher.combine(bytes: $0) }
            Array(utf8.suffix(Self.endLength)).withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    /// How many bytes of each end of the text are hashed.
    static let endLength = 32
}
