import Foundation

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
    /// How to reach the patient, as written.
    public var phone: String?
    public var email: String?
    public var address: String?
    /// The patient's record number (MRN) at each organization, in the organizations' order by name.
    public var recordNumbers: [RecordNumber]
    public var notes: String?
    public var createdAt: String
    public var updatedAt: String

    /// A new patient, not yet stored (`id` 0). Pass `uuid` to keep one from another system.
    public init(name: String, birthDate: PartialDate? = nil, sex: Sex? = nil, phone: String? = nil, email: String? = nil,
                address: String? = nil, recordNumbers: [RecordNumber] = [], notes: String? = nil, uuid: String? = nil) {
        self.id = 0
        self.uuid = uuid ?? HealthStore.newUUID()
        self.name = name
        self.birthDate = birthDate
        self.sex = sex
        self.phone = phone
        self.email = email
        self.address = address
        self.recordNumbers = recordNumbers
        self.notes = notes
        self.createdAt = ""
        self.updatedAt = ""
    }
}

/// The number under which one organization (a hospital, a practice) files a patient's records.
public struct RecordNumber: Sendable, Hashable, Codable {
    /// The organization, as it is written (`Riverside Community Hospital`).
    public var organization: String
    public var value: String

    public init(organization: String, value: String) {
        self.organization = organization
        self.value = value
    }
}

extension Patient: StoredRow {
    static let table = "patients"
    static let entityName = "patient"
    static let columns = ["id", "uuid", "name", "birth_date", "sex", "phone", "email", "address", "notes", "created_at", "updated_at"]
    /// The columns, and the record numbers as a JSON array of `[organization, value]` pairs, NULL
    /// when there are none (most patients: no JSON to decode then).
    static let selectList = SelectList.columns(columns) + """
        , (SELECT nullif(json_group_array(json_array(organization, value)), '[]') FROM (SELECT organization, value
           FROM patient_record_numbers WHERE patient_id = patients.id ORDER BY organization COLLATE NOCASE)) AS record_numbers
        """

    init(row: Row) throws {
        id = try row.get("id")
        uuid = try row.get("uuid")
        name = try row.get("name")
        birthDate = try Field.date(row.get("birth_date", as: String?.self), column: "patients.birth_date")
        sex = try row.get("sex", as: String?.self).map { try Field.enumeration($0, column: "patients.sex") }
        phone = try row.get("phone")
        email = try row.get("email")
        address = try row.get("address")
        recordNumbers = try Self.decodeRecordNumbers(try row.get("record_numbers", as: String?.self))
        notes = try row.get("notes")
        createdAt = try row.get("created_at")
        updatedAt = try row.get("updated_at")
    }

    private static func decodeRecordNumbers(_ json: String?) throws -> [RecordNumber] {
        guard let json else { return [] }
        guard let pairs = try? JSONDecoder().decode([[String]].self, from: Data(json.utf8)),
              pairs.allSatisfy({ $0.count == 2 }) else {
            throw StoreError.invalidField(field: "patient_record_numbers", reason: "the stored value is not one phr knows")
        }
        return pairs.map { RecordNumber(organization: $0[0], value: $0[1]) }
    }

    /// The columns a caller sets, checked.
    fileprivate var validatedValues: [ColumnValue] {
        get throws {
            [.column("name", try Field.required(name, "name")),
             .column("birth_date", try Field.notInFuture(birthDate, "birth date")), .column("sex", sex?.rawValue),
             .column("phone", Field.optional(phone)), .column("email", Field.optional(email)),
             .column("address", Field.optional(address)), .column("notes", Field.optional(notes))]
        }
    }

    /// The record numbers, checked: organization and number both given, one number per organization.
    fileprivate var validatedRecordNumbers: [RecordNumber] {
        get throws {
            var seen = Set<String>()
            return try recordNumbers.map { number in
                let organization = try Field.required(number.organization, "record number's organization")
                let value = try Field.required(number.value, "record number")
                guard seen.insert(organization.lowercased()).inserted else {
                    throw StoreError.invalidField(field: "record number", reason: "\(organization) is given two record numbers")
                }
                return RecordNumber(organization: organization, value: value)
            }
        }
    }
}

extension HealthStore {
    /// Stores a new patient. The first patient stored becomes the default patient.
    @discardableResult
    public func addPatient(_ patient: Patient) throws -> Patient {
        let id = try insertRow("patients", try patient.validatedValues, uuid: patient.uuid)
        try replaceRecordNumbers(of: id, with: try patient.validatedRecordNumbers)
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
        try updateRow("patients", try patient.validatedValues, id: patient.id)
        try replaceRecordNumbers(of: patient.id, with: try patient.validatedRecordNumbers)
        return try requirePatient(patient.id)
    }

    /// Makes `numbers` the patient's record numbers, touching only the rows that change (so the
    /// history holds what changed, not every number again).
    private func replaceRecordNumbers(of patientID: Int64, with numbers: [RecordNumber]) throws {
        let stored = try database.query("SELECT organization, value FROM patient_record_numbers WHERE patient_id = ?", [patientID]) {
            RecordNumber(organization: try $0.get("organization"), value: try $0.get("value"))
        }
        for old in stored where !numbers.contains(where: { $0.organization == old.organization }) {
            try database.run("DELETE FROM patient_record_numbers WHERE patient_id = ? AND organization = ?", [patientID, old.organization])
        }
        for number in numbers where !stored.contains(number) {
            try database.run("""
                INSERT INTO patient_record_numbers (patient_id, organization, value) VALUES (?, ?, ?)
                ON CONFLICT (patient_id, organization) DO UPDATE SET value = excluded.value
                """, [patientID, number.organization, number.value])
        }
    }

    /// Removes a patient who has no diagnoses, appointments, records, questions or sent packets.
    public func removePatient(id: Int64) throws {
        try deleteRow("patients", id: id)
        let stillSet: String? = try database.scalar(
            "SELECT value FROM settings WHERE key = 'default_patient' AND value = ?", [String(id)])
        if stillSet != nil {
            try database.run("DELETE FROM settings WHERE key = 'default_patient'")
            if let next: Int64 = try database.scalar("SELECT min(id) FROM patients") { try setDefaultPatient(next) }
        }
    }

    public func patient(id: Int64) throws -> Patient? {
        try item(Patient.self, id: id)
    }

    public func requirePatient(_ id: Int64) throws -> Patient {
        try requireItem(Patient.self, id: id)
    }

    /// All patients, by name.
    public func patients() throws -> [Patient] {
        try database.query("SELECT \(Patient.selectList) FROM patients ORDER BY name COLLATE NOCASE, id", [], Patient.init)
    }

    public func patient(uuid: String) throws -> Patient? {
        try item(Patient.self, uuid: uuid)
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
