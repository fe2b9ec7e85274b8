/// One step in moving a record between the patient and providers: a request for it, its sending,
/// or its confirmed receipt.
///
/// `fromProviderID`/`toProviderID` `nil` means the patient. Physical items (pathology slides and
/// blocks, imaging discs) are records without a file; where they are is worked out from their
/// transfers (`RecordDelivery`), so it can never disagree with them.
public struct Transfer: Sendable, Hashable, Codable, Identifiable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The patient asked `from` to release the record (to the patient, or straight to `to`).
        case request
        /// The record left `from` (or the patient) for `to`.
        case send
        /// `to` (or the patient) confirmed having the record.
        case receive
    }

    public enum Via: String, Sendable, Codable, CaseIterable {
        case mail, fax, email, portal, courier
        case inPerson = "in-person"
        /// An export packet made for the provider (`phr export --for`).
        case packet

        /// Whether a send this way reaches the recipient at once (the patient uploads or hands it
        /// over), so that it needs no separate confirmation of receipt.
        public var deliversAtOnce: Bool {
            switch self {
            case .portal, .inPerson, .packet: return true
            case .mail, .fax, .email, .courier: return false
            }
        }
    }

    public var id: Int64
    public var uuid: String
    public var recordID: Int64
    public var kind: Kind
    public var fromProviderID: Int64?
    public var toProviderID: Int64?
    public var via: Via?
    public var occurredOn: PartialDate
    /// A tracking number, fax confirmation or portal message id.
    public var reference: String?
    /// For an item lent out: when it must be returned.
    public var dueBackOn: PartialDate?
    public var notes: String?
    public var createdAt: String
    public var updatedAt: String

    public init(recordID: Int64, kind: Kind, fromProviderID: Int64? = nil, toProviderID: Int64? = nil,
                via: Via? = nil, occurredOn: PartialDate, reference: String? = nil, dueBackOn: PartialDate? = nil,
                notes: String? = nil, uuid: String? = nil) {
        self.id = 0
        self.uuid = uuid ?? HealthStore.newUUID()
        self.recordID = recordID
        self.kind = kind
        self.fromProviderID = fromProviderID
        self.toProviderID = toProviderID
        self.via = via
        self.occurredOn = occurredOn
        self.reference = reference
        self.dueBackOn = dueBackOn
        self.notes = notes
        self.createdAt = ""
        self.updatedAt = ""
    }
}

extension Transfer: StoredItem {
    static let table = "transfers"
    static let entityName = "transfer"

    /// How a way of sending reads in a sentence: "by courier", "through the portal", "in person".
    public static func words(for via: Via) -> String {
        switch via {
        case .mail: return "by mail"
        case .fax: return "by fax"
        case .email: return "by email"
        case .courier: return "by courier"
        case .portal: return "through the portal"
        case .inPerson: return "in person"
        case .packet: return "in an export packet"
        }
    }

    static let columns = [
        "id", "uuid", "record_id", "kind", "from_provider_id", "to_provider_id", "via", "occurred_on", "reference",
        "due_back_on", "notes", "created_at", "updated_at",
    ]
    static let selectList = SelectList.columns(columns)

    init(row: Row) throws {
        id = try row.get("id")
        uuid = try row.get("uuid")
        recordID = try row.get("record_id")
        kind = try Field.enumeration(row.get("kind"), column: "transfers.kind")
        fromProviderID = try row.get("from_provider_id")
        toProviderID = try row.get("to_provider_id")
        via = try row.get("via", as: String?.self).map { try Field.enumeration($0, column: "transfers.via") }
        guard let date = try Field.date(row.get("occurred_on", as: String?.self), column: "transfers.occurred_on") else {
            throw StoreError.invalidField(field: "transfers.occurred_on", reason: "the stored value is empty")
        }
        occurredOn = date
        reference = try row.get("reference")
        dueBackOn = try Field.date(row.get("due_back_on", as: String?.self), column: "transfers.due_back_on")
        notes = try row.get("notes")
        createdAt = try row.get("created_at")
        updatedAt = try row.get("updated_at")
    }

    /// Checks what the table's CHECK constraints check, first, so the caller gets a message that
    /// names the option rather than a constraint.
    func validatedValues(in store: HealthStore) throws -> [ColumnValue] {
        try store.requireRow("records", "record", id: recordID)
        try store.requireRow("providers", "provider", id: fromProviderID)
        try store.requireRow("providers", "provider", id: toProviderID)
        switch kind {
        case .request:
            guard fromProviderID != nil else {
                throw StoreError.invalidField(field: "from", reason: "a request needs the provider it is asked from")
            }
            guard dueBackOn == nil else {
                throw StoreError.invalidField(field: "due-back", reason: "only a send or a receive can have a due-back date")
            }
        case .send:
            guard toProviderID != nil else {
                throw StoreError.invalidField(field: "to", reason: "a send needs the provider it goes to")
            }
            guard via != nil else {
                throw StoreError.invalidField(field: "via", reason: "say how it was sent: \(Via.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        case .receive:
            break
        }
        if let fromProviderID, fromProviderID == toProviderID {
            throw StoreError.invalidField(field: "to", reason: "the sender and the recipient must differ")
        }
        if let dueBackOn, dueBackOn < occurredOn {
            throw StoreError.invalidField(field: "due-back", reason: "must not be before the transfer date \(occurredOn)")
        }
        return [
            .column("record_id", recordID), .column("kind", kind.rawValue), .column("from_provider_id", fromProviderID),
            .column("to_provider_id", toProviderID), .column("via", via?.rawValue),
            .column("occurred_on", occurredOn.description), .column("reference", Field.optional(reference)),
            .column("due_back_on", dueBackOn?.description), .column("notes", Field.optional(notes)),
        ]
    }
}

extension HealthStore {
    @discardableResult
    public func addTransfer(_ transfer: Transfer) throws -> Transfer {
        try requireTransfer(try insertItem(transfer))
    }

    @discardableResult
    public func updateTransfer(_ transfer: Transfer) throws -> Transfer {
        try updateItem(transfer)
    }

    public func removeTransfer(id: Int64) throws {
        try deleteRow(Transfer.table, id: id)
    }

    public func transfer(id: Int64) throws -> Transfer? {
        try item(Transfer.self, id: id)
    }

    public func requireTransfer(_ id: Int64) throws -> Transfer {
        try requireItem(Transfer.self, id: id)
    }

    /// A record's transfers, in the order they happened.
    public func transfers(recordID: Int64) throws -> [Transfer] {
        try database.query("SELECT \(Transfer.selectList) FROM transfers WHERE record_id = ? ORDER BY occurred_on, id",
                           [recordID], Transfer.init)
    }

    /// All transfers of a patient's records, in the order they happened. A store has few transfers
    /// and may have a hundred thousand records: each transfer's record is looked up, rather than
    /// every record's transfers.
    public func transfers(patientID: Int64) throws -> [Transfer] {
        try database.query("""
            SELECT \(Transfer.selectList) FROM transfers
            WHERE (SELECT patient_id FROM records WHERE id = transfers.record_id) = ?
            ORDER BY occurred_on, id
            """, [patientID], Transfer.init)
    }
}
