@testable import PHRExchange
import PHRStore
import XCTest

/// What the store refuses during an import is reported at the resource it came from: a value it
/// does not accept as bad data (65), a file its disk has no room for as an I/O error (74).
final class ImportStoreRefusalTests: XCTestCase {
    private let place = ImportPlace(file: "docs.ndjson", position: .line(2), resource: "DocumentReference/d0")

    func testNoRoomForAnAttachmentIsAnIOErrorAtItsResource() {
        let error = ImportError(StoreError.noRoom(path: "scan 0", needed: 19_000_000, free: 11_000_000), at: place)
        XCTAssertEqual(error.exitCode, 74)
        XCTAssertTrue(error.description.hasPrefix("docs.ndjson:2 (DocumentReference/d0): not enough free space to store scan 0"),
                      error.description)
    }

    func testARefusedValueIsBadDataAtItsResource() {
        let error = ImportError(StoreError.invalidField(field: "title", reason: "must not be empty"), at: place)
        XCTAssertEqual(error.exitCode, 65)
        XCTAssertEqual(error.description, "docs.ndjson:2 (DocumentReference/d0): title: must not be empty")
    }
}
