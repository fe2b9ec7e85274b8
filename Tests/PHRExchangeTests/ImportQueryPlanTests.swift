import Foundation
@testable import PHRStore
import XCTest

/// An import never reads a table through one of its listing indexes (`SchemaTable.listingIndexes`):
/// a first import builds them only at its end (`ListingIndexesSetAside`), so a statement planned
/// on one would scan the table for every row instead.
final class ImportQueryPlanTests: ImportTestCase {
    func testNoStatementOfAnImportReadsThroughAListingIndex() throws {
        func bloodPressure(systolic: Int) -> [String: Any] {
            FHIR.observation("bp", code: "85354-9", display: "Blood pressure panel", category: "vital-signs", extra: [
                "component": [
                    ["code": FHIR.concept(FHIR.loinc, "8480-6", "Systolic blood pressure"), "valueQuantity": FHIR.quantity(systolic, "mm[Hg]")],
                    ["code": FHIR.concept(FHIR.loinc, "8462-4", "Diastolic blood pressure"), "valueQuantity": FHIR.quantity(82, "mm[Hg]")],
                ],
            ])
        }
        func resources(systolic: Int, hemoglobin: Double) -> [[String: Any]] {
            [
                FHIR.patient("p1"),
                FHIR.observation("wbc", code: "6690-2", display: "Leukocytes", extra: ["valueQuantity": FHIR.quantity(6.1, "10*3/uL")]),
                FHIR.observation("cbc", code: "58410-2", display: "CBC panel", extra: [
                    "hasMember": [FHIR.ref("Observation/wbc"), FHIR.ref("Observation/hgb")],
                ]),
                FHIR.observation("hgb", code: "718-7", display: "Hemoglobin", extra: ["valueQuantity": FHIR.quantity(hemoglobin, "g/dL")]),
                ["resourceType": "DiagnosticReport", "id": "r1", "status": "final", "subject": FHIR.ref("Patient/p1"),
                 "code": ["text": "Blood count"], "effectiveDateTime": "2026-11-20",
                 "result": [FHIR.ref("Observation/cbc"), FHIR.ref("Observation/wbc"), FHIR.ref("Observation/hgb")]],
                bloodPressure(systolic: systolic),
            ]
        }
        // A first import into an empty store, then the same resources changed (parts updated in place).
        try importing(try writeNDJSON("first.ndjson", resources(systolic: 128, hemoglobin: 13.5)))
        let again = try importing(try writeNDJSON("again.ndjson", resources(systolic: 131, hemoglobin: 12.9)))
        XCTAssertEqual(again.byType["Observation"]?.updated, 2, "the blood pressure and the hemoglobin")

        let tables = SchemaCatalog.tables.filter { !$0.listingIndexes.isEmpty }
        let listing = tables.flatMap(\.listingIndexes)
        XCTAssertFalse(listing.isEmpty)
        let database = try store.database
        // The statements that name one of those tables. (A statement on another table may carry a
        // foreign key's scan of one in its plan, run only while a deferred violation is pending.)
        let statements = database.cachedStatementSQL.filter { sql in
            tables.contains { sql.range(of: "\\b\($0.name)\\b", options: .regularExpression) != nil }
        }
        XCTAssertTrue(statements.contains { $0.hasPrefix("INSERT INTO results") }, "the import's statements are kept")
        for sql in statements {
            // Planned as it runs: every parameter bound (to null, as the plan does not depend on it).
            let explain = "EXPLAIN QUERY PLAN \(sql)"
            let parameters = try database.prepare(explain, cached: false).parameterCount
            let plan = try database.query(explain, Array(repeating: SQLiteValue.null, count: parameters)) {
                try $0.get(3, as: String.self)
            }
            for index in listing {
                XCTAssertFalse(plan.contains { $0.contains(index) }, "\(sql)\n\(plan.joined(separator: "\n"))")
            }
        }
    }
}
