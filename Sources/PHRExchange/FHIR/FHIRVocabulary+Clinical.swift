import PHRStore

/// The URIs and codes of the clinical content of a packet: the Composition's sections (with the
/// LOINC codes of the International Patient Summary), and the code systems and value sets of
/// Observation, MedicationStatement, AllergyIntolerance, Procedure, Immunization and
/// FamilyMemberHistory.
extension FHIRVocabulary {
    /// A section of the packet's Composition. Each is listed once here, in the order the
    /// Composition gives them; its codings are the IPS LOINC code (when IPS has the section) and
    /// phr's own `packet-section` code.
    public enum Section: String, Sendable, CaseIterable {
        case problems, allergies, medications, results, procedures, immunizations
        case familyHistory = "family-history"
        case socialHistory = "social-history"
        case opinions, appointments, documents

        public var title: String {
            switch self {
            case .allergies: return "Allergies and intolerances"
            case .medications: return "Medications"
            case .problems: return "Diagnoses"
            case .results: return "Results"
            case .procedures: return "Procedures"
            case .immunizations: return "Immunizations"
            case .familyHistory: return "Family history"
            case .socialHistory: return "Social history"
            case .opinions: return "Opinions"
            case .appointments: return "Appointments"
            case .documents: return "Records"
            }
        }

        /// The IPS section code (LOINC) and its display; `nil` for phr's own sections.
        public var loinc: (code: String, display: String)? {
            switch self {
            case .problems: return ("11450-4", "Problem list - Reported")
            case .medications: return ("10160-0", "History of Medication use Narrative")
            case .allergies: return ("48765-2", "Allergies and adverse reactions Document")
            case .results: return ("30954-2", "Relevant diagnostic tests/laboratory data Narrative")
            case .procedures: return ("47519-4", "History of Procedures Document")
            case .immunizations: return ("11369-6", "History of Immunization Narrative")
            case .familyHistory: return ("10157-6", "History of family member diseases Narrative")
            case .socialHistory: return ("29762-2", "Social history Narrative")
            case .opinions, .appointments, .documents: return nil
            }
        }

        /// Whether the section is written, saying why it is empty, when it has no entries (as IPS
        /// requires of medications and allergies); other sections are left out when empty.
        public var isRequired: Bool { self == .medications || self == .allergies }
    }

    /// Composition.section.emptyReason codes.
    public static let emptyReasonSystem = "http://terminology.hl7.org/CodeSystem/list-empty-reason"
    /// Nothing is known to phr (nothing recorded, or nothing in the packet's scope).
    public static let emptyReasonUnavailable = (code: "unavailable", display: "Unavailable")

    public static let snomedSystem = "http://snomed.info/sct"
    public static let ucumSystem = "http://unitsofmeasure.org"
    public static let rxnormSystem = "http://www.nlm.nih.gov/research/umls/rxnorm"
    public static let atcSystem = "http://www.whocc.no/atc"
    public static let cvxSystem = "http://hl7.org/fhir/sid/cvx"
    public static let cptSystem = "http://www.ama-assn.org/go/cpt"
    public static let icd10pcsSystem = "http://www.cms.gov/Medicare/Coding/ICD10"
    public static let uniiSystem = "http://fdasis.nlm.nih.gov"
    public static let icd10System = "http://hl7.org/fhir/sid/icd-10"
    /// FamilyMemberHistory.relationship's codes (MTH, FTH, SIS, …).
    public static let roleCodeSystem = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
    /// FamilyMemberHistory.sex's codes.
    public static let administrativeGenderSystem = "http://hl7.org/fhir/administrative-gender"

    public static let observationCategorySystem = "http://terminology.hl7.org/CodeSystem/observation-category"
    public static let observationInterpretationSystem = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
    public static let allergyClinicalSystem = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
    public static let allergyVerificationSystem = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"
    /// phr's result categories (Observation.category), beside the standard category when one fits:
    /// `laboratory`, `vital-signs`, `tumour-marker`, `biomarker`, `staging`, `performance-status`,
    /// `imaging`, `social-history`, `other`.
    public static let resultCategorySystem = phrBase + "/CodeSystem/result-category"
    /// phr's procedure categories (Procedure.category): `surgery`, `biopsy`, `radiation-therapy`,
    /// `systemic-therapy`, `other`.
    public static let procedureCategorySystem = phrBase + "/CodeSystem/procedure-category"

    /// "No known allergy" (SNOMED CT), the AllergyIntolerance.code IPS uses for that statement, or
    /// of one kind: "No known drug allergy", "No known food allergy", "No known environmental
    /// allergy" (import reads each back: `AbsenceStatement`).
    public static func noKnownAllergy(_ category: Allergy.Category?) -> (code: String, display: String) {
        switch category {
        case .medication?: ("409137002", "No known drug allergy")
        case .food?: ("429625007", "No known food allergy")
        case .environment?: ("428607008", "No known environmental allergy")
        case nil, .biologic?: ("716186003", "No known allergy")
        }
    }

    /// The manifestations of an allergy's reaction as written (`hives; wheezing`): its parts
    /// between semicolons, trimmed. Export writes each as an AllergyIntolerance.reaction
    /// manifestation; import reads a reaction's description as the reaction when it says just these.
    public static func manifestations(in reaction: String) -> [String] {
        reaction.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Extension on Observation: what qualifies the value, as written (`95% of cells`,
    /// `Allred 8/8`), as `valueString`. FHIR has no element for it; the same text also goes in a
    /// `note` for readers that ignore extensions.
    public static let resultDetailExtension = phrBase + "/StructureDefinition/result-detail"
    /// Extension on an Observation.interpretation phr worked out from the value and its range
    /// (`valueBoolean` true): written for the reader, but not reported with the result, so an
    /// import leaves it to the store to work out again.
    public static let impliedInterpretationExtension = phrBase + "/StructureDefinition/interpretation-implied"
    /// Extension on MedicationStatement.dosage: the dose as written (`valueString`), when it is not
    /// a number and a unit that `doseAndRate.doseQuantity` carries exactly (`1-2 tablets`).
    public static let doseTextExtension = phrBase + "/StructureDefinition/dose-text"
    /// What phr's packets write as an Immunization's `occurrenceString` when its date is unknown
    /// (occurrence[x] is required); read back, it is no date, and nothing to note.
    public static let unknownOccurrence = "date unknown"
    /// What phr's packets write as a FamilyMemberHistory's `deceasedString` when whether the
    /// relative has died is unknown (FHIR has no code for it); read back, it is that.
    public static let unknownDeceased = "unknown"

    /// The URI of a result code system (`nil`: a local code of no known system).
    public static func uri(for system: ClinicalResult.CodeSystem) -> String? {
        switch system {
        case .loinc: return loincSystem
        case .snomedCT: return snomedSystem
        case .other: return nil
        }
    }

    public static func uri(for system: Medication.CodeSystem) -> String? {
        switch system {
        case .rxnorm: return rxnormSystem
        case .snomedCT: return snomedSystem
        case .atc: return atcSystem
        case .other: return nil
        }
    }

    public static func uri(for system: Allergy.CodeSystem) -> String? {
        switch system {
        case .rxnorm: return rxnormSystem
        case .snomedCT: return snomedSystem
        case .unii: return uniiSystem
        case .other: return nil
        }
    }

    public static func uri(for system: Procedure.CodeSystem) -> String? {
        switch system {
        case .snomedCT: return snomedSystem
        case .cpt: return cptSystem
        case .icd10pcs: return icd10pcsSystem
        case .other: return nil
        }
    }

    public static func uri(for system: Immunization.CodeSystem) -> String? {
        switch system {
        case .cvx: return cvxSystem
        case .snomedCT: return snomedSystem
        case .other: return nil
        }
    }

    public static func uri(for system: FamilyHistory.CodeSystem) -> String? {
        switch system {
        case .snomedCT: return snomedSystem
        case .icd10: return icd10System
        case .other: return nil
        }
    }

    /// The code system of `uri` among `System`'s, the reverse of one of the `uri(for:)` above, so
    /// that each URI is written once: `codeSystem(forURI: uri, FHIRVocabulary.uri(for:))`.
    public static func codeSystem<System: CaseIterable>(forURI uri: String, _ uriOf: (System) -> String?) -> System? {
        System.allCases.first { uriOf($0) == uri }
    }

    /// The standard Observation.category code of a result category, when one fits (staging and
    /// other have none; phr's own code always goes beside it).
    public static func observationCategory(for category: ClinicalResult.Category) -> (code: String, display: String)? {
        switch category {
        case .laboratory, .tumourMarker, .biomarker: return ("laboratory", "Laboratory")
        case .vitalSigns: return ("vital-signs", "Vital Signs")
        case .imaging: return ("imaging", "Imaging")
        case .socialHistory: return ("social-history", "Social History")
        case .performanceStatus: return ("survey", "Survey")
        case .staging, .other: return nil
        }
    }

    /// Observation.interpretation (v3 ObservationInterpretation) of a result's interpretation.
    public static func interpretationCode(for interpretation: ClinicalResult.Interpretation) -> (code: String, display: String) {
        switch interpretation {
        case .normal: return ("N", "Normal")
        case .high: return ("H", "High")
        case .low: return ("L", "Low")
        case .abnormal: return ("A", "Abnormal")
        case .critical: return ("AA", "Critical abnormal")
        }
    }

    /// MedicationStatement.status of a medication's status.
    public static func medicationStatementStatus(for status: Medication.Status) -> String {
        switch status {
        case .active: return "active"
        case .stopped: return "stopped"
        case .completed: return "completed"
        case .planned: return "intended"
        case .onHold: return "on-hold"
        case .enteredInError: return "entered-in-error"
        }
    }

    /// AllergyIntolerance.clinicalStatus code of an allergy's status.
    public static func allergyClinicalCode(for status: Allergy.Status) -> String {
        status.rawValue
    }

    /// Condition.category of a diagnosis kind: the code and its system (condition-category has
    /// problem-list-item and encounter-diagnosis; health concerns and social findings use the
    /// codes US Core adds to it).
    public static func conditionCategory(for kind: Diagnosis.Kind) -> (system: String, code: String, display: String) {
        switch kind {
        case .problem: return (conditionCategorySystem, "problem-list-item", "Problem List Item")
        case .encounterDiagnosis: return (conditionCategorySystem, "encounter-diagnosis", "Encounter Diagnosis")
        case .healthConcern: return (usCoreConditionCategorySystem, "health-concern", "Health Concern")
        case .socialFinding: return (usCoreConditionCategorySystem, "sdoh", "SDOH")
        }
    }

    public static let usCoreConditionCategorySystem = "http://hl7.org/fhir/us/core/CodeSystem/condition-category"
}
