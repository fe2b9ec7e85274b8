import Foundation
@testable import PHRExchange
import XCTest

/// An element's path is kept as steps and written out only for an error, the same as before.
final class FHIRPathTests: XCTestCase {
    func testAnErrorNamesTheElementsFullPath() throws {
        let place = ImportPlace(file: "t.json", position: .wholeFile)
        let condition = FHIRObject(["code": ["coding": [["system": "http://snomed.info/sct"], ["system": 5]]],
                                    "stage": ["summary": ["text": 7]]], place: place, path: "Condition")
        let codings = try XCTUnwrap(condition.object("code")).objects("coding")
        XCTAssertEqual(codings.map(\.path), ["Condition.code.coding[0]", "Condition.code.coding[1]"])
        XCTAssertThrowsError(try codings[1].text("system")) { error in
            XCTAssertTrue("\(error)".contains("Condition.code.coding[1].system must be"), "\(error)")
        }
        let stage = try XCTUnwrap(condition.objects("stage").first)
        XCTAssertEqual(stage.path, "Condition.stage", "a single object where an array is allowed")
        XCTAssertThrowsError(try XCTUnwrap(stage.object("summary")).text("text")) { error in
            XCTAssertTrue("\(error)".contains("Condition.stage.summary.text must be"), "\(error)")
        }
    }
}
