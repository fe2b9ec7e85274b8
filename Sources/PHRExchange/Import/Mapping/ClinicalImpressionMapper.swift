import PHRStore

/// ClinicalImpression → opinions: the problem (the diagnosis, required), the assessor (the
/// provider; "Unknown provider" when phr cannot find one), the encounter (the appointment), the
/// date (else effective date), `summary` (else `description`) as the conclusion, and phr's
/// extensions for recommendation, stage and agreement (`FHIRVocabulary`); the description beside a
/// summary and the impression's notes as source notes (the patient's notes are never written).
///
/// An impression that names no diagnosis phr has, or has no date or conclusion, is skipped: an
/// opinion without them means nothing.
struct ClinicalImpressionMapper: ResourceMapper {
    struct Prepared: PreparedResource {
        let problems: [FHIRReference]
        let assessor: FHIRReference?
        let encounter: FHIRReference?
        let givenOn: PartialDate
        let conclusion: String
        let recommendation: String?
        let stage: String?
        let agreement: Opinion.Agreement?
        let sourceNotes: String?

        func apply(_ resource: IncomingResource, keys: SourceKeys, prior: ImportSource?, session: ImportSession) throws {
            let references = ResourceReferences(resource, keys: keys, session: session)
            let diagnosis = try references.firstRow(problems, field: "problem", accepting: [.diagnoses])
            let providerID = try references.row(assessor, field: "assessor", accepting: [.providers])?.id
            let appointmentID = try references.row(encounter, field: "encounter", accepting: [.appointments])?.id
            guard let diagnosis else {
                session.report.notStored(resource.type, resource.place, reason: "names no diagnosis phr has")
                session.report.noteUnresolved(resource.place, references.unresolved)
                return
            }
            let chosenProvider = try providerID ?? session.placeholderProvider()
            let store = session.store
            try session.upsert(
                resource, keys: keys, prior: prior, table: .opinions, references: references,
                load: { try store.opinion(id: $0) },
                create: { uuid in
                    try store.addOpinion(Opinion(diagnosisID: diagnosis.id, providerID: chosenProvider,
                                                 appointmentID: appointmentID, givenOn: givenOn, conclusion: conclusion,
                                                 recommendation: recommendation, stage: stage, agreement: agreement,
                                                 sourceNotes: sourceNotes, uuid: uuid)).id
                },
                merge: { opinion, merge in
                    merge.required(&opinion.diagnosisID, diagnosis.id, "diagnosis")
                    merge.required(&opinion.providerID, chosenProvider)
                    merge.required(&opinion.givenOn, givenOn, "date")
                    merge.required(&opinion.conclusion, conclusion, "conclusion")
                    merge.optional(&opinion.appointmentID, appointmentID)
                    merge.optional(&opinion.recommendation, recommendation, "recommendation")
                    merge.optional(&opinion.stage, stage, "stage")
                    merge.optional(&opinion.sourceNotes, sourceNotes, "source notes")
                    // The store marks the earliest opinion `first` itself; "not stated" must not undo that.
                    if opinion.agreement != .first { merge.optional(&opinion.agreement, agreement) }
                },
                save: { try store.updateOpinion($0) })
        }
    }

    func prepare(_ resource: IncomingResource) throws -> any PreparedResource {
        let body = resource.body
        if try Self.isEnteredInError(resource) { return SkippedResource(reason: "entered in error") }
        guard let givenOn = try body.date("date") ?? body.date("effectiveDateTime")
                ?? body.object("effectivePeriod")?.date("start") else {
            return SkippedResource(reason: "has no date")
        }
        let description = try body.text("description")
        guard let conclusion = try body.text("summary") ?? description else {
            return SkippedResource(reason: "has no summary")
        }
        var sourceNotes = description == conclusion ? nil : description
        sourceNotes = FHIRObject.notes(sourceNotes, adding: try body.notes())
        return Prepared(
            problems: try body.references("problem"), assessor: try body.reference("assessor"),
            encounter: try body.reference("encounter"), givenOn: givenOn, conclusion: conclusion,
            recommendation: try body.extensionValue(FHIRVocabulary.recommendationExtension, "valueString"),
            stage: try body.extensionValue(FHIRVocabulary.opinionStageExtension, "valueString"),
            agreement: try body.extensionValue(FHIRVocabulary.agreementExtension, "valueCode").flatMap(Opinion.Agreement.init(rawValue:)),
            sourceNotes: sourceNotes)
    }
}
