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
    /// The element's path from the resource, e.g. `Condition.stage[0]`.
    let path: String

    init(_ fields: [String: Any], place: ImportPlace, path: String) {
        self.fields = fields
        self.place = place
        self.path = path
    }

    func failure(_ key: String?, _ reason: String) -> ImportError {
        .badData(place, "\(key.map { "\(path).\($0)" } ?? path) \(reason)")
    }

    private func raw(_ key: String) -> Any? {
        guard let value = fields[key], !(value is NSNull) else { return nil }
        return value
    }

    func string(_ key: String) throws -> String? {
        guard let value = raw(key) else { return nil }
        guard let text = value as? String else { throw failure(key, "must be a string") }
        return text
    }

    /// A string with its surrounding white space removed; empty reads as `nil`.
    func text(_ key: String) throws -> String? {
        guard let value = try string(key)?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            return nil
        }
        return value
    }

    func strings(_ key: String) throws -> [String] {
        guard let value = raw(key) else { return [] }
        guard let items = value as? [Any] else { throw failure(key, "must be an array of strings") }
        return try items.enumerated().compactMap { index, item in
            if item is NSNull { return nil }
            guard let text = item as? String else { throw failure("\(key)[\(index)]", "must be a string") }
            return text
        }
    }

    func int(_ key: String) throws -> Int? {
        guard let value = raw(key) else { return nil }
        guard !(value is String), let number = value as? NSNumber, let int = Int(exactly: number.doubleValue) else {
            throw failure(key, "must be a whole number")
        }
        return int
    }

    func number(_ key: String) throws -> Double? {
        guard let value = raw(key) else { return nil }
        guard !(value is String), let number = value as? NSNumber else { throw failure(key, "must be a number") }
        return number.doubleValue
    }

    func object(_ key: String) throws -> FHIRObject? {
        guard let value = raw(key) else { return nil }
        guard let object = value as? [String: Any] else { throw failure(key, "must be a JSON object") }
        return FHIRObject(object, place: place, path: "\(path).\(key)")
    }

    /// An array of objects (a single object is accepted as an array of one, as some servers write).
    func objects(_ key: String) throws -> [FHIRObject] {
        guard let value = raw(key) else { return [] }
        if let object = value as? [String: Any] { return [FHIRObject(object, place: place, path: "\(path).\(key)")] }
        guard let items = value as? [Any] else { throw failure(key, "must be an array of JSON objects") }
        return try items.enumerated().compactMap { index, item in
            if item is NSNull { return nil }
            guard let object = item as? [String: Any] else { throw failure("\(key)[\(index)]", "must be a JSON object") }
            return FHIRObject(object, place: place, path: "\(path).\(key)[\(index)]")
        }
    }

    /// A FHIR `date` or `dateTime` as the calendar date it names (the date as written, before any
    /// time zone conversion).
    func date(_ key: String) throws -> PartialDate? {
        guard let text = try string(key) else { return nil }
        do { return try FHIRDate.partialDate(text) } catch { throw failure(key, error.reason) }
    }

    /// A FHIR `dateTime` or `instant`; a date alone means midnight UTC of that day.
    func dateTime(_ key: String) throws -> OffsetDateTime? {
        guard let text = try string(key) else { return nil }
        do { return try FHIRDate.dateTime(text) } catch { throw failure(key, error.reason) }
    }
}

/// FHIR's date formats (R4 `date`, `dateTime`, `instant`) read into phr's dates.
enum FHIRDate {
    static let acceptedForms = "YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with Z or ±hh:mm"

    /// `2019`, `2019-05`, `2019-05-14`, or a dateTime whose date part is kept.
    static func partialDate(_ text: String) throws(FHIRDateError) -> PartialDate {
        if text.utf8.count > 10 {
            let dateTime = try dateTime(text)
            return dateTime.date
        }
        do { return try PartialDate(parsing: text) } catch {
            throw FHIRDateError("is not a real date; FHIR dates are \(acceptedForms)")
        }
    }

    static func dateTime(_ text: String) throws(FHIRDateError) -> OffsetDateTime {
        if text.utf8.count <= 10 {
            let date: PartialDate
            do { date = try PartialDate(parsing: text) } catch {
                throw FHIRDateError("is not a real date; FHIR dates are \(acceptedForms)")
            }
            do {
                return try OffsetDateTime(year: date.year, month: date.month ?? 1, day: date.day ?? 1,
                                          hour: 0, minute: 0, offsetSeconds: 0)
            } catch {
                throw FHIRDateError("is not a real date; FHIR dates are \(acceptedForms)")
            }
        }
        guard text.contains("T") else {
            throw FHIRDateError("is not a date and time; FHIR dates are \(acceptedForms)")
        }
        do { return try OffsetDateTime(parsing: text) } catch {
            throw FHIRDateError("is not a real date and time with a UTC offset; FHIR dates are \(acceptedForms)")
        }
    }
}

/// A FHIR date that is not a real date. `reason` does not repeat the text (it came from a file).
struct FHIRDateError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
