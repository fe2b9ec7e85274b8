import Foundation
import XCTest

/// `phr redo` takes back the last undo, and only that.
final class RedoCommandTests: PHRTestCase {
    func testRedoBringsBackWhatUndoTookBack() throws {
        try setUpPatientAndProviders()
        try succeed("diagnosis", "add", "Colon adenocarcinoma", "--code", "C18.7")
        let undo = try succeed("undo").stdout
        XCTAssertTrue(undo.contains("removed diagnosis 1"), undo)
        XCTAssertEqual(try succeed("diagnosis", "list", "--format", "json").jsonArray().count, 0)
        let redo = try succeed("redo").stdout
        XCTAssertTrue(redo.hasPrefix("Redid diagnosis add"), redo)
        XCTAssertEqual(try succeed("diagnosis", "list", "--format", "json").jsonArray().map { $0["code"] as? String }, ["C18.7"])
        // The redo is a change like any other: undo takes it back.
        try succeed("undo")
        XCTAssertEqual(try succeed("diagnosis", "list", "--format", "json").jsonArray().count, 0)
    }

    func testNothingToRedoUnlessTheLastChangeWasAnUndo() throws {
        try setUpPatientAndProviders()
        try assertRefused(["redo"], code: 65, mentions: ["nothing to redo"])
        try succeed("diagnosis", "add", "Colon adenocarcinoma")
        try succeed("undo")
        try succeed("diagnosis", "add", "Rectal adenocarcinoma")
        try assertRefused(["redo"], code: 65, mentions: ["nothing to redo"])
    }
}
