import Foundation
import PHRStore
import XCTest

final class ImmunizationTests: TemporaryStoreTestCase {
    func testEveryFieldOfAnImmunizationReadsBack() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        let added = try store.write("test") {
            try store.addImmunization(Immunization(patientID: patient.id, vaccine: "Influenza, seasonal", code: "141",
                                                   codeSystem: .cvx, givenOn: .date(try day("2025-10-02")),
                                                   status: .notDone, notes: "postponed"))
        }
        XCTAssertEqual(added.vaccine, "Influenza, seasonal")
        XCTAssertEqual(added.code, "141")
        XCTAssertEqual(added.codeSystem, .cvx)
        XCTAssertEqual(added.givenOn, .date(try day("2025-10-02")))
        XCTAssertEqual(added.status, .notDone)
        XCTAssertEqual(added.notes, "postponed")
        XCTAssertEqual(try store.immunization(uuid: added.uuid), added)
    }

    func testAnImmunizationWithoutAVaccineOrWithACodeButNoSystemIsRefused() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        XCTAssertThrowsError(try store.write("test") { try store.addImmunization(Immunization(patientID: patient.id, vaccine: "")) })
        XCTAssertThrowsError(try store.write("test") {
            try store.addImmunization(Immunization(patientID: patient.id, vaccine: "Tdap", code: "115"))
        })
        XCTAssertEqual(try store.count("immunizations"), 0)
    }

    func testUndoOfEditAndRemoveRestoresTheWholeImmunization() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        let added = try store.write("add") {
            try store.addImmunization(Immunization(patientID: patient.id, vaccine: "Tdap", givenOn: .date(try day("2024"))))
        }
        var edited = added
        edited.vaccine = "Td"
        _ = try store.write("edit") { try store.updateImmunization(edited) }
        _ = try store.write("undo") { try store.undoLastChange() }
        XCTAssertEqual(try store.requireImmunization(added.id), added)
        try store.write("remove") { try store.removeImmunization(id: added.id) }
        _ = try store.write("undo") { try store.undoLastChange() }
        XCTAssertEqual(try store.requireImmunization(added.id), added)
        XCTAssertEqual(try store.immunizations(patientID: patient.id, since: try day("2024")).map(\.id), [added.id])
    }
}
