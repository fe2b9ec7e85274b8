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
