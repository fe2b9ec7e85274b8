import Foundation
@testable import PHRStore
import XCTest

/// phr marks its stores in the SQLite header (`PRAGMA application_id`, "PHR1"), so that an open
/// can tell a store from another program's database by reading four bytes, without a second
/// connection that parses the whole schema.
final class StoreMarkTests: TemporaryStoreTestCase {
    /// The four bytes at offset 68 of the file: the application id as the file holds it.
    private func headerMark(_ path: String) throws -> [UInt8] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return Array(data[68 ..< 72])
    }

    func testANewStoreCarriesPhrsMark() throws {
        do {
            let store = try openStore()
            XCTAssertEqual(try store.database.scalar("PRAGMA application_id") as Int64?, Int64(HealthStore.applicationID))
        }
        XCTAssertEqual(try headerMark(storePath), Array("PHR1".utf8), "in the file once the store is closed")
    }

    func testAStoreOfAnOlderPhrIsMarkedAtItsNextOpen() throws {
        do {
            let store = try openStore()
            try store.database.execute("PRAGMA application_id = 0")
        }
        XCTAssertEqual(try headerMark(storePath), [0, 0, 0, 0])
        do {
            let store = try openStore()
            XCTAssertEqual(try store.database.scalar("PRAGMA application_id") as Int64?, Int64(HealthStore.applicationID))
        }
        XCTAssertEqual(try headerMark(storePath), Array("PHR1".utf8))
    }

    func testADatabaseOfAnotherProgramIsRefusedAndLeftUnmarked() throws {
        let path = path(of: "notes.sqlite")
        do {
            let other = try Connection(path: path)
            try other.execute("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try HealthStore(path: path)) { error in
            XCTAssertTrue("\(error)".contains("another program"), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before, "not marked, not changed")
    }

    func testAFileCarryingPhrsMarkIsTakenForAStoreWithoutLookingAtItsTables() throws {
        // The mark is what an open trusts: a database that claims to be phr's is not checked for
        // phr's tables (another program's database never carries it by accident).
        let path = path(of: "claims.sqlite")
        do {
            let other = try Connection(path: path)
            try other.execute("CREATE TABLE notes (body TEXT); PRAGMA application_id = \(HealthStore.applicationID);")
        }
        let store = try HealthStore(path: path)
        XCTAssertEqual(try store.database.scalar("SELECT count(*) FROM notes") as Int64?, 0)
        XCTAssertNotNil(try store.database.scalar("SELECT count(*) FROM schema_migrations") as Int64?)
    }
}
