import ArgumentParser
import Foundation
import PHRStore

/// `--patient NAME|ID`: whose records a command works on. Defaults to `PHR_PATIENT`, then the
/// store's default patient (the first one added), then the only patient.
struct PatientOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The patient, by id or name prefix (default: $PHR_PATIENT, else the default patient).", valueName: "name|id"))
    var patient: String?

    func resolve(in store: HealthStore) throws -> Patient {
        let chosen = patient ?? ProcessEnvironment.value("PHR_PATIENT").flatMap { $0.isEmpty ? nil : $0 }
        if let chosen { return try Lookup.patient(chosen, in: store) }
        if let id = try store.defaultPatientID() { return try store.requirePatient(id) }
        let all = try store.patients()
        if all.isEmpty {
            throw CommandFailure("no patient yet; add one first: phr patient add NAME", code: ExitStatus.dataError)
        }
        throw CommandFailure("several patients (\(Lookup.describe(all.map { ($0.id, $0.name) }))); choose one with --patient",
                             code: ExitStatus.usage)
    }
}

extension PatientOptions {
    /// " for NAME" when the store keeps several patients, so that whoever keeps a parent's record
    /// beside their own sees whose record an add went into; "" with one patient.
    static func whose(_ patientID: Int64, in store: HealthStore) throws -> String {
        let patients = try store.read { try store.patients() }
        guard patients.count > 1, let owner = patients.first(where: { $0.id == patientID }) else { return "" }
        return " for \(owner.name)"
    }
}
