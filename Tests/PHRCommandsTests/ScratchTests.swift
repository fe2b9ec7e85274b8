import Foundation
import XCTest

/// Scratch carries its owner; every phr run removes the scratch of owners that are gone, and
/// `phr check` lists what it found.
final class ScratchTests: PHRTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try succeed("init")
    }

    private var plantedCount = 0
    private var registry: String { folder.appendingPathComponent(".phr.sqlite.phr-scratch").path }

    /// Plants scratch `name` (a folder with a file in it) in `place` owned by `owner`, registered
    /// as phr registers it.
    private func plant(_ name: String, in place: URL, owner: String) throws -> String {
        plantedCount += 1
        let path = place.appendingPathComponent(name).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Data("copy of a record".utf8).write(to: URL(fileURLWithPath: path + "/record.pdf"))
        try FileManager.default.createDirectory(atPath: registry, withIntermediateDirectories: true)
        try Data(path.utf8).write(to: URL(fileURLWithPath: "\(registry)/\(owner)-abcd000\(plantedCount)"))
        return path
    }

    func testScratchOfAKilledRunIsRemovedByTheNextRun() throws {
        let elsewhere = folder.appendingPathComponent("Desktop")
        let gone = "\(getpid())-1"
        let packetScratch = try plant(".packet.phr-tmp-\(gone)-abcd1234", in: elsewhere, owner: gone)
        let unzip = try plant(".phr-import-unzip-\(gone)-abcd1234", in: folder, owner: gone)
        try succeed("info")
        XCTAssertFalse(FileManager.default.fileExists(atPath: packetScratch))
        XCTAssertFalse(FileManager.default.fileExists(atPath: unzip))
        XCTAssertFalse(FileManager.default.fileExists(atPath: registry), "the empty registry goes too")
    }

    func testScratchOfARunningPhrIsKept() throws {
        let stat = try String(contentsOfFile: "/proc/self/stat", encoding: .utf8)
        let start = stat[stat.index(after: try XCTUnwrap(stat.lastIndex(of: ")")))...].split(separator: " ")[19]
        let running = "\(getpid())-\(start)"
        let scratch = try plant(".phr-tmp-\(running)-abcd1234-out.pdf", in: folder, owner: running)
        try succeed("info")
        XCTAssertTrue(FileManager.default.fileExists(atPath: scratch))
    }

    func testRegistryNeverRemovesWhatIsNotScratchOfThatOwner() throws {
        let gone = "\(getpid())-1"
        let precious = folder.appendingPathComponent("precious").path
        try FileManager.default.createDirectory(atPath: precious, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: registry, withIntermediateDirectories: true)
        try Data(precious.utf8).write(to: URL(fileURLWithPath: "\(registry)/\(gone)-abcd1234"))
        try succeed("info")
        XCTAssertTrue(FileManager.default.fileExists(atPath: precious))
    }

    func testCheckListsScratchBesideTheStoreAndFixRemovesIt() throws {
        let gone = "\(getpid())-1"
        // Unregistered (say, the registry could not be written): only `check` finds it.
        let unzip = folder.appendingPathComponent(".phr-import-unzip-\(gone)-abcd1234").path
        try FileManager.default.createDirectory(atPath: unzip, withIntermediateDirectories: true)
        let check = try phr("check")
        XCTAssertEqual(check.status, 1, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.contains(".phr-import-unzip-\(gone)-abcd1234"), check.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: unzip), "check alone changes nothing")
        let fixed = try phr("check", "--fix")
        XCTAssertEqual(fixed.status, 0, fixed.stdout + fixed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: unzip))
        try succeed("check")
    }

    func testRecordGetLeavesNoScratch() throws {
        try succeed("patient", "add", "Maria Rossi")
        try succeed("record", "add", try writeFile("p.txt", "pathology"))
        try succeed("record", "get", "1", "-o", folder.appendingPathComponent("copy.txt").path)
        let hidden = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".phr-") }
        XCTAssertEqual(hidden, [])
    }
}
