import Foundation
@testable import PHRStore
import XCTest

/// A bulk write into an empty table builds its listing indexes once at its end
/// (`ListingIndexesSetAside`): the store ends with the same indexes, holding every row, and stays
/// stamped; a table with rows keeps its indexes, and a failed write leaves them as they were.
final class ListingIndexesSetAsideTests: TemporaryStoreTestCase {
    private static let listing = ["results_by_code", "results_by_name", "results_by_patient"]

    /// The SQL of results' indexes, by name.
    private func indexes(_ store: HealthStore) throws -> [String: String] {
        var sql: [String: String] = [:]
        try store.database.forEach("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'results' AND sql IS NOT NULL") { row in
            sql[try row.get(0, as: String.self)] = try row.get(1, as: String.self)
        }
        return sql
    }

    private func addResults(_ store: HealthStore, patientID: Int64, count: Int) throws {
        for n in 0 ..< count {
            _ = try store.addResult(ClinicalResult(patientID: patientID, name: n % 2 == 0 ? "Hemoglobin" : "CA 15-3",
                                                   code: n % 2 == 0 ? "718-7" : "6875-9", codeSystem: .loinc,
                                                   value: .quantity(Double(n), unit: "g/dL", comparator: nil),
                                                   observedAt: try DateOrTime(parsing: String(format: "2026-%02d-01", n % 12 + 1))))
        }
    }

    private func isStamped(_ store: HealthStore) throws -> Bool {
        let migrator = HealthStore.migrator
        let fingerprint = try XCTUnwrap(migrator.fingerprint)
        return try SchemaStamp(of: store.database, applied: migrator.appliedMigrations(in: store.database),
                               fingerprint: fingerprint).isRecorded(in: store.database)
    }

    func testAnEmptyTablesListingIndexesAreBuiltOnceAtTheEndOfTheWrite() throws {
        let store = try openStore()
        let patient = try store.write("patient") { try store.addPatient(Patient(name: "Ada Example")) }
        let before = try indexes(store)
        XCTAssertTrue(Set(Self.listing).isSubset(of: Set(before.keys)))
        try store.bulkWrite("import") { _ in
            XCTAssertEqual(Set(try self.indexes(store).keys), Set(before.keys).subtracting(Self.listing),
                           "only the listing indexes are set aside")
            try self.addResults(store, patientID: patient.id, count: 40)
        }
        XCTAssertEqual(try indexes(store), before, "the same indexes, made by the same SQL")
        XCTAssertEqual(try store.database.scalar("PRAGMA integrity_check"), "ok", "each index holds every row")
        XCTAssertTrue(try isStamped(store), "the store needs no check at the next open")
        // The listing the indexes serve finds every row through them.
        let sql = "SELECT count(*) FROM results INDEXED BY results_by_name WHERE patient_id = ? AND name = 'Hemoglobin' COLLATE NOCASE"
        XCTAssertEqual(try store.database.scalar(sql, [patient.id]), 20 as Int64?)
        XCTAssertEqual(try store.results(patientID: patient.id).count, 40)
    }

    func testATableWithRowsKeepsItsIndexesThroughTheWrite() throws {
        let store = try openStore()
        let patient = try store.write("patient") { try store.addPatient(Patient(name: "Ada Example")) }
        try store.write("one") { try self.addResults(store, patientID: patient.id, count: 1) }
        let before = try indexes(store)
        try store.bulkWrite("import") { _ in
            XCTAssertEqual(try self.indexes(store), before)
            try self.addResults(store, patientID: patient.id, count: 3)
        }
        XCTAssertEqual(try indexes(store), before)
    }

    func testAFailedWriteLeavesTheIndexesAsTheyWere() throws {
        let store = try openStore()
        let patient = try store.write("patient") { try store.addPatient(Patient(name: "Ada Example")) }
        let before = try indexes(store)
        XCTAssertThrowsError(try store.bulkWrite("import") { _ in
            try self.addResults(store, patientID: patient.id, count: 3)
            throw StoreError.nothingToUndo("test")
        })
        XCTAssertEqual(try indexes(store), before)
        XCTAssertEqual(try store.database.scalar("SELECT count(*) FROM results"), 0 as Int64?)
    }
}
