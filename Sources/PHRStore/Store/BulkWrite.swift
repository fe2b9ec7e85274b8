/// How one large write (an import) runs.
public struct BulkWriteOptions: Sendable {
    /// SQLite's page cache during the write, in KiB. One transaction touches many pages of many
    /// tables; with SQLite's default 2 MiB they would be spilled to the WAL and read back again.
    public var cacheKiB: Int

    public init(cacheKiB: Int = 32 * 1024) {
        self.cacheKiB = cacheKiB
    }
}

/// The summary a bulk write is recorded under in the history; the work may name it once done
/// (`import (120 added, 3 updated)`).
public final class ChangeSummary {
    public var text: String

    init(_ text: String) {
        self.text = text
    }
}

extension HealthStore {
    /// Inside a bulk write, does a little of the work its end would do (search-indexes up to
    /// `rows` ids' worth of the rows added so far); false when there was none to do, or outside a
    /// bulk write. For a bulk write's caller that would otherwise wait for its input.
    public func workAhead(rows: Int64 = 256) throws -> Bool {
        try insertsSetAside?.indexAhead(rows: rows) ?? false
    }

    /// Runs `body` as one change (`write`) with `options`; the change is recorded under the
    /// summary `body` leaves in its `ChangeSummary`. The page cache is put back afterwards.
    ///
    /// Search indexing is deferred while `body` runs: the rows it writes are indexed when it
    /// returns, in the same transaction, in one statement per table and batch of rows
    /// (`SearchTriggers.indexPending`), which is much faster than a row at a time. `body` may get
    /// some of that done earlier, a batch at a time, with `workAhead` (an import does while it
    /// waits for its input to be read). Searches made inside `body` see at most the rows indexed
    /// ahead, as they were then.
    ///
    /// The insert triggers of the item tables are set aside while `body` runs
    /// (`InsertTriggersSetAside`): rows added through `Connection.insert(into:_:then:)` get the
    /// same history entries without SQLite's statement journal. A row added to an item table by
    /// other SQL fails the write. A store stamped as current (`SchemaStamp`) stays stamped, so the
    /// next open need not check its schema.
    public func bulkWrite<T>(_ summary: String, options: BulkWriteOptions = BulkWriteOptions(),
                             _ body: (ChangeSummary) throws -> T) throws -> T {
        let previous: Int64? = try database.scalar("PRAGMA cache_size")
        try database.execute("PRAGMA cache_size = -\(max(options.cacheKiB, 1))")
        defer { try? database.execute("PRAGMA cache_size = \(previous ?? -2000)") }
        let named = ChangeSummary(summary)
        return try write(summary) {
            let enclosing = database.defersSearchIndexing
            database.defersSearchIndexing = true
            let enclosingRowsFound = rowsFound
            if enclosingRowsFound == nil { rowsFound = [:] }
            let setAside = enclosing ? nil : try InsertTriggersSetAside(in: database, keepingStampOf: Self.migrator)
            let result: T
            do {
                if let setAside {
                    database.afterInsert = setAside.noteInsert
                    database.historyAccess.beforeAccess = setAside.writeHeldBack
                    insertsSetAside = setAside
                }
                defer {
                    database.defersSearchIndexing = enclosing
                    if enclosingRowsFound == nil { rowsFound = nil }
                    if setAside != nil {
                        database.afterInsert = nil
                        database.historyAccess.beforeAccess = nil
                        insertsSetAside = nil
                    }
                }
                result = try body(named)
            }
            if let setAside {
                try setAside.putBack()
                try SearchTriggers.indexPending(in: database)
            }
            if named.text != summary { try describeCurrentChange(named.text) }
            return result
        }
    }
}
