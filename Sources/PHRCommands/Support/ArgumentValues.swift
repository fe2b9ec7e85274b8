import ArgumentParser
import PHRStore

// How enumerations of the store are typed on the command line. Each accepts its stored value and
// the short forms people use; `allValueStrings` is what `--help` and error messages list.

extension Diagnosis.CodeSystem: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "icd10", "icd-10", "icd10cm", "icd-10-cm": self = .icd10cm
        case "icd-o-3", "icdo3", "icd-o", "icdo": self = .icdO3
        case "snomed", "snomed-ct", "snomedct", "sct": self = .snomedCT
        default: return nil
        }
    }

    public static var allValueStrings: [String] { ["icd10", "icd-o-3", "snomed"] }

    /// The system a code's shape gives away, when it is unambiguous: `C50.912` is ICD-10-CM,
    /// `8500/3` ICD-O-3 morphology, all digits SNOMED CT.
    static func guess(fromCode code: String) -> Diagnosis.CodeSystem? {
        let scalars = Array(code.uppercased().unicodeScalars)
        let isDigit = { (s: Unicode.Scalar) in ("0"..."9").contains(s) }
        if scalars.count >= 3, ("A"..."Z").contains(scalars[0]), isDigit(scalars[1]),
           scalars.dropFirst(2).allSatisfy({ isDigit($0) || ("A"..."Z").contains($0) || $0 == "." }) {
            return .icd10cm
        }
        if scalars.count == 6, scalars[4] == "/", scalars.enumerated().allSatisfy({ $0.offset == 4 || isDigit($0.element) }) {
            return .icdO3
        }
        if scalars.count >= 6, scalars.allSatisfy(isDigit) { return .snomedCT }
        return nil
    }
}

extension Diagnosis.Status: ExpressibleByArgument {}
extension Diagnosis.Kind: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "problem", "condition", "medical": self = .problem
        case "social", "social-finding", "finding": self = .socialFinding
        case "concern", "health-concern": self = .healthConcern
        case "encounter", "encounter-diagnosis": self = .encounterDiagnosis
        default: return nil
        }
    }

    public static var allValueStrings: [String] { Diagnosis.Kind.allCases.map(\.rawValue) }
}
extension Appointment.Purpose: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "second-opinion", "second opinion", "secondopinion", "2nd-opinion": self = .secondOpinion
        case "follow-up", "followup", "follow up": self = .followUp
        // A third, tie-breaking opinion is a second opinion (compare counts it as one).
        case "third-opinion", "third opinion", "3rd-opinion", "tie-break", "tiebreak", "tie-breaker": self = .secondOpinion
        case "surgery", "chemotherapy", "chemo", "radiation", "radiotherapy", "infusion": self = .treatment
        case "scan", "imaging", "lab", "labs", "biopsy", "blood-test": self = .test
        case "consult", "visit": self = .consultation
        default: self.init(rawValue: argument.lowercased())
        }
    }

    /// The values, then the aliases (listed so that help, errors and completions show them).
    public static var allValueStrings: [String] {
        allCases.map(\.rawValue) + ["third-opinion", "tie-break", "surgery", "chemotherapy", "radiation", "scan", "biopsy", "consult"]
    }
}
extension Appointment.Status: ExpressibleByArgument {
    // Given directly, as OutputFormat's are: `appointment list` reads them at every start.
    public static var allValueStrings: [String] { allCases.map { $0.rawValue } }
    public static var allValueDescriptions: [String: String] { [:] }
    public var defaultValueDescription: String { rawValue }
}
extension Appointment.Insurance: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "not-needed", "none", "not-required", "no": self = .notNeeded
        default: self.init(rawValue: argument.lowercased())
        }
    }

    /// The values, then the aliases (listed so that help, errors and completions show them).
    public static var allValueStrings: [String] { allCases.map(\.rawValue) + ["none", "no"] }
}
extension Opinion.Agreement: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "agrees", "agree", "yes": self = .agrees
        case "partly", "partial", "partially", "partly-agrees": self = .partly
        case "differs", "differ", "disagrees", "no": self = .differs
        default: return nil
        }
    }

    /// The values, then the aliases (listed so that help, errors and completions show them).
    public static var allValueStrings: [String] { ["agrees", "partly", "differs", "agree", "disagrees"] }
}
extension Record.Kind: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "pathology", "path": self = .pathologyReport
        case "slides", "blocks", "pathology-blocks": self = .pathologySlides
        case "imaging", "radiology": self = .imagingReport
        case "images", "dicom", "scan": self = .imagingStudy
        case "lab", "labs": self = .labResult
        case "consult", "note", "notes": self = .consultNote
        case "xray", "x-ray", "ct", "mri", "pet", "ultrasound", "mammogram": self = .imagingReport
        default: self.init(rawValue: argument.lowercased())
        }
    }

    /// The values, then the aliases (listed so that help, errors and completions show them).
    public static var allValueStrings: [String] {
        allCases.map(\.rawValue) + ["pathology", "slides", "imaging", "xray", "ct", "mri", "images", "lab", "consult"]
    }
}
