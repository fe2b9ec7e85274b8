import Foundation

extension OffsetDateTime {
    /// The moment a wall clock in `timeZone` shows `local` (whose own offset is ignored), with
    /// the offset in force then.
    ///
    /// Refuses the times a daylight-saving change makes impossible to read one way: a time the
    /// clocks skip when they move forward does not exist, and a time they show twice when they go
    /// back could be either; the message names the offsets to choose from.
    public static func wallClock(_ local: OffsetDateTime, in timeZone: TimeZone) throws(DateParseError) -> OffsetDateTime {
        let naive = Int(local.epochSeconds) + local.offsetSeconds  // the wall-clock reading as if it were UTC
        // The offsets in force a day either side cover any one change of the clocks.
        let offsets = Set([-86_400, 86_400].map { timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(naive + $0))) })
        let moments = offsets.sorted(by: >).compactMap { offset -> OffsetDateTime? in
            let instant = Date(timeIntervalSince1970: TimeInterval(naive - offset))
            return timeZone.secondsFromGMT(for: instant) == offset ? OffsetDateTime(instant, in: timeZone) : nil
        }
        let shown = "\(local.date) \(pad(local.hour)):\(pad(local.minute))"
        let zone = timeZone.identifier
        guard let first = moments.first else {
            throw DateParseError("\(shown) does not exist in \(zone): the clocks move forward that night; give a time before or after the change")
        }
        guard moments.count == 1 else {
            let choices = moments.map(\.description).joined(separator: " or ")
            throw DateParseError("\(shown) happens twice in \(zone): the clocks go back that night; give the offset, \(choices)")
        }
        return first
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
