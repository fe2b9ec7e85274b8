import Foundation
@testable import PHRStore
import XCTest

/// Migration 0005: an appointment's time may be unknown (an imported visit that did not say when),
/// and stores made before it upgrade with every appointment, id and history entry kept.
final class AppointmentTimeUnknownTests: TemporaryStoreTestCase {
    func testAnAppointmentWithoutATimeIsStoredListedLastAndUndone() throws {
        let store = try openStore()
        let (patient, provider) = try store.addPatientAndProvider()
        let unknown = try store.write("test") {
            try store.addAppointment(Appointment(patientID: patient.id, providerID: provider.id, startsAt: nil))
        }
        let timed = try store.write("test") {
            try store.addAppointment(Appointment(patientID: patient.id, providerID: provider.id,
                                                 startsAt: try moment("2026-01-05T10:00Z")))
        }
        XCTAssertNil(try store.requireAppointment(unknown.id).startsAt)
        XCTAssertEqual(unknown.whenText, "date unknown")
        XCTAssertNil(unknown.endsAt)
        XCTAssertEqual(try store.appointments(patientID: patient.id).map(\.id), [timed.id, unknown.id])
        XCTAssertEqual(try store.appointments(patientID: patient.id, AppointmentFilter(newestFirst: true)).map(\.id),
                       [timed.id, unknown.id], "unknown times come last either way")
        XCTAssertEqual(try store.appointments(patientID: patient.id,
                                              AppointmentFilter(from: Date(timeIntervalSince1970: 0))).map(\.id),
                       [timed.id], "a time filter never matches an unknown time")

        var edited = unknown
        edited.startsAt = try moment("2026-02-01T09:00+01:00")
        try store.write("edit") { _ = try store.updateAppointment(edited) }
        _ = try store.write("undo") { try store.undoLastChange() }
        XCTAssertNil(try store.requireAppointment(unknown.id).startsAt, "undo brings the unknown time back")
    }

    func testAStoreMadeBeforeMigration5UpgradesWithItsAppointmentsAndHistory() throws {
        let path = storePath
        do {
            let database = try Connection(path: path)
            try database.defineFunction("phr_now") { "2026-01-01T00:00:00.000Z" }
            try Migrator(migrations: Array(HealthStore.migrator.migrations.prefix(4))).migrate(database)
            let now = "2026-01-01T00:00:00.000Z"
            try database.run("INSERT INTO changes (summary, changed_at) VALUES ('setup', ?)", [now])
            database.currentChangeID = database.lastInsertRowID
            try database.run("INSERT INTO patients (uuid, name, created_at, updated_at) VALUES (?, 'Ada', ?, ?)",
                             ["00000000-0000-4000-8000-000000000001", now, now])
            try database.run("INSERT INTO providers (uuid, kind, name, created_at, updated_at) VALUES (?, 'person', 'Dr. A', ?, ?)",
                             ["00000000-0000-4000-8000-000000000002", now, now])
            for (index, start) in ["2026-03-01T09:00:00+01:00", "2026-03-02T09:00:00+01:00"].enumerated() {
                try database.run("""
                    INSERT INTO appointments (uuid, patient_id, provider_id, starts_at, starts_at_epoch, location,
                                              created_at, updated_at)
                    VALUES (?, 1, 1, ?, ?, 'Room 4', ?, ?)
                    """, ["00000000-0000-4000-8000-00000000001\(index)", start, 1_772_352_000 + Int64(index) * 86_400, now, now])
            }
            try database.run("INSERT INTO changes (summary, changed_at) VALUES ('appointment remove', ?)", [now])
            database.currentChangeID = database.lastInsertRowID
            try database.run("DELETE FROM appointments WHERE id = 2")
        }
        let store = try HealthStore(path: path)
        XCTAssertTrue(try HealthStore.migrator.appliedMigrations(in: store.database).contains { $0.identifier == "0005_import_identity" })
        let kept = try store.appointments(patientID: 1)
        XCTAssertEqual(kept.map(\.id), [1])
        XCTAssertEqual(kept.first?.startsAt?.description, "2026-03-01T09:00:00+01:00")
        XCTAssertEqual(kept.first?.location, "Room 4")
        XCTAssertEqual(try store.history(table: "appointments").count, 3, "two inserts and a delete, and nothing from the rebuild")
        XCTAssertEqual(try store.search(patientID: 1, SearchQuery("Room")).count, 1, "the search index still follows the table")

        let added = try store.write("test") {
            try store.addAppointment(Appointment(patientID: 1, providerID: 1, startsAt: nil))
        }
        XCTAssertEqual(added.id, 3, "the id of the removed appointment is never given again")
        XCTAssertEqual(try store.history(table: "appointments", rowID: 3).count, 1, "history triggers are back")
        _ = try store.write("undo") { try store.undoLastChange() }
        _ = try store.write("undo") { try store.undoLastChange() }
        XCTAssertEqual(try store.appointments(patientID: 1).map(\.id), [1, 2], "undo across the upgrade brings the removed one back")
    }
}
