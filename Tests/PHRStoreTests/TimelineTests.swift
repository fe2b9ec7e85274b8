import Foundation
@testable import PHRStore
import PHRTestSupport
import XCTest

/// The timeline: one chronological list of everything that happened.
final class TimelineTests: TemporaryStoreTestCase {
    private func fixture() throws -> WorkflowFixture { try WorkflowFixture(store: openStore()) }

    /// A result's line: its value as people read it, what qualifies it, its range and an abnormal
    /// flag (reported, or a number outside its range) in one bracket, then its parts.
    func testAResultIsDescribedInOneLine() {
        func result(_ name: String, _ value: ResultValue? = nil, detail: String? = nil, range: ReferenceRange? = nil,
                    interpretation: ClinicalResult.Interpretation? = nil) -> ClinicalResult {
            ClinicalResult(patientID: 1, name: name, value: value, detail: detail, range: range, interpretation: interpretation)
        }
        let cases: [(ClinicalResult, [ClinicalResult], String)] = [
            (result("CA 15-3", .quantity(42, unit: "U/mL", comparator: nil), range: ReferenceRange(low: 0, high: 30)), [],
             "CA 15-3 42 U/mL (range 0–30, high)"),
            (result("PSA", .quantity(0.01, unit: "ng/mL", comparator: .lessThan), range: ReferenceRange(high: 4)), [],
             "PSA <0.01 ng/mL (range ≤ 4)"),
            (result("Estrogen receptor", .text("positive"), detail: "95%"), [], "Estrogen receptor positive (95%)"),
            (result("HER2", .coded(code: "LA6576-8", system: .loinc, display: "Positive"), interpretation: .abnormal), [],
             "HER2 Positive (abnormal)"),
            (result("Temperature", .quantity(36.6, unit: "Cel", comparator: nil), interpretation: .normal), [], "Temperature 36.6 °C"),
            (result("Blood pressure"), [result("Systolic", .quantity(128, unit: "mm[Hg]", comparator: nil)),
                                        result("Diastolic", .quantity(82, unit: "mm[Hg]", comparator: nil)), result("Note")],
             "Blood pressure: Systolic 128 mmHg, Diastolic 82 mmHg, Note"),
            (result("Panel", detail: "fasting", range: ReferenceRange(text: "see parts")), [result("Glucose", .text("5.1"))],
             "Panel (fasting) (range see parts): Glucose 5.1"),
        ]
        for (item, parts, expected) in cases {
            XCTAssertEqual(HealthStore.describe(item, parts: parts), expected)
        }
    }

    func testEntriesAreInDateOrderAcrossKinds() throws {
        let f = try fixture()  // diagnosed 2026-10-28
        let report = try f.record(.pathologyReport, "Pathology report", on: "2026-10-27")
        try f.transfer(report, .send, to: f.ortiz, via: .portal, on: "2026-11-20")
        let appointment = try f.secondOpinionAppointment(daysAhead: -4)  // 2026-11-21 09:30
        try f.opinion(f.first, on: "2026-10-28")
        let opinion = try f.store.write("add") {
            try f.store.addOpinion(Opinion(diagnosisID: f.diagnosis.id, providerID: f.ortiz.id, appointmentID: appointment.id,
                                           givenOn: WorkflowFixture.date("2026-11-21"), conclusion: "Agree", agreement: .agrees))
        }
        try f.store.write("decide") {
            _ = try f.store.addDecision(Decision(diagnosisID: f.diagnosis.id, treatment: "Surgery",
                                                 decidedOn: WorkflowFixture.date("2026-11-24"), opinionIDs: [opinion.id]))
        }
        let entries = try f.store.timeline(patientID: f.patient.id, timeZone: WorkflowFixture.utc).entries
        XCTAssertEqual(entries.map(\.kind), [.record, .diagnosis, .opinion, .transfer, .appointment, .opinion, .decision])
        XCTAssertEqual(entries.map(\.date.description),
                       ["2026-10-27", "2026-10-28", "2026-10-28", "2026-11-20", "2026-11-21", "2026-11-21", "2026-11-24"])
        XCTAssertEqual(entries[4].time, "09:30")
        XCTAssertEqual(entries[3].summary, "Sent 'Pathology report' to Dr. Ortiz through the portal")
        XCTAssertEqual(entries[6].summary, "Decision: Surgery (based on the opinions of Dr. Ortiz)")
    }

    func testSameDayEventsAreInKindOrderThenTimeOrder() {
        let day = WorkflowFixture.date("2026-11-21")
        let timeline = Timeline([
            TimelineEntry(date: day, kind: .decision, itemID: 1, summary: "d"),
            TimelineEntry(date: day, time: "14:00", kind: .appointment, itemID: 2, summary: "late"),
            TimelineEntry(date: day, time: "09:00", kind: .appointment, itemID: 3, summary: "early"),
            TimelineEntry(date: day, kind: .record, itemID: 4, summary: "r"),
            TimelineEntry(date: WorkflowFixture.date("2026-11"), kind: .diagnosis, itemID: 5, summary: "month only"),
        ])
        XCTAssertEqual(timeline.entries.map(\.summary), ["month only", "r", "early", "late", "d"])
    }

    /// The timeline sorts order keys rather than entries; with ties on every field (a medication
    /// started and ended on one day), times missing, empty or set, and dates of every precision,
    /// the order is the one the entries' own comparison gives, ties in the order they came.
    func testOrderIsTheEntryComparisonsOrderTiesKept() throws {
        let kinds = TimelineEntry.Kind.allCases
        let dates = try ["2026", "2026-05", "2026-05-16", "2026-05-17", "2025-12-31", "2026-06"].map { try PartialDate(parsing: $0) }
        let times: [String?] = [nil, nil, "", "09:30", "14:00", "9:30"]
        var generator = SeededGenerator(seed: 42)
        let entries = (0..<2000).map { index in
            TimelineEntry(date: dates.randomElement(using: &generator) ?? dates[0], time: times.randomElement(using: &generator) ?? nil,
                          kind: kinds.randomElement(using: &generator) ?? .result, itemID: Int64.random(in: 1...5, using: &generator),
                          summary: "entry \(index)")
        }
        let expected = entries.sorted { a, b in
            if a.date != b.date { return a.date < b.date }
            if a.kind != b.kind { return (kinds.firstIndex(of: a.kind) ?? 0) < (kinds.firstIndex(of: b.kind) ?? 0) }
            if a.time != b.time { return (a.time ?? "") < (b.time ?? "") }
            return a.itemID < b.itemID
        }
        XCTAssertEqual(Timeline(entries).entries.map(\.summary), expected.map(\.summary))
    }

    /// `reaches` compares components; it must agree with the stored texts' comparison it stands
    /// for, for every pair of precisions and dates either side of a boundary.
    func testReachesAgreesWithTheStoredTextComparison() throws {
        var dates: [PartialDate] = []
        for year in [1, 999, 2025, 2026, 9999] {
            dates.append(try PartialDate(year: year))
            for month in [1, 5, 6, 12] {
                dates.append(try PartialDate(year: year, month: month))
                for day in [1, 15, 16, 17, 28] { dates.append(try PartialDate(year: year, month: month, day: day)) }
            }
        }
        for date in dates {
            for since in dates {
                XCTAssertEqual(date.reaches(since), date.description + "\u{10FFFF}" >= since.description, "\(date) reaches \(since)")
            }
        }
    }

    func testDiagnosisFilterKeepsOnlyWhatConcernsIt() throws {
        let f = try fixture()
        let other = try f.store.write("add") {
            try f.store.addDiagnosis(Diagnosis(patientID: f.patient.id, description: "Hypertension",
                                               diagnosedOn: WorkflowFixture.date("2020-01-01")))
        }
        try f.record(.pathologyReport, "Pathology report")
        try f.record(.labResult, "Unlinked labs", linked: false)
        try f.store.write("q") {
            _ = try f.store.addQuestion(Question(patientID: f.patient.id, text: "Salt?", diagnosisID: other.id))
        }
        let entries = try f.store.timeline(patientID: f.patient.id, diagnosisID: f.diagnosis.id).entries
        XCTAssertEqual(entries.map(\.kind), [.diagnosis, .record])
        XCTAssertEqual(try f.store.timeline(patientID: f.patient.id).entries.count, 5)
    }

    func testSinceKeepsEventsOnOrAfterTheDate() throws {
        let f = try fixture()
        try f.record(.pathologyReport, "Old report", on: "2026-10-01")
        try f.record(.pathologyReport, "Month report", on: "2026-11")
        try f.record(.pathologyReport, "New report", on: "2026-11-20")
        let entries = try f.store.timeline(patientID: f.patient.id, since: WorkflowFixture.date("2026-11-05")).entries
        XCTAssertEqual(entries.map(\.summary), ["Record (pathology-report): Month report", "Record (pathology-report): New report"])
    }

    /// `since` is applied in the queries of results, appointments and records, from the start of
    /// its year: what comes after it must still be complete, whatever its links point to.
    func testSinceKeepsWhatIsInRangeWhateverItsLinksPointTo() throws {
        let f = try fixture()
        let old = try f.record(.pathologyReport, "Old report", on: "2025-06-01")
        try f.transfer(old, .send, to: f.ortiz, via: .portal, on: "2026-11-20")
        @discardableResult
        func result(_ name: String, _ date: String?, parent: Int64? = nil) throws -> ClinicalResult {
            try f.store.write("result add") {
                try f.store.addResult(ClinicalResult(patientID: f.patient.id, name: name,
                                                     value: .text(name.lowercased()), observedAt: date.map { .date(WorkflowFixture.date($0)) },
                                                     parentID: parent))
            }
        }
        let panel = try result("Panel", "2026-11-20")
        try result("Part measured earlier", "2026-10-01", parent: panel.id)
        try result("Month result", "2026-11")
        try result("Same year, before", "2026-01-15")
        try result("Last year", "2025-12-31")
        try result("Undated", nil)
        let appointmentDays = [("2025-11-30T10:00:00Z", "Last year"), ("2026-11-05T01:00:00+14:00", "Far east")]
        for (start, location) in appointmentDays {
            try f.store.write("appointment add") {
                _ = try f.store.addAppointment(Appointment(patientID: f.patient.id, providerID: f.ortiz.id,
                                                           startsAt: try moment(start), location: location,
                                                           purpose: .secondOpinion))
            }
        }
        try f.store.write("clinical") {
            for (vaccine, day) in [("Old vaccine", "2025-11-20"), ("Month vaccine", "2026-11")] {
                _ = try f.store.addImmunization(Immunization(patientID: f.patient.id, vaccine: vaccine,
                                                             givenOn: .date(WorkflowFixture.date(day))))
            }
            let old = try f.store.addDiagnosis(Diagnosis(patientID: f.patient.id, description: "Old finding",
                                                         diagnosedOn: WorkflowFixture.date("2024-02-01")))
            try f.store.setDiagnosisReview(DiagnosisReview(diagnosisID: old.id, originalDoctorToldOn: WorkflowFixture.date("2026-11-06")))
            _ = try f.store.addDecision(Decision(diagnosisID: old.id, treatment: "Watch", decidedOn: WorkflowFixture.date("2026-11-07")))
            _ = try f.store.addMedication(Medication(patientID: f.patient.id, name: "Old pill",
                                                     startedOn: WorkflowFixture.date("2024-01-01"),
                                                     endedOn: WorkflowFixture.date("2026-11-08"), status: .stopped))
            _ = try f.store.addProcedure(Procedure(patientID: f.patient.id, name: "Long course",
                                                   performedOn: .date(WorkflowFixture.date("2026-10-01")),
                                                   performedUntil: .date(WorkflowFixture.date("2026-11-30"))))
        }
        let since = WorkflowFixture.date("2026-11-05")
        let entries = try f.store.timeline(patientID: f.patient.id, since: since, timeZone: WorkflowFixture.utc).entries
        XCTAssertEqual(entries.map(\.summary), [
            "Immunization: Month vaccine",
            "Result: Month result month result",
            "Second opinion appointment with Dr. Ortiz at Far east (scheduled)",
            "Told the original doctor about the second opinion on Old finding",
            "Decision: Watch",
            "Medication stopped: Old pill",
            "Result: Panel panel: Part measured earlier part measured earlier",
            "Sent 'Old report' to Dr. Ortiz through the portal",
        ])
        // The same as cutting the whole timeline.
        let whole = try f.store.timeline(patientID: f.patient.id, timeZone: WorkflowFixture.utc).entries
        XCTAssertEqual(entries, whole.filter { $0.date.reaches(since) })
    }

    func testAQuestionAnsweredBeforeItWasWrittenDownIsDatedByItsAnswer() throws {
        let f = try fixture()
        let question = try f.store.write("q") { try f.store.addQuestion(Question(patientID: f.patient.id, text: "Which stage?")) }
        try f.store.write("a") {
            _ = try f.store.addAnswer(Answer(questionID: question.id, providerID: f.first.id, text: "IIA",
                                             answeredOn: WorkflowFixture.date("2020-01-01")))
        }
        let entries = try f.store.timeline(patientID: f.patient.id).entries.filter { $0.kind == .question || $0.kind == .answer }
        XCTAssertEqual(entries.map(\.kind), [.question, .answer])
        XCTAssertEqual(entries.map(\.date.description), ["2020-01-01", "2020-01-01"])
    }

    func testQuestionsAndAnswersAppear() throws {
        let f = try fixture()
        let question = try f.store.write("q") { try f.store.addQuestion(Question(patientID: f.patient.id, text: "Which stage?")) }
        try f.store.write("a") {
            _ = try f.store.addAnswer(Answer(questionID: question.id, providerID: f.first.id, text: "IIA",
                                             answeredOn: WorkflowFixture.date("2030-01-01")))
        }
        let entries = try f.store.timeline(patientID: f.patient.id).entries
        XCTAssertEqual(entries.suffix(2).map(\.kind), [.question, .answer])
        XCTAssertEqual(entries.last?.summary, "Answer from Dr. First to \"Which stage?\": IIA")
    }
}
