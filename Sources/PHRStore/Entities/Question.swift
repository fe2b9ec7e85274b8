/// A question the patient wants to ask, for an appointment and/or about a diagnosis, with each
/// provider's answer.
public struct Question: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    public var uuid: String
    public var patientID: Int64
    public var text: String
    public var appointmentID: Int64?
    public var diagnosisID: Int64?
    public var notes: String?
    /// The answers given, oldest first; set by the store.
    public internal(set) var answers: [Answer]
    public var createdAt: String
    public var updatedAt: String

    public init(patientID: Int64, text: String, appointmentID: Int64? = nil, diagnosisID: Int64? = nil,
                notes: String? = nil, uuid: String? = nil) {
        self.id = 0
        self.uuid = uuid ?? HealthStore.newUUID()
        self.patientID = patientID
        self.text = text
        self.appointmentID = appointmentID
        self.diagnosisID = diagnosisID
        self.notes = notes
        self.answers = []
        self.createdAt = ""
        self.updatedAt = ""
    }

    /// No provider has answered it yet.
    public var isOpen: Bool { answers.isEmpty }
}

/// One provider's answer to a question.
public struct Answer: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    public var uuid: String
    public var questionID: Int64
    public var providerID: Int64
    public var text: String
    public var answeredOn: PartialDate
    public var createdAt: String
    public var updatedAt: String

    public init(questionID: Int64, providerID: Int64, text: String, answeredOn: PartialDate, uuid: String? = nil) {
        self.id = 0
        self.uuid = uuid ?? HealthStore.newUUID()
        self.questionID = questionID
        self.providerID = providerID
        self.text = text
        self.answeredOn = answeredOn
        self.createdAt = ""
        self.updatedAt = ""
    }
}

/// Which questions to list. Every criterion that is set must hold.
public struct QuestionFilter: Sendable {
    public var appointmentID: Int64?
    public var diagnosisID: Int64?
    /// Only questions nobody has answered yet.
    public var openOnly: Bool

    public init(appointmentID: Int64? = nil, diagnosisID: Int64? = nil, openOnly: Bool = false) {
        self.appointmentID = appointmentID
        self.diagnosisID = diagnosisID
        self.openOnly = openOnly
    }
}

extension Question {
    static let columns = [
        "id", "uuid", "patient_id", "text", "appointment_id", "diagnosis_id", "notes", "created_at", "updated_at",
    ]
    static let selectList = SelectList.columns(columns)

    init(row: Row) throws {
        id = try row.get("id")
        uuid = try row.get("uuid")
        patientID = try row.get("patient_id")
        text = try row.get("text")
        appointmentID = try row.get("appointment_id")
        diagnosisID = try row.get("diagnosis_id")
        notes = try row.get("notes")
        createdAt = try row.get("created_at")
        updatedAt = try row.get("updated_at")
        answers = []
    }

    /// The columns a caller sets, checked.
    fileprivate func validatedValues(in store: HealthStore) throws -> [ColumnValue] {
        try store.requireRow("patients", "patient", id: patientID)
        if let appointmentID {
            let appointment = try store.requireAppointment(appointmentID)
            guard appointment.patientID == patientID else {
                throw StoreError.invalidField(field: "appointment", reason: "appointment \(appointmentID) belongs to another patient")
            }
        }
        if let diagnosisID {
            let diagnosis = try store.requireDiagnosis(diagnosisID)
            guard diagnosis.patientID == patientID else {
                throw StoreError.invalidField(field: "diagnosis", reason: "diagnosis \(diagnosisID) belongs to another patient")
            }
        }
        return [.column("patient_id", patientID), .column("text", try Field.required(text, "question")),
                .column("appointment_id", appointmentID), .column("diagnosis_id", diagnosisID),
                .column("notes", Field.optional(notes))]
    }
}

extension Answer {
    static let columns = ["id", "uuid", "question_id", "provider_id", "text", "answered_on", "created_at", "updated_at"]
    static let selectList = SelectList.columns(columns)

    init(row: Row) throws {
        id = try row.get("id")
        uuid = try row.get("uuid")
        questionID = try row.get("question_id")
        providerID = try row.get("provider_id")
        text = try row.get("text")
        guard let date = try Field.date(row.get("answered_on", as: String?.self), column: "answers.answered_on") else {
            throw StoreError.invalidField(field: "answers.answered_on", reason: "the stored value is empty")
        }
        answeredOn = date
        createdAt = try row.get("created_at")
        updatedAt = try row.get("updated_at")
    }
}

extension HealthStore {
    @discardableResult
    public func addQuestion(_ question: Question) throws -> Question {
        let id = try insertRow("questions", try question.validatedValues(in: self), uuid: question.uuid)
        return try requireQuestion(id)
    }

    /// Removes a question with its answers (an undo brings both back).
    public func removeQuestion(id: Int64) throws {
        try requireRow("questions", "question", id: id)
        try database.run("DELETE FROM answers WHERE question_id = ?", [id])
        try deleteRow("questions", id: id)
    }

    /// Records a provider's answer to a question.
    @discardableResult
    public func addAnswer(_ answer: Answer) throws -> Answer {
        try requireRow("questions", "question", id: answer.questionID)
        try requireRow("providers", "provider", id: answer.providerID)
        let now = Timestamp.now()
        try database.insert(into: "answers", [
            .column("question_id", answer.questionID), .column("provider_id", answer.providerID),
            .column("text", try Field.required(answer.text, "answer")),
            .column("answered_on", answer.answeredOn.description), .column("uuid", answer.uuid),
            .column("created_at", now), .column("updated_at", now),
        ])
        let id = database.lastInsertRowID
        guard let stored = try database.query("SELECT \(Answer.selectList) FROM answers WHERE id = ?", [id], Answer.init).first else {
            throw StoreError.notFound(entity: "answer", id: id)
        }
        return stored
    }

    public func question(id: Int64) throws -> Question? {
        guard var question = try database.query("SELECT \(Question.selectList) FROM questions WHERE id = ?", [id],
                                                Question.init).first else { return nil }
        question.answers = try answers(questionID: id)
        return question
    }

    public func requireQuestion(_ id: Int64) throws -> Question {
        guard let question = try question(id: id) else { throw StoreError.notFound(entity: "question", id: id) }
        return question
    }

    public func answers(questionID: Int64) throws -> [Answer] {
        try database.query("SELECT \(Answer.selectList) FROM answers WHERE question_id = ? ORDER BY answered_on, id",
                           [questionID], Answer.init)
    }

    /// A patient's questions matching `filter`, in the order they were written down, each with
    /// its answers.
    public func questions(patientID: Int64, _ filter: QuestionFilter = QuestionFilter()) throws -> [Question] {
        var sql = "SELECT \(Question.selectList) FROM questions q WHERE patient_id = ?"
        var bindings: [any SQLiteBindable] = [patientID]
        if let appointmentID = filter.appointmentID {
            sql += " AND appointment_id = ?"
            bindings.append(appointmentID)
        }
        if let diagnosisID = filter.diagnosisID {
            sql += " AND diagnosis_id = ?"
            bindings.append(diagnosisID)
        }
        if filter.openOnly {
            sql += " AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.question_id = q.id)"
        }
        sql += " ORDER BY id"
        var questions = try database.query(sql, bindings, Question.init)
        for index in questions.indices {
            questions[index].answers = try answers(questionID: questions[index].id)
        }
        return questions
    }
}
