import Foundation
import XCTest

final class AppointmentCommandTests: PHRTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try setUpPatientAndProviders()
        try succeed("diagnosis", "add", "Invasive ductal carcinoma", "--code", "C50.412", "--provider", "Weber")
    }

    func testLocalTimeIsStoredWithItsOffsetAndEveryFieldIsInJSON() throws {
        XCTAssertEqual(try succeed("appointment", "add", "--provider", "Chen", "--at", "2026-12-03 09:30", "--duration", "90",
                                   "--location", "Breast Clinic, 4th floor", "--purpose", "second-opinion",
                                   "--reason", "Second opinion before surgery", "--diagnosis", "invasive",
                                   "--insurance", "approved", "--insurance-ref", "PA-2291", "--notes", "bring the CD").stdout,
                       "Added appointment 1 on 2026-12-03 09:30\n")
        let a = try succeed("appointment", "show", "1", "--format", "json").jsonObject()
        XCTAssertEqual(a["id"] as? Int, 1)
        XCTAssertEqual(a["patient_id"] as? Int, 1)
        XCTAssertEqual(a["starts_at"] as? String, "2026-12-03T09:30:00-05:00", "New York is UTC-5 in December")
        XCTAssertEqual(a["when"] as? String, "2026-12-03 09:30")
        XCTAssertEqual(a["duration_minutes"] as? Int, 90)
        XCTAssertEqual(a["provider_id"] as? Int, 3)
        XCTAssertEqual(a["provider"] as? String, "Dr. Paul Chen")
        XCTAssertEqual(a["specialty"] as? String, "breast medical oncology")
        XCTAssertEqual(a["purpose"] as? String, "second-opinion")
        XCTAssertEqual(a["reason"] as? String, "Second opinion before surgery")
        XCTAssertEqual(a["location"] as? String, "Breast Clinic, 4th floor")
        XCTAssertEqual(a["diagnosis_id"] as? Int, 1)
        XCTAssertEqual(a["diagnosis"] as? String, "Invasive ductal carcinoma")
        XCTAssertEqual(a["status"] as? String, "scheduled")
        XCTAssertEqual(a["insurance"] as? String, "approved")
        XCTAssertEqual(a["insurance_reference"] as? String, "PA-2291")
        XCTAssertEqual(a["notes"] as? String, "bring the CD")
    }

    func testSummerTimeAndISOTimesKeepTheirOffsets() throws {
        try succeed("appointment", "add", "--provider", "Weber", "--at", "2026-07-01 14:00")
        try succeed("appointment", "add", "--provider", "Weber", "--at", "2026-07-02T08:00+02:00")
        try succeed("appointment", "add", "--provider", "Weber", "--at", "2026-07-03T12:00Z")
        let rows = try succeed("appointment", "list", "--format", "csv").csvRecords().rows
        XCTAssertEqual(rows.map { $0["starts_at"] }, ["2026-07-01T14:00:00-04:00", "2026-07-02T08:00:00+02:00", "2026-07-03T12:00:00Z"],
                       "local summer time is UTC-4 in New York; given offsets are kept")
        XCTAssertEqual(rows.map { $0["when"] }, ["2026-07-01 14:00", "2026-07-02 08:00", "2026-07-03 12:00"], "the wall-clock time given")
    }

    func testEndsGivesTheDuration() throws {
        try succeed("appointment", "add", "--provider", "Weber", "--at", "2026-12-03 09:30", "--ends", "2026-12-03 10:15")
        XCTAssertEqual(try succeed("appointment", "show", "1", "--format", "json").jsonObject()["duration_minutes"] as? Int, 45)
    }

    func testUpcomingPastAndRangesFilterAndOrder() throws {
        try succeed("appointment", "add", "--provider", "Weber", "--at", "2099-03-01 10:00")
        try succeed("appointment", "add", "--provider", "Chen", "--at", "2099-01-15 09:00", "--diagnosis", "invasive")
        try succeed("appointment", "add", "--provider", "Berg", "--at", "2020-05-05 08:00")
        try succeed("appointment", "add", "--provider", "Chen", "--at", "2021-06-01 08:00")
        try succeed("appointment", "add", "--provider", "Weber", "--at", "2099-02-01 08:00")
        try succeed("appointment", "cancel", "5")

        let upcoming = try succeed("appointment", "list", "--upcoming", "--format", "json").jsonArray()
        XCTAssertEqual(upcoming.map { $0["id"] as? Int }, [2, 1], "scheduled, from now on, earliest first; the cancelled one is left out")
        let past = try succeed("appointment", "list", "--past", "--format", "json").jsonArray()
        XCTAssertEqual(past.map { $0["id"] as? Int }, [4, 3], "latest first")
        let all = try succeed("appointment", "list", "--format", "json").jsonArray()
        XCTAssertEqual(all.map { $0["id"] as? Int }, [3, 4, 2, 5, 1])
        let range = try succeed("appointment", "list", "--from", "2099-01", "--to", "2099-02-01", "--format", "json").jsonArray()
        XCTAssertEqual(range.map { $0["id"] as? Int }, [2, 5], "--to includes its whole day")
        let chen = try succeed("appointment", "list", "--provider", "Chen", "--format", "json").jsonArray()
        XCTAssertEqual(chen.map { $0["id"] as? Int }, [4, 2])
        let diagnosed = try succeed("appointment", "list", "--diagnosis", "C50", "--format", "json").jsonArray()
        XCTAssertEqual(diagnosed.map { $0["id"] as? Int }, [2])
        let cancelled = try succeed("appointment", "list", "--status", "cancelled", "--format", "csv").csvRecords().rows
        XCTAssertEqual(cancelled.map { $0["id"] }, ["5"])
    }

    func testUpcomingTableAndEmptyMessage() throws {
        XCTAssertEqual(try succeed("appointment", "list", "--upcoming").stdout, "No upcoming appointments.\n")
        try succeed("appointment", "add", "--provider", "Chen", "--at", "2099-01-15 09:00", "--insurance", "pending")
        let table = try succeed("appointment", "list", "--upcoming").lines
        XCTAssertTrue(table[0].hasPrefix("ID  When"), table[0])
        XCTAssertTrue(table[1].contains("2099-01-15 09:00") && table[1].contains("Dr. Paul Chen") && table[1].contains("pending"), table[1])
    }

    func testCompleteCancelAndEdit() throws {
        try succeed("appointment", "add", "--provider", "Chen", "--at", "2026-11-20 09:30")
        XCTAssertEqual(try succeed("appointment", "complete", "1").stdout, "Appointment 1 on 2026-11-20 09:30 is now completed\n")
        XCTAssertEqual(try succeed("appointment", "show", "1", "--format", "json").jsonObject()["status"] as? String, "completed")
        XCTAssertEqual(try succeed("appointment", "cancel", "1").stdout, "Appointment 1 on 2026-11-20 09:30 is now cancelled\n")
        try succeed("appointment", "edit", "1", "--at", "2026-12-04 10:00", "--status", "scheduled", "--insurance", "denied",
                    "--provider", "Berg", "--location", "")
        let a = try succeed("appointment", "show", "1", "--format", "json").jsonObject()
        XCTAssertEqual(a["starts_at"] as? String, "2026-12-04T10:00:00-05:00")
        XCTAssertEqual(a["status"] as? String, "scheduled")
        XCTAssertEqual(a["insurance"] as? String, "denied")
        XCTAssertEqual(a["provider"] as? String, "Dr. Anton Berg")
        XCTAssertTrue(a["location"] is NSNull)
    }

    func testRemoveAndUndo() throws {
        try succeed("appointment", "add", "--provider", "Chen", "--at", "2026-12-03 09:30")
        XCTAssertEqual(try succeed("appointment", "remove", "1").stdout, "Removed appointment 1 on 2026-12-03 09:30 (phr undo brings it back)\n")
        XCTAssertEqual(try succeed("appointment", "list", "--format", "json").jsonArray().count, 0)
        try succeed("undo")
        XCTAssertEqual(try succeed("appointment", "list", "--format", "json").jsonArray().count, 1)
    }

    func testAppointmentEndingBeforeItStartsIsRefused() throws {
        try succeed("appointment", "add", "--provider", "Chen", "--at", "2026-12-03 09:30")
        try assertRefused(["appointment", "add", "--provider", "Chen", "--at", "2026-12-03 09:30", "--duration", "0"], code: 64,
                          mentions: ["--duration", "positive"])
        try assertRefused(["appointment", "add", "--provider", "Chen", "--at", "2026-12-03 09:30", "--duration=-30"], code: 64,
                          mentions: ["--duration"])
        try assertRefused(["appointment", "add", "--provider", "Chen", "--at", "2026-12-03 09:30", "--ends", "2026-12-03 09:00"],
                          code: 65, mentions: ["--ends", "before it starts"])
        try assertRefused(["appointment", "edit", "1", "--duration", "0"], code: 64, mentions: ["--duration"])
    }

    func testImpossibleTimesAreRefused() throws {
        try assertRefused(["appointment", "add", "--provider", "Chen", "--at", "2026-02-30 09:30"], code: 65,
                          mentions: ["--at", "2026-02-30 09:30", "YYYY-MM-DD HH:MM"])
        try assertRefused(["appointment", "add", "--provider", "Chen", "--at", "2026-12-03 25:00"], code: 65, mentions: ["--at"])
        try assertRefused(["appointment", "add", "--provider", "Chen", "--at", "tomorrow morning"], code: 65, mentions: ["--at"])
        try assertRefused(["appointment", "list", "--from", "2026-00"], code: 65, mentions: ["--from"])
    }

    func testUnknownOrAmbiguousProviderIsRefused() throws {
        try assertRefused(["appointment", "add", "--provider", "House", "--at", "2026-12-03 09:30"], code: 65,
                          mentions: ["--provider", "House"])
        try assertRefused(["appointment", "add", "--provider", "Dr. An", "--at", "2026-12-03 09:30"], code: 65,
                          mentions: ["matches several"])
    }

    func testBadEnumerationsAndIdsAreUsageErrors() throws {
        try succeed("appointment", "add", "--provider", "Chen", "--at", "2026-12-03 09:30")
        try assertRefused(["appointment", "add", "--provider", "Chen", "--at", "2026-12-03 09:30", "--insurance", "maybe"], code: 64,
                          mentions: ["--insurance"])
        try assertRefused(["appointment", "list", "--upcoming", "--past"], code: 64, mentions: ["--upcoming", "--past"])
        try assertRefused(["appointment", "show", "first"], code: 64, mentions: ["APPOINTMENT", "'first'"])
        try assertRefused(["appointment", "complete", "9"], code: 65, mentions: ["no appointment with id 9"])
    }
}
