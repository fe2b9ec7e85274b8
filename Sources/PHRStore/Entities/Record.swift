import Foundation

/// A piece of the patient's record: a pathology or imaging report, a lab result, a letter, or a
/// physical item such as slides held by a lab. A record may carry one file, kept inside the store.
public struct Record: Sendable, Hashable, Codable, Identifiable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case pathologyReport = "pathology-report"
        case pathologySlides = "pathology-slides"
        case imagingReport = "imaging-report"
        case imagingStudy = "imaging-study"
        case labResult = "lab-result"
        case consultNote = "consult-note"
        case letter
        case other
    }

    /// The stored file of a record.
    public struct File: Sendable, Hashable, Codable {
        public let id: Int64
        public let originalName: String?
        public let mediaType: String
        public let size: Int64
        public let sha256: String
    }

    public var id: Int64
    public var uuid: String
    public var patientID: Int64
    public var kind: Kind
    public var title: String
    public var recordedOn: PartialDate?
    /// The provider the record comes from.
    public var providerID: Int64?
    /// The diagnoses the record belongs to.
    public var diagnosisIDs: [Int64]
    public var notes: String?
    /// The stored file, if any; set by the store.
    public internal(set) var file: File?
    public var createdAt: String
    public var updatedAt: String

    public init(patientID: Int64, kind: Kind = .other, title: String, recordedOn: PartialDate? = nil,
                providerID: Int64? = nil, diagnosisIDs: [Int64] = [], notes: String? = nil, uuid: String? = nil) {
        self.id = 0
        self.uuid = uuid ?? HealthStore.newUUID()
        self.patientID = patientID
        self.kind = kind
        self.title = title
        self.recordedOn = recordedOn
        self.providerID = providerID
        self.diagnosisIDs = diagnosisIDs
        self.notes = notes
        self.file = nil
        self.createdAt = ""
        self.updatedAt = ""
    }
}

/// Which records to list. Every criterion that is set must hold.
public struct RecordFilter: Sendable {
    public var kinds: [Record.Kind]?
    public var diagnosisID: Int64?
    public var providerID: Int64?
    public var since: PartialDate?
    public var until: PartialDate?
    /// Described by a packet exported for this provider (the sharing log).
    public var sentToProviderID: Int64?

    public init(kinds: [Record.Kind]? = nil, diagnosisID: Int64? = nil, providerID: Int64? = nil,
                since: PartialDate? = nil, until: PartialDate? = nil, sentToProviderID: Int64? = nil) {
        self.kinds = kinds
        self.diagnosisID = diagnosisID
        self.providerID = providerID
        self.since = since
        self.until = until
        self.sentToProviderID = sentToProviderID
    }
}

/// A file to store with a new record.
public struct RecordFileSource: Sendable {
    public var path: String
    /// The name to remember; defaults to the last component of `path`.
    public var originalName: String?
    /// The media type; guessed from the content and the name when `nil`.
    public var mediaType: String?

    public init(path: String, originalName: String? = nil, mediaType: String? = nil) {
        self.path = path
        self.originalName = originalName
        self.mediaType = mediaType
    }
}

extension Record {
    static let columns = """
        r.id, r.uuid, r.patient_id, r.kind, r.title, r.recorded_on, r.provider_id, r.notes, r.created_at, \
        r.updated_at, r.file_id, r.original_name, r.media_type, f.size, f.sha256, \
        (SELECT group_concat(diagnosis_id) FROM (SELECT diagnosis_id FROM record_diagnoses
         WHERE record_id = r.id ORDER BY diagnosis_id))
        """
    static let from = "records r LEFT JOIN files f ON f.id = r.file_id"

    init(row: Row) throws {
        id = try row.get(0)
        uuid = try row.get(1)
        patientID = try row.get(2)
        kind = try Field.enumeration(row.get(3), column: "records.kind")
        title = try row.get(4)
        recordedOn = try Field.date(row.get(5, as: String?.self), column: "records.recorded_on")
        providerID = try row.get(6)
        notes = try row.get(7)
        createdAt = try row.get(8)
        updatedAt = try row.get(9)
        if let fileID = try row.get(10, as: Int64?.self) {
            file = File(id: fileID, originalName: try row.get(11), mediaType: try row.get(12, as: String?.self) ?? MediaType.fallback,
                        size: try row.get(13), sha256: try row.get(14))
        } else {
            file = nil
        }
        diagnosisIDs = try row.get(15, as: String?.self)?.split(separator: ",").compactMap { Int64($0) } ?? []
    }

    fileprivate func validatedBindings(in store: HealthStore) throws -> [any SQLiteBindable] {
        try store.requireRow("patients", "patient", id: patientID)
        try store.requireRow("providers", "provider", id: providerID)
        for diagnosisID in diagnosisIDs {
            guard let diagnosis = try store.diagnosis(id: diagnosisID) else {
                throw StoreError.notFound(entity: "diagnosis", id: diagnosisID)
            }
            guard diagnosis.patientID == patientID else {
                throw StoreError.invalidField(field: "diagnosis", reason: "diagnosis \(diagnosisID) belongs to another patient")
            }
        }
        return [patientID, kind.rawValue, try Field.required(title, "title"), recordedOn?.description, providerID,
                Field.optional(notes)]
    }
}

extension HealthStore {
    /// Stores a record and, when `source` is given, its file (streamed; an identical file already in
    /// the store is shared, not stored again).
    @discardableResult
    public func addRecord(_ record: Record, file source: RecordFileSource? = nil) throws -> Record {
        guard let source else { return try addRecord(record, storingFile: nil) }
        return try addRecord(record, storingFile: {
            let stored = try FileStore(database: self.database).store(path: source.path)
            let name = source.originalName ?? URL(fileURLWithPath: source.path).lastPathComponent
            let mediaType = try source.mediaType ?? MediaType.guess(head: Self.head(of: source.path), name: name)
            return (stored, name, mediaType)
        })
    }

    /// Stores a record with the file `storeFile` puts into the store (its contents, name and
    /// media type), after the record's fields have been checked.
    func addRecord(_ record: Record,
                   storingFile storeFile: (() throws -> (file: StoredFile, name: String, mediaType: String))?) throws -> Record {
        let bindings = try record.validatedBindings(in: self)
        var fileColumns: [any SQLiteBindable] = [Int64?.none, String?.none, String?.none]
        if let storeFile {
            let (stored, name, mediaType) = try storeFile()
            fileColumns = [stored.id, name, mediaType]
            // The words inside text-like files become searchable (Search/FileTextExtractor.swift).
            try indexFileText(fileID: stored.id, mediaType: mediaType)
        }
        let now = Timestamp.now()
        try database.run("""
            INSERT INTO records (patient_id, kind, title, recorded_on, provider_id, notes, file_id, original_name,
                                 media_type, uuid, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, bindings + fileColumns + [record.uuid, now, now])
        let id = database.lastInsertRowID
        try linkDiagnoses(recordID: id, record.diagnosisIDs)
        return try requireRecord(id)
    }

    /// Replaces a record's description and diagnosis links. Its file never changes.
    @discardableResult
    public func updateRecord(_ record: Record) throws -> Record {
        let before = try requireRecord(record.id)
        try database.run("""
            UPDATE records SET patient_id = ?, kind = ?, title = ?, recorded_on = ?, provider_id = ?, notes = ?,
                               updated_at = ?
            WHERE id = ?
            """, try record.validatedBindings(in: self) + [Timestamp.now(), record.id])
        if Set(before.diagnosisIDs) != Set(record.diagnosisIDs) {
            try database.run("DELETE FROM record_diagnoses WHERE record_id = ?", [record.id])
            try linkDiagnoses(recordID: record.id, record.diagnosisIDs)
        }
        return try requireRecord(record.id)
    }

    /// Removes a record. Its file contents stay in the store, so an undo brings it back whole.
    public func removeRecord(id: Int64) throws {
        try deleteRow("records", "record", id: id, dependents: "other rows")
    }

    private func linkDiagnoses(recordID: Int64, _ diagnosisIDs: [Int64]) throws {
        for diagnosisID in Set(diagnosisIDs).sorted() {
            try database.run("INSERT INTO record_diagnoses (record_id, diagnosis_id) VALUES (?, ?)", [recordID, diagnosisID])
        }
    }

    public func record(id: Int64) throws -> Record? {
        try database.query("SELECT \(Record.columns) FROM \(Record.from) WHERE r.id = ?", [id], Record.init).first
    }

    public func requireRecord(_ id: Int64) throws -> Record {
        guard let record = try record(id: id) else { throw StoreError.notFound(entity: "record", id: id) }
        return record
    }

    public func record(uuid: String) throws -> Record? {
        try database.query("SELECT \(Record.columns) FROM \(Record.from) WHERE r.uuid = ?", [uuid], Record.init).first
    }

    /// A patient's records matching `filter`, oldest first (undated ones last).
    public func records(patientID: Int64, _ filter: RecordFilter = RecordFilter()) throws -> [Record] {
        var sql = "SELECT \(Record.columns) FROM \(Record.from) WHERE r.patient_id = ?"
        var bindings: [any SQLiteBindable] = [patientID]
        if let kinds = filter.kinds {
            sql += " AND r.kind IN (\(kinds.map { _ in "?" }.joined(separator: ", ")))"
            bindings += kinds.map(\.rawValue)
        }
        if let diagnosisID = filter.diagnosisID {
            sql += " AND r.id IN (SELECT record_id FROM record_diagnoses WHERE diagnosis_id = ?)"
            bindings.append(diagnosisID)
        }
        if let providerID = filter.providerID {
            sql += " AND r.provider_id = ?"
            bindings.append(providerID)
        }
        if let since = filter.since {
            sql += " AND r.recorded_on >= ?"
            bindings.append(since.description)
        }
        if let until = filter.until {
            // '2024-05' sorts before '2024-05-14', so compare with the end of the period.
            sql += " AND r.recorded_on <= ?"
            bindings.append(until.description + "\u{10FFFF}")
        }
        if let sentToProviderID = filter.sentToProviderID {
            sql += """
                 AND r.id IN (SELECT x.record_id FROM export_records x JOIN exports e ON e.id = x.export_id
                              WHERE e.provider_id = ?)
                """
            bindings.append(sentToProviderID)
        }
        sql += " ORDER BY r.recorded_on IS NULL, r.recorded_on, r.id"
        return try database.query(sql, bindings, Record.init)
    }

    /// Streams a record's file to `body`, chunk by chunk, and verifies its SHA-256 at the end.
    /// Throws `checksumMismatch` when the bytes differ from those stored (after `body` saw them).
    public func readRecordFile(id: Int64, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let record = try requireRecord(id)
        guard let file = record.file else { throw StoreError.recordHasNoFile(recordID: id) }
        let stored = StoredFile(id: file.id, sha256: file.sha256, size: file.size)
        guard try FileStore(database: database).read(stored, body) else { throw StoreError.checksumMismatch(recordID: id) }
    }

    /// Writes a record's original bytes to `path` atomically (0600). Nothing is left at `path` if the
    /// bytes do not match their SHA-256.
    public func writeRecordFile(id: Int64, to path: String) throws {
        let writer = try AtomicFileWriter(destination: path)
        try readRecordFile(id: id) { try writer.write($0) }
        try writer.commit()
    }

    static func head(of path: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return Array(try handle.read(upToCount: 256) ?? Data())
    }
}
