import PHRStore

/// A relative's age as phr keeps it (`FamilyHistory.onsetAge`, `deceasedAge`: as written) and as
/// FHIR's FamilyMemberHistory gives it (`onsetAge`/`onsetRange`/`onsetString`, the same for
/// `deceased[x]`), both ways, written once so that export → import keeps the text exactly.
///
/// Guarantees: a whole number of years ("45") is an Age in UCUM years, two of them joined by a
/// hyphen ("40-49") a Range, anything else a string as it is; each is read back to the same text.
enum FamilyHistoryAge: Equatable {
    case years(Int64)
    case range(Int64, Int64)
    case words(String)

    /// How `text` is written in FHIR.
    init(_ text: String) {
        if let years = Self.wholeYears(text) {
            self = .years(years)
            return
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 2, let low = Self.wholeYears(parts[0]), let high = Self.wholeYears(parts[1]), low <= high {
            self = .range(low, high)
        } else {
            self = .words(text)
        }
    }

    /// "45" but not "045", "+45" or "45.0": only the text a number of years prints as.
    private static func wholeYears(_ text: String) -> Int64? {
        guard !text.isEmpty, text.count <= 3, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber),
              let number = Int64(text), String(number) == text else { return nil }
        return number
    }

    /// The `prefix`Age / `prefix`Range / `prefix`String member and its value (`onset`, `deceased`).
    func member(_ prefix: String) -> (key: String, value: JSONValue) {
        switch self {
        case .years(let years): return (prefix + "Age", Self.quantity(years).value)
        case .range(let low, let high):
            var range = JSONObjectBuilder()
            range.set("low", Self.quantity(low))
            range.set("high", Self.quantity(high))
            return (prefix + "Range", range.value)
        case .words(let words): return (prefix + "String", .string(words))
        }
    }

    private static func quantity(_ years: Int64) -> JSONObjectBuilder {
        var quantity = JSONObjectBuilder()
        quantity.set("value", years)
        quantity.set("unit", "years")
        quantity.set("system", FHIRVocabulary.ucumSystem)
        quantity.set("code", "a")
        return quantity
    }

    /// The age `element` gives for `prefix` (`onsetAge`, `onsetRange`, `onsetString`) as phr
    /// writes it: "45" for 45 years, "40-49", "6 months", the string as it is; `nil` for none.
    static func read(_ element: FHIRObject, _ prefix: String) throws -> String? {
        if let words = try element.text(prefix + "String") { return words }
        if let age = try element.object(prefix + "Age") { return try text(of: age) }
        if let range = try element.object(prefix + "Range") {
            let low = try range.object("low"), high = try range.object("high")
            if let lowYears = try low.flatMap(years), let highYears = try high.flatMap(years) { return "\(lowYears)-\(highYears)" }
            switch (try low.flatMap(text(of:)), try high.flatMap(text(of:))) {
            case let (low?, high?): return "\(low) to \(high)"
            case let (low?, nil): return "\(low) or older"
            case let (nil, high?): return "up to \(high)"
            case (nil, nil): return nil
            }
        }
        return nil
    }

    /// A whole number of years, when `quantity` is one.
    private static func years(_ quantity: FHIRObject) throws -> Int64? {
        guard let value = try quantity.number("value"), let whole = Int64(exactly: value), whole >= 0 else { return nil }
        let unit = try quantity.text("code") ?? quantity.text("unit")
        guard unit == nil || ["a", "yr", "year", "years", "y"].contains(unit?.lowercased() ?? "") else { return nil }
        return whole
    }

    /// "45" for years, else the number and its unit ("6 mo" reads "6 months").
    private static func text(of quantity: FHIRObject) throws -> String? {
        if let years = try years(quantity) { return String(years) }
        guard let value = try quantity.number("value") else { return nil }
        let unit = try quantity.text("code").flatMap { units[$0] } ?? quantity.text("unit")
        return ResultValue.format(value) + (unit.map { " \($0)" } ?? "")
    }

    private static let units = ["mo": "months", "wk": "weeks", "d": "days", "h": "hours", "min": "minutes"]
}
