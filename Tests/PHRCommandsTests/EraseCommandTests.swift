import Foundation
import XCTest

/// `phr erase KIND ID`: nothing of the item remains in the store file or its -wal.
final class EraseCommandTests: PHRTestCase {
    private let marker = "ZQXMARKER7731"

    private func copies(in path: String) throws -> Int {
        guard let data = FileManager.default.contents(atPath: path) else { return 0 }
        let needle = Data(marker.utf8)
        var count = 0
        var start = data.startIndex
        while let found = data.range(of: needle, in: start..<data.endIndex) {
            count += 1
            start = found.upperBound
        }
        return count
    }

    private func storeCopies() throws -> Int {
        try copies(in: storePath) + copies(in: storePath + "-wal")
    }

    func testErasedRecordAndDiagnosisLeaveNoCopy() throws {
        try setUpPatientAndProviders()
        try succeed("diagnosis", "add", "Invasive ductal carcinoma \(marker)", "--notes", "noted \(marker)")
        let text = String(repeating: "pathology \(marker) finding\n", count: 3000)
        let file = try writeFile("report.txt", text)
        try succeed("record", "add", file, "--title", "Report \(marker)", "--diagnosis", "1", "--notes", "n \(marker)")
        try succeed("record", "edit", "1", "--notes", "edited \(marker)")
        try succeed("export", folder.appendingPathComponent("packet").path)
        try succeed("record", "remove", "1")
        XCTAssertGreaterThan(try storeCopies(), 0)
        try succeed("erase", "record", "1", "--yes")
        try succeed("erase", "diagnosis", "1", "--yes")
        XCTAssertEqual(try storeCopies(), 0, "no copy of the marker remains in the store file or its -wal")
        // The export log still says a packet was sent; nothing says what it held.
        XCTAssertEqual(try sqlite(storePath, "SELECT count(*) FROM exports"), "1\n")
        XCTAssertEqual(try sqlite(storePath, "SELECT count(*) FROM export_records"), "0\n")
        XCTAssertEqual(try sqlite(storePath, "SELECT count(*) FROM files"), "0\n")
        try assertRefused(["record", "show", "1"], code: 65, mentions: ["no record with id 1"])
        try assertRefused(["restore", "record", "1"], code: 65, mentions: ["never removed"])
        try succeed("check")
    }

    func testFileSharedWithAnotherRecordStays() throws {
        try setUpPatientAndProviders()
        let file = try writeFile("report.txt", "shared")
        try succeed("record", "add", file)
        try succeed("record", "add", file, "--again")
        let erased = try succeed("erase", "record", "1", "--yes")
        XCTAssertTrue(erased.stdout.contains("cannot be undone"), erased.stdout)
        XCTAssertFalse(erased.stdout.contains("its file"), erased.stdout)
        XCTAssertEqual(try phr("record", "get", "2").stdout, "shared")
    }

    func testEraseWithoutATerminalNeedsYes() throws {
        try setUpPatientAndProviders()
        try succeed("diagnosis", "add", "Invasive ductal carcinoma")
        try assertRefused(["erase", "diagnosis", "1"], code: 64, mentions: ["--yes", "cannot be undone"])
        try assertRefused(["erase", "diagnosis", "9", "--yes"], code: 65, mentions: ["no diagnosis with id 9"])
    }
}
