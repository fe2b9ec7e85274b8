import PHRStore

/// A FHIR Dosage as people say it, for a medication's dose and frequency: `8 mg`, `1–2 tablet`;
/// `twice a day`, `once every 4–6 hours as needed for pain`, `once a week, 12 doses`,
/// `twice a day for 3 days`.
///
/// Guarantees: only what the Dosage says is written (nothing is inferred); a timing phr's own
/// packets write (its code's text) reads back exactly as it was.
enum DosageWords {
    /// The dose: `dose` (MedicationAdministration), else the first `doseAndRate`'s `doseQuantity`,
    /// else its `doseRange`.
    static func dose(_ dosage: FHIRObject?) throws -> String? {
        guard let dosage else { return nil }
        let rate = try dosage.objects("doseAndRate").first
        if let quantity = try dosage.object("dose") ?? rate?.object("doseQuantity") {
            return try quantityText(quantity)
        }
        guard let range = try rate?.object("doseRange") else { return nil }
        let low = try range.object("low"), high = try range.object("high")
        guard let lowNumber = try low?.number("value"), let highNumber = try high?.number("value") else {
            return try low.flatMap(quantityText).map { "at least \($0)" } ?? high.flatMap(quantityText).map { "up to \($0)" }
        }
        let unit = try high?.text("unit") ?? high?.text("code") ?? low?.text("unit") ?? low?.text("code")
        return ResultValue.format(lowNumber) + "–" + ResultValue.format(highNumber) + (unit.map { " \($0)" } ?? "")
    }

    /// How often: the timing's code (its text or display, else an HL7 abbreviation spelled out:
    /// `BID` twice a day), else its repeat (times per period, each perhaps a range; the number of
    /// doses; how long), then when it is taken only as needed (and for what).
    static func frequency(_ dosage: FHIRObject?) throws -> String? {
        guard let dosage else { return nil }
        var parts: [String] = []
        if let timing = try dosage.object("timing") {
            if let code = try timing.object("code") {
                let codings = try code.codings()
                if let words = try code.text("text") ?? codings.lazy.compactMap(\.display).first
                    ?? codings.lazy.compactMap({ $0.code.flatMap { abbreviations[$0] } }).first ?? code.conceptText() {
                    parts.append(words)
                }
            } else if let repeating = try timing.object("repeat") {
                parts += try repeatWords(repeating)
            }
        }
        if let reason = try dosage.object("asNeededCodeableConcept")?.conceptText() {
            parts.append("as needed for \(reason)")
        } else if dosage.fields["asNeededBoolean"] as? Bool == true {
            parts.append("as needed")
        }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// A Timing.repeat: `once every 4–6 hours`, `, 12 doses`, `for 3 days`.
    private static func repeatWords(_ repeating: FHIRObject) throws -> [String] {
        var parts: [String] = []
        let period = try repeating.number("period")
        let unit = try repeating.text("periodUnit")
        // FHIR's frequency is 1 when a period is given without one.
        if let frequency = try repeating.int("frequency") ?? (period != nil ? 1 : nil) {
            var times = frequency == 1 ? "once" : frequency == 2 ? "twice" : "\(frequency) times"
            if let most = try repeating.int("frequencyMax"), most > frequency { times = "\(frequency)–\(most) times" }
            if let period, let unit {
                let word = timeUnitWords[unit] ?? unit
                let most = try repeating.number("periodMax").flatMap { $0 > period ? $0 : nil }
                if period == 1, most == nil {
                    parts.append("\(times) a \(word)")
                } else {
                    let span = ResultValue.format(period) + (most.map { "–" + ResultValue.format($0) } ?? "")
                    parts.append("\(times) every \(span) \(word)s")
                }
            } else {
                parts.append(times)
            }
        }
        if let count = try repeating.int("count") {
            if parts.isEmpty { parts.append(count == 1 ? "1 dose" : "\(count) doses") } else { parts[parts.count - 1] += ", \(count) doses" }
        }
        if let duration = try repeating.object("boundsDuration"), let value = try duration.number("value") {
            let unit = try duration.text("code").flatMap { timeUnitWords[$0] }.map { value == 1 ? $0 : $0 + "s" }
                ?? duration.text("unit")
            parts.append("for " + ResultValue.format(value) + (unit.map { " \($0)" } ?? ""))
        }
        return parts
    }

    /// A Quantity as `8 mg` (its unit as written, else its code); `nil` without a number.
    private static func quantityText(_ quantity: FHIRObject) throws -> String? {
        guard let number = try quantity.number("value") else { return nil }
        let unit = try quantity.text("unit") ?? quantity.text("code")
        return ResultValue.format(number) + (unit.map { " \($0)" } ?? "")
    }

    /// FHIR's units of time (UCUM), as words: `d` is a day.
    private static let timeUnitWords = ["s": "second", "min": "minute", "h": "hour", "d": "day", "wk": "week",
                                        "mo": "month", "a": "year"]

    /// HL7's timing abbreviations (v3 GTSAbbreviation), spelled out.
    private static let abbreviations = [
        "QD": "once a day", "BID": "twice a day", "TID": "3 times a day", "QID": "4 times a day",
        "QOD": "every other day", "AM": "every morning", "PM": "every evening", "BED": "at bedtime",
        "WK": "once a week", "MO": "once a month", "Q1H": "every hour", "Q2H": "every 2 hours", "Q3H": "every 3 hours",
        "Q4H": "every 4 hours", "Q6H": "every 6 hours", "Q8H": "every 8 hours",
    ]
}
