import PHRStore

/// One FHIR resource type phr imports: its name, the table its resources become rows of, and the
/// mapper that reads them.
struct ImportedType: Sendable {
    let name: String
    let table: ImportedTable
    let mapper: any ResourceMapper
}

/// The registry of the FHIR types phr imports, in the order they are processed (what a resource
/// refers to is, usually, stored before it: patients and providers first, then diagnoses, visits,
/// opinions and records; reports before the observations they list, so that a result finds the
/// link to its report waiting; Medication before the resources that name it). Discovery, ordering, mapping and provenance are derived from it; to
/// import a new type, add it here (and its mapper).
///
/// Guarantees (checked by a test): every name is a FHIR R4 resource type and appears once; every
/// type has a table and a mapper.
enum ImportedTypes {
    static let all: [ImportedType] = [
        ImportedType(name: "Patient", table: .patients, mapper: PatientMapper()),
        ImportedType(name: "Organization", table: .providers, mapper: ProviderMapper(kind: .organization)),
        ImportedType(name: "Practitioner", table: .providers, mapper: ProviderMapper(kind: .person)),
        ImportedType(name: "PractitionerRole", table: .providers, mapper: PractitionerRoleMapper()),
        ImportedType(name: "Condition", table: .diagnoses, mapper: ConditionMapper()),
        ImportedType(name: "Encounter", table: .appointments, mapper: EncounterMapper()),
        ImportedType(name: "Appointment", table: .appointments, mapper: AppointmentMapper()),
        ImportedType(name: "ClinicalImpression", table: .opinions, mapper: ClinicalImpressionMapper()),
        ImportedType(name: "DocumentReference", table: .records, mapper: DocumentReferenceMapper()),
        ImportedType(name: "DiagnosticReport", table: .records, mapper: DiagnosticReportMapper()),
        ImportedType(name: "Observation", table: .results, mapper: ObservationMapper()),
        // No row of its own: read for the three that follow (its table is theirs).
        ImportedType(name: "Medication", table: .medications, mapper: MedicationDefinitionMapper()),
        ImportedType(name: "MedicationRequest", table: .medications, mapper: MedicationUseMapper(kind: .request)),
        ImportedType(name: "MedicationStatement", table: .medications, mapper: MedicationUseMapper(kind: .statement)),
        ImportedType(name: "MedicationAdministration", table: .medications, mapper: MedicationUseMapper(kind: .administration)),
        ImportedType(name: "AllergyIntolerance", table: .allergies, mapper: AllergyIntoleranceMapper()),
        ImportedType(name: "Procedure", table: .procedures, mapper: ProcedureMapper()),
        ImportedType(name: "Immunization", table: .immunizations, mapper: ImmunizationMapper()),
        ImportedType(name: "FamilyMemberHistory", table: .familyHistory, mapper: FamilyMemberHistoryMapper()),
    ]

    /// Each type by name with its rank (its place in `all`). A name registered twice keeps its
    /// first entry here; the registry test refuses it.
    static let byName: [String: (rank: Int, type: ImportedType)] = Dictionary(
        all.enumerated().map { ($1.name, (rank: $0, type: $1)) }, uniquingKeysWith: { first, _ in first })

    /// The registered type called `name`, if phr imports it.
    static func type(named name: String) -> ImportedType? { byName[name]?.type }
}
