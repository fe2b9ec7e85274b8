/// A doctor or an institution that diagnoses, sees the patient, or holds records.
public struct Provider: Sendable, Hashable, Codable, Identifiable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case person, organization
    }

    public var id: Int64
    public var uuid: String
    public var kind: Kind
    public var name: String
    public var specialty: String?
    /// The institution a person works at, by name.
    public var organization: String?
    public var phone: String?
    public var email: String?
    public var address: String?
    /// An identifier such as a US NPI.
    public var identifier: String?
    public var notes: String?
    public var createdAt: String
    public var updatedAt: String

    public init(name: String, kind: Kind = .person, specialty: String? = nil, organization: String? = nil,
                phone: String? = nil, email: String? = nil, address: String? = nil,
                identifier: String? = nil, notes: String? = nil, uuid: String? = nil) {
        self.id = 0
        self.uuid = uuid ?? HealthStore.newUUID()
        self.kind = kind
        self.name = name
        self.specialty = specialty
        self.organization = organization
        self.phone = phone
        self.email = email
        self.address = address
        self.identifier = identifier
        self.notes = notes
        self.createdAt = ""
        self.updatedAt = ""
    }
}

extension Provider {
    static let columns = """
        id, uuid, kind, name, specialty, organization, phone, email, address, identifier, notes, \
        created_at, updated_at
        """

    init(row: Row) throws {
        id = try row.get(0)
        uuid = try row.get(1)
        kind = try Field.enumeration(row.get(2), column: "providers.kind")
        name = try row.get(3)
        specialty = try row.get(4)
        organization = try row.get(5)
        phone = try row.get(6)
        email = try row.get(7)
        address = try row.get(8)
        identifier = try row.get(9)
        notes = try row.get(10)
        createdAt = try row.get(11)
        updatedAt = try row.get(12)
    }

    fileprivate var bindings: [any SQLiteBindable] {
        get throws {
            [kind.rawValue, try Field.required(name, "name"), Field.optional(specialty), Field.optional(organization),
             Field.optional(phone), Field.optional(email), Field.optional(address), Field.optional(identifier),
             Field.optional(notes)]
        }
    }
}

extension HealthStore {
    @discardableResult
    public func addProvider(_ provider: Provider) throws -> Provider {
        let now = Timestamp.now()
        try database.run("""
            INSERT INTO providers (kind, name, specialty, organization, phone, email, address, identifier, notes,
                                   uuid, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, try provider.bindings + [provider.uuid, now, now])
        return try requireProvider(database.lastInsertRowID)
    }

    @discardableResult
    public func updateProvider(_ provider: Provider) throws -> Provider {
        try requireRow("providers", "provider", id: provider.id)
        try database.run("""
            UPDATE providers SET kind = ?, name = ?, specialty = ?, organization = ?, phone = ?, email = ?,
                                 address = ?, identifier = ?, notes = ?, updated_at = ?
            WHERE id = ?
            """, try provider.bindings + [Timestamp.now(), provider.id])
        return try requireProvider(provider.id)
    }

    /// Removes a provider no diagnosis, appointment, opinion or record refers to.
    public func removeProvider(id: Int64) throws {
        try deleteRow("providers", "provider", id: id, dependents: "diagnoses, appointments, opinions or records")
    }

    public func provider(id: Int64) throws -> Provider? {
        try database.query("SELECT \(Provider.columns) FROM providers WHERE id = ?", [id], Provider.init).first
    }

    public func requireProvider(_ id: Int64) throws -> Provider {
        guard let provider = try provider(id: id) else { throw StoreError.notFound(entity: "provider", id: id) }
        return provider
    }

    public func provider(uuid: String) throws -> Provider? {
        try database.query("SELECT \(Provider.columns) FROM providers WHERE uuid = ?", [uuid], Provider.init).first
    }

    /// All providers, by name.
    public func providers() throws -> [Provider] {
        try database.query("SELECT \(Provider.columns) FROM providers ORDER BY name COLLATE NOCASE, id", [],
                           Provider.init)
    }
}
