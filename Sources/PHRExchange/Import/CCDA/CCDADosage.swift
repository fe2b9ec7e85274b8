import PHRStore

/// A C-CDA medication activity's sig (its text, route, dose, timing and precondition) as the FHIR
/// Dosage that `DosageWords` reads.
///
/// Guarantees: only what the entry says is written. A period the institution may place
/// (`institutionSpecified`, "every 6 hours" meaning four times in the day) becomes times a day
/// when it divides a day; an event ("HS", at bedtime) becomes `when`, with its offset in minutes;
/// a precondition becomes "as needed", for what its criterion names when it names something.
extension CCDABundleBuilder {
    func dosage(of statement: XMLTreeElement) -> [String: Any]? {
        var dosage: [String: Any] = [:]
        if let text = resolved(statement.child("text")) { dosage["text"] = text }
        if var route = concept(statement.child("routeCode")) {
            // FDA's route names (NCI Thesaurus) end in words that say nothing: "Oral Route of
            // Administration" reads "oral". The coding keeps the display as written.
            let suffix = " route of administration"
            if let text = route["text"] as? String, text.lowercased().hasSuffix(suffix), text.count > suffix.count {
                route["text"] = String(text.dropLast(suffix.count)).lowercased()
            }
            dosage["route"] = route
        }
        if var dose = Self.quantity(statement.child("doseQuantity")) {
            // A dose without a unit counts the administration unit ("2", a puff each).
            if dose["unit"] == nil, let unit = statement.child("administrationUnitCode")?.attribute("displayName") {
                dose["unit"] = unit.lowercased()
            }
            dosage["doseAndRate"] = [["doseQuantity": dose]]
        }
        var repeating: [String: Any] = [:]
        for time in statement.children("effectiveTime") {
            if let period = Self.period(time) {
                repeating.merge(period) { first, _ in first }
            } else if let event = Self.event(time) {
                repeating.merge(event) { first, _ in first }
            }
        }
        if !repeating.isEmpty { dosage["timing"] = ["repeat": repeating] }
        if let criterion = statement.children("precondition").lazy.compactMap({ $0.child("criterion") }).first {
            if let reason = concept(criterion.child("value")) {
                dosage["asNeededCodeableConcept"] = reason
            } else {
                dosage["asNeededBoolean"] = true
            }
        }
        return dosage.isEmpty ? nil : dosage
    }

    /// A PIVL_TS as a Timing.repeat: once per period (a range of periods, "every 4 to 6 hours",
    /// is one from its low to its high), or, when the institution places the doses and the period
    /// divides a day, that many times a day.
    private static func period(_ time: XMLTreeElement) -> [String: Any]? {
        guard let period = time.child("period") else { return nil }
        if period.attribute("value") == nil, let low = period.child("low"),
           let value = low.attribute("value").flatMap(Double.init), value > 0,
           let unit = timeUnits[low.attribute("unit") ?? "h"] {
            var repeating: [String: Any] = ["frequency": 1, "period": value, "periodUnit": unit]
            if let high = period.child("high"), (high.attribute("unit") ?? "h") == unit,
               let most = high.attribute("value").flatMap(Double.init), most > value {
                repeating["periodMax"] = most
            }
            return repeating
        }
        guard let value = period.attribute("value").flatMap(Double.init), value > 0,
              let unit = timeUnits[period.attribute("unit") ?? "h"] else { return nil }
        if time.attribute("institutionSpecified") == "true", let seconds = secondsPerUnit[unit] {
            let perDay = 86_400 / (value * seconds)
            if perDay >= 1, perDay == perDay.rounded(), perDay <= 24 {
                return ["frequency": Int(perDay), "period": 1, "periodUnit": "d"]
            }
        }
        return ["frequency": 1, "period": value, "periodUnit": unit]
    }

    /// An EIVL_TS as a Timing.repeat's `when` (HL7 v3's timing events are FHIR's event timings),
    /// and its offset in whole minutes.
    private static func event(_ time: XMLTreeElement) -> [String: Any]? {
        guard let code = time.child("event")?.attribute("code"), eventCodes.contains(code) else { return nil }
        var repeating: [String: Any] = ["when": [code]]
        if let offset = time.child("offset"), let bound = offset.attribute("value") != nil ? offset : offset.child("low") ?? offset.child("center"),
           let value = bound.attribute("value").flatMap(Double.init), let unit = timeUnits[bound.attribute("unit") ?? "min"],
           let seconds = secondsPerUnit[unit] {
            let minutes = value * seconds / 60
            // Whole minutes, within a week: anything else is no offset a dose keeps.
            if minutes > 0, minutes <= 10_080, minutes == minutes.rounded() { repeating["offset"] = Int(minutes) }
        }
        return repeating
    }

    /// UCUM's units of time that FHIR's Timing allows.
    private static let timeUnits = ["s": "s", "min": "min", "h": "h", "d": "d", "wk": "wk", "mo": "mo", "a": "a"]

    /// Fixed lengths, for the units that have one.
    private static let secondsPerUnit: [String: Double] = ["s": 1, "min": 60, "h": 3_600, "d": 86_400, "wk": 604_800]

    /// HL7 v3 TimingEvent codes that FHIR's event-timing shares.
    private static let eventCodes: Set<String> = [
        "HS", "WAKE", "C", "CM", "CD", "CV", "AC", "ACM", "ACD", "ACV", "PC", "PCM", "PCD", "PCV",
    ]
}
