import PHRStore

/// FHIR R4 data types phr reads, as plain values.

/// A `Coding`.
struct FHIRCoding: Hashable {
    let system: String?
    let code: String?
    let display: String?
}

/// An `Identifier` with a value.
struct FHIRIdentifier: Hashable {
    let system: String?
    let value: String
}

/// A `Reference`: a literal reference, a logical one (identifier), or a display text only.
struct FHIRReference {
    let reference: String?
    let type: String?
    let identifier: FHIRIdentifier?
    let display: String?

    /// What the reference says, as text to keep when it points to nothing phr has.
    var text: String {
        if let reference { return reference }
        if let identifier {
            return "\(type ?? "Resource")?identifier=\(identifier.system.map { $0 + "|" } ?? "")\(identifier.value)"
        }
        return display.map { "display: \($0)" } ?? "(empty reference)"
    }
}

extension FHIRObject {
    /// The codings of this CodeableConcept.
    func codings() throws -> [FHIRCoding] {
        try objects("coding").map {
            FHIRCoding(system: try $0.text("system"), code: try $0.text("code"), display: try $0.text("display"))
        }
    }

    /// The code of this CodeableConcept in `system`, if any.
    func code(in system: String) throws -> String? {
        try codings().first { $0.system == system }?.code
    }

    /// What a person reads for this CodeableConcept: its text, else the first display, else the
    /// first code.
    func conceptText() throws -> String? {
        if let text = try text("text") { return text }
        let codings = try codings()
        return codings.lazy.compactMap(\.display).first ?? codings.lazy.compactMap(\.code).first
    }

    /// The resource's identifiers that have a value.
    func identifiers(_ key: String = "identifier") throws -> [FHIRIdentifier] {
        try objects(key).compactMap { item in
            guard let value = try item.text("value") else { return nil }
            return FHIRIdentifier(system: try item.text("system"), value: value)
        }
    }

    func reference(_ key: String) throws -> FHIRReference? {
        guard let object = try object(key) else { return nil }
        return try object.asReference()
    }

    func references(_ key: String) throws -> [FHIRReference] {
        try objects(key).compactMap { try $0.asReference() }
    }

    /// This object read as a Reference; `nil` when it says nothing at all.
    func asReference() throws -> FHIRReference? {
        let identifier = try object("identifier").flatMap { item -> FHIRIdentifier? in
            guard let value = try item.text("value") else { return nil }
            return FHIRIdentifier(system: try item.text("system"), value: value)
        }
        let reference = FHIRReference(reference: try text("reference"), type: try text("type"),
                                      identifier: identifier, display: try text("display"))
        if reference.reference == nil, reference.identifier == nil, reference.display == nil { return nil }
        return reference
    }

    /// A person's name from `name` (HumanName[]): the official or usual one, else the first; its
    /// `text`, else prefix, given names, family name and suffix.
    func personName() throws -> String? {
        let names = try objects("name")
        var chosen = names.first
        for name in names where ["official", "usual"].contains(try name.text("use") ?? "") {
            chosen = name
            break
        }
        guard let name = chosen else { return nil }
        if let text = try name.text("text") { return text }
        let parts = try name.strings("prefix") + name.strings("given") + [name.text("family")].compactMap { $0 }
            + name.strings("suffix")
        let joined = parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
        return joined.isEmpty ? nil : joined
    }

    /// The first `telecom` of `system` (`phone`, `email`), preferring `work` use; without the
    /// `tel:` or `mailto:` some servers write before it (a URI where FHIR wants the value).
    func contact(_ system: String) throws -> String? {
        let points = try objects("telecom").filter { try $0.text("system") == system }
        var chosen: FHIRObject?
        for point in points where try point.text("use") == "work" {
            chosen = point
            break
        }
        guard let value = try (chosen ?? points.first)?.text("value") else { return nil }
        for scheme in ["tel:", "mailto:"] where value.lowercased().hasPrefix(scheme) {
            let bare = FHIRObject.trimmed(String(value.dropFirst(scheme.count)))
            return bare.isEmpty ? nil : bare
        }
        return value
    }

    /// The first `address` as one line: its `text`, else its lines, city, state, postal code and
    /// country.
    func addressLine() throws -> String? {
        guard let address = try objects("address").first else { return nil }
        if let text = try address.text("text") { return text }
        let parts = try address.strings("line") + [address.text("city"), address.text("state"),
                                                    address.text("postalCode"), address.text("country")].compactMap { $0 }
        let joined = parts.filter { !$0.isEmpty }.joined(separator: ", ")
        return joined.isEmpty ? nil : joined
    }

    /// `note[].text` (Annotation), joined by blank lines.
    func notes(_ key: String = "note") throws -> String? {
        let texts = try objects(key).compactMap { try $0.text("text") }
        return texts.isEmpty ? nil : texts.joined(separator: "\n\n")
    }

    /// A time this element gives only in words, as an age, or as a range of ages, for the choice
    /// `prefix` (`onset` reads `onsetString`, `onsetAge`, `onsetRange`): `childhood`, `age 12 years`,
    /// `age 40–50 years`; `nil` when it gives none of these.
    func timeInWords(_ prefix: String) throws -> String? {
        if let words = try text(prefix + "String") { return words }
        func age(_ quantity: FHIRObject?) throws -> (number: String, unit: String?)? {
            guard let quantity, let value = try quantity.number("value") else { return nil }
            let unit = try quantity.text("code").flatMap { Self.ageUnits[$0] } ?? quantity.text("unit")
            return (ResultValue.format(value), unit)
        }
        if let single = try age(object(prefix + "Age")) {
            return "age \(single.number)" + (single.unit.map { " \($0)" } ?? "")
        }
        if let range = try object(prefix + "Range") {
            let low = try age(range.object("low")), high = try age(range.object("high"))
            guard low != nil || high != nil else { return nil }
            let unit = high?.unit ?? low?.unit
            let span = [low?.number, high?.number].compactMap { $0 }.joined(separator: "–")
            return "age " + (low == nil ? "up to " : high == nil ? "from " : "") + span + (unit.map { " \($0)" } ?? "")
        }
        return nil
    }

    /// UCUM's units of an age, as words.
    private static let ageUnits = ["a": "years", "mo": "months", "wk": "weeks", "d": "days", "h": "hours", "min": "minutes"]

    /// `notes` with `line` added as a paragraph of its own at the end (either may be absent).
    static func notes(_ notes: String?, adding line: String?) -> String? {
        guard let line else { return notes }
        return notes.map { "\($0)\n\n\(line)" } ?? line
    }

    /// The `valueX` of the first extension with `url`, for the given value key (`valueString`).
    func extensionValue(_ url: String, _ valueKey: String) throws -> String? {
        for item in try objects("extension") where try item.text("url") == url {
            return try item.text(valueKey)
        }
        return nil
    }
}
