import Foundation
import PHRExchange
@testable import PHRStore
import XCTest

/// Import provenance is timed like everything else phr records: UTC, milliseconds.
final class ImportTimestampTests: ImportTestCase {
    func testImportedAtIsInPhrsOneTimestampFormat() throws {
        try importing(try writeJSON("bundle.json", FHIR.bundle(base: "https://portal.invalid/fhir", [
            FHIR.patient("p1"), FHIR.practitioner("d1"),
        ])))
        let times = try store.database.query("SELECT imported_at FROM import_sources") { try $0.get("imported_at", as: String.self) }
        XCTAssertFalse(times.isEmpty)
        let format = try NSRegularExpression(pattern: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#)
        for time in times {
            XCTAssertNotNil(format.firstMatch(in: time, range: NSRange(time.startIndex..., in: time)), time)
        }
        let created = try XCTUnwrap(try store.database.scalar("SELECT created_at FROM patients", as: String?.self))
        XCTAssertEqual(times.first?.count, created.count, "the same width as created_at")
    }
}
