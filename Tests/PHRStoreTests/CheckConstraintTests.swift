import Foundation
@testable import PHRStore
import XCTest

/// Migration 0011: CHECK constraints written as comparisons, not `IN (...)` lists, so that an
/// INSERT builds no temporary b-tree per row; the same values accepted and refused; a store of
/// migrations 0001-0010 upgrades with every row, id and AUTOINCREMENT counter kept (but the
/// history's, which migration 0015 drops).
final class CheckConstraintTests: TemporaryStoreTestCase {
    func testNoInsertIntoACataloguedTableBuildsATemporaryTableToCheckItsConstraints() throws {
        let store = try openStore()
        for table in SchemaCatalog.tables.map(\.name) {
            let columns = try SchemaCatalog.columns(of: table, in: store.database).filter { $0 != "id" }
            let sql = "EXPLAIN INSERT INTO \(table) (\(columns.joined(separator: ", "))) "
                + "VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
            let nulls = [any SQLiteBindable](repeating: SQLiteValue.null, count: columns.count)
            let program = try store.database.query(sql, nulls) {
                (address: try $0.get("addr", as: Int64.self), opcode: try $0.get("opcode", as: String.self))
            }
            // The statement's own program (its constraints) comes first; the programs of the
            // triggers it fires follow, each from address 0 again.
            let own = program.enumerated().prefix { $0.offset == 0 || $0.element.address != 0 }.map(\.element.opcode)
            XCTAssertTrue(own.contains("Insert"), table)
            XCTAssertFalse(own.contains("OpenEphemeral"), "an INSERT into \(table) builds a temporary table")
        }
    }

    func testTheRewrittenChecksRefuseWhatTheListsRefusedAndAcceptNull() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        func insert(category: String, codeSystem: String?) throws {
            try store.write("raw") {
                try store.database.run("""
                    INSERT INTO results (uuid, patient_id, category, name, code, code_system, created_at, updated_at)
                    VALUES (?, ?, ?, 'CA 15-3', '6875-9', ?, 'now', 'now')
                    """, [UUID().uuidString.lowercased(), patient.id, category, codeSystem])
            }
        }
        try insert(category: "tumour-marker", codeSystem: "loinc")
        try insert(category: "other", codeSystem: nil)
        XCTAssertEqual(try store.count("results"), 2)
        for (category, codeSystem) in [("tumor-marker", "loinc"), ("Laboratory", nil), ("laboratory", "LOINC"), ("", nil)] {
            XCTAssertThrowsError(try insert(category: category, codeSystem: codeSystem), "\(category) \(codeSystem ?? "NULL")") { error in
                XCTAssertTrue((error as? SQLiteError)?.isConstraintViolation == true, "\(error)")
            }
        }
        XCTAssertEqual(try store.count("results"), 2)
        try store.write("raw") {
            XCTAssertThrowsError(try store.database.run(
                "INSERT INTO history (table_name, row_id, operation, snapshot, changed_at) VALUES ('results', 1, 'upsert', '{}', 'now')"))
        }
    }

    func testAStoreOfMigrations0001To0010UpgradesWithItsRowsIdsAndCounters() throws {
        let earlier = Migrator(migrations: HealthStore.migrator.migrations.filter { $0.identifier < "0011" })
        XCTAssertEqual(earlier.migrations.last?.identifier, "0010_search_index_pending")
        var before: [String: [String]] = [:]
        var columns: [String: [String]] = [:]
        do {
            let store = try HealthStore(path: storePath, create: true, migrator: earlier)
            // Rows written in SQL as the schema of 0010 has them: today's entities may have columns
            // that later migrations add.
            let uuid = HistoryRoundTripTests.uuid
            try store.write("rows") {
                try store.database.execute("""
                    INSERT INTO patients (uuid, name, sex, created_at, updated_at) VALUES ('\(uuid(1))', 'Ann', 'female', 'now', 'now');
                    INSERT INTO providers (uuid, kind, name, created_at, updated_at) VALUES ('\(uuid(2))', 'person', 'Dr. First', 'now', 'now');
                    INSERT INTO diagnoses (uuid, patient_id, description, provider_id, status, kind, created_at, updated_at)
                        VALUES ('\(uuid(3))', 1, 'Carcinoma', 1, 'confirmed', 'problem', 'now', 'now');
                    INSERT INTO results (uuid, patient_id, category, name, diagnosis_id, created_at, updated_at) VALUES
                        ('\(uuid(4))', 1, 'tumour-marker', 'CEA', 1, 'now', 'now'),
                        ('\(uuid(5))', 1, 'tumour-marker', 'CA 15-3', 1, 'now', 'now'),
                        ('\(uuid(6))', 1, 'laboratory', 'Hemoglobin', NULL, 'now', 'now');
                    INSERT INTO appointments (uuid, patient_id, provider_id, purpose, status, created_at, updated_at)
                        VALUES ('\(uuid(7))', 1, 1, 'second-opinion', 'scheduled', 'now', 'now');
                    """)
            }
            // The newest result removed: its id must never be handed out again.
            try store.write("remove") { try store.removeResult(id: 3) }
            for table in SchemaCatalog.tables.map(\.name) {
                columns[table] = try SchemaCatalog.columns(of: table, in: store.database)
            }
            before = try snapshot(store.database, columns: columns)
        }
        let store = try openStore()
        // Compared on the columns the earlier store had: later migrations may add some.
        XCTAssertEqual(try snapshot(store.database, columns: columns), before)
        XCTAssertEqual(try store.database.query("PRAGMA foreign_key_check") { _ in 1 }.count, 0)
        XCTAssertEqual(try store.database.scalar("PRAGMA integrity_check", as: String?.self), "ok")

        let added = try store.write("add") { try store.addResult(ClinicalResult(patientID: 1, name: "CEA")) }
        XCTAssertEqual(added.id, 4, "the AUTOINCREMENT counter came through the rebuild")
        // Migration 0015: the history has no counter, and its next entry follows the highest kept.
        XCTAssertEqual(try store.database.scalar("SELECT max(id) FROM history WHERE change_id = (SELECT max(id) FROM changes)",
                                                 as: Int64?.self), 9)
        XCTAssertEqual(try store.write("undo") { try store.undoLastChange() }.summary, "add")
        XCTAssertEqual(try store.write("undo") { try store.undoLastChange() }.summary, "remove")
        XCTAssertEqual(try store.result(id: 3)?.name, "Hemoglobin")

        // The upgraded schema is the schema of a store made new.
        let fresh = try HealthStore(path: path(of: "fresh.sqlite"))
        XCTAssertEqual(try schema(store.database), try schema(fresh.database))
    }

    /// Every row of the tables in `columns` (those columns) and the AUTOINCREMENT counters, as text.
    private func snapshot(_ db: Connection, columns: [String: [String]]) throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for (table, names) in columns where !names.isEmpty {
            let object = names.map { "'\($0)', \($0)" }.joined(separator: ", ")
            result[table] = try db.query("SELECT json_object(\(object)) FROM \(table) ORDER BY 1") { try $0.get(0, as: String.self) }
        }
        // The history's counter is gone since migration 0015 (its ids need none); every other is kept.
        result["sqlite_sequence"] = try db.query("SELECT name || ' ' || seq FROM sqlite_sequence WHERE name <> 'history' ORDER BY 1") {
            try $0.get(0, as: String.self)
        }
        return result
    }

    private func schema(_ db: Connection) throws -> [String] {
        try db.query("SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_schema ORDER BY type, name") {
            try $0.get(0, as: String.self)
        }
    }
}
