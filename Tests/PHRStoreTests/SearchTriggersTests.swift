import Foundation
@testable import PHRStore
import XCTest

/// The search index triggers generated from the catalog's search fields index exactly what the
/// hand-written triggers of `0004_workflow.sql` indexed: the same rowids, kinds, patients, dates,
/// titles and bodies, for inserts, edits, removals and a file's text arriving after its record.
final class SearchTriggersTests: TemporaryStoreTestCase {
    /// The `CREATE TRIGGER … _search_ …` statements written by hand in the migration `identifier`.
    private func handWrittenSearchTriggers(in identifier: String) throws -> [String] {
        let migration = try XCTUnwrap(HealthStore.migrator.migrations.first { $0.identifier == identifier })
        let pattern = try NSRegularExpression(pattern: "CREATE TRIGGER \\w+_search_\\w+ .*?\\nEND;",
                                              options: [.dotMatchesLineSeparators])
        let text = migration.sql as NSString
        return pattern.matches(in: migration.sql, range: NSRange(location: 0, length: text.length))
            .map { text.substring(with: $0.range) }
    }

    /// Replaces the generated triggers of the same names with `statements`.
    private func install(_ statements: [String], in store: HealthStore) throws {
        for statement in statements {
            let name = String(statement.split(separator: " ")[2])
            try store.database.execute("DROP TRIGGER IF EXISTS \(name)")
            try store.database.execute(statement)
        }
    }

    /// The number of rows of the searchable tables.
    private func searchableRows(_ store: HealthStore) throws -> Int {
        try SchemaCatalog.tables.filter { $0.search != nil }.reduce(0) { $0 + (try store.count($1.name)) }
    }

    /// The whole search index, every value with its type, in rowid order.
    /// The search entries; a body's double spaces (where a column between two others is empty) as
    /// one, since FTS5 splits words on them alike.
    private func index(_ store: HealthStore) throws -> [String] {
        try store.database.query("""
            SELECT json_array(rowid, kind, item_id, typeof(patient_id), patient_id, on_date, typeof(title), title,
                              replace(body, '  ', ' '))
            FROM search_index ORDER BY rowid
            """) { try $0.get(0, as: String.self) }
    }

    /// Adds the base rows and a full row of every searchable table, edits each title, lets a file's
    /// text arrive, removes an answer and a decision.
    /// `bulk`: each change is a bulk write (search indexing deferred to its end).
    private func write(_ store: HealthStore, bulk: Bool = false) throws {
        try HistoryRoundTripTests.addBaseRows(store)
        for (summary, body) in changes(store) {
            if bulk { try store.bulkWrite(summary) { _ in try body() } } else { try store.write(summary, body) }
        }
    }

    /// The changes `write` makes, in order, by summary.
    private func changes(_ store: HealthStore) -> [(summary: String, body: () throws -> Void)] {
        let searched = SchemaCatalog.tables.filter { $0.search != nil }
        return [("add", {
            for table in searched {
                var values = try XCTUnwrap(HistoryRoundTripTests.fullRows[table.name], table.name)
                // 0004's hand-written triggers, compared with below, predate source notes
                // (migrations 18 and 19), which the generated ones index.
                if ["diagnoses", "records", "appointments", "opinions"].contains(table.name) { values["source_notes"] = nil }
                // As the entities insert: a bulk write gives such rows their history itself.
                try store.database.insert(into: table.name, values.keys.sorted().map { .column($0, values[$0]!) })
            }
        }), ("edit", {
            for table in searched {
                let title = try XCTUnwrap(table.search?.title.first)
                try store.database.run("UPDATE \(table.name) SET \(title) = 'Retitled ' || id WHERE id = 100")
            }
            try store.database.run("UPDATE transfers SET reference = NULL WHERE id = 100")
        }), ("text", {
            try store.database.run("INSERT INTO file_texts (file_id, text) VALUES (1, 'biopsy findings text')")
        }), ("remove", {
            try store.database.run("DELETE FROM answers WHERE id = 100")
            try store.database.run("DELETE FROM decisions WHERE id = 100")
        })]
    }

    func testGeneratedTriggersIndexWhatTheHandWrittenOnesDid() throws {
        let generated = try openStore()
        XCTAssertTrue(try SearchTriggers.isCurrent(in: generated.database))

        let handWritten = try HealthStore(path: path(of: "hand.sqlite"))
        let statements = try handWrittenSearchTriggers(in: "0004_workflow")
        XCTAssertEqual(statements.count, 8 * 3 + 1, "three per searchable table of 0004 and the file text's")
        try install(statements, in: handWritten)
        XCTAssertFalse(try SearchTriggers.isCurrent(in: handWritten.database))

        try write(generated)
        try write(handWritten)
        let indexed = try index(generated)
        XCTAssertEqual(indexed.count, try searchableRows(generated), "one entry for each row of a searchable table")
        XCTAssertEqual(indexed, try index(handWritten))
        XCTAssertTrue(indexed.contains { $0.contains("biopsy findings text") }, "the file's text is in its record's body")
    }

    func testEverySearchableTableHasItsTriggersAndOneRemovedByHandComesBack() throws {
        let store = try openStore()
        let names = Set(try SearchTriggers.installed(in: store.database).keys)
        for table in SchemaCatalog.tables where table.search != nil {
            for operation in ["insert", "update", "delete"] {
                XCTAssertTrue(names.contains("\(table.name)_search_\(operation)"), "\(table.name) \(operation)")
            }
        }
        try openConnection("phr.sqlite").execute("DROP TRIGGER records_search_update")
        XCTAssertTrue(try SearchTriggers.isCurrent(in: openStore().database))
    }

    func testAStoreIndexedByTheHandWrittenTriggersIsIndexedTheSameAfterTheUpgrade() throws {
        let store = try openStore()
        try install(handWrittenSearchTriggers(in: "0004_workflow"), in: store)
        XCTAssertFalse(try SearchTriggers.isCurrent(in: store.database))
        try write(store)
        let before = try index(store)
        // Reopening replaces the triggers and indexes every searchable table again.
        let upgraded = try openStore()
        XCTAssertTrue(try SearchTriggers.isCurrent(in: upgraded.database))
        XCTAssertEqual(try index(upgraded), before)
    }

    func testABulkWriteIndexesItsRowsWhenItEndsExactlyAsRowByRow() throws {
        let rowByRow = try openStore()
        let bulk = try HealthStore(path: path(of: "bulk.sqlite"))
        try write(rowByRow)
        try write(bulk, bulk: true)
        XCTAssertEqual(try index(bulk), try index(rowByRow))
        XCTAssertEqual(try bulk.count(SearchTriggers.pending), 0)

        // Inside the write the entry is only noted; it is indexed when the write ends.
        try bulk.bulkWrite("retitle") { _ in
            try bulk.database.run("UPDATE diagnoses SET description = 'Deferred title' WHERE id = 100")
            XCTAssertEqual(try bulk.count(SearchTriggers.pending), 1, "an edit notes its row's entry once")
            XCTAssertFalse(try index(bulk).contains { $0.contains("Deferred title") })
        }
        XCTAssertTrue(try index(bulk).contains { $0.contains("Deferred title") })
        XCTAssertEqual(try bulk.count(SearchTriggers.pending), 0)

        // A bulk write that fails leaves neither index entries nor notes behind.
        let before = try index(bulk)
        XCTAssertThrowsError(try bulk.bulkWrite("fails") { _ in
            try bulk.database.run("UPDATE diagnoses SET description = 'Never kept' WHERE id = 100")
            throw StoreError.nothingToUndo("test")
        })
        XCTAssertEqual(try index(bulk), before)
        XCTAssertEqual(try bulk.count(SearchTriggers.pending), 0)
    }

    func testRowsABulkWriteIndexesAheadAndThenChangesEndIndexedAsRowByRow() throws {
        let rowByRow = try openStore()
        try write(rowByRow)
        let ahead = try HealthStore(path: path(of: "ahead.sqlite"))
        try HistoryRoundTripTests.addBaseRows(ahead)
        XCTAssertFalse(try ahead.workAhead(), "outside a bulk write there is nothing to do ahead")
        let entriesBefore = try ahead.count("search_index")
        let searchedTables = SchemaCatalog.tables.filter { $0.search != nil }.count
        try ahead.bulkWrite("all at once") { _ in
            let changes = changes(ahead)
            try changes[0].body()
            XCTAssertEqual(try ahead.count("search_index"), entriesBefore, "added rows wait for the end")
            // Every searchable table added one row (id 100): one batch each.
            var batches = 0
            while batches <= searchedTables, try ahead.workAhead(rows: 1_000) { batches += 1 }
            XCTAssertEqual(batches, searchedTables)
            XCTAssertEqual(try ahead.count("search_index"), entriesBefore + searchedTables, "indexed ahead")
            XCTAssertFalse(try ahead.workAhead())
            // Rows indexed ahead, then retitled, given a file's text, or removed in the same write.
            for change in changes.dropFirst() { try change.body() }
        }
        XCTAssertEqual(try index(ahead), try index(rowByRow))
        XCTAssertEqual(try ahead.count(SearchTriggers.pending), 0)
        XCTAssertTrue(try index(ahead).contains { $0.contains("biopsy findings text") })
    }

    func testABulkWriteLargerThanOneIndexingStatementIndexesEveryRowAndEveryNote() throws {
        let store = try openStore()
        let patient = try store.addPatientAndProvider().patient
        // Rows spanning more than two statements' worth of ids, and notes spanning as many.
        let count = Int(SearchTriggers.idsPerStatement) * 2 + 5
        try store.bulkWrite("questions") { _ in
            for n in 1 ... count {
                try store.database.insert(into: "questions", [
                    .column("uuid", UUID().uuidString.lowercased()), .column("patient_id", patient.id),
                    .column("text", "Question number q\(n)"), .column("created_at", "2026-11-02T09:00:00.000Z"),
                    .column("updated_at", "2026-11-02T09:00:00.000Z"),
                ])
            }
        }
        func indexed(_ text: String) throws -> Int {
            try store.database.scalar("SELECT count(*) FROM search_index WHERE search_index MATCH ?", [text]) ?? -1
        }
        XCTAssertEqual(try indexed("question"), count)
        for n in [1, Int(SearchTriggers.idsPerStatement), Int(SearchTriggers.idsPerStatement) + 1, count] {
            XCTAssertEqual(try indexed("q\(n)"), 1, "question \(n)")
        }

        // Every row written again by other SQL is noted, and indexed again when the write ends.
        try store.bulkWrite("retitle") { _ in
            try store.database.execute("UPDATE questions SET text = 'Asked again a' || id")
            XCTAssertEqual(try store.count(SearchTriggers.pending), count)
        }
        XCTAssertEqual(try indexed("question"), 0)
        XCTAssertEqual(try indexed("asked"), count)
        XCTAssertEqual(try store.count(SearchTriggers.pending), 0)
        XCTAssertEqual(try store.count("search_index"), count)
    }
}
