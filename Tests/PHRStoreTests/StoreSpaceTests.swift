import Foundation
@testable import PHRStore
import XCTest

/// `HealthStore.space()` and `compact()`: the unused part of the store file, given back to the
/// disk with every byte of the data kept.
final class StoreSpaceTests: TemporaryStoreTestCase {
    /// Migration 21 copies a store's file chunks into a rowid table and leaves the old table's
    /// pages unused; compacting gives them back, and the file still matches its SHA-256.
    func testAnUpgradedStoreGivesItsOldChunksSpaceBackWhenCompacted() throws {
        let chunks = (0..<24).map { [UInt8](repeating: UInt8($0), count: 1 << 20) }
        let bytes = chunks.flatMap { $0 }
        do {
            let db = try openConnection("phr.sqlite")
            try Migrator(migrations: HealthStore.migrator.migrations.filter { $0.identifier <= "0020_family_history" }).migrate(db)
            try db.run("INSERT INTO files (id, sha256, size, chunk_size, created_at) VALUES (1, ?, ?, ?, '2026-01-01T00:00:00.000Z')",
                       [HashedBytes(bytes).sha256, Int64(bytes.count), Int64(1 << 20)])
            for (seq, chunk) in chunks.enumerated() {
                try db.run("INSERT INTO file_chunks (file_id, seq, data) VALUES (1, ?, ?)", [Int64(seq), chunk])
            }
        }
        let store = try openStore()
        let before = try store.space()
        XCTAssertGreaterThanOrEqual(before.unusedBytes, Int64(bytes.count), "the old chunks' pages are unused: \(before)")
        XCTAssertTrue(before.isWorthCompacting)

        let (reported, after) = try store.compact()
        XCTAssertEqual(reported, before)
        XCTAssertEqual(after.unusedBytes, 0)
        XCTAssertLessThanOrEqual(after.fileBytes, before.fileBytes - Int64(bytes.count))
        let onDisk = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: storePath)[.size] as? Int)
        XCTAssertEqual(Int64(onDisk), after.fileBytes, "the store file itself shrank")
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: storePath + "-wal")[.size] as? Int, 0,
                       "the log is copied into the store and emptied")
        let check = try store.check(fix: false)
        XCTAssertTrue(check.isHealthy, "\(check.problems)")
        XCTAssertEqual(check.filesChecked, 1)
        XCTAssertEqual(check.bytesChecked, Int64(bytes.count))
        XCTAssertEqual(check.space, after)
    }

    func testCompactingWithoutRoomOnTheDiskIsRefusedAndChangesNothing() throws {
        let store = try openStore()
        try store.database.execute("""
            CREATE TABLE junk (x);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20) INSERT INTO junk SELECT zeroblob(1048576) FROM n;
            DROP TABLE junk;
            """)
        let before = try store.space()
        XCTAssertGreaterThanOrEqual(before.unusedBytes, 20 << 20)
        XCTAssertThrowsError(try store.compact(free: 1 << 20)) { error in
            guard case StoreError.noRoomToCompact(_, let needed, let free) = error else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(free, 1 << 20)
            XCTAssertEqual(needed, 2 * before.usedBytes + FileStore.roomMargin)
            XCTAssertTrue("\(error)".contains("nothing was changed"), "\(error)")
        }
        XCTAssertEqual(try store.space(), before)
        XCTAssertEqual(try store.compact(free: nil).after.unusedBytes, 0, "free space that cannot be read is no reason to refuse")
    }

    func testOnlySixteenMebibytesAndATenthOfTheFileAreWorthCompacting() {
        XCTAssertTrue(StoreSpace(fileBytes: 160 << 20, unusedBytes: 16 << 20).isWorthCompacting)
        XCTAssertFalse(StoreSpace(fileBytes: 100 << 20, unusedBytes: (16 << 20) - 1).isWorthCompacting, "under 16 MiB")
        XCTAssertFalse(StoreSpace(fileBytes: (160 << 20) + 10, unusedBytes: 16 << 20).isWorthCompacting, "under a tenth")
        XCTAssertFalse(StoreSpace(fileBytes: 1 << 20, unusedBytes: 0).isWorthCompacting)
    }
}
