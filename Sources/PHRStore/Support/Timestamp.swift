import Foundation

/// phr's one timestamp format, for every time it records its own events at (`created_at`,
/// `updated_at`, history, `exported_at`, `imported_at`): UTC ISO 8601 with milliseconds,
/// `2026-11-25T13:45:12.345Z`. The fixed width makes text order equal time order.
public enum Timestamp {
    /// Now, by phr's clock (`Clock`, which honours `PHR_NOW`).
    public static func now() -> String { format(Clock.now()) }

    /// `2026-12-01T14:30:00.123Z`: UTC, milliseconds.
    public static func format(_ date: Date) -> String {
        let millis = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        // An import stamps several rows (and their history) in the same millisecond: the text of
        // the last millisecond formatted is kept and handed out again.
        lock.lock()
        defer { lock.unlock() }
        if let last, last.millis == millis { return last.text }
        let text = format(millis: millis)
        last = (millis, text)
        return text
    }

    private nonisolated(unsafe) static var last: (millis: Int, text: String)?
    private static let lock = NSLock()

    private static func format(millis: Int) -> String {
        let (seconds, fraction) = OffsetDateTime.floorDivide(millis, 1000)
        let utc = OffsetDateTime(Date(timeIntervalSince1970: TimeInterval(seconds)), in: utcZone)
        return "\(utc.date)T\(PartialDate.pad(utc.hour, 2)):\(PartialDate.pad(utc.minute, 2)):"
            + "\(PartialDate.pad(utc.second, 2)).\(PartialDate.pad(fraction, 3))Z"
    }

    static let utcZone = TimeZone(secondsFromGMT: 0) ?? .current
}
