import PHRStore

/// ClinicalImpression → opinions: the problem (the diagnosis, required), the assessor (the
/// provider; "Unknown provider" when phr cannot find one), the encounter (the appointment), the
/// date (else effective date), `summary` (else `description`) as the conclusion, and phr's
/// extensions for recommendation, stage and agreement (`FHIRVocabulary`), notes.
///
/// An impression that names no diagnosis phr has, or has no date or conclusion, is skipped: an
/// opinion without them means nothing.
struct ClinicalImpressionMapper: ResourceMapper {
    func importResource(_ resource: IncomingResource, keys: SourceKeys, prior: IndexHit?,
                        session: ImportSession) throws {
        let body = resource.body
        if try Self.isEnteredInError(resource) {
            session.report.count(resource.type, .skipped("entered in error"))
            return
        }
        let references = ResourceReferences(resource, keys: keys, session: session)
        let diagnosis = try references.firstRow(body.references("problem"), field: "problem", accepting: [.diagnoses])
        let providerID = try references.row(body.reference("assessor"), field: "assessor", accepting: [.providers])?.id
        let appointmentID = try references.row(body.reference("encounter"), field: "encounter", accepting: [.appointments])?.id

        guard let diagnosis else {
            session.report.count(resource.type, .skipped("names no diagnosis phr has"))
            session.report.noteUnresolved(resource.place, references.unresolved)
            return
        }
        guard let givenOn = try body.date("date") ?? body.date("effectiveDateTime")
                ?? body.object("effectivePeriod")?.date("start") else {
            session.report.count(resource.type, .skipped("has no date"))
            return
        }
        guard let conclusion = try body.text("summary") ?? body.text("description") else {
            session.report.count(resource.type, .skipped("has no summary"))
            return
        }
        let recommendation = try body.extensionValue(FHIRVocabulary.recommendationExtension, "valueString")
        let stage = try body.extensionValue(FHIRVocabulary.opinionStageExtension, "valueString")
        let agreement = try body.extensionValue(FHIRVocabulary.agreementExtension, "valueCode")
            .flatMap(Opinion.Agreement.init(rawValue:))
        let notes = try body.notes()
        let assessor = try providerID ?? session.placeholderProvider()

        let store = session.store
        try session.upsert(
            resource, keys: keys, prior: prior, table: .opinions, references: references,
            load: { try store.opinion(id: $0) },
            create: { uuid in
                try store.addOpinion(Opinion(diagnosisID: diagnosis.id, providerID: assessor, appointmentID: appointmentID,
                                             givenOn: givenOn, conclusion: conclusion, recommendation: recommendation,
                                             stage: stage, agreement: agreement, notes: notes, uuid: uuid))
            },
            merge: { opinion, merge in
                merge.required(&opinion.diagnosisID, diagnosis.id)
                merge.required(&opinion.providerID, assessor)
                merge.required(&opinion.givenOn, givenOn)
                merge.required(&opinion.conclusion, conclusion)
                merge.optional(&opinion.appointmentID, appointmentID)
                merge.optional(&opinion.recommendation, recommendation)
                merge.optional(&opinion.stage, stage)
                merge.optional(&opinion.notes, notes)
                // The store marks the earliest opinion `first` itself; "not stated" must not undo that.
                if opinion.agreement != .first { merge.optional(&opinion.agreement, agreement) }
            },
            save: { try store.updateOpinion($0) })
    }
}
