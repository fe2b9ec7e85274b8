import Foundation
@testable import PHRStore
import XCTest
import ZIPFoundation
@testable import PHRExchange

/// The packet as files: what it holds, checksums, modes, atomicity, and the rules about OUT.
final class PacketWriterTests: PacketTestCase {
    func testPacketHoldsSummaryFhirRecordsChecksumsAndReadme() throws {
        let report = try export("packet")
        let files = listing(path("packet"))
        for name in ["summary.html", "fhir.json", "SHA256SUMS", "README.txt", "records"] {
            XCTAssertTrue(files.contains(name), "\(name) missing from \(files)")
        }
        // Five records have files; the slides have none.
        XCTAssertEqual(files.filter { $0.hasPrefix("records/") }.count, 5)
        XCTAssertEqual(report.recordCount, 6)
        XCTAssertEqual(report.recordFileCount, 5)
        XCTAssertEqual(report.format, .folder)
        let readme = try String(contentsOfFile: path("packet/README.txt"), encoding: .utf8)
        XCTAssertTrue(readme.contains("sha256sum -c SHA256SUMS"))
        XCTAssertTrue(readme.contains("fhir.json"))
    }

    func testRecordFilesGetTheExtensionOfTheirMediaType() throws {
        try store.write("imported note") {
            // As an import stores a note: named after its title, a media type with parameters.
            try store.addRecord(Record(patientID: sample.patient.id, kind: .consultNote, title: "Consult note",
                                       recordedOn: try PartialDate(parsing: "2026-11-30")),
                                contents: .bytes(Array("Seen today.\n".utf8), originalName: "Consult note",
                                                 mediaType: "text/plain; charset=utf-8"))
            try store.addRecord(Record(patientID: sample.patient.id, kind: .other, title: "Scan",
                                       recordedOn: try PartialDate(parsing: "2026-11-29")),
                                contents: .bytes(Array("%PDF-1.4\n".utf8), originalName: "scan.bin", mediaType: "application/pdf"))
        }
        try export("packet")
        let files = listing(path("packet")).filter { $0.hasPrefix("records/") }
        XCTAssertTrue(files.contains("records/2026-11-30_consult-note_Consult-note.txt"), "\(files)")
        XCTAssertTrue(files.contains("records/2026-11-29_other_Scan.pdf"), "the media type wins over the name: \(files)")
        XCTAssertTrue(files.contains { $0.hasSuffix("_Blood-count.csv") }, "\(files)")
        XCTAssertEqual(RecordFileNamer.extensionOf(mediaType: "Text/HTML; charset=UTF-8"), ".html")
        XCTAssertNil(RecordFileNamer.extensionOf(mediaType: "application/octet-stream"))
    }

    func testSha256sumCheckPassesForEveryFileInThePacket() throws {
        let sha256sum = try tool("/usr/bin/sha256sum", "/bin/sha256sum")
        try export("packet")
        let result = try run(sha256sum, ["-c", "--strict", "SHA256SUMS"], in: path("packet"))
        XCTAssertEqual(result.status, 0, result.output + result.error)
        let checked = Set(result.output.split(separator: "\n").map { String($0.dropLast(4)) })  // "NAME: OK"
        let files = Set(listing(path("packet")).filter { name in
            var isFolder: ObjCBool = false
            XCTAssertTrue(FileManager.default.fileExists(atPath: path("packet/" + name), isDirectory: &isFolder))
            return !isFolder.boolValue
        })
        XCTAssertEqual(checked, files.subtracting(["SHA256SUMS"]), "SHA256SUMS covers every other file")
    }

    func testRecordFilesAreTheOriginalBytes() throws {
        try export("packet")
        let names = listing(path("packet")).filter { $0.hasPrefix("records/") && $0.contains("pathology-report") }
        XCTAssertEqual(names, ["records/2026-10-02_pathology-report_Core-biopsy-left-breast.pdf"])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path("packet/" + names[0])))
        XCTAssertEqual(Array(bytes), sample.pathologyBytes)
    }

    func testFilesAre0600AndFolders0700() throws {
        try export("packet")
        XCTAssertEqual(try mode(of: path("packet")), 0o700)
        XCTAssertEqual(try mode(of: path("packet/records")), 0o700)
        for name in listing(path("packet")) where name != "records" {
            XCTAssertEqual(try mode(of: path("packet/" + name)), 0o600, name)
        }
        try export("packet.zip")
        XCTAssertEqual(try mode(of: path("packet.zip")), 0o600)
    }

    func testModesDoNotDependOnTheUmask() throws {
        let previous = umask(0o022)
        defer { umask(previous) }
        try export("packet", zip: true)
        XCTAssertEqual(try mode(of: path("packet")), 0o600)
    }

    func testCorruptedChunkStopsTheExportNamingTheRecordAndLeavesNothing() throws {
        // The pathology report's second chunk is damaged: the export fails half-way through
        // copying it, after the earlier records were already written into the staging folder.
        try store.database.run("""
            UPDATE file_chunks SET data = zeroblob(length(data))
            WHERE seq = 1 AND file_id = (SELECT file_id FROM records WHERE id = ?)
            """, [sample.pathology.id])
        XCTAssertThrowsError(try export("packet")) { error in
            XCTAssertEqual(error as? PacketError, .recordChecksumMismatch(recordID: sample.pathology.id))
            XCTAssertTrue("\(error)".contains("record \(sample.pathology.id)"))
            XCTAssertFalse("\(error)".contains("Core biopsy"), "no health data in the message")
        }
        XCTAssertEqual(try entriesBesideStore(), [], "nothing is left behind: no OUT, no staging folder")
        XCTAssertEqual(try store.sharedPackets(patientID: sample.patient.id), [], "a failed export is not logged")
        XCTAssertThrowsError(try export("packet.zip"))
        XCTAssertEqual(try entriesBesideStore(), [])
    }

    func testFailedForcedExportLeavesTheEarlierPacketInPlace() throws {
        try export("packet")
        let before = try Data(contentsOf: URL(fileURLWithPath: path("packet/fhir.json")))
        try store.database.run("UPDATE file_chunks SET data = zeroblob(length(data)) WHERE seq = 0")
        XCTAssertThrowsError(try export("packet", force: true))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("packet/fhir.json"))), before)
        XCTAssertEqual(try entriesBesideStore(), ["packet"])
    }

    func testExistingDestinationIsRefusedWithoutForce() throws {
        try FileManager.default.createDirectory(atPath: path("packet"), withIntermediateDirectories: false)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: path("packet/notes.txt")))
        XCTAssertThrowsError(try export("packet")) { error in
            XCTAssertEqual(error as? PacketError, .destinationExists(path: path("packet")))
        }
        XCTAssertEqual(listing(path("packet")), ["notes.txt"])
        XCTAssertTrue(FileManager.default.createFile(atPath: path("packet.zip"), contents: Data("PK\u{03}\u{04}".utf8)))
        XCTAssertThrowsError(try export("packet.zip")) { error in
            XCTAssertEqual(error as? PacketError, .destinationExists(path: path("packet.zip")))
        }
        XCTAssertEqual(try entriesBesideStore(), ["packet", "packet.zip"])
    }

    func testForceReplacesAnEarlierPacketButNotOtherFiles() throws {
        try export("packet")
        try export("packet", force: true)
        XCTAssertTrue(listing(path("packet")).contains("fhir.json"))
        XCTAssertEqual(try entriesBesideStore(), ["packet"], "the replaced packet is gone")
        XCTAssertEqual(try store.sharedPackets(patientID: sample.patient.id).count, 2)

        try FileManager.default.createDirectory(atPath: path("photos"), withIntermediateDirectories: false)
        try Data("holiday".utf8).write(to: URL(fileURLWithPath: path("photos/beach.jpg")))
        XCTAssertThrowsError(try export("photos", force: true)) { error in
            XCTAssertEqual(error as? PacketError, .destinationNotAPacket(path: path("photos")))
        }
        XCTAssertEqual(listing(path("photos")), ["beach.jpg"])
    }

    func testSymbolicLinkDestinationIsRefusedEvenWithForce() throws {
        try FileManager.default.createDirectory(atPath: path("elsewhere"), withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: path("link"), withDestinationPath: path("elsewhere"))
        try FileManager.default.createSymbolicLink(atPath: path("dangling.zip"), withDestinationPath: path("nowhere.zip"))
        for (name, force) in [("link", false), ("link", true), ("dangling.zip", false), ("dangling.zip", true)] {
            XCTAssertThrowsError(try export(name, force: force)) { error in
                XCTAssertEqual(error as? PacketError, .destinationIsSymbolicLink(path: path(name)))
            }
        }
        XCTAssertEqual(listing(path("elsewhere")), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("nowhere.zip")))
        XCTAssertEqual(try entriesBesideStore(), ["dangling.zip", "elsewhere", "link"])
    }

    func testMissingParentFolderIsRefused() throws {
        XCTAssertThrowsError(try export("no/such/folder/packet")) { error in
            XCTAssertEqual(error as? PacketError, .parentMissing(path: path("no/such/folder/packet")))
        }
    }

    func testZipHoldsEveryFileUnderOneFolderAndChecksOut() throws {
        let report = try export("Packet for Dr Martin.zip")
        XCTAssertEqual(report.format, .zip)
        let archive = try Archive(url: URL(fileURLWithPath: path("Packet for Dr Martin.zip")), accessMode: .read, pathEncoding: nil)
        let paths = archive.map(\.path).sorted()
        XCTAssertTrue(paths.allSatisfy { $0.hasPrefix("Packet-for-Dr-Martin/") }, "\(paths)")
        for name in ["summary.html", "fhir.json", "SHA256SUMS", "README.txt"] {
            XCTAssertTrue(paths.contains("Packet-for-Dr-Martin/" + name), name)
        }
        XCTAssertEqual(paths.filter { $0.hasPrefix("Packet-for-Dr-Martin/records/") && !$0.hasSuffix("/") }.count, 5)

        // Unpacked, the packet checks out with sha256sum.
        let sha256sum = try tool("/usr/bin/sha256sum", "/bin/sha256sum")
        try FileManager.default.createDirectory(atPath: path("unpacked"), withIntermediateDirectories: false)
        try FileManager.default.unzipItem(at: URL(fileURLWithPath: path("Packet for Dr Martin.zip")),
                                          to: URL(fileURLWithPath: path("unpacked")))
        let result = try run(sha256sum, ["-c", "--strict", "SHA256SUMS"], in: path("unpacked/Packet-for-Dr-Martin"))
        XCTAssertEqual(result.status, 0, result.output + result.error)
        XCTAssertEqual(try entriesBesideStore(), ["Packet for Dr Martin.zip", "unpacked"])
    }

    func testZipFlagMakesAZipWhateverTheName() throws {
        let report = try export("packet", zip: true)
        XCTAssertEqual(report.format, .zip)
        let head = try FileHandle(forReadingFrom: URL(fileURLWithPath: path("packet"))).read(upToCount: 4)
        XCTAssertEqual(head, Data([0x50, 0x4B, 0x03, 0x04]))
        XCTAssertEqual(report.byteCount, Int64(try FileManager.default.attributesOfItem(atPath: path("packet"))[.size] as? Int ?? -1))
    }

    func testNoFilesLeavesOutTheRecordsFolderButDescribesTheRecords() throws {
        let report = try export("packet", scope: ExportScope(patientID: sample.patient.id, includeFiles: false))
        XCTAssertFalse(listing(path("packet")).contains("records"))
        XCTAssertEqual(report.recordFileCount, 0)
        XCTAssertEqual(resources(try bundle(in: path("packet")), type: "DocumentReference").count, 6)
        let html = try String(contentsOfFile: path("packet/summary.html"), encoding: .utf8)
        XCTAssertFalse(html.contains("href=\"records/"))
        XCTAssertTrue(html.contains("(not included)"))
    }

    func testRecordFileNamesAreSafeAndNeverCollide() throws {
        var namer = RecordFileNamer()
        var record = sample.hostile
        var names: [String] = []
        for title in ["../../etc/passwd", "Résumé: «biopsy» 2/3", ".hidden", "<script>alert(1)</script>",
                      "CORE biopsy", "core biopsy", "core biopsy", "病理报告", String(repeating: "x", count: 500)] {
            record.title = title
            names.append(namer.name(for: record))
        }
        for name in names {
            XCTAssertTrue(name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }, name)
            XCTAssertTrue(name.first?.isLetter == true || name.first?.isNumber == true, name)
            XCTAssertFalse(name.contains(".."), name)
            XCTAssertLessThanOrEqual(name.count, RecordFileNamer.maximumLength, name)
        }
        XCTAssertEqual(Set(names.map { $0.lowercased() }).count, names.count, "no two names collide, even ignoring case: \(names)")
        XCTAssertEqual(names[1], "2026-10-20_letter_Resume-biopsy-2-3.html")
        XCTAssertEqual(names[6], "2026-10-20_letter_core-biopsy-3.html")
    }
}
