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

extension Provider: StoredRow {
    static let table = "providers"
    static let entityName = "provider"
    static let columns = [
        "id", "uuid", "kind", "name", "specialty", "organization", "phone", "email", "address", "identifier", "notes",
        "created_at", "updated_at",
    ]
    static let selectList = SelectList.columns(columns)

    init(row: Row) throws {
        id = try row.get("id")
        uuid = try row.get("uuid")
        kind = try Field.enumeration(row.get("kind"), column: "providers.kind")
        name = try row.get("name")
        specialty = try row.get("specialty")
        organization = try row.get("organization")
        phone = try row.get("phone")
        email = try row.get("email")
        address = try row.get("address")
        identifier = try row.get("identifier")
        notes = try row.get("notes")
        createdAt = try row.get("created_at")
        updatedAt = try row.get("updated_at")
    }

    /// The columns a caller sets, checked.
    fileprivate var validatedValues: [ColumnValue] {
        get throws {
            [.column("kind", kind.rawValue), .column("name", try Field.required(name, "name")),
             .column("specialty", Field.optional(specialty)), .column("organization", Field.optional(organization)),
             .column("phone", Field.optional(phone)), .column("email", Field.optional(email)),
             .column("address", Field.optional(address)), .column("identifier", Field.optional(identifier)),
             .column("notes", Field.optional(notes))]
        }
    }
}

extension HealthStore {
    @discardableResult
    public func addProvider(_ provider: Provider) throws -> Provider {
        let id = try insertRow("providers", try provider.validatedValues, uuid: provider.uuid)
        return try requireProvider(id)
    }

    @discardableResult
    public func updateProvider(_ provider: Provider) throws -> Provider {
        try requireRow("providers", "provider", id: provider.id)
        try updateRow("providers", try provider.validatedValues, id: provider.id)
        return try requireProvider(provider.id)
    }

    /// Removes a provider no diagnosis, appointment, opinion or record refers to.
    public func removeProvider(id: Int64) throws {
        try deleteRow("providers", id: id)
    }

    public func provider(id: Int64) throws -> Provider? {
        try item(Provider.self, id: id)
    }

    public func requireProvider(_ id: Int64) throws -> Provider {
        try requireItem(Provider.self, id: id)
    }

    public func provider(uuid: String) throws -> Provider? {
        try item(Provider.self, uuid: uuid)
    }

    /// All providers, by name.
    /// The providers with these ids, by id (ids of no provider are left out).
    public func providers(ids: some Sequence<Int64>) throws -> [Int64: Provider] {
        let found = try database.query("SELECT \(Provider.selectList) FROM providers WHERE id IN (SELECT value FROM json_each(?))",
                                       [IDList(ids)], Provider.init)
        return Dictionary(found.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func providers() throws -> [Provider] {
        try database.query("SELECT \(Provider.selectList) FROM providers ORDER BY name COLLATE NOCASE, id", [],
                           Provider.init)
    }

    /// Providers nothing in the store refers to (no diagnosis, opinion, appointment, record,
    /// result, transfer, … of any patient names them), by name: the doctors a patient has noted
    /// before seeing them. The tables that refer to providers are read from the live schema.
    public func providersLinkedToNothing() throws -> [Provider] {
        var conditions: [String] = []
        for table in try SchemaCatalog.liveTables(in: database) {
            let columns = try database.query(
                "SELECT \"from\" FROM pragma_foreign_key_list(?) WHERE \"table\" = 'providers'", [table]) {
                try $0.get(0, as: String.self)
            }
            for column in columns {
                conditions.append("NOT EXISTS (SELECT 1 FROM \"\(table)\" t WHERE t.\"\(column)\" = providers.id)")
            }
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try database.query("SELECT \(Provider.selectList) FROM providers\(filter) ORDER BY name COLLATE NOCASE, id", [],
                                  Provider.init)
    }
}
