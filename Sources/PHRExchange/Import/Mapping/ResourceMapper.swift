/// Imports one kind of FHIR resource into phr's tables.
///
/// A mapper resolves the resource's references first (so that a deferral leaves nothing behind),
/// then reads its fields, then makes, updates or matches the row through `ImportSession.upsert`,
/// or counts the resource as skipped with the reason.
protocol ResourceMapper: Sendable {
    func importResource(_ resource: IncomingResource, keys: SourceKeys, prior: IndexHit?,
                        session: ImportSession) throws
}

extension ResourceMapper {
    /// `status` codes after which a resource is not imported at all.
    static func isEnteredInError(_ resource: IncomingResource) throws -> Bool {
        try resource.body.text("status") == "entered-in-error"
    }
}

/// The mapper of each resource type phr imports.
enum ResourceMappers {
    static let byType: [String: any ResourceMapper] = [
        "Patient": PatientMapper(),
        "Practitioner": ProviderMapper(kind: .person),
        "Organization": ProviderMapper(kind: .organization),
        "PractitionerRole": PractitionerRoleMapper(),
        "Condition": ConditionMapper(),
        "Encounter": EncounterMapper(),
        "Appointment": AppointmentMapper(),
        "ClinicalImpression": ClinicalImpressionMapper(),
        "DocumentReference": DocumentReferenceMapper(),
        "DiagnosticReport": DiagnosticReportMapper(),
    ]
}
