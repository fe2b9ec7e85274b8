import Foundation
import PHRTestSupport
import XCTest

/// A zip is unpacked within bounds: a packet's unused entries are never written, an entry that
/// would leave the folder or inflate like a zip bomb is refused before anything is written, and
/// the store is unchanged when a zip is refused. Zips are edited with Python's zipfile.
final class ZipImportBoundsTests: PHRTestCase {
    private func python(_ script: String, _ arguments: String...) throws {
        let python = try RequiredTool.find(["/usr/bin/python3", "/usr/local/bin/python3"], install: "install python3")
        let result = try PHRRunner.tool(python, ["-c", script] + arguments, home: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    /// 256 MiB of zeros compress to about 250 KiB: a ratio no document has.
    private let addZeros = """
        import sys, zipfile
        with zipfile.ZipFile(sys.argv[1], "a", zipfile.ZIP_DEFLATED) as z:
            with z.open(sys.argv[2], "w", force_zip64=True) as f:
                block = bytes(1 << 20)
                for _ in range(256):
                    f.write(block)
        """

    func testAPacketZipUnpacksOnlyWhatItsBundleNames() throws {
        try setUpPatientAndProviders()
        try succeed("diagnosis", "add", "Invasive ductal carcinoma", "--code", "C50.412", "--date", "2026-10-02")
        let report = try writeFile("report.txt", "Synthetic pathology report")
        try succeed("record", "add", report, "--title", "Pathology report")
        try succeed("export", "packet.zip")
        let zip = folder.appendingPathComponent("packet.zip").path
        try python(addZeros, zip, "packet/unused.bin")

        let other = folder.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try succeed("init", "--db", other.appendingPathComponent("phr.sqlite").path)
        let imported = try succeed("import", zip, "--db", other.appendingPathComponent("phr.sqlite").path)
        XCTAssertTrue(imported.stdout.contains("Imported"), imported.stdout)
        let records = try succeed("record", "list", "--format", "json", "--db", other.appendingPathComponent("phr.sqlite").path).jsonArray()
        XCTAssertEqual(records.count, 1, "the record and its file came in")
    }

    func testAZipBombOrAnEntryLeavingTheFolderIsRefusedBeforeUnpacking() throws {
        try succeed("init")
        let bomb = folder.appendingPathComponent("bomb.zip").path
        try python("import sys, zipfile\nzipfile.ZipFile(sys.argv[1], 'w').writestr('Patient.ndjson', '{\"resourceType\":\"Patient\",\"id\":\"p1\"}\\n')", bomb)
        try python(addZeros, bomb, "zeros.ndjson")
        try assertRefused(["import", bomb], code: 65, mentions: ["bomb.zip", "200 times its size"])

        let escaping = folder.appendingPathComponent("escaping.zip").path
        try python("import sys, zipfile\nzipfile.ZipFile(sys.argv[1], 'w').writestr('../outside.ndjson', '{\"resourceType\":\"Patient\",\"id\":\"p1\"}\\n')", escaping)
        try assertRefused(["import", escaping], code: 65, mentions: ["leaves the zip's folder"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.deletingLastPathComponent().appendingPathComponent("outside.ndjson").path))

        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".phr-import") }
        XCTAssertEqual(leftovers, [], "nothing is left unpacked beside the store")
    }
}
