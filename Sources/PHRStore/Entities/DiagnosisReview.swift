/// Facts about the second-opinion review of one diagnosis that the readiness checklist needs:
/// whether the original doctor knows, and when treatment is planned to start or started.
///
/// At most one per diagnosis; a diagnosis without one has every fact unknown.
public struct DiagnosisReview: Sendable, Hashable, Codable {
    public var diagnosisID: Int64
    /// When the patient told the original doctor about the second opinion; `nil`: not yet.
    public var originalDoctorToldOn: PartialDate?
    public var treatmentPlannedOn: PartialDate?
    public var treatmentStartedOn: PartialDate?
    public var notes: String?

    public init(diagnosisID: Int64, originalDoctorToldOn: PartialDate? = nil, treatmentPlannedOn: PartialDate? = nil,
                treatmentStartedOn: PartialDate? = nil, notes: String? = nil) {
        self.diagnosisID = diagnosisID
        self.originalDoctorToldOn = originalDoctorToldOn
        self.treatmentPlannedOn = treatmentPlannedOn
        self.treatmentStartedOn = treatmentStartedOn
        self.notes = notes
    }
}

extension DiagnosisReview {
    init(row: Row) throws {
        diagnosisID = try row.get(0)
        originalDoctorToldOn = try Field.date(row.get(1, as: String?.self), column: "diagnosis_reviews.original_doctor_told_on")
        treatmentPlannedOn = try Field.date(row.get(2, as: String?.self), column: "diagnosis_reviews.treatment_planned_on")
        treatmentStartedOn = try Field.date(row.get(3, as: String?.self), column: "diagnosis_reviews.treatment_started_on")
        notes = try row.get(4)
    }
}

extension HealthStore {
    /// The review facts of a diagnosis; all unknown when none were recorded.
    public func diagnosisReview(diagnosisID: Int64) throws -> DiagnosisReview {
        try database.query("""
            SELECT diagnosis_id, original_doctor_told_on, treatment_planned_on, treatment_started_on, notes
            FROM diagnosis_reviews WHERE diagnosis_id = ?
            """, [diagnosisID], DiagnosisReview.init).first ?? DiagnosisReview(diagnosisID: diagnosisID)
    }

    /// Stores the review facts of a diagnosis, replacing those recorded before.
    @discardableResult
    public func setDiagnosisReview(_ review: DiagnosisReview) throws -> DiagnosisReview {
        try requireRow("diagnoses", "diagnosis", id: review.diagnosisID)
        let now = Timestamp.now()
        let values: [any SQLiteBindable] = [review.originalDoctorToldOn?.description, review.treatmentPlannedOn?.description,
                                            review.treatmentStartedOn?.description, Field.optional(review.notes)]
        let exists: Int64? = try database.scalar("SELECT 1 FROM diagnosis_reviews WHERE diagnosis_id = ?", [review.diagnosisID])
        if exists == nil {
            try database.run("""
                INSERT INTO diagnosis_reviews (original_doctor_told_on, treatment_planned_on, treatment_started_on, notes,
                                               diagnosis_id, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, values + [review.diagnosisID, now, now])
        } else {
            try database.run("""
                UPDATE diagnosis_reviews SET original_doctor_told_on = ?, treatment_planned_on = ?, treatment_started_on = ?,
                                             notes = ?, updated_at = ?
                WHERE diagnosis_id = ?
                """, values + [now, review.diagnosisID])
        }
        return try diagnosisReview(diagnosisID: review.diagnosisID)
    }
}
