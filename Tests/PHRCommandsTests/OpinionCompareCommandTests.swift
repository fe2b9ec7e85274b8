import Foundation
import XCTest

/// `phr opinion compare`: each verdict, by the binary, in table and JSON.
final class OpinionCompareCommandTests: WorkflowCommandTestCase {
    func testAgreeingOpinionsGiveTheAllAgreeVerdict() throws {
        try setUpCase()
        try addOpinion("Weber", daysAgo: 9, recommendation: "Lumpectomy + radiotherapy", stage: "IIA")
        try addOpinion("Chen", daysAgo: 2, recommendation: "lumpectomy and radiotherapy", stage: "Stage IIA", agreement: "agrees")
        let json = try succeed("opinion", "compare", "--diagnosis", "invasive", "--format", "json").jsonObject()
        XCTAssertEqual(json["verdict"] as? String, "all-agree")
        XCTAssertEqual(json["suggests_tie_breaker"] as? Bool, false)
        XCTAssertTrue(json["time_note"] is NSNull)
        XCTAssertEqual((json["opinions"] as? [[String: Any]])?.map { $0["provider"] as? String }, ["Dr. Anna Weber", "Dr. Paul Chen"])
        let table = try succeed("opinion", "compare", "--diagnosis", "invasive").stdout
        XCTAssertTrue(table.contains("Verdict: All 2 opinions agree (Dr. Anna Weber and Dr. Paul Chen)."), table)
    }

    func testAnAgreementNotRecordedIsAdvisedWithTheCommandThatRecordsIt() throws {
        try setUpCase()
        try addOpinion("Weber", daysAgo: 9, recommendation: "Lumpectomy", stage: "IIA")
        try addOpinion("Chen", daysAgo: 2, recommendation: "Lumpectomy", stage: "IIA")
        let json = try succeed("opinion", "compare", "--format", "json").jsonObject()
        XCTAssertEqual(json["commands"] as? [String], ["phr opinion edit 2 --agreement agrees|partly|differs"])
        let table = try succeed("opinion", "compare").stdout
        XCTAssertTrue(table.contains("phr opinion edit 2 --agreement"), table)
        let status = try statusItems().items
        XCTAssertNil(status["diagnosis.second-opinion"]?["hint"] as? String, "agreeing opinions need no comparing")

        try succeed("opinion", "edit", "2", "--agreement", "differs", "--recommendation", "Mastectomy")
        XCTAssertEqual(try statusItems().items["diagnosis.second-opinion"]?["hint"] as? String,
                       "phr opinion compare --diagnosis 1")
    }

    func testTwoDifferingOpinionsSayOnWhatBetweenWhomAndSuggestATieBreaker() throws {
        try setUpCase()
        try addOpinion("Weber", daysAgo: 9, recommendation: "Mastectomy", stage: "IIA")
        try addOpinion("Chen", daysAgo: 2, recommendation: "Neoadjuvant chemotherapy", stage: "IIB", agreement: "differs")
        let json = try succeed("opinion", "compare", "--format", "json").jsonObject()  // the only diagnosis with opinions
        XCTAssertEqual(json["verdict"] as? String, "differ")
        XCTAssertEqual(json["suggests_tie_breaker"] as? Bool, true)
        let differences = try XCTUnwrap(json["differences"] as? [[String: Any]])
        XCTAssertEqual(differences.map { $0["aspect"] as? String }, ["conclusion", "stage", "treatment"])
        let stage = try XCTUnwrap(differences[1]["positions"] as? [[String: Any]])
        XCTAssertEqual(stage.map { $0["value"] as? String }, ["IIA", "IIB"])
        XCTAssertEqual(stage.map { $0["providers"] as? [String] }, [["Dr. Anna Weber"], ["Dr. Paul Chen"]])

        let table = try succeed("opinion", "compare", "--diagnosis", "1").stdout
        XCTAssertTrue(table.contains("Verdict: the opinions differ."), table)
        XCTAssertTrue(table.contains("On the stage: IIA (Dr. Anna Weber) versus IIB (Dr. Paul Chen)."), table)
        XCTAssertTrue(table.contains("a third, tie-breaking opinion can help you decide"), table)
        XCTAssertTrue(table.contains("Dr. Anna Weber (medical oncology)") && table.contains("Dr. Paul Chen (breast medical oncology)"),
                      "providers side by side with their specialty: \(table)")
    }

    func testThreeOpinionsSayThatMoreOpinionsCostTime() throws {
        try setUpCase()
        try addOpinion("Weber", daysAgo: 9, recommendation: "Mastectomy")
        try addOpinion("Chen", daysAgo: 5, recommendation: "Lumpectomy", agreement: "differs")
        try addOpinion("Berg", daysAgo: 1, recommendation: "Lumpectomy", agreement: "partly")
        let json = try succeed("opinion", "compare", "--format", "json").jsonObject()
        XCTAssertEqual(json["suggests_tie_breaker"] as? Bool, false)
        XCTAssertTrue((json["time_note"] as? String)?.hasPrefix("More opinions cost time: there are already 3 opinions") == true,
                      "\(json["time_note"] ?? "nil")")
        // The threshold is configurable: per command, and per store.
        let raised = try succeed("opinion", "compare", "--max-opinions", "4", "--format", "json").jsonObject()
        XCTAssertEqual(raised["suggests_tie_breaker"] as? Bool, true)
        try succeed("config", "set", "compare.max-opinions", "5")
        XCTAssertEqual(try succeed("opinion", "compare", "--format", "json").jsonObject()["suggests_tie_breaker"] as? Bool, true)
    }

    func testWeeksWithoutTreatmentAddATimeNoteToTheTieBreaker() throws {
        try setUpCase(diagnosedDaysAgo: 35)
        try addOpinion("Weber", daysAgo: 34, recommendation: "Mastectomy")
        try addOpinion("Chen", daysAgo: 2, recommendation: "Lumpectomy", agreement: "differs")
        let json = try succeed("opinion", "compare", "--format", "json").jsonObject()
        XCTAssertEqual(json["days_since_diagnosis"] as? Int, 35)
        XCTAssertEqual(json["suggests_tie_breaker"] as? Bool, true)
        XCTAssertTrue((json["time_note"] as? String)?.contains("5 weeks have passed since the diagnosis and treatment has not started") == true)
        let table = try succeed("opinion", "compare").stdout
        XCTAssertFalse(table.contains("More opinions cost time"), table)
        XCTAssertTrue(table.contains("a third, tie-breaking opinion can help you decide"), table)
        XCTAssertTrue(table.contains("Ask for a prompt appointment"), table)
        XCTAssertTrue(table.contains("Go back to your first doctor (Dr. Anna Weber)"), table)
        let relaxed = try succeed("opinion", "compare", "--delay-weeks", "6", "--format", "json").jsonObject()
        XCTAssertTrue(relaxed["time_note"] is NSNull)
    }

    func testCompareAndHistoryShowTheDecision() throws {
        try setUpCase()
        try addOpinion("Weber", daysAgo: 9, recommendation: "Mastectomy")
        try addOpinion("Chen", daysAgo: 2, recommendation: "Lumpectomy", agreement: "differs")
        XCTAssertEqual(try succeed("decision", "add", "--diagnosis", "invasive", "--treatment", "Lumpectomy, then radiation",
                                   "--based-on", "2", "--date", day(0)).stdout, "Added decision 1 for diagnosis 1\n")
        let json = try succeed("opinion", "compare", "--format", "json").jsonObject()
        let decision = try XCTUnwrap(json["decision"] as? [String: Any])
        XCTAssertEqual(decision["treatment"] as? String, "Lumpectomy, then radiation")
        XCTAssertEqual(decision["opinion_ids"] as? [Int], [2])
        XCTAssertEqual(json["suggests_tie_breaker"] as? Bool, false)
        XCTAssertTrue(try succeed("opinion", "compare").stdout
            .contains("Decision (\(day(0))): Lumpectomy, then radiation, based on the opinions of Dr. Paul Chen"))

        let history = try succeed("opinion", "history").stdout
        XCTAssertTrue(history.contains("Decision (\(day(0))): Lumpectomy, then radiation"), history)
        let rows = try succeed("opinion", "history", "--format", "json").jsonArray()
        XCTAssertEqual(rows.map { $0["decision_based_on"] as? Bool }, [false, true])
        XCTAssertEqual(rows.first?["decision"] as? String, "Lumpectomy, then radiation")
    }

    func testTheDiagnosingDoctorsOpinionHasTheDiagnosisStageAndAStageDifferenceCounts() throws {
        try setUpCase()  // diagnosed IIA by Dr. Weber
        try addOpinion("Weber", daysAgo: 9, recommendation: "Surgery")
        try addOpinion("Chen", daysAgo: 2, recommendation: "Surgery", stage: "IIB", agreement: "agrees")
        let json = try succeed("opinion", "compare", "--format", "json").jsonObject()
        XCTAssertEqual(json["verdict"] as? String, "differ", "IIA against IIB is a difference, though Dr. Chen 'agrees'")
        let opinions = try XCTUnwrap(json["opinions"] as? [[String: Any]])
        XCTAssertEqual(opinions.map { $0["stage"] as? String }, ["IIA", "IIB"])
        XCTAssertEqual(opinions.map { $0["stage_as_diagnosed"] as? Bool }, [true, false])
        let table = try succeed("opinion", "compare").stdout
        XCTAssertTrue(table.contains("On the stage: IIA (Dr. Anna Weber) versus IIB (Dr. Paul Chen)."), table)
        XCTAssertTrue(table.contains("IIA (as diagnosed)"), table)
        let history = try succeed("opinion", "history").lines
        XCTAssertTrue(history.contains { $0.hasPrefix("ID") && $0.contains("Stage") }, "\(history)")
        XCTAssertTrue(history.contains { $0.hasPrefix("1 ") && $0.contains(" IIA ") }, "\(history)")
        // Another doctor's opinion without a stage has none: it is not taken from the diagnosis.
        try addOpinion("Berg", daysAgo: 1, recommendation: "Surgery", agreement: "agrees")
        let third = try succeed("opinion", "compare", "--format", "json").jsonObject()["opinions"] as? [[String: Any]]
        XCTAssertTrue(third?.last?["stage"] is NSNull)
    }

    func testAThirdOpinionCountsAsASecondOpinionAppointment() throws {
        try setUpCase()
        try succeed("appointment", "add", "--provider", "Berg", "--at", "\(day(5)) 10:00", "--purpose", "third opinion",
                    "--diagnosis", "1")
        XCTAssertEqual(try succeed("appointment", "list", "--format", "json").jsonArray().first?["purpose"] as? String, "second-opinion")
        XCTAssertNotNil(try statusItems().items["appointment.records.pathology-report"], "status prepares it as a second opinion")
    }

    func testCompareRefusesBadInputWithTheStoreUnchanged() throws {
        try setUpCase()
        try assertRefused(["opinion", "compare"], code: 64, mentions: ["--diagnosis", "none has opinions"])
        try assertRefused(["opinion", "compare", "--diagnosis", "lung"], code: 65, mentions: ["--diagnosis", "lung"])
        try assertRefused(["opinion", "compare", "--diagnosis", "1", "--max-opinions", "1"], code: 64,
                          mentions: ["--max-opinions", "2 to 20"])
    }
}
