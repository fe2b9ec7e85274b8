import Foundation
@testable import PHRStore
import XCTest

/// `Field`: how the store cleans up the text it is given before keeping it.
final class FieldTests: XCTestCase {
    func testTrimmingRemovesWhatFoundationCallsWhiteSpaceAndNewlinesAndNothingElse() throws {
        let samples = ["", " ", "\n\t ", "CA 15-3", "  CA 15-3", "CA 15-3 \n", "\u{00A0}Núñez\u{2028}",
                       "\u{0085}x\u{0085}", "\u{3000}全角\u{3000}", "a  b", "\u{200B}zero width\u{200B}", "é\u{0301} ",
                       " \u{1F469}\u{200D}\u{1F52C} ", "\r\nwindows\r\n"]
        for sample in samples {
            XCTAssertEqual(Field.trimmed(sample), sample.trimmingCharacters(in: .whitespacesAndNewlines), sample.debugDescription)
        }
        XCTAssertNil(Field.optional(" \n "))
        XCTAssertEqual(Field.optional(" ER+ "), "ER+")
        XCTAssertThrowsError(try Field.required("\t", "name"))
        XCTAssertEqual(try Field.required(" Dr. Hartmann ", "name"), "Dr. Hartmann")
    }
}
