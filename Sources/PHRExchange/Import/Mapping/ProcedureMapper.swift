import PHRStore

/// Procedure → procedures: the code (SNOMED CT, CPT, ICD-10-PCS, else another system's as
/// `other`) and its text, the performed date-time or period at its own precision, the first
/// performer, the first body site, `reasonReference` (a Condition) or mCODE's related-condition
/// extension as the diagnosis, the outcome, status and source notes (with what mCODE's extensions say of
/// the treatment: `TreatmentSummary`).
///
/// **Category**: mCODE's CancerRelatedSurgicalProcedure → surgery, its radiotherapy profiles →
/// radiation therapy; else phr's own category (a coding of `FHIRVocabulary.procedureCategorySystem`);
/// else the category's or the code's SNOMED CT code (surgical procedure,
/// biopsy, radiation therapy, chemotherapy and other drug therapy); else the one its name gives
/// away (`Procedure.Category.guess`: "Laparoscopic appendectomy" is a surgery); else other.
///
/// One entered in error is skipped, or, when an earlier import made a procedure of it, that
/// procedure becomes entered in error (`SourceRetraction`).
struct ProcedureMapper: ResourceMapper {
    struct Prepared: PreparedResource {
        let subject: FHIRReference?
        let performers: [FHIRReference]
        let reasons: [FHIRReference]
        let name: String
        let code: (code: String, system: Procedure.CodeSystem)?
        let category: Procedure.Category
        let performedOn: DateOrTime?
        let performedUntil: DateOrTime?
        let bodySite: String?
        let outcome: String?
        let status: Procedure.Status
        let sourceNotes: String?

        func apply(_ resource: IncomingResource, keys: SourceKeys, prior: ImportSource?, session: ImportSession) throws {
            let references = ResourceReferences(resource, keys: keys, session: session)
            let patientID = try references.patient(subject, field: "subject")
            let providerID = try references.firstRow(performers, field: "performer", accepting: [.providers])?.id
            let diagnosisID = try references.firstRow(reasons, field: "reasonReference", accepting: [.diagnoses])?.id
            let store = session.store
            func fill(_ procedure: inout Procedure, _ merge: FieldMerge) {
                merge.required(&procedure.patientID, patientID, "patient")
                merge.required(&procedure.name, name, "name")
                merge.code(&procedure.code, &procedure.codeSystem, code?.code, code?.system)
                merge.required(&procedure.category, category)
                merge.optional(&procedure.performedOn, performedOn, "date")
                merge.optional(&procedure.performedUntil, performedUntil, "end")
                merge.optional(&procedure.providerID, providerID)
                merge.optional(&procedure.bodySite, bodySite, "body site")
                merge.optional(&procedure.diagnosisID, diagnosisID)
                merge.optional(&procedure.outcome, outcome, "outcome")
                merge.required(&procedure.status, status, "status")
                merge.optional(&procedure.sourceNotes, sourceNotes, "source notes")
            }
            try session.upsert(
                resource, keys: keys, prior: prior, table: .procedures, references: references,
                load: { try store.procedure(id: $0) },
                create: { uuid in
                    var procedure = Procedure(patientID: patientID, name: name, uuid: uuid)
                    fill(&procedure, FieldMerge(kind: .sameSource))
                    return try store.insertProcedure(procedure)
                },
                merge: { fill(&$0, $1) },
                save: { try store.updateProcedure($0) })
        }
    }

    func prepare(_ resource: IncomingResource) throws -> any PreparedResource {
        let body = resource.body
        if try Self.isEnteredInError(resource) {
            return SourceRetraction(reason: "entered in error", table: .procedures, status: \Procedure.status,
                                    withdrawn: .enteredInError, load: { try $0.procedure(id: $1) },
                                    save: { _ = try $0.updateProcedure($1) })
        }
        let concept = try body.object("code")
        let codings = try concept?.codings() ?? []
        if let absence = AbsenceStatement(codings) { return SkippedResource(reason: absence.skipReason(notA: "a procedure")) }
        let coded = ClinicalCodes.code(codings, other: Procedure.CodeSystem.other, ClinicalCodes.procedureSystem)
        let name = try concept?.text("text") ?? ClinicalCodes.readableName(codings, preferred: coded?.display)
            ?? concept?.conceptText() ?? "Procedure"
        var category = try body.object("meta")?.strings("profile").lazy.compactMap(ClinicalCodes.procedureCategory(profile:)).first
        if category == nil {
            // phr's own category, as its packets write it.
            category = try body.objects("category").flatMap { try $0.codings() }.lazy
                .filter { $0.system == FHIRVocabulary.procedureCategorySystem }
                .compactMap { $0.code.flatMap(Procedure.Category.init(rawValue:)) }.first
        }
        if category == nil {
            let snomed = try (body.objects("category").flatMap { try $0.codings() } + codings)
                .filter { $0.system == FHIRVocabulary.snomedSystem }.compactMap(\.code)
            category = snomed.lazy.compactMap(ClinicalCodes.procedureCategory(code:)).first
        }
        if category == nil { category = Procedure.Category.guess(fromName: name) }
        var performedOn = try body.dateOrTime("performedDateTime")
        var performedUntil: DateOrTime?
        if let period = try body.object("performedPeriod") {
            performedOn = try period.dateOrTime("start")
            performedUntil = try period.dateOrTime("end")
            if performedOn == nil { performedOn = performedUntil; performedUntil = nil }
        }
        // What the source says that has no field of its own: when, in words or as an age; why it
        // was not done (or stopped).
        var sourceNotes = try body.notes()
        if performedOn == nil, let when = try body.timeInWords("performed") {
            sourceNotes = FHIRObject.notes(sourceNotes, adding: when.hasPrefix("age ") ? "Performed at \(when)" : "Performed: \(when)")
        }
        if let why = try body.object("statusReason")?.conceptText() {
            let status = try body.text("status")
            sourceNotes = FHIRObject.notes(sourceNotes, adding: (status == "not-done" ? "Not done: " : status == "stopped" ? "Stopped: " : "Status reason: ") + why)
        }
        // mCODE: the treatment's intent, why it ended early, a radiotherapy course's modality, sessions and doses.
        for line in try TreatmentSummary.lines(of: body) { sourceNotes = FHIRObject.notes(sourceNotes, adding: line) }
        let reasons = try body.references("reasonReference")
            + body.objects("extension").filter { try $0.text("url") == FHIRVocabulary.mcodeRelatedConditionExtension }
                .compactMap { try $0.reference("valueReference") }
        return Prepared(
            subject: try body.reference("subject"),
            performers: try body.objects("performer").compactMap { try $0.reference("actor") },
            reasons: reasons, name: name, code: coded.map { ($0.code, $0.system) }, category: category ?? .other,
            performedOn: performedOn, performedUntil: performedUntil,
            bodySite: try ClinicalCodes.readableText(body.objects("bodySite").first),
            outcome: try body.object("outcome")?.conceptText(),
            status: try body.text("status").flatMap(Procedure.Status.init(rawValue:)) ?? .unknown,
            sourceNotes: sourceNotes)
    }
}
