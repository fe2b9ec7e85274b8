import Foundation

/// A procedure: a surgery, a biopsy, radiation or systemic therapy, or another; when (a date or a
/// period), by whom, where on the body, why, and how it went.
///
/// Guarantees (checked by the store, refused with `StoreError` and nothing written otherwise): a
/// name; a code only with its system; an end only with a start, and not before it; a performer
/// and a diagnosis that exist, the diagnosis the same patient's.
public struct Procedure: Sendable, Hashable, Codable, Identifiable {
    public enum CodeSystem: String, Sendable, Codable, CaseIterable {
        case snomedCT = "snomed-ct"
        case cpt
        case icd10pcs = "icd-10-pcs"
        case other
    }

    public enum Category: String, Sendable, Codable, CaseIterable {
        case surgery, biopsy
        case radiationTherapy = "radiation-therapy"
        case systemicTherapy = "systemic-therapy"
        case other

        /// The category a procedure's name gives away, in this order: a biopsy ("Core needle
        /// biopsy", "Excisional biopsy"), radiation ("Whole breast radiotherapy",
        /// "Brachytherapy"), systemic therapy ("Neoadjuvant chemotherapy", "Immunotherapy"), a
        /// surgery ("Lumpectomy", "Laparoscopic appendectomy", "Wide local excision",
        /// "Resection"); else nil.
        public static func guess(fromName name: String) -> Category? {
            let words = name.lowercased().split { !$0.isLetter }.map(String.init)
            func any(_ test: (String) -> Bool) -> Bool { words.contains(where: test) }
            if any({ $0 == "biopsy" || $0 == "biopsies" || $0 == "aspiration" }) { return .biopsy }
            if any({ $0.hasPrefix("radiotherap") || $0.hasPrefix("radiation") || $0.hasPrefix("irradiat")
                || $0 == "brachytherapy" || $0 == "sbrt" || $0 == "imrt" || $0 == "radiosurgery" }) {
                return .radiationTherapy
            }
            if any({ $0.hasPrefix("chemotherap") || $0.hasPrefix("immunotherap") || $0 == "chemo" }) { return .systemicTherapy }
            if any({ $0.hasSuffix("ectomy") || $0.hasSuffix("ectomies") || $0 == "resection" || $0 == "excision"
                || $0 == "surgery" || $0 == "surgical" || $0 == "amputation" || $0 == "reconstruction" }) {
                return .surgery
            }
            return nil
        }
    }

    public enum Status: String, Sendable, Codable, CaseIterable {
        case preparation
        case inProgress = "in-progress"
        case notDone = "not-done"
        case onHold = "on-hold"
        case stopped, completed
        case enteredInError = "entered-in-error"
        case unknown
    }

    public var id: Int64
    public var uuid: String
    public var patientID: Int64
    public var name: String
    public var code: String?
    public var codeSystem: CodeSystem?
    public var category: Category
    /// When it was done, or when a period (radiation over weeks) began.
    public var performedOn: DateOrTime?
    /// When a period ended.
    public var performedUntil: DateOrTime?
    /// Who performed it.
    public var providerID: Int64?
    public var bodySite: String?
    /// The diagnosis it treats or investigates.
    public var diagnosisID: Int64?
    public var outcome: String?
    public var status: Status
    /// The patient's own notes: private, exported only into summary.html and only when asked.
    public var notes: String?
    /// What the source said of it that has no field of its own (a date in words, why it was not
    /// done, the source's own note annotations), written by import; never the patient's (`notes`).
    /// Exported with it (fhir.json's `note`, summary.html), unlike `notes`.
    public var sourceNotes: String?
    public var createdAt: String
    public var updatedAt: String

    public init(patientID: Int64, name: String, code: String? = nil, codeSystem: CodeSystem? = nil,
                category: Category = .other, performedOn: DateOrTime? = nil, performedUntil: DateOrTime? = nil,
                providerID: Int64? = nil, bodySite: String? = nil, diagnosisID: Int64? = nil, outcome: String? = nil,
                status: Status = .completed, notes: String? = nil, sourceNotes: String? = nil, uuid: String? = nil) {
        self.id = 0
        self.uuid = uuid ?? HealthStore.newUUID()
        self.patientID = patientID
        self.name = name
        self.code = code
        self.codeSystem = codeSystem
        self.category = category
        self.performedOn = performedOn
        self.performedUntil = performedUntil
        self.providerID = providerID
        self.bodySite = bodySite
        self.diagnosisID = diagnosisID
        self.outcome = outcome
        self.status = status
        self.notes = notes
        self.sourceNotes = sourceNotes
        self.createdAt = ""
        self.updatedAt = ""
    }
}

extension Procedure: StoredItem {
    static let table = "procedures"
    static let entityName = "procedure"
    static let columns = [
        "id", "uuid", "patient_id", "name", "code", "code_system", "category", "performed_on", "performed_until",
        "provider_id", "body_site", "diagnosis_id", "outcome", "status", "notes", "source_notes", "created_at", "updated_at",
    ]
    static let selectList = SelectList.columns(columns)

    init(row: Row) throws {
        id = try row.get("id")
        uuid = try row.get("uuid")
        patientID = try row.get("patient_id")
        name = try row.get("name")
        code = try row.get("code")
        codeSystem = try row.get("code_system", as: String?.self).map { try Field.enumeration($0, column: "procedures.code_system") }
        category = try Field.enumeration(row.get("category"), column: "procedures.category")
        performedOn = try Field.dateOrTime(row.get("performed_on", as: String?.self), column: "procedures.performed_on")
        performedUntil = try Field.dateOrTime(row.get("performed_until", as: String?.self), column: "procedures.performed_until")
        providerID = try row.get("provider_id")
        bodySite = try row.get("body_site")
        diagnosisID = try row.get("diagnosis_id")
        outcome = try row.get("outcome")
        status = try Field.enumeration(row.get("status"), column: "procedures.status")
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
            throw StoreError.invalidField(field: "code", reason: "a code needs its system (snomed-ct, cpt, icd-10-pcs or other)")
        }
        if let performedUntil {
            guard let performedOn else {
                throw StoreError.invalidField(field: "until", reason: "a period needs its start date too")
            }
            if performedUntil.date < performedOn.date, !Medication.overlaps(performedOn.date, performedUntil.date) {
                throw StoreError.invalidField(field: "until", reason: "\(performedUntil) is before the start (\(performedOn))")
            }
        }
        return [
            .column("patient_id", patientID), .column("name", try Field.required(name, "name")), .column("code", code),
            .column("code_system", code == nil ? nil : codeSystem?.rawValue), .column("category", category.rawValue),
            .column("performed_on", performedOn?.description), .column("performed_until", performedUntil?.description),
            .column("provider_id", providerID), .column("body_site", Field.optional(bodySite)),
            .column("diagnosis_id", diagnosisID), .column("outcome", Field.optional(outcome)),
            .column("status", status.rawValue), .column("notes", Field.optional(notes)),
            .column("source_notes", Field.optional(sourceNotes)),
        ]
    }
}

/// Which procedures to list. Every criterion that is set must hold.
public struct ProcedureFilter: Sendable {
    public var categories: [Procedure.Category]?
    public var diagnosisID: Int64?
    /// Done on or after this day (a course over a period: ending on or after it), or in a month or
    /// year that reaches it (`DayRange`); undated ones are left out when set.
    public var since: PartialDate?
    /// Done (or begun) on or before this day.
    public var until: PartialDate?

    public init(categories: [Procedure.Category]? = nil, diagnosisID: Int64? = nil, since: PartialDate? = nil,
                until: PartialDate? = nil) {
        self.categories = categories
        self.diagnosisID = diagnosisID
        self.since = since
        self.until = until
    }
}

extension HealthStore {
    /// Adds a procedure after checking it (see `Procedure`); returns it as stored.
    @discardableResult
    public func addProcedure(_ procedure: Procedure) throws -> Procedure {
        try requireProcedure(try insertProcedure(procedure))
    }

    /// Adds a procedure as `addProcedure` does and returns only its row id: for writers that need nothing
    /// else back (an import stores thousands of rows and reads none of them back).
    @discardableResult
    public func insertProcedure(_ procedure: Procedure) throws -> Int64 {
        try insertItem(procedure)
    }

    /// Replaces every field of procedure `procedure.id` a caller sets, after the same checks.
    @discardableResult
    public func updateProcedure(_ procedure: Procedure) throws -> Procedure {
        try updateItem(procedure)
    }

    public func removeProcedure(id: Int64) throws {
        try deleteRow(Procedure.table, id: id)
    }

    public func procedure(id: Int64) throws -> Procedure? {
        try item(Procedure.self, id: id)
    }

    public func requireProcedure(_ id: Int64) throws -> Procedure {
        try requireItem(Procedure.self, id: id)
    }

    public func procedure(uuid: String) throws -> Procedure? {
        try item(Procedure.self, uuid: uuid)
    }

    /// A patient's procedures matching `filter`, by date (undated first), then as added.
    public func procedures(patientID: Int64, _ filter: ProcedureFilter = ProcedureFilter()) throws -> [Procedure] {
        var sql = "SELECT \(Procedure.selectList) FROM procedures WHERE patient_id = ?"
        var bindings: [any SQLiteBindable] = [patientID]
        if let categories = filter.categories {
            sql += " AND category IN (\(categories.isEmpty ? "NULL" : categories.map { _ in "?" }.joined(separator: ", ")))"
            bindings += categories.map(\.rawValue)
        }
        if let diagnosisID = filter.diagnosisID {
            sql += " AND diagnosis_id = ?"
            bindings.append(diagnosisID)
        }
        if let since = filter.since {
            // Its period's end (else its date) reaches the since-date (`DayRange`).
            let reaching = DayRange.reaching(since, "coalesce(performed_until, performed_on)")
            sql += " AND performed_on IS NOT NULL AND \(reaching.sql)"
            bindings += reaching.bindings
        }
        if let until = filter.until {
            // Begun on or before the end of the until-date's period (`DayRange`).
            let days = DayRange(since: nil, until: until).condition(on: "performed_on")
            sql += days.sql
            bindings += days.bindings
        }
        // By date as written (undated first: NULL sorts first), then as added: the order of the
        // patient-and-date index (see `resultOrder`).
        sql += " ORDER BY performed_on, id"
        return try database.query(sql, bindings, Procedure.init)
    }
}
