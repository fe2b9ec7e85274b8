import PHRStore

/// What a Medication resource says about a medicine: its name and code.
struct MedicationDefinition {
    let name: String?
    let code: (code: String, system: Medication.CodeSystem)?

    /// Reads a `Medication.code` (or a `medicationCodeableConcept`): the text, else the display of
    /// the code phr keeps (RxNorm first; for a SNOMED CT fully specified name, another display:
    /// `ClinicalCodes.readableName`), else any display; the code in RxNorm, SNOMED CT or ATC, else
    /// another system's as `other`.
    init(concept: FHIRObject?) throws {
        let codings = try concept?.codings() ?? []
        let coded = ClinicalCodes.code(codings, other: Medication.CodeSystem.other, ClinicalCodes.medicationSystem)
        name = try concept?.text("text") ?? ClinicalCodes.readableName(codings, preferred: coded?.display) ?? concept?.conceptText()
        code = coded.map { ($0.code, $0.system) }
    }
}

/// The Medication resources of one import, by every name each goes by (its place, `urn:` fullUrl,
/// bare `Medication/id`, identifiers), for the MedicationRequest, MedicationStatement and
/// MedicationAdministration resources that refer to them.
///
/// Guarantees: a Medication is never a row of its own (it describes a medicine, not the patient);
/// what refers to it takes its name and code. Memory grows with the Medication resources of the
/// input only.
final class MedicationDefinitions {
    private var byKey: [String: MedicationDefinition] = [:]

    func add(_ definition: MedicationDefinition, keys: SourceKeys) {
        for key in [keys.primary] + keys.aliases { byKey[key] = definition }
    }

    /// The Medication `reference` names, if this import has read it.
    func find(_ reference: FHIRReference, base: String?, resolver: ReferenceResolver) -> MedicationDefinition? {
        let target = resolver.target(of: reference, base: base, accepting: [.medications])
        for key in target.keys {
            if let found = byKey[key] { return found }
        }
        return nil
    }
}

/// Medication → nothing stored: its name and code are kept for the resources that refer to it
/// (`MedicationDefinitions`), and it is counted as skipped with that reason.
struct MedicationDefinitionMapper: ResourceMapper {
    static let reason = "a medicine's description, read for the medications that name it"

    struct Prepared: PreparedResource {
        let definition: MedicationDefinition

        func apply(_ resource: IncomingResource, keys: SourceKeys, prior: ImportSource?, session: ImportSession) throws {
            session.medicationDefinitions.add(definition, keys: keys)
            session.report.count(resource.type, .skipped(MedicationDefinitionMapper.reason))
        }
    }

    func prepare(_ resource: IncomingResource) throws -> any PreparedResource {
        Prepared(definition: try MedicationDefinition(concept: resource.body.object("code")))
    }
}
