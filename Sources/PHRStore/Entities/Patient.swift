/// A person whose records the store keeps. One store may hold several (a caregiver keeps a
/// parent's records too).
public struct Patient: Sendable, Hashable, Codable, Identifiable {
    public enum Sex: String, Sendable, Codable, CaseIterable {
        case female, male, other, unknown
    }

    public var id: Int64
    public var uuid: String
    public var name: String
    public var birthDate: PartialDate?
    public var sex: Sex?
    public var notes: String?
    public var createdAt: String
    public var updatedAt: String

    /// A new patient, not yet stored (`id` 0). Pass `uuid` to keep one from another system.
    public init(name: String, birthDate: PartialDate? = nil, sex: Sex? = nil, notes: String? = nil,
                uuid: String? = nil) {
        self.id = 0
        self.uuid = uuid ?? HealthStore.newUUID()
        self.name = name
        self.birthDate = birthDate
        self.sex = sex
        self.notes = notes
        self.createdAt = ""
        self.updatedAt = ""
    }
}

extension Patient {
    static let columns = ["id", "uuid", "name", "birth_date", "sex", "notes", "created_at", "updated_at"]
    static let selectList = SelectList.columns(columns)

    init(row: Row) throws {
        id = try row.get("id")
        uuid = try row.get("uuid")
        name = try row.get("name")
        birthDate = try Field.date(row.get("birth_date", as: String?.self), column: "patients.birth_date")
        sex = try row.get("sex", as: String?.self).map { try Field.enumeration($0, column: "patients.sex") }
        notes = try row.get("notes")
        createdAt = try row.get("created_at")
        updatedAt = try row.get("updated_at")
    }

    /// The columns a caller sets, checked.
    fileprivate var validatedValues: [ColumnValue] {
        get throws {
            [("name", try Field.required(name, "name")), ("birth_date", birthDate?.description),
             ("sex", sex?.rawValue), ("notes", Field.optional(notes))]
        }
    }
}

extension HealthStore {
    /// Stores a new patient. The first patient stored becomes the default patient.
    @discardableResult
    public func addPatient(_ patient: Patient) throws -> Patient {
        let now = Timestamp.now()
        try database.insert(into: "patients", try patient.validatedValues
                            + [("uuid", patient.uuid), ("created_at", now), ("updated_at", now)])
        let id = database.lastInsertRowID
        // The first patient becomes the default (a stored setting, not the "only patient" fallback).
        let hasDefault: Int64? = try database.scalar("""
            SELECT 1 FROM settings s JOIN patients p ON p.id = CAST(s.value AS INTEGER)
            WHERE s.key = 'default_patient'
            """)
        if hasDefault == nil { try setDefaultPatient(id) }
        return try requirePatient(id)
    }

    /// Replaces a stored patient's fields with `patient`'s. The previous version goes to history.
    @discardableResult
    public func updatePatient(_ patient: Patient) throws -> Patient {
        try requireRow("patients", "patient", id: patient.id)
        try database.update("patients", set: try patient.validatedValues + [("updated_at", Timestamp.now())],
                            where: ("id", patient.id))
        return try requirePatient(patient.id)
    }

    /// Removes a patient who has no diagnoses, appointments, records, questions or sent packets.
    public func removePatient(id: Int64) throws {
        try deleteRow("patients", "patient", id: id, dependents: "diagnoses, appointments, records, questions or sent packets")
        let stillSet: String? = try database.scalar(
            "SELECT value FROM settings WHERE key = 'default_patient' AND value = ?", [String(id)])
        if stillSet != nil {
            try database.run("DELETE FROM settings WHERE key = 'default_patient'")
            if let next: Int64 = try database.scalar("SELECT min(id) FROM patients") { try setDefaultPatient(next) }
        }
    }

    public func patient(id: Int64) throws -> Patient? {
        try database.query("SELECT \(Patient.selectList) FROM patients WHERE id = ?", [id], Patient.init).first
    }

    public func requirePatient(_ id: Int64) throws -> Patient {
        guard let patient = try patient(id: id) else { throw StoreError.notFound(entity: "patient", id: id) }
        return patient
    }

    /// All patients, by name.
    public func patients() throws -> [Patient] {
        try database.query("SELECT \(Patient.selectList) FROM patients ORDER BY name COLLATE NOCASE, id", [], Patient.init)
    }

    public func patient(uuid: String) throws -> Patient? {
        try database.query("SELECT \(Patient.selectList) FROM patients WHERE uuid = ?", [uuid], Patient.init).first
    }

    /// The patient commands act on when none is named: the one set as default, else the only one.
    public func defaultPatientID() throws -> Int64? {
        if let id: Int64 = try database.scalar("""
            SELECT p.id FROM settings s JOIN patients p ON p.id = CAST(s.value AS INTEGER)
            WHERE s.key = 'default_patient'
            """) {
            return id
        }
        let ids = try database.query("SELECT id FROM patients LIMIT 2") { try $0.get("id", as: Int64.self) }
        return ids.count == 1 ? ids[0] : nil
    }

    public func setDefaultPatient(_ id: Int64) throws {
        try requireRow("patients", "patient", id: id)
        try database.run("INSERT INTO settings (key, value) VALUES ('default_patient', ?) "
                         + "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [String(id)])
    }
}
