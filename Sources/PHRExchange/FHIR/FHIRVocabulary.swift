import PHRStore

/// The FHIR R4 URIs and codes phr writes and reads. Export and import both use this one table, so
/// a packet phr writes comes back whole when imported. The README documents phr's own URIs.
public enum FHIRVocabulary {
    /// phr's own namespace for its extension and code systems (`.invalid` never resolves).
    public static let phrBase = "http://phr.invalid/fhir"

    /// Extension on ClinicalImpression: how this opinion compares with the earlier ones on the same
    /// diagnosis. `valueCode` is one of `first`, `agrees`, `partly`, `differs`.
    public static let agreementExtension = phrBase + "/StructureDefinition/opinion-agreement"
    /// Extension on ClinicalImpression: the stage this provider gave (`valueString`).
    public static let opinionStageExtension = phrBase + "/StructureDefinition/opinion-stage"
    /// Extension on ClinicalImpression: the recommended treatment (`valueString`), besides `summary`.
    public static let recommendationExtension = phrBase + "/StructureDefinition/opinion-recommendation"
    /// Extension on DocumentReference and Appointment: what the source of a record or appointment
    /// said of it that has no field of its own (`valueString`: a report's conclusion, where its file
    /// is kept, a visit's comment), as phr keeps it in their source notes. Neither resource has a
    /// `note`; Appointment's `comment` holds phr's location and insurance pre-approval.
    public static let sourceNotesExtension = phrBase + "/StructureDefinition/source-notes"
    /// phr's record kinds, as DocumentReference.category codings.
    public static let recordKindSystem = phrBase + "/CodeSystem/record-kind"
    /// phr's appointment purposes, as Appointment.serviceType codings.
    public static let appointmentPurposeSystem = phrBase + "/CodeSystem/appointment-purpose"
    /// Identifier system of phr's stable UUIDs.
    public static let uuidIdentifierSystem = "urn:ietf:rfc:3986"
    /// HL7 v2 identifier types (Identifier.type): a patient's record number is `MR`.
    public static let identifierTypeSystem = "http://terminology.hl7.org/CodeSystem/v2-0203"
    public static let medicalRecordNumber = (code: "MR", display: "Medical record number")

    public static let conditionVerificationSystem = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
    public static let conditionClinicalSystem = "http://terminology.hl7.org/CodeSystem/condition-clinical"
    public static let loincSystem = "http://loinc.org"

    /// The URI of a diagnosis code system.
    public static func uri(for system: Diagnosis.CodeSystem) -> String {
        switch system {
        case .icd10cm: return "http://hl7.org/fhir/sid/icd-10-cm"
        case .icdO3: return "http://terminology.hl7.org/CodeSystem/icd-o-3"
        case .snomedCT: return "http://snomed.info/sct"
        }
    }

    /// The diagnosis code system of a URI (also accepting common variants).
    public static func codeSystem(forURI uri: String) -> Diagnosis.CodeSystem? {
        switch uri.lowercased() {
        case "http://hl7.org/fhir/sid/icd-10-cm", "http://hl7.org/fhir/sid/icd-10", "urn:oid:2.16.840.1.113883.6.90":
            return .icd10cm
        case "http://terminology.hl7.org/codesystem/icd-o-3", "urn:oid:2.16.840.1.113883.6.43.1":
            return .icdO3
        case "http://snomed.info/sct", "urn:oid:2.16.840.1.113883.6.96":
            return .snomedCT
        default:
            return nil
        }
    }

    /// LOINC document type of each record kind (DocumentReference.type), with its display.
    public static func loinc(for kind: Record.Kind) -> (code: String, display: String) {
        switch kind {
        case .pathologyReport: return ("11526-1", "Pathology study")
        case .pathologySlides: return ("11526-1", "Pathology study")
        case .imagingReport: return ("18748-4", "Diagnostic imaging study")
        case .imagingStudy: return ("18748-4", "Diagnostic imaging study")
        case .labResult: return ("11502-2", "Laboratory report")
        case .consultNote: return ("11488-4", "Consult note")
        case .letter: return ("51852-2", "Letter")
        case .other: return ("34133-9", "Summary of episode note")
        }
    }

    // MARK: Written by the packet export (issue 4)

    public static let conditionCategorySystem = "http://terminology.hl7.org/CodeSystem/condition-category"
    /// Extension on Composition: the provider the packet was prepared for (`valueReference`).
    public static let packetRecipientExtension = phrBase + "/StructureDefinition/packet-recipient"
    /// phr's codes for the packet's Composition sections: `problems`, `opinions`, `appointments`,
    /// `documents`.
    public static let packetSectionSystem = phrBase + "/CodeSystem/packet-section"
    /// The packet's Composition.type (LOINC).
    public static let packetDocumentType = (code: "60591-5", display: "Patient summary Document")

    /// Condition.verificationStatus code of a diagnosis status.
    public static func conditionVerificationCode(for status: Diagnosis.Status) -> String {
        switch status {
        case .suspected: return "provisional"
        case .confirmed, .resolved: return "confirmed"
        case .refuted: return "refuted"
        }
    }

    /// Condition.clinicalStatus code of a diagnosis status (none for a refuted diagnosis).
    public static func conditionClinicalCode(for status: Diagnosis.Status) -> String? {
        switch status {
        case .suspected, .confirmed: return "active"
        case .resolved: return "resolved"
        case .refuted: return nil
        }
    }

    /// Appointment.status code of an appointment status.
    public static func appointmentStatusCode(for status: Appointment.Status) -> String {
        switch status {
        case .scheduled: return "booked"
        case .completed: return "fulfilled"
        case .cancelled: return "cancelled"
        case .missed: return "noshow"
        }
    }
}
