import Foundation

/// phr's one timestamp format, for every time it records its own events at (`created_at`,
/// `updated_at`, history, `exported_at`, `imported_at`): UTC ISO 8601 with milliseconds,
/// `2026-11-25T13:45:12.345Z`. The fixed width makes text order equal time order.
public enum Timestamp {
    /// Now, by phr's clock (`Clock`, which honours `PHR_NOW`).
    public static func now() -> String { format(Clock.now()) }

    /// `2026-12-01T14:30:00.123Z`: UTC, milliseconds.
    public static func format(_ date: Date) -> String {
        format(millis: Int((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// The text of the instant `millis` milliseconds after 1970-01-01T00:00:00Z.
    static func format(millis: Int) -> String {
        // An import stamps several rows (and their history) in the same millisecond: the text of
        // the last millisecond formatted is kept and handed out again.
        lock.lock()
        defer { lock.unlock() }
        if let last, last.millis == millis { return last.text }
        let text = text(millis: millis)
        last = (millis, text)
        return text
    }

    private nonisolated(unsafe) static var last: (millis: Int, text: String)?
    /// The date text of the last day formatted: the calendar is worked out once a day, the time of
    /// day by arithmetic (an import formats a new millisecond for nearly every row it writes).
    private nonisolated(unsafe) static var lastDay: (day: Int, text: String)?
    private static let lock = NSLock()

    private static func text(millis: Int) -> String {
        let (day, millisOfDay) = OffsetDateTime.floorDivide(millis, 86_400_000)
        let dayText: String
        if let lastDay, lastDay.day == day {
            dayText = lastDay.text
        } else {
            dayText = "\(OffsetDateTime(Date(timeIntervalSince1970: TimeInterval(day) * 86_400), in: utcZone).date)"
            lastDay = (day, dayText)
        }
        // "Thh:mm:ss.mmmZ"
        let time = String(unsafeUninitializedCapacity: 14) { buffer in
            func put(_ value: Int, width: Int, at offset: Int) {
                var rest = value
                for index in stride(from: offset + width - 1, through: offset, by: -1) {
                    buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            buffer[0] = UInt8(ascii: "T")
            put(millisOfDay / 3_600_000, width: 2, at: 1)
            buffer[3] = UInt8(ascii: ":")
            put(millisOfDay / 60_000 % 60, width: 2, at: 4)
            buffer[6] = UInt8(ascii: ":")
            put(millisOfDay / 1000 % 60, width: 2, at: 7)
            buffer[9] = UInt8(ascii: ".")
            put(millisOfDay % 1000, width: 3, at: 10)
            buffer[13] = UInt8(ascii: "Z")
            return 14
        }
        return dayText + time
    }

    static let utcZone = TimeZone(secondsFromGMT: 0) ?? .current
}
