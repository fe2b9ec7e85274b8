import PHRStore

/// Everything a packet describes, read from the store for one `ExportScope`: the patient, the
/// medical diagnoses with their opinions in date order, appointments, records, the clinical facts
/// (results, medications, allergies, procedures, immunizations, family history), social findings apart, and every
/// provider any of them names (so that every reference in the FHIR bundle resolves).
///
/// Guarantees about the clinical facts (see `ExportScope` for the rules):
/// - nothing entered in error is exported;
/// - a result's parts are in exactly when their result is, and `resultParts` holds them;
/// - everything linked to a diagnosis names one of `diagnoses` (links to diagnoses left out are
///   dropped with the thing itself, never dangling).
public struct PacketContents: Sendable {
    public let scope: ExportScope
    public let patient: Patient
    /// Medical diagnoses in scope (every kind but social findings), oldest first.
    public let diagnoses: [Diagnosis]
    /// Social findings in scope ("Full-time employment"), kept apart from the problems.
    public let socialFindings: [Diagnosis]
    /// Top-level results in scope (parts are in `resultParts`), oldest first.
    public let results: [ClinicalResult]
    /// The parts of each result in `results` (a blood pressure's two values, a panel's members),
    /// by parent id, as added.
    public let resultParts: [Int64: [ClinicalResult]]
    /// Medications in scope, by start date (undated first).
    public let medications: [Medication]
    /// What a doctor must read first about allergies: the active ones, or the current "no known
    /// allergies" statement, or nothing recorded. Allergies are never limited by date or
    /// diagnosis: any doctor must know them.
    public let allergyStatus: AllergyStatus
    /// The allergies and intolerances exported: active, inactive and resolved ones, as added.
    public let allergies: [Allergy]
    /// The current "no known allergies" statements: the general one when there are no active
    /// allergies, else those of one kind no active allergy contradicts ("no known drug allergies").
    public let noneKnownStatements: [Allergy]
    /// Procedures in scope, by date (undated first).
    public let procedures: [Procedure]
    /// Immunizations in scope, by date (undated first).
    public let immunizations: [Immunization]
    /// Family history, whatever the scope (context, as allergies are), by its recorded date
    /// (undated first).
    public let familyHistory: [FamilyHistory]
    /// Opinions in scope per diagnosis id, in date order.
    public let opinionsByDiagnosis: [Int64: [Opinion]]
    /// Appointments in scope, in time order.
    public let appointments: [Appointment]
    /// Records in scope, oldest first (undated last).
    public let records: [Record]
    /// Every provider named by the above, and the recipient, by id; in a whole-record packet also
    /// the providers nothing refers to.
    public let providers: [Int64: Provider]
    public let recipient: Provider?
    /// Treatment decisions per diagnosis id, oldest first.
    public let decisionsByDiagnosis: [Int64: [Decision]]
    /// The patient's questions about what is in the packet (its diagnoses or appointments; in a
    /// whole-record packet also those about nothing in particular), with their answers, as asked.
    public let questions: [Question]
    /// Where each physical item among `records` (slides, blocks, a disc of images) is now.
    public let physicalLocations: [Int64: RecordDelivery.Location]
    /// Who prepared the packet and how to reach them (`owner.*` settings; the patient's by default).
    public let preparedBy: PreparedBy
    /// For each opinion, the one given just before it on the same diagnosis (in scope or not).
    let previousOpinionIDs: [Int64: Int64]

    /// Who prepared a packet: the owner set with `phr config set owner.*`, else the patient.
    public struct PreparedBy: Sendable, Hashable {
        public let name: String
        public let phone: String?
        public let email: String?
        /// True when these are the patient's own name and contact details.
        public let isPatient: Bool
    }

    /// Every opinion in scope, diagnosis by diagnosis, each in date order.
    public var opinions: [Opinion] {
        diagnoses.flatMap { opinionsByDiagnosis[$0.id] ?? [] }
    }

    /// Reads the contents of `scope` from `store`. Call inside `store.read` so that everything
    /// comes from one snapshot.
    public static func gather(from store: HealthStore, scope: ExportScope) throws -> PacketContents {
        let patient = try store.requirePatient(scope.patientID)
        var allDiagnoses = try store.diagnoses(patientID: patient.id)
        if !scope.diagnosisIDs.isEmpty {
            for id in scope.diagnosisIDs where !allDiagnoses.contains(where: { $0.id == id }) {
                throw StoreError.invalidField(field: "diagnosis", reason: "diagnosis \(id) is not one of this patient's")
            }
            allDiagnoses = allDiagnoses.filter { scope.diagnosisIDs.contains($0.id) }
        }
        let diagnoses = allDiagnoses.filter(\.kind.isMedical)
        let socialFindings = allDiagnoses.filter { !$0.kind.isMedical }
        let diagnosisIDs = Set(allDiagnoses.map(\.id))
        let limited = !scope.diagnosisIDs.isEmpty

        var opinionsByDiagnosis: [Int64: [Opinion]] = [:]
        var previousOpinionIDs: [Int64: Int64] = [:]
        for diagnosis in diagnoses {
            let all = try store.opinions(diagnosisID: diagnosis.id)
            for (earlier, later) in zip(all, all.dropFirst()) { previousOpinionIDs[later.id] = earlier.id }
            opinionsByDiagnosis[diagnosis.id] = all.filter { scope.includes($0.givenOn) }
        }
        let appointments = try store.appointments(patientID: patient.id).filter { appointment in
            (!limited || appointment.diagnosisID.map(diagnosisIDs.contains) == true) && scope.includes(appointment.startsAt?.date)
        }
        let records = try store.records(patientID: patient.id).filter { record in
            (!limited || record.diagnosisIDs.contains(where: diagnosisIDs.contains)) && scope.includes(record.recordedOn)
        }

        let recordIDs = Set(records.map(\.id))

        let everyResult = try store.results(patientID: patient.id).filter { $0.status != .enteredInError }
        let results = everyResult.filter { result in
            guard result.parentID == nil, scope.includes(result.observedAt?.date) else { return false }
            if let diagnosisID = result.diagnosisID { return diagnosisIDs.contains(diagnosisID) }
            // Unlinked: in a whole-record packet; under --diagnosis only as part of a report in the packet.
            return !limited || result.recordID.map(recordIDs.contains) == true
        }
        let resultIDs = Set(results.map(\.id))
        let resultParts = Dictionary(grouping: everyResult.filter { $0.parentID.map(resultIDs.contains) == true },
                                     by: { $0.parentID ?? 0 })
            .mapValues { $0.sorted { $0.id < $1.id } }

        let medications = try store.medications(patientID: patient.id).filter { medication in
            medication.status != .enteredInError && medication.diagnosisID.map(diagnosisIDs.contains) ?? true
                && scope.includes(from: medication.startedOn, until: medication.endedOn, ongoing: medication.status.isCurrent)
        }
        let procedures = try store.procedures(patientID: patient.id).filter { procedure in
            procedure.status != .enteredInError
                && (procedure.diagnosisID.map(diagnosisIDs.contains) ?? !limited)
                && scope.includes(from: procedure.performedOn?.date, until: procedure.performedUntil?.date, ongoing: false)
        }
        let immunizations = try store.immunizations(patientID: patient.id).filter { immunization in
            immunization.status != .enteredInError && scope.includes(immunization.givenOn?.date)
        }
        // Context, as allergies are: a relative's cancer matters whenever it was written down.
        let familyHistory = try store.familyHistory(patientID: patient.id).filter { $0.status != .enteredInError }
        let allergyStatus = try store.allergyStatus(patientID: patient.id)
        let allergies = try store.allergies(patientID: patient.id).filter { $0.entry == .allergy }
        var noneKnownStatements: [Allergy] = []
        switch allergyStatus {
        case .noneKnown:
            noneKnownStatements = try store.allergies(patientID: patient.id, activeOnly: true)
                .last { $0.entry == .noneKnown && $0.category == nil }.map { [$0] } ?? []
        case .allergies(let known):
            noneKnownStatements = known.filter { $0.entry == .noneKnown }
        case .notRecorded:
            break
        }

        var decisionsByDiagnosis: [Int64: [Decision]] = [:]
        for diagnosis in diagnoses {
            let decisions = try store.decisions(diagnosisID: diagnosis.id).filter { scope.includes($0.decidedOn) }
            if !decisions.isEmpty { decisionsByDiagnosis[diagnosis.id] = decisions.sorted { ($0.decidedOn, $0.id) < ($1.decidedOn, $1.id) } }
        }
        let appointmentIDs = Set(appointments.map(\.id))
        let questions = try store.questions(patientID: patient.id).filter { question in
            if let id = question.diagnosisID, diagnosisIDs.contains(id) { return true }
            if let id = question.appointmentID, appointmentIDs.contains(id) { return true }
            return !limited && question.diagnosisID == nil && question.appointmentID == nil
        }
        var physicalLocations: [Int64: RecordDelivery.Location] = [:]
        for record in records where RecordDelivery.isPhysical(record) {
            physicalLocations[record.id] = RecordDelivery.location(of: try store.transfers(recordID: record.id), origin: record.providerID)
        }
        let settings = try store.workflowSettings()
        let preparedBy = settings.ownerName == nil
            ? PreparedBy(name: patient.name, phone: settings.ownerPhone ?? patient.phone, email: settings.ownerEmail ?? patient.email,
                         isPatient: true)
            : PreparedBy(name: settings.ownerName ?? patient.name, phone: settings.ownerPhone, email: settings.ownerEmail,
                         isPatient: false)

        var providerIDs = Set<Int64>()
        questions.flatMap(\.answers).forEach { providerIDs.insert($0.providerID) }
        for location in physicalLocations.values {
            if let holder = location.holderID { providerIDs.insert(holder) }
            if let lender = location.lenderID { providerIDs.insert(lender) }
        }
        diagnoses.compactMap(\.providerID).forEach { providerIDs.insert($0) }
        opinionsByDiagnosis.values.joined().forEach { providerIDs.insert($0.providerID) }
        appointments.forEach { providerIDs.insert($0.providerID) }
        records.compactMap(\.providerID).forEach { providerIDs.insert($0) }
        (results + resultParts.values.joined()).compactMap(\.providerID).forEach { providerIDs.insert($0) }
        medications.compactMap(\.providerID).forEach { providerIDs.insert($0) }
        procedures.compactMap(\.providerID).forEach { providerIDs.insert($0) }
        if let recipientID = scope.recipientID { providerIDs.insert(recipientID) }
        var providers: [Int64: Provider] = [:]
        for id in providerIDs { providers[id] = try store.requireProvider(id) }
        // A whole-record packet also carries the providers nothing refers to yet (a doctor noted
        // before the first visit), so that importing it keeps them; a limited packet only what it needs.
        if !scope.isLimited {
            for provider in try store.providersLinkedToNothing() { providers[provider.id] = provider }
        }

        return PacketContents(scope: scope, patient: patient, diagnoses: diagnoses, socialFindings: socialFindings,
                              results: results, resultParts: resultParts, medications: medications,
                              allergyStatus: allergyStatus, allergies: allergies, noneKnownStatements: noneKnownStatements,
                              procedures: procedures, immunizations: immunizations, familyHistory: familyHistory,
                              opinionsByDiagnosis: opinionsByDiagnosis, appointments: appointments, records: records,
                              providers: providers, recipient: scope.recipientID.flatMap { providers[$0] },
                              decisionsByDiagnosis: decisionsByDiagnosis, questions: questions,
                              physicalLocations: physicalLocations, preparedBy: preparedBy,
                              previousOpinionIDs: previousOpinionIDs)
    }

    /// The opinion given just before `opinion` on the same diagnosis, when that one is in the
    /// packet too (a date limit may have left it out).
    public func previousOpinion(before opinion: Opinion) -> Opinion? {
        guard let previousID = previousOpinionIDs[opinion.id] else { return nil }
        return opinionsByDiagnosis[opinion.diagnosisID]?.first { $0.id == previousID }
    }

    /// A diagnosis of the packet (a medical one or a social finding) by id.
    public func diagnosis(id: Int64?) -> Diagnosis? {
        guard let id else { return nil }
        return diagnoses.first { $0.id == id } ?? socialFindings.first { $0.id == id }
    }

    /// The record (report) of the packet with this id.
    public func record(id: Int64?) -> Record? {
        guard let id else { return nil }
        return records.first { $0.id == id }
    }

    /// The scope in words for the cover: the diagnoses by name (or the whole record), the period,
    /// and whether files and notes are in ("Invasive ductal carcinoma, left breast; since 2026-10-01").
    public var scopeText: String {
        var parts: [String] = []
        if scope.diagnosisIDs.isEmpty {
            parts.append("the whole record")
        } else {
            parts.append(scope.diagnosisIDs.compactMap { diagnosis(id: $0)?.description }.joined(separator: "; "))
        }
        if let since = scope.since { parts.append("since \(since)") }
        if let until = scope.until { parts.append("until \(until)") }
        if !scope.includeFiles { parts.append("without the record files") }
        return parts.joined(separator: "; ")
    }

    /// Results of `categories` (top-level ones), oldest first.
    public func results(in categories: Set<ClinicalResult.Category>) -> [ClinicalResult] {
        results.filter { categories.contains($0.category) }
    }
}
