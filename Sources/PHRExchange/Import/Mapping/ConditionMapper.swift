import PHRStore

/// Condition → diagnoses: the code and its system (ICD-10-CM, ICD-O-3, SNOMED CT), the text,
/// onset (else recorded) date, status from verification and clinical status, `stage.summary`,
/// the asserter (else recorder), source notes (its `note`s, with what `evidence` names).
///
/// Status: refuted → refuted; clinically resolved, inactive or in remission → resolved;
/// unconfirmed, provisional or differential → suspected; otherwise confirmed. A condition entered
/// in error is skipped, or, when an earlier import made a diagnosis of it, that diagnosis becomes
/// refuted (`SourceRetraction`). A code in a system phr does not keep is written into the source notes.
///
/// Kind: `Condition.category` (problem-list-item → problem, encounter-diagnosis, health-concern);
/// a SNOMED CT "(finding)" about a social circumstance (employment, education, stress, housing, …:
/// `ClinicalCodes.socialFindingWords`), or a condition of category social-history or sdoh, is a
/// social finding; everything else (a "(disorder)") is a problem.
///
/// The staging results `stage.assessment` names are linked to the diagnosis, whichever of the two
/// is stored first (`ResultLinks`).
struct ConditionMapper: ResourceMapper {
    struct Prepared: PreparedResource {
        let subject: FHIRReference?
        let asserters: [FHIRReference]
        let description: String
        let code: (value: String, system: Diagnosis.CodeSystem)?
        let diagnosedOn: PartialDate?
        let status: Diagnosis.Status
        let stage: String?
        let sourceNotes: String?
        let kind: Diagnosis.Kind
        let assessments: [FHIRReference]

        func apply(_ resource: IncomingResource, keys: SourceKeys, prior: ImportSource?, session: ImportSession) throws {
            let references = ResourceReferences(resource, keys: keys, session: session)
            let patientID = try references.patient(subject, field: "subject")
            let providerID = try references.firstRow(asserters, field: "asserter", accepting: [.providers])?.id
            let store = session.store
            let saved = try session.upsert(
                resource, keys: keys, prior: prior, table: .diagnoses, references: references,
                load: { try store.diagnosis(id: $0) },
                create: { uuid in
                    try store.insertDiagnosis(Diagnosis(patientID: patientID, description: description, code: code?.value,
                                                     codeSystem: code?.system, diagnosedOn: diagnosedOn,
                                                     providerID: providerID, status: status, stage: stage, sourceNotes: sourceNotes,
                                                     kind: kind, uuid: uuid))
                },
                merge: { diagnosis, merge in
                    merge.required(&diagnosis.patientID, patientID, "patient")
                    merge.required(&diagnosis.description, description, "description")
                    merge.required(&diagnosis.status, status, "status")
                    merge.code(&diagnosis.code, &diagnosis.codeSystem, code?.value, code?.system)
                    merge.optional(&diagnosis.diagnosedOn, diagnosedOn, "date")
                    merge.optional(&diagnosis.providerID, providerID)
                    merge.optional(&diagnosis.stage, stage, "stage")
                    merge.optional(&diagnosis.sourceNotes, sourceNotes, "source notes")
                    merge.required(&diagnosis.kind, kind)
                },
                save: { try store.updateDiagnosis($0) })
            if !assessments.isEmpty {
                try session.links.link(assessments, as: .diagnosis, to: saved, patientID: patientID, base: keys.base,
                                       session: session)
            }
        }
    }

    func prepare(_ resource: IncomingResource) throws -> any PreparedResource {
        let body = resource.body
        let verification = try Self.statusCode(body.object("verificationStatus"))
        if verification == "entered-in-error" {
            return SourceRetraction(reason: "entered in error", table: .diagnoses, status: \Diagnosis.status,
                                    withdrawn: .refuted, load: { try $0.diagnosis(id: $1) },
                                    save: { _ = try $0.updateDiagnosis($1) })
        }
        let clinical = try Self.statusCode(body.object("clinicalStatus"))
        let status: Diagnosis.Status
        if verification == "refuted" {
            status = .refuted
        } else if ["resolved", "inactive", "remission"].contains(clinical ?? "") {
            status = .resolved
        } else if ["unconfirmed", "provisional", "differential"].contains(verification ?? "") {
            status = .suspected
        } else {
            status = .confirmed
        }

        let concept = try body.object("code")
        let codings = try concept?.codings() ?? []
        if let absence = AbsenceStatement(codings) { return SkippedResource(reason: absence.skipReason(notA: "a diagnosis")) }
        let coded = codings.lazy.compactMap { coding -> (code: String, system: Diagnosis.CodeSystem, display: String?)? in
            guard let code = coding.code, let system = coding.system.flatMap(FHIRVocabulary.codeSystem(forURI:)) else {
                return nil
            }
            return (code, system, coding.display)
        }.first
        let description = try concept?.text("text") ?? ClinicalCodes.readableName(codings, preferred: coded?.display)
            ?? concept?.conceptText() ?? "Condition"
        var sourceNotes = try body.notes()
        // What a cancer's record says beside its code (mCODE): its histology, where it is, which side.
        if let histology = try body.objects("extension").first(where: { try $0.text("url") == FHIRVocabulary.mcodeHistologyExtension }) {
            sourceNotes = FHIRObject.notes(sourceNotes, adding: try ClinicalCodes.readableText(histology.object("valueCodeableConcept")).map { "Histology: \($0)" })
        }
        if let site = try body.objects("bodySite").first, let place = try ClinicalCodes.readableText(site) {
            let side = try site.objects("extension").first { try $0.text("url") == FHIRVocabulary.mcodeLateralityExtension }
                .flatMap { try ClinicalCodes.readableText($0.object("valueCodeableConcept")) }
            sourceNotes = FHIRObject.notes(sourceNotes, adding: "Body site: \(place)" + (side.map { ", \($0.lowercased())" } ?? ""))
        }
        sourceNotes = FHIRObject.notes(sourceNotes, adding: try Self.evidence(body).map { "Evidence: \($0)" })
        if try body.date("onsetDateTime") == nil, body.fields["onsetPeriod"] == nil, let onset = try body.timeInWords("onset") {
            sourceNotes = FHIRObject.notes(sourceNotes, adding: "Onset: \(onset)")
        }
        if let resolved = try body.text("abatementDateTime") ?? body.timeInWords("abatement") {
            sourceNotes = FHIRObject.notes(sourceNotes, adding: "Resolved: \(resolved)")
        }
        if coded == nil, let other = codings.first(where: { $0.code != nil }), let code = other.code {
            sourceNotes = FHIRObject.notes(sourceNotes, adding: "Coded as \(code)" + (other.system.map { " (\($0))" } ?? ""))
        }
        return Prepared(
            subject: try body.reference("subject"),
            asserters: [try body.reference("asserter"), try body.reference("recorder")].compactMap { $0 },
            description: description, code: coded.map { ($0.code, $0.system) },
            diagnosedOn: try body.date("onsetDateTime") ?? body.object("onsetPeriod")?.date("start") ?? body.date("recordedDate"),
            status: status,
            stage: try body.objects("stage").lazy.compactMap { try ClinicalCodes.readableText($0.object("summary")) }.first,
            sourceNotes: sourceNotes, kind: try Self.kind(body, names: [description] + codings.compactMap(\.display)),
            assessments: try body.objects("stage").flatMap { try $0.references("assessment") })
    }

    /// What `evidence` names, each once, joined by "; ": its codes as people read them, and its
    /// details by their display, else as the reference is written (`DiagnosticReport/dr1`).
    static func evidence(_ body: FHIRObject) throws -> String? {
        var items: [String] = []
        for evidence in try body.objects("evidence") {
            for code in try evidence.objects("code") {
                if let text = try ClinicalCodes.readableText(code) { items.append(text) }
            }
            for detail in try evidence.references("detail") {
                items.append(detail.display ?? detail.text)
            }
        }
        var seen = Set<String>()
        let unique = items.filter { seen.insert($0).inserted }
        return unique.isEmpty ? nil : unique.joined(separator: "; ")
    }

    /// The kind of a condition: a social finding by its category or by the SNOMED CT semantic tag
    /// and words of its `names` (text and displays), else its category, else a problem.
    static func kind(_ body: FHIRObject, names: [String]) throws -> Diagnosis.Kind {
        let categories = try body.objects("category").flatMap { try $0.codings() }.compactMap(\.code)
        if categories.contains(where: { $0 == "social-history" || $0 == "sdoh" }) { return .socialFinding }
        if names.map({ $0.lowercased() }).contains(where: { display in
            display.hasSuffix("(finding)") && ClinicalCodes.socialFindingWords.contains { display.contains($0) }
        }) {
            return .socialFinding
        }
        if categories.contains("encounter-diagnosis") { return .encounterDiagnosis }
        if categories.contains("health-concern") { return .healthConcern }
        return .problem
    }

    /// The code of a status CodeableConcept (whatever its system).
    static func statusCode(_ concept: FHIRObject?) throws -> String? {
        try concept?.codings().lazy.compactMap(\.code).first
    }
}
