import Foundation
import PHRStore
import XCTest

final class DateTests: XCTestCase {
    // MARK: PartialDate

    func testPartialDateKeepsThePrecisionItWasGiven() throws {
        let year = try PartialDate(parsing: "2019")
        XCTAssertEqual(year.precision, .year)
        XCTAssertEqual(year.year, 2019)
        XCTAssertNil(year.month)
        XCTAssertNil(year.day)
        XCTAssertEqual(year.description, "2019")

        let month = try PartialDate(parsing: "2019-05")
        XCTAssertEqual(month.precision, .month)
        XCTAssertEqual(month.month, 5)
        XCTAssertNil(month.day)
        XCTAssertEqual(month.description, "2019-05")

        let day = try PartialDate(parsing: "2019-05-14")
        XCTAssertEqual(day.precision, .day)
        XCTAssertEqual([day.year, day.month, day.day], [2019, 5, 14])
        XCTAssertEqual(day.description, "2019-05-14")
    }

    func testPartialDateRejectsWhatIsNotARealISODate() {
        for text in ["2023-02-30", "2023-13-01", "2023-00-10", "2023-04-31", "2023-01-00", "05/06/2023",
                     "2023-2-1", "2023-02-1", "23-02-01", "", " 2023", "2023-", "2023-01-", "2023-01-01-01",
                     "0000", "２０２３", "2023-01-01T00:00Z", "-2023", "+2023"] {
            XCTAssertThrowsError(try PartialDate(parsing: text), "'\(text)' should be refused") { error in
                XCTAssertTrue(error is DateParseError, "\(error)")
                XCTAssertTrue(String(describing: error).contains("YYYY-MM-DD"), "the error says what is accepted: \(error)")
            }
        }
    }

    func testLeapDaysFollowTheGregorianRules() {
        XCTAssertNoThrow(try PartialDate(parsing: "2024-02-29"))
        XCTAssertNoThrow(try PartialDate(parsing: "2000-02-29"))
        XCTAssertThrowsError(try PartialDate(parsing: "2023-02-29"))
        XCTAssertThrowsError(try PartialDate(parsing: "1900-02-29"))
        XCTAssertThrowsError(try PartialDate(parsing: "2024-02-30"))
    }

    func testPartialDatesOrderChronologicallyLessPreciseFirst() throws {
        let texts = ["2020", "2019-01-01", "2019-12", "2019", "2019-01", "2019-02-28", "2019-01-31"]
        let sorted = try texts.map(day).sorted().map(\.description)
        XCTAssertEqual(sorted, ["2019", "2019-01", "2019-01-01", "2019-01-31", "2019-02-28", "2019-12", "2020"])
        // The stored text sorts the same way, which the SQL ORDER BY clauses rely on.
        XCTAssertEqual(texts.sorted(), sorted)
        XCTAssertFalse(try day("2019-05") < day("2019-05"))
    }

    func testPartialDateEncodesAsItsText() throws {
        let date = try day("2019-05")
        let json = try JSONEncoder().encode([date])
        XCTAssertEqual(String(decoding: json, as: UTF8.self), #"["2019-05"]"#)
        XCTAssertEqual(try JSONDecoder().decode([PartialDate].self, from: json), [date])
        XCTAssertThrowsError(try JSONDecoder().decode([PartialDate].self, from: Data(#"["2019-02-30"]"#.utf8)))
    }

    // MARK: OffsetDateTime

    func testOffsetDateTimeParsesTheAcceptedForms() throws {
        let cases: [(text: String, stored: String, iso: String)] = [
            ("2026-12-03T09:30:00-05:00", "2026-12-03T09:30:00-05:00", "2026-12-03T09:30:00-05:00"),
            ("2026-12-03T14:30Z", "2026-12-03T14:30:00Z", "2026-12-03T14:30:00Z"),
            ("2026-12-03 09:30+01:00", "2026-12-03T09:30:00+01:00", "2026-12-03T09:30:00+01:00"),
            ("2026-12-03T09:30:15.250+05:30", "2026-12-03T09:30:15+05:30", "2026-12-03T09:30:15+05:30"),
            ("1969-07-20T20:17:40Z", "1969-07-20T20:17:40Z", "1969-07-20T20:17:40Z"),
            ("2024-02-29T23:59:59-09:30", "2024-02-29T23:59:59-09:30", "2024-02-29T23:59:59-09:30"),
        ]
        let foundation = ISO8601DateFormatter()
        for (text, stored, iso) in cases {
            let parsed = try OffsetDateTime(parsing: text)
            XCTAssertEqual(parsed.description, stored, text)
            let expected = try XCTUnwrap(foundation.date(from: iso), iso)
            XCTAssertEqual(parsed.epochSeconds, Int64(expected.timeIntervalSince1970), text)
            XCTAssertEqual(parsed.instant, expected, text)
            XCTAssertEqual(try OffsetDateTime(parsing: parsed.description), parsed, "the stored text reads back")
        }
    }

    /// Dates and date-times are written digit by digit; the text is the ISO 8601 form, zero-padded,
    /// for every precision, offset sign and the ends of every range.
    func testDatesAndDateTimesAreWrittenAsISOText() throws {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        func four(_ value: Int) -> String { String(repeating: "0", count: 4 - String(value).count) + String(value) }
        XCTAssertEqual(try PartialDate(year: 7).description, "0007")
        XCTAssertEqual(try PartialDate(year: 2019, month: 5).description, "2019-05")
        XCTAssertEqual(try PartialDate(year: 9999, month: 12, day: 31).description, "9999-12-31")
        for year in [1, 9, 10, 99, 100, 999, 1000, 1969, 2026, 9999] {
            for (month, day) in [(1, 1), (2, 28), (9, 9), (10, 10), (12, 31)] {
                for (hour, minute, second) in [(0, 0, 0), (9, 5, 7), (23, 59, 59)] {
                    for offset in [0, 60, -60, 5 * 3600 + 30 * 60, -(9 * 3600 + 45 * 60), 14 * 3600, -18 * 3600] {
                        let time = try OffsetDateTime(year: year, month: month, day: day, hour: hour, minute: minute,
                                                      second: second, offsetSeconds: offset)
                        let minutes = abs(offset) / 60
                        let zone = offset == 0 ? "Z" : (offset < 0 ? "-" : "+") + "\(two(minutes / 60)):\(two(minutes % 60))"
                        let expected = "\(four(year))-\(two(month))-\(two(day))T\(two(hour)):\(two(minute)):\(two(second))\(zone)"
                        XCTAssertEqual(time.description, expected)
                        XCTAssertEqual(try OffsetDateTime(parsing: expected), time)
                    }
                }
            }
        }
    }

    func testOffsetDateTimeKeepsTheWallClockAndOffset() throws {
        let time = try moment("2026-12-03T09:30:00-05:00")
        XCTAssertEqual(time.date, try day("2026-12-03"))
        XCTAssertEqual([time.hour, time.minute, time.second], [9, 30, 0])
        XCTAssertEqual(time.offsetSeconds, -5 * 3600)
        XCTAssertEqual(time.offsetText, "-05:00")
        XCTAssertEqual(time.wallClockText, "2026-12-03 09:30")
    }

    func testOffsetDateTimeRefusesMissingOffsetAndImpossibleTimes() {
        let refused = ["2026-12-03T09:30:00", "2026-12-03T09:30", "2026-12-03", "2026-12-03T25:00Z",
                       "2026-12-03T24:00Z", "2026-12-03T09:60Z", "2026-12-03T09:30:60Z", "2026-02-30T09:30Z",
                       "2026-12-03T09:30+19:00", "2026-12-03T9:30Z", "2026-12-03X09:30Z", "2026-12-03T09:30Zjunk",
                       "2026-12T09:30Z", ""]
        for text in refused {
            XCTAssertThrowsError(try OffsetDateTime(parsing: text), "'\(text)' should be refused")
        }
        XCTAssertThrowsError(try OffsetDateTime(parsing: "2026-12-03T09:30:00")) { error in
            XCTAssertTrue(String(describing: error).contains("offset"), "\(error)")
        }
    }

    func testOffsetDateTimesOrderByInstantNotWallClock() throws {
        let newYork = try moment("2026-12-03T09:30:00-05:00")  // 14:30 UTC
        let utc = try moment("2026-12-03T14:30Z")
        let paris = try moment("2026-12-03T11:00+01:00")  // 10:00 UTC
        XCTAssertFalse(newYork < utc)
        XCTAssertFalse(utc < newYork)
        XCTAssertEqual(newYork.epochSeconds, utc.epochSeconds)
        XCTAssertNotEqual(newYork, utc, "the same instant, but a different wall clock")
        XCTAssertTrue(paris < newYork)
        XCTAssertEqual([newYork, paris].sorted(), [paris, newYork])
    }

    func testOffsetDateTimeFromAnInstantUsesTheZonesOffset() throws {
        let instant = try XCTUnwrap(ISO8601DateFormatter().date(from: "2026-07-01T12:00:00Z"))
        let zone = try XCTUnwrap(TimeZone(secondsFromGMT: -4 * 3600))
        let local = OffsetDateTime(instant, in: zone)
        XCTAssertEqual(local.description, "2026-07-01T08:00:00-04:00")
        XCTAssertEqual(local.instant, instant)
    }
}
