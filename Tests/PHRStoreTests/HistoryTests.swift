import Foundation
@testable import PHRStore
import XCTest

/// Edits and removals never lose data: the history keeps old versions and undo brings them back.
final class HistoryTests: TemporaryStoreTestCase {
    func testEditKeepsThePreviousVersionInHistory() throws {
        let store = try openStore()
        let provider = try store.write("provider add") { try store.addProvider(Provider(name: "Dr. Old Name")) }
        try store.write("provider edit") { () throws -> Void in
            var changed = provider
            changed.name = "Dr. New Name"
            try store.updateProvider(changed)
        }
        let entries = try store.history(table: "providers", rowID: provider.id)
        XCTAssertEqual(entries.map(\.operation), [.update, .insert])
        XCTAssertEqual(entries.first?.changeSummary, "provider edit")
        XCTAssertTrue(entries.first?.snapshot.contains("Dr. Old Name") == true)
    }

    func testUndoOfAnEditRestoresTheOldValues() throws {
        let store = try openStore()
        let patient = try store.write("add") { try store.addPatient(Patient(name: "Ann", notes: "first")) }
        try store.write("edit") { () throws -> Void in
            var changed = patient
            changed.notes = "second"
            try store.updatePatient(changed)
        }
        let undone = try store.write("undo") { try store.undoLastChange() }
        XCTAssertEqual(undone.summary, "edit")
        XCTAssertEqual(try store.requirePatient(patient.id).notes, "first")
    }

    func testRemovedRecordComesBackWithItsDiagnosisLinksAndFile() throws {
        let store = try openStore()
        let source = path(of: "report.txt")
        try Data("report".utf8).write(to: URL(fileURLWithPath: source))
        let record = try store.write("add") { () throws -> Record in
            let patient = try store.addPatient(Patient(name: "Ann"))
            let diagnosis = try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "Carcinoma"))
            return try store.addRecord(Record(patientID: patient.id, title: "Report", diagnosisIDs: [diagnosis.id]),
                                       file: RecordFileSource(path: source))
        }
        try store.write("record remove") { try store.removeRecord(id: record.id) }
        XCTAssertNil(try store.record(id: record.id))
        try store.write("undo") { _ = try store.undoLastChange() }
        let back = try XCTUnwrap(store.record(id: record.id))
        XCTAssertEqual(back, record)
        var bytes: [UInt8] = []
        try store.readRecordFile(id: record.id) { bytes += $0 }
        XCTAssertEqual(bytes, Array("report".utf8))
    }

    func testRestoreBringsBackARemovedRowAfterLaterChanges() throws {
        let store = try openStore()
        let provider = try store.write("add") { try store.addProvider(Provider(name: "Dr. Gone", specialty: "pathology")) }
        try store.write("remove") { try store.removeProvider(id: provider.id) }
        try store.write("other") { _ = try store.addProvider(Provider(name: "Dr. Other")) }
        try store.write("restore") { try store.restoreRemoved(table: "providers", rowID: provider.id) }
        XCTAssertEqual(try store.provider(id: provider.id), provider)
        XCTAssertThrowsError(try store.write("restore again") { try store.restoreRemoved(table: "providers", rowID: provider.id) })
    }

    func testUndoOfAnAddRemovesItAndRepeatedUndoGoesFurtherBack() throws {
        let store = try openStore()
        try store.write("add one") { _ = try store.addProvider(Provider(name: "One")) }
        try store.write("add two") { _ = try store.addProvider(Provider(name: "Two")) }
        XCTAssertEqual(try store.write("undo") { try store.undoLastChange() }.summary, "add two")
        XCTAssertEqual(try store.write("undo") { try store.undoLastChange() }.summary, "add one")
        XCTAssertEqual(try store.providers().count, 0)
        XCTAssertThrowsError(try store.write("undo") { try store.undoLastChange() }) { error in
            guard case StoreError.nothingToUndo = error else { return XCTFail("unexpected \(error)") }
        }
        XCTAssertEqual(try store.changes().first?.summary, "undo: add one")
    }

    func testUndoThatWouldBreakLaterChangesIsRefusedAndChangesNothing() throws {
        let store = try openStore()
        let provider = try store.write("add provider") { try store.addProvider(Provider(name: "Dr. A")) }
        try store.write("add patient") { () throws -> Void in
            let patient = try store.addPatient(Patient(name: "Ann"))
            _ = try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "X", providerID: provider.id))
        }
        // Undo "add patient" first is fine; but undoing "add provider" while a diagnosis uses it is not.
        try store.database.run("INSERT INTO changes (summary, changed_at, undoes) VALUES ('marker', 'x', (SELECT id FROM changes WHERE summary = 'add patient'))")
        XCTAssertThrowsError(try store.write("undo") { try store.undoLastChange() })
        XCTAssertNotNil(try store.provider(id: provider.id))
    }
}

extension HistoryTests {
    func testUndoAfterChangingTheDefaultPatientTakesBackOnlyThat() throws {
        let store = try openStore()
        let first = try store.write("patient add") { try store.addPatient(Patient(name: "A")) }
        let second = try store.write("patient add") { try store.addPatient(Patient(name: "B")) }
        try store.write("patient use") { try store.setDefaultPatient(second.id) }
        XCTAssertEqual(try store.write("undo") { try store.undoLastChange() }.summary, "patient use")
        XCTAssertEqual(try store.defaultPatientID(), first.id)
        XCTAssertEqual(try store.patients().count, 2)
    }
}
