/// The C-CDA sections phr maps, each known by its templateIds (R2.1, R1.1 and the C32/CCD R1
/// ones, extensions ignored) and its LOINC section codes; sections that hold the same entries
/// (discharge medications, admission and discharge diagnoses) count as the section they are like.
/// The one registry of sections: the reader and the summary derive from it.
enum CCDASection: String, CaseIterable, Sendable {
    case problems = "Problems"
    case medications = "Medications"
    case allergies = "Allergies"
    case results = "Results"
    case vitalSigns = "Vital signs"
    case procedures = "Procedures"
    case encounters = "Encounters"
    case immunizations = "Immunizations"
    case familyHistory = "Family history"
    case socialHistory = "Social history"
    case planOfTreatment = "Plan of treatment"

    var templateIDs: [String] {
        let base = "2.16.840.1.113883.10.20.22.2."
        switch self {
        case .problems:
            // Problem list; hospital admission and discharge diagnoses.
            return [base + "5", base + "5.1", "2.16.840.1.113883.10.20.1.11", base + "43", base + "24"]
        case .medications:
            // Medications; discharge medications.
            return [base + "1", base + "1.1", "2.16.840.1.113883.10.20.1.8", base + "11", base + "11.1"]
        case .allergies: return [base + "6", base + "6.1", "2.16.840.1.113883.10.20.1.2"]
        case .results: return [base + "3", base + "3.1", "2.16.840.1.113883.10.20.1.14"]
        case .vitalSigns: return [base + "4", base + "4.1", "2.16.840.1.113883.10.20.1.16"]
        case .procedures: return [base + "7", base + "7.1", "2.16.840.1.113883.10.20.1.12"]
        case .encounters: return [base + "22", base + "22.1", "2.16.840.1.113883.10.20.1.3"]
        case .immunizations: return [base + "2", base + "2.1", "2.16.840.1.113883.10.20.1.6"]
        case .familyHistory: return [base + "15", "2.16.840.1.113883.10.20.1.4"]
        case .socialHistory: return [base + "17", "2.16.840.1.113883.10.20.1.15"]
        case .planOfTreatment: return [base + "10", "2.16.840.1.113883.10.20.1.10"]
        }
    }

    /// The section's LOINC code, then the codes of the sections counted as it.
    var loincCodes: [String] {
        switch self {
        case .problems: return ["11450-4", "46241-6", "11535-2"]
        case .medications: return ["10160-0", "10183-2", "75311-1"]
        default: return [loincCode]
        }
    }

    var loincCode: String {
        switch self {
        case .problems: return "11450-4"
        case .medications: return "10160-0"
        case .allergies: return "48765-2"
        case .results: return "30954-2"
        case .vitalSigns: return "8716-3"
        case .procedures: return "47519-4"
        case .encounters: return "46240-8"
        case .immunizations: return "11369-6"
        case .familyHistory: return "10157-6"
        case .socialHistory: return "29762-2"
        case .planOfTreatment: return "18776-5"
        }
    }

    private static let byTemplate: [String: CCDASection] = Dictionary(
        allCases.flatMap { section in section.templateIDs.map { ($0, section) } }, uniquingKeysWith: { first, _ in first })
    private static let byCode: [String: CCDASection] = Dictionary(
        allCases.flatMap { section in section.loincCodes.map { ($0, section) } }, uniquingKeysWith: { first, _ in first })

    /// The section a `<section>` element is, by templateId first, else by its LOINC code.
    static func of(_ section: XMLTreeElement) -> CCDASection? {
        for template in section.children("templateId") {
            if let root = template.attribute("root"), let found = byTemplate[root] { return found }
        }
        if let code = section.child("code")?.attribute("code") { return byCode[code] }
        return nil
    }
}

/// What the C-CDA documents of an import held in one kind of section: how many such sections,
/// the entries read in them, the resources made from those entries and the entries that made
/// none.
public struct CCDASectionCounts: Sendable, Hashable {
    public var sections = 0
    public var entries = 0
    public var resources = 0
    public var entriesNotRead = 0
    public init() {}
}

/// An entry of a section phr maps that made nothing: where it is and why. Its words stay in the
/// document's record (the file is kept whole).
public struct CCDAEntryNotRead: Sendable, Hashable {
    /// `file:line`, the line its `<entry>` tag is on.
    public let place: String
    /// The section's name (`Results`).
    public let section: String
    public let reason: String
}

/// Why the statements of an entry make nothing on purpose; an entry that makes nothing for no
/// such reason had nothing phr can read.
enum CCDAEntrySkip {
    /// It only says that there is no information (`nullFlavor` on the statement).
    case noInformation
    /// A planned observation among results: a test ordered, not a result.
    case plannedTest
    /// A privacy label (HL7 security observation): about the document, not the patient.
    case privacyLabel
    /// An order or instruction in the plan of treatment: kept in the plan's note, so not listed.
    case keptInPlanNote

    /// The words the import summary gives; nil for an entry kept elsewhere (not listed).
    var reason: String? {
        switch self {
        case .noInformation: return "says only that there is no information (nullFlavor)"
        case .plannedTest: return "a test ordered, not a result"
        case .privacyLabel: return "a privacy label of the document, not about the patient"
        case .keptInPlanNote: return nil
        }
    }

    static let unreadable = "nothing phr can read in it (no code, name or value)"
}
