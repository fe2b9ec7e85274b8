import Foundation

extension HealthStore {
    /// Gives record `id` the file at `source.path` in place of its current one (or of none), streamed
    /// like `addRecord(_:file:)`. Used when a record's source sends changed contents (import).
    ///
    /// The earlier contents stay in the store: the history keeps the record's earlier version, and
    /// an undo brings it back whole.
    @discardableResult
    public func replaceRecordFile(id: Int64, file source: RecordFileSource) throws -> Record {
        try requireRow("records", "record", id: id)
        let stored = try FileStore(database: database).store(path: source.path)
        let name = source.originalName ?? URL(fileURLWithPath: source.path).lastPathComponent
        let mediaType = try source.mediaType ?? MediaType.guess(head: Self.head(of: source.path), name: name)
        try database.run("""
            UPDATE records SET file_id = ?, original_name = ?, media_type = ?, updated_at = ? WHERE id = ?
            """, [stored.id, name, mediaType, Timestamp.now(), id])
        return try requireRecord(id)
    }
}
