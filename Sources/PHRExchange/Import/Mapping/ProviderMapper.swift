import PHRStore

/// Practitioner and Organization → providers (kind person or organization): name, phone, email,
/// address, identifier (an NPI first); an Organization's `partOf` (by its display, else the name of
/// the provider it resolves to) as the organization it belongs to.
///
/// A provider already in the store is the same one when it was made from the same place; an
/// identifier key, a phr UUID or a provider of the same kind with the same identifier value (an
/// NPI) are evidence only: a different name (or phone, email, address) makes it a conflict, and
/// both providers are kept.
struct ProviderMapper: ResourceMapper {
    let kind: Provider.Kind

    struct Prepared: PreparedResource {
        let kind: Provider.Kind
        let name: String
        let phone: String?
        let email: String?
        let address: String?
        let identifier: String?
        /// True when `identifier` is an NPI.
        let isNPI: Bool
        /// An Organization's parent (`partOf`).
        let partOf: FHIRReference?

        func apply(_ resource: IncomingResource, keys: SourceKeys, prior: ImportSource?, session: ImportSession) throws {
            let store = session.store
            let references = ResourceReferences(resource, keys: keys, session: session)
            let parent = try partOf.flatMap { reference in
                try reference.display ?? references.row(reference, field: "partOf", accepting: [.providers])
                    .flatMap { try store.provider(id: $0.id)?.name }
            }
            try session.upsert(
                resource, keys: keys, prior: prior, table: .providers,
                references: references,
                load: { try store.provider(id: $0) },
                match: {
                    guard let identifier else { return nil }
                    let ids = try store.providerIDs(identifier: identifier, kind: kind)
                    guard ids.count == 1 else { return nil }
                    return EvidenceMatch(rowID: ids[0], matchedBy: "\(isNPI ? "NPI" : "identifier") \(identifier)")
                },
                create: { uuid in
                    try store.addProvider(Provider(name: name, kind: kind, organization: parent, phone: phone, email: email,
                                                   address: address, identifier: identifier, uuid: uuid)).id
                },
                merge: { provider, merge in
                    merge.required(&provider.name, name, "name",
                                   same: { PatientMapper.normalized($0) == PatientMapper.normalized($1) })
                    merge.optional(&provider.phone, phone, "phone")
                    merge.optional(&provider.email, email, "email")
                    merge.optional(&provider.address, address, "address")
                    merge.optional(&provider.identifier, identifier, "identifier")
                    if kind == .organization { merge.optional(&provider.organization, parent, "organization") }
                },
                save: { try store.updateProvider($0) })
        }
    }

    func prepare(_ resource: IncomingResource) throws -> any PreparedResource {
        let body = resource.body
        let name: String
        switch kind {
        case .person: name = try body.personName() ?? "Unnamed practitioner"
        case .organization: name = try body.text("name") ?? "Unnamed organization"
        }
        if kind == .organization, let id = resource.id,
           id == NameBasedUUID.make(name: "organization:" + name.lowercased()) {
            // phr's export writes the workplace of a practitioner as an Organization named after
            // it; the name is kept on the practitioner (PractitionerRole), it is no provider.
            return SkippedResource(reason: "a workplace phr keeps on its practitioners")
        }
        let identifier = try Self.identifier(body)
        return Prepared(kind: kind, name: name, phone: try body.contact("phone"), email: try body.contact("email"),
                        address: try body.addressLine(), identifier: identifier?.value,
                        isNPI: identifier?.system == FHIRVocabulary.npiSystem,
                        partOf: kind == .organization ? try body.reference("partOf") : nil)
    }

    /// The identifier to keep: the NPI, else the first that is not phr's own UUID.
    static func identifier(_ body: FHIRObject) throws -> FHIRIdentifier? {
        let identifiers = try body.identifiers().filter { $0.system != FHIRVocabulary.uuidIdentifierSystem }
        return identifiers.first { $0.system == FHIRVocabulary.npiSystem } ?? identifiers.first
    }
}

/// PractitionerRole → the provider of its practitioner (else of its organization): the role's
/// specialty, the organization's name (the reference's display, else the Organization's name),
/// and phone or email when the provider has none.
///
/// A role whose practitioner and organization are both unknown is skipped.
struct PractitionerRoleMapper: ResourceMapper {
    struct Prepared: PreparedResource {
        let practitioner: FHIRReference?
        let organization: FHIRReference?
        let specialty: String?
        let phone: String?
        let email: String?

        func apply(_ resource: IncomingResource, keys: SourceKeys, prior: ImportSource?, session: ImportSession) throws {
            let store = session.store
            let references = ResourceReferences(resource, keys: keys, session: session)
            let practitionerRow = try references.row(practitioner, field: "practitioner", accepting: [.providers])
            // A practitioner's organization is kept by name: its display says it, without a lookup.
            let organizationRow = practitionerRow != nil && organization?.display != nil ? nil
                : try references.row(organization, field: "organization", accepting: [.providers])
            guard let target = practitionerRow ?? organizationRow else {
                session.report.notStored(resource.type, resource.place, reason: "names no practitioner or organization phr has")
                session.report.noteUnresolved(resource.place, references.unresolved)
                return
            }
            let organizationName = try practitionerRow == nil ? nil
                : (organizationRow.flatMap { try store.provider(id: $0.id)?.name } ?? organization?.display)
            try session.upsert(
                resource, keys: keys, prior: prior, table: .providers, references: references, forced: target.id,
                load: { try store.provider(id: $0) },
                // `forced` always names a provider that exists, so nothing is ever created here.
                create: { _ in throw ImportError.badData(resource.place, "names a provider that is no longer in the store") },
                merge: { provider, _ in
                    // The role owns these fields of its practitioner: it says them, they replace.
                    if let specialty { provider.specialty = specialty }
                    if let organizationName { provider.organization = organizationName }
                    if provider.phone == nil { provider.phone = phone }
                    if provider.email == nil { provider.email = email }
                },
                save: { try store.updateProvider($0) })
        }
    }

    func prepare(_ resource: IncomingResource) throws -> any PreparedResource {
        let body = resource.body
        let specialties = try body.objects("specialty").compactMap { try $0.conceptText() }
        return Prepared(practitioner: try body.reference("practitioner"), organization: try body.reference("organization"),
                        specialty: specialties.isEmpty ? nil : specialties.joined(separator: ", "),
                        phone: try body.contact("phone"), email: try body.contact("email"))
    }
}
