import Foundation
import XCTest

/// Dates, times and durations as people type them, counted from phr's pinned clock
/// (Wednesday 2026-11-25 09:42 in New York).
final class DateAndTimeInputTests: PHRTestCase {
    private func startOfAppointment(_ at: String, file: StaticString = #filePath, line: UInt = #line) throws -> String? {
        let added = try succeed(["appointment", "add", "--provider", "Weber", "--at", at, "--again"], file: file, line: line)
        let id = added.stdout.split(separator: " ").dropFirst(2).first.map(String.init) ?? ""
        return try succeed("appointment", "show", id, "--format", "json").jsonObject()["starts_at"] as? String
    }

    func testTimesOfDayWithRelativeDaysAndWeekdays() throws {
        try setUpPatientAndProviders()
        XCTAssertEqual(try startOfAppointment("tomorrow 10:00"), "2026-11-26T10:00:00-05:00")
        XCTAssertEqual(try startOfAppointment("9:00"), "2026-11-25T09:00:00-05:00")
        XCTAssertEqual(try startOfAppointment("10am"), "2026-11-25T10:00:00-05:00")
        XCTAssertEqual(try startOfAppointment("2026-12-15 2:30pm"), "2026-12-15T14:30:00-05:00")
        XCTAssertEqual(try startOfAppointment("2026-12-15 9:00"), "2026-12-15T09:00:00-05:00")
        XCTAssertEqual(try startOfAppointment("tuesday 9:30"), "2026-12-01T09:30:00-05:00")
        XCTAssertEqual(try startOfAppointment("next wednesday 12pm"), "2026-12-02T12:00:00-05:00")
        XCTAssertEqual(try startOfAppointment("wednesday 11:00"), "2026-11-25T11:00:00-05:00", "this wednesday is today")
        XCTAssertEqual(try startOfAppointment("2026-12-03T09:30-05:00"), "2026-12-03T09:30:00-05:00")
    }

    func testDatesCountFromThePinnedClockInItsTimeZone() throws {
        try setUpPatientAndProviders()
        try succeed("diagnosis", "add", "Colon adenocarcinoma", "--date", "last monday")
        XCTAssertEqual(try succeed("diagnosis", "show", "1", "--format", "json").jsonObject()["diagnosed_on"] as? String, "2026-11-23")
        // 02:00 UTC on the 26th is still the 25th in New York.
        try succeed(["diagnosis", "edit", "1", "--date", "yesterday"], environment: ["PHR_NOW": "2026-11-26T02:00:00Z"])
        XCTAssertEqual(try succeed("diagnosis", "show", "1", "--format", "json").jsonObject()["diagnosed_on"] as? String, "2026-11-24")
    }

    func testDurationsInMinutesOrHours() throws {
        try setUpPatientAndProviders()
        for (typed, minutes) in [("90", 90), ("90m", 90), ("1h", 60), ("1h30", 90), ("2 hours", 120), ("45 min", 45)] {
            let added = try succeed("appointment", "add", "--provider", "Weber", "--at", "2026-12-10 09:00", "--duration", typed, "--again")
            let id = added.stdout.split(separator: " ")[2]
            XCTAssertEqual(try succeed("appointment", "show", String(id), "--format", "json").jsonObject()["duration_minutes"] as? Int,
                           minutes, typed)
        }
        // An end time alone is on the appointment's day.
        let ends = try succeed("appointment", "add", "--provider", "Chen", "--at", "2026-12-11 09:00", "--ends", "10:15")
        let id = String(ends.stdout.split(separator: " ")[2])
        XCTAssertEqual(try succeed("appointment", "show", id, "--format", "json").jsonObject()["duration_minutes"] as? Int, 75)
        try assertRefused(["appointment", "add", "--provider", "Weber", "--at", "2026-12-10 09:00", "--duration", "long"], code: 64,
                          mentions: ["--duration", "1h30", "90m"])
    }

    func testSlashDatesAreRefusedWithTheISOFormsTheyCouldMean() throws {
        try setUpPatientAndProviders()
        try assertRefused(["patient", "add", "Ana Lima", "--born", "05/06/1962"], code: 65,
                          mentions: ["--born", "1962-05-06 or 1962-06-05", "YYYY-MM-DD"])
        try assertRefused(["appointment", "add", "--provider", "Weber", "--at", "12/15/2026 10:00"], code: 65,
                          mentions: ["--at", "2026-12-15"])
        try assertRefused(["appointment", "add", "--provider", "Weber", "--at", "someday 10:00"], code: 65,
                          mentions: ["--at", "tomorrow 10:00"])
    }

    func testYesRecordsThatSomethingHappenedToday() throws {
        try setUpPatientAndProviders()
        try succeed("diagnosis", "add", "Colon adenocarcinoma", "--date", "2026-10-20", "--provider", "Weber")
        try succeed("status", "set", "--diagnosis", "colon", "--told-doctor", "yes")
        let timeline = try succeed("timeline", "--format", "json").jsonArray()
        let told = try XCTUnwrap(timeline.first { $0["kind"] as? String == "told-doctor" }, "\(timeline)")
        XCTAssertEqual(told["date"] as? String, "2026-11-25")
        XCTAssertEqual(told["summary"] as? String, "Told Dr. Anna Weber about the second opinion on Colon adenocarcinoma")
    }
}
