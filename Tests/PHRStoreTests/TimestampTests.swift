import Foundation
@testable import PHRStore
import PHRTestSupport
import XCTest

final class TimestampTests: XCTestCase {
    /// The text Foundation's Gregorian calendar gives for `millis`, as the oracle.
    private func calendarText(_ millis: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? .current
        let (seconds, fraction) = OffsetDateTime.floorDivide(millis, 1000)
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                            from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.year ?? -1, parts.month ?? -1, parts.day ?? -1,
                      parts.hour ?? -1, parts.minute ?? -1, parts.second ?? -1, fraction)
    }

    func testInstantsAreWrittenAsTheCalendarHasThem() {
        var random = SeededGenerator(seed: 20261202)
        // 1900 to 2200, before and after 1970, in random order: each call may change the day.
        let range = -2_208_988_800_000 ... 7_258_118_400_000
        for _ in 0 ..< 3000 {
            let millis = Int.random(in: range, using: &random)
            XCTAssertEqual(Timestamp.format(millis: millis), calendarText(millis), "\(millis)")
        }
    }

    func testEveryPartOfTheDayAcrossMidnightAndLeapDays() {
        // Around midnight of 2024-02-28/29 and 2024-02-29/03-01, back and forth: the day text is
        // worked out again whenever the day changes.
        let days = [1_709_164_800_000, 1_709_251_200_000, 946_684_800_000, 0]
        for day in days {
            for offset in [-86_400_000, -1, 0, 1, 999, 1000, 59_999, 3_599_999, 43_200_123, 86_399_999, 86_400_000] {
                XCTAssertEqual(Timestamp.format(millis: day + offset), calendarText(day + offset), "\(day + offset)")
            }
        }
        XCTAssertEqual(Timestamp.format(millis: 1_709_251_199_999), "2024-02-29T23:59:59.999Z")
        XCTAssertEqual(Timestamp.format(millis: -1), "1969-12-31T23:59:59.999Z")
    }
}
