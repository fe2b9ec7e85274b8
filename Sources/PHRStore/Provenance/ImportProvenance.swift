/// A table of phr's that imported resources become rows of. Each is a catalogued item table
/// (checked by a test); `import_sources.entity_table` holds one of these names.
public enum ImportedTable: String, Sendable, CaseIterable {
    case patients, providers, diagnoses, appointments, opinions, records
    case results, medications, allergies, procedures, immunizations
    case familyHistory = "family_history"

    /// What one row of the table is called in messages: `record 12`.
    public var rowName: String {
        SchemaCatalog.table(named: rawValue)?.singular ?? rawValue
    }

    /// Hashes the case (one byte: the enumeration has no payload, so equal cases have equal bytes),
    /// not the text of its raw value as `RawRepresentable` would: an import builds small sets of
    /// tables (the ones a reference may name) for every reference it resolves.
    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes(of: self) { hasher.combine(bytes: $0) }
    }
}

/// What a source key of `import_sources` names: a row that exists now.
public struct ImportSource: Sendable, Hashable {
    /// True for a resource's own key (where it lives), false for another of its names.
    public let isResource: Bool
    public let table: ImportedTable
    public let rowID: Int64
    /// SHA-256 (hex) of the resource as last read; for a resource's own key only.
    public let contentHash: String?
    /// The resource's references that resolved to nothing, one `field: reference` a line.
    public let unresolved: String?
}

/// Where imported rows came from: the table `import_sources` (migration 0003), for an import
/// running inside one `HealthStore.write`.
///
/// Guarantees: a key is only ever reported with a row that exists now (a key whose row was
/// removed reads as absent and is taken over by the next import); an alias already naming a live
/// row keeps it (the first resource to claim a name keeps it); statements are prepared once per
/// connection and take bound parameters only.
///
/// A store's first import looks up every resource's keys and finds none. When `import_sources`
/// is empty as the import's write begins (no other writer can add to it until the write ends), a
/// key this import has not recorded is known to be absent and is not looked up: the keys recorded
/// are kept in a Bloom filter (`RecordedKeys`, two bytes a key), whose rare wrong "maybe" only
/// means a lookup.
public final class ImportProvenance {
    private let database: Connection
    private let now: String
    /// The keys recorded by this import, when `import_sources` was empty as it began; nil when it
    /// was not (every key is then looked up).
    private var recordedKeys: RecordedKeys?

    init(database: Connection, now: String) throws {
        self.database = database
        self.now = now
        let hasSources = try database.scalar("SELECT EXISTS (SELECT 1 FROM import_sources)", as: Int64?.self) == 1
        recordedKeys = hasSources ? nil : RecordedKeys()
    }

    /// False when `key` cannot be in `import_sources` (see the type's guarantees).
    private func mayHold(_ key: String) -> Bool {
        recordedKeys?.mayContain(key) ?? true
    }

    private func noteRecorded(_ key: String) {
        recordedKeys?.insert(key)
    }

    /// SQL that is true when the row an `import_sources` row (named `source` in the statement)
    /// points to exists; the table names come from `ImportedTable`, never from input.
    private static func rowExists(_ source: String) -> String {
        " CASE \(source).entity_table" + ImportedTable.allCases.map {
            "\n    WHEN '\($0.rawValue)' THEN EXISTS (SELECT 1 FROM \($0.rawValue) WHERE id = \(source).row_id)"
        }.joined() + "\n    ELSE 0 END"
    }

    // One statement finds the key and checks that its row exists.
    private static let sourceSQL = """
        SELECT s.kind, s.entity_table, s.row_id, s.content_hash, s.unresolved FROM import_sources s
        WHERE s.source_key = ? AND
        """ + rowExists("s")

    /// The statements run for every resource, kept here once prepared: looking them up in the
    /// connection's cache hashes and compares their long texts at every call.
    private var sourceStatement: Statement?
    private var resourceStatement: Statement?
    private var aliasStatement: Statement?

    /// The statement in `slot`, prepared into it on first use.
    private func statement(_ slot: inout Statement?, _ sql: String) throws(SQLiteError) -> Statement {
        if let statement = slot { return statement }
        let statement = try database.prepare(sql)
        slot = statement
        return statement
    }

    /// Runs the statement in `slot` (see `statement(_:_:)`) with `values`, bound as they are (no
    /// value goes through `SQLiteBindable`: these run for every resource).
    private func run(_ slot: inout Statement?, _ sql: String, _ values: [SQLiteValue]) throws(SQLiteError) {
        try statement(&slot, sql).run(values)
    }

    /// What `key` names, if its row still exists.
    public func source(_ key: String) throws -> ImportSource? {
        guard mayHold(key) else { return nil }
        let statement = try statement(&sourceStatement, Self.sourceSQL)
        defer { statement.reset() }
        try statement.bind([key])
        guard try statement.step() else { return nil }
        let row = statement.row
        guard let table = ImportedTable(rawValue: try row.get("entity_table", as: String.self)) else { return nil }
        return ImportSource(isResource: try row.get("kind", as: String.self) == "resource", table: table,
                            rowID: try row.get("row_id"), contentHash: try row.get("content_hash"),
                            unresolved: try row.get("unresolved"))
    }

    /// The live rows recorded as resources under the keys `key + marker + N`, N a whole number
    /// written in decimal digits, with N: the rows a resource made of its parts beyond the first
    /// (`#condition-1`, `#condition-2`, …), in no particular order. One range of the key's index;
    /// never skipped by the Bloom filter (a part's key is recorded after its resource's, but the
    /// range costs one seek and only resources with parts ask).
    public func numberedParts(of key: String, marker: String) throws -> [(number: Int, source: ImportSource)] {
        let prefix = key + marker
        // Every key that starts with the prefix and goes on with a digit sorts below prefix + ":",
        // the character after "9"; the others in the range are dropped below.
        let statement = try statement(&partsStatement, Self.partsSQL)
        defer { statement.reset() }
        try statement.bind([prefix, prefix + ":"])
        var parts: [(number: Int, source: ImportSource)] = []
        while try statement.step() {
            let row = statement.row
            let suffix = try row.get("source_key", as: String.self).utf8.dropFirst(prefix.utf8.count)
            guard !suffix.isEmpty, suffix.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                  let number = Int(Substring(suffix)),
                  let table = ImportedTable(rawValue: try row.get("entity_table", as: String.self)) else { continue }
            parts.append((number, ImportSource(isResource: true, table: table, rowID: try row.get("row_id"),
                                               contentHash: try row.get("content_hash"), unresolved: try row.get("unresolved"))))
        }
        return parts
    }

    private var partsStatement: Statement?

    private static let partsSQL = """
        SELECT s.source_key, s.entity_table, s.row_id, s.content_hash, s.unresolved FROM import_sources s
        WHERE s.source_key > ? AND s.source_key < ? AND s.kind = 'resource' AND
        """ + rowExists("s")

    /// The id of the row of `table` with `uuid`.
    public func rowID(_ table: ImportedTable, uuid: String) throws -> Int64? {
        try database.scalar("SELECT id FROM \(table.rawValue) WHERE uuid = ?", [uuid])
    }

    /// Records that the resource known by `key` made (or matched) row `rowID` of `table`.
    public func recordResource(_ key: String, type: String, table: ImportedTable, rowID: Int64, contentHash: String,
                               unresolved: String?) throws {
        noteRecorded(key)
        try run(&resourceStatement, Self.resourceSQL, [.text(key), .text(table.rawValue), .integer(rowID), .text(type),
                                                        .text(contentHash), unresolved.sqliteValue, .text(now)])
    }

    private static let resourceSQL = """
        INSERT INTO import_sources (source_key, kind, entity_table, row_id, resource_type, content_hash,
                                    unresolved, imported_at)
        VALUES (?, 'resource', ?, ?, ?, ?, ?, ?)
        ON CONFLICT (source_key) DO UPDATE SET
            kind = 'resource', entity_table = excluded.entity_table, row_id = excluded.row_id,
            resource_type = excluded.resource_type, content_hash = excluded.content_hash,
            unresolved = excluded.unresolved, imported_at = excluded.imported_at
        """

    // One statement: a new name is inserted; an alias whose row is gone is taken over; a name of a
    // live row, or some resource's own key, is kept.
    private static let aliasSQL = """
        INSERT INTO import_sources (source_key, kind, entity_table, row_id, resource_type, content_hash,
                                    unresolved, imported_at)
        VALUES (?, 'alias', ?, ?, ?, NULL, NULL, ?)
        ON CONFLICT (source_key) DO UPDATE SET
            entity_table = excluded.entity_table, row_id = excluded.row_id,
            resource_type = excluded.resource_type, imported_at = excluded.imported_at
        WHERE import_sources.kind = 'alias' AND NOT
        """ + rowExists("import_sources")

    /// Records `key` as another name of row `rowID`, unless it already names a live row (or is some
    /// resource's own key): the first resource to claim a name keeps it.
    public func recordAlias(_ key: String, type: String, table: ImportedTable, rowID: Int64) throws {
        noteRecorded(key)
        try run(&aliasStatement, Self.aliasSQL,
                [.text(key), .text(table.rawValue), .integer(rowID), .text(type), .text(now)])
    }
}

extension HealthStore {
    /// The provenance of imported rows, for an import running inside `write`.
    public func importProvenance() throws -> ImportProvenance {
        try ImportProvenance(database: database, now: Timestamp.now())
    }
}
