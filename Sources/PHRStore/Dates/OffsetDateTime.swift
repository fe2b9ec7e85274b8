import Foundation

/// A moment as the patient knows it: local date and time together with its UTC offset, e.g.
/// `2026-12-03T09:30:00-05:00`.
///
/// Stored as that ISO 8601 text, so the wall-clock time the appointment letter shows is kept; the
/// offset makes it an exact instant (`instant`, `epochSeconds`) for ordering and "upcoming".
public struct OffsetDateTime: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let date: PartialDate
    public let hour: Int
    public let minute: Int
    public let second: Int
    /// Seconds east of UTC.
    public let offsetSeconds: Int

    public static let acceptedForms = "YYYY-MM-DDTHH:MM[:SS](Z|±HH:MM)"

    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int = 0,
                offsetSeconds: Int) throws(DateParseError) {
        self.date = try PartialDate(year: year, month: month, day: day)
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else {
            throw DateParseError("\(hour):\(minute):\(second) is not a time of day")
        }
        guard abs(offsetSeconds) <= 18 * 3600, offsetSeconds % 60 == 0 else {
            throw DateParseError("UTC offset out of range")
        }
        self.hour = hour
        self.minute = minute
        self.second = second
        self.offsetSeconds = offsetSeconds
    }

    /// The instant `date` in `timeZone` (its offset at that instant).
    public init(_ instant: Date, in timeZone: TimeZone = .current) {
        let offset = timeZone.secondsFromGMT(for: instant)
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + offset
        let (days, secondOfDay) = Self.floorDivide(seconds, 86_400)
        let (y, m, d) = Self.civil(fromDays: days)
        // Every component comes from arithmetic above and is in range.
        self.date = (try? PartialDate(year: y, month: m, day: d)) ?? PartialDate.epoch
        self.hour = secondOfDay / 3600
        self.minute = secondOfDay % 3600 / 60
        self.second = secondOfDay % 60
        self.offsetSeconds = offset
    }

    /// Parses full ISO 8601: `2026-12-03T09:30:00-05:00`, `2026-12-03T14:30Z`, seconds optional,
    /// a space accepted in place of `T`.
    public init(parsing text: String) throws(DateParseError) {
        if let dateTime = DateTextScanner.offsetDateTime(text) {
            self = dateTime
        } else {
            try self.init(parsingByCharacter: text)
        }
    }

    /// The full parser, character by character: what `init(parsing:)` accepts and the errors it
    /// throws, without `DateTextScanner`'s fast path.
    init(parsingByCharacter text: String) throws(DateParseError) {
        let failure = DateParseError("'\(text)' is not a date and time; use \(Self.acceptedForms)")
        let chars = Array(text)
        guard chars.count >= 16, chars[10] == "T" || chars[10] == " " else { throw failure }
        let datePart = try? PartialDate(parsingByCharacter: String(chars[0..<10]))
        guard let datePart, datePart.precision == .day else { throw failure }
        var rest = Array(chars[11...])
        func number(_ count: Int) -> Int? {
            guard rest.count >= count, rest.prefix(count).allSatisfy(\.isASCIIDigit) else { return nil }
            let value = Int(String(rest.prefix(count)))
            rest.removeFirst(count)
            return value
        }
        func expect(_ c: Character) -> Bool {
            guard rest.first == c else { return false }
            rest.removeFirst()
            return true
        }
        guard let hour = number(2), expect(":"), let minute = number(2) else { throw failure }
        var second = 0
        if rest.first == ":" {
            rest.removeFirst()
            guard let s = number(2) else { throw failure }
            second = s
            if rest.first == "." {  // fractional seconds are accepted and dropped
                rest.removeFirst()
                while rest.first?.isASCIIDigit == true { rest.removeFirst() }
            }
        }
        let offset: Int
        if expect("Z") {
            offset = 0
        } else if let sign = rest.first, sign == "+" || sign == "-" {
            rest.removeFirst()
            guard let oh = number(2) else { throw failure }
            _ = expect(":")
            guard let om = number(2), oh <= 18, om < 60 else { throw failure }
            offset = (sign == "-" ? -1 : 1) * (oh * 3600 + om * 60)
        } else {
            throw DateParseError("'\(text)' has no UTC offset; add Z or ±HH:MM (\(Self.acceptedForms))")
        }
        guard rest.isEmpty else { throw failure }
        do {
            try self.init(year: datePart.year, month: datePart.month ?? 1, day: datePart.day ?? 1,
                          hour: hour, minute: minute, second: second, offsetSeconds: offset)
        } catch {
            throw DateParseError("'\(text)' is not a real date and time (\(error.reason))")
        }
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    public var epochSeconds: Int64 {
        let days = Self.days(fromCivil: date.year, date.month ?? 1, date.day ?? 1)
        return Int64(days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds)
    }

    public var instant: Date { Date(timeIntervalSince1970: TimeInterval(epochSeconds)) }

    /// The ISO 8601 text, as stored: `2026-12-03T09:30:00-05:00` (`Z` for UTC).
    public var description: String {
        String(unsafeUninitializedCapacity: 25) { buffer in
            var end = date.write(into: buffer, at: 0)
            buffer[end] = UInt8(ascii: "T")
            end = PartialDate.writeDigits(hour, 2, into: buffer, at: end + 1)
            buffer[end] = UInt8(ascii: ":")
            end = PartialDate.writeDigits(minute, 2, into: buffer, at: end + 1)
            buffer[end] = UInt8(ascii: ":")
            end = PartialDate.writeDigits(second, 2, into: buffer, at: end + 1)
            if offsetSeconds == 0 {
                buffer[end] = UInt8(ascii: "Z")
                return end + 1
            }
            let minutes = abs(offsetSeconds) / 60
            buffer[end] = offsetSeconds < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
            end = PartialDate.writeDigits(minutes / 60, 2, into: buffer, at: end + 1)
            buffer[end] = UInt8(ascii: ":")
            return PartialDate.writeDigits(minutes % 60, 2, into: buffer, at: end + 1)
        }
    }

    /// `Z`, or `±HH:MM`.
    public var offsetText: String {
        if offsetSeconds == 0 { return "Z" }
        let sign = offsetSeconds < 0 ? "-" : "+"
        let minutes = abs(offsetSeconds) / 60
        return "\(sign)\(PartialDate.pad(minutes / 60, 2)):\(PartialDate.pad(minutes % 60, 2))"
    }

    /// `2026-12-03 09:30`, the wall-clock time as the patient reads it.
    public var wallClockText: String {
        "\(date) \(PartialDate.pad(hour, 2)):\(PartialDate.pad(minute, 2))"
    }

    public static func < (a: OffsetDateTime, b: OffsetDateTime) -> Bool { a.epochSeconds < b.epochSeconds }

    public init(from decoder: any Decoder) throws {
        try self.init(parsing: decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    // Howard Hinnant's days-from-civil algorithms: exact for the proleptic Gregorian calendar.
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func floorDivide(_ a: Int, _ b: Int) -> (Int, Int) {
        let q = a >= 0 ? a / b : (a - b + 1) / b
        return (q, a - q * b)
    }
}

extension PartialDate {
    /// 1970-01-01, a fallback that arithmetic on real instants never reaches.
    static let epoch: PartialDate = {
        // The literal components are valid; `try!` is not used on anything from input.
        guard let date = try? PartialDate(year: 1970, month: 1, day: 1) else { fatalError("unreachable") }
        return date
    }()

    /// The calendar day of `instant` in `timeZone`.
    public init(day instant: Date, in timeZone: TimeZone = .current) {
        self = OffsetDateTime(instant, in: timeZone).date
    }

    /// The day `days` calendar days after this one (before it when negative), counted in days, not
    /// in 24-hour spans, so a day on which the clocks change counts as one. A month or a year
    /// counts from its first day.
    public func addingDays(_ days: Int) -> PartialDate {
        let number = OffsetDateTime.days(fromCivil: year, month ?? 1, day ?? 1) + days
        let (y, m, d) = OffsetDateTime.civil(fromDays: number)
        return (try? PartialDate(year: y, month: m, day: d)) ?? .epoch
    }
}
