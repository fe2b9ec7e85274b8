import Foundation
import PHRStore
import XCTest

final class ProcedureTests: TemporaryStoreTestCase {
    func testEveryFieldOfAProcedureReadsBack() throws {
        let store = try openStore()
        let (patient, provider) = try store.addPatientAndProvider()
        let diagnosis = try store.write("test") { try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "Carcinoma")) }
        let added = try store.write("test") {
            try store.addProcedure(Procedure(patientID: patient.id, name: "Whole-breast radiation", code: "33195004",
                                             codeSystem: .snomedCT, category: .radiationTherapy,
                                             performedOn: .date(try day("2027-01-10")),
                                             performedUntil: .date(try day("2027-02-14")), providerID: provider.id,
                                             bodySite: "left breast", diagnosisID: diagnosis.id, outcome: "tolerated well",
                                             status: .inProgress, notes: "25 fractions"))
        }
        XCTAssertEqual(added.name, "Whole-breast radiation")
        XCTAssertEqual(added.code, "33195004")
        XCTAssertEqual(added.codeSystem, .snomedCT)
        XCTAssertEqual(added.category, .radiationTherapy)
        XCTAssertEqual(added.performedOn, .date(try day("2027-01-10")))
        XCTAssertEqual(added.performedUntil, .date(try day("2027-02-14")))
        XCTAssertEqual(added.providerID, provider.id)
        XCTAssertEqual(added.bodySite, "left breast")
        XCTAssertEqual(added.diagnosisID, diagnosis.id)
        XCTAssertEqual(added.outcome, "tolerated well")
        XCTAssertEqual(added.status, .inProgress)
        XCTAssertEqual(added.notes, "25 fractions")
        XCTAssertEqual(try store.procedure(uuid: added.uuid), added)
    }

    func testAPeriodEndingBeforeItStartsOrWithoutAStartIsRefused() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        XCTAssertThrowsError(try store.write("test") {
            try store.addProcedure(Procedure(patientID: patient.id, name: "Radiation", performedOn: .date(try day("2027-02-01")),
                                             performedUntil: .date(try day("2027-01-01"))))
        })
        XCTAssertThrowsError(try store.write("test") {
            try store.addProcedure(Procedure(patientID: patient.id, name: "Radiation", performedUntil: .date(try day("2027-01-01"))))
        })
        XCTAssertEqual(try store.count("procedures"), 0)
    }

    func testProceduresAreFilteredByCategory() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        try store.write("add") {
            _ = try store.addProcedure(Procedure(patientID: patient.id, name: "Core needle biopsy", category: .biopsy))
            _ = try store.addProcedure(Procedure(patientID: patient.id, name: "Lumpectomy", category: .surgery))
        }
        XCTAssertEqual(try store.procedures(patientID: patient.id, ProcedureFilter(categories: [.surgery])).map(\.name), ["Lumpectomy"])
    }

    func testUndoOfEditAndRemoveRestoresTheWholeProcedure() throws {
        let store = try openStore()
        let (patient, provider) = try store.addPatientAndProvider()
        let added = try store.write("add") {
            try store.addProcedure(Procedure(patientID: patient.id, name: "Lumpectomy", category: .surgery,
                                             performedOn: .dateTime(try moment("2026-12-01T09:30:00+01:00")),
                                             providerID: provider.id, bodySite: "left breast"))
        }
        var edited = added
        edited.outcome = "clear margins"
        edited.performedOn = nil
        _ = try store.write("edit") { try store.updateProcedure(edited) }
        _ = try store.write("undo") { try store.undoLastChange() }
        XCTAssertEqual(try store.requireProcedure(added.id), added)
        try store.write("remove") { try store.removeProcedure(id: added.id) }
        _ = try store.write("undo") { try store.undoLastChange() }
        XCTAssertEqual(try store.requireProcedure(added.id), added)
    }
}
