import Foundation
import XCTest

final class RecordCommandTests: PHRTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try setUpPatientAndProviders()
        try succeed("provider", "add", "City Lab", "--kind", "organization", "--specialty", "pathology")
        try succeed("diagnosis", "add", "Invasive ductal carcinoma", "--code", "C50.412")
    }

    func testAddedFileIsStoredWithItsChecksumAndListedInJSON() throws {
        let report = try writeFile("pathology-2026-10-02.txt", "SYNTHETIC pathology report\nER+ PR+ HER2-\n")
        let added = try succeed("record", "add", report, "--kind", "pathology", "--date", "2026-10-02", "--provider", "City Lab",
                                "--diagnosis", "invasive", "--notes", "core biopsy")
        XCTAssertTrue(added.stdout.hasPrefix("Added record 1: pathology-2026-10-02 ("), added.stdout)
        let record = try XCTUnwrap(try succeed("record", "list", "--format", "json").jsonArray().first)
        XCTAssertEqual(record["id"] as? Int, 1)
        XCTAssertEqual(record["patient_id"] as? Int, 1)
        XCTAssertEqual(record["recorded_on"] as? String, "2026-10-02")
        XCTAssertEqual(record["kind"] as? String, "pathology-report")
        XCTAssertEqual(record["title"] as? String, "pathology-2026-10-02", "the title defaults to the file's name")
        XCTAssertEqual(record["provider_id"] as? Int, 4)
        XCTAssertEqual(record["provider"] as? String, "City Lab")
        XCTAssertEqual(record["diagnosis_ids"] as? [Int], [1])
        XCTAssertEqual(record["file_name"] as? String, "pathology-2026-10-02.txt")
        XCTAssertEqual(record["media_type"] as? String, "text/plain")
        XCTAssertEqual(record["size"] as? Int, try FileManager.default.attributesOfItem(atPath: report)[.size] as? Int)
        XCTAssertEqual(record["sha256"] as? String, try sha256(report))
        XCTAssertEqual(record["notes"] as? String, "core biopsy")
    }

    func testGetWritesBackTheOriginalBytes() throws {
        // 2.5 MiB of varied bytes: three 1 MiB chunks in the store.
        var bytes = Data(count: 2_621_440)
        for index in bytes.indices { bytes[index] = UInt8(truncatingIfNeeded: index &* 2_654_435_761 >> 13) }
        let original = folder.appendingPathComponent("scan.dcm")
        try bytes.write(to: original)
        try succeed("record", "add", original.path, "--kind", "images", "--title", "CT chest")

        let copy = folder.appendingPathComponent("copy.dcm").path
        XCTAssertEqual(try succeed("record", "get", "1", "-o", copy).stdout,
                       "Wrote record 1 to \(copy) (2621440 bytes, SHA-256 verified)\n")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: copy)), bytes)
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: copy)[.posixPermissions] as? Int).map { $0 & 0o777 }, 0o600)

        try assertRefused(["record", "get", "1", "-o", copy], code: 73, mentions: ["exists", "--force"])
        try succeed("record", "get", "1", "-o", copy, "--force")

        let text = try writeFile("letter.txt", "Dear colleague,\n")
        try succeed("record", "add", text, "--kind", "letter")
        XCTAssertEqual(try succeed("record", "get", "2").stdout, "Dear colleague,\n", "without -o the bytes go to stdout")
    }

    /// `-o -` is standard output, as for most tools: for a record's file and for a listing, and no
    /// file named "-" is made.
    func testDashAsOutputIsStandardOutput() throws {
        let text = try writeFile("letter.txt", "Dear colleague,\n")
        try succeed("record", "add", text, "--kind", "letter")
        let got = try PHRRunner.run(["record", "get", "1", "-o", "-"], environment: ["PHR_DB": storePath], home: folder,
                                    currentDirectory: folder)
        XCTAssertEqual(got.status, 0, got.stderr)
        XCTAssertEqual(got.stdout, "Dear colleague,\n")
        let listed = try PHRRunner.run(["provider", "list", "--format", "csv", "-o", "-"], environment: ["PHR_DB": storePath],
                                       home: folder, currentDirectory: folder)
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertTrue(listed.stdout.hasPrefix("id,"), listed.stdout)
        XCTAssertTrue(listed.stdout.contains("City Lab"), listed.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("-").path), "no file named -")
    }

    func testMediaTypeIsGuessedFromContentThenName() throws {
        let pdf = try writeFile("report.bin", "%PDF-1.4\n% synthetic\n")
        try succeed("record", "add", pdf, "--kind", "imaging")
        let unknown = try writeFile("notes.weird", "hello")
        try succeed("record", "add", unknown)
        let given = try writeFile("data.weird", "hello again")
        try succeed("record", "add", given, "--media-type", "text/markdown")
        let rows = try succeed("record", "list", "--format", "csv").csvRecords().rows
        XCTAssertEqual(rows.map { $0["media_type"] }, ["application/pdf", "application/octet-stream", "text/markdown"])
        XCTAssertEqual(rows.map { $0["kind"] }, ["imaging-report", "other", "other"])
    }

    func testRecordWithoutAFileKeepsNoFileFields() throws {
        XCTAssertEqual(try succeed("record", "add", "--no-file", "--kind", "slides", "--title", "Biopsy slides and blocks",
                                   "--provider", "City Lab", "--diagnosis", "C50").stdout,
                       "Added record 1: Biopsy slides and blocks\n")
        let record = try succeed("record", "show", "1", "--format", "json").jsonObject()
        XCTAssertEqual(record["kind"] as? String, "pathology-slides")
        for key in ["file_name", "media_type", "size", "sha256"] {
            XCTAssertTrue(record[key] is NSNull, "\(key) is null without a file")
        }
        try assertRefused(["record", "get", "1", "-o", folder.appendingPathComponent("x").path], code: 65, mentions: ["no stored file"])
    }

    func testSameFileTwiceIsStoredOnce() throws {
        let report = try writeFile("a.txt", "same bytes")
        try succeed("record", "add", report, "--title", "First copy")
        // A second record of the same file is added only on purpose (--again); the bytes are kept once.
        try succeed("record", "add", report, "--title", "Second copy", "--again")
        XCTAssertEqual(try sqlite(storePath, "SELECT count(*) FROM files"), "1\n")
        XCTAssertEqual(try succeed("record", "list", "--format", "json").jsonArray().count, 2)
    }

    func testListFiltersAndTable() throws {
        try succeed("record", "add", try writeFile("p.txt", "p"), "--kind", "pathology", "--date", "2026-10-02", "--diagnosis", "invasive",
                    "--provider", "City Lab")
        try succeed("record", "add", try writeFile("i.txt", "i"), "--kind", "imaging", "--date", "2026-09-20", "--provider", "Weber")
        try succeed("record", "add", "--no-file", "--title", "CD of images", "--kind", "images")
        XCTAssertEqual(try succeed("record", "list", "--format", "json").jsonArray().map { $0["id"] as? Int }, [2, 1, 3],
                       "by date, undated last")
        XCTAssertEqual(try succeed("record", "list", "--kind", "pathology-report", "--format", "json").jsonArray().map { $0["id"] as? Int }, [1])
        XCTAssertEqual(try succeed("record", "list", "--diagnosis", "C50", "--format", "json").jsonArray().map { $0["id"] as? Int }, [1])
        XCTAssertEqual(try succeed("record", "list", "--provider", "Weber", "--format", "json").jsonArray().map { $0["id"] as? Int }, [2])
        XCTAssertEqual(try succeed("record", "list", "--since", "2026-10", "--format", "json").jsonArray().map { $0["id"] as? Int }, [1])
        XCTAssertEqual(try succeed("record", "list", "--until", "2026-09", "--format", "json").jsonArray().map { $0["id"] as? Int }, [2])
        let table = try succeed("record", "list").lines
        XCTAssertTrue(table[0].hasPrefix("ID  Date"), table[0])
        XCTAssertTrue(table.contains { $0.contains("CD of images") }, "\(table)")
    }

    func testEditRemoveUndoAndRestoreKeepTheLinks() throws {
        try succeed("record", "add", try writeFile("p.txt", "p"), "--kind", "pathology")
        XCTAssertEqual(try succeed("record", "edit", "1", "--title", "Core biopsy report", "--diagnosis", "invasive").stdout,
                       "Updated record 1: Core biopsy report\n")
        XCTAssertEqual(try succeed("record", "show", "1", "--format", "json").jsonObject()["diagnosis_ids"] as? [Int], [1])
        try succeed("record", "remove", "1")
        try succeed("undo")
        XCTAssertEqual(try succeed("record", "show", "1", "--format", "json").jsonObject()["diagnosis_ids"] as? [Int], [1])
        try succeed("record", "remove", "1")
        try succeed("provider", "add", "Later change")
        XCTAssertEqual(try succeed("restore", "record", "1").stdout, "Restored record 1: Core biopsy report\n")
        let restored = try succeed("record", "show", "1", "--format", "json").jsonObject()
        XCTAssertEqual(restored["diagnosis_ids"] as? [Int], [1], "the links come back with the record")
        XCTAssertEqual(try succeed("record", "get", "1").stdout, "p")
    }

    func testMissingFileIsRefused() throws {
        try assertRefused(["record", "add", folder.appendingPathComponent("missing.pdf").path], code: 66,
                          mentions: ["FILE", "missing.pdf", "No such file"])
    }

    func testFolderGivenAsAFileIsRefused() throws {
        try assertRefused(["record", "add", folder.path], code: 66, mentions: ["FILE", "folder"])
    }

    /// The tests run as root, for whom permission bits do not make a file unreadable. So the
    /// unreadable inputs here are ones no user can read as a file: a path that goes through a
    /// regular file (open fails with ENOTDIR) and a FIFO (not a regular file; reading it would
    /// block forever).
    func testUnreadableFileIsRefused() throws {
        let regular = try writeFile("plain.txt", "x")
        try assertRefused(["record", "add", regular + "/report.pdf"], code: 66, mentions: ["FILE", "Not a directory"])
        let fifo = folder.appendingPathComponent("pipe").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        try assertRefused(["record", "add", fifo], code: 66, mentions: ["FILE", "not a regular file"])
        if getuid() != 0 {
            let locked = try writeFile("locked.txt", "secret")
            XCTAssertEqual(chmod(locked, 0), 0)
            try assertRefused(["record", "add", locked], code: 66, mentions: ["FILE", "Permission denied"])
        }
    }

    func testBadRecordArgumentsAreRefused() throws {
        let report = try writeFile("p.txt", "p")
        try assertRefused(["record", "add", report, "--no-file"], code: 64, mentions: ["--no-file"])
        try assertRefused(["record", "add", "--no-file"], code: 64, mentions: ["--title"])
        try assertRefused(["record", "add"], code: 64, mentions: ["FILE"])
        try assertRefused(["record", "add", report, "--kind", "xray-film"], code: 64, mentions: ["--kind"])
        try assertRefused(["record", "add", report, "--diagnosis", "lymphoma"], code: 65, mentions: ["--diagnosis"])
        try assertRefused(["record", "add", report, "--date", "2026-02-29"], code: 65, mentions: ["--date", "2026-02-29"])
        try assertRefused(["record", "get", "5"], code: 65, mentions: ["no record with id 5"])
    }

    func testDamagedFileIsNotWrittenOut() throws {
        try succeed("record", "add", try writeFile("p.txt", "original bytes"))
        try sqlite(storePath, "UPDATE file_chunks SET data = CAST('tampered bytes' AS BLOB)")
        let target = folder.appendingPathComponent("out.txt").path
        try assertRefused(["record", "get", "1", "-o", target], code: 74, mentions: ["SHA-256"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: target), "nothing is left at the output path")
    }

    func testDamagedFileSendsNothingToStandardOutput() throws {
        // Three chunks; only the last is damaged, so a streaming reader would have sent two.
        let big = folder.appendingPathComponent("scan.txt").path
        try Data(repeating: UInt8(ascii: "a"), count: (5 << 20) / 2).write(to: URL(fileURLWithPath: big))
        try succeed("record", "add", big)
        try sqlite(storePath, "UPDATE file_chunks SET data = CAST('tampered bytes' AS BLOB) WHERE seq = 2")
        let result = try phr("record", "get", "1")
        XCTAssertEqual(result.status, 74, result.stderr)
        XCTAssertEqual(result.stdout, "", "not one byte of a damaged file reaches standard output")
        XCTAssertTrue(result.stderr.contains("SHA-256"), result.stderr)
    }

    private func sha256(_ path: String) throws -> String {
        let result = try PHRRunner.tool("/usr/bin/sha256sum", [path], home: folder)
        return String(result.stdout.prefix(64))
    }
}
