/// How much of the store file holds data, and how much of it SQLite keeps unused: the pages of
/// deleted rows and files (and of the file chunks that migration 21 moved), which later writes
/// reuse and only a rebuild of the file gives back to the disk.
public struct StoreSpace: Sendable, Equatable {
    /// The store file's size, as SQLite counts it (its pages; the write-ahead log aside).
    public let fileBytes: Int64
    /// The bytes of its unused pages.
    public let unusedBytes: Int64

    public var usedBytes: Int64 { fileBytes - unusedBytes }

    /// At least 16 MiB unused, and at least a tenth of the file: worth the time a rebuild takes.
    public var isWorthCompacting: Bool {
        unusedBytes >= Self.worthCompacting && unusedBytes * 10 >= fileBytes
    }

    static let worthCompacting: Int64 = 16 << 20
}

extension HealthStore {
    /// The store file's size and its unused part, now.
    public func space() throws -> StoreSpace {
        let pageSize: Int64 = try database.scalar("PRAGMA page_size") ?? 0
        let pages: Int64 = try database.scalar("PRAGMA page_count") ?? 0
        let unused: Int64 = try database.scalar("PRAGMA freelist_count") ?? 0
        return StoreSpace(fileBytes: pages * pageSize, unusedBytes: unused * pageSize)
    }

    /// Gives the store's unused pages back to the disk: SQLite rebuilds the file (`VACUUM`), its
    /// temporary copy on disk (never in memory, whatever the store's size), then the write-ahead
    /// log is copied into the store and truncated. Returns the space before and after.
    ///
    /// All or nothing: a full disk or a stopped phr leaves the store as it was. Refuses before
    /// writing a byte (`noRoomToCompact`) when the store's disk has less free space than twice
    /// the data (the rebuilt copy, and the log it goes through) and a margin, and throws
    /// `readOnly` for a store that can only be read. Run outside a write.
    public func compact() throws -> (before: StoreSpace, after: StoreSpace) {
        try compact(free: FileStore.freeBytes(onDiskOf: path))
    }

    /// `compact()`, with `free` bytes free on the store's disk (nil: unknown, no reason to refuse).
    func compact(free: Int64?) throws -> (before: StoreSpace, after: StoreSpace) {
        guard !isReadOnly else { throw StoreError.readOnly(path: path, needsUpgrade: false) }
        let before = try space()
        if let free {
            let needed = 2 * before.usedBytes + FileStore.roomMargin
            if free < needed { throw StoreError.noRoomToCompact(path: path, needed: needed, free: free) }
        }
        try database.execute("PRAGMA temp_store = FILE")
        defer { try? database.execute("PRAGMA temp_store = MEMORY") }
        try database.execute("VACUUM")
        _ = try truncateWAL()
        return (before, try space())
    }
}
