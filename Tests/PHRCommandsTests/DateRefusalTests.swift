import Foundation
import XCTest

/// Dates that are wrong are refused with the reason, the store unchanged: a birth date in the
/// future (typed or imported), an empty date given to `add`, and local times that a change of the
/// clocks makes impossible (skipped) or ambiguous (shown twice). The runner's zone is
/// America/New_York: clocks move forward at 02:00 on 14 March 2027 and go back at 02:00 on
/// 1 November 2026.
final class DateRefusalTests: PHRTestCase {
    func testABirthDateInTheFutureIsRefusedTypedOrImported() throws {
        try succeed("init")
        try assertRefused(["patient", "add", "Maria Rossi", "--born", "2999-01-01"], code: 65, mentions: ["birth date", "2999-01-01", "future"])
        try assertRefused(["patient", "add", "Maria Rossi", "--born", day(1)], code: 65, mentions: ["future"])
        try succeed("patient", "add", "Maria Rossi", "--born", day(0))
        try assertRefused(["patient", "edit", "Maria", "--born", "2999"], code: 65, mentions: ["future"])

        let input = try writeFile("portal.ndjson", """
            {"resourceType":"Patient","id":"p1","name":[{"family":"Okafor","given":["Ada"]}],"birthDate":"2999-01-01"}

            """)
        try assertRefused(["import", input], code: 65, mentions: ["birth date", "2999-01-01"])
    }

    func testAnEmptyDateIsRefusedByAddAndClearsWithEdit() throws {
        try setUpPatientAndProviders()
        try assertRefused(["diagnosis", "add", "Invasive ductal carcinoma", "--date", ""], code: 64, mentions: ["--date is empty", "leave --date out"])
        try assertRefused(["medication", "add", "Letrozole", "--start", " "], code: 64, mentions: ["--start is empty"])
        try assertRefused(["procedure", "add", "Core biopsy", "--until", ""], code: 64, mentions: ["--until is empty"])
        try succeed("diagnosis", "add", "Invasive ductal carcinoma", "--date", "2026-10-02")
        try succeed("diagnosis", "edit", "1", "--date", "")
        let diagnosis = try succeed("diagnosis", "show", "1", "--format", "json").jsonObject()
        XCTAssertNil(diagnosis["diagnosed_on"] as? String, "edit --date \"\" clears the date")
        XCTAssertTrue(try succeed("diagnosis", "add", "--help").stdout.contains("clears it"), "the help says what an empty value does")
    }

    func testALocalTimeTheClocksSkipIsRefusedWithTheReason() throws {
        try setUpPatientAndProviders()
        let refused = try assertRefused(["appointment", "add", "--provider", "Chen", "--at", "2027-03-14 02:30"], code: 65,
                                        mentions: ["--at", "2027-03-14 02:30", "does not exist", "America/New_York"])
        XCTAssertFalse(refused.stderr.contains("03:30"), "not moved silently to another time: \(refused.stderr)")
        try succeed("appointment", "add", "--provider", "Chen", "--at", "2027-03-14 03:30")
        let stored = try succeed("appointment", "list", "--format", "json").jsonArray()
        XCTAssertEqual(stored.first?["starts_at"] as? String, "2027-03-14T03:30:00-04:00")
    }

    func testALocalTimeShownTwiceNeedsItsOffset() throws {
        try setUpPatientAndProviders()
        try assertRefused(["appointment", "add", "--provider", "Chen", "--at", "2026-11-01 01:30"], code: 65,
                          mentions: ["happens twice", "2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00"])
        try succeed("appointment", "add", "--provider", "Chen", "--at", "2026-11-01T01:30-05:00")
        try succeed("appointment", "add", "--provider", "Chen", "--at", "2026-11-01 00:30")
        let stored = try succeed("appointment", "list", "--format", "json").jsonArray().compactMap { $0["starts_at"] as? String }
        XCTAssertEqual(Set(stored), ["2026-11-01T01:30:00-05:00", "2026-11-01T00:30:00-04:00"])
    }
}
