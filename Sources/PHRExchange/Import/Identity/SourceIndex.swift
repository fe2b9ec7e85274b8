import PHRStore

/// A table of phr's that an imported resource becomes a row of.
enum EntityTable: String, Sendable, CaseIterable {
    case patients, providers, diagnoses, appointments, opinions, records

    /// The table a resource type becomes rows of, when phr imports it.
    static func of(resourceType: String) -> EntityTable? {
        switch resourceType {
        case "Patient": return .patients
        case "Practitioner", "Organization", "PractitionerRole": return .providers
        case "Condition": return .diagnoses
        case "Encounter", "Appointment": return .appointments
        case "ClinicalImpression": return .opinions
        case "DocumentReference", "DiagnosticReport": return .records
        default: return nil
        }
    }

    /// What one row of the table is called in messages: `record 12`.
    var rowName: String {
        switch self {
        case .patients: return "patient"
        case .providers: return "provider"
        case .diagnoses: return "diagnosis"
        case .appointments: return "appointment"
        case .opinions: return "opinion"
        case .records: return "record"
        }
    }
}

/// A key found in `import_sources` whose row still exists.
struct IndexHit {
    let isResource: Bool
    let table: EntityTable
    let rowID: Int64
    let contentHash: String?
    let unresolved: String?
}

/// The SQL of `import_sources` (migration 0003): what a source key names, and recording it.
///
/// Guarantees: a key is only ever reported with a row that exists now (a key whose row was
/// removed reads as absent and is taken over by the next import); an alias already naming a live
/// row keeps it (the first resource to claim an identifier keeps it); statements are prepared
/// once per connection and take bound parameters only.
final class SourceIndex {
    private let database: Connection
    private let now: String

    init(database: Connection, now: String) {
        self.database = database
        self.now = now
    }

    // One statement finds the key and checks that its row exists (table names are fixed here).
    private static let hitSQL = """
        SELECT s.kind, s.entity_table, s.row_id, s.content_hash, s.unresolved FROM import_sources s
        WHERE s.source_key = ? AND CASE s.entity_table
            WHEN 'patients' THEN EXISTS (SELECT 1 FROM patients WHERE id = s.row_id)
            WHEN 'providers' THEN EXISTS (SELECT 1 FROM providers WHERE id = s.row_id)
            WHEN 'diagnoses' THEN EXISTS (SELECT 1 FROM diagnoses WHERE id = s.row_id)
            WHEN 'appointments' THEN EXISTS (SELECT 1 FROM appointments WHERE id = s.row_id)
            WHEN 'opinions' THEN EXISTS (SELECT 1 FROM opinions WHERE id = s.row_id)
            WHEN 'records' THEN EXISTS (SELECT 1 FROM records WHERE id = s.row_id)
            ELSE 0 END
        """

    /// What `key` names, if its row still exists.
    func hit(_ key: String) throws -> IndexHit? {
        let statement = try database.prepare(Self.hitSQL)
        defer { statement.reset() }
        try statement.bind([key])
        guard try statement.step() else { return nil }
        let row = statement.row
        guard let table = EntityTable(rawValue: try row.get(1, as: String.self)) else { return nil }
        return IndexHit(isResource: try row.get(0, as: String.self) == "resource", table: table,
                        rowID: try row.get(2), contentHash: try row.get(3), unresolved: try row.get(4))
    }

    /// The id of the row of `table` with `uuid`.
    func rowID(_ table: EntityTable, uuid: String) throws -> Int64? {
        // Table names come from the enumeration, never from input.
        try database.scalar("SELECT id FROM \(table.rawValue) WHERE uuid = ?", [uuid])
    }

    /// Records that the resource known by `key` made (or matched) row `rowID` of `table`.
    func recordResource(_ key: String, type: String, table: EntityTable, rowID: Int64, contentHash: String,
                        unresolved: String?) throws {
        try database.run("""
            INSERT INTO import_sources (source_key, kind, entity_table, row_id, resource_type, content_hash,
                                        unresolved, imported_at)
            VALUES (?, 'resource', ?, ?, ?, ?, ?, ?)
            ON CONFLICT (source_key) DO UPDATE SET
                kind = 'resource', entity_table = excluded.entity_table, row_id = excluded.row_id,
                resource_type = excluded.resource_type, content_hash = excluded.content_hash,
                unresolved = excluded.unresolved, imported_at = excluded.imported_at
            """, [key, table.rawValue, rowID, type, contentHash, unresolved, now])
    }

    /// Records `key` as another name of row `rowID`, unless it already names a live row (or is some
    /// resource's own key).
    func recordAlias(_ key: String, type: String, table: EntityTable, rowID: Int64) throws {
        if try hit(key) != nil { return }
        try database.run("""
            INSERT INTO import_sources (source_key, kind, entity_table, row_id, resource_type, content_hash,
                                        unresolved, imported_at)
            VALUES (?, 'alias', ?, ?, ?, NULL, NULL, ?)
            ON CONFLICT (source_key) DO UPDATE SET
                entity_table = excluded.entity_table, row_id = excluded.row_id,
                resource_type = excluded.resource_type, imported_at = excluded.imported_at
            WHERE import_sources.kind = 'alias'
            """, [key, table.rawValue, rowID, type, now])
    }
}
