import PHRStore

/// Everything a packet describes, read from the store for one `ExportScope`: the patient, the
/// diagnoses with their opinions in date order, appointments, records, and every provider any of
/// them names (so that every reference in the FHIR bundle resolves).
public struct PacketContents: Sendable {
    public let scope: ExportScope
    public let patient: Patient
    /// Diagnoses in scope, oldest first.
    public let diagnoses: [Diagnosis]
    /// Opinions in scope per diagnosis id, in date order.
    public let opinionsByDiagnosis: [Int64: [Opinion]]
    /// Appointments in scope, in time order.
    public let appointments: [Appointment]
    /// Records in scope, oldest first (undated last).
    public let records: [Record]
    /// Every provider named by the above, and the recipient, by id.
    public let providers: [Int64: Provider]
    public let recipient: Provider?
    /// For each opinion, the one given just before it on the same diagnosis (in scope or not).
    let previousOpinionIDs: [Int64: Int64]

    /// Every opinion in scope, diagnosis by diagnosis, each in date order.
    public var opinions: [Opinion] {
        diagnoses.flatMap { opinionsByDiagnosis[$0.id] ?? [] }
    }

    /// Reads the contents of `scope` from `store`. Call inside `store.read` so that everything
    /// comes from one snapshot.
    public static func gather(from store: HealthStore, scope: ExportScope) throws -> PacketContents {
        let patient = try store.requirePatient(scope.patientID)
        var diagnoses = try store.diagnoses(patientID: patient.id)
        if !scope.diagnosisIDs.isEmpty {
            for id in scope.diagnosisIDs where !diagnoses.contains(where: { $0.id == id }) {
                throw StoreError.invalidField(field: "diagnosis", reason: "diagnosis \(id) is not one of this patient's")
            }
            diagnoses = diagnoses.filter { scope.diagnosisIDs.contains($0.id) }
        }
        let diagnosisIDs = Set(diagnoses.map(\.id))
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

        var providerIDs = Set<Int64>()
        diagnoses.compactMap(\.providerID).forEach { providerIDs.insert($0) }
        opinionsByDiagnosis.values.joined().forEach { providerIDs.insert($0.providerID) }
        appointments.forEach { providerIDs.insert($0.providerID) }
        records.compactMap(\.providerID).forEach { providerIDs.insert($0) }
        if let recipientID = scope.recipientID { providerIDs.insert(recipientID) }
        var providers: [Int64: Provider] = [:]
        for id in providerIDs { providers[id] = try store.requireProvider(id) }

        return PacketContents(scope: scope, patient: patient, diagnoses: diagnoses,
                              opinionsByDiagnosis: opinionsByDiagnosis, appointments: appointments, records: records,
                              providers: providers, recipient: scope.recipientID.flatMap { providers[$0] },
                              previousOpinionIDs: previousOpinionIDs)
    }

    /// The opinion given just before `opinion` on the same diagnosis, when that one is in the
    /// packet too (a date limit may have left it out).
    public func previousOpinion(before opinion: Opinion) -> Opinion? {
        guard let previousID = previousOpinionIDs[opinion.id] else { return nil }
        return opinionsByDiagnosis[opinion.diagnosisID]?.first { $0.id == previousID }
    }

    public func diagnosis(id: Int64?) -> Diagnosis? {
        guard let id else { return nil }
        return diagnoses.first { $0.id == id }
    }
}
