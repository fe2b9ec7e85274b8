import Foundation
import XCTest

/// `phr question` and `phr decision`.
final class QuestionCommandTests: WorkflowCommandTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try setUpCase()
        try addSecondOpinionAppointment(daysAhead: 3)
    }

    func testQuestionsAreAddedAnsweredAndListed() throws {
        XCTAssertEqual(try succeed("question", "add", "Can surgery wait until after chemotherapy?", "--appointment", "1").stdout,
                       "Added question 1\n")
        try succeed("question", "add", "Do I need genetic testing?", "--diagnosis", "invasive")
        XCTAssertEqual(try succeed("question", "answer", "1", "--provider", "Chen", "--date", "2026-11-20",
                                   "Yes, the response guides surgery").stdout, "Recorded answer 1 to question 1\n")
        let rows = try succeed("question", "list", "--format", "json").jsonArray()
        XCTAssertEqual(rows.map { $0["status"] as? String }, ["answered", "open"])
        XCTAssertEqual(rows[0]["appointment_id"] as? Int, 1)
        XCTAssertEqual(rows[0]["diagnosis_id"] as? Int, 1, "an appointment's question is about its diagnosis")
        XCTAssertEqual(rows[0]["answers"] as? [String], ["Dr. Paul Chen (2026-11-20): Yes, the response guides surgery"])
        XCTAssertEqual(try succeed("question", "list", "--open", "--format", "json").jsonArray().map { $0["id"] as? Int }, [2])
        XCTAssertEqual(try succeed("question", "list", "--appointment", "1", "--format", "json").jsonArray().count, 1)
        let table = try succeed("question", "list").stdout
        XCTAssertTrue(table.contains("Do I need genetic testing?"), table)
    }

    func testRemovingAQuestionTakesItsAnswersAndUndoBringsThemBack() throws {
        try succeed("question", "add", "Which stage?")
        try succeed("question", "answer", "1", "--provider", "Weber", "IIA")
        try succeed("question", "remove", "1")
        XCTAssertEqual(try succeed("question", "list").stdout.contains("Which stage?"), false)
        try succeed("undo")
        let answers = try succeed("question", "list", "--format", "json").jsonArray().first?["answers"] as? [String]
        XCTAssertEqual(answers, ["Dr. Anna Weber (\(day(0))): IIA"])
    }

    func testBadQuestionsAreRefused() throws {
        try assertRefused(["question", "add", "  "], code: 64, mentions: ["question"])
        try assertRefused(["question", "add", "Why?", "--appointment", "5"], code: 65, mentions: ["appointment"])
        try assertRefused(["question", "answer", "3", "--provider", "Chen", "Yes"], code: 65, mentions: ["question"])
        try assertRefused(["question", "answer", "x", "--provider", "Chen", "Yes"], code: 64, mentions: ["not an id", "phr question list"])
    }

    func testDecisionsAreAddedListedShownAndRemoved() throws {
        try addOpinion("Weber", daysAgo: 9, recommendation: "Mastectomy")
        try addOpinion("Chen", daysAgo: 2, recommendation: "Lumpectomy", agreement: "differs")
        try succeed("decision", "add", "--diagnosis", "invasive", "--treatment", "Lumpectomy", "--based-on", "1", "2",
                    "--date", "2026-11-24", "--notes", "after the tumour board")
        let decision = try succeed("decision", "show", "1", "--format", "json").jsonObject()
        XCTAssertEqual(decision["treatment"] as? String, "Lumpectomy")
        XCTAssertEqual(decision["decided_on"] as? String, "2026-11-24")
        XCTAssertEqual(decision["opinion_ids"] as? [Int], [1, 2])
        XCTAssertEqual(decision["diagnosis"] as? String, "Invasive ductal carcinoma, left breast")
        XCTAssertEqual(decision["notes"] as? String, "after the tumour board")
        XCTAssertEqual(try succeed("decision", "list", "--format", "json").jsonArray().count, 1)
        try assertRefused(["opinion", "remove", "1"], code: 65, mentions: ["opinion 1"])
        try succeed("decision", "remove", "1")
        XCTAssertEqual(try succeed("decision", "list", "--format", "json").jsonArray().count, 0)
        try succeed("restore", "decision", "1")
        XCTAssertEqual(try succeed("decision", "show", "1", "--format", "json").jsonObject()["opinion_ids"] as? [Int], [1, 2])
    }

    func testBadDecisionsAreRefused() throws {
        try succeed("diagnosis", "add", "Hypertension")
        try succeed("opinion", "add", "--diagnosis", "Hypertension", "--provider", "Berg", "--conclusion", "Mild")
        try assertRefused(["decision", "add", "--diagnosis", "invasive", "--treatment", "Surgery", "--based-on", "1"],
                          code: 65, mentions: ["based-on", "another diagnosis"])
        try assertRefused(["decision", "add", "--diagnosis", "invasive"], code: 64, mentions: ["--treatment"])
        try assertRefused(["decision", "add", "--diagnosis", "invasive", "--treatment", "Surgery", "--date", "someday"],
                          code: 65, mentions: ["--date"])
    }
}
