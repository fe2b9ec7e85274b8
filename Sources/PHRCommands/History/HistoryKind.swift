import ArgumentParser
import PHRStore

/// The kinds of things whose history phr keeps, as people type them (`provider`, `providers`),
/// and the store tables they live in.
enum HistoryKind: String, CaseIterable, ExpressibleByArgument {
    case patient, provider, diagnosis, appointment, opinion, record
    case transfer, question, answer, decision
    case result, medication, allergy, procedure, immunization

    init?(argument: String) {
        let lowered = argument.lowercased()
        if let kind = HistoryKind(rawValue: lowered) {
            self = kind
        } else if let kind = HistoryKind.allCases.first(where: { $0.table == lowered }) {
            self = kind
        } else {
            return nil
        }
    }

    /// The table its rows are kept in (a fixed name, never from input).
    var table: String {
        switch self {
        case .patient: return "patients"
        case .provider: return "providers"
        case .diagnosis: return "diagnoses"
        case .appointment: return "appointments"
        case .opinion: return "opinions"
        case .record: return "records"
        case .transfer: return "transfers"
        case .question: return "questions"
        case .answer: return "answers"
        case .decision: return "decisions"
        case .result: return "results"
        case .medication: return "medications"
        case .allergy: return "allergies"
        case .procedure: return "procedures"
        case .immunization: return "immunizations"
        }
    }

    init?(table: String) {
        guard let kind = HistoryKind.allCases.first(where: { $0.table == table }) else { return nil }
        self = kind
    }

    /// What people call the rows of `table`: `provider`, or `record link` for a record's link to
    /// a diagnosis.
    static func name(ofTable table: String) -> String {
        switch table {
        case "record_diagnoses": return "record link"
        case "decision_opinions": return "decision link"
        case "diagnosis_reviews": return "diagnosis checklist facts"
        case "appointment_preparations": return "appointment checklist facts"
        case "settings": return "setting"
        default: break
        }
        return HistoryKind(table: table)?.rawValue ?? table
    }

    /// How an item of this kind is named in messages, from the store as it is now.
    func label(of id: Int64, in store: HealthStore) throws -> String {
        switch self {
        case .patient: return try store.requirePatient(id).name
        case .provider: return try store.requireProvider(id).name
        case .diagnosis: return try store.requireDiagnosis(id).description
        case .appointment: return "on " + (try store.requireAppointment(id).whenText)
        case .opinion: return "given " + (try store.requireOpinion(id).givenOn.description)
        case .record: return try store.requireRecord(id).title
        case .transfer:
            let transfer = try store.requireTransfer(id)
            return "\(transfer.kind.rawValue) of record \(transfer.recordID) on \(transfer.occurredOn)"
        case .question: return try store.requireQuestion(id).text
        case .answer: return "answer \(id)"
        case .decision: return try store.requireDecision(id).treatment
        case .result: return try store.requireResult(id).name
        case .medication: return try store.requireMedication(id).name
        case .allergy: return try store.requireAllergy(id).displayName
        case .procedure: return try store.requireProcedure(id).name
        case .immunization: return try store.requireImmunization(id).vaccine
        }
    }

    /// A short label for a history snapshot (the row's JSON), decoded by the store.
    static func label(ofSnapshot snapshot: String, table: String) -> String? {
        HistorySnapshot(json: snapshot).label(table: table)
    }
}
