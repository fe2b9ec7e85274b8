/// When something clinical happened, with the precision it was given: a date (`2026`,
/// `2026-11`, `2026-11-20`, a `PartialDate`) or a date and time with its UTC offset
/// (`2026-11-20T08:15:00+01:00`, an `OffsetDateTime`).
///
/// Results, procedures and immunizations are reported either way (FHIR's `effectiveDateTime` is a
/// date or a date-time); neither is padded into the other. Stored as the text of the one it is, so
/// stored values sort by day (`substr(…, 1, 10)`).
public enum DateOrTime: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    case date(PartialDate)
    case dateTime(OffsetDateTime)

    public static let acceptedForms = "\(PartialDate.acceptedForms) or \(OffsetDateTime.acceptedForms)"

    /// Parses a `PartialDate` or an `OffsetDateTime`.
    public init(parsing text: String) throws(DateParseError) {
        if let value = DateTextScanner.dateOrTime(text) {
            self = value
        } else {
            try self.init(parsingByCharacter: text)
        }
    }

    /// The full parser, character by character: what `init(parsing:)` accepts and the errors it
    /// throws, without `DateTextScanner`'s fast path.
    init(parsingByCharacter text: String) throws(DateParseError) {
        if text.count > 10 {
            self = .dateTime(try OffsetDateTime(parsingByCharacter: text))
        } else {
            self = .date(try PartialDate(parsingByCharacter: text))
        }
    }

    /// The day, month or year it falls in (a date-time's own calendar day, at its offset).
    public var date: PartialDate {
        switch self {
        case .date(let date): return date
        case .dateTime(let dateTime): return dateTime.date
        }
    }

    /// The ISO 8601 text, as stored.
    public var description: String {
        switch self {
        case .date(let date): return date.description
        case .dateTime(let dateTime): return dateTime.description
        }
    }

    /// By calendar day first (a less precise date before the more precise ones within it), then a
    /// date before date-times on its day, then date-times by instant.
    public static func < (a: DateOrTime, b: DateOrTime) -> Bool {
        if a.date != b.date { return a.date < b.date }
        switch (a, b) {
        case (.date, .dateTime): return true
        case (.dateTime(let x), .dateTime(let y)): return x < y
        default: return false
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
