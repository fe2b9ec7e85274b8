import Foundation
import XCTest

/// Issue 10, item 6 (import side): PHRExchange speaks to the store only through PHRStore's public
/// API: no SQL, no `HealthStore.database`.
final class ImportStoreBoundaryTests: XCTestCase {
    func testExchangeSourcesHoldNoSQLAndNeverReachForTheDatabase() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/PHRExchange")
        let files = try XCTUnwrap(FileManager.default.enumerator(atPath: sources.path)?.allObjects as? [String])
            .filter { $0.hasSuffix(".swift") }
        XCTAssertFalse(files.isEmpty)
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for forbidden in [".database", "SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", "PRAGMA "] {
                XCTAssertFalse(text.contains(forbidden), "\(file) uses \(forbidden)")
            }
        }
    }
}
