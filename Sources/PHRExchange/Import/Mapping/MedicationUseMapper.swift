import PHRStore

/// MedicationRequest, MedicationStatement and MedicationAdministration (a dose given, such as
/// chemotherapy) → medications.
///
/// - **Name and code**: `medicationCodeableConcept`, else the Medication `medicationReference`
///   names: a contained one (`#id`), or one of the input (`MedicationDefinitions`); the code in
///   RxNorm, SNOMED CT or ATC, else another system's as `other`. A Medication not in the input
///   leaves the reference's display (else "Medication") as the name, and the reference unresolved.
/// - **Dose, route, frequency**: from the first dosage (`dosageInstruction`, `dosage`): its
///   `text` as the instructions (unless it only repeats dose, route and frequency), the dose
///   (phr's dose-text extension, else `DosageWords`: quantity or range), the route, and the
///   timing as people say it (`DosageWords`: `once every 4–6 hours as needed for pain`). Later
///   dosages (a taper's steps) follow the first in the instructions, each "then" or "and" it.
/// - **Dates**: `authoredOn` (a request), the effective period or date-time (a statement, an
///   administration: a single date-time is its start and end).
/// - **Status**: active; on-hold; stopped, cancelled → stopped; completed; draft, intended, or a
///   request of intent plan/proposal → planned; not-done, not-taken → stopped. Unknown statuses
///   are active for a request or statement, completed for an administration.
/// - The requester, information source or performer as prescriber, `reasonReference` as the
///   diagnosis, source notes.
///
/// One entered in error is skipped, or, when an earlier import made a medication of it, that
/// medication becomes entered in error (`SourceRetraction`).
struct MedicationUseMapper: ResourceMapper {
    enum Kind: Sendable {
        case request, statement, administration
    }

    let kind: Kind

    struct Prepared: PreparedResource {
        let subject: FHIRReference?
        let prescribers: [FHIRReference]
        let reasons: [FHIRReference]
        /// The Medication resource to read the name and code from, when not known yet.
        let medicationReference: FHIRReference?
        let definition: MedicationDefinition
        let dose: String?
        let route: String?
        let frequency: String?
        let instructions: String?
        let startedOn: PartialDate?
        let endedOn: PartialDate?
        let status: Medication.Status
        let sourceNotes: String?

        func apply(_ resource: IncomingResource, keys: SourceKeys, prior: ImportSource?, session: ImportSession) throws {
            let references = ResourceReferences(resource, keys: keys, session: session)
            let patientID = try references.patient(subject, field: "subject")
            var definition = definition
            if let medicationReference {
                if let found = session.medicationDefinitions.find(medicationReference, base: keys.base, resolver: session.resolver) {
                    definition = found
                } else if session.isFirstPass, medicationReference.reference?.hasPrefix("#") == false,
                          medicationReference.type ?? "Medication" == "Medication" {
                    throw ImportDeferral()
                } else {
                    references.noteUnresolved(medicationReference, field: "medicationReference")
                }
            }
            let name = definition.name ?? medicationReference?.display ?? "Medication"
            let providerID = try references.firstRow(prescribers, field: "prescriber", accepting: [.providers])?.id
            let diagnosisID = try references.firstRow(reasons, field: "reasonReference", accepting: [.diagnoses])?.id
            let store = session.store
            func fill(_ medication: inout Medication, _ merge: FieldMerge) {
                merge.required(&medication.patientID, patientID, "patient")
                merge.required(&medication.name, name, "name")
                merge.code(&medication.code, &medication.codeSystem, definition.code?.code, definition.code?.system)
                merge.optional(&medication.dose, dose, "dose")
                merge.optional(&medication.route, route, "route")
                merge.optional(&medication.frequency, frequency, "frequency")
                // Instructions that say what the row's dose, route and frequency say (packets of
                // earlier phr versions wrote them so) are not added to it.
                if merge.kind == .sameSource || instructions != medication.dosageText {
                    merge.optional(&medication.instructions, instructions, "instructions")
                }
                merge.optional(&medication.startedOn, startedOn, "start")
                merge.optional(&medication.endedOn, endedOn, "end")
                merge.required(&medication.status, status, "status")
                merge.optional(&medication.providerID, providerID)
                merge.optional(&medication.diagnosisID, diagnosisID)
                merge.optional(&medication.sourceNotes, sourceNotes, "source notes")
            }
            try session.upsert(
                resource, keys: keys, prior: prior, table: .medications, references: references,
                load: { try store.medication(id: $0) },
                create: { uuid in
                    var medication = Medication(patientID: patientID, name: name, uuid: uuid)
                    fill(&medication, FieldMerge(kind: .sameSource))
                    return try store.insertMedication(medication)
                },
                merge: { fill(&$0, $1) },
                save: { try store.updateMedication($0) })
        }
    }

    func prepare(_ resource: IncomingResource) throws -> any PreparedResource {
        let body = resource.body
        if try Self.isEnteredInError(resource) {
            return SourceRetraction(reason: "entered in error", table: .medications, status: \Medication.status,
                                    withdrawn: .enteredInError, load: { try $0.medication(id: $1) },
                                    save: { _ = try $0.updateMedication($1) })
        }
        var concept = try body.object("medicationCodeableConcept")
        var medicationReference = try body.reference("medicationReference")
        if let literal = medicationReference?.reference, literal.hasPrefix("#") {
            let id = String(literal.dropFirst())
            if let contained = try body.objects("contained").first(where: {
                try $0.text("resourceType") == "Medication" && $0.text("id") == id
            }) {
                concept = try contained.object("code")
                medicationReference = nil
            }
        }
        if let absence = try AbsenceStatement(concept?.codings() ?? []) {
            return SkippedResource(reason: absence.skipReason(notA: "a medication"))
        }
        let definition = try MedicationDefinition(concept: concept)
        let dosages: [FHIRObject]
        let prescribers: [FHIRReference]
        var startedOn: PartialDate?
        var endedOn: PartialDate?
        switch kind {
        case .request:
            dosages = try body.objects("dosageInstruction")
            prescribers = [try body.reference("requester")].compactMap { $0 }
            startedOn = try body.date("authoredOn")
        case .statement:
            dosages = try body.objects("dosage")
            prescribers = [try body.reference("informationSource")].compactMap { $0 }
        case .administration:
            dosages = try body.object("dosage").map { [$0] } ?? []
            prescribers = try body.objects("performer").compactMap { try $0.reference("actor") }
        }
        let dosage = dosages.first
        if kind != .request {
            if let period = try body.object("effectivePeriod") {
                startedOn = try period.date("start")
                endedOn = try period.date("end")
            } else if let date = try body.date("effectiveDateTime") {
                startedOn = date
                endedOn = kind == .administration ? date : nil
            }
        }
        let dose = try dosage?.extensionValue(FHIRVocabulary.doseTextExtension, "valueString") ?? DosageWords.dose(dosage)
        let route = try dosage?.object("route")?.conceptText()
        let frequency = try DosageWords.frequency(dosage)
        // A text that only says the dose, route and frequency in one line (as phr's packets write
        // it when there are no other instructions) is not instructions of its own.
        var instructions = try dosage?.text("text")
        let parts = [dose, route, frequency].compactMap { $0 }
        if !parts.isEmpty, instructions == parts.joined(separator: " ") { instructions = nil }
        // A taper's later steps (or dosages taken beside the first) follow the first in the
        // instructions: "4 mg twice a day for 3 days; then 2 mg twice a day for 3 days".
        let laterSteps = try DosageWords.laterSteps(dosages)
        if !laterSteps.isEmpty {
            let first = try instructions ?? dosage.flatMap(DosageWords.inWords)
            instructions = ([first].compactMap { $0 } + laterSteps).joined(separator: "; ")
        }
        return Prepared(
            subject: try body.reference("subject"), prescribers: prescribers,
            reasons: try body.references("reasonReference"), medicationReference: medicationReference,
            definition: definition, dose: dose, route: route, frequency: frequency, instructions: instructions,
            startedOn: startedOn, endedOn: endedOn, status: try status(body),
            sourceNotes: try body.notes())
    }

    private func status(_ body: FHIRObject) throws -> Medication.Status {
        let code = try body.text("status") ?? "unknown"
        switch code {
        case "active", "in-progress":
            // A plan not yet begun, unless the patient reports taking it (US Core's self-prescribed
            // medicines are active plans reported by the patient).
            let intent = try body.text("intent") ?? ""
            let planned = try intent == "proposal" || intent == "plan" && !Self.isReported(body)
            if kind == .request, planned { return .planned }
            return .active
        case "on-hold": return .onHold
        case "stopped", "cancelled", "not-done", "not-taken": return .stopped
        case "completed": return .completed
        case "draft", "intended", "preparation": return .planned
        default: return kind == .administration ? .completed : .active
        }
    }

    /// Whether a request was reported (by the patient, or someone for them) rather than ordered.
    private static func isReported(_ body: FHIRObject) throws -> Bool {
        if let flag = body.fields["reportedBoolean"] as? Bool { return flag }
        return try body.object("reportedReference") != nil
    }
}
