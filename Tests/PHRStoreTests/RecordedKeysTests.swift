@testable import PHRStore
import XCTest

final class RecordedKeysTests: XCTestCase {
    func testEveryKeyInsertedMayBeContainedAcrossLayers() {
        var keys = RecordedKeys()
        // Past the first layer's capacity, so that the keys spread over three layers.
        let count = RecordedKeys.firstCapacity * 4
        for index in 0 ..< count { keys.insert("Observation/obs-\(index)") }
        let missed = (0 ..< count).filter { !keys.mayContain("Observation/obs-\($0)") }
        XCTAssertEqual(missed, [])
    }

    func testOtherKeysAreRarelyThoughtContained() {
        var keys = RecordedKeys()
        let count = RecordedKeys.firstCapacity * 4
        for index in 0 ..< count { keys.insert("Observation/obs-\(index)") }
        // A key never inserted is thought contained about once in 200 per full layer: here two full
        // layers and one a quarter full, about 1 % in all. The limit, 3 %, is some 60 standard
        // deviations away; a filter of one probe per key (6 % per layer) fails it.
        let others = 100_000
        let wrong = (0 ..< others).filter { keys.mayContain("Condition/other-\($0)") }.count
        XCTAssertLessThan(wrong, others * 3 / 100, "\(wrong) of \(others) keys never inserted were thought contained")
    }

    func testAnEmptyFilterContainsNothing() {
        let keys = RecordedKeys()
        XCTAssertFalse(keys.mayContain("Patient/1"))
        XCTAssertFalse(keys.mayContain(""))
    }
}
