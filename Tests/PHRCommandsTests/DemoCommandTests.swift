import Foundation
import XCTest

final class DemoCommandTests: PHRTestCase {
    /// Without --db the demo makes its own folder (never $PHR_DB), keeps it, and prints where.
    func testDemoBuildsTheCaseInANewFolderAndWalksThroughIt() throws {
        let result = try succeed("demo")
        XCTAssertFalse(FileManager.default.fileExists(atPath: storePath), "the demo leaves $PHR_DB alone")
        let firstLine = try XCTUnwrap(result.lines.first)
        let prefix = "Built a synthetic second-opinion case in "
        XCTAssertTrue(firstLine.hasPrefix(prefix), firstLine)
        let demoStore = String(firstLine.dropFirst(prefix.count))
        XCTAssertTrue(demoStore.hasPrefix(folder.path), "the folder is under TMPDIR: \(demoStore)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: demoStore))
        let demoFolder = (demoStore as NSString).deletingLastPathComponent
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: demoFolder)[.posixPermissions] as? Int).map { $0 & 0o777 }, 0o700)

        // The walk-through: the upcoming appointments, then the opinion history.
        let upcoming = try XCTUnwrap(result.lines.firstIndex { $0.hasPrefix("Upcoming appointments") })
        let opinions = try XCTUnwrap(result.lines.firstIndex { $0.hasPrefix("Opinion history") })
        XCTAssertLessThan(upcoming, opinions)
        let appointmentPart = result.lines[upcoming..<opinions].joined(separator: "\n")
        XCTAssertTrue(appointmentPart.contains("ID  When"), appointmentPart)
        XCTAssertTrue(appointmentPart.contains("Dr. Sofia Marin") && appointmentPart.contains("Dr. Tom Okafor"), appointmentPart)
        XCTAssertFalse(appointmentPart.contains("Dr. Priya Raman"), "the past second-opinion visit is not upcoming")
        let opinionPart = result.lines[opinions...].joined(separator: "\n")
        XCTAssertTrue(opinionPart.contains("Invasive ductal carcinoma, left breast, upper-outer quadrant (C50.412), stage IIA"), opinionPart)
        XCTAssertTrue(opinionPart.contains("first opinion") && opinionPart.contains("partly agrees"), opinionPart)
        XCTAssertTrue(result.stdout.contains("export PHR_DB=\(demoStore)"), "it says how to keep using the demo store")

        XCTAssertEqual(try sqlite(demoStore, "PRAGMA integrity_check"), "ok\n")
    }

    func testDemoCaseHasEverythingTheIssueAsksFor() throws {
        try succeed("demo", "--db", storePath)
        let diagnosis = try XCTUnwrap(try succeed("diagnosis", "list", "--format", "json").jsonArray().first)
        XCTAssertEqual(diagnosis["code"] as? String, "C50.412")
        XCTAssertEqual(diagnosis["code_system"] as? String, "icd-10-cm")
        XCTAssertEqual(diagnosis["stage"] as? String, "IIA")
        XCTAssertEqual(diagnosis["status"] as? String, "confirmed")
        XCTAssertEqual(diagnosis["provider"] as? String, "Dr. Anna Weber")

        let providers = try succeed("provider", "list", "--format", "json").jsonArray()
        XCTAssertEqual(providers.count, 5)
        XCTAssertTrue(providers.contains { $0["organization"] as? String == "Lakeside Comprehensive Cancer Center" })
        XCTAssertTrue(providers.contains { $0["kind"] as? String == "organization" && $0["specialty"] as? String == "pathology" })
        XCTAssertTrue(providers.contains { $0["specialty"] as? String == "breast surgery" })

        let appointments = try succeed("appointment", "list", "--format", "json").jsonArray()
        let secondOpinion = try XCTUnwrap(appointments.first { $0["provider"] as? String == "Dr. Priya Raman" })
        XCTAssertEqual(secondOpinion["purpose"] as? String, "second-opinion")
        XCTAssertEqual(secondOpinion["insurance"] as? String, "approved")
        XCTAssertEqual(secondOpinion["insurance_reference"] as? String, "PA-2026-118204")
        XCTAssertEqual(secondOpinion["status"] as? String, "completed")
        let upcoming = try succeed("appointment", "list", "--upcoming", "--format", "json").jsonArray()
        XCTAssertTrue(upcoming.contains { $0["provider"] as? String == "Dr. Sofia Marin" && $0["purpose"] as? String == "second-opinion" },
                      "the tie-break appointment is booked ahead")

        let history = try succeed("opinion", "history", "--format", "json").jsonArray()
        XCTAssertEqual(history.map { $0["agreement"] as? String }, ["first opinion", "partly agrees"])
        XCTAssertTrue((history[0]["recommendation"] as? String)?.contains("Lumpectomy") ?? false)
        XCTAssertTrue((history[1]["recommendation"] as? String)?.contains("Neoadjuvant chemotherapy") ?? false)

        let records = try succeed("record", "list", "--format", "json").jsonArray()
        // Three from the case, three from its workflow (a consultation note, labs, a disc of images).
        XCTAssertEqual(records.count, 6)
        XCTAssertEqual(Set(records.compactMap { $0["media_type"] as? String }), ["text/plain", "application/pdf", "text/csv"])
        let slides = try XCTUnwrap(records.first { $0["kind"] as? String == "pathology-slides" })
        XCTAssertTrue(slides["sha256"] is NSNull, "the slides are held by the lab: no file")
        XCTAssertTrue(records.allSatisfy { ($0["diagnosis_ids"] as? [Int]) == [1] }, "every record belongs to the diagnosis")

        let pathology = try XCTUnwrap(records.first { $0["kind"] as? String == "pathology-report" }?["id"] as? Int)
        XCTAssertTrue(try succeed("record", "get", String(pathology)).stdout.hasPrefix("SYNTHETIC DEMO DOCUMENT"))
        let imaging = try XCTUnwrap(records.first { $0["kind"] as? String == "imaging-report" }?["id"] as? Int)
        let pdf = folder.appendingPathComponent("imaging.pdf").path
        try succeed("record", "get", String(imaging), "-o", pdf)
        let pdfText = String(decoding: try Data(contentsOf: URL(fileURLWithPath: pdf)), as: UTF8.self)
        XCTAssertTrue(pdfText.hasPrefix("%PDF-1.4") && pdfText.hasSuffix("%%EOF\n"))

        // The lab panel's values are results of the lab report, as its file gives them.
        let labReport = try XCTUnwrap(records.first { $0["kind"] as? String == "lab-result" }?["id"] as? Int)
        let panel = try succeed("record", "get", String(labReport)).stdout
        let labs = try succeed("result", "list", "--category", "laboratory", "--format", "json").jsonArray()
        XCTAssertEqual(labs.count, 4)
        for lab in labs {
            XCTAssertEqual(lab["record_id"] as? Int, labReport)
            let name = try XCTUnwrap(lab["name"] as? String)
            XCTAssertTrue(panel.contains("\(name),"), "\(name) is in the file: \(panel)")
        }
        XCTAssertTrue(panel.contains("Haemoglobin,13.1,g/dL,12-15.5\n"), panel)
    }

    func testDemoRefusesAStoreThatHoldsData() throws {
        try succeed("init")
        try succeed("patient", "add", "Maria Rossi")
        try assertRefused(["demo", "--db", storePath], code: 73, mentions: ["--db", "already holds data"])
    }

    func testDemoAcceptsAnEmptyStore() throws {
        try succeed("init")
        try succeed("demo", "--db", storePath)
        XCTAssertEqual(try succeed("patient", "list", "--format", "json").jsonArray().first?["name"] as? String, "Elena Marsh (demo)")
    }

    func testDemoIsOneChangeThatUndoTakesBack() throws {
        try succeed("demo", "--db", storePath)
        let changes = try succeed("history", "--format", "json").jsonArray()
        XCTAssertEqual(changes.map { $0["summary"] as? String }, ["demo"])
        try succeed("undo")
        XCTAssertEqual(try sqlite(storePath, "SELECT count(*) FROM patients"), "0\n")
    }
}
