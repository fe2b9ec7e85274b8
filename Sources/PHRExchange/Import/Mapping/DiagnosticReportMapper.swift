import PHRStore

/// DiagnosticReport → records: `presentedForm` (the first) as the file, `conclusion` as the
/// notes, the category as the kind (pathology, imaging, lab; HL7 v2-0074 or LOINC codes), the code
/// as the title, the effective date (else issued), and the performer (else results interpreter)
/// as provider.
///
/// A report entered in error is skipped.
struct DiagnosticReportMapper: ResourceMapper {
    func importResource(_ resource: IncomingResource, keys: SourceKeys, prior: IndexHit?,
                        session: ImportSession) throws {
        let body = resource.body
        if try Self.isEnteredInError(resource) {
            session.report.count(resource.type, .skipped("entered in error"))
            return
        }
        let references = ResourceReferences(resource, keys: keys, session: session)
        let patientID = try references.patient(body.reference("subject"), field: "subject")
        let providerID = try references.firstRow(body.references("performer") + body.references("resultsInterpreter"),
                                                 field: "performer", accepting: [.providers])?.id

        var kind = Record.Kind.other
        for category in try body.objects("category") {
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
        let title = try body.object("code")?.conceptText() ?? "Diagnostic report"
        let recordedOn = try body.date("effectiveDateTime") ?? body.object("effectivePeriod")?.date("start")
            ?? body.date("issued")
        let form = try body.objects("presentedForm").first
        let content = try form.map { try session.attachments.content(of: $0, resource: resource) } ?? .none
        let originalName = try form?.text("title")
        let fields = RecordFields(patientID: patientID, kind: kind, title: title, recordedOn: recordedOn,
                                  providerID: providerID, diagnosisIDs: [], notes: try body.text("conclusion"),
                                  content: content, originalName: originalName, mediaType: try form?.text("contentType"))
        try RecordUpsert.upsert(fields, resource, keys: keys, prior: prior, references: references, session: session)
    }
}
