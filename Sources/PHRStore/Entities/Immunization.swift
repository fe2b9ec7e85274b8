import Foundation

/// A vaccination: the vaccine (CVX code or another, and its name as written), when, and whether
/// it was given.
///
/// Guarantees (checked by the store, refused with `StoreError` and nothing written otherwise): a
/// vaccine name; a code only with its system.
public struct Immunization: Sendable, Hashable, Codable, Identifiable {
    public enum CodeSystem: String, Sendable, Codable, CaseIterable {
        case cvx
        case snomedCT = "snomed-ct"
        case other
    }

    public enum Status: String, Sendable, Codable, CaseIterable {
        case completed
        case notDone = "not-done"
        case enteredInError = "entered-in-error"
    }

    public var id: Int64
    public var uuid: String
    public var patientID: Int64
    public var vaccine: String
    public var code: String?
    public var codeSystem: CodeSystem?
    public var givenOn: DateOrTime?
    public var status: Status
    /// The patient's own notes: private, exported only into summary.html and only when asked.
    public var notes: String?
    /// What the source said of it that has no field of its own (a date in words, why it was not
    /// done, the source's own note annotations), written by import; never the patient's (`notes`).
    /// Exported with it (fhir.json's `note`, summary.html), unlike `notes`.
    public var sourceNotes: String?
    public var createdAt: String
    public var updatedAt: String

    public init(patientID: Int64, vaccine: String, code: String? = nil, codeSystem: CodeSystem? = nil,
                givenOn: DateOrTime? = nil, status: Status = .completed, notes: String? = nil, sourceNotes: String? = nil, uuid: String? = nil) {
        self.id = 0
        self.uuid = uuid ?? HealthStore.newUUID()
        self.patientID = patientID
        self.vaccine = vaccine
        self.code = code
        self.codeSystem = codeSystem
        self.givenOn = givenOn
        self.status = status
        self.notes = notes
        self.sourceNotes = sourceNotes
        self.createdAt = ""
        self.updatedAt = ""
    }
}

extension Immunization: StoredItem {
    static let table = "immunizations"
    static let entityName = "immunization"
    static let columns = [
        "id", "uuid", "patient_id", "vaccine", "code", "code_system", "given_on", "status", "notes", "source_notes", "created_at", "updated_at",
    ]
    static let selectList = SelectList.columns(columns)

    init(row: Row) throws {
        id = try row.get("id")
        uuid = try row.get("uuid")
        patientID = try row.get("patient_id")
        vaccine = try row.get("vaccine")
        code = try row.get("code")
        codeSystem = try row.get("code_system", as: String?.self).map { try Field.enumeration($0, column: "immunizations.code_system") }
        givenOn = try Field.dateOrTime(row.get("given_on", as: String?.self), column: "immunizations.given_on")
        status = try Field.enumeration(row.get("status"), column: "immunizations.status")
        notes = try row.get("notes")
        sourceNotes = try row.get("source_notes")
        createdAt = try row.get("created_at")
        updatedAt = try row.get("updated_at")
    }

    /// The columns a caller sets, checked.
    func validatedValues(in store: HealthStore) throws -> [ColumnValue] {
        try store.requireRow("patients", "patient", id: patientID)
        let code = Field.optional(code)
        if code != nil, codeSystem == nil {
            throw StoreError.invalidField(field: "code", reason: "a code needs its system (cvx, snomed-ct or other)")
        }
        return [
            .column("patient_id", patientID), .column("vaccine", try Field.required(vaccine, "vaccine")),
            .column("code", code), .column("code_system", code == nil ? nil : codeSystem?.rawValue),
            .column("given_on", givenOn?.description), .column("status", status.rawValue),
            .column("notes", Field.optional(notes)),
            .column("source_notes", Field.optional(sourceNotes)),
        ]
    }
}

extension HealthStore {
    /// Adds an immunization after checking it (see `Immunization`); returns it as stored.
    @discardableResult
    public func addImmunization(_ immunization: Immunization) throws -> Immunization {
        try requireImmunization(try insertImmunization(immunization))
    }

    /// Adds a immunization as `addImmunization` does and returns only its row id: for writers that need nothing
    /// else back (an import stores thousands of rows and reads none of them back).
    @discardableResult
    public func insertImmunization(_ immunization: Immunization) throws -> Int64 {
        try insertItem(immunization)
    }

    /// Replaces every field of immunization `immunization.id` a caller sets, after the same checks.
    @discardableResult
    public func updateImmunization(_ immunization: Immunization) throws -> Immunization {
        try updateItem(immunization)
    }

    public func removeImmunization(id: Int64) throws {
        try deleteRow(Immunization.table, id: id)
    }

    public func immunization(id: Int64) throws -> Immunization? {
        try item(Immunization.self, id: id)
    }

    public func requireImmunization(_ id: Int64) throws -> Immunization {
        try requireItem(Immunization.self, id: id)
    }

    public func immunization(uuid: String) throws -> Immunization? {
        try item(Immunization.self, uuid: uuid)
    }

    /// A patient's immunizations, by date as written (undated first: NULL sorts first), then as
    /// added, the order of their patient-and-date index (see `resultOrder`); `since`/`until` keep
    /// those given within the days (undated ones left out when either is set).
    public func immunizations(patientID: Int64, since: PartialDate? = nil, until: PartialDate? = nil) throws -> [Immunization] {
        let days = DayRange(since: since, until: until).condition(on: "given_on")
        return try database.query("""
            SELECT \(Immunization.selectList) FROM immunizations WHERE patient_id = ?\(days.sql)
            ORDER BY given_on, id
            """, [patientID] + days.bindings, Immunization.init)
    }
}
