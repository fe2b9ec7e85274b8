/// Facts about getting ready for one appointment that the appointment itself does not hold: the
/// referral. (Insurance pre-approval is on `Appointment`.)
///
/// At most one per appointment; an appointment without one has its referral `unknown`.
public struct AppointmentPreparation: Sendable, Hashable, Codable {
    public enum Referral: String, Sendable, Codable, CaseIterable {
        case unknown
        case notNeeded = "not-needed"
        case needed, requested, received
    }

    public var appointmentID: Int64
    public var referral: Referral
    public var referralReference: String?
    public var notes: String?

    public init(appointmentID: Int64, referral: Referral = .unknown, referralReference: String? = nil, notes: String? = nil) {
        self.appointmentID = appointmentID
        self.referral = referral
        self.referralReference = referralReference
        self.notes = notes
    }
}

extension AppointmentPreparation {
    static let columns = ["appointment_id", "referral", "referral_reference", "notes"]

    init(row: Row) throws {
        appointmentID = try row.get("appointment_id")
        referral = try Field.enumeration(row.get("referral"), column: "appointment_preparations.referral")
        referralReference = try row.get("referral_reference")
        notes = try row.get("notes")
    }
}

extension HealthStore {
    /// The preparation facts of an appointment; the referral `unknown` when none were recorded.
    public func appointmentPreparation(appointmentID: Int64) throws -> AppointmentPreparation {
        try database.query("""
            SELECT \(SelectList.columns(AppointmentPreparation.columns)) FROM appointment_preparations
            WHERE appointment_id = ?
            """, [appointmentID], AppointmentPreparation.init).first ?? AppointmentPreparation(appointmentID: appointmentID)
    }

    /// Stores the preparation facts of an appointment, replacing those recorded before.
    @discardableResult
    public func setAppointmentPreparation(_ preparation: AppointmentPreparation) throws -> AppointmentPreparation {
        try requireRow("appointments", "appointment", id: preparation.appointmentID)
        let now = Timestamp.now()
        let values: [ColumnValue] = [.column("referral", preparation.referral.rawValue),
                                     .column("referral_reference", Field.optional(preparation.referralReference)),
                                     .column("notes", Field.optional(preparation.notes))]
        let exists: Int64? = try database.scalar("SELECT 1 FROM appointment_preparations WHERE appointment_id = ?",
                                                 [preparation.appointmentID])
        if exists == nil {
            try database.insert(into: "appointment_preparations", values
                                + [.column("appointment_id", preparation.appointmentID), .column("created_at", now),
                                   .column("updated_at", now)])
        } else {
            try database.update("appointment_preparations", set: values + [.column("updated_at", now)],
                                where: .column("appointment_id", preparation.appointmentID))
        }
        return try appointmentPreparation(appointmentID: preparation.appointmentID)
    }
}
