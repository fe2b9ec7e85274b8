import Foundation
import XCTest

/// The date-sensitive commands — demo, relative dates, export scope, status, compare, timeline and
/// history — run at moments where day arithmetic goes wrong: a leap day, half an hour before the
/// new year, and the days the clocks change in New York and Berlin (23- and 25-hour days, and the
/// night before them). At each, phr's answers must follow the pinned clock (`PHR_NOW`) in the
/// local time zone (`TZ`), counted in calendar days.
final class AwkwardMomentTests: PHRTestCase {
    struct Moment {
        let name: String
        let now: String
        let timeZone: String
    }

    static let moments = [
        Moment(name: "leap day", now: "2028-02-29T12:00:00-05:00", timeZone: "America/New_York"),
        Moment(name: "New Year's Eve 23:30", now: "2026-12-31T23:30:00-05:00", timeZone: "America/New_York"),
        Moment(name: "night before New York springs forward", now: "2027-03-13T23:30:00-05:00", timeZone: "America/New_York"),
        Moment(name: "New York springs forward", now: "2027-03-14T03:30:00-04:00", timeZone: "America/New_York"),
        Moment(name: "New York falls back (first 01:30)", now: "2026-11-01T01:30:00-04:00", timeZone: "America/New_York"),
        Moment(name: "Berlin springs forward", now: "2027-03-28T03:30:00+02:00", timeZone: "Europe/Berlin"),
        Moment(name: "night before Berlin falls back", now: "2026-10-24T23:30:00+02:00", timeZone: "Europe/Berlin"),
        Moment(name: "Berlin falls back (second 02:30)", now: "2026-10-25T02:30:00+01:00", timeZone: "Europe/Berlin"),
    ]

    func testDateSensitiveCommandsFollowThePinnedClockAtAwkwardMoments() throws {
        for (index, moment) in Self.moments.enumerated() {
            try checkCommands(at: moment, store: folder.appendingPathComponent("moment-\(index).sqlite").path)
        }
    }

    private func checkCommands(at moment: Moment, store: String) throws {
        let environment = ["PHR_NOW": moment.now, "TZ": moment.timeZone, "PHR_DB": store]
        func run(_ arguments: String...) throws -> PHRResult {
            let result = try phr(arguments, environment: environment)
            XCTAssertEqual(result.status, 0, "\(moment.name): phr \(arguments.joined(separator: " ")): \(result.stderr)")
            return result
        }
        func day(_ offset: Int) -> String { self.day(offset, now: moment.now, timeZone: moment.timeZone) }
        let label = moment.name

        // The demo dates its case from the pinned day: diagnosed 42 days ago, tie-break in 9 days.
        _ = try run("demo", "--db", store)
        let diagnosis = try run("diagnosis", "show", "1", "--format", "json").jsonObject()
        XCTAssertEqual(diagnosis["diagnosed_on"] as? String, day(-42), label)
        XCTAssertEqual(diagnosis["created_at"] as? String, Self.utcMilliseconds(moment.now), "\(label): created_at is now, in UTC")

        let upcoming = try run("appointment", "list", "--upcoming", "--format", "json").jsonArray()
        XCTAssertEqual(upcoming.compactMap { $0["provider"] as? String }, ["Dr. Tom Okafor", "Dr. Sofia Marin"], label)
        XCTAssertEqual(upcoming.last?["when"] as? String, "\(day(9)) 10:00", label)

        let compare = try run("opinion", "compare", "--format", "json").jsonObject()
        XCTAssertEqual(compare["days_since_diagnosis"] as? Int, 42, label)
        let opinions = try XCTUnwrap(compare["opinions"] as? [[String: Any]], label)
        XCTAssertEqual(opinions.compactMap { $0["given_on"] as? String }, [day(-42), day(-14)], label)

        let status = try phr(["status", "--format", "json"], environment: environment)
        let sections = try XCTUnwrap(status.jsonObject()["sections"] as? [[String: Any]], label)
        XCTAssertTrue(sections.contains { ($0["title"] as? String)?.contains("\(day(9)) 10:00 (in 9 days)") == true },
                      "\(label): status counts calendar days to the appointment: \(status.stdout)")

        let timeline = try run("timeline", "--since", day(-14), "--format", "json").jsonArray()
        let dates = timeline.compactMap { $0["date"] as? String }
        XCTAssertFalse(dates.isEmpty, label)
        XCTAssertTrue(dates.allSatisfy { $0 >= day(-14) }, "\(label): \(dates)")
        XCTAssertTrue(timeline.contains { $0["kind"] as? String == "opinion" && $0["id"] as? Int == 2 }, label)
        XCTAssertFalse(timeline.contains { $0["kind"] as? String == "opinion" && $0["id"] as? Int == 1 }, label)

        // The pathology report is dated 43 days back: --since that day keeps it and the later note.
        let packet = (store as NSString).deletingPathExtension + "-packet"
        _ = try run("export", packet, "--for", "marin", "--since", day(-43))
        let log = try run("export", "--log", "--format", "json").jsonArray()
        XCTAssertEqual(log.first?["record_ids"] as? [Int], [2, 4], label)
        XCTAssertEqual(log.first?["scope"] as? String, "all diagnoses; since \(day(-43))", label)

        _ = try run("diagnosis", "add", "Checked yesterday", "--date", "yesterday")
        _ = try run("diagnosis", "add", "Checked tomorrow", "--date", "tomorrow")
        let added = try run("diagnosis", "list", "--format", "json").jsonArray()
        XCTAssertEqual(added.first { $0["description"] as? String == "Checked yesterday" }?["diagnosed_on"] as? String, day(-1), label)
        XCTAssertEqual(added.first { $0["description"] as? String == "Checked tomorrow" }?["diagnosed_on"] as? String, day(1), label)

        let changes = try run("history", "--format", "json").jsonArray()
        XCTAssertFalse(changes.isEmpty, label)
        XCTAssertTrue(changes.allSatisfy { $0["changed_at"] as? String == Self.utcMilliseconds(moment.now) },
                      "\(label): every change is stamped with the pinned clock: \(changes.map { $0["changed_at"] ?? "" })")
        let rowHistory = try run("history", "diagnosis", "1", "--format", "json").jsonArray()
        XCTAssertFalse(rowHistory.isEmpty, label)
        XCTAssertTrue(rowHistory.allSatisfy { $0["changed_at"] as? String == Self.utcMilliseconds(moment.now) },
                      "\(label): history rows are stamped with the pinned clock: \(rowHistory.map { $0["changed_at"] ?? "" })")
    }

    func testAnInvalidPHRNowIsRefusedBeforeAnythingRuns() throws {
        for value in ["tomorrow", "2026-12-01", "2026-12-01T10:00:00", "2026-02-30T10:00:00Z"] {
            let result = try phr(["init"], environment: ["PHR_NOW": value])
            XCTAssertEqual(result.status, 64, "PHR_NOW=\(value): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("phr: PHR_NOW: '\(value)' is not an instant"), result.stderr)
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: storePath), "nothing was created")
        }
    }

    /// `2026-12-31T23:30:00-05:00` as phr's own timestamps write it: `2027-01-01T04:30:00.000Z`.
    static func utcMilliseconds(_ instant: String) -> String {
        guard let date = ISO8601DateFormatter().date(from: instant) else { return "not an instant: \(instant)" }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        return formatter.string(from: date)
    }
}
