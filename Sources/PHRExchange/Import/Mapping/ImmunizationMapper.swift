import PHRStore

/// Immunization → immunizations: the vaccine (code text, else the CVX or SNOMED CT display) with
/// its code (CVX, SNOMED CT, else another system's as `other`), the occurrence date or time at
/// its own precision, status (completed, not-done) and source notes, with what has no field of its own:
/// the dose of the series (`Dose 2 of 2`), why it was not given, a date given only in words, the
/// lot number.
///
/// One entered in error is skipped, or, when an earlier import made an immunization of it, that
/// immunization becomes entered in error (`SourceRetraction`).
struct ImmunizationMapper: ResourceMapper {
    struct Prepared: PreparedResource {
        let subject: FHIRReference?
        let vaccine: String
        let code: (code: String, system: Immunization.CodeSystem)?
        let givenOn: DateOrTime?
        let status: Immunization.Status
        let sourceNotes: String?

        func apply(_ resource: IncomingResource, keys: SourceKeys, prior: ImportSource?, session: ImportSession) throws {
            let references = ResourceReferences(resource, keys: keys, session: session)
            let patientID = try references.patient(subject, field: "patient")
            let store = session.store
            func fill(_ immunization: inout Immunization, _ merge: FieldMerge) {
                merge.required(&immunization.patientID, patientID, "patient")
                merge.required(&immunization.vaccine, vaccine, "vaccine")
                merge.code(&immunization.code, &immunization.codeSystem, code?.code, code?.system)
                merge.optional(&immunization.givenOn, givenOn, "date")
                merge.required(&immunization.status, status, "status")
                merge.optional(&immunization.sourceNotes, sourceNotes, "source notes")
            }
            try session.upsert(
                resource, keys: keys, prior: prior, table: .immunizations, references: references,
                load: { try store.immunization(id: $0) },
                create: { uuid in
                    var immunization = Immunization(patientID: patientID, vaccine: vaccine, uuid: uuid)
                    fill(&immunization, FieldMerge(kind: .sameSource))
                    return try store.insertImmunization(immunization)
                },
                merge: { fill(&$0, $1) },
                save: { try store.updateImmunization($0) })
        }
    }

    func prepare(_ resource: IncomingResource) throws -> any PreparedResource {
        let body = resource.body
        if try Self.isEnteredInError(resource) {
            return SourceRetraction(reason: "entered in error", table: .immunizations, status: \Immunization.status,
                                    withdrawn: .enteredInError, load: { try $0.immunization(id: $1) },
                                    save: { _ = try $0.updateImmunization($1) })
        }
        let concept = try body.object("vaccineCode")
        let coded = ClinicalCodes.code(try concept?.codings() ?? [], other: Immunization.CodeSystem.other,
                                       ClinicalCodes.immunizationSystem)
        return Prepared(
            subject: try body.reference("patient"),
            vaccine: try concept?.text("text") ?? coded?.display ?? concept?.conceptText() ?? "Vaccine",
            code: coded.map { ($0.code, $0.system) },
            givenOn: try body.dateOrTime("occurrenceDateTime"),
            status: try body.text("status").flatMap(Immunization.Status.init(rawValue:)) ?? .completed,
            sourceNotes: try Self.sourceNotes(body))
    }

    /// The `note`s, then the dose of the series, why it was not given, a date in words, the lot.
    private static func sourceNotes(_ body: FHIRObject) throws -> String? {
        var sourceNotes = try body.notes()
        if let applied = try body.objects("protocolApplied").first,
           let dose = try applied.int("doseNumberPositiveInt").map(String.init) ?? applied.text("doseNumberString") {
            let series = try applied.int("seriesDosesPositiveInt").map(String.init) ?? applied.text("seriesDosesString")
            sourceNotes = FHIRObject.notes(sourceNotes, adding: "Dose \(dose)" + (series.map { " of \($0)" } ?? ""))
        }
        if let why = try body.object("statusReason")?.conceptText() {
            sourceNotes = FHIRObject.notes(sourceNotes, adding: "Not given: \(why)")
        }
        if try body.dateOrTime("occurrenceDateTime") == nil, let when = try body.text("occurrenceString"),
           when != FHIRVocabulary.unknownOccurrence {
            sourceNotes = FHIRObject.notes(sourceNotes, adding: "Given: \(when)")
        }
        if let lot = try body.text("lotNumber") {
            sourceNotes = FHIRObject.notes(sourceNotes, adding: "Lot \(lot)")
        }
        return sourceNotes
    }
}
