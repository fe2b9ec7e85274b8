/// A condition a patient was diagnosed with, coded where possible, with its stage and status.
public struct Diagnosis: Sendable, Hashable, Codable, Identifiable {
    public enum CodeSystem: String, Sendable, Codable, CaseIterable {
        case icd10cm = "icd-10-cm"
        case icdO3 = "icd-o-3"
        case snomedCT = "snomed-ct"
    }

    public enum Status: String, Sendable, Codable, CaseIterable {
        case suspected, confirmed, refuted, resolved
    }

    /// What kind of condition it is (FHIR's Condition.category; SNOMED CT's semantic tag for
    /// social findings). Lists, `status` and the packet show medical ones; social findings
    /// ("Full-time employment") are kept and shown apart on request.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case problem
        case encounterDiagnosis = "encounter-diagnosis"
        case healthConcern = "health-concern"
        case socialFinding = "social-finding"

        /// Whether it is a medical condition rather than a social circumstance.
        public var isMedical: Bool { self != .socialFinding }
    }

    public var id: Int64
    public var uuid: String
    public var patientID: Int64
    public var description: String
    public var code: String?
    public var codeSystem: CodeSystem?
    public var diagnosedOn: PartialDate?
    /// The provider who made the diagnosis.
    public var providerID: Int64?
    public var status: Status
    /// Free text, e.g. `IIA` or `pT2 N1a M0`.
    public var stage: String?
    /// The patient's own notes: private, exported only into summary.html and only when asked.
    public var notes: String?
    /// What the source said of it that has no field of its own (a date in words, why it was not
    /// done, the source's own note annotations), written by import; never the patient's (`notes`).
    /// Exported with it (fhir.json's `note`, summary.html), unlike `notes`.
    public var sourceNotes: String?
    public var kind: Kind
    public var createdAt: String
    public var updatedAt: String

    public init(patientID: Int64, description: String, code: String? = nil, codeSystem: CodeSystem? = nil,
                diagnosedOn: PartialDate? = nil, providerID: Int64? = nil, status: Status = .confirmed,
                stage: String? = nil, notes: String? = nil, sourceNotes: String? = nil, kind: Kind = .problem, uuid: String? = nil) {
        self.id = 0
        self.uuid = uuid ?? HealthStore.newUUID()
        self.patientID = patientID
        self.description = description
        self.code = code
        self.codeSystem = codeSystem
        self.diagnosedOn = diagnosedOn
        self.providerID = providerID
        self.status = status
        self.stage = stage
        self.notes = notes
        self.sourceNotes = sourceNotes
        self.kind = kind
        self.createdAt = ""
        self.updatedAt = ""
    }
}

extension Diagnosis: StoredItem {
    static let table = "diagnoses"
    static let entityName = "diagnosis"
    static let columns = [
        "id", "uuid", "patient_id", "description", "code", "code_system", "diagnosed_on", "provider_id", "status",
        "stage", "notes", "source_notes", "kind", "created_at", "updated_at",
    ]
    static let selectList = SelectList.columns(columns)

    init(row: Row) throws {
        id = try row.get("id")
        uuid = try row.get("uuid")
        patientID = try row.get("patient_id")
        description = try row.get("description")
        code = try row.get("code")
        codeSystem = try row.get("code_system", as: String?.self).map { try Field.enumeration($0, column: "diagnoses.code_system") }
        diagnosedOn = try Field.date(row.get("diagnosed_on", as: String?.self), column: "diagnoses.diagnosed_on")
        providerID = try row.get("provider_id")
        status = try Field.enumeration(row.get("status"), column: "diagnoses.status")
        stage = try row.get("stage")
        notes = try row.get("notes")
        sourceNotes = try row.get("source_notes")
        kind = try Field.enumeration(row.get("kind"), column: "diagnoses.kind")
        createdAt = try row.get("created_at")
        updatedAt = try row.get("updated_at")
    }

    /// The columns a caller sets, checked.
    func validatedValues(in store: HealthStore) throws -> [ColumnValue] {
        try store.requireRow("patients", "patient", id: patientID)
        try store.requireRow("providers", "provider", id: providerID)
        let code = Field.optional(code)
        if code != nil, codeSystem == nil {
            throw StoreError.invalidField(field: "code", reason: "a code needs its system (icd-10-cm, icd-o-3 or snomed-ct)")
        }
        return [
            .column("patient_id", patientID), .column("description", try Field.required(description, "description")),
            .column("code", code), .column("code_system", code == nil ? nil : codeSystem?.rawValue),
            .column("diagnosed_on", diagnosedOn?.description), .column("provider_id", providerID),
            .column("status", status.rawValue), .column("stage", Field.optional(stage)),
            .column("notes", Field.optional(notes)),
            .column("source_notes", Field.optional(sourceNotes)), .column("kind", kind.rawValue),
        ]
    }
}

extension HealthStore {
    @discardableResult
    public func addDiagnosis(_ diagnosis: Diagnosis) throws -> Diagnosis {
        try requireDiagnosis(try insertDiagnosis(diagnosis))
    }

    /// Adds a diagnosis as `addDiagnosis` does and returns only its row id: for writers that need nothing
    /// else back (an import stores thousands of rows and reads none of them back).
    @discardableResult
    public func insertDiagnosis(_ diagnosis: Diagnosis) throws -> Int64 {
        try insertItem(diagnosis)
    }

    @discardableResult
    public func updateDiagnosis(_ diagnosis: Diagnosis) throws -> Diagnosis {
        try updateItem(diagnosis)
    }

    /// Removes a diagnosis that has no opinions. Its links to records go with it (and come back
    /// with an undo); appointments for it keep their place but lose the link.
    public func removeDiagnosis(id: Int64) throws {
        try deleteRow(Diagnosis.table, id: id)
    }

    public func diagnosis(id: Int64) throws -> Diagnosis? {
        try item(Diagnosis.self, id: id)
    }

    public func requireDiagnosis(_ id: Int64) throws -> Diagnosis {
        try requireItem(Diagnosis.self, id: id)
    }

    public func diagnosis(uuid: String) throws -> Diagnosis? {
        try item(Diagnosis.self, uuid: uuid)
    }

    /// The diagnoses with these ids, by id (ids of no diagnosis are left out).
    public func diagnoses(ids: some Sequence<Int64>) throws -> [Int64: Diagnosis] {
        let found = try database.query("SELECT \(Diagnosis.selectList) FROM diagnoses WHERE id IN (SELECT value FROM json_each(?))",
                                       [IDList(ids)], Diagnosis.init)
        return Dictionary(found.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// A patient's diagnoses of every kind, oldest first (undated ones last); with `since`, only
    /// those whose date reaches it (`DayRange`: one diagnosed in May 2024, dated by its month, is
    /// diagnosed since 2024-05-20).
    public func diagnoses(patientID: Int64, since: PartialDate? = nil) throws -> [Diagnosis] {
        // The date is left out of the SQL when not given, so that the patient's date index is used
        // when it is (SQLite plans a statement before its values are bound).
        let days = DayRange(since: since, until: nil).condition(on: "diagnosed_on")
        return try database.query("""
            SELECT \(Diagnosis.selectList) FROM diagnoses WHERE patient_id = ?\(days.sql)
            ORDER BY diagnosed_on IS NULL, diagnosed_on, id
            """, [patientID] + days.bindings, Diagnosis.init)
    }

    /// A patient's diagnoses of `kinds`, oldest first (undated ones last): `medicalDiagnoses`
    /// for what lists and checklists show.
    public func diagnoses(patientID: Int64, kinds: [Diagnosis.Kind], since: PartialDate? = nil) throws -> [Diagnosis] {
        try diagnoses(patientID: patientID, since: since).filter { kinds.contains($0.kind) }
    }

    /// A patient's medical diagnoses (every kind but social findings), oldest first; with `since`,
    /// only those diagnosed on or after it.
    public func medicalDiagnoses(patientID: Int64, since: PartialDate? = nil) throws -> [Diagnosis] {
        try diagnoses(patientID: patientID, kinds: Diagnosis.Kind.allCases.filter(\.isMedical), since: since)
    }
}
