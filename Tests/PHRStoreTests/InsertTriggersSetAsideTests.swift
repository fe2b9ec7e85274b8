import Foundation
@testable import PHRStore
import XCTest

/// A bulk write sets aside the insert triggers of the item tables and does their work itself
/// (`InsertTriggersSetAside`): the history, the search index and the schema end as they would have
/// with the triggers, and a row that slips past fails the write.
final class InsertTriggersSetAsideTests: TemporaryStoreTestCase {
    private static let itemTables = SchemaCatalog.tables.filter { $0.role == .item && $0.history == .byID }
    private let stamp = HistoryRoundTripTests.stamp
    private func uuid(_ n: Int) -> String { HistoryRoundTripTests.uuid(n) }

    /// The titles of the search index's entries that match `text`.
    private func titles(_ store: HealthStore, matching text: String) throws -> Set<String> {
        Set(try store.database.query("SELECT title FROM search_index WHERE search_index MATCH ?", [text]) {
            try $0.get(0, as: String.self)
        })
    }

    /// Adds one row with every column set to every item table, as the entities do
    /// (`Connection.insert(into:_:then:)`), as one bulk write or one ordinary write.
    private func addFullRows(_ store: HealthStore, bulk: Bool) throws {
        try HistoryRoundTripTests.addBaseRows(store)
        let add = {
            for table in Self.itemTables {
                let values = try XCTUnwrap(HistoryRoundTripTests.fullRows[table.name], table.name)
                try store.database.insert(into: table.name, values.keys.sorted().map { .column($0, values[$0]!) })
                XCTAssertEqual(store.database.lastInsertRowID, 100, "the new row's id, not its history entry's")
            }
        }
        if bulk { try store.bulkWrite("add") { _ in try add() } } else { try store.write("add", add) }
    }

    private func triggers(_ store: HealthStore) throws -> [String] {
        try store.database.query("SELECT name || ': ' || sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name") {
            try $0.get(0, as: String.self)
        }
    }

    private func history(_ store: HealthStore) throws -> [String] {
        try store.database.query("""
            SELECT id || ' ' || change_id || ' ' || table_name || ' ' || row_id || ' ' || operation || ' ' || snapshot
            FROM history ORDER BY id
            """) { try $0.get(0, as: String.self) }
    }

    func testTheHistoryOfABulkWriteIsTheOneItsTriggersWouldHaveWritten() throws {
        let bulk = try openStore()
        let rowByRow = try HealthStore(path: path(of: "row-by-row.sqlite"))
        try addFullRows(bulk, bulk: true)
        try addFullRows(rowByRow, bulk: false)
        XCTAssertEqual(try history(bulk), try history(rowByRow))
        let added = try bulk.history(changeID: try XCTUnwrap(bulk.changes(limit: 1).first?.id))
        XCTAssertEqual(Set(added.map(\.table)), Set(Self.itemTables.map(\.name)), "every item table's row")
        XCTAssertTrue(added.allSatisfy { $0.operation == .insert }, "every entry is an insert")
        // Written when the row was, as `phr_now()` writes it (a millisecond UTC instant).
        XCTAssertTrue(added.allSatisfy { $0.changedAt.count == 24 && $0.changedAt.hasSuffix("Z") }, "\(added.map(\.changedAt))")

        // Undo takes back what the bulk write added.
        _ = try bulk.write("undo") { try bulk.undoLastChange() }
        for table in Self.itemTables {
            XCTAssertEqual(try bulk.database.scalar("SELECT count(*) FROM \(table.name) WHERE id = 100") as Int64?, 0, table.name)
        }
    }

    func testTheTriggersAreSetAsideOnlyWhileTheWriteRuns() throws {
        let store = try openStore()
        try HistoryRoundTripTests.addBaseRows(store)
        let before = try triggers(store)
        let setAside = Set(Self.itemTables.flatMap { table in
            [HistoryTriggers.triggerName(table.name, "insert")]
                + (table.search == nil ? [] : [SearchTriggers.triggerName(table.name, "insert"),
                                                SearchTriggers.triggerName(table.name, "pending_insert")])
        })
        try store.bulkWrite("look") { _ in
            let during = try self.triggers(store)
            XCTAssertFalse(during.contains { setAside.contains(String($0.prefix { $0 != ":" })) })
            XCTAssertEqual(during.count, before.count - setAside.count, "only the item tables' insert triggers")
        }
        XCTAssertEqual(try triggers(store), before)

        XCTAssertThrowsError(try store.bulkWrite("fails") { _ in
            try store.database.insert(into: "providers", [.column("uuid", self.uuid(1)), .column("name", "Dr. Gone"),
                                                          .column("created_at", self.stamp),
                                                          .column("updated_at", self.stamp)])
            throw StoreError.nothingToUndo("test")
        })
        XCTAssertEqual(try triggers(store), before)
        XCTAssertEqual(try store.database.scalar("SELECT count(*) FROM providers WHERE name = 'Dr. Gone'") as Int64?, 0)
        XCTAssertTrue(try HistoryTriggers.isCurrent(in: store.database))
        XCTAssertTrue(try SearchTriggers.isCurrent(in: store.database))

        // Rows written once the triggers are back get their entries from the triggers again.
        try store.write("after") {
            try store.database.insert(into: "diagnoses", [.column("uuid", uuid(2)), .column("patient_id", 1),
                                                          .column("description", "Later sarcoma"),
                                                          .column("created_at", stamp), .column("updated_at", stamp)])
        }
        XCTAssertEqual(try store.history(table: "diagnoses", limit: 1).first?.snapshot.contains("Later sarcoma"), true)
        XCTAssertEqual(try titles(store, matching: "Later"), ["Later sarcoma"])
    }

    func testARowAddedAroundTheSetAsideTriggersFailsTheWrite() throws {
        let store = try openStore()
        try HistoryRoundTripTests.addBaseRows(store)
        let history = try history(store)
        XCTAssertThrowsError(try store.bulkWrite("stray") { _ in
            try store.database.run("""
                INSERT INTO providers (uuid, name, created_at, updated_at) VALUES (?, 'Dr. Stray', ?, ?)
                """, [self.uuid(3), self.stamp, self.stamp])
        }) { error in
            XCTAssertTrue("\(error)".contains("providers was added during a bulk write without its history entry"), "\(error)")
        }
        XCTAssertEqual(try store.database.scalar("SELECT count(*) FROM providers WHERE name = 'Dr. Stray'") as Int64?, 0)
        XCTAssertEqual(try self.history(store), history)
    }

    func testRowsABulkWriteAddsAreFoundBySearchWhenItEnds() throws {
        let store = try openStore()
        try HistoryRoundTripTests.addBaseRows(store)
        try store.bulkWrite("add") { _ in
            for (n, name) in ["Quillfeather lymphoma", "Quillon sarcoma"].enumerated() {
                try store.database.insert(into: "diagnoses", [.column("uuid", self.uuid(10 + n)),
                                                              .column("patient_id", 1), .column("description", name),
                                                              .column("created_at", self.stamp),
                                                              .column("updated_at", self.stamp)])
            }
            try store.database.run("UPDATE diagnoses SET description = 'Quillfeather-Smith lymphoma' WHERE description LIKE 'Quillfeather%'")
            try store.database.insert(into: "diagnoses", [.column("uuid", self.uuid(12)), .column("patient_id", 1),
                                                          .column("description", "Quillgone melanoma"),
                                                          .column("created_at", self.stamp),
                                                          .column("updated_at", self.stamp)])
            try store.database.run("DELETE FROM diagnoses WHERE description = 'Quillgone melanoma'")
        }
        XCTAssertEqual(try titles(store, matching: "Quillfeather"), ["Quillfeather-Smith lymphoma"], "indexed as it ends, not as added")
        XCTAssertEqual(try titles(store, matching: "Quillon"), ["Quillon sarcoma"])
        XCTAssertEqual(try titles(store, matching: "Quillgone"), [], "a row added and removed leaves no entry")
        XCTAssertEqual(try store.database.scalar("SELECT count(*) FROM search_index WHERE kind = 'diagnosis'") as Int64?,
                       try store.database.scalar("SELECT count(*) FROM diagnoses") as Int64?, "one entry per row, none twice")
        XCTAssertEqual(try store.database.scalar("SELECT count(*) FROM \(SearchTriggers.pending)") as Int64?, 0)
    }

    /// Adds diagnoses, updates, removes, reads the history, and fails a nested write, in one write
    /// (bulk or not): more rows than one batch of held-back entries, and a remainder.
    private func addChangeAndReadDiagnoses(_ store: HealthStore, bulk: Bool) throws -> [Int64] {
        try HistoryRoundTripTests.addBaseRows(store)
        var seen: [Int64] = []
        var next = 0
        func add(_ count: Int) throws {
            for _ in 0 ..< count {
                next += 1
                try store.database.insert(into: "diagnoses", [.column("uuid", uuid(100 + next)),
                                                              .column("patient_id", 1),
                                                              .column("description", "Diagnosis \(next)"),
                                                              .column("created_at", stamp),
                                                              .column("updated_at", stamp)])
            }
        }
        let work = {
            try add(40)
            // A row whose entry may still be held back is changed: its insert comes first.
            try store.database.run("UPDATE diagnoses SET description = 'Changed' WHERE description = 'Diagnosis 38'")
            let lastAdded: Int64? = try store.database.scalar("SELECT max(id) FROM diagnoses")
            XCTAssertEqual(store.database.lastInsertRowID, lastAdded, "the last row added, not a history entry")
            try add(5)
            seen.append(try XCTUnwrap(store.database.scalar("SELECT count(*) FROM history") as Int64?))
            try add(3)
            // A nested write that fails takes its own change and its entry, and no entry held
            // back before it (a row it added would fail the whole write: ids would be reused).
            XCTAssertThrowsError(try store.write("nested") {
                try store.database.run("UPDATE diagnoses SET description = 'Gone' WHERE description = 'Diagnosis 47'")
                throw StoreError.nothingToUndo("test")
            })
            try store.write("nested") { try add(2) }
            try store.database.run("DELETE FROM diagnoses WHERE description = 'Diagnosis 44'")
            try add(7)
            seen.append(try XCTUnwrap(store.database.scalar("SELECT count(*) FROM history WHERE table_name = 'diagnoses'") as Int64?))
        }
        if bulk { try store.bulkWrite("add") { _ in try work() } } else { try store.write("add", work) }
        return seen
    }

    func testHeldBackHistoryEntriesKeepTheirPlaceAroundChangesReadsAndFailedNestedWrites() throws {
        let bulk = try openStore()
        let rowByRow = try HealthStore(path: path(of: "row-by-row.sqlite"))
        let seenInBulk = try addChangeAndReadDiagnoses(bulk, bulk: true)
        let seenRowByRow = try addChangeAndReadDiagnoses(rowByRow, bulk: false)
        XCTAssertEqual(seenInBulk, seenRowByRow, "a read of the history inside the write sees every entry so far")
        XCTAssertEqual(try history(bulk), try history(rowByRow))
        XCTAssertEqual(try bulk.database.scalar("SELECT count(*) FROM history WHERE table_name = 'diagnoses' AND operation = 'insert'") as Int64?,
                       58, "the base row, then 40 + 5 + 3 + 2 + 7 rows added")
        XCTAssertEqual(try bulk.database.scalar("SELECT count(*) FROM diagnoses WHERE description LIKE 'Diagnosis %'") as Int64?, 55)
        XCTAssertEqual(try bulk.database.scalar("SELECT count(*) FROM diagnoses WHERE description = 'Gone'") as Int64?, 0)
        // Undo, change by change, takes back the same rows from both.
        let rows = { (store: HealthStore) in
            try store.database.query("SELECT id || ' ' || description FROM diagnoses ORDER BY id") { try $0.get(0, as: String.self) }
        }
        for _ in 0 ..< 2 {
            _ = try bulk.write("undo") { try bulk.undoLastChange() }
            _ = try rowByRow.write("undo") { try rowByRow.undoLastChange() }
            XCTAssertEqual(try rows(bulk), try rows(rowByRow))
        }
        XCTAssertEqual(try rows(bulk), ["1 Base diagnosis"], "the nested write's change, then the write's")
    }

    func testAStatementIsMarkedWhenItOrItsTriggersTouchTheHistory() throws {
        let store = try openStore()
        XCTAssertTrue(try store.database.prepare("SELECT count(*) FROM history", cached: false).touchesHistory)
        XCTAssertTrue(try store.database.prepare("UPDATE diagnoses SET description = ? WHERE id = ?", cached: false).touchesHistory,
                      "through the table's history trigger")
        XCTAssertTrue(try store.database.prepare("DELETE FROM history WHERE id = ?", cached: false).touchesHistory)
        XCTAssertFalse(try store.database.prepare("SELECT description FROM diagnoses WHERE id = ?", cached: false).touchesHistory)
        XCTAssertFalse(try store.database.prepare("SELECT count(*) FROM import_sources", cached: false).touchesHistory)
    }
}
