import Foundation
import PHRMigrations
@testable import PHRStore
import XCTest

final class MigratorTests: TemporaryStoreTestCase {
    private var catalogIdentifiers: [String] { MigrationCatalog.all.map(\.identifier) }

    // MARK: Applying

    func testFreshStoreGetsEveryMigrationRecordedWithChecksumAndTime() throws {
        let before = Clock.now().addingTimeInterval(-1)
        let store = try openStore()
        let after = Clock.now().addingTimeInterval(1)

        let applied = try HealthStore.migrator.appliedMigrations(in: store.database)
        XCTAssertEqual(applied.map(\.identifier), catalogIdentifiers)
        for (record, entry) in zip(applied, MigrationCatalog.all) {
            XCTAssertEqual(record.checksum, Migration(identifier: entry.identifier, sql: entry.sql).checksum)
            XCTAssertEqual(record.checksum.count, 64)
            let appliedAt = try XCTUnwrap(Self.timestamp(record.appliedAt), record.appliedAt)
            XCTAssertTrue((before...after).contains(appliedAt), record.appliedAt)
        }
        XCTAssertEqual(try store.schemaVersion(), catalogIdentifiers.last)
        XCTAssertEqual(try HealthStore.migrator.pendingMigrations(in: store.database), [])
    }

    func testChecksumIsTheSHA256OfTheMigrationText() {
        // The published SHA-256 test vectors (FIPS 180-2): the checksum is of the UTF-8 text itself.
        XCTAssertEqual(Migration(identifier: "x", sql: "abc").checksum,
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(Migration(identifier: "x", sql: "").checksum,
                       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testReopeningAMigratedStoreAppliesNothing() throws {
        let firstRecords: [AppliedMigration]
        do {
            let store = try openStore()
            firstRecords = try HealthStore.migrator.appliedMigrations(in: store.database)
        }
        let db = try Connection(path: storePath)
        XCTAssertEqual(try HealthStore.migrator.migrate(db), [])
        XCTAssertEqual(try HealthStore.migrator.appliedMigrations(in: db), firstRecords)

        let reopened = try openStore()
        XCTAssertEqual(try HealthStore.migrator.appliedMigrations(in: reopened.database), firstRecords)
    }

    func testMigrationsApplyInOrderEachOnce() throws {
        let db = try openConnection()
        let migrator = Migrator(migrations: [
            Migration(identifier: "0001_a", sql: "CREATE TABLE a (x INTEGER) STRICT;"),
            Migration(identifier: "0002_b", sql: "ALTER TABLE a ADD COLUMN y TEXT;"),
        ])
        XCTAssertEqual(try migrator.migrate(db), ["0001_a", "0002_b"])
        XCTAssertEqual(try migrator.migrate(db), [])
        XCTAssertEqual(try db.query("SELECT name FROM pragma_table_info('a') ORDER BY cid") { try $0.get(0, as: String.self) },
                       ["x", "y"])
    }

    // MARK: Refusing

    func testStoreWithAnUnknownMigrationIsRefusedAsNewer() throws {
        do {
            let store = try openStore()
            try store.database.run("INSERT INTO schema_migrations (identifier, sha256, applied_at) VALUES (?, ?, ?)",
                                   ["9999_future", String(repeating: "0", count: 64), "2099-01-01T00:00:00.000Z"])
        }
        XCTAssertThrowsError(try openStore()) { error in
            guard case MigrationError.storeIsNewer(unknownMigration: "9999_future") = error else {
                return XCTFail("expected storeIsNewer(9999_future), got \(error)")
            }
            XCTAssertTrue(String(describing: error).contains("newer phr"), "\(error)")
        }
    }

    func testStoreWhoseAppliedMigrationChangedIsRefused() throws {
        do {
            let store = try openStore()
            try store.database.run("UPDATE schema_migrations SET sha256 = ? WHERE identifier = ?",
                                   [String(repeating: "f", count: 64), "0001_initial"])
        }
        XCTAssertThrowsError(try openStore()) { error in
            guard case MigrationError.appliedMigrationChanged("0001_initial") = error else {
                return XCTFail("expected appliedMigrationChanged(0001_initial), got \(error)")
            }
        }
    }

    func testRefusedStoreIsLeftAsItWas() throws {
        let db = try openConnection()
        let old = Migrator(migrations: [
            Migration(identifier: "0001_a", sql: "CREATE TABLE a (x INTEGER);"),
            Migration(identifier: "0002_b", sql: "CREATE TABLE b (x INTEGER);"),
        ])
        try old.migrate(db)
        let older = Migrator(migrations: [
            Migration(identifier: "0001_a", sql: "CREATE TABLE a (x INTEGER);"),
            Migration(identifier: "0001_z", sql: "CREATE TABLE z (x INTEGER);"),
        ])
        XCTAssertThrowsError(try older.migrate(db)) { error in
            guard case MigrationError.storeIsNewer(unknownMigration: "0002_b") = error else {
                return XCTFail("\(error)")
            }
        }
        XCTAssertEqual(try tableNames(db), ["a", "b", "schema_migrations"])
        XCTAssertEqual(try old.appliedMigrations(in: db).map(\.identifier), ["0001_a", "0002_b"])
    }

    func testFailingMigrationLeavesEarlierOnesAppliedAndItselfUnrecordedAndUndone() throws {
        let db = try openConnection()
        let first = Migration(identifier: "0001_a", sql: "CREATE TABLE a (x INTEGER) STRICT; INSERT INTO a VALUES (1);")
        let broken = Migration(identifier: "0002_b", sql: """
            CREATE TABLE b (y INTEGER);
            INSERT INTO a VALUES (2);
            INSERT INTO no_such_table VALUES (3);
            """)
        XCTAssertThrowsError(try Migrator(migrations: [first, broken]).migrate(db)) { error in
            XCTAssertEqual((error as? SQLiteError)?.primaryCode, 1, "\(error)")
        }
        XCTAssertEqual(try Migrator(migrations: [first]).appliedMigrations(in: db).map(\.identifier), ["0001_a"])
        XCTAssertEqual(try tableNames(db), ["a", "schema_migrations"])
        XCTAssertEqual(try db.query("SELECT x FROM a") { try $0.get(0, as: Int.self) }, [1])
        XCTAssertTrue(db.isAutocommit)
        XCTAssertEqual(try db.scalar("PRAGMA foreign_keys", as: Int?.self), 1, "foreign keys are back on")

        // Once fixed, only the migration that failed is applied.
        let fixed = Migration(identifier: "0002_b", sql: "CREATE TABLE b (y INTEGER);")
        XCTAssertEqual(try Migrator(migrations: [first, fixed]).migrate(db), ["0002_b"])
    }

    func testMigrationLeavingAForeignKeyViolationIsRefused() throws {
        let db = try openConnection()
        let good = Migration(identifier: "0001_parent", sql: "CREATE TABLE parent (id INTEGER PRIMARY KEY);")
        let orphaning = Migration(identifier: "0002_child", sql: """
            CREATE TABLE child (parent_id INTEGER REFERENCES parent (id));
            INSERT INTO child VALUES (42);
            """)
        XCTAssertThrowsError(try Migrator(migrations: [good, orphaning]).migrate(db)) { error in
            guard case MigrationError.foreignKeyViolation(migration: "0002_child", table: "child") = error else {
                return XCTFail("expected foreignKeyViolation(0002_child, child), got \(error)")
            }
        }
        XCTAssertEqual(try tableNames(db), ["parent", "schema_migrations"])
        XCTAssertEqual(try Migrator(migrations: [good]).appliedMigrations(in: db).map(\.identifier), ["0001_parent"])
        XCTAssertEqual(try db.scalar("PRAGMA foreign_keys", as: Int?.self), 1)
    }

    func testMigrationMayRebuildAReferencedTable() throws {
        // Foreign keys are off while a migration runs, so SQLite's table-rebuild procedure works.
        let db = try openConnection()
        let migrator = Migrator(migrations: [
            Migration(identifier: "0001_a", sql: """
                CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);
                CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) ON DELETE CASCADE);
                INSERT INTO parent VALUES (1, 'p');
                INSERT INTO child VALUES (1);
                """),
            Migration(identifier: "0002_rebuild", sql: """
                CREATE TABLE parent_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
                INSERT INTO parent_new SELECT id, name FROM parent;
                DROP TABLE parent;
                ALTER TABLE parent_new RENAME TO parent;
                """),
        ])
        try migrator.migrate(db)
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM child", as: Int?.self), 1, "the DROP did not cascade")
    }

    /// 0008 takes the hand-written table list out of `import_sources`: a store of 0001-0007 keeps
    /// every import source, and a source may then name any item table (a result, a medication).
    func testImportSourcesKeepTheirRowsAndMayNameTheNewTables() throws {
        let db = try openConnection("phr.sqlite")
        let earlier = Migrator(migrations: HealthStore.migrator.migrations.filter { $0.identifier <= "0007_clinical" })
        try earlier.migrate(db)
        let insert = """
            INSERT INTO import_sources (source_key, kind, entity_table, row_id, resource_type, content_hash, imported_at)
            VALUES (?, 'resource', ?, 1, ?, ?, '2026-01-01T00:00:00.000Z')
            """
        let hash = String(repeating: "a", count: 64)
        try db.run(insert, ["file:a/Patient/1", "patients", "Patient", hash])
        XCTAssertThrowsError(try db.run(insert, ["file:a/Observation/1", "results", "Observation", hash]),
                             "0003's CHECK refuses a table it does not list")

        try HealthStore.migrator.migrate(db)
        let kept = try db.query("SELECT source_key || ' ' || entity_table FROM import_sources") { try $0.get(0, as: String.self) }
        XCTAssertEqual(kept, ["file:a/Patient/1 patients"])
        for table in ["results", "medications", "allergies", "procedures", "immunizations"] {
            XCTAssertNoThrow(try db.run(insert, ["file:a/\(table)/1", table, "Observation", hash]), table)
        }
        XCTAssertThrowsError(try db.run(insert, ["file:a/empty/1", "", "Observation", hash]), "an empty table name")
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM pragma_foreign_key_check", as: Int?.self), 0)
    }

    /// 0021 moves file chunks from a WITHOUT ROWID table into a rowid table: a store of 0001-0020
    /// keeps every chunk of every file, in order and byte for byte, and each file still reads
    /// back whole against its SHA-256.
    func testFileChunksMoveToARowidTableWithEveryByte() throws {
        let db = try openConnection("phr.sqlite")
        let earlier = Migrator(migrations: HealthStore.migrator.migrations.filter { $0.identifier <= "0020_family_history" })
        try earlier.migrate(db)
        XCTAssertEqual(try Self.fileChunksSQL(db)?.contains("WITHOUT ROWID"), true)
        let files: [[[UInt8]]] = [
            [Array("first chunk ".utf8), Array("second chunk".utf8), Array("last".utf8)],
            [[UInt8](repeating: 7, count: 70_000)],
        ]
        for (index, chunks) in files.enumerated() {
            let bytes = chunks.flatMap { $0 }
            try db.run("INSERT INTO files (id, sha256, size, chunk_size, created_at) VALUES (?, ?, ?, 12, '2026-01-01T00:00:00.000Z')",
                       [Int64(index + 1), HashedBytes(bytes).sha256, Int64(bytes.count)])
            // Written last chunk first, so that only the key puts them in order.
            for (seq, chunk) in chunks.enumerated().reversed() {
                try db.run("INSERT INTO file_chunks (file_id, seq, data) VALUES (?, ?, ?)", [Int64(index + 1), Int64(seq), chunk])
            }
        }

        try HealthStore.migrator.migrate(db)
        let sql = try XCTUnwrap(Self.fileChunksSQL(db))
        XCTAssertFalse(sql.contains("WITHOUT ROWID"), sql)
        let kept = try db.query("SELECT file_id, seq, data FROM file_chunks ORDER BY file_id, seq") { row in
            "\(try row.get("file_id", as: Int64.self)) \(try row.get("seq", as: Int64.self)) \(try row.get("data", as: [UInt8].self))"
        }
        XCTAssertEqual(kept, files.enumerated().flatMap { index, chunks in
            chunks.enumerated().map { seq, chunk in "\(index + 1) \(seq) \(chunk)" }
        })
        for id in [Int64(1), 2] {
            let file = try XCTUnwrap(FileStore(database: db).file(id: id))
            var read: [UInt8] = []
            XCTAssertTrue(try FileStore(database: db).read(file) { read.append(contentsOf: $0) }, "file \(id) verified")
            XCTAssertEqual(read, files[Int(id) - 1].flatMap { $0 })
        }
        XCTAssertThrowsError(try db.run("INSERT INTO file_chunks (file_id, seq, data) VALUES (1, 0, x'00')"),
                             "a chunk's place in its file is still unique")
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM pragma_foreign_key_check", as: Int?.self), 0)
    }

    private static func fileChunksSQL(_ db: Connection) throws -> String? {
        try db.scalar("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'file_chunks'")
    }

    // MARK: Catalog

    /// Every `.sql` file in `Migrations/` is in the catalog, in order, byte for byte, and nothing else is.
    func testCatalogListsExactlyTheMigrationFilesInOrder() throws {
        let folder = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // PHRStoreTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // the package
            .appendingPathComponent("Migrations", isDirectory: true)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".sql") }
            .sorted()
        XCTAssertFalse(files.isEmpty, "no migrations found in \(folder.path)")

        XCTAssertEqual(MigrationCatalog.all.map(\.identifier), files.map { String($0.dropLast(".sql".count)) })
        XCTAssertEqual(catalogIdentifiers, catalogIdentifiers.sorted(), "the catalog is in file-name order")
        XCTAssertEqual(Set(catalogIdentifiers).count, catalogIdentifiers.count, "no migration is listed twice")
        for (file, entry) in zip(files, MigrationCatalog.all) {
            let onDisk = Array(try Data(contentsOf: folder.appendingPathComponent(file)))
            let embedded = Array(entry.sql.utf8)
            // Stores record the checksum of the text; the migrator hashes the bytes it embeds.
            XCTAssertEqual(entry.utf8, embedded, "\(file) is not valid UTF-8")
            guard embedded != onDisk else { continue }
            let shorter = min(embedded.count, onDisk.count)
            let offset = (0..<shorter).first { embedded[$0] != onDisk[$0] } ?? shorter
            XCTFail("""
                \(file) (\(onDisk.count) bytes) differs from its catalog text (\(embedded.count) bytes) from byte \(offset): \
                rebuild, and check that Package.swift embeds it with .embedInCode
                """)
        }
    }

    func testMigrationIdentifiersAreNumberedAndUnique() {
        for identifier in catalogIdentifiers {
            XCTAssertNotNil(identifier.range(of: #"^[0-9]{4}_[a-z0-9_]+$"#, options: .regularExpression), identifier)
        }
        let numbers = catalogIdentifiers.map { $0.prefix(4) }
        XCTAssertEqual(Set(numbers).count, numbers.count)
    }

    // MARK: Helpers

    /// phr's own timestamps: UTC ISO 8601 with milliseconds.
    private static func timestamp(_ text: String) -> Date? {
        guard text.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#, options: .regularExpression) != nil else {
            return nil
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    private func tableNames(_ db: Connection) throws -> [String] {
        try db.query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name") { try $0.get(0, as: String.self) }
    }
}
