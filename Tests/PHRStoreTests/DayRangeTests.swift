import PHRStore
import XCTest

/// The days of a list filter (`--since`, `--until`), as every dated list applies them: on the
/// dates' precision, ends included, a date-time on the last day within it.
final class DayRangeTests: TemporaryStoreTestCase {
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
