import Foundation
import XCTest

/// `phr transfer`: transfers of files and of slides, pending ones, where physical items are.
final class TransferCommandTests: WorkflowCommandTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try setUpCase()
        try succeed("record", "add", writeFile("report.txt", "Pathology report"), "--kind", "pathology", "--diagnosis", "1")
        try succeed("record", "add", "--no-file", "--kind", "slides", "--title", "Biopsy slides A1-A3", "--provider", "City Lab")
    }

    func testAFileIsRequestedSentAndListedFieldByField() throws {
        XCTAssertEqual(try succeed("transfer", "request", "1", "--from", "Weber", "--date", "2026-11-10").stdout,
                       "Recorded transfer 1: request of record 1 on 2026-11-10\n")
        try succeed("transfer", "send", "1", "--to", "Chen", "--via", "fax", "--date", "2026-11-12", "--reference", "fax 0412")
        let rows = try succeed("transfer", "list", "--format", "json").jsonArray()
        XCTAssertEqual(rows.map { $0["kind"] as? String }, ["request", "send"])
        let send = rows[1]
        XCTAssertEqual(send["date"] as? String, "2026-11-12")
        XCTAssertEqual(send["record_id"] as? Int, 1)
        XCTAssertEqual(send["record"] as? String, "report")
        XCTAssertEqual(send["from"] as? String, "you")
        XCTAssertTrue(send["from_provider_id"] is NSNull)
        XCTAssertEqual(send["to"] as? String, "Dr. Paul Chen")
        XCTAssertEqual(send["via"] as? String, "fax")
        XCTAssertEqual(send["reference"] as? String, "fax 0412")
        XCTAssertEqual((send["uuid"] as? String)?.count, 36)
    }

    func testPendingShowsWhatWaitsForTheNextStep() throws {
        try succeed("transfer", "request", "2", "--from", "City Lab", "--to", "Chen", "--date", "2026-11-10")
        try succeed("transfer", "send", "1", "--to", "Chen", "--via", "portal", "--date", "2026-11-10")
        XCTAssertEqual(try succeed("transfer", "list", "--pending", "--format", "json").jsonArray().map { $0["id"] as? Int }, [1])
        try succeed("transfer", "send", "2", "--from", "City Lab", "--to", "Chen", "--via", "courier", "--date", "2026-11-12")
        XCTAssertEqual(try succeed("transfer", "list", "--pending", "--format", "json").jsonArray().map { $0["id"] as? Int }, [3])
        try succeed("transfer", "receive", "2", "--by", "Chen", "--date", "2026-11-14")
        XCTAssertEqual(try succeed("transfer", "list", "--pending").stdout, "Nothing pending.\n")
    }

    func testSlidesAreTrackedWithTheirHolderAndDueBackDate() throws {
        let row = { try XCTUnwrap(try self.succeed("transfer", "where", "--format", "json").jsonArray().first) }
        XCTAssertEqual(try row()["holder"] as? String, "City Lab")
        try succeed("transfer", "send", "2", "--from", "City Lab", "--to", "Chen", "--via", "courier",
                    "--date", day(-20), "--due-back", day(-1))
        var slides = try row()
        XCTAssertEqual(slides["holder"] as? String, "Dr. Paul Chen")
        XCTAssertEqual(slides["in_transit"] as? Bool, true)
        XCTAssertEqual(slides["lender"] as? String, "City Lab")
        XCTAssertEqual(slides["due_back_on"] as? String, day(-1))
        XCTAssertEqual(slides["overdue"] as? Bool, true)
        // The overdue slides are a warning of `phr status`.
        let warnings = try statusItems().json["general_warnings"] as? [String]
        XCTAssertEqual(warnings, ["'Biopsy slides A1-A3' (record 2) was due back with City Lab on \(day(-1)) and is still with Dr. Paul Chen"])

        try succeed("transfer", "receive", "2", "--by", "Chen", "--date", day(-18))
        try succeed("transfer", "send", "2", "--from", "Chen", "--to", "City Lab", "--via", "courier", "--date", day(-2))
        try succeed("transfer", "receive", "2", "--by", "City Lab", "--date", day(-1))
        slides = try row()
        XCTAssertEqual(slides["holder"] as? String, "City Lab")
        XCTAssertEqual(slides["in_transit"] as? Bool, false)
        XCTAssertTrue(slides["lender"] is NSNull)
        XCTAssertEqual(slides["overdue"] as? Bool, false)
    }

    func testAnExportPacketForAProviderCountsAsSentToThem() throws {
        try addSecondOpinionAppointment(daysAhead: 3)
        try succeed("config", "set", "status.needed-records", "pathology-report,pathology-slides")
        XCTAssertEqual(state("appointment.records.pathology-report", try statusItems().items), "missing")
        try succeed("export", folder.appendingPathComponent("packet").path, "--for", "Chen")
        let rows = try succeed("transfer", "list", "--format", "json").jsonArray()
        XCTAssertEqual(rows.map { $0["via"] as? String }, ["packet"], "the report went; the slides cannot travel in a packet")
        XCTAssertEqual(rows.first?["export_id"] as? Int, 1)
        XCTAssertTrue(rows.first?["id"] is NSNull)
        XCTAssertEqual(rows.first?["to"] as? String, "Dr. Paul Chen")
        let items = try statusItems().items
        XCTAssertEqual(state("appointment.records.pathology-report", items), "done")
        XCTAssertEqual(state("appointment.records.pathology-slides", items), "missing")
        XCTAssertTrue(try succeed("timeline").stdout.contains("Export packet for Dr. Paul Chen (2 records)"))
    }

    func testSeveralRecordsAreSentInOneChangeThatUndoTakesBack() throws {
        let result = try succeed("transfer", "send", "1", "2", "--to", "Chen", "--via", "in-person")
        XCTAssertEqual(result.lines.count, 2)
        try succeed("undo")
        XCTAssertEqual(try succeed("transfer", "list", "--format", "json").jsonArray().count, 0)
    }

    func testRemovingATransferCanBeUndone() throws {
        try succeed("transfer", "send", "1", "--to", "Chen", "--via", "mail")
        try succeed("transfer", "remove", "1")
        XCTAssertEqual(try succeed("transfer", "list", "--format", "json").jsonArray().count, 0)
        try succeed("restore", "transfer", "1")
        XCTAssertEqual(try succeed("transfer", "list", "--format", "json").jsonArray().count, 1)
    }

    func testBadTransfersAreRefusedWithTheStoreUnchanged() throws {
        try assertRefused(["transfer", "send", "1", "--to", "Chen"], code: 64, mentions: ["--via"])
        try assertRefused(["transfer", "send", "1", "--to", "Chen", "--via", "pigeon"], code: 64, mentions: ["--via"])
        try assertRefused(["transfer", "send", "1", "--to", "Nobody", "--via", "mail"], code: 65, mentions: ["--to", "Nobody"])
        try assertRefused(["transfer", "send", "9", "--to", "Chen", "--via", "mail"], code: 65, mentions: ["record"])
        try assertRefused(["transfer", "send", "1", "2", "9", "--to", "Chen", "--via", "mail"], code: 65, mentions: ["record"])
        try assertRefused(["transfer", "send", "x", "--to", "Chen", "--via", "mail"], code: 64, mentions: ["not an id", "phr record list"])
        try assertRefused(["transfer", "request", "1"], code: 64, mentions: ["--from"])
        try assertRefused(["transfer", "send", "1", "--to", "Chen", "--via", "mail", "--date", "2026-13-01"], code: 65, mentions: ["--date"])
        try assertRefused(["transfer", "send", "1", "--to", "Chen", "--via", "mail", "--date", "2026-11-10", "--due-back", "2026-11-01"],
                          code: 65, mentions: ["due-back"])
        try assertRefused(["transfer", "send", "1", "--from", "Chen", "--to", "Chen", "--via", "mail"], code: 65, mentions: ["differ"])
        try assertRefused(["transfer", "remove", "7"], code: 65, mentions: ["transfer"])
    }
}
