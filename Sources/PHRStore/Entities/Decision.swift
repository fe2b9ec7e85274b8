/// The treatment the patient decided on for a diagnosis, and the opinions the decision rests on.
///
/// A decision closes the review of its diagnosis: the readiness checklist stops asking about it.
public struct Decision: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    public var uuid: String
    public var diagnosisID: Int64
    public var treatment: String
    public var decidedOn: PartialDate
    /// Opinions on the same diagnosis that the decision follows, in id order.
    public var opinionIDs: [Int64]
    public var notes: String?
    public var createdAt: String
    public var updatedAt: String

    public init(diagnosisID: Int64, treatment: String, decidedOn: PartialDate, opinionIDs: [Int64] = [],
                notes: String? = nil, uuid: String? = nil) {
        self.id = 0
        self.uuid = uuid ?? HealthStore.newUUID()
        self.diagnosisID = diagnosisID
        self.treatment = treatment
        self.decidedOn = decidedOn
        self.opinionIDs = opinionIDs
        self.notes = notes
        self.createdAt = ""
        self.updatedAt = ""
    }
}

extension Decision: StoredItem {
    static let table = "decisions"
    static let entityName = "decision"
    static let columns = ["id", "uuid", "diagnosis_id", "treatment", "decided_on", "notes", "created_at", "updated_at"]
    static let selectList = SelectList.columns(columns) + """
        , (SELECT group_concat(opinion_id) FROM (SELECT opinion_id FROM decision_opinions
           WHERE decision_id = decisions.id ORDER BY opinion_id)) AS opinion_ids
        """

    init(row: Row) throws {
        id = try row.get("id")
        uuid = try row.get("uuid")
        diagnosisID = try row.get("diagnosis_id")
        treatment = try row.get("treatment")
        guard let date = try Field.date(row.get("decided_on", as: String?.self), column: "decisions.decided_on") else {
            throw StoreError.invalidField(field: "decisions.decided_on", reason: "the stored value is empty")
        }
        decidedOn = date
        notes = try row.get("notes")
        createdAt = try row.get("created_at")
        updatedAt = try row.get("updated_at")
        opinionIDs = try row.get("opinion_ids", as: String?.self)?.split(separator: ",").compactMap { Int64($0) } ?? []
    }

    /// The columns a caller sets, checked.
    func validatedValues(in store: HealthStore) throws -> [ColumnValue] {
        try store.requireRow("diagnoses", "diagnosis", id: diagnosisID)
        for opinionID in opinionIDs {
            let opinion = try store.requireOpinion(opinionID)
            guard opinion.diagnosisID == diagnosisID else {
                throw StoreError.invalidField(field: "based-on",
                                              reason: "opinion \(opinionID) is about another diagnosis than \(diagnosisID)")
            }
        }
        return [.column("diagnosis_id", diagnosisID), .column("treatment", try Field.required(treatment, "treatment")),
                .column("decided_on", decidedOn.description), .column("notes", Field.optional(notes))]
    }
}

extension HealthStore {
    @discardableResult
    public func addDecision(_ decision: Decision) throws -> Decision {
        let id = try insertItem(decision)
        try linkOpinions(decisionID: id, decision.opinionIDs)
        return try requireDecision(id)
    }

    /// Removes a decision and its links to opinions (an undo brings them back).
    public func removeDecision(id: Int64) throws {
        try requireRow(Decision.table, Decision.entityName, id: id)
        try database.run("DELETE FROM decision_opinions WHERE decision_id = ?", [id])
        try deleteRow(Decision.table, id: id)
    }

    private func linkOpinions(decisionID: Int64, _ opinionIDs: [Int64]) throws {
        for opinionID in Set(opinionIDs).sorted() {
            try database.run("INSERT INTO decision_opinions (decision_id, opinion_id) VALUES (?, ?)", [decisionID, opinionID])
        }
    }

    public func decision(id: Int64) throws -> Decision? {
        try item(Decision.self, id: id)
    }

    public func requireDecision(_ id: Int64) throws -> Decision {
        try requireItem(Decision.self, id: id)
    }

    /// The decisions on a diagnosis, oldest first (the last one is the one in force).
    public func decisions(diagnosisID: Int64) throws -> [Decision] {
        try database.query("SELECT \(Decision.selectList) FROM decisions WHERE diagnosis_id = ? ORDER BY decided_on, id",
                           [diagnosisID], Decision.init)
    }

    /// A patient's decisions, oldest first. Each decision's diagnosis is looked up: decisions are
    /// few, a patient's diagnoses may not be.
    public func decisions(patientID: Int64) throws -> [Decision] {
        try database.query("""
            SELECT \(Decision.selectList) FROM decisions
            WHERE (SELECT patient_id FROM diagnoses WHERE id = decisions.diagnosis_id) = ?
            ORDER BY decided_on, id
            """, [patientID], Decision.init)
    }
}
