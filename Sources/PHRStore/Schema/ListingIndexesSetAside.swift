/// The listing indexes (`SchemaTable.listingIndexes`) of the tables a bulk write finds empty,
/// dropped for the write and created again at its end.
///
/// Why: a first import adds tens of thousands of results, and keeping results' three listing
/// indexes (by patient, name and code, each with the date) in order as every row arrives costs a
/// seek in each of their b-trees per row; building each once from the finished table is one sort
/// (`benchmarks/import-speed.sh`; measured in docs/PERFORMANCE.md, Import).
///
/// Guarantees:
/// - only a table with no rows when the write starts loses its listing indexes, so a query of
///   the write that did read through one (none should: their purpose is listing) scans only the
///   rows the write itself added;
/// - `putBack()` creates each index again from the SQL the store had for it, so the schema ends
///   as it began (SQLite's `schema_version` aside: `schemaChanges` counts the changes made);
/// - the indexes are part of the schema, so a write that fails or is killed rolls their drop back
///   with everything else.
struct ListingIndexesSetAside {
    private let db: Connection
    /// The indexes dropped, with the SQL that made them, in the order the store had them.
    private let indexes: [(name: String, sql: String)]

    /// Drops the listing indexes of those of `tables` that are empty. Run inside the write.
    init(of tables: [SchemaTable], in db: Connection) throws {
        self.db = db
        var indexes: [(name: String, sql: String)] = []
        for table in tables where !table.listingIndexes.isEmpty {
            let quoted = HistoryTriggers.identifier(table.name)
            guard try db.scalar("SELECT EXISTS (SELECT 1 FROM \(quoted))", as: Int64?.self) == 0 else { continue }
            let wanted = Set(table.listingIndexes)
            try db.forEach("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY rowid",
                           [table.name]) { row in
                let name = try row.get(0, as: String.self)
                if wanted.contains(name) { indexes.append((name, try row.get(1, as: String.self))) }
            }
        }
        self.indexes = indexes
        for index in indexes {
            try db.execute("DROP INDEX \(HistoryTriggers.identifier(index.name))")
        }
    }

    /// How many changes of the schema setting the indexes aside and putting them back make.
    var schemaChanges: Int { 2 * indexes.count }

    /// Creates the indexes dropped again, each in one pass over its table. Run inside the write.
    func putBack() throws(SQLiteError) {
        for index in indexes {
            try db.execute(index.sql)
        }
    }
}
