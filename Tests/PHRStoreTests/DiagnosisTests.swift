import Foundation
import PHRStore
import XCTest

final class DiagnosisTests: TemporaryStoreTestCase {
    func testAddedDiagnosisReadsBackWithEveryField() throws {
        let store = try openStore()
        let (patient, provider) = try store.addPatientAndProvider()
        let added = try store.write("test") {
            try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "Invasive ductal carcinoma",
                                             code: "C50.911", codeSystem: .icd10cm, diagnosedOn: try day("2024-01"),
                                             providerID: provider.id, status: .suspected, stage: "pT2 N1a M0",
                                             notes: "left breast"))
        }
        XCTAssertEqual(added.patientID, patient.id)
        XCTAssertEqual(added.description, "Invasive ductal carcinoma")
        XCTAssertEqual(added.code, "C50.911")
        XCTAssertEqual(added.codeSystem, .icd10cm)
        XCTAssertEqual(added.diagnosedOn, try day("2024-01"))
        XCTAssertEqual(added.providerID, provider.id)
        XCTAssertEqual(added.status, .suspected)
        XCTAssertEqual(added.stage, "pT2 N1a M0")
        XCTAssertEqual(added.notes, "left breast")
        XCTAssertEqual(try store.diagnosis(id: added.id), added)
        XCTAssertEqual(try store.diagnosis(uuid: added.uuid), added)
    }

    func testUpdateReplacesTheDiagnosisFields() throws {
        let store = try openStore()
        let (patient, provider) = try store.addPatientAndProvider()
        var diagnosis = try store.write("test") {
            try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "Lump", status: .suspected))
        }
        diagnosis.status = .confirmed
        diagnosis.code = "8500/3"
        diagnosis.codeSystem = .icdO3
        diagnosis.providerID = provider.id
        diagnosis.diagnosedOn = try day("2024-01-15")
        let updated = try store.write("test") { try store.updateDiagnosis(diagnosis) }
        XCTAssertEqual(updated.status, .confirmed)
        XCTAssertEqual(updated.code, "8500/3")
        XCTAssertEqual(updated.codeSystem, .icdO3)
        XCTAssertEqual(updated.providerID, provider.id)
        XCTAssertEqual(updated.diagnosedOn, try day("2024-01-15"))
        XCTAssertEqual(try store.diagnosis(id: diagnosis.id), updated)
    }

    func testCodeWithoutItsSystemIsRefused() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        XCTAssertThrowsError(try store.write("test") {
            try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "Asthma", code: "J45"))
        }) { error in
            guard case StoreError.invalidField(field: "code", _) = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try store.count("diagnoses"), 0)
    }

    func testUnknownProviderIsNotFound() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        XCTAssertThrowsError(try store.write("test") {
            try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "Asthma", providerID: 999))
        }) { error in
            guard case StoreError.notFound(entity: "provider", id: 999) = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try store.count("diagnoses"), 0)
    }

    func testUnknownPatientIsNotFound() throws {
        let store = try openStore()
        XCTAssertThrowsError(try store.write("test") {
            try store.addDiagnosis(Diagnosis(patientID: 5, description: "Asthma"))
        }) { error in
            guard case StoreError.notFound(entity: "patient", id: 5) = error else { return XCTFail("\(error)") }
        }
    }

    func testBlankDescriptionIsRefused() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        XCTAssertThrowsError(try store.write("test") {
            try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "  "))
        }) { error in
            guard case StoreError.invalidField(field: "description", _) = error else { return XCTFail("\(error)") }
        }
    }

    func testPatientsDiagnosesAreOldestFirstWithUndatedLast() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        let other = try store.write("test") { try store.addPatient(Patient(name: "Someone else")) }
        try store.write("test") {
            try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "undated"))
            try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "2024-03", diagnosedOn: try day("2024-03")))
            try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "2019", diagnosedOn: try day("2019")))
            try store.addDiagnosis(Diagnosis(patientID: other.id, description: "not theirs", diagnosedOn: try day("2000")))
            try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "2024-01-20",
                                             diagnosedOn: try day("2024-01-20")))
        }
        XCTAssertEqual(try store.diagnoses(patientID: patient.id).map(\.description),
                       ["2019", "2024-01-20", "2024-03", "undated"])
    }

    func testDiagnosisWithoutOpinionsIsRemovedAndAppointmentsLoseTheLink() throws {
        let store = try openStore()
        let (patient, provider) = try store.addPatientAndProvider()
        let (diagnosis, appointment) = try store.write("test") {
            let diagnosis = try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "Asthma"))
            let appointment = try store.addAppointment(Appointment(
                patientID: patient.id, providerID: provider.id, startsAt: try moment("2026-01-05T10:00Z"),
                diagnosisID: diagnosis.id))
            return (diagnosis, appointment)
        }
        try store.write("test") { try store.removeDiagnosis(id: diagnosis.id) }
        XCTAssertNil(try store.diagnosis(id: diagnosis.id))
        XCTAssertNil(try store.requireAppointment(appointment.id).diagnosisID)
    }

    func testDiagnosisWithOpinionsCannotBeRemoved() throws {
        let store = try openStore()
        let (patient, provider) = try store.addPatientAndProvider()
        let diagnosis = try store.write("test") {
            let diagnosis = try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "Asthma"))
            try store.addOpinion(Opinion(diagnosisID: diagnosis.id, providerID: provider.id,
                                         givenOn: try day("2024-02-01"), conclusion: "Mild"))
            return diagnosis
        }
        XCTAssertThrowsError(try store.write("test") { try store.removeDiagnosis(id: diagnosis.id) }) { error in
            guard case StoreError.inUse(entity: "diagnosis", id: diagnosis.id, _) = error else {
                return XCTFail("\(error)")
            }
        }
        XCTAssertEqual(try store.diagnosis(id: diagnosis.id), diagnosis)
    }

    func testKindReadsBackAndSocialFindingsAreKeptApartFromMedicalDiagnoses() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        let (cancer, employment) = try store.write("test") {
            (try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "Invasive ductal carcinoma")),
             try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "Full-time employment (finding)",
                                              kind: .socialFinding)))
        }
        XCTAssertEqual(cancer.kind, .problem)
        XCTAssertEqual(try store.requireDiagnosis(employment.id).kind, .socialFinding)
        XCTAssertEqual(try store.medicalDiagnoses(patientID: patient.id).map(\.id), [cancer.id])
        XCTAssertEqual(try store.diagnoses(patientID: patient.id, kinds: [.socialFinding]).map(\.id), [employment.id])
        XCTAssertEqual(try store.diagnoses(patientID: patient.id).count, 2)
    }
}
