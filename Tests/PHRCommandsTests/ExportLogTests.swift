import Foundation
import XCTest

/// The export log is crash-safe: an export is logged pending before its packet is put in place
/// and confirmed after; a later phr settles an entry whose process is gone by looking at OUT.
final class ExportLogTests: PHRTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try succeed("demo", "--db", storePath)
    }

    private var packet: String { folder.appendingPathComponent("packet").path }

    /// An owner that is not running: this test process's id with a start time it does not have.
    private var goneOwner: String { "\(getpid())-1" }

    private func identity(_ path: String) -> String {
        var info = stat()
        XCTAssertEqual(lstat(path, &info), 0)
        return "\(info.st_dev):\(info.st_ino)"
    }

    private func hiddenSiblings() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".packet") }
    }

    func testExportIsConfirmedOnceInPlace() throws {
        try succeed("export", packet)
        XCTAssertEqual(try sqlite(storePath, "SELECT count(*) FROM exports WHERE pending_owner IS NULL"), "1\n")
        XCTAssertEqual(try hiddenSiblings(), [], "nothing is left beside OUT")
    }

    func testForceRemovesTheReplacedPacket() throws {
        try succeed("export", packet)
        try succeed("export", packet, "--force")
        try succeed("export", packet + ".zip")
        try succeed("export", packet + ".zip", "--force")
        XCTAssertEqual(try hiddenSiblings(), [], "no .packet.phr-old-* is left behind")
        XCTAssertEqual(try sqlite(storePath, "SELECT count(*) FROM exports WHERE pending_owner IS NULL"), "4\n")
    }

    func testEntryLeftPendingIsConfirmedWhenItsPacketIsAtOut() throws {
        // A kill after the rename, before the confirmation.
        try succeed("export", packet)
        try sqlite(storePath, "UPDATE exports SET pending_owner = '\(goneOwner)', pending_identity = '\(identity(packet))'")
        let check = try phr("check")
        XCTAssertTrue(check.stdout.contains("confirmed"), check.stdout)
        XCTAssertEqual(try sqlite(storePath, "SELECT count(*) FROM exports WHERE pending_owner IS NULL"), "1\n")
    }

    func testEntryLeftPendingWithoutItsPacketIsDroppedAndTheOldPacketGoesBack() throws {
        try succeed("export", packet)
        let oldIdentity = identity(packet)
        // A kill after the old packet was moved aside, before the new one was renamed into place.
        try succeed("export", packet + "-new")
        let uuid = try sqlite(storePath, "SELECT document_uuid FROM exports WHERE id = 2")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let aside = folder.appendingPathComponent(".packet.phr-old-\(uuid.prefix(8))").path
        XCTAssertEqual(rename(packet, aside), 0)
        try sqlite(storePath, """
            UPDATE exports SET destination = '\(packet)', pending_owner = '\(goneOwner)', pending_identity = '1:1' WHERE id = 2
            """)
        try succeed("info")
        XCTAssertEqual(try sqlite(storePath, "SELECT group_concat(id) FROM exports"), "1\n", "the entry is dropped")
        XCTAssertEqual(identity(packet), oldIdentity, "the replaced packet is back at OUT")
        XCTAssertEqual(try hiddenSiblings(), [])
    }

    func testEntryWhoseFolderIsUnreachableStaysPending() throws {
        // A packet written to a medium that is unplugged now: nothing can be told, nothing is dropped.
        try succeed("export", packet)
        try sqlite(storePath, """
            UPDATE exports SET destination = '/nonexistent-medium/packet', pending_owner = '\(goneOwner)', pending_identity = '1:1'
            """)
        let check = try phr("check")
        XCTAssertEqual(check.status, 1, check.stdout)
        XCTAssertTrue(check.stdout.contains("cannot be reached"), check.stdout)
        XCTAssertEqual(try sqlite(storePath, "SELECT count(*) FROM exports WHERE pending_owner IS NOT NULL"), "1\n")
    }

    func testEntryOfARunningExportIsLeftAlone() throws {
        try succeed("export", packet)
        // This test process stands for an export still at work.
        let running = "\(getpid())-\(try startTime())"
        try sqlite(storePath, "UPDATE exports SET pending_owner = '\(running)', pending_identity = '1:1'")
        try succeed("info")
        XCTAssertEqual(try sqlite(storePath, "SELECT count(*) FROM exports WHERE pending_owner IS NOT NULL"), "1\n")
    }

    /// This process's start time, as /proc/self/stat gives it (field 22).
    func startTime() throws -> String {
        let stat = try String(contentsOfFile: "/proc/self/stat", encoding: .utf8)
        let afterName = stat[stat.index(after: try XCTUnwrap(stat.lastIndex(of: ")")))...]
        return String(afterName.split(separator: " ")[19])
    }
}
