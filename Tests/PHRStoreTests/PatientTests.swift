import Foundation
import PHRStore
import XCTest

final class PatientTests: TemporaryStoreTestCase {
    func testAddedPatientReadsBackWithEveryField() throws {
        let store = try openStore()
        let added = try store.write("test") {
            try store.addPatient(Patient(name: "  Ada Example ", birthDate: try day("1961-03"), sex: .female,
                                         notes: "prefers mornings"))
        }
        XCTAssertGreaterThan(added.id, 0)
        XCTAssertEqual(added.name, "Ada Example", "surrounding spaces are trimmed")
        XCTAssertEqual(added.birthDate, try day("1961-03"))
        XCTAssertEqual(added.birthDate?.precision, .month)
        XCTAssertEqual(added.sex, .female)
        XCTAssertEqual(added.notes, "prefers mornings")
        XCTAssertEqual(added.uuid.count, 36)
        XCTAssertFalse(added.createdAt.isEmpty)
        XCTAssertEqual(try store.patient(id: added.id), added)
        XCTAssertEqual(try store.patient(uuid: added.uuid), added)
        XCTAssertNil(try store.patient(id: added.id + 1))
    }

    func testFirstPatientBecomesTheDefault() throws {
        let store = try openStore()
        XCTAssertNil(try store.defaultPatientID())
        let first = try store.write("test") { try store.addPatient(Patient(name: "First")) }
        XCTAssertEqual(try store.defaultPatientID(), first.id)
        let second = try store.write("test") { try store.addPatient(Patient(name: "Second")) }
        let defaultAfterSecond = try store.defaultPatientID()
        XCTAssertEqual(defaultAfterSecond, first.id, "a later patient does not take over")
        try store.write("test") { try store.setDefaultPatient(second.id) }
        XCTAssertEqual(try store.defaultPatientID(), second.id)
    }

    func testOnlyPatientIsTheDefault() throws {
        let store = try openStore()
        let only = try store.write("test") { try store.addPatient(Patient(name: "Only")) }
        XCTAssertEqual(try store.defaultPatientID(), only.id)
    }

    /// Three patients, so that "the only patient" can never be what answers.
    private func addThreePatients(_ store: HealthStore) throws -> [Patient] {
        try store.write("test") { try ["First", "Second", "Third"].map { try store.addPatient(Patient(name: $0)) } }
    }

    func testRemovingTheDefaultPatientMovesTheDefaultToAnother() throws {
        let store = try openStore()
        let patients = try addThreePatients(store)
        try store.write("test") { try store.setDefaultPatient(patients[1].id) }
        try store.write("test") { try store.removePatient(id: patients[1].id) }
        XCTAssertNil(try store.patient(id: patients[1].id))
        XCTAssertEqual(try store.defaultPatientID(), patients[0].id, "the earliest remaining patient")
        try store.write("test") { try store.removePatient(id: patients[0].id) }
        XCTAssertEqual(try store.defaultPatientID(), patients[2].id)
        try store.write("test") { try store.removePatient(id: patients[2].id) }
        XCTAssertNil(try store.defaultPatientID(), "no patients, no default")
        XCTAssertEqual(try store.patients(), [])
    }

    func testRemovingAnotherPatientKeepsTheDefault() throws {
        let store = try openStore()
        let patients = try addThreePatients(store)
        try store.write("test") { try store.setDefaultPatient(patients[2].id) }
        try store.write("test") { try store.removePatient(id: patients[0].id) }
        XCTAssertEqual(try store.defaultPatientID(), patients[2].id)
    }

    func testDefaultCannotBeAnUnknownPatient() throws {
        let store = try openStore()
        XCTAssertThrowsError(try store.write("test") { try store.setDefaultPatient(77) }) { error in
            guard case StoreError.notFound(entity: "patient", id: 77) = error else { return XCTFail("\(error)") }
        }
    }

    func testUpdateReplacesThePatientsFields() throws {
        let store = try openStore()
        var patient = try store.write("test") { try store.addPatient(Patient(name: "Ada", sex: .female)) }
        patient.name = "Ada Lovelace"
        patient.birthDate = try day("1815-12-10")
        patient.sex = nil
        patient.notes = "   "
        let updated = try store.write("test") { try store.updatePatient(patient) }
        XCTAssertEqual(updated.name, "Ada Lovelace")
        XCTAssertEqual(updated.birthDate, try day("1815-12-10"))
        XCTAssertNil(updated.sex)
        XCTAssertNil(updated.notes, "blank notes are stored as none")
        XCTAssertEqual(updated.uuid, patient.uuid)
        XCTAssertEqual(updated.createdAt, patient.createdAt)
        XCTAssertEqual(try store.patient(id: patient.id), updated)
    }

    func testPatientsAreListedByNameIgnoringCase() throws {
        let store = try openStore()
        try store.write("test") {
            for name in ["carol", "Bob", "alice", "Dave"] { try store.addPatient(Patient(name: name)) }
        }
        XCTAssertEqual(try store.patients().map(\.name), ["alice", "Bob", "carol", "Dave"])
    }

    func testBlankPatientNameIsRefused() throws {
        let store = try openStore()
        XCTAssertThrowsError(try store.write("test") { try store.addPatient(Patient(name: " \n\t ")) }) { error in
            guard case StoreError.invalidField(field: "name", _) = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try store.count("patients"), 0)
    }

    func testNameThatLooksLikeSQLRoundTripsByteForByte() throws {
        let store = try openStore()
        let names = ["Robert'); DROP TABLE patients;--", "O'Brien \"Bob\" ?1 :name @x $y", "Zoe\u{0301} 李 \u{1F469}\u{200D}\u{2695}\u{FE0F}"]
        let added = try store.write("test") { try names.map { try store.addPatient(Patient(name: $0)) } }
        for (name, patient) in zip(names, added) {
            let read = try XCTUnwrap(try store.patient(id: patient.id))
            XCTAssertEqual(Array(read.name.utf8), Array(name.utf8))
        }
        XCTAssertEqual(try store.count("patients"), names.count, "the table is still there")
    }

    func testPatientWithDiagnosesCannotBeRemoved() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        _ = try store.write("test") { try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "Asthma")) }
        XCTAssertThrowsError(try store.write("test") { try store.removePatient(id: patient.id) }) { error in
            guard case StoreError.inUse(entity: "patient", id: patient.id, _) = error else {
                return XCTFail("\(error)")
            }
        }
        XCTAssertNotNil(try store.patient(id: patient.id))
        XCTAssertEqual(try store.defaultPatientID(), patient.id)
    }

    func testUnknownPatientIsNotFound() throws {
        let store = try openStore()
        XCTAssertThrowsError(try store.write("test") { try store.removePatient(id: 41) }) { error in
            guard case StoreError.notFound(entity: "patient", id: 41) = error else { return XCTFail("\(error)") }
        }
        var ghost = Patient(name: "Nobody")
        ghost.id = 41
        XCTAssertThrowsError(try store.write("test") { try store.updatePatient(ghost) }) { error in
            guard case StoreError.notFound(entity: "patient", id: 41) = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try store.requirePatient(41))
    }

    func testFailedWriteLeavesNoTrace() throws {
        let store = try openStore()
        let changesBefore = try store.count("changes")
        XCTAssertThrowsError(try store.write("test") {
            try store.addPatient(Patient(name: "Kept?"))
            try store.addPatient(Patient(name: ""))
        })
        XCTAssertEqual(try store.count("patients"), 0)
        XCTAssertEqual(try store.count("changes"), changesBefore)
        XCTAssertNil(try store.defaultPatientID())
    }
}
