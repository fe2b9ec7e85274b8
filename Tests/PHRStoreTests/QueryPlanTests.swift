import CSQLite
import Foundation
@testable import PHRStore
import XCTest

/// The queries behind `result trend`, `timeline --since`, `search` and `appointment list
/// --upcoming` reach the tables a store holds many rows of through indexes: SQLite's plan for
/// every statement they run has no full scan of results, appointments, records or the search
/// index, so they stay fast at a million results (issue 15; `benchmarks/query-scale.sh`).
///
/// The statements are the ones the store really runs (traced on its connection), planned as
/// SQLite plans them at run time: without values bound and without statistics, so a few test
/// rows plan like a million.
final class QueryPlanTests: TemporaryStoreTestCase {
    /// The tables whose full scans would grow with the store, as the plans name them (a table or
    /// the alias a query gives it).
    private static let largeTables = ["results", "appointments", "records", "r", "search_index"]

    private func fixture() throws -> WorkflowFixture {
        let f = try WorkflowFixture(store: openStore())
        try f.store.write("fill") {
            for day in ["2025-03-01", "2026-10-01", "2026-11-20"] {
                let panel = try f.store.addResult(ClinicalResult(
                    patientID: f.patient.id, name: "Blood count", observedAt: .date(WorkflowFixture.date(day))))
                try f.store.addResult(ClinicalResult(
                    patientID: f.patient.id, name: "Hemoglobin", code: "718-7", codeSystem: .loinc,
                    value: .quantity(13.5, unit: "g/dL", comparator: nil), observedAt: .date(WorkflowFixture.date(day)),
                    parentID: panel.id))
            }
        }
        try f.record(.labResult, "Glucose results", on: "2026-11-01")
        try f.secondOpinionAppointment(daysAhead: 3)
        return f
    }

    func testResultTrendUsesTheNameAndCodeIndexes() throws {
        let f = try fixture()
        let plans = try plans(on: f.store) {
            XCTAssertEqual(try f.store.results(patientID: f.patient.id, ResultFilter(nameOrCode: "hemoglobin")).count, 3)
            XCTAssertEqual(try f.store.results(patientID: f.patient.id, ResultFilter(
                nameOrCode: "718-7", since: WorkflowFixture.date("2026-01"))).count, 2)
        }
        assertNoFullScan(plans)
        // Both queries (with and without a date) look the name and the code up, each in its index.
        let text = plans.joined(separator: "\n")
        XCTAssertEqual(text.components(separatedBy: "results_by_name (patient_id=? AND name=?").count - 1, 2, text)
        XCTAssertEqual(text.components(separatedBy: "results_by_code (patient_id=? AND code=?").count - 1, 2, text)
    }

    func testTimelineSinceUsesThePatientAndDateIndexes() throws {
        let f = try fixture()
        let plans = try plans(on: f.store) {
            let entries = try f.store.timeline(patientID: f.patient.id, since: WorkflowFixture.date("2026-11-01"),
                                               timeZone: WorkflowFixture.utc).entries
            XCTAssertEqual(entries.map(\.kind), [.record, .result, .appointment])
        }
        assertNoFullScan(plans)
        let text = plans.joined(separator: "\n")
        for index in ["results_by_patient (patient_id=? AND observed_at>?)", "appointments_by_patient_time (patient_id=? AND starts_at_epoch>?)",
                      "records_by_patient_date (patient_id=? AND recorded_on>?)",
                      "diagnoses_by_patient (patient_id=? AND diagnosed_on>?)", "results_by_parent (parent_id=?)"] {
            XCTAssertTrue(text.contains(index), "no '\(index)' in:\n\(text)")
        }
    }

    /// A patient's results since a date (the timeline's, `result list --since`'s) come in the order
    /// of the patient-and-date index: SQLite sorts none of them.
    func testResultsSinceADateAreReadInTheIndexOrder() throws {
        let f = try fixture()
        let statements = try tracedStatements(on: f.store.database) {
            let results = try f.store.results(patientID: f.patient.id, ResultFilter(since: WorkflowFixture.date("2026-01-01")))
            XCTAssertEqual(results.count, 4)
        }.filter { $0.contains("FROM results") }
        XCTAssertEqual(statements.count, 1, statements.joined(separator: "\n"))
        let steps = statements.flatMap { plan(of: $0, on: f.store.database.handle) }
        XCTAssertTrue(steps.contains { $0.contains("results_by_patient (patient_id=? AND observed_at>?)") }, steps.joined(separator: "\n"))
        XCTAssertFalse(steps.contains { $0.contains("TEMP B-TREE") }, steps.joined(separator: "\n"))
    }

    /// A patient's procedures and immunizations come undated first, then by their dates as
    /// written, then as added: the order once written `x IS NOT NULL, substr(x, 1, 10), x, id`,
    /// now the order of their patient-and-date indexes, which SQLite reads them in unsorted.
    func testProceduresAndImmunizationsComeInTheirIndexOrder() throws {
        let f = try fixture()
        let dates = ["2026-05-16T09:00:00+01:00", nil, "2026-05", "2026", "2026-05-16", "2026-05-16T08:00:00-05:00",
                     "2025-12-31", nil, "2026-05-16", "2026-05-15T23:00:00-05:00"]
        try f.store.write("add") {
            for (index, date) in dates.enumerated() {
                let on = try date.map { try DateOrTime(parsing: $0) }
                try f.store.addProcedure(Procedure(patientID: f.patient.id, name: "Procedure \(index)", performedOn: on))
                try f.store.addImmunization(Immunization(patientID: f.patient.id, vaccine: "Vaccine \(index)", givenOn: on))
            }
        }
        func oldOrder(_ table: String, _ column: String) throws -> [Int64] {
            try f.store.database.query("""
                SELECT id FROM \(table) WHERE patient_id = ? ORDER BY \(column) IS NOT NULL, substr(\(column), 1, 10), \(column), id
                """, [f.patient.id]) { try $0.get(0, as: Int64.self) }
        }
        var procedures: [Int64] = [], immunizations: [Int64] = []
        let statements = try tracedStatements(on: f.store.database) {
            procedures = try f.store.procedures(patientID: f.patient.id).map(\.id)
            immunizations = try f.store.immunizations(patientID: f.patient.id).map(\.id)
        }
        XCTAssertEqual(procedures, try oldOrder("procedures", "performed_on"))
        XCTAssertEqual(immunizations, try oldOrder("immunizations", "given_on"))
        let steps = statements.flatMap { plan(of: $0, on: f.store.database.handle) }
        XCTAssertEqual(steps.filter { $0.contains("_by_patient") }.count, 2, steps.joined(separator: "\n"))
        XCTAssertFalse(steps.contains { $0.contains("TEMP B-TREE") }, steps.joined(separator: "\n"))
    }

    /// The timeline reads each kind in a fixed number of statements: a patient with many
    /// diagnoses (each reviewed and decided) costs no statement per diagnosis.
    func testTimelineStatementsDoNotGrowWithTheDiagnoses() throws {
        let f = try fixture()
        func timelineStatements() throws -> Int {
            try tracedStatements(on: f.store.database) {
                _ = try f.store.timeline(patientID: f.patient.id, since: WorkflowFixture.date("2020-01-01"), timeZone: WorkflowFixture.utc)
            }.count
        }
        let before = try timelineStatements()
        try f.store.write("add") {
            for index in 1...5 {
                let diagnosis = try f.store.addDiagnosis(Diagnosis(patientID: f.patient.id, description: "Finding \(index)",
                                                                   diagnosedOn: WorkflowFixture.date("2026-0\(index)-01")))
                try f.store.setDiagnosisReview(DiagnosisReview(diagnosisID: diagnosis.id,
                                                               originalDoctorToldOn: WorkflowFixture.date("2026-0\(index)-02")))
                _ = try f.store.addDecision(Decision(diagnosisID: diagnosis.id, treatment: "Watch",
                                                     decidedOn: WorkflowFixture.date("2026-0\(index)-03")))
            }
        }
        let entries = try f.store.timeline(patientID: f.patient.id, since: WorkflowFixture.date("2020-01-01"), timeZone: WorkflowFixture.utc)
        XCTAssertEqual(entries.entries.filter { [.diagnosis, .toldDoctor, .decision].contains($0.kind) }.count, 5 * 3 + 1)
        XCTAssertEqual(try timelineStatements(), before)
    }

    /// The readiness checklist (`phr status`) reads the patient's decisions in one statement, not
    /// one or two per diagnosis under review, and still keeps a decided diagnosis out.
    func testReadinessReadsTheDecisionsOnce() throws {
        let f = try fixture()
        try f.store.write("add") {
            for index in 1...4 {
                let diagnosis = try f.store.addDiagnosis(Diagnosis(patientID: f.patient.id, description: "Finding \(index)",
                                                                   diagnosedOn: WorkflowFixture.date("2026-0\(index)-01"),
                                                                   status: .suspected))
                if index == 4 {
                    _ = try f.store.addDecision(Decision(diagnosisID: diagnosis.id, treatment: "Watch",
                                                         decidedOn: WorkflowFixture.date("2026-05-03")))
                }
            }
        }
        var checklist: ReadinessChecklist?
        let statements = try tracedStatements(on: f.store.database) {
            checklist = try f.store.readinessChecklist(patientID: f.patient.id, now: WorkflowFixture.now)
        }
        XCTAssertEqual(statements.filter { $0.contains("FROM decisions") }.count, 1, statements.joined(separator: "\n"))
        let reviewed = checklist?.sections.compactMap { section -> String? in
            guard case .diagnosis(let diagnosis) = section.subject else { return nil }
            return diagnosis.description
        } ?? []
        XCTAssertEqual(reviewed.filter { $0.hasPrefix("Finding") }, ["Finding 1", "Finding 2", "Finding 3"])
    }

    func testSearchUsesTheFullTextIndex() throws {
        let f = try fixture()
        let plans = try plans(on: f.store) {
            XCTAssertEqual(try f.store.search(patientID: f.patient.id, SearchQuery("glucose")).map(\.kind), [.record])
        }
        assertNoFullScan(plans)
        XCTAssertTrue(plans.joined().contains("VIRTUAL TABLE INDEX"), plans.joined(separator: "\n"))
    }

    func testUpcomingAppointmentsUseThePatientAndTimeIndex() throws {
        let f = try fixture()
        let plans = try plans(on: f.store) {
            let upcoming = try f.store.appointments(patientID: f.patient.id, AppointmentFilter(
                from: WorkflowFixture.now.instant, statuses: [.scheduled]))
            XCTAssertEqual(upcoming.count, 1)
        }
        assertNoFullScan(plans)
        XCTAssertTrue(plans.joined().contains("appointments_by_patient_time (patient_id=? AND starts_at_epoch>?)"),
                      plans.joined(separator: "\n"))
    }

    /// Fails for every plan step that reads a whole large table (`SCAN results`, `SCAN r`, a full
    /// scan of an index of one), or all of one patient's rows of it (an index searched by
    /// `patient_id=?` alone: a patient may have a million results). A virtual table's
    /// `SCAN … VIRTUAL TABLE INDEX n:M` is FTS5 answering MATCH from its own index.
    private func assertNoFullScan(_ plans: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(plans.isEmpty, "no statement was traced", file: file, line: line)
        for step in plans {
            let words = step.split(separator: " ")
            guard words.count > 1, Self.largeTables.contains(String(words[1])) else { continue }
            let scan = words[0] == "SCAN" && !step.contains("VIRTUAL TABLE INDEX")
            let wholePatient = words[0] == "SEARCH" && step.hasSuffix("(patient_id=?)")
            XCTAssertFalse(scan || wholePatient, "reads every row: \(step)", file: file, line: line)
        }
    }

    /// The plan steps (`EXPLAIN QUERY PLAN`'s `detail`) of every statement `body` runs on the
    /// store's connection, each statement's steps once.
    private func plans(on store: HealthStore, _ body: () throws -> Void) throws -> [String] {
        var steps: [String] = []
        for sql in try tracedStatements(on: store.database, body).uniqued() where sql.uppercased().hasPrefix("SELECT") {
            steps += plan(of: sql, on: store.database.handle)
        }
        return steps
    }

    /// `EXPLAIN QUERY PLAN sql`'s steps, its parameters left unbound (NULL), as at run time
    /// before values are bound.
    private func plan(of sql: String, on handle: OpaquePointer) -> [String] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, "EXPLAIN QUERY PLAN " + sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            XCTFail("cannot plan \(sql): \(String(cString: sqlite3_errmsg(handle)))")
            return []
        }
        defer { sqlite3_finalize(statement) }
        var steps: [String] = []
        while sqlite3_step(statement) == SQLITE_ROW {
            if let detail = sqlite3_column_text(statement, 3) { steps.append(String(cString: detail)) }
        }
        return steps
    }
}
