import Foundation
import XCTest

final class StoreCommandTests: PHRTestCase {
    func testInitCreatesTheStoreAndSaysWhereItIs() throws {
        let result = try succeed("init")
        XCTAssertEqual(result.stdout, "Store ready at \(storePath) (schema \(try currentSchema())).\n")
        XCTAssertTrue(FileManager.default.fileExists(atPath: storePath))
    }

    private func currentSchema() throws -> String {
        try sqlite(storePath, "SELECT identifier FROM schema_migrations ORDER BY identifier DESC LIMIT 1")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
