import PHRStore

/// A FHIR Dosage as people say it, for a medication's dose and frequency: `8 mg`, `1–2 tablet`;
/// `twice a day`, `once every 4–6 hours as needed for pain`, `once a week, 12 doses`,
/// `twice a day for 3 days`, `once a day on Monday and Thursday`, `at 08:00 and 20:00`,
/// `once a day 30 minutes before breakfast`.
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
    /// `BID` twice a day), else its repeat (times per period, each perhaps a range; the days of
    /// the week, times of day and events such as meals or bedtime; the number of doses; how
    /// long), then when it is taken only as needed (and for what).
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

    /// The dosages after the first, in words for the instructions: `then 2 mg twice a day for 3
    /// days` (a later step, as a taper gives them), `and 10 mg at bedtime` (a dosage of the same
    /// `sequence` as the one before it). Each is its text, else its dose, route and frequency;
    /// one that says none of these is left out.
    static func laterSteps(_ dosages: [FHIRObject]) throws -> [String] {
        var steps: [String] = []
        var previous = try dosages.first?.int("sequence")
        for dosage in dosages.dropFirst() {
            let sequence = try dosage.int("sequence")
            let words = try dosage.text("text") ?? inWords(dosage)
            defer { previous = sequence }
            guard let words else { continue }
            // A text that already says how it follows ("Then 2 mg daily") keeps its own word.
            let lowered = words.lowercased()
            if lowered.hasPrefix("then ") || lowered.hasPrefix("and ") {
                steps.append(words)
            } else {
                steps.append((sequence != nil && sequence == previous ? "and " : "then ") + words)
            }
        }
        return steps
    }

    /// A dosage's dose, route and frequency in one line (`2 mg by mouth twice a day`); `nil` when
    /// it gives none.
    static func inWords(_ dosage: FHIRObject) throws -> String? {
        let parts = [try dose(dosage), try dosage.object("route")?.conceptText(), try frequency(dosage)].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// A Timing.repeat: `once every 4–6 hours`, `on Monday and Thursday`, `at 08:00 and 20:00`,
    /// `30 minutes before breakfast`, `, 12 doses`, `for 3 days`.
    private static func repeatWords(_ repeating: FHIRObject) throws -> [String] {
        var parts: [String] = []
        var period = try repeating.number("period")
        var most = try repeating.number("periodMax").flatMap { most in period.flatMap { most > $0 ? most : nil } }
        var unit = try repeating.text("periodUnit")
        // Less than one of a unit reads in the next smaller one: 0.5 d is every 12 hours.
        if let shorter = unit.flatMap({ smallerUnit[$0] }), let value = period, value < 1,
           (value * shorter.factor) == (value * shorter.factor).rounded() {
            period = value * shorter.factor
            most = most.map { $0 * shorter.factor }
            unit = shorter.unit
        }
        // FHIR's frequency is 1 when a period is given without one.
        if let frequency = try repeating.int("frequency") ?? (period != nil ? 1 : nil) {
            var times = frequency == 1 ? "once" : frequency == 2 ? "twice" : "\(frequency) times"
            if let most = try repeating.int("frequencyMax"), most > frequency { times = "\(frequency)–\(most) times" }
            if let period, let unit {
                let word = timeUnitWords[unit] ?? unit
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
        let days = try repeating.strings("dayOfWeek").compactMap { dayNames[$0] }
        if !days.isEmpty { parts.append("on " + Wording.list(days)) }
        // "08:00:00" is said "08:00".
        let times = try repeating.strings("timeOfDay").map { $0.hasSuffix(":00") && $0.count == 8 ? String($0.prefix(5)) : $0 }
        if !times.isEmpty { parts.append("at " + Wording.list(times)) }
        let offset = try repeating.int("offset")
        let events = try repeating.strings("when").compactMap { eventWords($0, offsetMinutes: offset) }
        if !events.isEmpty { parts.append(Wording.list(events)) }
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

    /// An event timing (`AC`, `HS`, `MORN`) in words, with its offset in minutes where the words
    /// can carry it: `30 minutes before breakfast`, `1 hour after meals`, `30 minutes after waking`.
    /// `nil` for a code FHIR does not define.
    private static func eventWords(_ code: String, offsetMinutes: Int?) -> String? {
        let meals = ["": "meals", "M": "breakfast", "D": "lunch", "V": "dinner"]
        let offset = offsetMinutes.flatMap { $0 > 0 ? $0 : nil }.map { minutes in
            minutes % 60 == 0 ? (minutes == 60 ? "1 hour" : "\(minutes / 60) hours") : "\(minutes) minutes"
        }
        for (prefix, relation) in [("AC", "before"), ("PC", "after"), ("C", "with")] where code.hasPrefix(prefix) {
            guard let meal = meals[String(code.dropFirst(prefix.count))] else { continue }
            // FHIR: an offset is after the event unless its code says before.
            if let offset { return "\(offset) \(relation == "with" ? "after" : relation) \(meal)" }
            return "\(relation) \(meal)"
        }
        switch code {
        case "HS": return offset.map { "\($0) after bedtime" } ?? "at bedtime"
        case "WAKE": return offset.map { "\($0) after waking" } ?? "on waking"
        default: return dayPartWords[code]
        }
    }

    /// FHIR's event timings for parts of the day.
    private static let dayPartWords = [
        "MORN": "in the morning", "MORN.early": "early in the morning", "MORN.late": "late in the morning",
        "NOON": "at noon", "AFT": "in the afternoon", "AFT.early": "early in the afternoon", "AFT.late": "late in the afternoon",
        "EVE": "in the evening", "EVE.early": "early in the evening", "EVE.late": "late in the evening",
        "NIGHT": "at night", "PHS": "after sleep",
    ]

    /// FHIR's days of the week.
    private static let dayNames = ["mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
                                   "fri": "Friday", "sat": "Saturday", "sun": "Sunday"]

    /// For a period shorter than one of its unit: the unit below and how many of it make one.
    private static let smallerUnit: [String: (unit: String, factor: Double)] = ["d": ("h", 24), "h": ("min", 60), "min": ("s", 60)]

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
