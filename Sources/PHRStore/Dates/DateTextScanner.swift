/// The fast path of the date parsers: reads the ASCII forms of `PartialDate`, `OffsetDateTime`
/// and `DateOrTime` over UTF-8 bytes, without making `Character`s.
///
/// Every date phr reads back from its store was written by phr in one of these forms, and a
/// listing reads one or two per row. Guarantees: a value is returned only for text that the
/// parser it stands in for (`init(parsingByCharacter:)`) accepts, and it is the value that parser
/// gives; anything else (non-ASCII text, another form, an impossible date) gives `nil`, and the
/// caller then runs that parser, so what is refused is refused with the same error.
enum DateTextScanner {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a real date; else `nil`.
    static func partialDate(_ text: String) -> PartialDate? {
        text.utf8.withContiguousStorageIfAvailable { partialDate(in: $0) } ?? nil
    }

    /// `YYYY-MM-DD(T| )HH:MM[:SS[.fraction]](Z|±HH[:]MM)`, a real date and time; else `nil`.
    static func offsetDateTime(_ text: String) -> OffsetDateTime? {
        text.utf8.withContiguousStorageIfAvailable { offsetDateTime(in: $0) } ?? nil
    }

    /// A `PartialDate` for text of up to 10 bytes, an `OffsetDateTime` for longer text, as
    /// `DateOrTime(parsing:)` chooses by length (a text this accepts is ASCII, so its bytes are
    /// its characters); else `nil`.
    static func dateOrTime(_ text: String) -> DateOrTime? {
        text.utf8.withContiguousStorageIfAvailable { bytes -> DateOrTime? in
            if bytes.count > 10 { return offsetDateTime(in: bytes).map(DateOrTime.dateTime) }
            return partialDate(in: bytes).map(DateOrTime.date)
        } ?? nil
    }

    private static func partialDate(in bytes: UnsafeBufferPointer<UInt8>) -> PartialDate? {
        guard bytes.count == 4 || bytes.count == 7 || bytes.count == 10, let year = number(in: bytes, at: 0, digits: 4) else {
            return nil
        }
        var month: Int?
        var day: Int?
        if bytes.count >= 7 {
            guard bytes[4] == hyphen, let value = number(in: bytes, at: 5, digits: 2) else { return nil }
            month = value
        }
        if bytes.count == 10 {
            guard bytes[7] == hyphen, let value = number(in: bytes, at: 8, digits: 2) else { return nil }
            day = value
        }
        return try? PartialDate(year: year, month: month, day: day)
    }

    private static func offsetDateTime(in bytes: UnsafeBufferPointer<UInt8>) -> OffsetDateTime? {
        guard bytes.count >= 16, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
              let date = partialDate(in: UnsafeBufferPointer(rebasing: bytes[0..<10])),
              let hour = number(in: bytes, at: 11, digits: 2), bytes[13] == colon,
              let minute = number(in: bytes, at: 14, digits: 2)
        else { return nil }
        var position = 16
        var second = 0
        if position < bytes.count, bytes[position] == colon {
            guard let value = number(in: bytes, at: position + 1, digits: 2) else { return nil }
            second = value
            position += 3
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {  // a fraction, dropped
                position += 1
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
        }
        guard position < bytes.count else { return nil }
        let offset: Int
        switch bytes[position] {
        case UInt8(ascii: "Z"):
            offset = 0
            position += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = bytes[position] == UInt8(ascii: "-") ? -1 : 1
            guard let hours = number(in: bytes, at: position + 1, digits: 2) else { return nil }
            position += 3
            if position < bytes.count, bytes[position] == colon { position += 1 }
            guard let minutes = number(in: bytes, at: position, digits: 2), hours <= 18, minutes < 60 else { return nil }
            position += 2
            offset = sign * (hours * 3600 + minutes * 60)
        default:
            return nil
        }
        guard position == bytes.count, let day = date.day, let month = date.month else { return nil }
        return try? OffsetDateTime(year: date.year, month: month, day: day, hour: hour, minute: minute, second: second,
                                   offsetSeconds: offset)
    }

    /// The decimal number written in `digits` ASCII digits from `start`; `nil` if any is missing
    /// or not a digit.
    private static func number(in bytes: UnsafeBufferPointer<UInt8>, at start: Int, digits: Int) -> Int? {
        guard start >= 0, start + digits <= bytes.count else { return nil }
        var value = 0
        for position in start..<start + digits {
            guard isDigit(bytes[position]) else { return nil }
            value = value * 10 + Int(bytes[position] - UInt8(ascii: "0"))
        }
        return value
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    private static let hyphen = UInt8(ascii: "-")
    private static let colon = UInt8(ascii: ":")
}
