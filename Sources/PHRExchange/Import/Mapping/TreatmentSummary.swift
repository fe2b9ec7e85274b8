import PHRStore

/// What mCODE's extensions on a cancer-related procedure say about the treatment, in words for the
/// procedure's source notes: its intent ("Intent: Curative"), why it ended early, and for a radiotherapy
/// course summary its modalities and techniques, number of sessions and the dose delivered to each
/// volume ("Dose: 6000 cGy in 30 fractions to Chest wall").
///
/// Guarantees: only what the extensions say is written, in the order above, one line each; an
/// un-encoded concept (HL7's null flavor `UNC`) reads as its text or not at all; an extension
/// phr does not know, or one without a value, adds nothing.
enum TreatmentSummary {
    static func lines(of procedure: FHIRObject) throws -> [String] {
        var intent: String?, termination: String?, sessions: Int?
        var modalities: [String] = [], doses: [String] = []
        for item in try procedure.objects("extension") {
            guard let url = try item.text("url") else { continue }
            switch url {
            case mcode + "mcode-procedure-intent", mcode + "mcode-treatment-intent":
                intent = try words(item.object("valueCodeableConcept")) ?? intent
            case mcode + "mcode-treatment-termination-reason":
                termination = try words(item.object("valueCodeableConcept")) ?? termination
            case mcode + "mcode-radiotherapy-sessions":
                sessions = try item.int("valueUnsignedInt") ?? sessions
            case mcode + "mcode-radiotherapy-modality-and-technique":
                let modality = try part(item, "modality").flatMap { try words($0.object("valueCodeableConcept")) }
                let technique = try part(item, "technique").flatMap { try words($0.object("valueCodeableConcept")) }
                let described = [modality, technique].compactMap { $0 }
                if !described.isEmpty { modalities.append(described.joined(separator: ", ")) }
            case mcode + "mcode-radiotherapy-dose-delivered-to-volume":
                if let dose = try doseWords(item) { doses.append(dose) }
            default: continue
            }
        }
        var lines: [String] = []
        if let intent { lines.append("Intent: \(intent)") }
        if let termination { lines.append("Ended early: \(termination)") }
        if !modalities.isEmpty { lines.append("Modality and technique: " + modalities.joined(separator: "; ")) }
        if let sessions { lines.append("Sessions: \(sessions)") }
        if !doses.isEmpty { lines.append("Dose: " + doses.joined(separator: "; ")) }
        return lines
    }

    private static let mcode = "http://hl7.org/fhir/us/mcode/StructureDefinition/"

    /// The sub-extension of `item` named `name` (mCODE STU2 and later) or by the full URL earlier
    /// versions gave it (`…/mcode-radiotherapy-modality`).
    private static func part(_ item: FHIRObject, _ name: String) throws -> FHIRObject? {
        try item.objects("extension").first { part in
            guard let url = try part.text("url") else { return false }
            return url == name || url == mcode + "mcode-radiotherapy-" + name
        }
    }

    /// `6000 cGy in 30 fractions to Chest wall`: the total dose, the fractions and the volume's
    /// name (its reference's display), each when given; `nil` when none is.
    private static func doseWords(_ item: FHIRObject) throws -> String? {
        var words = ""
        if let quantity = try part(item, "totalDoseDelivered")?.object("valueQuantity"), let value = try quantity.number("value") {
            let unit = try quantity.text("unit") ?? quantity.text("code")
            words = ResultValue.format(value) + (unit.map { " \($0)" } ?? "")
        }
        if let fractions = try (part(item, "fractionsDelivered") ?? part(item, "fractions-delivered"))?.int("valueUnsignedInt") {
            words += (words.isEmpty ? "" : " in ") + (fractions == 1 ? "1 fraction" : "\(fractions) fractions")
        }
        if let volume = try part(item, "volume")?.reference("valueReference")?.display {
            words += (words.isEmpty ? "" : " to ") + volume
        }
        return words.isEmpty ? nil : words
    }

    /// A concept as people read it, leaving out codings that only say it is un-encoded.
    private static func words(_ concept: FHIRObject?) throws -> String? {
        guard let concept else { return nil }
        if let text = try concept.text("text") { return text }
        let codings = try concept.codings().filter { $0.system != nullFlavorSystem }
        return ClinicalCodes.readableName(codings, preferred: codings.lazy.compactMap(\.display).first)
            ?? codings.lazy.compactMap(\.code).first
    }

    private static let nullFlavorSystem = "http://terminology.hl7.org/CodeSystem/v3-NullFlavor"
}
