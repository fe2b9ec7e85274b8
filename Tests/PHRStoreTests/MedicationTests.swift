import Foundation
import PHRStore
import XCTest

final class MedicationTests: TemporaryStoreTestCase {
    func testEveryFieldOfAMedicationReadsBack() throws {
        let store = try openStore()
        let (patient, provider) = try store.addPatientAndProvider()
        let diagnosis = try store.write("test") { try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "Carcinoma")) }
        let added = try store.write("test") {
            try store.addMedication(Medication(patientID: patient.id, name: "Letrozole 2.5 mg tablet", code: "72965",
                                               codeSystem: .rxnorm, dose: "2.5 mg", route: "by mouth", frequency: "once daily",
                                               instructions: "with water", startedOn: try day("2026-11-01"),
                                               endedOn: try day("2031-11"), status: .onHold, providerID: provider.id,
                                               diagnosisID: diagnosis.id, notes: "paused for surgery"))
        }
        XCTAssertEqual(added.name, "Letrozole 2.5 mg tablet")
        XCTAssertEqual(added.code, "72965")
        XCTAssertEqual(added.codeSystem, .rxnorm)
        XCTAssertEqual(added.dose, "2.5 mg")
        XCTAssertEqual(added.route, "by mouth")
        XCTAssertEqual(added.frequency, "once daily")
        XCTAssertEqual(added.instructions, "with water")
        XCTAssertEqual(added.startedOn, try day("2026-11-01"))
        XCTAssertEqual(added.endedOn, try day("2031-11"))
        XCTAssertEqual(added.status, .onHold)
        XCTAssertEqual(added.providerID, provider.id)
        XCTAssertEqual(added.diagnosisID, diagnosis.id)
        XCTAssertEqual(added.notes, "paused for surgery")
        XCTAssertEqual(added.dosageText, "2.5 mg by mouth once daily")
        XCTAssertEqual(try store.medication(uuid: added.uuid), added)
    }

    func testCurrentMedicationsLeaveOutStoppedOnes() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        let (current, stopped) = try store.write("test") {
            (try store.addMedication(Medication(patientID: patient.id, name: "Letrozole")),
             try store.addMedication(Medication(patientID: patient.id, name: "Ibuprofen")))
        }
        let afterStop = try store.write("medication stop") { try store.stopMedication(id: stopped.id, on: try day("2026-11-30")) }
        XCTAssertEqual(afterStop.status, .stopped)
        XCTAssertEqual(afterStop.endedOn, try day("2026-11-30"))
        XCTAssertEqual(try store.medications(patientID: patient.id, MedicationFilter(currentOnly: true)).map(\.id), [current.id])
        XCTAssertEqual(try store.medications(patientID: patient.id).count, 2)
    }

    func testAnEndBeforeTheStartIsRefusedAndNothingIsWritten() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        XCTAssertThrowsError(try store.write("test") {
            try store.addMedication(Medication(patientID: patient.id, name: "Letrozole", startedOn: try day("2026-11-01"),
                                               endedOn: try day("2026-10-01")))
        }) { error in
            guard case StoreError.invalidField(field: "end", _) = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try store.count("medications"), 0)
    }

    func testAMedicationWithoutANameOrForAMissingDiagnosisIsRefused() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        XCTAssertThrowsError(try store.write("test") { try store.addMedication(Medication(patientID: patient.id, name: "  ")) })
        XCTAssertThrowsError(try store.write("test") {
            try store.addMedication(Medication(patientID: patient.id, name: "Letrozole", diagnosisID: 42))
        })
        XCTAssertEqual(try store.count("medications"), 0)
    }

    func testUndoOfAddEditAndRemoveRestoresTheWholeMedication() throws {
        let store = try openStore()
        let (patient, provider) = try store.addPatientAndProvider()
        let added = try store.write("add") {
            try store.addMedication(Medication(patientID: patient.id, name: "Letrozole", dose: "2.5 mg", frequency: "once daily",
                                               startedOn: try day("2026-11-01"), providerID: provider.id, notes: "n"))
        }
        _ = try store.write("stop") { try store.stopMedication(id: added.id, on: try day("2026-12-01")) }
        _ = try store.write("undo") { try store.undoLastChange() }
        XCTAssertEqual(try store.requireMedication(added.id), added)
        try store.write("remove") { try store.removeMedication(id: added.id) }
        _ = try store.write("undo") { try store.undoLastChange() }
        XCTAssertEqual(try store.requireMedication(added.id), added)
    }
}
