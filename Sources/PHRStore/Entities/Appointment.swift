import Foundation

/// A visit: when, with whom, why, and whether the insurer has pre-approved it.
public struct Appointment: Sendable, Hashable, Codable, Identifiable {
    public enum Purpose: String, Sendable, Codable, CaseIterable {
        case consultation
        case secondOpinion = "second-opinion"
        case followUp = "follow-up"
        case test, treatment, other
    }

    public enum Status: String, Sendable, Codable, CaseIterable {
        case scheduled, completed, cancelled, missed
    }

    public enum Insurance: String, Sendable, Codable, CaseIterable {
        case notNeeded = "not-needed"
        case pending, approved, denied
    }

    public var id: Int64
    public var uuid: String
    public var patientID: Int64
    public var providerID: Int64
    /// Local wall-clock time with its UTC offset; `nil` when the time is unknown (an imported visit
    /// that did not say when: lists show "date unknown").
    public var startsAt: OffsetDateTime?
    public var durationMinutes: Int?
    public var location: String?
    public var purpose: Purpose
    /// Why, in the patient's words.
    public var reason: String?
    public var diagnosisID: Int64?
    public var status: Status
    /// Insurance pre-approval; `nil` when not yet known.
    public var insurance: Insurance?
    public var insuranceReference: String?
    /// The patient's own notes: private, exported only into summary.html and only when asked.
    public var notes: String?
    /// What the source said of it that has no field of its own (what a visit's comment says beyond its place and pre-approval), written by import; never the
    /// patient's (`notes`). Exported with it (fhir.json's `comment`, summary.html), unlike `notes`.
    public var sourceNotes: String?
    public var createdAt: String
    public var updatedAt: String

    public init(patientID: Int64, providerID: Int64, startsAt: OffsetDateTime?, durationMinutes: Int? = nil,
                location: String? = nil, purpose: Purpose = .consultation, reason: String? = nil,
                diagnosisID: Int64? = nil, status: Status = .scheduled, insurance: Insurance? = nil,
                insuranceReference: String? = nil, notes: String? = nil, sourceNotes: String? = nil, uuid: String? = nil) {
        self.id = 0
        self.uuid = uuid ?? HealthStore.newUUID()
        self.patientID = patientID
        self.providerID = providerID
        self.startsAt = startsAt
        self.durationMinutes = durationMinutes
        self.location = location
        self.purpose = purpose
        self.reason = reason
        self.diagnosisID = diagnosisID
        self.status = status
        self.insurance = insurance
        self.insuranceReference = insuranceReference
        self.notes = notes
        self.sourceNotes = sourceNotes
        self.createdAt = ""
        self.updatedAt = ""
    }

    /// When it ends, if its start and duration are known.
    public var endsAt: Date? {
        guard let startsAt, let durationMinutes else { return nil }
        return startsAt.instant.addingTimeInterval(TimeInterval(durationMinutes * 60))
    }

    /// The start as people read it (`2026-03-04 14:15 +01:00`), or "date unknown".
    public var whenText: String { startsAt?.wallClockText ?? Self.unknownTimeText }

    /// What lists show for an appointment whose time is unknown.
    public static let unknownTimeText = "date unknown"
}

/// Which appointments to list. Every criterion that is set must hold.
public struct AppointmentFilter: Sendable {
    /// Starting at or after this instant.
    public var from: Date?
    /// Starting before this instant.
    public var before: Date?
    public var providerID: Int64?
    public var diagnosisID: Int64?
    public var statuses: [Appointment.Status]?
    /// Latest first instead of earliest first.
    public var newestFirst: Bool

    public init(from: Date? = nil, before: Date? = nil, providerID: Int64? = nil, diagnosisID: Int64? = nil,
                statuses: [Appointment.Status]? = nil, newestFirst: Bool = false) {
        self.from = from
        self.before = before
        self.providerID = providerID
        self.diagnosisID = diagnosisID
        self.statuses = statuses
        self.newestFirst = newestFirst
    }
}

extension Appointment: StoredItem {
    static let table = "appointments"
    static let entityName = "appointment"
    static let columns = [
        "id", "uuid", "patient_id", "provider_id", "starts_at", "duration_minutes", "location", "purpose", "reason",
        "diagnosis_id", "status", "insurance_status", "insurance_reference", "notes", "source_notes", "created_at", "updated_at",
    ]
    static let selectList = SelectList.columns(columns)

    init(row: Row) throws {
        id = try row.get("id")
        uuid = try row.get("uuid")
        patientID = try row.get("patient_id")
        providerID = try row.get("provider_id")
        startsAt = try row.get("starts_at", as: String?.self).map { try Field.dateTime($0, column: "appointments.starts_at") }
        durationMinutes = try row.get("duration_minutes")
        location = try row.get("location")
        purpose = try Field.enumeration(row.get("purpose"), column: "appointments.purpose")
        reason = try row.get("reason")
        diagnosisID = try row.get("diagnosis_id")
        status = try Field.enumeration(row.get("status"), column: "appointments.status")
        insurance = try row.get("insurance_status", as: String?.self).map { try Field.enumeration($0, column: "appointments.insurance_status") }
        insuranceReference = try row.get("insurance_reference")
        notes = try row.get("notes")
        sourceNotes = try row.get("source_notes")
        createdAt = try row.get("created_at")
        updatedAt = try row.get("updated_at")
    }

    /// The columns a caller sets, checked.
    func validatedValues(in store: HealthStore) throws -> [ColumnValue] {
        try store.requireRow("patients", "patient", id: patientID)
        try store.requireRow("providers", "provider", id: providerID)
        try store.requireRow("diagnoses", "diagnosis", id: diagnosisID)
        if let durationMinutes, durationMinutes <= 0 {
            throw StoreError.invalidField(field: "duration", reason: "must be a positive number of minutes (the appointment cannot end before it starts)")
        }
        return [
            .column("patient_id", patientID), .column("provider_id", providerID),
            .column("starts_at", startsAt?.description), .column("starts_at_epoch", startsAt?.epochSeconds),
            .column("duration_minutes", durationMinutes), .column("location", Field.optional(location)),
            .column("purpose", purpose.rawValue), .column("reason", Field.optional(reason)),
            .column("diagnosis_id", diagnosisID), .column("status", status.rawValue),
            .column("insurance_status", insurance?.rawValue),
            .column("insurance_reference", Field.optional(insuranceReference)), .column("notes", Field.optional(notes)),
            .column("source_notes", Field.optional(sourceNotes)),
        ]
    }
}

extension HealthStore {
    @discardableResult
    public func addAppointment(_ appointment: Appointment) throws -> Appointment {
        try requireAppointment(try insertAppointment(appointment))
    }

    /// Adds a appointment as `addAppointment` does and returns only its row id: for writers that need nothing
    /// else back (an import stores thousands of rows and reads none of them back).
    @discardableResult
    public func insertAppointment(_ appointment: Appointment) throws -> Int64 {
        try insertItem(appointment)
    }

    @discardableResult
    public func updateAppointment(_ appointment: Appointment) throws -> Appointment {
        try updateItem(appointment)
    }

    /// Sets an appointment's status (complete, cancel, missed).
    @discardableResult
    public func setAppointmentStatus(id: Int64, _ status: Appointment.Status) throws -> Appointment {
        var appointment = try requireAppointment(id)
        appointment.status = status
        return try updateAppointment(appointment)
    }

    /// Removes an appointment. Opinions given at it keep their place but lose the link.
    public func removeAppointment(id: Int64) throws {
        try deleteRow(Appointment.table, id: id)
    }

    public func appointment(id: Int64) throws -> Appointment? {
        try item(Appointment.self, id: id)
    }

    public func requireAppointment(_ id: Int64) throws -> Appointment {
        try requireItem(Appointment.self, id: id)
    }

    public func appointment(uuid: String) throws -> Appointment? {
        try item(Appointment.self, uuid: uuid)
    }

    /// A patient's appointments matching `filter`, in time order.
    public func appointments(patientID: Int64, _ filter: AppointmentFilter = AppointmentFilter()) throws -> [Appointment] {
        var sql = "SELECT \(Appointment.selectList) FROM appointments WHERE patient_id = ?"
        var bindings: [any SQLiteBindable] = [patientID]
        if let from = filter.from {
            sql += " AND starts_at_epoch >= ?"
            bindings.append(Int64(from.timeIntervalSince1970.rounded(.up)))
        }
        if let before = filter.before {
            sql += " AND starts_at_epoch < ?"
            bindings.append(Int64(before.timeIntervalSince1970.rounded(.up)))
        }
        if let providerID = filter.providerID {
            sql += " AND provider_id = ?"
            bindings.append(providerID)
        }
        if let diagnosisID = filter.diagnosisID {
            sql += " AND diagnosis_id = ?"
            bindings.append(diagnosisID)
        }
        if let statuses = filter.statuses {
            sql += " AND status IN (\(statuses.map { _ in "?" }.joined(separator: ", ")))"
            bindings += statuses.map(\.rawValue)
        }
        // Appointments whose time is unknown come last either way.
        sql += filter.newestFirst ? " ORDER BY starts_at_epoch IS NULL, starts_at_epoch DESC, id DESC"
            : " ORDER BY starts_at_epoch IS NULL, starts_at_epoch, id"
        return try database.query(sql, bindings, Appointment.init)
    }
}
