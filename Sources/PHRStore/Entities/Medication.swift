import Foundation

/// A medication the patient takes, took, or is to take: its name and code, the dose, route and
/// frequency as written ("50 mg", "by mouth", "twice daily"), when it started and ended, its
/// status, who prescribed it and the diagnosis it is for.
///
/// Guarantees (checked by the store, refused with `StoreError` and nothing written otherwise): a
/// name; a code only with its system; an end not before the start; a prescriber and a diagnosis
/// that exist, the diagnosis the same patient's.
public struct Medication: Sendable, Hashable, Codable, Identifiable {
    public enum CodeSystem: String, Sendable, Codable, CaseIterable {
        case rxnorm
        case snomedCT = "snomed-ct"
        case atc, other
    }

    public enum Status: String, Sendable, Codable, CaseIterable {
        case active, stopped, completed, planned
        case onHold = "on-hold"
        /// Recorded by mistake (its source took it back): never taken as far as the record goes.
        case enteredInError = "entered-in-error"

        /// Whether the patient is taking it now (or is about to, or has paused it).
        public var isCurrent: Bool { self == .active || self == .onHold }
    }

    public var id: Int64
    public var uuid: String
    public var patientID: Int64
    /// As written on the box or the prescription: `Letrozole 2.5 mg tablet`.
    public var name: String
    public var code: String?
    public var codeSystem: CodeSystem?
    public var dose: String?
    public var route: String?
    public var frequency: String?
    /// The whole instructions as written, when not split into dose, route and frequency.
    public var instructions: String?
    public var startedOn: PartialDate?
    public var endedOn: PartialDate?
    public var status: Status
    /// The provider who prescribed it.
    public var providerID: Int64?
    /// The diagnosis it is for.
    public var diagnosisID: Int64?
    /// The patient's own notes: private, exported only into summary.html and only when asked.
    public var notes: String?
    /// What the source said of it that has no field of its own (a date in words, why it was not
    /// done, the source's own note annotations), written by import; never the patient's (`notes`).
    /// Exported with it (fhir.json's `note`, summary.html), unlike `notes`.
    public var sourceNotes: String?
    public var createdAt: String
    public var updatedAt: String

    public init(patientID: Int64, name: String, code: String? = nil, codeSystem: CodeSystem? = nil, dose: String? = nil,
                route: String? = nil, frequency: String? = nil, instructions: String? = nil, startedOn: PartialDate? = nil,
                endedOn: PartialDate? = nil, status: Status = .active, providerID: Int64? = nil, diagnosisID: Int64? = nil,
                notes: String? = nil, sourceNotes: String? = nil, uuid: String? = nil) {
        self.id = 0
        self.uuid = uuid ?? HealthStore.newUUID()
        self.patientID = patientID
        self.name = name
        self.code = code
        self.codeSystem = codeSystem
        self.dose = dose
        self.route = route
        self.frequency = frequency
        self.instructions = instructions
        self.startedOn = startedOn
        self.endedOn = endedOn
        self.status = status
        self.providerID = providerID
        self.diagnosisID = diagnosisID
        self.notes = notes
        self.sourceNotes = sourceNotes
        self.createdAt = ""
        self.updatedAt = ""
    }

    /// Dose, route and frequency (else the instructions), as one line: `50 mg by mouth twice daily`.
    public var dosageText: String? {
        let parts = [dose, route, frequency].compactMap { Field.optional($0) }
        return parts.isEmpty ? Field.optional(instructions) : parts.joined(separator: " ")
    }
}

extension Medication: StoredItem {
    static let table = "medications"
    static let entityName = "medication"
    static let columns = [
        "id", "uuid", "patient_id", "name", "code", "code_system", "dose", "route", "frequency", "instructions",
        "started_on", "ended_on", "status", "provider_id", "diagnosis_id", "notes", "source_notes", "created_at", "updated_at",
    ]
    static let selectList = SelectList.columns(columns)

    init(row: Row) throws {
        id = try row.get("id")
        uuid = try row.get("uuid")
        patientID = try row.get("patient_id")
        name = try row.get("name")
        code = try row.get("code")
        codeSystem = try row.get("code_system", as: String?.self).map { try Field.enumeration($0, column: "medications.code_system") }
        dose = try row.get("dose")
        route = try row.get("route")
        frequency = try row.get("frequency")
        instructions = try row.get("instructions")
        startedOn = try Field.date(row.get("started_on", as: String?.self), column: "medications.started_on")
        endedOn = try Field.date(row.get("ended_on", as: String?.self), column: "medications.ended_on")
        status = try Field.enumeration(row.get("status"), column: "medications.status")
        providerID = try row.get("provider_id")
        diagnosisID = try row.get("diagnosis_id")
        notes = try row.get("notes")
        sourceNotes = try row.get("source_notes")
        createdAt = try row.get("created_at")
        updatedAt = try row.get("updated_at")
    }

    /// The columns a caller sets, checked.
    func validatedValues(in store: HealthStore) throws -> [ColumnValue] {
        try store.requireRow("patients", "patient", id: patientID)
        try store.requireRow("providers", "provider", id: providerID)
        try store.requireDiagnosis(diagnosisID, of: patientID)
        let code = Field.optional(code)
        if code != nil, codeSystem == nil {
            throw StoreError.invalidField(field: "code", reason: "a code needs its system (rxnorm, snomed-ct, atc or other)")
        }
        if let startedOn, let endedOn, endedOn < startedOn, !Self.overlaps(startedOn, endedOn) {
            throw StoreError.invalidField(field: "end", reason: "\(endedOn) is before the start (\(startedOn))")
        }
        return [
            .column("patient_id", patientID), .column("name", try Field.required(name, "name")), .column("code", code),
            .column("code_system", code == nil ? nil : codeSystem?.rawValue), .column("dose", Field.optional(dose)),
            .column("route", Field.optional(route)), .column("frequency", Field.optional(frequency)),
            .column("instructions", Field.optional(instructions)), .column("started_on", startedOn?.description),
            .column("ended_on", endedOn?.description), .column("status", status.rawValue),
            .column("provider_id", providerID), .column("diagnosis_id", diagnosisID),
            .column("notes", Field.optional(notes)),
            .column("source_notes", Field.optional(sourceNotes)),
        ]
    }

    /// Whether one date lies within the other's period (`2026-11` and `2026-11-05`): such an end
    /// is not before such a start.
    static func overlaps(_ a: PartialDate, _ b: PartialDate) -> Bool {
        a.description.hasPrefix(b.description) || b.description.hasPrefix(a.description)
    }
}

/// Which medications to list. Every criterion that is set must hold.
public struct MedicationFilter: Sendable {
    /// Only those the patient takes now: active or on hold.
    public var currentOnly: Bool
    public var statuses: [Medication.Status]?
    public var diagnosisID: Int64?
    /// Only those started or ended on or after this date, or in a month or year that reaches it
    /// (`DayRange`).
    public var startedOrEndedSince: PartialDate?

    public init(currentOnly: Bool = false, statuses: [Medication.Status]? = nil, diagnosisID: Int64? = nil,
                startedOrEndedSince: PartialDate? = nil) {
        self.currentOnly = currentOnly
        self.statuses = statuses
        self.diagnosisID = diagnosisID
        self.startedOrEndedSince = startedOrEndedSince
    }
}

extension HealthStore {
    /// Adds a medication after checking it (see `Medication`); returns it as stored.
    @discardableResult
    public func addMedication(_ medication: Medication) throws -> Medication {
        try requireMedication(try insertMedication(medication))
    }

    /// Adds a medication as `addMedication` does and returns only its row id: for writers that need nothing
    /// else back (an import stores thousands of rows and reads none of them back).
    @discardableResult
    public func insertMedication(_ medication: Medication) throws -> Int64 {
        try insertItem(medication)
    }

    /// Replaces every field of medication `medication.id` a caller sets, after the same checks.
    @discardableResult
    public func updateMedication(_ medication: Medication) throws -> Medication {
        try updateItem(medication)
    }

    /// Stops a medication on `date`: status `stopped`, end date set.
    @discardableResult
    public func stopMedication(id: Int64, on date: PartialDate) throws -> Medication {
        var medication = try requireMedication(id)
        medication.status = .stopped
        medication.endedOn = date
        return try updateMedication(medication)
    }

    public func removeMedication(id: Int64) throws {
        try deleteRow(Medication.table, id: id)
    }

    public func medication(id: Int64) throws -> Medication? {
        try item(Medication.self, id: id)
    }

    public func requireMedication(_ id: Int64) throws -> Medication {
        try requireItem(Medication.self, id: id)
    }

    public func medication(uuid: String) throws -> Medication? {
        try item(Medication.self, uuid: uuid)
    }

    /// A patient's medications matching `filter`: by start date (undated first), then as added.
    public func medications(patientID: Int64, _ filter: MedicationFilter = MedicationFilter()) throws -> [Medication] {
        var sql = "SELECT \(Medication.selectList) FROM medications WHERE patient_id = ?"
        var bindings: [any SQLiteBindable] = [patientID]
        var statuses = filter.statuses
        if filter.currentOnly {
            let current = Medication.Status.allCases.filter(\.isCurrent)
            statuses = (statuses ?? current).filter(\.isCurrent)
        }
        if let statuses {
            sql += " AND status IN (\(statuses.isEmpty ? "NULL" : statuses.map { _ in "?" }.joined(separator: ", ")))"
            bindings += statuses.map(\.rawValue)
        }
        if let diagnosisID = filter.diagnosisID {
            sql += " AND diagnosis_id = ?"
            bindings.append(diagnosisID)
        }
        if let since = filter.startedOrEndedSince {
            let started = DayRange.reaching(since, "started_on"), ended = DayRange.reaching(since, "ended_on")
            sql += " AND (\(started.sql) OR \(ended.sql))"
            bindings += started.bindings + ended.bindings
        }
        sql += " ORDER BY started_on IS NOT NULL, started_on, id"
        return try database.query(sql, bindings, Medication.init)
    }
}
