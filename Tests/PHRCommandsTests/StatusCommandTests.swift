import Foundation
import XCTest

/// `phr status`: every checklist item done and not done, the warnings, and the exit status
/// (0 when nothing is missing, 1 when something is).
final class StatusCommandTests: WorkflowCommandTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try setUpCase()
        // Only the pathology report and slides are asked for, unless a test says otherwise.
        try succeed("config", "set", "status.needed-records", "pathology-report,pathology-slides")
    }

    /// Everything on the checklist done: exit 0.
    private func completeEverything() throws {
        try addSecondOpinionAppointment(daysAhead: 3, insurance: "approved")
        try succeed("status", "set", "--diagnosis", "invasive", "--told-doctor", day(-1))
        try succeed("status", "set", "--appointment", "1", "--referral", "not-needed")
        try succeed("question", "add", "Is surgery first right for me?", "--appointment", "1")
        try succeed("record", "add", writeFile("report.txt", "Invasive ductal carcinoma, grade 2"), "--kind", "pathology",
                    "--diagnosis", "1")
        try succeed("record", "add", "--no-file", "--kind", "slides", "--title", "Biopsy slides", "--provider", "City Lab",
                    "--diagnosis", "1")
        try succeed("transfer", "send", "1", "--to", "Chen", "--via", "portal")
        try succeed("transfer", "send", "2", "--from", "City Lab", "--to", "Chen", "--via", "courier")
        try succeed("transfer", "receive", "2", "--by", "Chen")
    }

    func testNothingMissingExitsZeroAndSaysReady() throws {
        try completeEverything()
        let result = try phr("status")
        XCTAssertEqual(result.status, 0, result.stdout)
        XCTAssertEqual(result.stderr, "")
        XCTAssertTrue(result.stdout.hasSuffix("Ready: nothing is missing.\n"), result.stdout)
        XCTAssertFalse(result.stdout.contains("Warnings:"))
        let (status, _, json) = try statusItems()
        XCTAssertEqual(status, 0)
        XCTAssertEqual(json["complete"] as? Bool, true)
    }

    func testSomethingMissingExitsOneWithNothingOnStderr() throws {
        try addSecondOpinionAppointment(daysAhead: 3)
        let result = try phr("status")
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "")
        XCTAssertTrue(result.stdout.contains("Not ready:"), result.stdout)
        XCTAssertTrue(result.stdout.contains("MISSING  Original doctor told"), result.stdout)
    }

    func testNothingUnderReviewExitsZero() throws {
        try succeed("decision", "add", "--diagnosis", "1", "--treatment", "Surgery")
        let result = try phr("status")
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.hasPrefix("Nothing under review"), result.stdout)
    }

    func testOriginalDoctorToldDoneAndNotDone() throws {
        XCTAssertEqual(state("diagnosis.original-doctor-told", try statusItems().items), "missing")
        try succeed("status", "set", "--diagnosis", "invasive", "--told-doctor", "today")
        let item = try XCTUnwrap(try statusItems().items["diagnosis.original-doctor-told"])
        XCTAssertEqual(item["state"] as? String, "done")
        XCTAssertEqual(item["detail"] as? String, "told Dr. Anna Weber on \(day(0))")
        try succeed("status", "set", "--diagnosis", "invasive", "--told-doctor", "no")
        XCTAssertEqual(state("diagnosis.original-doctor-told", try statusItems().items), "missing")
    }

    func testInsuranceApprovedPendingDeniedUnknown() throws {
        try addSecondOpinionAppointment(daysAhead: 3)
        XCTAssertEqual(state("appointment.insurance", try statusItems().items), "missing")
        for (insurance, expected) in [("pending", "pending"), ("denied", "missing"), ("approved", "done"), ("not-needed", "done")] {
            try succeed("appointment", "edit", "1", "--insurance", insurance)
            XCTAssertEqual(state("appointment.insurance", try statusItems().items), expected, insurance)
        }
    }

    func testReferralDoneAndNotDone() throws {
        try addSecondOpinionAppointment(daysAhead: 3)
        XCTAssertEqual(state("appointment.referral", try statusItems().items), "missing")
        for (referral, expected) in [("needed", "missing"), ("requested", "pending"), ("received", "done"), ("not-needed", "done")] {
            try succeed("status", "set", "--appointment", "1", "--referral", referral, "--referral-ref", "R-1")
            XCTAssertEqual(state("appointment.referral", try statusItems().items), expected, referral)
        }
    }

    func testRecordsNotYetReceivedAndTheSlidesWarning() throws {
        try addSecondOpinionAppointment(daysAhead: 3)
        XCTAssertEqual(state("appointment.records.pathology-slides", try statusItems().items), "missing")
        try succeed("record", "add", "--no-file", "--kind", "slides", "--title", "Biopsy slides", "--provider", "City Lab",
                    "--diagnosis", "1")
        let (_, items, json) = try statusItems()
        XCTAssertEqual(items["appointment.records.pathology-slides"]?["detail"] as? String, "not sent to Dr. Paul Chen: 'Biopsy slides'")
        XCTAssertTrue((json["warnings"] as? [String])?.contains("appointment in 3 days and the pathology slides have not been sent") == true,
                      "\(json["warnings"] ?? [])")
        XCTAssertTrue(try phr("status").stdout.contains("Appointment in 3 days and the pathology slides have not been sent"))

        try succeed("transfer", "request", "1", "--from", "City Lab", "--to", "Chen")
        XCTAssertEqual(state("appointment.records.pathology-slides", try statusItems().items), "pending")
        try succeed("transfer", "send", "1", "--from", "City Lab", "--to", "Chen", "--via", "courier", "--reference", "FX-1")
        XCTAssertEqual(state("appointment.records.pathology-slides", try statusItems().items), "pending")
        try succeed("transfer", "receive", "1", "--by", "Chen")
        XCTAssertEqual(state("appointment.records.pathology-slides", try statusItems().items), "done")
    }

    func testRecentLabsAndTheOtherRecordKinds() throws {
        try succeed("config", "unset", "status.needed-records")
        try addSecondOpinionAppointment(daysAhead: 3)
        var items = try statusItems().items
        for kind in ["pathology-report", "pathology-slides", "imaging-report", "imaging-study", "lab-result", "consult-note"] {
            XCTAssertEqual(state("appointment.records.\(kind)", items), "missing", kind)
        }
        try succeed("record", "add", writeFile("cbc.csv", "test,result\nhb,13.1\n"), "--kind", "lab", "--date", day(-200))
        XCTAssertEqual(try statusItems().items["appointment.records.lab-result"]?["detail"] as? String,
                       "none from the last 90 days recorded")
        try succeed("record", "add", writeFile("cbc2.csv", "test,result\nhb,12.9\n"), "--kind", "lab", "--date", day(-5))
        try succeed("transfer", "send", "2", "--to", "Chen", "--via", "portal")
        items = try statusItems().items
        XCTAssertEqual(state("appointment.records.lab-result", items), "done")
    }

    func testQuestionsPreparedDoneAndNotDone() throws {
        try addSecondOpinionAppointment(daysAhead: 3)
        XCTAssertEqual(state("appointment.questions", try statusItems().items), "missing")
        try succeed("question", "add", "How long can treatment wait?", "--appointment", "1")
        XCTAssertEqual(state("appointment.questions", try statusItems().items), "done")
    }

    func testDaysUntilDaysSinceAndPlannedTreatmentStart() throws {
        try addSecondOpinionAppointment(daysAhead: 3)
        try succeed("status", "set", "--diagnosis", "1", "--treatment-planned", day(2))
        let (_, items, json) = try statusItems()
        XCTAssertEqual(items["appointment.days-until-appointment"]?["detail"] as? String, "3 (\(day(3)) 09:30)")
        XCTAssertEqual(items["diagnosis.days-since-diagnosis"]?["detail"] as? String, "10 (diagnosed \(day(-10)))")
        XCTAssertEqual(items["diagnosis.treatment-start"]?["detail"] as? String, "planned for \(day(2)) (in 2 days)")
        XCTAssertTrue((json["warnings"] as? [String])?.contains {
            $0.hasPrefix("treatment is planned to start on \(day(2)), before the second-opinion appointment on \(day(3))")
        } == true)
    }

    func testDiagnosisAndAppointmentScopes() throws {
        try addSecondOpinionAppointment(daysAhead: 3)
        let appointmentOnly = try statusItems("--appointment", "1").json["sections"] as? [[String: Any]]
        XCTAssertEqual(appointmentOnly?.map { $0["kind"] as? String }, ["appointment"])
        let both = try statusItems("--diagnosis", "invasive").json["sections"] as? [[String: Any]]
        XCTAssertEqual(both?.map { $0["kind"] as? String }, ["diagnosis", "appointment"])
    }

    /// The store says what the next step is; `phr status` shows it as the exact command to type.
    func testEachNextStepIsShownAsTheCommandThatTakesIt() throws {
        func hints() throws -> [String: String] {
            try statusItems().items.compactMapValues { $0["hint"] as? String }
        }
        XCTAssertEqual(try hints()["diagnosis.second-opinion"],
                       "phr appointment add --provider P --at \"YYYY-MM-DD HH:MM\" --purpose second-opinion --diagnosis 1")
        try addSecondOpinionAppointment(daysAhead: 3)
        var expected = [
            "diagnosis.original-doctor-told": "phr status set --diagnosis 1 --told-doctor today",
            "diagnosis.treatment-start": "phr status set --diagnosis 1 --treatment-planned DATE",
            "appointment.insurance": "phr appointment edit 1 --insurance approved|pending|denied|not-needed",
            "appointment.referral": "phr status set --appointment 1 --referral not-needed|needed|requested|received",
            "appointment.questions": "phr question add \"…\" --appointment 1",
            "appointment.records.pathology-report": "phr record add FILE --kind pathology-report",
            "appointment.records.pathology-slides":
                "phr record add --no-file --kind pathology-slides --title \"…\" --provider HOLDER",
        ]
        XCTAssertEqual(try hints(), expected)

        // Slides (record 1) held by City Lab (provider 4), for Dr. Chen (provider 3).
        try succeed("record", "add", "--no-file", "--kind", "slides", "--title", "Biopsy slides", "--provider", "City Lab",
                    "--diagnosis", "1")
        expected["appointment.records.pathology-slides"] = "phr transfer send 1 --to 3 --via mail|fax|email|portal|courier|in-person"
        XCTAssertEqual(try hints(), expected)
        try succeed("transfer", "request", "1", "--from", "City Lab", "--to", "Chen")
        expected["appointment.records.pathology-slides"] = "phr transfer send 1 --from 4 --to 3 --via courier"
        XCTAssertEqual(try hints(), expected)
        try succeed("transfer", "send", "1", "--from", "City Lab", "--to", "Chen", "--via", "courier")
        expected["appointment.records.pathology-slides"] = "phr transfer receive 1 --by 3"
        XCTAssertEqual(try hints(), expected)
    }

    func testCSVHasOneRowPerItem() throws {
        try addSecondOpinionAppointment(daysAhead: 3)
        let result = try phr("status", "--format", "csv")
        XCTAssertEqual(result.status, 1)
        let csv = try result.csvRecords()
        XCTAssertEqual(csv.header, ["section_kind", "section_id", "section", "key", "label", "state", "detail", "hint"])
        XCTAssertTrue(csv.rows.contains { $0["key"] == "referral" && $0["state"] == "missing" })
    }

    func testBadStatusInputIsRefusedWithTheStoreUnchanged() throws {
        try addSecondOpinionAppointment(daysAhead: 3)
        try assertRefused(["status", "set", "--told-doctor", "today"], code: 64, mentions: ["--diagnosis"])
        try assertRefused(["status", "set", "--diagnosis", "1", "--referral", "received"], code: 64, mentions: ["--appointment"])
        try assertRefused(["status", "set", "--diagnosis", "1", "--told-doctor", "2026-02-30"], code: 65, mentions: ["--told-doctor", "no"])
        try assertRefused(["status", "set", "--appointment", "1", "--referral", "maybe"], code: 64, mentions: ["--referral"])
        try assertRefused(["status", "set", "--appointment", "9", "--referral", "received"], code: 65, mentions: ["appointment"])
        try assertRefused(["status", "--diagnosis", "1", "--appointment", "1"], code: 64, mentions: ["not both"])
    }
}
