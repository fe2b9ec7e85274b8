import Foundation
@testable import PHRStore
import XCTest

/// The generated history across schema changes: a migration that adds a column gets history for
/// it, a data-fixing migration is a change of its own that undo leaves alone, and a store built
/// by the migrations of an earlier phr upgrades with all its history, still undoable.
final class HistoryUpgradeTests: TemporaryStoreTestCase {
    private func migrator(adding extra: [Migration]) -> Migrator {
        Migrator(migrations: HealthStore.migrator.migrations + extra)
    }

    func testAMigrationThatAddsAColumnGetsHistoryAndUndoForIt() throws {
        try HistoryRoundTripTests.addBaseRows(openStore())
        let store = try HealthStore(path: storePath, create: false, migrator: migrator(adding: [
            Migration(identifier: "0099_second_reader", sql: "ALTER TABLE opinions ADD COLUMN second_reader TEXT;"),
        ]))
        try store.write("set") { try store.database.run("UPDATE opinions SET second_reader = 'Dr. Second' WHERE id = 1") }
        try store.write("edit") {
            try store.database.run("UPDATE opinions SET second_reader = 'Dr. Third', conclusion = 'Changed' WHERE id = 1")
        }
        let edit = try XCTUnwrap(store.history(table: "opinions", rowID: 1, limit: 1).first)
        XCTAssertEqual(try store.storedSnapshotKeys(ofHistory: edit.id).last, "second_reader")
        XCTAssertEqual(try store.write("undo") { try store.undoLastChange() }.summary, "edit")
        XCTAssertEqual(try store.secondReader(), "Dr. Second")

        try store.write("remove") { try store.database.run("DELETE FROM opinions WHERE id = 1") }
        XCTAssertEqual(try store.write("undo") { try store.undoLastChange() }.summary, "remove")
        XCTAssertEqual(try store.secondReader(), "Dr. Second")
        XCTAssertEqual(try store.write("undo") { try store.undoLastChange() }.summary, "set")
        XCTAssertNil(try store.secondReader())
    }

    func testADataFixingMigrationIsAChangeOfItsOwnThatUndoDoesNotTakeBack() throws {
        do {
            let store = try openStore()
            try HistoryRoundTripTests.addBaseRows(store)
            try store.write("patient edit") { try store.database.run("UPDATE patients SET name = 'Renamed' WHERE id = 1") }
            XCTAssertEqual(try store.changes().map(\.kind), [.command, .command], "migrations that change no row leave no change")
        }
        let store = try HealthStore(path: storePath, create: false, migrator: migrator(adding: [
            Migration(identifier: "0099_fix_notes", sql: "UPDATE patients SET notes = 'fixed by a migration' WHERE id = 1;"),
        ]))
        let fix = try XCTUnwrap(store.changes().first)
        XCTAssertEqual(fix.kind, .migration)
        XCTAssertEqual(fix.summary, "migration 0099_fix_notes")
        XCTAssertEqual(try store.history(changeID: fix.id).map(\.table), ["patients"])

        // The undo takes back the person's edit of the same row, and only that: the fix stays.
        XCTAssertEqual(try store.write("undo") { try store.undoLastChange() }.summary, "patient edit")
        XCTAssertEqual(try store.patient(id: 1)?.name, "Base")
        XCTAssertEqual(try store.patientNotes(), "fixed by a migration")
        XCTAssertEqual(try store.write("undo") { try store.undoLastChange() }.summary, "base rows",
                       "the next undo goes past the migration's change")
    }

    func testAWriteToATableWithHistoryOutsideAChangeIsRefused() throws {
        let store = try openStore()
        try HistoryRoundTripTests.addBaseRows(store)
        let historyBefore = try store.count("history")
        XCTAssertThrowsError(try store.database.run("UPDATE patients SET notes = 'stray' WHERE id = 1")) { error in
            XCTAssertTrue("\(error)".contains("outside a change"), "\(error)")
        }
        XCTAssertNil(try store.patientNotes())
        XCTAssertEqual(try store.count("history"), historyBefore)
    }

    func testOpeningACurrentStoreWritesNothingAndATriggerRemovedByHandComesBack() throws {
        let version: Int64 = try XCTUnwrap(openStore().database.scalar("PRAGMA schema_version"))
        XCTAssertEqual(try openStore().database.scalar("PRAGMA schema_version", as: Int64?.self), version)

        try openConnection("phr.sqlite").execute("DROP TRIGGER appointments_history_update")
        let store = try openStore()
        XCTAssertEqual(try store.database.scalar(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = 'appointments_history_update'",
            as: Int64?.self), 1)
    }

    // MARK: A store of phr's migrations 0001-0004

    /// The migrations of the phr before generated history: their triggers file history rows
    /// under `max(changes.id)` and snapshot every inserted row whole.
    private var earlierMigrations: [Migration] {
        HealthStore.migrator.migrations.filter { $0.identifier <= "0004_workflow" }
    }

    /// Builds the store the way phr with migrations 0001-0004 did (no generated triggers), with
    /// five changes made through those triggers: adds, edits and a removal.
    private func buildEarlierStore() throws {
        let db = try openConnection("phr.sqlite")
        XCTAssertEqual(earlierMigrations.count, 4)
        try db.execute("""
            CREATE TABLE schema_migrations (identifier TEXT PRIMARY KEY NOT NULL, sha256 TEXT NOT NULL,
                                            applied_at TEXT NOT NULL) STRICT
            """)
        for migration in earlierMigrations {
            try db.transaction {
                try db.execute(migration.sql)
                try db.run("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                           [migration.identifier, migration.checksum, "2026-01-01T00:00:00.000Z"])
            }
        }
        let stamp = HistoryRoundTripTests.stamp
        func change(_ summary: String, _ sql: String) throws {
            try db.transaction {
                try db.run("INSERT INTO changes (summary, changed_at) VALUES (?, ?)", [summary, stamp])
                try db.execute(sql)
            }
        }
        let uuid = HistoryRoundTripTests.uuid
        try change("patient add", """
            INSERT INTO patients VALUES (1, '\(uuid(1))', 'Ann Earlier', '1960-05', 'female', 'first notes', '\(stamp)', '\(stamp)');
            INSERT INTO settings VALUES ('default_patient', '1');
            """)
        try change("providers and diagnosis add", """
            INSERT INTO providers VALUES (1, '\(uuid(2))', 'person', 'Dr. Kept', 'oncology', 'Clinic', '555', 'k@example.org',
                                          'Road 1', 'NPI|1', 'kept', '\(stamp)', '\(stamp)');
            INSERT INTO providers VALUES (2, '\(uuid(3))', 'organization', 'Lab Removed', 'pathology', 'Lab', '556',
                                          'r@example.org', 'Road 2', 'NPI|2', 'removed later', '\(stamp)', '\(stamp)');
            INSERT INTO diagnoses VALUES (1, '\(uuid(4))', 1, 'Carcinoma', 'C50.9', 'icd-10-cm', '2026-01', 1, 'suspected',
                                          'I', 'diagnosis notes', '\(stamp)', '\(stamp)');
            """)
        try change("diagnosis edit", "UPDATE diagnoses SET status = 'confirmed', stage = 'II', updated_at = 'later' WHERE id = 1")
        try change("provider remove", "DELETE FROM providers WHERE id = 2")
        try change("patient edit", "UPDATE patients SET notes = 'second notes', updated_at = 'later' WHERE id = 1")
    }

    /// Every row of every table, and the store's history, as text to compare.
    /// `columns`: the columns the earlier store had, so that a column added since compares as equal.
    private func contents(_ db: Connection, columns earlierColumns: [String: [String]]? = nil) throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for table in SchemaCatalog.tables.map(\.name) {
            let columns = try earlierColumns?[table] ?? SchemaCatalog.columns(of: table, in: db)
            // Tables of later migrations are not in the earlier store: nothing of theirs to keep.
            guard !columns.isEmpty else { continue }
            let object = columns.map { "'\($0)', \($0)" }.joined(separator: ", ")
            result[table] = try db.query("SELECT json_object(\(object)) FROM \(table) ORDER BY 1") {
                try $0.get(0, as: String.self)
            }
        }
        return result
    }

    func testAStoreOfTheEarlierMigrationsUpgradesWithAllItsHistoryAndUndoStillWorks() throws {
        try buildEarlierStore()
        let earlier = try openConnection("phr.sqlite")
        let before = try contents(earlier)
        var columns: [String: [String]] = [:]
        for table in SchemaCatalog.tables { columns[table.name] = try SchemaCatalog.columns(of: table.name, in: earlier) }
        XCTAssertEqual(before["history"]?.count, 8, "4 inserts, 1 setting, 1 edit, 1 removal, 1 edit")

        let store = try openStore()
        XCTAssertEqual(try contents(store.database, columns: columns), before, "every row and history entry is kept")
        XCTAssertEqual(try store.changes().map(\.kind), Array(repeating: .command, count: 5))
        XCTAssertEqual(try store.database.scalar(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND sql LIKE '%max(id)%'", as: Int64?.self), 0,
            "the hand-written triggers are replaced")

        let patient = try XCTUnwrap(store.patient(id: 1))
        XCTAssertEqual(try store.write("undo") { try store.undoLastChange() }.summary, "patient edit")
        XCTAssertEqual(try store.patientNotes(), "first notes")
        XCTAssertNotEqual(try store.patient(id: 1), patient)

        XCTAssertEqual(try store.write("undo") { try store.undoLastChange() }.summary, "provider remove")
        let providers = try contents(store.database, columns: columns)["providers"]
        XCTAssertEqual(providers?.count, 2)
        XCTAssertEqual(try store.provider(id: 2)?.notes, "removed later")

        XCTAssertEqual(try store.write("undo") { try store.undoLastChange() }.summary, "diagnosis edit")
        XCTAssertEqual(try store.diagnosis(id: 1)?.status, .suspected)
        XCTAssertEqual(try store.diagnosis(id: 1)?.stage, "I")

        // An earlier insert's snapshot is the whole row; undo deletes by its key all the same.
        XCTAssertEqual(try store.write("undo") { try store.undoLastChange() }.summary, "providers and diagnosis add")
        XCTAssertEqual(try store.count("providers"), 0)
        XCTAssertEqual(try store.count("diagnoses"), 0)
        XCTAssertEqual(try store.count("patients"), 1)

        // New changes are filed under their own change, after the upgrade's.
        let added = try store.write("provider add") { try store.addProvider(Provider(name: "Dr. New")) }
        let entry = try XCTUnwrap(store.history(table: "providers", rowID: added.id, limit: 1).first)
        XCTAssertEqual(entry.changeSummary, "provider add")
        XCTAssertEqual(try store.storedSnapshotKeys(ofHistory: entry.id), ["id"])
    }
}

private extension HealthStore {
    func secondReader() throws -> String? {
        try database.scalar("SELECT second_reader FROM opinions WHERE id = 1", as: String?.self)
    }

    func patientNotes() throws -> String? {
        try database.scalar("SELECT notes FROM patients WHERE id = 1", as: String?.self)
    }
}
