import Foundation

/// A record file's bytes handed over piece by piece by the caller (e.g. decoded from base64 while
/// importing), instead of read from a file on disk.
public struct RecordFileContents {
    public var originalName: String
    public var mediaType: String
    /// Fills the buffer it is given as far as it can and returns the byte count; a short count
    /// ends the file (0 when nothing is left).
    public var read: (UnsafeMutableRawBufferPointer) throws -> Int
    /// The contents when they are in memory (set only by `hashed`, with the same bytes `read`
    /// hands over): stored straight from memory (nothing written when the store holds the same
    /// file already), and their text searched without reading it back.
    public private(set) var inMemory: HashedBytes?

    public init(originalName: String, mediaType: String, read: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) {
        self.originalName = originalName
        self.mediaType = mediaType
        self.read = read
    }

    /// Contents already in memory.
    public static func bytes(_ bytes: [UInt8], originalName: String, mediaType: String?) -> RecordFileContents {
        hashed(HashedBytes(bytes), originalName: originalName, mediaType: mediaType)
    }

    /// Contents already in memory and hashed (an import hashes them on its parsing thread).
    public static func hashed(_ contents: HashedBytes, originalName: String, mediaType: String?) -> RecordFileContents {
        let bytes = contents.bytes
        var offset = 0
        let type = mediaType ?? MediaType.guess(head: Array(bytes.prefix(256)), name: originalName)
        var result = RecordFileContents(originalName: originalName, mediaType: type) { buffer in
            let count = min(buffer.count, bytes.count - offset)
            if count > 0 {
                bytes.withUnsafeBytes { source in
                    buffer.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: count)
                }
            }
            offset += count
            return count
        }
        result.inMemory = contents
        return result
    }
}

extension HealthStore {
    /// Stores a record and its file from `contents` (streamed in 1 MiB pieces; an identical file
    /// already in the store is shared, not stored again).
    @discardableResult
    public func addRecord(_ record: Record, contents: RecordFileContents) throws -> Record {
        try requireRecord(try insertRecord(record, contents: contents))
    }

    /// Stores a record as `addRecord(_:contents:)` does and returns only its row id (an import).
    @discardableResult
    public func insertRecord(_ record: Record, contents: RecordFileContents) throws -> Int64 {
        try insertRecord(record, storingFile: {
            (try self.store(contents), contents.originalName, contents.mediaType, contents.inMemory?.bytes)
        })
    }

    /// Gives record `id` the file at `source.path` in place of its current one (or of none), streamed
    /// like `addRecord(_:file:)`. Used when a record's source sends changed contents (import).
    ///
    /// The earlier contents stay in the store: the history keeps the record's earlier version, and
    /// an undo brings it back whole.
    @discardableResult
    public func replaceRecordFile(id: Int64, file source: RecordFileSource) throws -> Record {
        try requireRow("records", "record", id: id)
        let stored = try FileStore(database: database).store(path: source.path, name: source.originalName)
        let name = source.originalName ?? URL(fileURLWithPath: source.path).lastPathComponent
        let mediaType = try source.mediaType ?? MediaType.guess(head: Self.head(of: source.path), name: name)
        return try setRecordFile(id: id, stored: stored, name: name, mediaType: mediaType, inMemory: nil)
    }

    /// Gives record `id` the file `contents` in place of its current one (or of none).
    @discardableResult
    public func replaceRecordFile(id: Int64, contents: RecordFileContents) throws -> Record {
        try requireRow("records", "record", id: id)
        return try setRecordFile(id: id, stored: try store(contents), name: contents.originalName,
                                 mediaType: contents.mediaType, inMemory: contents.inMemory?.bytes)
    }

    /// Puts `contents` into the store: from memory when they are there, else as `read` hands them.
    private func store(_ contents: RecordFileContents) throws -> StoredFile {
        let files = FileStore(database: database)
        if let inMemory = contents.inMemory { return try files.store(inMemory) }
        return try files.store(reading: contents.read)
    }

    private func setRecordFile(id: Int64, stored: StoredFile, name: String, mediaType: String,
                               inMemory: [UInt8]?) throws -> Record {
        try indexFileText(fileID: stored.id, mediaType: mediaType, contents: inMemory)
        try database.run("""
            UPDATE records SET file_id = ?, original_name = ?, media_type = ?, updated_at = ? WHERE id = ?
            """, [stored.id, name, mediaType, Timestamp.now(), id])
        return try requireRecord(id)
    }
}
