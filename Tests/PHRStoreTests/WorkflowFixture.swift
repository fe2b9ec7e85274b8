import Foundation
@testable import PHRStore
import XCTest

/// A synthetic second-opinion case for the workflow tests: a patient diagnosed on 2026-10-28 by
/// Dr. First at City Hospital, and a second-opinion appointment with Dr. Ortiz at the Cancer
/// Centre. "Now" is fixed at 2026-11-25 12:00 UTC, so every verdict and day count is the same on
/// every run.
struct WorkflowFixture {
    let store: HealthStore
    let patient: Patient
    let first: Provider
    let ortiz: Provider
    /// The Cancer Centre's pathology department: same organization as Dr. Ortiz.
    let centrePathology: Provider
    let lab: Provider
    let diagnosis: Diagnosis

    static let utc = TimeZone(secondsFromGMT: 0) ?? .current
    /// 2026-11-25 12:00 UTC.
    static let now = ReferenceTime(Date(timeIntervalSince1970: 1_795_608_000), timeZone: utc)

    init(store: HealthStore) throws {
        self.store = store
        (patient, first, ortiz, centrePathology, lab, diagnosis) = try store.write("fixture") {
            let patient = try store.addPatient(Patient(name: "Ada Example"))
            let first = try store.addProvider(Provider(name: "Dr. First", specialty: "oncology", organization: "City Hospital"))
            let ortiz = try store.addProvider(Provider(name: "Dr. Ortiz", specialty: "breast oncology", organization: "Cancer Centre"))
            let centrePathology = try store.addProvider(Provider(name: "Pathology Department", specialty: "pathology",
                                                                 organization: "Cancer Centre"))
            let lab = try store.addProvider(Provider(name: "City Lab", kind: .organization))
            let diagnosis = try store.addDiagnosis(Diagnosis(
                patientID: patient.id, description: "Invasive ductal carcinoma, left breast", code: "C50.912",
                codeSystem: .icd10cm, diagnosedOn: try PartialDate(parsing: "2026-10-28"), providerID: first.id,
                stage: "IIA"))
            return (patient, first, ortiz, centrePathology, lab, diagnosis)
        }
    }

    static func date(_ text: String) -> PartialDate {
        // Test literals are valid dates; a typo fails the test instead of crashing it.
        (try? PartialDate(parsing: text)) ?? PartialDate.epoch
    }

    @discardableResult
    func opinion(_ provider: Provider, on date: String, conclusion: String = "Invasive ductal carcinoma",
                 recommendation: String? = nil, stage: String? = nil, agreement: Opinion.Agreement? = nil) throws -> Opinion {
        try store.write("opinion add") {
            try store.addOpinion(Opinion(diagnosisID: diagnosis.id, providerID: provider.id, givenOn: Self.date(date),
                                         conclusion: conclusion, recommendation: recommendation, stage: stage,
                                         agreement: agreement))
        }
    }

    /// A scheduled second-opinion appointment with Dr. Ortiz, `daysAhead` days after "now", at 09:30 UTC.
    @discardableResult
    func secondOpinionAppointment(daysAhead: Int, insurance: Appointment.Insurance? = nil) throws -> Appointment {
        let start = OffsetDateTime(Self.now.instant.addingTimeInterval(TimeInterval(daysAhead * 86_400 - 9_000)), in: Self.utc)
        return try store.write("appointment add") {
            try store.addAppointment(Appointment(patientID: patient.id, providerID: ortiz.id, startsAt: start,
                                                 purpose: .secondOpinion, diagnosisID: diagnosis.id, insurance: insurance))
        }
    }

    @discardableResult
    func record(_ kind: Record.Kind, _ title: String, on date: String? = "2026-10-28", from provider: Provider? = nil,
                linked: Bool = true) throws -> Record {
        try store.write("record add") {
            try store.addRecord(Record(patientID: patient.id, kind: kind, title: title, recordedOn: date.map(Self.date),
                                       providerID: (provider ?? first).id, diagnosisIDs: linked ? [diagnosis.id] : []))
        }
    }

    @discardableResult
    func transfer(_ record: Record, _ kind: Transfer.Kind, from: Provider? = nil, to: Provider? = nil,
                  via: Transfer.Via? = nil, on date: String = "2026-11-20", dueBack: String? = nil) throws -> Transfer {
        try store.write("transfer \(kind.rawValue)") {
            try store.addTransfer(Transfer(recordID: record.id, kind: kind, fromProviderID: from?.id, toProviderID: to?.id,
                                           via: via, occurredOn: Self.date(date), dueBackOn: dueBack.map(Self.date)))
        }
    }

    func checklist(scope: ReadinessScope = ReadinessScope(), settings: WorkflowSettings? = nil) throws -> ReadinessChecklist {
        try store.readinessChecklist(patientID: patient.id, scope: scope, settings: settings, now: Self.now)
    }
}

extension ReadinessChecklist {
    /// The item with `key` in the first section about `subject`'s kind that has it.
    func item(_ key: String) -> ChecklistItem? {
        sections.lazy.compactMap { $0.items.first { $0.key == key } }.first
    }
}
