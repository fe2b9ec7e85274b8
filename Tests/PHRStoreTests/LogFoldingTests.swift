import CSQLite
import Foundation
@testable import PHRStore
import XCTest

/// A store closing after a change copies its write-ahead log into the store file, and says so
/// when the disk has no room for that copy (the change then lives in the log beside the store).
final class LogFoldingTests: TemporaryStoreTestCase {
    /// With another connection open, SQLite itself would leave a small log as it is on closing:
    /// the change reaches the store file only because the store copies the log as it closes. The
    /// file is read as it is on disk (`immutable`: no log).
    func testAChangeIsInTheStoreFileOnceTheStoreCloses() throws {
        var other: Connection?
        do {
            let store = try openStore()
            other = try Connection(path: storePath)
            _ = try other?.scalar("SELECT count(*) FROM patients", as: Int64?.self)
            _ = try store.write("test") { try store.addPatient(Patient(name: "Ana Lima")) }
        }
        let asOnDisk = try Connection(path: storePath, mode: .readOnly, immutable: true)
        XCTAssertEqual(try asOnDisk.scalar("SELECT count(*) FROM patients", as: Int64?.self), 1)
        XCTAssertNotNil(other, "still open: SQLite would not have copied the log itself")
    }

    /// An upgrade is a change too: opening a store of an earlier phr migrates it, and the
    /// migration reaches the store file when the store closes (or the close says it stayed in
    /// the log), as a command's change does.
    func testAnUpgradeIsInTheStoreFileOnceTheStoreCloses() throws {
        do {
            let earlier = try Connection(path: storePath)
            try Migrator(migrations: HealthStore.migrator.migrations.dropLast()).migrate(earlier)
        }
        let latest = try XCTUnwrap(HealthStore.migrator.migrations.last?.identifier)
        var other: Connection?
        do {
            other = try Connection(path: storePath)
            _ = try other?.scalar("SELECT count(*) FROM schema_migrations", as: Int64?.self)
            _ = try openStore()
        }
        let asOnDisk = try Connection(path: storePath, mode: .readOnly, immutable: true)
        XCTAssertEqual(try asOnDisk.scalar("SELECT count(*) FROM schema_migrations WHERE identifier = ?", [latest], as: Int64?.self), 1)
        XCTAssertNotNil(other, "still open: SQLite would not have copied the log itself")
    }

    func testAFullDiskIsToldWithTheLogsPath() {
        let told = Told()
        HealthStore.foldLog({ () throws(SQLiteError) in
            throw SQLiteError(extendedCode: SQLITE_FULL, message: "database or disk is full")
        }, logPath: "/data/phr.sqlite-wal", tellingWhenLeft: told.note)
        XCTAssertEqual(told.paths, ["/data/phr.sqlite-wal"])
    }

    func testAReaderInTheWayOrSuccessIsNotTold() {
        let told = Told()
        HealthStore.foldLog({ () throws(SQLiteError) in
            throw SQLiteError(extendedCode: SQLITE_BUSY, message: "database is locked")
        }, logPath: "/data/phr.sqlite-wal", tellingWhenLeft: told.note)
        HealthStore.foldLog({ () throws(SQLiteError) in }, logPath: "/data/phr.sqlite-wal", tellingWhenLeft: told.note)
        XCTAssertEqual(told.paths, [])
    }

    /// `phr check` copies the log in as a closing phr does, and with `--fix` empties it.
    func testCopyingTheLogAfterAChangeLeavesTheStoreFileWhole() throws {
        let store = try openStore()
        _ = try store.write("test") { try store.addPatient(Patient(name: "Ana Lima")) }
        XCTAssertEqual(try store.copyLogIntoStore(truncating: false), .complete)
        let asOnDisk = try Connection(path: storePath, mode: .readOnly, immutable: true)
        XCTAssertEqual(try asOnDisk.scalar("SELECT count(*) FROM patients", as: Int64?.self), 1)
        XCTAssertEqual(try store.copyLogIntoStore(truncating: true), .complete)
        let size = try FileManager.default.attributesOfItem(atPath: store.logPath)[.size] as? NSNumber
        XCTAssertEqual(size?.int64Value, 0, "the log is emptied")
    }

    /// A reader still on the state before a change keeps that change's part of the log: it is
    /// copied by whichever phr closes last, which is no problem of the store's.
    func testAReaderOfAnEarlierStateHoldsTheRestOfTheLog() throws {
        let store = try openStore()
        _ = try store.write("test") { try store.addPatient(Patient(name: "Ana Lima")) }
        let reader = try Connection(path: storePath)
        try reader.execute("BEGIN")
        _ = try reader.scalar("SELECT count(*) FROM patients", as: Int64?.self)
        _ = try store.write("test") { try store.addPatient(Patient(name: "Rui Lima")) }
        XCTAssertEqual(try store.copyLogIntoStore(truncating: false), .heldByAnotherReader)
        try reader.execute("COMMIT")
        XCTAssertEqual(try store.copyLogIntoStore(truncating: false), .complete)
    }

    private final class Told {
        var paths: [String] = []
        func note(_ path: String) { paths.append(path) }
    }
}
