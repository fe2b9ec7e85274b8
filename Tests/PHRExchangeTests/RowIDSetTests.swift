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

    func testIdsBelowOneAndHugeIdsAreKeptToo() {
        // A store edited by hand may have them; they must neither be lost nor allocate a bit each
        // for every id below them.
        var set = RowIDSet()
        let odd: [Int64] = [0, -5, RowIDSet.denseLimit, Int64.max]
        for id in odd { set.insert(id) }
        for id in odd { XCTAssertTrue(set.contains(id), "\(id)") }
        for id: Int64 in [1, -4, RowIDSet.denseLimit - 1, RowIDSet.denseLimit + 1, Int64.max - 1] {
            XCTAssertFalse(set.contains(id), "\(id)")
        }
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
