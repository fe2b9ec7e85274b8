/// A packet phr exported, as the sharing log keeps it: when, for whom, where to, which records it
/// described and which results it carried.
///
/// The log is kept outside the history (no undo removes it): once a packet has left the machine,
/// the record that it did must stay. A record removed later stays listed by id and UUID.
public struct SharedPacket: Sendable, Hashable, Identifiable {
    public enum Format: String, Sendable, Codable, CaseIterable {
        case folder, zip
    }

    public var id: Int64
    /// The packet's FHIR document identifier (its Bundle.identifier is `urn:uuid:` this).
    public var documentUUID: String
    public var patientID: Int64
    /// The receiving provider, when one was named and still exists.
    public var providerID: Int64?
    /// The receiving provider's name at the time of the export.
    public var recipientName: String?
    /// When, as phr's UTC timestamp.
    public var exportedAt: String
    /// The absolute path the packet was written to.
    public var destination: String
    public var format: Format
    /// Whether the record files themselves were included.
    public var withFiles: Bool
    /// The scope as the user gave it, for people (e.g. "diagnoses 3; since 2026-01").
    public var scope: String
    /// Bytes written in all.
    public var byteCount: Int64
    /// The records the packet described, by id, in packet order.
    public var recordIDs: [Int64]
    /// The results the packet carried (parts included), by id, ascending.
    public var resultIDs: [Int64]

    public init(documentUUID: String, patientID: Int64, providerID: Int64? = nil, recipientName: String? = nil,
                destination: String, format: Format, withFiles: Bool, scope: String, byteCount: Int64,
                recordIDs: [Int64], resultIDs: [Int64] = []) {
        self.id = 0
        self.documentUUID = documentUUID
        self.patientID = patientID
        self.providerID = providerID
        self.recipientName = recipientName
        self.exportedAt = ""
        self.destination = destination
        self.format = format
        self.withFiles = withFiles
        self.scope = scope
        self.byteCount = byteCount
        self.recordIDs = recordIDs
        self.resultIDs = resultIDs
    }
}

extension SharedPacket {
    static let columns = [
        "id", "document_uuid", "patient_id", "provider_id", "recipient_name", "exported_at", "destination", "format",
        "with_files", "scope", "byte_count",
    ]
    static let selectList = SelectList.columns(columns) + """
        , (SELECT group_concat(record_id) FROM (SELECT record_id FROM export_records WHERE export_id = e.id
           ORDER BY position)) AS record_ids
        , (SELECT group_concat(result_id) FROM (SELECT result_id FROM export_results WHERE export_id = e.id
           ORDER BY result_id)) AS result_ids
        """

    init(row: Row) throws {
        id = try row.get("id")
        documentUUID = try row.get("document_uuid")
        patientID = try row.get("patient_id")
        providerID = try row.get("provider_id")
        recipientName = try row.get("recipient_name")
        exportedAt = try row.get("exported_at")
        destination = try row.get("destination")
        format = try Field.enumeration(row.get("format"), column: "exports.format")
        withFiles = try row.get("with_files", as: Int64.self) != 0
        scope = try row.get("scope")
        byteCount = try row.get("byte_count")
        recordIDs = try row.get("record_ids", as: String?.self)?.split(separator: ",").compactMap { Int64($0) } ?? []
        resultIDs = try row.get("result_ids", as: String?.self)?.split(separator: ",").compactMap { Int64($0) } ?? []
    }
}

extension HealthStore {
    /// Logs an exported packet, the records it described and the results it carried. Run inside
    /// `write`; returns the entry as stored.
    @discardableResult
    public func logSharedPacket(_ packet: SharedPacket) throws -> SharedPacket {
        try requireRow("patients", "patient", id: packet.patientID)
        try requireRow("providers", "provider", id: packet.providerID)
        let recipientName = Field.optional(packet.recipientName)
        if packet.providerID != nil, recipientName == nil {
            throw StoreError.invalidField(field: "recipient", reason: "a receiving provider needs its name")
        }
        try database.insert(into: "exports", [
            ("document_uuid", packet.documentUUID), ("patient_id", packet.patientID), ("provider_id", packet.providerID),
            ("recipient_name", recipientName), ("exported_at", Timestamp.now()),
            ("destination", try Field.required(packet.destination, "destination")), ("format", packet.format.rawValue),
            ("with_files", packet.withFiles), ("scope", packet.scope), ("byte_count", packet.byteCount),
        ])
        let id = database.lastInsertRowID
        for (order, recordID) in packet.recordIDs.enumerated() {
            guard let uuid: String = try database.scalar("SELECT uuid FROM records WHERE id = ?", [recordID]) else {
                throw StoreError.notFound(entity: "record", id: recordID)
            }
            try database.insert(into: "export_records",
                                [("export_id", id), ("record_id", recordID), ("record_uuid", uuid), ("position", order)])
        }
        for resultID in Set(packet.resultIDs).sorted() {
            guard let uuid: String = try database.scalar("SELECT uuid FROM results WHERE id = ?", [resultID]) else {
                throw StoreError.notFound(entity: "result", id: resultID)
            }
            try database.insert(into: "export_results", [("export_id", id), ("result_id", resultID), ("result_uuid", uuid)])
        }
        return try requireSharedPacket(id)
    }

    public func sharedPacket(id: Int64) throws -> SharedPacket? {
        try database.query("SELECT \(SharedPacket.selectList) FROM exports e WHERE e.id = ?", [id], SharedPacket.init).first
    }

    public func requireSharedPacket(_ id: Int64) throws -> SharedPacket {
        guard let packet = try sharedPacket(id: id) else { throw StoreError.notFound(entity: "export", id: id) }
        return packet
    }

    /// A patient's exported packets, oldest first; only those for `providerID` when given.
    public func sharedPackets(patientID: Int64, providerID: Int64? = nil) throws -> [SharedPacket] {
        try database.query("""
            SELECT \(SharedPacket.selectList) FROM exports e
            WHERE e.patient_id = ? AND (? IS NULL OR e.provider_id = ?)
            ORDER BY e.exported_at, e.id
            """, [patientID, providerID, providerID], SharedPacket.init)
    }
}
