@testable import PHRStore
import XCTest

/// Stages are compared by what they say: group and TNM categories, however written.
final class StageStatementTests: XCTestCase {
    private func agree(_ one: String, _ other: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(StageStatement(one).agrees(with: StageStatement(other)), "\(one) / \(other)", file: file, line: line)
        XCTAssertTrue(StageStatement(other).agrees(with: StageStatement(one)), "\(other) / \(one)", file: file, line: line)
    }

    private func differ(_ one: String, _ other: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(StageStatement(one).agrees(with: StageStatement(other)), "\(one) / \(other)", file: file, line: line)
        XCTAssertFalse(StageStatement(other).agrees(with: StageStatement(one)), "\(other) / \(one)", file: file, line: line)
    }

    func testTheSameGroupWrittenDifferentlyAgrees() {
        agree("IIA", "Stage IIA")
        agree("IIA", "iia")
        agree("IIA", "II A")
        agree("Stage 2A", "IIA")
        agree("4", "stage IV")
        agree("IIIC1", "Clinical stage 3C1")
    }

    func testAGroupAgreesWithTheSameGroupGivenWithItsCategories() {
        agree("IIA", "IIA (cT2 cN0)")
        agree("IIA", "Stage IIA, cT2 cN0 cM0")
        agree("cT2 cN0", "IIA (cT2 cN0 M0)")
    }

    func testTheCategoriesPrefixAndAnUnassessedCategoryAreNoContradiction() {
        agree("cT2 cN0 cM0", "pT2 pN0")
        agree("cTX cN0", "cT2 cN0")
        agree("T2N0M0", "cT2 cN0 cM0")
        agree("pT1cN0M0", "T1c N0")
    }

    func testDifferentGroupsOrCategoriesDiffer() {
        differ("IIA", "IIB")
        differ("IIA", "III")
        differ("IIA (cT2 cN0)", "IIA (cT1 cN0)")
        differ("T2N0M0", "cT2 cN1")
        differ("pT1a", "pT1b")
        differ("cN1mi", "cN1")
    }

    func testOtherWordsAreComparedAsText() {
        agree("limited stage", "Limited Stage")
        differ("limited stage", "extensive stage")
        differ("FIGO IIIC", "IIIC")
        differ("IIA, ER positive", "IIA")
        agree("IIA, ER positive", "iia, er positive")
    }

    func testAStatementGivingTwoGroupsIsComparedAsText() {
        differ("IIA IIB", "IIA")
        agree("IIA or IIB", "IIA OR IIB")
    }
}
