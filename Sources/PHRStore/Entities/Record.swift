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
    /// The patient's own notes: private, exported only into summary.html and only when asked.
    public var notes: String?
    /// What the source said of it that has no field of its own (a report's conclusion, the forms it came in, where its file is kept, that it was superseded), written by import; never the
    /// patient's (`notes`). Exported with it (fhir.json's `source-notes` extension, summary.html), unlike `notes`.
    public var sourceNotes: String?
    /// When the document reference this record was imported from was made (an ISO 8601 instant, as
    /// the source wrote it); `nil` for a record entered in phr, whose reference is `createdAt`.
    public var referencedAt: String?
    /// The stored file, if any; set by the store.
    public internal(set) var file: File?
    public var createdAt: String
    public var updatedAt: String

    public init(patientID: Int64, kind: Kind = .other, title: String, recordedOn: PartialDate? = nil,
                providerID: Int64? = nil, diagnosisIDs: [Int64] = [], notes: String? = nil, sourceNotes: String? = nil,
                referencedAt: String? = nil, uuid: String? = nil) {
        self.id = 0
        self.uuid = uuid ?? HealthStore.newUUID()
        self.patientID = patientID
        self.kind = kind
        self.title = title
        self.recordedOn = recordedOn
        self.providerID = providerID
        self.diagnosisIDs = diagnosisIDs
        self.notes = notes
        self.sourceNotes = sourceNotes
        self.referencedAt = referencedAt
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
    static let columns = [
        "id", "uuid", "patient_id", "kind", "title", "recorded_on", "provider_id", "notes", "created_at", "updated_at",
        "file_id", "original_name", "media_type", "referenced_at", "source_notes",
    ]
    /// The record's columns, its file's size and checksum, and its diagnoses; `FROM \(from)`.
    static let selectList = columns.map { "r.\($0)" }.joined(separator: ", ") + """
        , f.size, f.sha256, (SELECT group_concat(diagnosis_id) FROM (SELECT diagnosis_id FROM record_diagnoses
           WHERE record_id = r.id ORDER BY diagnosis_id)) AS diagnosis_ids
        """
    static let from = "records r LEFT JOIN files f ON f.id = r.file_id"

    init(row: Row) throws {
        id = try row.get("id")
        uuid = try row.get("uuid")
        patientID = try row.get("patient_id")
        kind = try Field.enumeration(row.get("kind"), column: "records.kind")
        title = try row.get("title")
        recordedOn = try Field.date(row.get("recorded_on", as: String?.self), column: "records.recorded_on")
        providerID = try row.get("provider_id")
        notes = try row.get("notes")
        sourceNotes = try row.get("source_notes")
        referencedAt = try row.get("referenced_at")
        createdAt = try row.get("created_at")
        updatedAt = try row.get("updated_at")
        if let fileID = try row.get("file_id", as: Int64?.self) {
            file = File(id: fileID, originalName: try row.get("original_name"), mediaType: try row.get("media_type", as: String?.self) ?? MediaType.fallback,
                        size: try row.get("size"), sha256: try row.get("sha256"))
        } else {
            file = nil
        }
        diagnosisIDs = try row.get("diagnosis_ids", as: String?.self)?.split(separator: ",").compactMap { Int64($0) } ?? []
    }

    /// The columns a caller sets, checked.
    fileprivate func validatedValues(in store: HealthStore) throws -> [ColumnValue] {
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
        return [.column("patient_id", patientID), .column("kind", kind.rawValue),
                .column("title", try Field.required(title, "title")), .column("recorded_on", recordedOn?.description),
                .column("provider_id", providerID), .column("notes", Field.optional(notes)),
                .column("source_notes", Field.optional(sourceNotes)), .column("referenced_at", Field.optional(referencedAt))]
    }
}

extension HealthStore {
    /// Stores a record and, when `source` is given, its file (streamed; an identical file already in
    /// the store is shared, not stored again).
    @discardableResult
    public func addRecord(_ record: Record, file source: RecordFileSource? = nil) throws -> Record {
        try requireRecord(try insertRecord(record, file: source))
    }

    /// Stores a record as `addRecord(_:file:)` does and returns only its row id: for writers that
    /// need nothing else back (an import).
    @discardableResult
    public func insertRecord(_ record: Record, file source: RecordFileSource? = nil) throws -> Int64 {
        guard let source else { return try insertRecord(record, storingFile: nil) }
        return try insertRecord(record, storingFile: {
            let stored = try FileStore(database: self.database).store(path: source.path, name: source.originalName)
            let name = source.originalName ?? URL(fileURLWithPath: source.path).lastPathComponent
            let mediaType = try source.mediaType ?? MediaType.guess(head: Self.head(of: source.path), name: name)
            return (stored, name, mediaType, nil)
        })
    }

    /// Stores a record with the file `storeFile` puts into the store (its contents, name, media
    /// type, and its bytes when they are in memory), after the record's fields have been checked;
    /// returns its row id.
    func insertRecord(_ record: Record,
                      storingFile storeFile: (() throws -> (file: StoredFile, name: String, mediaType: String,
                                                            inMemory: [UInt8]?))?) throws -> Int64 {
        let values = try record.validatedValues(in: self)
        var fileColumns: [ColumnValue] = []
        if let storeFile {
            let (stored, name, mediaType, inMemory) = try storeFile()
            fileColumns = [.column("file_id", stored.id), .column("original_name", name),
                           .column("media_type", mediaType)]
            // The words inside text-like files become searchable (Search/FileTextExtractor.swift).
            try indexFileText(fileID: stored.id, mediaType: mediaType, contents: inMemory)
        }
        let id = try insertRow("records", values + fileColumns, uuid: record.uuid)
        try linkDiagnoses(recordID: id, record.diagnosisIDs)
        return id
    }

    /// Replaces a record's description and diagnosis links. Its file never changes.
    @discardableResult
    public func updateRecord(_ record: Record) throws -> Record {
        let before = try requireRecord(record.id)
        try updateRow("records", try record.validatedValues(in: self), id: record.id)
        if Set(before.diagnosisIDs) != Set(record.diagnosisIDs) {
            try database.run("DELETE FROM record_diagnoses WHERE record_id = ?", [record.id])
            try linkDiagnoses(recordID: record.id, record.diagnosisIDs)
        }
        return try requireRecord(record.id)
    }

    /// Removes a record. Its file contents stay in the store, so an undo brings it back whole.
    public func removeRecord(id: Int64) throws {
        try deleteRow("records", id: id)
    }

    private func linkDiagnoses(recordID: Int64, _ diagnosisIDs: [Int64]) throws {
        for diagnosisID in Set(diagnosisIDs).sorted() {
            try database.run("INSERT INTO record_diagnoses (record_id, diagnosis_id) VALUES (?, ?)", [recordID, diagnosisID])
        }
    }

    public func record(id: Int64) throws -> Record? {
        try database.query("SELECT \(Record.selectList) FROM \(Record.from) WHERE r.id = ?", [id], Record.init).first
    }

    public func requireRecord(_ id: Int64) throws -> Record {
        guard let record = try record(id: id) else { throw StoreError.notFound(entity: "record", id: id) }
        return record
    }

    public func record(uuid: String) throws -> Record? {
        try database.query("SELECT \(Record.selectList) FROM \(Record.from) WHERE r.uuid = ?", [uuid], Record.init).first
    }

    /// A patient's records matching `filter`, oldest first (undated ones last).
    public func records(patientID: Int64, _ filter: RecordFilter = RecordFilter()) throws -> [Record] {
        var sql = "SELECT \(Record.selectList) FROM \(Record.from) WHERE r.patient_id = ?"
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
        let days = DayRange(since: filter.since, until: filter.until).condition(on: "r.recorded_on")
        sql += days.sql
        bindings += days.bindings
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

    /// The ids of the patient's records linked to diagnosis `diagnosisID`.
    public func recordIDs(patientID: Int64, diagnosisID: Int64) throws -> [Int64] {
        try database.query("""
            SELECT r.id FROM record_diagnoses d JOIN records r ON r.id = d.record_id
            WHERE d.diagnosis_id = ? AND r.patient_id = ?
            """, [diagnosisID, patientID]) { try $0.get(0, as: Int64.self) }
    }

    /// Those of `ids` that are records of the patient now.
    public func recordIDs(patientID: Int64, among ids: [Int64]) throws -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        return Set(try database.query("""
            SELECT r.id FROM records r WHERE r.id IN (SELECT value FROM json_each(?)) AND r.patient_id = ?
            """, [IDList(ids), patientID]) { try $0.get(0, as: Int64.self) })
    }

    /// Streams a record's file to `body`, chunk by chunk, and verifies its SHA-256 at the end.
    /// Throws `checksumMismatch` when the bytes differ from those stored (after `body` saw them).
    public func readRecordFile(id: Int64, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let record = try requireRecord(id)
        guard let file = record.file else { throw StoreError.recordHasNoFile(recordID: id) }
        let stored = StoredFile(id: file.id, sha256: file.sha256, size: file.size)
        guard try FileStore(database: database).read(stored, body) else { throw StoreError.checksumMismatch(recordID: id) }
    }

    /// Reads a record's whole file and checks it against its SHA-256 without handing any byte on:
    /// the first pass of "verify, then deliver" (`record get` to standard output, where nothing
    /// can be taken back). Memory stays at one chunk. Throws `checksumMismatch` when it differs.
    public func verifyRecordFile(id: Int64) throws {
        try readRecordFile(id: id) { _ in }
    }

    /// Streams a record's file to `body` only after the whole file has matched its SHA-256, both
    /// passes in one read transaction (one snapshot): `body` never sees a byte of a damaged file.
    public func deliverRecordFile(id: Int64, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        try read {
            try verifyRecordFile(id: id)
            try readRecordFile(id: id, body)
        }
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
