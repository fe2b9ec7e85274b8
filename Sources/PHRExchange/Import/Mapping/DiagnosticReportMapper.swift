import PHRStore

/// DiagnosticReport → records: `presentedForm` (the first) as the file, `conclusion` (else the
/// `conclusionCode`s) as the source notes, with the other presented forms named (and their URLs), the category as the kind (pathology, imaging, lab; HL7 v2-0074 or LOINC codes), the code
/// as the title, the effective date (else issued), and the performer (else results interpreter)
/// as provider.
///
/// Its `result` Observations become results of that record (`ResultLinks`). A report without a
/// `presentedForm` is a record without a file whose content is those results: its source notes say so
/// (`resultsNote`), so that no one looks for a document held elsewhere.
///
/// A report entered in error is skipped.
struct DiagnosticReportMapper: ResourceMapper {
    struct Prepared: PreparedResource {
        let subject: FHIRReference?
        let performers: [FHIRReference]
        let form: FHIRObject?
        let decoded: HashedBytes?
        let kind: Record.Kind
        let title: String
        let recordedOn: PartialDate?
        let conclusion: String?
        /// The presented forms after the first, which the record does not keep, as a source notes line.
        let otherForms: String?
        let results: [FHIRReference]

        func apply(_ resource: IncomingResource, keys: SourceKeys, prior: ImportSource?, session: ImportSession) throws {
            let references = ResourceReferences(resource, keys: keys, session: session)
            let patientID = try references.patient(subject, field: "subject")
            let providerID = try references.firstRow(performers, field: "performer", accepting: [.providers])?.id
            var sourceNotes = conclusion
            if form == nil, !results.isEmpty {
                sourceNotes = FHIRObject.notes(sourceNotes, adding: DiagnosticReportMapper.resultsNote)
            }
            sourceNotes = FHIRObject.notes(sourceNotes, adding: otherForms)
            let content = try form.map { try session.attachments.content(of: $0, resource: resource, decoded: decoded) } ?? .none
            let fields = RecordFields(patientID: patientID, kind: kind, title: title, recordedOn: recordedOn,
                                      providerID: providerID, diagnosisIDs: [], sourceNotes: sourceNotes, content: content,
                                      originalName: try form?.text("title"), mediaType: try form?.text("contentType"))
            let record = try RecordUpsert.upsert(fields, resource, keys: keys, prior: prior, references: references,
                                                 session: session)
            try session.links.link(results, as: .record, to: record, patientID: patientID, base: keys.base,
                                   session: session)
        }
    }

    /// The source notes of a report that came without a document: its results are its content.
    static let resultsNote = "No report document came with this report: its results are kept in phr as results of this record."

    /// `sourceNotes` without `resultsNote` (where the record's place says as much); `nil` when
    /// nothing else is left.
    static func withoutResultsNote(_ sourceNotes: String) -> String? {
        let rest = sourceNotes.components(separatedBy: "\n\n").filter { $0 != resultsNote }
        return rest.isEmpty ? nil : rest.joined(separator: "\n\n")
    }

    func prepare(_ resource: IncomingResource) throws -> any PreparedResource {
        let body = resource.body
        if try Self.isEnteredInError(resource) { return SkippedResource(reason: "entered in error") }
        var kind: Record.Kind?
        let categories = try body.objects("category")
        for category in categories {
            let codings = try category.codings()
            if let code = codings.first(where: { $0.system == FHIRVocabulary.recordKindSystem })?.code,
               let phrKind = Record.Kind(rawValue: code) {
                kind = phrKind
                break
            }
            if let found = codings.lazy.compactMap({ $0.code.flatMap(FHIRVocabulary.recordKind(forDiagnosticCategory:)) }).first {
                kind = found
                break
            }
        }
        if kind == nil {
            // No category phr knows: the report's code and the categories' words say what it is.
            let code = try body.object("code")
            let names = try [code?.text("text")] + (code?.codings() ?? []).map(\.display)
                + categories.flatMap { [try $0.text("text")] + (try $0.codings()).map(\.display) }
            kind = FHIRVocabulary.recordKind(forDocumentType: try code?.code(in: FHIRVocabulary.loincSystem), named: names)
        }
        let forms = try body.objects("presentedForm")
        let form = forms.first
        let others = try forms.dropFirst().map { other in
            let name = try other.text("title") ?? other.text("contentType") ?? "another form"
            return try other.text("url").map { "\(name) (\($0))" } ?? name
        }
        let conclusionCodes = try body.objects("conclusionCode").compactMap { try $0.conceptText() }
        return Prepared(
            subject: try body.reference("subject"),
            performers: try body.references("performer") + body.references("resultsInterpreter"),
            form: form, decoded: try form.flatMap { try AttachmentReader.decodeSmall($0) }, kind: kind ?? .other,
            title: try body.object("code")?.conceptText() ?? "Diagnostic report",
            recordedOn: try body.date("effectiveDateTime") ?? body.object("effectivePeriod")?.date("start") ?? body.date("issued"),
            conclusion: try body.text("conclusion") ?? (conclusionCodes.isEmpty ? nil : conclusionCodes.joined(separator: "; ")),
            otherForms: others.isEmpty ? nil : "Also presented as, not kept here: " + others.joined(separator: "; "),
            results: try body.references("result"))
    }
}
