import Foundation
import XCTest

final class HistoryCommandTests: PHRTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try setUpPatientAndProviders()
    }

    func testHistoryListsChangesNewestFirstWithTheirItems() throws {
        try succeed("provider", "edit", "Weber", "--phone", "123")
        try succeed("provider", "remove", "Berg")
        let changes = try succeed("history", "--format", "json").jsonArray()
        XCTAssertEqual(changes.map { $0["summary"] as? String },
                       ["provider remove", "provider edit", "provider add", "provider add", "provider add", "patient add"])
        XCTAssertEqual(changes.map { $0["change"] as? Int }, [6, 5, 4, 3, 2, 1])
        XCTAssertEqual(changes[0]["items"] as? [String], ["removed provider 2"])
        XCTAssertEqual(changes[1]["items"] as? [String], ["changed provider 1"])
        XCTAssertEqual(changes[5]["items"] as? [String], ["added patient 1", "set default_patient"],
                       "the first patient becomes the default, and the history says so")
        XCTAssertTrue(changes[0]["undone_by"] is NSNull && changes[0]["undoes"] is NSNull)
        XCTAssertTrue((changes[0]["changed_at"] as? String)?.hasSuffix("Z") ?? false)

        let csv = try succeed("history", "--format", "csv").csvRecords()
        XCTAssertEqual(csv.header, ["change", "changed_at", "summary", "items", "overview", "undoes", "undone_by"])
        XCTAssertEqual(csv.rows.first?["items"], "removed provider 2")

        let table = try succeed("history", "--limit", "2").lines
        XCTAssertTrue(table[0].hasPrefix("Change  When (UTC)"), table[0])
        XCTAssertEqual(table.count, 3, "--limit keeps the newest changes")
        XCTAssertTrue(table[1].contains("provider remove") && table[1].contains("removed provider 2"), table[1])
    }

    func testBigChangesAreSummedUpInTheTable() throws {
        let demoStore = folder.appendingPathComponent("demo.sqlite").path
        try succeed("demo", "--db", demoStore)
        let change = try XCTUnwrap(try succeed("history", "--db", demoStore, "--format", "json").jsonArray().first)
        let overview = try XCTUnwrap(change["overview"] as? String)
        XCTAssertTrue(overview.hasPrefix("added patient 1, providers 1-5, diagnosis 1, records 1-"), overview)
        XCTAssertTrue(overview.contains("linked records 1-"), overview)
        XCTAssertTrue((change["items"] as? [String])?.contains("added provider 3") ?? false, "items lists every row")
    }

    func testUndoOfABigChangeCountsWhatItTookBackInsteadOfListingEveryRow() throws {
        let demoStore = folder.appendingPathComponent("demo.sqlite").path
        try succeed("demo", "--db", demoStore)
        let undo = try succeed("undo", "--db", demoStore)
        XCTAssertTrue(undo.stdout.hasPrefix("Undid change 1 ("), undo.stdout)
        XCTAssertTrue(undo.stdout.contains("removed 5 providers"), undo.stdout)
        XCTAssertTrue(undo.stdout.contains("removed 1 patient"), undo.stdout)
        XCTAssertFalse(undo.stdout.contains("removed provider 3"), "no row by row list: \(undo.stdout)")
        XCTAssertEqual(undo.lines.count, 1, undo.stdout)
        XCTAssertEqual(try succeed("provider", "list", "--db", demoStore, "--format", "json").jsonArray().count, 0)
    }

    func testHistoryOfOneItemShowsEveryVersion() throws {
        try succeed("provider", "edit", "Weber", "--name", "Dr. Anna Weber-Lang")
        try succeed("provider", "remove", "1")
        let versions = try succeed("history", "provider", "1", "--format", "json").jsonArray()
        XCTAssertEqual(versions.map { $0["operation"] as? String }, ["delete", "update", "insert"])
        XCTAssertEqual(versions.map { $0["label"] as? String }, ["Dr. Anna Weber-Lang", "Dr. Anna Weber", "Dr. Anna Weber"],
                       "each version as it was before the change (or as added)")
        XCTAssertEqual(versions.map { $0["kind"] as? String }, ["provider", "provider", "provider"])
        let snapshot = try XCTUnwrap((versions[1]["snapshot"] as? String)?.data(using: .utf8))
        let before = try XCTUnwrap(try JSONSerialization.jsonObject(with: snapshot) as? [String: Any])
        XCTAssertEqual(before["name"] as? String, "Dr. Anna Weber")
        XCTAssertEqual(before["specialty"] as? String, "medical oncology")

        let providers = try succeed("history", "providers", "--format", "json").jsonArray()
        XCTAssertEqual(Set(providers.compactMap { $0["id"] as? Int }), [1, 2, 3], "a kind alone: all its items")
    }

    func testUndoSaysWhatWasUndoneAndIsInTheHistory() throws {
        try succeed("provider", "edit", "Weber", "--phone", "123")
        let undo = try succeed("undo")
        XCTAssertTrue(undo.stdout.hasPrefix("Undid change 5 (provider edit, "), undo.stdout)
        XCTAssertTrue(undo.stdout.contains("gave provider 1 (Dr. Anna Weber) its earlier values back"), undo.stdout)
        XCTAssertTrue(try succeed("provider", "show", "1", "--format", "json").jsonObject()["phone"] is NSNull)

        let changes = try succeed("history", "--format", "json").jsonArray()
        XCTAssertEqual(changes[0]["summary"] as? String, "undo: provider edit")
        XCTAssertEqual(changes[0]["undoes"] as? Int, 5)
        XCTAssertEqual(changes[1]["undone_by"] as? Int, 6)

        let second = try succeed("undo")
        XCTAssertTrue(second.stdout.contains("removed provider 3 (Dr. Paul Chen)"), "the next undo takes back the change before: \(second.stdout)")
    }

    func testRestoreBringsBackARemovedItemAfterLaterChanges() throws {
        try succeed("provider", "remove", "Chen")
        try succeed("patient", "add", "Giulia Rossi")
        XCTAssertEqual(try succeed("restore", "provider", "3").stdout, "Restored provider 3: Dr. Paul Chen\n")
        XCTAssertEqual(try succeed("provider", "show", "3", "--format", "json").jsonObject()["organization"] as? String,
                       "Lakeside Comprehensive Cancer Center")
        XCTAssertEqual(try succeed("history", "--format", "json").jsonArray().first?["summary"] as? String, "provider restore")
    }

    func testRestoreOfAnItemNeverRemovedIsRefused() throws {
        try assertRefused(["restore", "provider", "1"], code: 65, mentions: ["provider", "1", "not been removed"])
        try assertRefused(["restore", "provider", "42"], code: 65, mentions: ["never removed"])
    }

    func testHistoryArgumentsAreChecked() throws {
        try assertRefused(["history", "doctor", "1"], code: 64, mentions: ["doctor"])
        try assertRefused(["restore", "doctor", "1"], code: 64, mentions: ["doctor"])
        try assertRefused(["restore", "provider", "first"], code: 64, mentions: ["first"])
        try assertRefused(["restore", "provider", "0"], code: 64, mentions: ["positive"])
        try assertRefused(["history", "--limit", "0"], code: 64, mentions: ["--limit"])
        try assertRefused(["history", "opinion", "9"], code: 65, mentions: ["no opinion with id 9"])
    }

    func testUndoWithNothingLeftIsRefused() throws {
        for _ in 0..<4 { try succeed("undo") }
        try assertRefused(["undo"], code: 65, mentions: ["nothing to undo"])
    }

    func testUndoTakesBackAWholeCommand() throws {
        try succeed("diagnosis", "add", "Invasive ductal carcinoma")
        try succeed("record", "add", try writeFile("p.txt", "p"), "--diagnosis", "invasive")
        let changes = try succeed("history", "--format", "json").jsonArray()
        XCTAssertEqual(changes[0]["items"] as? [String], ["added record 1", "linked record 1 ↔ diagnosis 1"])
        let before = try storeDump()
        let undo = try succeed("undo")
        XCTAssertTrue(undo.stdout.contains("removed record 1") && undo.stdout.contains("unlinked record 1 ↔ diagnosis 1"), undo.stdout)
        XCTAssertEqual(try sqlite(storePath, "SELECT count(*) FROM records; SELECT count(*) FROM record_diagnoses;"), "0\n0\n")
        XCTAssertNotEqual(try storeDump(), before)
        let recordHistory = try succeed("history", "record", "1", "--format", "json").jsonArray()
        XCTAssertEqual(recordHistory.map { $0["kind"] as? String }.count, 4, "the record and its link, added then removed")
    }
}
