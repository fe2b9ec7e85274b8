import Foundation
import XCTest

/// `phr check`: exit 0 on a sound store, 1 with a report naming what is wrong; `phr info` never
/// calls a damaged store fine.
final class CheckCommandTests: PHRTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try succeed("demo", "--db", storePath)
    }

    func testSoundStorePasses() throws {
        let result = try succeed("check")
        XCTAssertTrue(result.stdout.contains("The store is sound"), result.stdout)
        XCTAssertTrue(result.stdout.contains("4 files"), result.stdout)
        XCTAssertTrue(try succeed("info").stdout.contains("check:   ok"))
    }

    /// Space left unused by deleted data is noted; `--compact` gives it back to the disk, and the
    /// store stays sound and private.
    func testUnusedSpaceIsNotedAndCompactGivesItBack() throws {
        try leaveUnusedSpace(mebibytes: 24)
        let noted = try succeed("check")
        XCTAssertTrue(noted.lines.contains { $0.hasPrefix("note: ") && $0.hasSuffix("phr check --compact gives it back to the disk") },
                      noted.stdout)
        let info = try succeed("info")
        XCTAssertTrue(info.lines.contains { $0.hasPrefix("size:    ") && $0.hasSuffix(" MB") }, info.stdout)
        XCTAssertTrue(info.lines.contains { $0.hasPrefix("note:    ") && $0.hasSuffix("phr check --compact gives it back to the disk") },
                      info.stdout)
        let sizeBefore = try fileSize(storePath)

        let compacted = try succeed("check", "--compact")
        XCTAssertTrue(compacted.lines.contains { $0.hasPrefix("Compacted the store: ") && $0.hasSuffix(" given back to the disk).") },
                      compacted.stdout)
        XCTAssertFalse(compacted.stdout.contains("gives it back"), "no advice to do what is being done: \(compacted.stdout)")
        XCTAssertLessThanOrEqual(try fileSize(storePath), sizeBefore - 24 << 20)
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: storePath)[.posixPermissions] as? Int).map { $0 & 0o777 }, 0o600)

        XCTAssertTrue(try succeed("check", "--compact").lines.contains("Nothing to compact: the store has no unused space."))
        for command in ["check", "info"] {
            let quiet = try succeed(command)
            XCTAssertFalse(quiet.stdout.contains("unused"), quiet.stdout)
        }
        let appointments = try sqlite(storePath, "SELECT count(*) FROM appointments").trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(try succeed("appointment", "list", "--format", "json").jsonArray().count, Int(appointments))
    }

    func testADamagedStoreIsNotCompacted() throws {
        try leaveUnusedSpace(mebibytes: 24)
        try sqlite(storePath, "UPDATE file_chunks SET data = CAST('tampered bytes' AS BLOB) WHERE file_id = (SELECT min(file_id) FROM file_chunks)")
        let sizeBefore = try fileSize(storePath)
        let result = try phr("check", "--compact")
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.lines.contains("Not compacted: put the problems right first."), result.stdout)
        XCTAssertEqual(try fileSize(storePath), sizeBefore)
    }

    /// Writes `mebibytes` MiB into a table and drops it: its pages stay in the store, unused.
    private func leaveUnusedSpace(mebibytes: Int) throws {
        try sqlite(storePath, """
            CREATE TABLE junk (x);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(mebibytes))
                INSERT INTO junk SELECT zeroblob(1048576) FROM n;
            DROP TABLE junk;
            """)
    }

    private func fileSize(_ path: String) throws -> Int {
        try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    }

    func testDamagedFileIsReported() throws {
        try sqlite(storePath, "UPDATE file_chunks SET data = CAST('tampered bytes' AS BLOB) WHERE file_id = (SELECT min(file_id) FROM file_chunks)")
        let result = try phr("check")
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("does not match its SHA-256"), result.stdout)
        XCTAssertEqual(result.stderr, "")
    }

    func testBrokenForeignKeyAndHistoryAreReported() throws {
        try sqlite(storePath, """
            PRAGMA foreign_keys = OFF;
            INSERT INTO export_records (export_id, record_id, record_uuid, position)
                VALUES (999, 1, '00000000-0000-0000-0000-000000000000', 0);
            INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
                VALUES (NULL, 'providers', 1, 'delete', '{}', '2026-01-01T00:00:00Z');
            """)
        let result = try phr("check")
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("foreign key: a row of export_records"), result.stdout)
        XCTAssertTrue(result.stdout.contains("history: 1 providers exist though their history says removed"), result.stdout)
    }

    func testDamagedBTreeIsReportedByCheckAndInfo() throws {
        // An index page overwritten: SQLite's checks find it; reading the table alone would not.
        let page = try sqlite(storePath, "SELECT rootpage FROM sqlite_schema WHERE name = 'records_by_provider'")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let pageSize = try sqlite(storePath, "PRAGMA page_size").trimmingCharacters(in: .whitespacesAndNewlines)
        let offset = (try XCTUnwrap(Int(page)) - 1) * (try XCTUnwrap(Int(pageSize)))
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: storePath))
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: Data(repeating: 0x5A, count: 64))
        try handle.close()
        let check = try phr("check")
        XCTAssertEqual(check.status, 1, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.contains("SQLite integrity check"), check.stdout)
        let info = try phr("info")
        XCTAssertNotEqual(info.status, 0, "info does not say a damaged store is fine: \(info.stdout)")
        XCTAssertTrue(info.stderr.contains("damaged"), info.stderr)
    }
}
