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
}
