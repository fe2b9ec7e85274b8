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
    static let columns = ["diagnosis_id", "original_doctor_told_on", "treatment_planned_on", "treatment_started_on", "notes"]

    init(row: Row) throws {
        diagnosisID = try row.get("diagnosis_id")
        originalDoctorToldOn = try Field.date(row.get("original_doctor_told_on", as: String?.self),
                                              column: "diagnosis_reviews.original_doctor_told_on")
        treatmentPlannedOn = try Field.date(row.get("treatment_planned_on", as: String?.self),
                                            column: "diagnosis_reviews.treatment_planned_on")
        treatmentStartedOn = try Field.date(row.get("treatment_started_on", as: String?.self),
                                            column: "diagnosis_reviews.treatment_started_on")
        notes = try row.get("notes")
    }
}

extension HealthStore {
    /// The review facts of a diagnosis; all unknown when none were recorded.
    public func diagnosisReview(diagnosisID: Int64) throws -> DiagnosisReview {
        try database.query("""
            SELECT \(SelectList.columns(DiagnosisReview.columns)) FROM diagnosis_reviews WHERE diagnosis_id = ?
            """, [diagnosisID], DiagnosisReview.init).first ?? DiagnosisReview(diagnosisID: diagnosisID)
    }

    /// The review facts recorded for a patient's diagnoses, by diagnosis (those without any left
    /// out). Each review's diagnosis is looked up: reviews are few, a patient's diagnoses may not be.
    public func diagnosisReviews(patientID: Int64) throws -> [Int64: DiagnosisReview] {
        let reviews = try database.query("""
            SELECT \(SelectList.columns(DiagnosisReview.columns)) FROM diagnosis_reviews
            WHERE (SELECT patient_id FROM diagnoses WHERE id = diagnosis_reviews.diagnosis_id) = ?
            """, [patientID], DiagnosisReview.init)
        return Dictionary(reviews.map { ($0.diagnosisID, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Stores the review facts of a diagnosis, replacing those recorded before.
    @discardableResult
    public func setDiagnosisReview(_ review: DiagnosisReview) throws -> DiagnosisReview {
        try requireRow("diagnoses", "diagnosis", id: review.diagnosisID)
        let now = Timestamp.now()
        let values: [ColumnValue] = [.column("original_doctor_told_on", review.originalDoctorToldOn?.description),
                                     .column("treatment_planned_on", review.treatmentPlannedOn?.description),
                                     .column("treatment_started_on", review.treatmentStartedOn?.description),
                                     .column("notes", Field.optional(review.notes))]
        let exists: Int64? = try database.scalar("SELECT 1 FROM diagnosis_reviews WHERE diagnosis_id = ?", [review.diagnosisID])
        if exists == nil {
            try database.insert(into: "diagnosis_reviews", values
                                + [.column("diagnosis_id", review.diagnosisID), .column("created_at", now),
                                   .column("updated_at", now)])
        } else {
            try database.update("diagnosis_reviews", set: values + [.column("updated_at", now)],
                                where: .column("diagnosis_id", review.diagnosisID))
        }
        return try diagnosisReview(diagnosisID: review.diagnosisID)
    }
}
