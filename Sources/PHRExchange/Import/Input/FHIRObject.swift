import Foundation
import PHRStore

/// One JSON object of a FHIR resource (the resource itself or an element inside it), read through
/// typed accessors.
///
/// Guarantees: an absent field or `null` reads as `nil` (or an empty array); a field of the wrong
/// JSON type, or a date that is not a real date, throws `ImportError.badData` naming the place and
/// the field's path (`Condition.code.coding[0].system`), never its value.
struct FHIRObject {
    let fields: [String: Any]
    let place: ImportPlace
    /// Where the element sits in its resource.
    private let location: FHIRPath
    /// The element's path from the resource, e.g. `Condition.stage[0]`.
    var path: String { location.description }

    init(_ fields: [String: Any], place: ImportPlace, path: String) {
        self.init(fields, place: place, location: .root(path))
    }

    private init(_ fields: [String: Any], place: ImportPlace, location: FHIRPath) {
        self.fields = fields
        self.place = place
        self.location = location
    }

    func failure(_ key: String?, _ reason: String) -> ImportError {
        .badData(place, "\(key.map { "\(path).\($0)" } ?? path) \(reason)")
    }

    // Each accessor tries the cast it wants first and looks for `null` only when that fails, with
    // `JSONKind.isNull`: `value is NSNull` on a Swift dictionary or array would bridge it to
    // Foundation first, which costs more than the whole rest of reading a resource.

    private static func isNull(_ value: Any) -> Bool { JSONKind.isNull(value) }

    func string(_ key: String) throws -> String? {
        guard let value = fields[key] else { return nil }
        if let text = value as? String { return text }
        if Self.isNull(value) { return nil }
        throw failure(key, "must be a string")
    }

    /// A string with its surrounding white space removed; empty reads as `nil`.
    func text(_ key: String) throws -> String? {
        guard let value = try string(key) else { return nil }
        let trimmed = Self.trimmed(value)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// `text` without leading and trailing ASCII white space (FHIR strings have no other kind to
    /// trim); the same string, uncopied, when there is none.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return text }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        guard isSpace(first) || isSpace(last) else { return text }
        guard let start = utf8.firstIndex(where: { !isSpace($0) }),
              let end = utf8.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[start...end])
    }

    func strings(_ key: String) throws -> [String] {
        guard let value = fields[key] else { return [] }
        guard let items = value as? [Any] else {
            if Self.isNull(value) { return [] }
            throw failure(key, "must be an array of strings")
        }
        var result: [String] = []
        result.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            if let text = item as? String {
                result.append(text)
            } else if !Self.isNull(item) {
                throw failure("\(key)[\(index)]", "must be a string")
            }
        }
        return result
    }

    func int(_ key: String) throws -> Int? {
        guard let value = fields[key] else { return nil }
        if let int = value as? Int { return int }
        if let double = value as? Double, let int = Int(exactly: double) { return int }
        if Self.isNull(value) { return nil }
        throw failure(key, "must be a whole number")
    }

    func number(_ key: String) throws -> Double? {
        guard let value = fields[key] else { return nil }
        if let double = value as? Double { return double }
        if let int = value as? Int { return Double(int) }
        if Self.isNull(value) { return nil }
        throw failure(key, "must be a number")
    }

    func object(_ key: String) throws -> FHIRObject? {
        guard let value = fields[key] else { return nil }
        if let object = value as? [String: Any] { return FHIRObject(object, place: place, location: .member(location, key)) }
        if Self.isNull(value) { return nil }
        throw failure(key, "must be a JSON object")
    }

    /// An array of objects (a single object is accepted as an array of one, as some servers write).
    func objects(_ key: String) throws -> [FHIRObject] {
        guard let value = fields[key] else { return [] }
        // The kinds FHIR input has, told apart without bridging; any other value by casting.
        let array: [Any]?
        switch JSONKind(value) {
        case .array(let items): array = items
        case .object(let object): return [FHIRObject(object, place: place, location: .member(location, key))]
        case .string: throw failure(key, "must be an array of JSON objects")
        case .scalar: array = value as? [Any]
        }
        if let items = array {
            var result: [FHIRObject] = []
            result.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                if let object = item as? [String: Any] {
                    result.append(FHIRObject(object, place: place, location: .element(location, key, index)))
                } else if !Self.isNull(item) {
                    throw failure("\(key)[\(index)]", "must be a JSON object")
                }
            }
            return result
        }
        if let object = value as? [String: Any] { return [FHIRObject(object, place: place, location: .member(location, key))] }
        if Self.isNull(value) { return [] }
        throw failure(key, "must be an array of JSON objects")
    }

    /// A FHIR `date` or `dateTime` as the calendar date it names (the date as written, before any
    /// time zone conversion).
    func date(_ key: String) throws -> PartialDate? {
        guard let text = try string(key) else { return nil }
        do { return try FHIRDate.partialDate(text) } catch { throw failure(key, error.reason) }
    }

    /// A FHIR `date`, `dateTime` or `instant` keeping its precision: a date (`2019`, `2019-05`,
    /// `2019-05-14`) stays a date, a date-time keeps its offset.
    func dateOrTime(_ key: String) throws -> DateOrTime? {
        guard let text = try string(key) else { return nil }
        do {
            if text.utf8.count > 10 { return .dateTime(try FHIRDate.dateTime(text)) }
            return .date(try FHIRDate.partialDate(text))
        } catch { throw failure(key, error.reason) }
    }

    /// A FHIR `dateTime` or `instant`; a date alone means midnight UTC of that day.
    func dateTime(_ key: String) throws -> OffsetDateTime? {
        guard let text = try string(key) else { return nil }
        do { return try FHIRDate.dateTime(text) } catch { throw failure(key, error.reason) }
    }
}

/// FHIR's date formats (R4 `date`, `dateTime`, `instant`) read into phr's dates.
///
/// Accepts `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, and `YYYY-MM-DDThh:mm[:ss[.fraction]]` followed by `Z`
/// or `±hh:mm` (FHIR requires the offset whenever there is a time). Only real dates and times
/// pass (`PartialDate`, `OffsetDateTime` check them). The text is read byte by byte: every
/// imported resource has dates, and going through `Character`s cost more than the rest.
enum FHIRDate {
    static let acceptedForms = "YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with Z or ±hh:mm"

    private struct Parsed {
        var year = 0, month: Int?, day: Int?
        var time: (hour: Int, minute: Int, second: Int, offset: Int)?
    }

    /// `2019`, `2019-05`, `2019-05-14`, or a dateTime whose date part (as written) is kept.
    static func partialDate(_ text: String) throws(FHIRDateError) -> PartialDate {
        let parsed = try parse(text)
        if let time = parsed.time {
            // The time must be real too, even though only the date is kept.
            _ = try offsetDateTime(parsed, time)
        }
        do { return try PartialDate(year: parsed.year, month: parsed.month, day: parsed.day) } catch {
            throw FHIRDateError("is not a real date; FHIR dates are \(acceptedForms)")
        }
    }

    /// A dateTime; a date alone means midnight UTC of its first day.
    static func dateTime(_ text: String) throws(FHIRDateError) -> OffsetDateTime {
        let parsed = try parse(text)
        return try offsetDateTime(parsed, parsed.time ?? (0, 0, 0, 0))
    }

    private static func offsetDateTime(_ parsed: Parsed, _ time: (hour: Int, minute: Int, second: Int, offset: Int))
        throws(FHIRDateError) -> OffsetDateTime {
        do {
            if let day = parsed.day, let month = parsed.month {
                _ = try PartialDate(year: parsed.year, month: month, day: day)
            }
            return try OffsetDateTime(year: parsed.year, month: parsed.month ?? 1, day: parsed.day ?? 1,
                                      hour: time.hour, minute: time.minute, second: time.second,
                                      offsetSeconds: time.offset)
        } catch {
            throw FHIRDateError("is not a real date and time; FHIR dates are \(acceptedForms)")
        }
    }

    private static func parse(_ text: String) throws(FHIRDateError) -> Parsed {
        var copy = text
        let parsed: Parsed? = copy.withUTF8 { bytes -> Parsed? in
            var index = 0
            func number(_ width: Int) -> Int? {
                guard index + width <= bytes.count else { return nil }
                var value = 0
                for offset in 0..<width {
                    let byte = bytes[index + offset]
                    guard byte >= 48, byte <= 57 else { return nil }
                    value = value * 10 + Int(byte - 48)
                }
                index += width
                return value
            }
            func expect(_ byte: UInt8) -> Bool {
                guard index < bytes.count, bytes[index] == byte else { return false }
                index += 1
                return true
            }
            var result = Parsed()
            guard let year = number(4) else { return nil }
            result.year = year
            if index == bytes.count { return result }
            guard expect(45), let month = number(2) else { return nil }
            result.month = month
            if index == bytes.count { return result }
            guard expect(45), let day = number(2) else { return nil }
            result.day = day
            if index == bytes.count { return result }
            guard expect(84), let hour = number(2), expect(58), let minute = number(2) else { return nil }
            var second = 0
            if expect(58) {
                guard let value = number(2) else { return nil }
                second = value
                if expect(46) {
                    let start = index
                    while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
                    guard index > start else { return nil }
                }
            }
            let offset: Int
            if expect(90) {
                offset = 0
            } else if index < bytes.count, bytes[index] == 43 || bytes[index] == 45 {
                let sign = bytes[index] == 45 ? -1 : 1
                index += 1
                guard let hours = number(2), expect(58), let minutes = number(2), hours <= 14, minutes < 60 else {
                    return nil
                }
                offset = sign * (hours * 3600 + minutes * 60)
            } else {
                return nil
            }
            guard index == bytes.count else { return nil }
            result.time = (hour, minute, second, offset)
            return result
        }
        guard let parsed else { throw FHIRDateError("is not a date; FHIR dates are \(acceptedForms)") }
        return parsed
    }
}

/// A FHIR date that is not a real date. `reason` does not repeat the text (it came from a file).
struct FHIRDateError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// An element's path from its resource, kept as steps and written out (`Condition.stage[0]`) only
/// when an error names it: an import reads millions of elements and names almost none, and
/// writing each path out cost more than reading the element.
indirect enum FHIRPath: CustomStringConvertible {
    case root(String)
    case member(FHIRPath, String)
    case element(FHIRPath, String, Int)

    var description: String {
        switch self {
        case .root(let name): return name
        case .member(let parent, let key): return "\(parent).\(key)"
        case .element(let parent, let key, let index): return "\(parent).\(key)[\(index)]"
        }
    }
}
