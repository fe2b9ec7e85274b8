import Foundation
@testable import PHRStore
import XCTest

/// The stamp that spares an open of a current store the checks of its schema (`SchemaStamp`):
/// written when the schema is found or made current, trusted only while nothing has changed, and
/// never a reason to accept what a full check refuses.
final class SchemaStampTests: TemporaryStoreTestCase {
    // MARK: The fingerprint

    /// `SchemaFingerprint.current` is written out so that no open has to compute it; this is what
    /// keeps it true.
    func testTheFingerprintIsWhatTheMigrationsAndTheTriggerGeneratorsMake() throws {
        let store = try openStore()
        let computed = try SchemaFingerprint.compute(migrations: HealthStore.migrator.migrations, in: store.database)
        XCTAssertEqual(SchemaFingerprint.current, computed, """
            a migration, the schema catalog or a trigger generator changed: set SchemaFingerprint.current \
            (Sources/PHRStore/Schema/SchemaFingerprint.swift) to "\(computed)"
            """)
        XCTAssertEqual(HealthStore.migrator.fingerprint, SchemaFingerprint.current)
    }

    func testTheFingerprintChangesWithAMigrationOrATrigger() throws {
        let store = try openStore()
        let migrations = HealthStore.migrator.migrations
        let fingerprint = try SchemaFingerprint.compute(migrations: migrations, in: store.database)
        var edited = migrations
        edited[0] = Migration(identifier: edited[0].identifier, sql: edited[0].sql + "\n")
        XCTAssertNotEqual(try SchemaFingerprint.compute(migrations: edited, in: store.database), fingerprint)

        // A column the generators see (here added by hand) changes the triggers they write.
        try store.database.execute("ALTER TABLE opinions ADD COLUMN second_reader TEXT")
        XCTAssertNotEqual(try SchemaFingerprint.compute(migrations: migrations, in: store.database), fingerprint)
    }

    // MARK: Writing the stamp

    func testANewStoreIsStampedByItsLastMigration() throws {
        let store = try openStore()
        XCTAssertNotEqual(try userVersion(store.database), 0)
        XCTAssertTrue(try isStamped(store.database))
    }

    func testOpeningAStampedStoreWritesNothing() throws {
        _ = try openStore()
        let watcher = try openConnection("phr.sqlite")
        let before = try dataVersion(watcher)
        let store = try openStore()
        XCTAssertTrue(try isStamped(store.database))
        XCTAssertEqual(try dataVersion(watcher), before, "another connection committed nothing")

        // The watcher does see a stamp written: the assertion above can fail.
        try watcher.execute("PRAGMA user_version = 0")
        let watched = try dataVersion(watcher)
        _ = try openStore()
        XCTAssertTrue(try isStamped(watcher))
        XCTAssertNotEqual(try dataVersion(watcher), watched)
    }

    /// What makes an open of a stamped store cheap: it reads the migrations and two header
    /// fields, and neither reads a table's columns (to generate its triggers) nor writes.
    func testAStampedStoreIsCheckedWithAFewReadsAlone() throws {
        _ = try openStore()
        let db = try openConnection("phr.sqlite")
        let stamped = try tracedStatements(on: db) { try HealthStore.migrator.migrate(db) }
        XCTAssertEqual(stamped.filter { !Self.isRead($0) }, [], "\(stamped)")
        XCTAssertFalse(stamped.contains { $0.contains("pragma_table_xinfo") }, "\(stamped)")
        XCTAssertLessThanOrEqual(stamped.count, 5, "\(stamped)")

        // The same store unstamped is checked in full and stamped: the filters above can fail.
        try db.execute("PRAGMA user_version = 0")
        let checked = try tracedStatements(on: db) { try HealthStore.migrator.migrate(db) }
        XCTAssertTrue(checked.contains { $0.contains("pragma_table_xinfo") }, "\(checked)")
        XCTAssertEqual(checked.filter { !Self.isRead($0) }, ["BEGIN IMMEDIATE", "PRAGMA user_version = \(try userVersion(db))", "COMMIT"])
    }

    func testAStoreWithoutAStampIsCheckedAndStamped() throws {
        _ = try openStore()
        try openConnection("phr.sqlite").execute("PRAGMA user_version = 0")
        XCTAssertFalse(try isStamped(openConnection("phr.sqlite")))
        XCTAssertTrue(try isStamped(openStore().database))
    }

    func testATriggerDroppedByHandIsPutBackAndTheStoreStampedAgain() throws {
        let version = try SchemaStamp.schemaVersion(of: openStore().database)
        let bare = try openConnection("phr.sqlite")
        try bare.execute("DROP TRIGGER appointments_history_update")
        XCTAssertGreaterThan(try SchemaStamp.schemaVersion(of: bare), version)
        XCTAssertFalse(try isStamped(bare), "the schema changed: the stamp no longer matches")

        let store = try openStore()
        XCTAssertEqual(try store.database.scalar(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = 'appointments_history_update'",
            as: Int64?.self), 1)
        XCTAssertTrue(try HistoryTriggers.isCurrent(in: store.database))
        XCTAssertTrue(try isStamped(store.database))
    }

    func testAStoreStampedByAPhrWithAnotherFingerprintIsCheckedInFull() throws {
        _ = try openStore()
        let db = try openConnection("phr.sqlite")
        try SchemaStamp(of: db, applied: applied(db), fingerprint: "another phr").record(in: db)
        try db.execute("DROP TRIGGER records_search_update")
        XCTAssertFalse(try isStamped(db))

        let store = try openStore()
        XCTAssertTrue(try SearchTriggers.isCurrent(in: store.database))
        XCTAssertTrue(try isStamped(store.database))
    }

    // MARK: Bulk writes

    /// A bulk write sets the insert triggers aside and creates them again (`InsertTriggersSetAside`),
    /// which changes the schema version; it stamps the store again, as the triggers are the same.
    func testABulkWriteKeepsTheStamp() throws {
        let store = try openStore()
        try HistoryRoundTripTests.addBaseRows(store)
        let version = try SchemaStamp.schemaVersion(of: store.database)
        try store.bulkWrite("add") { _ in
            _ = try store.addProvider(Provider(name: "Dr. Bulk"))
        }
        XCTAssertGreaterThan(try SchemaStamp.schemaVersion(of: store.database), version)
        XCTAssertTrue(try isStamped(store.database))
    }

    func testABulkWriteThatChangesTheSchemaOtherwiseLeavesTheStoreToBeChecked() throws {
        let store = try openStore()
        try store.bulkWrite("add") { _ in
            try store.database.execute("CREATE TABLE scratch (x INTEGER)")
        }
        XCTAssertFalse(try isStamped(store.database))
        XCTAssertTrue(try isStamped(openStore().database), "the next open checks and stamps it")
    }

    // MARK: Trusting the stamp, and no further

    /// The stamp vouches for the checksums while the schema is the one that was checked (a
    /// checksum edited together with a stamp made to match is not noticed), and no longer once the
    /// schema has changed.
    func testAStoreWhoseSchemaChangedSinceItsStampIsCheckedInFull() throws {
        _ = try openStore()
        let bare = try openConnection("phr.sqlite")
        try bare.run("UPDATE schema_migrations SET sha256 = ? WHERE identifier = ?",
                     [String(repeating: "f", count: 64), "0001_initial"])
        try SchemaStamp(of: bare, applied: applied(bare), fingerprint: SchemaFingerprint.current).record(in: bare)
        XCTAssertNoThrow(try openStore(), "the stamp matches: the checksums are not compared")

        try bare.execute("CREATE TABLE scratch (x INTEGER); DROP TABLE scratch")
        XCTAssertThrowsError(try openStore()) { error in
            guard case MigrationError.appliedMigrationChanged("0001_initial") = error else {
                return XCTFail("expected appliedMigrationChanged(0001_initial), got \(error)")
            }
        }
    }

    func testAMigrationEditedAfterItWasAppliedIsRefusedByTheBinaryWithItsNewText() throws {
        let db = try openConnection()
        let original = Migrator(migrations: [Migration(identifier: "0001_a", sql: "CREATE TABLE a (x INTEGER) STRICT;")],
                                fingerprint: "first")
        try original.migrate(db)
        XCTAssertTrue(try original.inspect(db).isStamped)
        XCTAssertEqual(try original.migrate(db), [])

        let edited = Migrator(migrations: [Migration(identifier: "0001_a", sql: "CREATE TABLE a (x INTEGER, y TEXT) STRICT;")],
                              fingerprint: "second")
        XCTAssertThrowsError(try edited.migrate(db)) { error in
            guard case MigrationError.appliedMigrationChanged("0001_a") = error else {
                return XCTFail("expected appliedMigrationChanged(0001_a), got \(error)")
            }
        }
    }

    func testAStampedStoreWithAnUnknownMigrationIsStillRefusedAsNewer() throws {
        _ = try openStore()
        let bare = try openConnection("phr.sqlite")
        try bare.run("INSERT INTO schema_migrations (identifier, sha256, applied_at) VALUES (?, ?, ?)",
                     ["9999_future", String(repeating: "0", count: 64), "2099-01-01T00:00:00.000Z"])
        try SchemaStamp(of: bare, applied: applied(bare), fingerprint: SchemaFingerprint.current).record(in: bare)
        XCTAssertThrowsError(try openStore()) { error in
            guard case MigrationError.storeIsNewer(unknownMigration: "9999_future") = error else {
                return XCTFail("expected storeIsNewer(9999_future), got \(error)")
            }
        }
    }

    // MARK: Waiting and reading only

    /// A stamp is not worth a wait: while another phr holds the write lock, an open of a current
    /// store that is not stamped reads, and stamps it next time.
    func testAnOpenDoesNotWaitForTheWriteLockToStamp() throws {
        _ = try openStore()
        let writer = try openConnection("phr.sqlite")
        try writer.execute("PRAGMA user_version = 0")
        try writer.execute("BEGIN IMMEDIATE")
        let started = Date()
        let store = try HealthStore(path: storePath, busyWait: BusyWait(limit: 30))
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "the open did not wait for the writer")
        XCTAssertFalse(try isStamped(store.database))
        try writer.execute("COMMIT")

        XCTAssertTrue(try isStamped(openStore().database))
    }

    func testAStoreReadOnlyIsCheckedInFullAndNotStamped() throws {
        _ = try openStore()
        try openConnection("phr.sqlite").execute("PRAGMA user_version = 0")
        let reader = try Connection.readOnly(path: storePath)
        XCTAssertEqual(try HealthStore.migrator.pendingMigrations(in: reader), [])
        XCTAssertEqual(try userVersion(reader), 0)

        try openConnection("phr.sqlite").run("UPDATE schema_migrations SET sha256 = ? WHERE identifier = ?",
                                              [String(repeating: "f", count: 64), "0001_initial"])
        XCTAssertThrowsError(try HealthStore.migrator.pendingMigrations(in: reader)) { error in
            guard case MigrationError.appliedMigrationChanged("0001_initial") = error else {
                return XCTFail("expected appliedMigrationChanged(0001_initial), got \(error)")
            }
        }
    }

    // MARK: Helpers

    private func applied(_ db: Connection) throws -> [AppliedMigration] {
        try HealthStore.migrator.appliedMigrations(in: db)
    }

    private func isStamped(_ db: Connection) throws -> Bool {
        try SchemaStamp(of: db, applied: applied(db), fingerprint: SchemaFingerprint.current).isRecorded(in: db)
    }

    /// Whether `sql` only reads: a query, or a pragma that sets nothing.
    private static func isRead(_ sql: String) -> Bool {
        sql.hasPrefix("SELECT") || (sql.hasPrefix("PRAGMA") && !sql.contains("="))
    }

    private func userVersion(_ db: Connection) throws -> Int64 {
        try db.scalar("PRAGMA user_version") ?? 0
    }

    /// Changes whenever another connection commits to the store.
    private func dataVersion(_ db: Connection) throws -> Int64 {
        try db.scalar("PRAGMA data_version") ?? 0
    }

    // MARK: What the check does that an open no longer does

    /// A trigger changed without the stamp noticing (here: dropped, then a stamp made to match):
    /// an open trusts the stamp, `check` compares the triggers and `check(fix:)` puts them back.
    func testTheCheckFindsTriggersTheStampDidNotAndFixPutsThemBack() throws {
        _ = try openStore()
        do {
            let bare = try openConnection("phr.sqlite")
            try bare.execute("DROP TRIGGER \(HistoryTriggers.triggerName("opinions", "update"))")
            try SchemaStamp(of: bare, applied: applied(bare), fingerprint: SchemaFingerprint.current).record(in: bare)
        }
        let store = try openStore()
        XCTAssertFalse(try HistoryTriggers.isCurrent(in: store.database), "the open trusted the stamp")
        let found = try store.check(fix: false)
        XCTAssertTrue(found.problems.contains { $0.contains("triggers differ") }, "\(found.problems)")

        let fixed = try store.check(fix: true)
        XCTAssertFalse(fixed.problems.contains { $0.contains("triggers") }, "\(fixed.problems)")
        XCTAssertTrue(fixed.notes.contains { $0.contains("put back") }, "\(fixed.notes)")
        XCTAssertTrue(try HistoryTriggers.isCurrent(in: store.database))
        XCTAssertTrue(try SearchTriggers.isCurrent(in: store.database))
        XCTAssertTrue(try store.check(fix: false).isHealthy)
        XCTAssertTrue(try openStore().check(fix: false).isHealthy, "stamped again by the next open")
    }
}
