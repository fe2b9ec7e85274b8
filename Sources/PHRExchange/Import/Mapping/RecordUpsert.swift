import PHRStore

/// What a DocumentReference or DiagnosticReport says about a record.
struct RecordFields {
    var patientID: Int64
    var kind: Record.Kind
    var title: String
    var recordedOn: PartialDate?
    var providerID: Int64?
    var diagnosisIDs: [Int64]
    /// What the source said beyond these fields (a report's conclusion, its other forms): the
    /// record's source notes, never the patient's notes.
    var sourceNotes: String?
    var content: AttachmentContent
    /// The file's name as the source gave it.
    var originalName: String?
    var mediaType: String?
    /// DocumentReference.date: when the reference was made (an instant), kept for the next export.
    var referencedAt: String? = nil
}

/// Makes or updates the record of a DocumentReference or DiagnosticReport, its file included.
///
/// A record made from the same source gets changed contents as a new file (the old one stays for
/// the history); a matching record from elsewhere only gains a file when it has none. An attachment
/// phr cannot read (a URL elsewhere) is named in the source notes. The patient's notes are never
/// written, so they survive a re-import.
enum RecordUpsert {
    @discardableResult
    static func upsert(_ fields: RecordFields, _ resource: IncomingResource, keys: SourceKeys, prior: ImportSource?,
                       references: ResourceReferences, session: ImportSession) throws -> Int64 {
        let store = session.store
        var sourceNotes = fields.sourceNotes
        enum FileSource {
            case path(RecordFileSource)
            case bytes(HashedBytes)
        }
        let name = fields.originalName ?? fields.title
        var file: (source: FileSource, sha256: String)?
        switch fields.content {
        case .file(let path, let sha256, _):
            file = (.path(RecordFileSource(path: path, originalName: name, mediaType: fields.mediaType)), sha256)
        case .bytes(let contents):
            file = (.bytes(contents), contents.sha256)
        case .external(let url):
            sourceNotes = FHIRObject.notes(sourceNotes, adding: "File kept elsewhere: \(url)")
        case .none:
            break
        }
        let diagnosisIDs = try Array(Set(fields.diagnosisIDs)).sorted().filter { id in
            // A link to another patient's diagnosis would be refused by the store: leave it out.
            try store.diagnosis(id, isOfPatient: fields.patientID)
        }
        func needsFile(_ record: Record, _ merge: FieldMerge) -> Bool {
            guard let file else { return false }
            guard let stored = record.file?.sha256 else { return true }
            let sha256 = file.sha256
            // A row from elsewhere keeps its file: a different one is a conflict.
            merge.compare("file (SHA-256)", stored: stored, incoming: sha256)
            return merge.kind == .sameSource && stored != sha256
        }
        var fileChanged = false
        return try session.upsert(
            resource, keys: keys, prior: prior, table: .records, references: references,
            load: { try store.record(id: $0) },
            create: { uuid in
                let record = Record(patientID: fields.patientID, kind: fields.kind, title: fields.title,
                                    recordedOn: fields.recordedOn, providerID: fields.providerID,
                                    diagnosisIDs: diagnosisIDs, sourceNotes: sourceNotes, referencedAt: fields.referencedAt,
                                    uuid: uuid)
                switch file?.source {
                case .path(let source): return try store.insertRecord(record, file: source)
                case .bytes(let contents):
                    return try store.insertRecord(record, contents: .hashed(contents, originalName: name, mediaType: fields.mediaType))
                case nil: return try store.insertRecord(record)
                }
            },
            merge: { record, merge in
                merge.required(&record.patientID, fields.patientID, "patient")
                merge.required(&record.kind, fields.kind)
                merge.required(&record.title, fields.title, "title")
                merge.optional(&record.recordedOn, fields.recordedOn, "date")
                merge.optional(&record.providerID, fields.providerID)
                merge.optional(&record.sourceNotes, sourceNotes, "source notes")
                // A packet's own date for a record entered in phr is its created_at: nothing to keep.
                merge.optional(&record.referencedAt, fields.referencedAt == record.createdAt ? record.referencedAt : fields.referencedAt)
                record.diagnosisIDs = merge.kind == .sameSource ? diagnosisIDs
                    : Array(Set(record.diagnosisIDs + diagnosisIDs)).sorted()
            },
            differs: { record, merge in
                fileChanged = needsFile(record, merge)
                return fileChanged
            },
            save: { record in
                var saved = try store.updateRecord(record)
                switch fileChanged ? file?.source : nil {
                case .path(let source): saved = try store.replaceRecordFile(id: record.id, file: source)
                case .bytes(let contents):
                    saved = try store.replaceRecordFile(id: record.id,
                                                        contents: .hashed(contents, originalName: name, mediaType: fields.mediaType))
                case nil: break
                }
                return saved
            })
    }
}
