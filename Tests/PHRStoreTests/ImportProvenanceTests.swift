import Foundation
@testable import PHRStore
import XCTest

/// `ImportProvenance` finds every key recorded, whether this import or an earlier one recorded it,
/// including when it skips looking up keys on a store whose first import this is.
final class ImportProvenanceTests: TemporaryStoreTestCase {
    func testAFirstImportFindsTheKeysItRecordedAndNoOthers() throws {
        let store = try openStore()
        let (patient, provider) = try store.addPatientAndProvider()
        try store.write("import") {
            let provenance = try store.importProvenance()
            XCTAssertNil(try provenance.source("file:///in/Patient/p1"))
            try provenance.recordResource("file:///in/Patient/p1", type: "Patient", table: .patients, rowID: patient.id,
                                          contentHash: String(repeating: "a", count: 64), unresolved: nil)
            try provenance.recordAlias("Patient/p1", type: "Patient", table: .patients, rowID: patient.id)
            XCTAssertEqual(try provenance.source("file:///in/Patient/p1")?.rowID, patient.id)
            XCTAssertEqual(try provenance.source("Patient/p1")?.isResource, false)
            XCTAssertNil(try provenance.source("Patient/p2"))
            // An alias a second resource claims keeps naming the first (found, so looked up).
            try provenance.recordAlias("Patient/p1", type: "Practitioner", table: .providers, rowID: provider.id)
            XCTAssertEqual(try provenance.source("Patient/p1")?.table, .patients)
        }
    }

    /// A resource's other names: a new name is taken, a name of a live row or some resource's own
    /// key is kept, a name whose row is gone is taken over.
    func testAnAliasIsTakenUnlessItNamesALiveRow() throws {
        let store = try openStore()
        let (patient, provider) = try store.addPatientAndProvider()
        let gone = try store.write("test") { try store.addPatient(Patient(name: "Gone Example")) }
        let hash = String(repeating: "b", count: 64)
        try store.write("first import") {
            let provenance = try store.importProvenance()
            try provenance.recordResource("file:///a/Practitioner/d1", type: "Practitioner", table: .providers,
                                          rowID: provider.id, contentHash: hash, unresolved: nil)
            try provenance.recordAlias("Practitioner/d1", type: "Practitioner", table: .providers, rowID: provider.id)
            try provenance.recordAlias("Patient/old", type: "Patient", table: .patients, rowID: gone.id)
        }
        try store.write("remove") { try store.database.run("DELETE FROM patients WHERE id = ?", [gone.id]) }
        try store.write("second import") {
            let provenance = try store.importProvenance()
            try provenance.recordResource("file:///b/Patient/p1", type: "Patient", table: .patients, rowID: patient.id,
                                          contentHash: hash, unresolved: "generalPractitioner: Practitioner/x")
            for alias in ["Patient/p1", "Practitioner/d1", "file:///a/Practitioner/d1", "Patient/old"] {
                try provenance.recordAlias(alias, type: "Patient", table: .patients, rowID: patient.id)
            }
            let own = try XCTUnwrap(try provenance.source("file:///b/Patient/p1"))
            XCTAssertEqual([own.isResource ? 1 : 0, Int(own.rowID)], [1, Int(patient.id)])
            XCTAssertEqual(own.unresolved, "generalPractitioner: Practitioner/x")
            XCTAssertEqual(try provenance.source("Patient/p1")?.rowID, patient.id, "a new name is taken")
            XCTAssertEqual(try provenance.source("Practitioner/d1")?.table, .providers, "a name of a live row is kept")
            let other = try XCTUnwrap(try provenance.source("file:///a/Practitioner/d1"))
            XCTAssertEqual([other.isResource ? 1 : 0, Int(other.rowID)], [1, Int(provider.id)], "another resource's key is kept")
            let takenOver = try XCTUnwrap(try provenance.source("Patient/old"))
            XCTAssertEqual([takenOver.isResource ? 1 : 0, Int(takenOver.rowID)], [0, Int(patient.id)], "a name whose row is gone is taken over")
            XCTAssertNil(takenOver.contentHash)
            XCTAssertNil(takenOver.unresolved)
        }
    }

    func testALaterImportFindsTheKeysOfAnEarlierOne() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        try store.write("first import") {
            try store.importProvenance().recordAlias("Patient/p1", type: "Patient", table: .patients, rowID: patient.id)
        }
        try store.write("second import") {
            let provenance = try store.importProvenance()
            XCTAssertEqual(try provenance.source("Patient/p1")?.rowID, patient.id)
            XCTAssertNil(try provenance.source("Patient/p2"))
        }
    }

    func testImportedTablesHashByCaseSoSetsOfThemFindEachCaseAndOnlyIt() {
        let all = ImportedTable.allCases
        XCTAssertEqual(Set(all).count, all.count)
        for table in all {
            let one: Set<ImportedTable> = [table]
            XCTAssertEqual(all.filter { one.contains($0) }, [table])
            XCTAssertEqual(table.hashValue, ImportedTable(rawValue: table.rawValue)?.hashValue)
        }
    }
}
