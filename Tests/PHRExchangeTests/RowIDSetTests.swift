@testable import PHRExchange
import XCTest

final class RowIDSetTests: XCTestCase {
    func testContainsExactlyTheIdsInserted() {
        var set = RowIDSet()
        let inserted: [Int64] = [1, 2, 63, 64, 65, 127, 128, 4_096, 1_000_003]
        for id in inserted { set.insert(id) }
        let found = (Int64(-2) ... 1_000_100).filter { set.contains($0) }
        XCTAssertEqual(found, inserted)
    }

    func testIdsBelowOneAreNeverContained() {
        var set = RowIDSet()
        set.insert(0)
        set.insert(-5)
        XCTAssertFalse(set.contains(0))
        XCTAssertFalse(set.contains(-5))
        XCTAssertFalse(set.contains(1))
    }

    func testAnIdInsertedTwiceIsStillContainedAndItsNeighboursAreNot() {
        var set = RowIDSet()
        set.insert(70)
        set.insert(70)
        XCTAssertTrue(set.contains(70))
        XCTAssertFalse(set.contains(69))
        XCTAssertFalse(set.contains(71))
    }
}
