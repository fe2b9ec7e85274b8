/// The code systems C-CDA names by OID, with the URI FHIR (and so phr's mappers) knows them by.
enum CCDAVocabulary {
    static let npiRoot = "2.16.840.1.113883.4.6"
    static let interpretationSystem = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
    static let observationCategorySystem = "http://terminology.hl7.org/CodeSystem/observation-category"
    static let ucumSystem = "http://unitsofmeasure.org"

    static let systems: [String: String] = [
        "2.16.840.1.113883.6.96": "http://snomed.info/sct",
        "2.16.840.1.113883.6.1": "http://loinc.org",
        "2.16.840.1.113883.6.88": "http://www.nlm.nih.gov/research/umls/rxnorm",
        "2.16.840.1.113883.6.90": "http://hl7.org/fhir/sid/icd-10-cm",
        "2.16.840.1.113883.6.3": "http://hl7.org/fhir/sid/icd-10",
        "2.16.840.1.113883.6.103": "http://hl7.org/fhir/sid/icd-9-cm",
        "2.16.840.1.113883.6.104": "http://hl7.org/fhir/sid/icd-9-cm",
        "2.16.840.1.113883.6.43.1": "http://terminology.hl7.org/CodeSystem/icd-o-3",
        "2.16.840.1.113883.12.292": "http://hl7.org/fhir/sid/cvx",
        "2.16.840.1.113883.6.69": "http://hl7.org/fhir/sid/ndc",
        "2.16.840.1.113883.4.9": "http://fdasis.nlm.nih.gov",
        "2.16.840.1.113883.6.12": "http://www.ama-assn.org/go/cpt",
        "2.16.840.1.113883.6.4": "http://www.cms.gov/Medicare/Coding/ICD10",
        "2.16.840.1.113883.6.285": "urn:oid:2.16.840.1.113883.6.285",
        "2.16.840.1.113883.6.8": "http://unitsofmeasure.org",
        "2.16.840.1.113883.5.83": interpretationSystem,
        "2.16.840.1.113883.5.4": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
        "2.16.840.1.113883.5.1": "http://terminology.hl7.org/CodeSystem/v3-AdministrativeGender",
        "2.16.840.1.113883.5.112": "http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration",
        "2.16.840.1.113883.3.26.1.1": "http://ncimeta.nci.nih.gov",
        "2.16.840.1.113883.6.259": "https://www.cdc.gov/nhsn/cdaportal/terminology/codesystem/hsloc.html",
        "2.16.840.1.113883.6.101": "http://nucc.org/provider-taxonomy",
    ]

    /// The LOINC codes C-CDA's social history templates fix, by name: documents often give the
    /// code alone.
    static let templateCodeNames = [
        "72166-2": "Tobacco smoking status", "11367-0": "History of tobacco use", "76689-9": "Sex assigned at birth",
        "76690-7": "Sexual orientation", "76691-5": "Gender identity", "82810-3": "Pregnancy status",
    ]

    /// HL7's SecurityObservationType: the code system of a security observation's code.
    static let securityObservationTypeOID = "2.16.840.1.113883.1.11.20457"

    /// HL7 v3 null flavors, in words: why a value is missing.
    static let nullFlavorWords = [
        "NI": "no information", "UNK": "unknown", "ASKU": "asked but unknown", "NAV": "temporarily unavailable",
        "NASK": "not asked", "NA": "not applicable", "MSK": "withheld (masked)", "OTH": "not in the code system used",
        "NINF": "negative infinity", "PINF": "positive infinity", "QS": "sufficient quantity", "NP": "not present",
    ]

    /// The URI of the code system `oid`; `urn:oid:…` for one phr does not know.
    static func system(_ oid: String) -> String { systems[oid] ?? "urn:oid:\(oid)" }

    /// SNOMED CT codes of a severity observation's value.
    static func severity(_ code: String) -> String? {
        switch code {
        case "255604002", "371923003": return "mild"
        case "6736007": return "moderate"
        case "24484000", "371924009", "399166001", "442452003": return "severe"
        default: return nil
        }
    }

    /// The kind and category of an allergy observation's value (the allergy type).
    static func allergyType(_ code: String) -> (kind: String?, category: String?) {
        switch code {
        case "416098002": return ("allergy", "medication")
        case "59037007": return ("intolerance", "medication")
        case "414285001": return ("allergy", "food")
        case "235719002": return ("intolerance", "food")
        case "418471000": return (nil, "food")
        case "419511003": return (nil, "medication")
        case "426232007", "232347008": return ("allergy", "environment")
        case "419199007": return ("allergy", nil)
        default: return (nil, nil)
        }
    }

    /// SNOMED CT's "Problem" and "Clinical finding": negated, a problem observation of either says
    /// there are no known problems (C-CDA's pattern for it), not that one problem was ruled out.
    static let anyProblem: Set<String> = ["55607006", "404684003"]

    /// SNOMED CT's "Drug or medicament" and "Medicinal product": a negated medication activity
    /// naming only one of them, and no medicine, says there are no known medications.
    static let anyMedicine: Set<String> = ["410942007", "763158003"]

    /// The status a problem, allergy or medication status observation gives (SNOMED CT).
    static func clinicalStatus(_ code: String) -> String? {
        switch code {
        case "55561003": return "active"
        case "73425007", "421139008": return "inactive"
        case "413322009": return "resolved"
        default: return nil
        }
    }
}

/// HL7 v3 timestamps (`TS`: `YYYY[MM[DD[HH[MM[SS[.S]]]]]][±ZZzz]`) in FHIR's forms.
///
/// A date keeps its precision; a time keeps its offset. A time without an offset takes the
/// document's (its `effectiveTime`'s), and without that only its date is kept: phr never guesses a
/// time zone.
enum CCDATime {
    static func fhir(_ value: String?, defaultOffset: String?) -> String? {
        guard let value else { return nil }
        // Read as bytes: a document has a time on nearly every entry.
        let bytes = Array(value.utf8)
        func isDigit(_ index: Int) -> Bool { bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9") }
        var index = 0
        while index < bytes.count, isDigit(index) { index += 1 }
        let digits = index
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, isDigit(index) { index += 1 }
        }
        var offset: String?
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let zone = (index + 1)..<bytes.count
            guard zone.count == 4, zone.allSatisfy(isDigit) else { return nil }
            offset = text(bytes, index..<(index + 3)) + ":" + text(bytes, (index + 3)..<(index + 5))
            index = bytes.count
        }
        guard index == bytes.count, [4, 6, 8, 10, 12, 14].contains(digits) else { return nil }
        var result = text(bytes, 0..<4)
        if digits >= 6 { result += "-" + text(bytes, 4..<6) }
        if digits >= 8 { result += "-" + text(bytes, 6..<8) }
        guard digits > 8 else { return result }
        guard let zone = offset ?? defaultOffset else { return result }
        let minute = digits >= 12 ? text(bytes, 10..<12) : "00"
        let second = digits >= 14 ? text(bytes, 12..<14) : "00"
        return result + "T" + text(bytes, 8..<10) + ":" + minute + ":" + second + (zone == "+00:00" ? "Z" : zone)
    }

    private static func text(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    /// The offset a timestamp carries (`+0100` as `+01:00`).
    static func offset(of value: String?) -> String? {
        guard let value, let sign = value.lastIndex(where: { $0 == "+" || $0 == "-" }) else { return nil }
        let zone = value[value.index(after: sign)...]
        guard zone.count == 4, zone.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return "\(value[sign])\(zone.prefix(2)):\(zone.suffix(2))"
    }
}
