import PHRStore
import XCTest

/// The days of a list filter (`--since`, `--until`), as every dated list applies them: on the
/// dates' precision, ends included, a date-time on the last day within it.
final class DayRangeTests: TemporaryStoreTestCase {
    /// The dates of the rows below, and which of them are dated since 2024-05-20: those that any
    /// day of reaches (a month or year dated only by itself counts when any of it is on or after
    /// the date), as the timeline and the export's scope say.
    private static let dates = ["2023", "2024", "2024-04-30", "2024-05", "2024-05-19", "2024-05-20", "2024-06"]
    private static let since = "2024-05-20"
    private static let datedSince = ["2024", "2024-05", "2024-05-20", "2024-06"]

    func testEveryDatedListKeepsWhatAnyDayOfReachesTheSinceDate() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        let since = try day(Self.since)
        XCTAssertEqual(try Self.dates.filter { try day($0).reaches(since) }, Self.datedSince, "the timeline's rule")
        func dated<T>(_ label: String, add: (String) throws -> Void, list: () throws -> [T], date: (T) -> String?,
                      file: StaticString = #filePath, line: UInt = #line) throws {
            try store.write("test") { for text in Self.dates { try add(text) } }
            XCTAssertEqual(try list().compactMap(date), Self.datedSince, label, file: file, line: line)
        }
        try dated("immunizations", add: {
            _ = try store.addImmunization(Immunization(patientID: patient.id, vaccine: "Influenza", givenOn: try DateOrTime(parsing: $0)))
        }, list: { try store.immunizations(patientID: patient.id, since: since) }, date: { $0.givenOn?.description })
        try dated("results", add: {
            _ = try store.addResult(ClinicalResult(patientID: patient.id, name: "CA 15-3", observedAt: try DateOrTime(parsing: $0)))
        }, list: { try store.results(patientID: patient.id, ResultFilter(since: since)) }, date: { $0.observedAt?.description })
        try dated("a trend", add: { _ in }, list: {
            try store.results(patientID: patient.id, ResultFilter(nameOrCode: "CA 15-3", since: since))
        }, date: { $0.observedAt?.description })
        try dated("diagnoses", add: {
            _ = try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "Finding \($0)", diagnosedOn: try day($0)))
        }, list: { try store.diagnoses(patientID: patient.id, since: since) }, date: { $0.diagnosedOn?.description })
        try dated("procedures", add: {
            _ = try store.addProcedure(Procedure(patientID: patient.id, name: "Biopsy", performedOn: try DateOrTime(parsing: $0)))
        }, list: { try store.procedures(patientID: patient.id, ProcedureFilter(since: since)) }, date: { $0.performedOn?.description })
        // Until a day: whatever begins on or before it, a month or year that holds it included.
        XCTAssertEqual(try store.procedures(patientID: patient.id, ProcedureFilter(until: try day("2024-05-01"))).compactMap { $0.performedOn?.description },
                       ["2023", "2024", "2024-04-30", "2024-05"])
        try dated("medications", add: {
            _ = try store.addMedication(Medication(patientID: patient.id, name: "Letrozole", startedOn: try day($0)))
        }, list: { try store.medications(patientID: patient.id, MedicationFilter(startedOrEndedSince: since)) },
           date: { $0.startedOn?.description })
        try dated("family history", add: {
            _ = try store.addFamilyHistory(FamilyHistory(patientID: patient.id, relationship: "mother", condition: "Breast cancer",
                                                         recordedOn: try day($0)))
        }, list: { try store.familyHistory(patientID: patient.id, since: since) }, date: { $0.recordedOn?.description })
    }

    func testImmunizationsWithinDaysKeepTheirPrecisionAndTheLastDaysTimes() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        let given = ["2024-04-30", "2024-05", "2024-05-01", "2024-06-30T23:30:00Z", "2024-07-01"]
        let ids = try store.write("test") {
            try given.map {
                try store.addImmunization(Immunization(patientID: patient.id, vaccine: "Influenza",
                                                       givenOn: try DateOrTime(parsing: $0))).id
            }
        }
        _ = try store.write("test") {
            try store.addImmunization(Immunization(patientID: patient.id, vaccine: "Undated"))
        }
        func within(_ since: String?, _ until: String?) throws -> [Int64] {
            try store.immunizations(patientID: patient.id, since: try since.map(day), until: try until.map(day)).map(\.id)
        }
        XCTAssertEqual(try within("2024-05", "2024-06"), Array(ids[1...3]), "May and June, the last day's evening included")
        XCTAssertEqual(try within(nil, "2024-06-30"), Array(ids[0...3]))
        XCTAssertEqual(try within("2024-05", nil), Array(ids[1...4]))
        XCTAssertEqual(try within(nil, nil).count, 6, "no filter keeps the undated one")
    }

    func testFamilyHistoryWithinDaysEndsOnTheLastDayOfAMonth() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        let ids = try store.write("test") {
            try ["2026-09-30", "2026-10-31", "2026-11-01"].map {
                try store.addFamilyHistory(FamilyHistory(patientID: patient.id, relationship: "mother", condition: "Breast cancer",
                                                         recordedOn: try day($0))).id
            }
        }
        XCTAssertEqual(try store.familyHistory(patientID: patient.id, since: try day("2026-10"), until: try day("2026-10")).map(\.id),
                       [ids[1]])
    }
}
