/// A calendar date that keeps the precision it was given: a year (`2019`), a month (`2019-05`) or
/// a day (`2019-05-14`).
///
/// **phr's one date representation.** Dates are stored as ISO 8601 text in exactly this form, so
/// that the text sorts chronologically and a date the patient only half remembers is never padded
/// into a false precision. Date-times (appointments) are `OffsetDateTime`. Timestamps phr writes
/// itself (`created_at`, `updated_at`) are UTC, `YYYY-MM-DDTHH:MM:SS.sssZ` (`Timestamp`).
///
/// Only real dates parse: `2023-02-30`, `2023-13-01` and `05/06/2023` are rejected.
public struct PartialDate: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public enum Precision: Int, Sendable, Comparable {
        case year, month, day
        public static func < (a: Precision, b: Precision) -> Bool { a.rawValue < b.rawValue }
    }

    public let year: Int
    public let month: Int?
    public let day: Int?

    public static let acceptedForms = "YYYY, YYYY-MM or YYYY-MM-DD"

    public init(year: Int, month: Int? = nil, day: Int? = nil) throws(DateParseError) {
        guard (1...9999).contains(year) else { throw DateParseError("year \(year) is out of range") }
        if let month, !(1...12).contains(month) { throw DateParseError("month \(month) does not exist") }
        if let day {
            guard let month else { throw DateParseError("a day needs a month") }
            guard (1...Self.daysIn(month: month, year: year)).contains(day) else {
                throw DateParseError("\(Self.pad(year, 4))-\(Self.pad(month, 2)) has no day \(day)")
            }
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    public init(parsing text: String) throws(DateParseError) {
        if let date = DateTextScanner.partialDate(text) {
            self = date
        } else {
            try self.init(parsingByCharacter: text)
        }
    }

    /// The full parser, character by character: what `init(parsing:)` accepts and the errors it
    /// throws, without `DateTextScanner`'s fast path.
    init(parsingByCharacter text: String) throws(DateParseError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let widths = [4, 2, 2]
        guard (1...3).contains(parts.count),
              zip(parts, widths).allSatisfy({ $0.count == $1 && $0.allSatisfy(\.isASCIIDigit) }),
              let year = Int(parts[0])
        else {
            throw DateParseError("'\(text)' is not a date; use \(Self.acceptedForms)")
        }
        let month = parts.count > 1 ? Int(parts[1]) : nil
        let day = parts.count > 2 ? Int(parts[2]) : nil
        do {
            try self.init(year: year, month: month, day: day)
        } catch {
            throw DateParseError("'\(text)' is not a real date (\(error.reason)); use \(Self.acceptedForms)")
        }
    }

    public var precision: Precision {
        day != nil ? .day : (month != nil ? .month : .year)
    }

    /// The ISO 8601 text, as stored.
    public var description: String {
        String(unsafeUninitializedCapacity: 10) { write(into: $0, at: 0) }
    }

    /// Writes the text of the date (at most 10 bytes) into `buffer` from `start`; returns where it
    /// ends. Dates are written for every row an import stores: digits, not string interpolation.
    func write(into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        var end = Self.writeDigits(year, 4, into: buffer, at: start)
        if let month {
            buffer[end] = UInt8(ascii: "-")
            end = Self.writeDigits(month, 2, into: buffer, at: end + 1)
        }
        if let day {
            buffer[end] = UInt8(ascii: "-")
            end = Self.writeDigits(day, 2, into: buffer, at: end + 1)
        }
        return end
    }

    /// `value` (0 up to 10^`width` − 1) as `width` decimal digits, written into `buffer` from
    /// `start`; returns where they end.
    static func writeDigits(_ value: Int, _ width: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        var value = value
        for position in stride(from: start + width - 1, through: start, by: -1) {
            buffer[position] = UInt8(ascii: "0") + UInt8(value % 10)
            value /= 10
        }
        return start + width
    }

    /// Earlier dates first; a less precise date sorts before the more precise dates within it.
    public static func < (a: PartialDate, b: PartialDate) -> Bool {
        (a.year, a.month ?? 0, a.day ?? 0) < (b.year, b.month ?? 0, b.day ?? 0)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// A date or date-time that could not be parsed. `reason` says what is wrong and what is accepted.
public struct DateParseError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
