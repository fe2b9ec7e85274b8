import PHRStore

/// AllergyIntolerance → allergies: the substance (code text, else the RxNorm, SNOMED CT or UNII
/// display — a SNOMED CT fully specified name gives way to another display, else loses its tag —,
/// else the first reaction's substance) with its code, type, category, criticality, the
/// reactions' manifestations (`hives; wheezing`; a single reaction's description when it lists
/// just those, as written) and the worst severity, status
/// (clinicalStatus: active, inactive, resolved), the recorded (else onset) date, source notes.
///
/// A "no known allergies" code (`AbsenceStatement`: SNOMED CT 716186003, or IPS 1.x's
/// `no-known-allergies`) becomes the store's "no known allergies" statement; one about one kind
/// (no known drug, food or environmental allergy) the statement of that kind (its category), never
/// the general one. "No known insect allergy" is skipped (the store has no such statement, and the
/// general one would claim more than it says), and so is "no information about allergies" (the
/// store's "not recorded" says the same).
/// Its status is the store's to keep: an active allergy of the patient makes it inactive, and
/// importing the statement again does not make it active again. One entered in error or refuted
/// is skipped; but when an earlier import made a row of that very resource, the source now takes
/// it back, and the row becomes inactive (`SourceRetraction`).
struct AllergyIntoleranceMapper: ResourceMapper {
    struct Prepared: PreparedResource {
        let subject: FHIRReference?
        let noneKnown: Bool
        /// For a "none known" statement of one kind: that kind.
        let noneKnownCategory: Allergy.Category?
        let substance: String?
        let code: (code: String, system: Allergy.CodeSystem)?
        let kind: Allergy.Kind?
        let category: Allergy.Category?
        let criticality: Allergy.Criticality?
        let reaction: String?
        let severity: Allergy.Severity?
        let status: Allergy.Status
        let recordedOn: PartialDate?
        let sourceNotes: String?

        func apply(_ resource: IncomingResource, keys: SourceKeys, prior: ImportSource?, session: ImportSession) throws {
            let references = ResourceReferences(resource, keys: keys, session: session)
            let patientID = try references.patient(subject, field: "patient")
            let store = session.store
            func fill(_ allergy: inout Allergy, _ merge: FieldMerge) {
                merge.required(&allergy.patientID, patientID, "patient")
                merge.required(&allergy.entry, noneKnown ? .noneKnown : .allergy, "entry")
                merge.optional(&allergy.recordedOn, recordedOn, "date")
                merge.optional(&allergy.sourceNotes, sourceNotes, "source notes")
                guard !noneKnown else {
                    // The same source now says there are none: what the row named before goes.
                    if allergy.entry == .noneKnown {
                        allergy.substance = nil
                        allergy.substanceCode = nil
                        allergy.substanceCodeSystem = nil
                        allergy.kind = nil
                        allergy.criticality = nil
                        allergy.reaction = nil
                        allergy.severity = nil
                        merge.required(&allergy.category, noneKnownCategory, "category")
                    }
                    return
                }
                merge.required(&allergy.substance, substance, "substance")
                merge.code(&allergy.substanceCode, &allergy.substanceCodeSystem, code?.code, code?.system)
                merge.optional(&allergy.kind, kind, "type")
                merge.optional(&allergy.category, category, "category")
                merge.optional(&allergy.criticality, criticality, "criticality")
                merge.optional(&allergy.reaction, reaction, "reaction")
                merge.optional(&allergy.severity, severity, "severity")
                merge.required(&allergy.status, status, "status")
            }
            try session.upsert(
                resource, keys: keys, prior: prior, table: .allergies, references: references,
                load: { try store.allergy(id: $0) },
                create: { uuid in
                    var allergy = noneKnown
                        ? Allergy.noneKnown(patientID: patientID, category: noneKnownCategory, recordedOn: recordedOn, uuid: uuid)
                        : Allergy(patientID: patientID, substance: substance, uuid: uuid)
                    fill(&allergy, FieldMerge(kind: .sameSource))
                    if noneKnown { allergy.status = status }
                    return try store.addAllergy(allergy).id
                },
                merge: { fill(&$0, $1) },
                save: { try store.updateAllergy($0) })
        }
    }

    /// An allergy the source takes back becomes inactive.
    static func retraction(reason: String) -> SourceRetraction {
        SourceRetraction(reason: reason, table: .allergies, status: \Allergy.status, withdrawn: .inactive,
                         load: { try $0.allergy(id: $1) }, save: { _ = try $0.updateAllergy($1) })
    }

    func prepare(_ resource: IncomingResource) throws -> any PreparedResource {
        let body = resource.body
        let verification = try ConditionMapper.statusCode(body.object("verificationStatus"))
        if verification == "entered-in-error" { return Self.retraction(reason: "entered in error") }
        if verification == "refuted" { return Self.retraction(reason: "refuted: the patient is not allergic to it") }
        let concept = try body.object("code")
        let codings = try concept?.codings() ?? []
        let reactions = try body.objects("reaction")
        let absence = AbsenceStatement(codings)
        if let absence, absence.kind == .noInformation { return SkippedResource(reason: absence.skipReason(notA: "an allergy")) }
        var noneKnownCategory: Allergy.Category?
        if let absence, case .noneKnownOfOneKind(let category) = absence.kind {
            guard let category else {
                return SkippedResource(reason: "says “\(absence.text)”, which the store has no statement for (its “no known "
                                       + "allergies” would claim more); record what is known with phr allergy add")
            }
            noneKnownCategory = category
        }
        let noneKnown = absence?.kind == .noneKnown || noneKnownCategory != nil
        let coded = ClinicalCodes.code(codings, other: Allergy.CodeSystem.other, ClinicalCodes.allergySystem)
        var substance = try concept?.text("text") ?? ClinicalCodes.readableName(codings, preferred: coded?.display)
            ?? concept?.conceptText()
        // IPS 1.x codes come without a display: the statement in words, not its code.
        if let absence, noneKnown, substance == nil || codings.contains(where: { $0.code == substance }) {
            substance = absence.text
        }
        if substance == nil { substance = try reactions.lazy.compactMap { try $0.object("substance")?.conceptText() }.first }
        let manifestations = try reactions.flatMap { try $0.objects("manifestation").compactMap { try ClinicalCodes.readableText($0) } }
        var reaction = manifestations.isEmpty ? nil : manifestations.joined(separator: "; ")
        // A description that lists just these manifestations (as phr's packets write it) is the
        // reaction as written: "hives;wheezing" stays so.
        if reactions.count == 1, let description = try reactions[0].text("description"),
           FHIRVocabulary.manifestations(in: description) == manifestations {
            reaction = description
        }
        let severities = try reactions.compactMap { try $0.text("severity").flatMap(Allergy.Severity.init(rawValue:)) }
        var sourceNotes = try body.notes()
        if noneKnown, let text = substance, let absence, text != absence.text,
           text.lowercased() != "no known allergy", text.lowercased() != "no known allergies",
           text.lowercased() != Allergy.noneKnownText(noneKnownCategory).lowercased() {
            sourceNotes = sourceNotes.map { "\(text)\n\n\($0)" } ?? text
        }
        // When it began, in words or as an age (its date is the recorded date's stand-in), and the
        // last reaction: what the source says that has no field of its own.
        if try body.date("onsetDateTime") == nil, let onset = try body.timeInWords("onset") {
            sourceNotes = FHIRObject.notes(sourceNotes, adding: "Onset: \(onset)")
        }
        if let last = try body.text("lastOccurrence") {
            sourceNotes = FHIRObject.notes(sourceNotes, adding: "Last reaction: \(last)")
        }
        let clinical = try ConditionMapper.statusCode(body.object("clinicalStatus"))
        return Prepared(
            subject: try body.reference("patient"), noneKnown: noneKnown, noneKnownCategory: noneKnownCategory,
            substance: substance ?? "Unnamed substance",
            code: coded.map { ($0.code, $0.system) },
            kind: try body.text("type").flatMap(Allergy.Kind.init(rawValue:)),
            category: try body.strings("category").lazy.compactMap(Allergy.Category.init(rawValue:)).first,
            criticality: try body.text("criticality").flatMap(Allergy.Criticality.init(rawValue:)),
            reaction: reaction,
            severity: manifestations.isEmpty ? nil : severities.max { Self.rank($0) < Self.rank($1) },
            status: clinical.flatMap(Allergy.Status.init(rawValue:)) ?? .active,
            recordedOn: try body.date("recordedDate") ?? body.date("onsetDateTime"),
            sourceNotes: sourceNotes)
    }

    private static func rank(_ severity: Allergy.Severity) -> Int {
        switch severity {
        case .mild: 0
        case .moderate: 1
        case .severe: 2
        }
    }
}
