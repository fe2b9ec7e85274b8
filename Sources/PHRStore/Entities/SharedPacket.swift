import Foundation

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
            .column("document_uuid", packet.documentUUID), .column("patient_id", packet.patientID),
            .column("provider_id", packet.providerID), .column("recipient_name", recipientName),
            .column("exported_at", Timestamp.now()),
            .column("destination", try Field.required(packet.destination, "destination")),
            .column("format", packet.format.rawValue), .column("with_files", packet.withFiles),
            .column("scope", packet.scope), .column("byte_count", packet.byteCount),
        ])
        let id = database.lastInsertRowID
        for (order, recordID) in packet.recordIDs.enumerated() {
            guard let uuid: String = try database.scalar("SELECT uuid FROM records WHERE id = ?", [recordID]) else {
                throw StoreError.notFound(entity: "record", id: recordID)
            }
            try database.insert(into: "export_records",
                                [.column("export_id", id), .column("record_id", recordID), .column("record_uuid", uuid),
                                 .column("position", order)])
        }
        for resultID in Set(packet.resultIDs).sorted() {
            guard let uuid: String = try database.scalar("SELECT uuid FROM results WHERE id = ?", [resultID]) else {
                throw StoreError.notFound(entity: "result", id: resultID)
            }
            try database.insert(into: "export_results", [.column("export_id", id), .column("result_id", resultID),
                                                         .column("result_uuid", uuid)])
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

// MARK: Pending exports

/// An export logged before its packet was put in place and not yet confirmed.
public struct PendingExport: Sendable, Hashable {
    public let id: Int64
    public let destination: String
    public let documentUUID: String
    /// The process putting the packet in place.
    public let owner: String
    /// The staged packet's `<device>:<inode>`.
    public let identity: String
}

/// What a later phr did with an export whose process was gone.
public struct ExportSettlement: Sendable, Hashable {
    public enum Outcome: String, Sendable {
        /// The packet was in place: the entry is confirmed.
        case confirmed
        /// The packet never got there: the entry is gone (and a replaced packet is back).
        case dropped
    }
    public let exportID: Int64
    public let destination: String
    public let outcome: Outcome
}

extension HealthStore {
    /// `<device>:<inode>` of the file or folder at `path` (not followed), as the export log keeps
    /// a staged packet's; a rename keeps it. `nil` when nothing is there.
    public static func fileIdentity(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return "\(info.st_dev):\(info.st_ino)"
    }

    /// Where a packet replaced with `--force` waits while its successor is put in place:
    /// `.<name>.phr-old-<first 8 of the new packet's document UUID>` beside it.
    public static func replacedPacketPath(destination: String, documentUUID: String) -> String {
        let url = URL(fileURLWithPath: destination)
        return url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).phr-old-\(documentUUID.prefix(8))").path
    }

    /// Logs an export before its packet is put in place: pending, owned by this process, naming
    /// the staged packet by `stagedIdentity`. Run inside `write`; then put the packet in place and
    /// call `confirmSharedPacket`.
    @discardableResult
    public func logPendingSharedPacket(_ packet: SharedPacket, stagedIdentity: String) throws -> SharedPacket {
        let logged = try logSharedPacket(packet)
        try database.run("UPDATE exports SET pending_owner = ?, pending_identity = ? WHERE id = ?",
                         [ProcessOwner.current.description, stagedIdentity, logged.id])
        return logged
    }

    /// Confirms a pending export (its packet is in place). A log entry, not a change: no history.
    public func confirmSharedPacket(id: Int64) throws {
        try database.transaction(.immediate) {
            try database.run("UPDATE exports SET pending_owner = NULL, pending_identity = NULL WHERE id = ?", [id])
        }
    }

    /// Drops a pending export whose packet was not put in place.
    public func dropPendingSharedPacket(id: Int64) throws {
        try database.transaction(.immediate) {
            try database.run("DELETE FROM exports WHERE id = ? AND pending_owner IS NOT NULL", [id])
        }
    }

    /// Exports logged and not yet confirmed (in progress, or left by a process that is gone).
    public func pendingExports() throws -> [PendingExport] {
        try database.query("""
            SELECT id, destination, document_uuid, pending_owner, pending_identity FROM exports
            WHERE pending_owner IS NOT NULL ORDER BY id
            """) { row in
            PendingExport(id: try row.get("id"), destination: try row.get("destination"),
                          documentUUID: try row.get("document_uuid"), owner: try row.get("pending_owner"),
                          identity: try row.get("pending_identity"))
        }
    }

    /// Settles the exports whose process is gone by looking at their OUT: the staged packet is
    /// there (the entry is confirmed, the packet it replaced removed) or it is not (the entry is
    /// dropped, and a packet it replaced that is still aside goes back to OUT if OUT is empty).
    /// An entry whose OUT folder is missing (a medium unplugged) stays pending. Cheap when
    /// nothing is pending: one indexed query.
    @discardableResult
    public func settleExportLog() throws -> [ExportSettlement] {
        let orphans = try pendingExports().filter { !(ProcessOwner($0.owner)?.isAlive ?? false) }
        guard !orphans.isEmpty else { return [] }
        return try database.transaction(.immediate) {
            var settled: [ExportSettlement] = []
            // Read again under the write lock: another phr may have settled them meanwhile.
            for entry in try pendingExports() where orphans.contains(entry) {
                // OUT's folder gone (a medium unplugged): nothing can be told; a later run settles it.
                let folder = (entry.destination as NSString).deletingLastPathComponent
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else { continue }
                let aside = Self.replacedPacketPath(destination: entry.destination, documentUUID: entry.documentUUID)
                if Self.fileIdentity(entry.destination) == entry.identity {
                    try database.run("UPDATE exports SET pending_owner = NULL, pending_identity = NULL WHERE id = ?", [entry.id])
                    if Self.fileIdentity(aside) != nil { try? FileManager.default.removeItem(atPath: aside) }
                    settled.append(ExportSettlement(exportID: entry.id, destination: entry.destination, outcome: .confirmed))
                } else {
                    if Self.fileIdentity(entry.destination) == nil, Self.fileIdentity(aside) != nil {
                        rename(aside, entry.destination)
                    }
                    try database.run("DELETE FROM exports WHERE id = ?", [entry.id])
                    settled.append(ExportSettlement(exportID: entry.id, destination: entry.destination, outcome: .dropped))
                }
            }
            return settled
        }
    }
}
