import PHRStore

/// URIs and codes that import reads besides those export writes: other systems' spellings of the
/// same things, and the list of FHIR R4 resource types (to tell a type phr skips from a typo).
extension FHIRVocabulary {
    public static let npiSystem = "http://hl7.org/fhir/sid/us-npi"
    /// HL7 v2 table 0074, the usual DiagnosticReport.category coding.
    public static let diagnosticServiceSystem = "http://terminology.hl7.org/CodeSystem/v2-0074"
    /// mCODE's extension naming the condition an observation or procedure is about.
    public static let mcodeRelatedConditionExtension = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-related-condition"
    /// mCODE's extensions of a cancer condition: its histology (morphology and behaviour), and the
    /// laterality of a body site.
    public static let mcodeHistologyExtension = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-histology-morphology-behavior"
    public static let mcodeLateralityExtension = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-laterality"

    /// Every resource type of FHIR R4 (4.0.1). A `resourceType` outside this list is an error; one
    /// inside it that phr does not map is counted and skipped.
    public static let r4ResourceTypes: Set<String> = [
        "Account", "ActivityDefinition", "AdverseEvent", "AllergyIntolerance", "Appointment",
        "AppointmentResponse", "AuditEvent", "Basic", "Binary", "BiologicallyDerivedProduct", "BodyStructure",
        "Bundle", "CapabilityStatement", "CarePlan", "CareTeam", "CatalogEntry", "ChargeItem",
        "ChargeItemDefinition", "Claim", "ClaimResponse", "ClinicalImpression", "CodeSystem", "Communication",
        "CommunicationRequest", "CompartmentDefinition", "Composition", "ConceptMap", "Condition", "Consent",
        "Contract", "Coverage", "CoverageEligibilityRequest", "CoverageEligibilityResponse", "DetectedIssue",
        "Device", "DeviceDefinition", "DeviceMetric", "DeviceRequest", "DeviceUseStatement", "DiagnosticReport",
        "DocumentManifest", "DocumentReference", "EffectEvidenceSynthesis", "Encounter", "Endpoint",
        "EnrollmentRequest", "EnrollmentResponse", "EpisodeOfCare", "EventDefinition", "Evidence",
        "EvidenceVariable", "ExampleScenario", "ExplanationOfBenefit", "FamilyMemberHistory", "Flag", "Goal",
        "GraphDefinition", "Group", "GuidanceResponse", "HealthcareService", "ImagingStudy", "Immunization",
        "ImmunizationEvaluation", "ImmunizationRecommendation", "ImplementationGuide", "InsurancePlan", "Invoice",
        "Library", "Linkage", "List", "Location", "Measure", "MeasureReport", "Media", "Medication",
        "MedicationAdministration", "MedicationDispense", "MedicationKnowledge", "MedicationRequest",
        "MedicationStatement", "MedicinalProduct", "MedicinalProductAuthorization",
        "MedicinalProductContraindication", "MedicinalProductIndication", "MedicinalProductIngredient",
        "MedicinalProductInteraction", "MedicinalProductManufactured", "MedicinalProductPackaged",
        "MedicinalProductPharmaceutical", "MedicinalProductUndesirableEffect", "MessageDefinition",
        "MessageHeader", "MolecularSequence", "NamingSystem", "NutritionOrder", "Observation",
        "ObservationDefinition", "OperationDefinition", "OperationOutcome", "Organization",
        "OrganizationAffiliation", "Parameters", "Patient", "PaymentNotice", "PaymentReconciliation", "Person",
        "PlanDefinition", "Practitioner", "PractitionerRole", "Procedure", "Provenance", "Questionnaire",
        "QuestionnaireResponse", "RelatedPerson", "RequestGroup", "ResearchDefinition",
        "ResearchElementDefinition", "ResearchStudy", "ResearchSubject", "RiskAssessment",
        "RiskEvidenceSynthesis", "Schedule", "SearchParameter", "ServiceRequest", "Slot", "Specimen",
        "SpecimenDefinition", "StructureDefinition", "StructureMap", "Subscription", "Substance",
        "SubstanceNucleicAcid", "SubstancePolymer", "SubstanceProtein", "SubstanceReferenceInformation",
        "SubstanceSourceMaterial", "SubstanceSpecification", "SupplyDelivery", "SupplyRequest", "Task",
        "TerminologyCapabilities", "TestReport", "TestScript", "ValueSet", "VerificationResult",
        "VisionPrescription",
    ]

    /// The record kind of a LOINC document type (a DocumentReference's type, a C-CDA document's
    /// code), the reverse of `loinc(for:)`; `nil` for codes phr does not know.
    public static func recordKind(forLOINC code: String) -> Record.Kind? {
        switch code {
        case "11526-1", "60567-5", "60568-3", "22637-3", "22034-1": return .pathologyReport
        case "18748-4", "18726-0", "18782-3", "24627-2", "24606-6": return .imagingReport
        case "11502-2", "26436-6": return .labResult
        case "11488-4", "34117-2", "11506-3", "28570-0", "18842-5", "34746-8", "34111-5": return .consultNote
        case "34133-9": return .other
        case "51852-2", "57133-1": return .letter
        default: return nil
        }
    }

    /// The record kind of a document type: its LOINC code when phr knows it, else the words of its
    /// name (a coding's display, a concept's text, a C-CDA document's `displayName` or title).
    /// LOINC has hundreds of document types and names each by what it is about and what kind of
    /// document it is ("Surgery Consult note", "Surgical pathology study", "Radiology Report"), so
    /// a consult note from any specialty, or a pathology or radiology report under a code phr does
    /// not list, still reaches the doctor as what it is. Pathology is looked for first (a
    /// "Pathology consult note" is the pathologist's). `nil` when neither says.
    public static func recordKind(forDocumentType code: String?, named names: [String?]) -> Record.Kind? {
        if let code, let kind = recordKind(forLOINC: code) { return kind }
        for case let name? in names {
            let words = name.lowercased()
            if words.contains("patholog") || words.contains("cytolog") { return .pathologyReport }
            if words.contains("radiolog") || words.contains("imaging") || words.contains("mammogra") { return .imagingReport }
            if words.contains("consult") { return .consultNote }
            if words.contains("laboratory") { return .labResult }
        }
        return nil
    }

    /// The record kind of a DiagnosticReport category code (HL7 v2-0074, or a LOINC class).
    public static func recordKind(forDiagnosticCategory code: String) -> Record.Kind? {
        switch code.uppercased() {
        case "PAT", "SP", "CP", "OSL", "LP7839-6": return .pathologyReport
        case "RAD", "CT", "RX", "NMR", "NMS", "US", "VUS", "OUS", "CUS", "MG", "LP29684-5": return .imagingReport
        case "LAB", "HM", "CH", "MB", "SR", "BLB", "CG", "IMM", "SER", "TX", "URN", "VR", "MCB", "HLA", "LP7819-8":
            return .labResult
        default: return nil
        }
    }
}
