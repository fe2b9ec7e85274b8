import Foundation

/// What one provider concluded about a diagnosis and recommended, and whether that agrees with the
/// opinions given before it.
public struct Opinion: Sendable, Hashable, Codable, Identifiable {
    public enum Agreement: String, Sendable, Codable, CaseIterable {
        /// The earliest opinion on its diagnosis; set by the store, not by the caller.
        case first
        case agrees
        case partly
        case differs
    }

    public var id: Int64
    public var uuid: String
    public var diagnosisID: Int64
    public var providerID: Int64
    public var appointmentID: Int64?
    public var givenOn: PartialDate
    public var conclusion: String
    /// The recommended treatment.
    public var recommendation: String?
    /// The stage this provider gave, when it differs from or refines the diagnosis's.
    public var stage: String?
    /// Agreement with the earlier opinions on the diagnosis; `nil` when not stated.
    public var agreement: Agreement?
    /// The patient's own notes: private, exported only into summary.html and only when asked.
    public var notes: String?
    /// What the source said of it that has no field of its own (the source's own annotations), written by import; never the
    /// patient's (`notes`). Exported with it (fhir.json's `note`, summary.html), unlike `notes`.
    public var sourceNotes: String?
    public var createdAt: String
    public var updatedAt: String

    public init(diagnosisID: Int64, providerID: Int64, appointmentID: Int64? = nil, givenOn: PartialDate,
                conclusion: String, recommendation: String? = nil, stage: String? = nil,
                agreement: Agreement? = nil, notes: String? = nil, sourceNotes: String? = nil, uuid: String? = nil) {
        self.id = 0
        self.uuid = uuid ?? HealthStore.newUUID()
        self.diagnosisID = diagnosisID
        self.providerID = providerID
        self.appointmentID = appointmentID
        self.givenOn = givenOn
        self.conclusion = conclusion
        self.recommendation = recommendation
        self.stage = stage
        self.agreement = agreement
        self.notes = notes
        self.sourceNotes = sourceNotes
        self.createdAt = ""
        self.updatedAt = ""
    }
}

extension Opinion {
    /// The stage this opinion gives: the one it states, else — when its provider is the one who
    /// made the diagnosis — the diagnosis's stage (that doctor's opinion is the diagnosis), else
    /// none. Read each time, so that editing the diagnosis's stage shows in its opinion.
    public func stage(on diagnosis: Diagnosis) -> String? {
        if let stage, !Field.trimmed(stage).isEmpty { return stage }
        guard diagnosis.id == diagnosisID, let diagnosing = diagnosis.providerID, diagnosing == providerID else { return nil }
        return diagnosis.stage
    }

    /// `stage(on:)` as shown beside the opinion: "IIA (as diagnosed)" when it is the diagnosis's.
    public func stageShown(on diagnosis: Diagnosis) -> String? {
        guard let shown = stage(on: diagnosis) else { return nil }
        if let stage, !Field.trimmed(stage).isEmpty { return shown }
        return "\(shown) (as diagnosed)"
    }
}

/// One line of the opinion history: the opinion with its diagnosis and provider.
public struct OpinionHistoryEntry: Sendable, Hashable {
    public let opinion: Opinion
    public let diagnosis: Diagnosis
    public let provider: Provider

    public init(opinion: Opinion, diagnosis: Diagnosis, provider: Provider) {
        self.opinion = opinion
        self.diagnosis = diagnosis
        self.provider = provider
    }
}

extension Opinion: StoredItem {
    static let table = "opinions"
    static let entityName = "opinion"
    static let columns = [
        "id", "uuid", "diagnosis_id", "provider_id", "appointment_id", "given_on", "conclusion", "recommendation",
        "stage", "agreement", "notes", "source_notes", "created_at", "updated_at",
    ]
    static let selectList = SelectList.columns(columns)

    init(row: Row) throws {
        id = try row.get("id")
        uuid = try row.get("uuid")
        diagnosisID = try row.get("diagnosis_id")
        providerID = try row.get("provider_id")
        appointmentID = try row.get("appointment_id")
        guard let date = try Field.date(row.get("given_on", as: String?.self), column: "opinions.given_on") else {
            throw StoreError.invalidField(field: "opinions.given_on", reason: "the stored value is empty")
        }
        givenOn = date
        conclusion = try row.get("conclusion")
        recommendation = try row.get("recommendation")
        stage = try row.get("stage")
        agreement = try row.get("agreement", as: String?.self).map { try Field.enumeration($0, column: "opinions.agreement") }
        notes = try row.get("notes")
        sourceNotes = try row.get("source_notes")
        createdAt = try row.get("created_at")
        updatedAt = try row.get("updated_at")
    }

    /// The columns a caller sets, checked.
    func validatedValues(in store: HealthStore) throws -> [ColumnValue] {
        try store.requireRow("diagnoses", "diagnosis", id: diagnosisID)
        try store.requireRow("providers", "provider", id: providerID)
        try store.requireRow("appointments", "appointment", id: appointmentID)
        let stated = agreement == .first ? nil : agreement
        return [
            .column("diagnosis_id", diagnosisID), .column("provider_id", providerID),
            .column("appointment_id", appointmentID), .column("given_on", givenOn.description),
            .column("conclusion", try Field.required(conclusion, "conclusion")),
            .column("recommendation", Field.optional(recommendation)), .column("stage", Field.optional(stage)),
            .column("agreement", stated?.rawValue), .column("notes", Field.optional(notes)),
            .column("source_notes", Field.optional(sourceNotes)),
        ]
    }
}

extension HealthStore {
    /// Stores an opinion. The earliest opinion on a diagnosis is marked `first`.
    @discardableResult
    public func addOpinion(_ opinion: Opinion) throws -> Opinion {
        let id = try insertItem(opinion)
        try markFirstOpinion(diagnosisID: opinion.diagnosisID)
        return try requireOpinion(id)
    }

    @discardableResult
    public func updateOpinion(_ opinion: Opinion) throws -> Opinion {
        let before = try requireOpinion(opinion.id)
        try updateRow(Opinion.table, try opinion.validatedValues(in: self), id: opinion.id)
        try markFirstOpinion(diagnosisID: opinion.diagnosisID)
        if before.diagnosisID != opinion.diagnosisID { try markFirstOpinion(diagnosisID: before.diagnosisID) }
        return try requireOpinion(opinion.id)
    }

    public func removeOpinion(id: Int64) throws {
        let opinion = try requireOpinion(id)
        try deleteRow(Opinion.table, id: id)
        try markFirstOpinion(diagnosisID: opinion.diagnosisID)
    }

    /// Keeps exactly the earliest opinion of a diagnosis marked `first`; one that stops being the
    /// earliest becomes "not stated" until the patient says how it compares.
    private func markFirstOpinion(diagnosisID: Int64) throws {
        let earliest: Int64? = try database.scalar(
            "SELECT id FROM opinions WHERE diagnosis_id = ? ORDER BY given_on, id LIMIT 1", [diagnosisID])
        try database.run("""
            UPDATE opinions SET agreement = NULL, updated_at = ?
            WHERE diagnosis_id = ? AND agreement = 'first' AND id IS NOT ?
            """, [Timestamp.now(), diagnosisID, earliest])
        if let earliest {
            try database.run("UPDATE opinions SET agreement = 'first', updated_at = ? WHERE id = ? AND agreement IS NOT 'first'",
                             [Timestamp.now(), earliest])
        }
    }

    public func opinion(id: Int64) throws -> Opinion? {
        try item(Opinion.self, id: id)
    }

    public func requireOpinion(_ id: Int64) throws -> Opinion {
        try requireItem(Opinion.self, id: id)
    }

    public func opinion(uuid: String) throws -> Opinion? {
        try item(Opinion.self, uuid: uuid)
    }

    /// The opinions on a diagnosis, in date order.
    public func opinions(diagnosisID: Int64) throws -> [Opinion] {
        try database.query("SELECT \(Opinion.selectList) FROM opinions WHERE diagnosis_id = ? ORDER BY given_on, id",
                           [diagnosisID], Opinion.init)
    }

    /// A patient's opinion history: for each diagnosis (oldest diagnosis first), its opinions in
    /// date order, optionally only one diagnosis's or one provider's.
    public func opinionHistory(patientID: Int64, diagnosisID: Int64? = nil, providerID: Int64? = nil) throws
        -> [OpinionHistoryEntry]
    {
        let sql = """
            SELECT \(SelectList.columns(Opinion.columns, of: "o", scope: "opinion")),
                   \(SelectList.columns(Diagnosis.columns, of: "d", scope: "diagnosis")),
                   \(SelectList.columns(Provider.columns, of: "p", scope: "provider"))
            FROM opinions o
            JOIN diagnoses d ON d.id = o.diagnosis_id
            JOIN providers p ON p.id = o.provider_id
            WHERE d.patient_id = ? AND (? IS NULL OR o.diagnosis_id = ?) AND (? IS NULL OR o.provider_id = ?)
            ORDER BY d.diagnosed_on IS NULL, d.diagnosed_on, d.id, o.given_on, o.id
            """
        return try database.query(sql, [patientID, diagnosisID, diagnosisID, providerID, providerID]) { row in
            OpinionHistoryEntry(opinion: try Opinion(row: row.scoped("opinion")),
                                diagnosis: try Diagnosis(row: row.scoped("diagnosis")),
                                provider: try Provider(row: row.scoped("provider")))
        }
    }
}
