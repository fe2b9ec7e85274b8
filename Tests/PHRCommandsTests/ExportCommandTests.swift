import Foundation
import XCTest

/// `phr export` end to end: the packet, the log, `record list --sent-to`, and every refusal with
/// its exit code and the store unchanged.
final class ExportCommandTests: PHRTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        // The demo case: a breast cancer diagnosis, five providers, two opinions, records with files.
        try succeed("demo", "--db", storePath)
    }

    private var packet: String { folder.appendingPathComponent("packet").path }

    func testExportWritesThePacketAndSaysWhatIsInIt() throws {
        let result = try succeed("export", packet, "--for", "marin")
        XCTAssertTrue(result.stdout.hasPrefix("Exported the packet for Dr. Sofia Marin to \(packet) (folder, "), result.stdout)
        XCTAssertTrue(result.stdout.contains("1 diagnosis, 2 opinions, 4 appointments, 6 records (4 with files)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("15 results, 2 medications, 1 allergy, 0 procedures, 0 immunizations, 1 family history entry."), result.stdout)
        let names = try FileManager.default.contentsOfDirectory(atPath: packet).sorted()
        XCTAssertEqual(names, ["README.txt", "SHA256SUMS", "fhir.json", "records", "summary.html"])
        let check = try PHRRunner.run(["-c", "--strict", "SHA256SUMS"], environment: [:], home: folder,
                                      executable: URL(fileURLWithPath: "/usr/bin/sha256sum"),
                                      currentDirectory: URL(fileURLWithPath: packet))
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
    }

    func testNotesGoIntoTheSummaryOnlyWithIncludeNotes() throws {
        // The demo's second-opinion appointment carries a note of the patient's.
        let note = "Bring the imaging report; the lab sends the slides ahead."
        try succeed("export", packet)
        let without = try String(contentsOfFile: packet + "/summary.html", encoding: .utf8)
        XCTAssertFalse(without.contains(note))
        XCTAssertTrue(without.contains("The patient’s own notes are not included in this packet."))
        try succeed("export", packet + "-notes", "--include-notes")
        let with = try String(contentsOfFile: packet + "-notes/summary.html", encoding: .utf8)
        XCTAssertTrue(with.contains(note))
        XCTAssertTrue(with.contains("This packet includes the patient’s own notes"))
        XCTAssertFalse(try String(contentsOfFile: packet + "-notes/fhir.json", encoding: .utf8).contains(note), "fhir.json never carries them")
        try assertRefused(["export", "--log", "--include-notes"], code: 64, mentions: ["--log"])
    }

    /// Results added on the command line reach summary.html in their sections: an imaging finding
    /// among what is current, the latest weight, a smoking status recorded more than a year ago.
    func testSummaryShowsImagingFindingsVitalSignsAndSocialHistory() throws {
        try succeed("result", "add", "CT chest", "2.1 cm spiculated mass", "--category", "imaging", "--interpretation", "abnormal",
                    "--detail", "right upper lobe", "--date", day(-10))
        try succeed("result", "add", "Body weight", "70", "kg", "--category", "vital-signs", "--date", day(-60))
        try succeed("result", "add", "Body weight", "68.5", "kg", "--category", "vital-signs", "--date", day(-3))
        try succeed("result", "add", "Tobacco smoking status", "Former smoker", "--category", "social-history", "--date", day(-400))
        try succeed("export", packet)
        let html = try String(contentsOfFile: packet + "/summary.html", encoding: .utf8)
        let imaging = try XCTUnwrap(html.components(separatedBy: "<h2>Recent imaging results</h2>").dropFirst().first, html)
        XCTAssertTrue(imaging.hasPrefix("\n<table class=\"imaging\">"), imaging)
        XCTAssertTrue(imaging.contains("<td>CT chest</td><td><strong>2.1 cm spiculated mass</strong> <strong class=\"flag\">! abnormal</strong>"
                                       + "<br><span class=\"note\">right upper lobe</span></td>"), imaging)
        XCTAssertTrue(html.contains("<td>Body weight</td><td>68.5 kg</td>"))
        XCTAssertFalse(html.contains("70 kg"), "only the latest weight")
        XCTAssertTrue(html.contains("<td>Tobacco smoking status</td><td>Former smoker</td>"))
    }

    func testZipNameMakesAZip() throws {
        let zip = folder.appendingPathComponent("packet.zip").path
        let result = try succeed("export", zip, "--diagnosis", "invasive", "--no-files")
        XCTAssertTrue(result.stdout.contains("(zip, "), result.stdout)
        let head = try FileHandle(forReadingFrom: URL(fileURLWithPath: zip)).read(upToCount: 2)
        XCTAssertEqual(head, Data("PK".utf8))
    }

    func testLogListsExportsAndSentToListsWhatADoctorHasSeen() throws {
        // The pathology report is dated 43 days before the demo's day.
        let since = day(-43)
        try succeed("export", packet, "--for", "marin", "--since", since)
        try succeed("export", packet + "-2", "--for", "okafor")
        let log = try succeed("export", "--log", "--format", "json").jsonArray()
        XCTAssertEqual(log.count, 2)
        XCTAssertEqual(log[0]["recipient"] as? String, "Dr. Sofia Marin")
        XCTAssertEqual(log[0]["destination"] as? String, packet)
        XCTAssertEqual(log[0]["format"] as? String, "folder")
        XCTAssertEqual(log[0]["scope"] as? String, "all diagnoses; since \(since)")
        // The pathology report, and the cancer centre's consultation note (the demo's workflow).
        XCTAssertEqual(log[0]["record_ids"] as? [Int], [2, 4])
        // Every result of the demo went into the whole packet; the dated one carried only the recent ones.
        let allResults = try XCTUnwrap(log[1]["result_ids"] as? [Int])
        let recentResults = try XCTUnwrap(log[0]["result_ids"] as? [Int])
        XCTAssertFalse(recentResults.isEmpty)
        XCTAssertTrue(Set(recentResults).isStrictSubset(of: Set(allResults)), "\(recentResults) of \(allResults)")
        XCTAssertEqual(log[0]["with_files"] as? Bool, true)
        XCTAssertEqual((log[0]["document_uuid"] as? String)?.count, 36)
        XCTAssertEqual(try succeed("export", "--log", "--for", "okafor", "--format", "json").jsonArray().count, 1)

        let sent = try succeed("record", "list", "--sent-to", "marin", "--format", "json").jsonArray()
        XCTAssertEqual(sent.compactMap { $0["id"] as? Int }, [2, 4])
        XCTAssertEqual(try succeed("record", "list", "--sent-to", "raman", "--format", "json").jsonArray().count, 0)
        XCTAssertTrue(try succeed("export", "--log").stdout.contains("Dr. Tom Okafor"))
    }

    func testExistingOutIsRefusedAndForceReplacesAnEarlierPacket() throws {
        try succeed("export", packet)
        try assertRefused(["export", packet], code: 73, mentions: ["already exists", "--force"])
        try succeed("export", packet, "--force")
        let other = folder.appendingPathComponent("photos").path
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: false)
        try writeFile("photos/beach.jpg", "holiday")
        try assertRefused(["export", other, "--force"], code: 73, mentions: ["not a packet"])
    }

    func testSymbolicLinkOutIsRefused() throws {
        let link = folder.appendingPathComponent("link").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: folder.appendingPathComponent("target").path)
        try assertRefused(["export", link], code: 73, mentions: ["symbolic link"])
        try assertRefused(["export", link, "--force"], code: 73, mentions: ["symbolic link"])
    }

    func testDamagedRecordFileStopsTheExportAndLeavesNothing() throws {
        try sqlite(storePath, "UPDATE file_chunks SET data = zeroblob(length(data)) WHERE file_id = (SELECT file_id FROM records WHERE id = 2);")
        try assertRefused(["export", packet], code: 74, mentions: ["record 2", "SHA-256"])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix("phr.sqlite") && $0 != "home" }
        XCTAssertFalse(leftovers.contains { $0.contains("packet") }, "nothing left behind: \(leftovers)")
    }

    func testBadArgumentsAreRefusedWithTheirExitCodes() throws {
        try assertRefused(["export"], code: 64, mentions: ["OUT"])
        try assertRefused(["export", packet, "--log"], code: 64, mentions: ["--log"])
        try assertRefused(["export", packet, "--format", "json"], code: 64, mentions: ["--log"])
        try assertRefused(["export", packet, "--since", "2026-02-30"], code: 65, mentions: ["--since"])
        try assertRefused(["export", packet, "--since", "2026-12", "--until", "2026-01"], code: 64, mentions: ["--since"])
        try assertRefused(["export", packet, "--for", "nobody"], code: 65, mentions: ["--for"])
        try assertRefused(["export", packet, "--diagnosis", "melanoma"], code: 65, mentions: ["--diagnosis"])
        try assertRefused(["export", folder.appendingPathComponent("no/such/packet").path], code: 73, mentions: ["folder does not exist"])
        try assertRefused(["record", "list", "--sent-to", "nobody"], code: 65, mentions: ["--sent-to"])
    }
}
