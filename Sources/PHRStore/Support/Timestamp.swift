import Foundation

/// The time phr records its own events at (`created_at`, `updated_at`, history): UTC ISO 8601 with
/// milliseconds, `2026-11-25T13:45:12.345Z`. The fixed width makes text order equal time order.
enum Timestamp {
    static func now() -> String { format(Clock.now()) }

    static func format(_ date: Date) -> String {
        let millis = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        let (seconds, fraction) = OffsetDateTime.floorDivide(millis, 1000)
        let utc = OffsetDateTime(Date(timeIntervalSince1970: TimeInterval(seconds)), in: utcZone)
        return "\(utc.date)T\(PartialDate.pad(utc.hour, 2)):\(PartialDate.pad(utc.minute, 2)):"
            + "\(PartialDate.pad(utc.second, 2)).\(PartialDate.pad(fraction, 3))Z"
    }

    static let utcZone = TimeZone(secondsFromGMT: 0) ?? .current
}
